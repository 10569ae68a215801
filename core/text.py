"""Small text helpers shared by every app (no Django import).

``fold`` is the text engine's folded form (NFC, one tone placement and i/y spelling, no
diacritics, đ→d, lower case, single spaces), so that every stored ``*_folded`` column and every
search box agree: "kĩ thuật" and "kỹ thuật", "Hoà" and "Hòa" fold alike everywhere.
"""

from __future__ import annotations

import unicodedata

from textengine.normalize import fold as _engine_fold


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def fold(text: str) -> str:
    """Return ``text`` in the matching form used by every search in the project."""
    return _engine_fold(text)
