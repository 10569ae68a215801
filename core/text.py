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


# --- natural order of names ("Tổ dân phố An Lư 2" before "… An Lư 10", "Đ" after "D") ---------

# The Vietnamese alphabet, then the letters only foreign names use; tone marks are not letters.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy" + "fjwz"
_LETTER_MARKS = {"\u0306": "ă", "\u0302": "^", "\u031b": "'"}  # breve, circumflex, horn
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_WITH_MARK = {("a", "ă"): "ă", ("a", "^"): "â", ("e", "^"): "ê", ("o", "^"): "ô",
              ("o", "'"): "ơ", ("u", "'"): "ư"}
_RANK = {letter: f"{10 + index:02d}" for index, letter in enumerate(_ALPHABET)}
NUMBER_WIDTH = 9


def _letters(text: str) -> list[str]:
    """Base letters with their letter marks (ă, â, ê, ô, ơ, ư, đ), tone marks dropped."""
    letters: list[str] = []
    for char in unicodedata.normalize("NFD", text.lower()):
        if char in _TONE_MARKS:
            continue
        mark = _LETTER_MARKS.get(char)
        if mark and letters:
            letters[-1] = _WITH_MARK.get((letters[-1], mark), letters[-1])
            continue
        if unicodedata.combining(char):
            continue
        letters.append(char)
    return letters


def natural_key(text: str) -> str:
    """A sort key in which numbers count as numbers and letters follow the Vietnamese alphabet.

    Made of digits only, so that a database orders it the same under any collation (PostgreSQL's
    locale collation ignores case and punctuation, SQLite compares bytes): a letter is its rank
    (two digits, 10–42), a number "01" and its value on nine digits, a space "00", any other sign
    "02". Tones do not count (sort equal keys by the name itself to break the tie)."""
    parts: list[str] = []
    digits = ""
    for char in [*_letters(nfc(text).strip()), " "]:
        if char.isdigit():
            digits += char
            continue
        if digits:
            parts.append("01" + digits.lstrip("0").rjust(NUMBER_WIDTH, "0")[-NUMBER_WIDTH:])
            digits = ""
        if char.isspace():
            if parts and parts[-1] != "00":
                parts.append("00")
        else:
            parts.append(_RANK.get(char, "02"))
    while parts and parts[-1] == "00":
        parts.pop()
    return "".join(parts)
