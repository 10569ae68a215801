"""Small text helpers shared by every app (no Django import).

The full Vietnamese text engine arrives with its own package; the folded form here is the same
contract: NFC, no diacritics, đ→d, lower case, single spaces. Used for search without diacritics.
"""

from __future__ import annotations

import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def fold(text: str) -> str:
    """Return ``text`` without diacritics, lower case, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
