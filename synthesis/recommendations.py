"""Recommendations grouped by whom they address, then merged (no Django import).

The addressee of a recommendation is the one given, else read from its text with a small rule
table (``ADDRESSEES``): folded phrases ("ubnd", "uy ban nhan dan", "mat tran", "doan thanh nien",
"dang uy", "cap tren"…), matched as whole words on the folded text (so "Uy ban nhan dan" typed
without diacritics counts). The phrase named first in the text wins ("Đề nghị UBND phường làm việc
với công ty cấp nước" is for the UBND); among phrases at the same place, the table's order. A
recommendation naming no one goes to ``OTHER``.

Each merged recommendation's ``label`` is its representative request without the asking words and
the addressee already named by the heading, then the number of units:
"Tăng cường tuyên truyền nhận diện lừa đảo qua mạng — 12 đơn vị".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from synthesis.merge import DEFAULT_THRESHOLD, Merged, Statement, _label, _merge_blocks
from textengine import fold

__all__ = [
    "ADDRESSEES", "ADDRESSEE_LABELS", "OTHER", "detect_addressee", "merge_recommendations",
    "request_text",
]

OTHER = "khac"
# (code, heading, folded phrases). Order matters only between phrases found at the same place.
ADDRESSEES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("dang_uy", "Đảng ủy phường", (
        "dang uy", "cap uy", "ban thuong vu", "thuong truc dang uy", "ban xay dung dang",
        "ban xdd", "uy ban kiem tra dang uy",
    )),
    ("mttq", "MTTQ và các đoàn thể", (
        "mttq", "mat tran to quoc", "mat tran", "uy ban mttq", "uy ban mat tran", "doan the",
        "doan thanh nien", "hoi lien hiep phu nu", "hoi phu nu", "hoi cuu chien binh",
        "hoi nong dan", "hoi nguoi cao tuoi", "cong doan", "hoi chu thap do",
        "ban cong tac mat tran",
    )),
    ("ubnd", "UBND phường", (
        "ubnd", "uy ban nhan dan", "chinh quyen", "cong an phuong", "tram y te",
        "ban chi huy quan su", "dia chinh", "van phong dang ky dat dai",
    )),
    ("cap_tren", "Các sở, ngành thành phố và cấp trên", (
        "cac so nganh", "so nganh", "cac so", "cac co quan thanh pho", "thanh pho", "cap tren",
        "cap co tham quyen", "trung uong", "nganh dien", "dien luc", "cong ty dien",
        "cong ty cap nuoc", "cap nuoc", "bao hiem xa hoi", "bhxh", "so giao thong",
        "so tai nguyen", "so xay dung", "so y te", "so giao duc", "quan huyen", "bo nganh",
    )),
)
ADDRESSEE_LABELS: dict[str, str] = {code: label for code, label, _p in ADDRESSEES}
# The phrases a heading "Đối với UBND phường" already says: left out of a request's label. A more
# precise addressee ("Công an phường", "Trạm Y tế") stays in the label, or who is asked is lost.
_HEADING_PHRASES: dict[str, tuple[str, ...]] = {
    "dang_uy": ("dang uy", "thuong truc dang uy", "ban thuong vu"),
    "mttq": ("mttq", "mat tran to quoc", "mat tran", "uy ban mttq", "uy ban mat tran"),
    "ubnd": ("ubnd", "uy ban nhan dan"),
}
ADDRESSEE_LABELS[OTHER] = "Các cơ quan, đơn vị liên quan"

_RULES = [
    (code, rank, re.compile(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])"))
    for rank, (code, _label_text, phrases) in enumerate(ADDRESSEES)
    for phrase in phrases
]
# Asking words a request opens with, left out of its label (folded, longest first).
_ASKING = ("kien nghi", "de nghi", "de xuat", "mong muon", "yeu cau", "mong", "xin")
_LINKERS = ("cac", "va", "voi")


def detect_addressee(text: str) -> str:
    """Code of whom ``text`` addresses (``OTHER`` when it names no one)."""
    folded = fold(text)
    best: tuple[int, int, str] | None = None
    for code, rank, pattern in _RULES:
        match = pattern.search(folded)
        if match and (best is None or (match.start(), rank) < best[:2]):
            best = (match.start(), rank, code)
    return best[2] if best else OTHER


def _folded_words(words: list[str]) -> list[str]:
    return [fold(w) for w in words]


def _skip_phrase(words: list[str], start: int, phrases: Sequence[str]) -> int:
    """Index after the longest of ``phrases`` found at ``start`` (``start`` when none)."""
    folded = _folded_words(words[start:start + 8])
    best = 0
    for phrase in phrases:
        parts = phrase.split()
        if [re.sub(r"[^a-z0-9]", "", f) for f in folded[:len(parts)]] == parts:
            best = max(best, len(parts))
    return start + best


def request_text(text: str, addressee: str | None = None) -> str:
    """``text`` without its opening asking words ("Đề nghị") and, when it follows them, the
    addressee the heading already names ("UBND phường", not "Công an phường"); capitalised. The
    rest is unchanged."""
    words = text.split()
    at = _skip_phrase(words, 0, _ASKING)
    if at and addressee in _HEADING_PHRASES:
        after = _skip_phrase(words, at, _HEADING_PHRASES[addressee])
        if after > at:
            after = _skip_phrase(words, after, ("phuong",))
        at = after
    rest = words[at:]
    if not rest or at == 0:
        return text
    first = rest[0]
    return " ".join([first[:1].upper() + first[1:], *rest[1:]])


def _with_addressee(statement: Statement) -> Statement:
    if statement.addressee:
        return statement
    return replace(statement, addressee=detect_addressee(statement.text))


def _recommendation_label(addressee_of: dict[str, str]):
    def label(text: str, unit_count: int) -> str:
        return _label(request_text(text, addressee_of.get(text)), unit_count)

    return label


def merge_recommendations(
    statements: Sequence[Statement], *, threshold: float = DEFAULT_THRESHOLD
) -> list[Merged]:
    """Recommendations grouped by addressee (given or detected), merged within an addressee
    (whatever their topics), most units first; the addressee code is on each ``Merged``."""
    with_addressee = [_with_addressee(s) for s in statements]
    addressee_of = {s.text: s.addressee for s in with_addressee}
    return _merge_blocks(
        with_addressee, lambda s: s.addressee, threshold, _recommendation_label(addressee_of)
    )
