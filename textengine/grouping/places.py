"""Places a text names ("tổ 5", "ngõ 62", "đường Nguyễn Trãi") and whether an item's places
agree with an issue's."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from textengine.grouping.words import STOPWORDS, _tokens

if TYPE_CHECKING:
    from textengine.grouping.records import _Issue

# Words that introduce a place. Named places follow them ("phố Huế", "chợ Hòa Bình"), numbered ones
# too ("tổ 5", "ngõ 62"). Markers that are also common words once folded (chợ/cho/chó,
# trường/trưởng, cầu/câu) count only before a Capitalised name.
_PLACE_MARKERS = {
    ("to", "dan", "pho"): "tdp", ("tdp",): "tdp", ("to",): "tdp", ("khu", "pho"): "kp",
    ("kp",): "kp", ("khu", "dan", "cu"): "kdc", ("kdc",): "kdc", ("khu", "vuc"): "",
    ("ngo",): "ngo", ("ngach",): "ngo", ("hem",): "hem", ("kiet",): "hem", ("duong",): "",
    ("pho",): "", ("thon",): "thon", ("xom",): "xom", ("ap",): "thon", ("ban",): "thon",
    ("khu", "do", "thi"): "", ("kdt",): "", ("chung", "cu"): "", ("cho",): "",
    ("truong",): "", ("cau",): "", ("cong", "vien"): "",
}
_NEEDS_CAPITAL = {("cho",), ("truong",), ("cau",), ("ban",), ("ap",), ("to",)}
_MARKER_LENGTHS = (3, 2, 1)
_NAME_MAX = 4  # syllables of a capitalised name
_NAME_BLIND = 2  # syllables taken when the text's capitals say nothing (all lower or upper case)


_MARKER_FIRST = frozenset(k[0] for k in _PLACE_MARKERS)


def _marker_at(folded: list[str], i: int) -> tuple[tuple[str, ...], int] | None:
    if folded[i] not in _MARKER_FIRST:
        return None
    for size in _MARKER_LENGTHS:
        key = tuple(folded[i : i + size])
        if len(key) == size and key in _PLACE_MARKERS:
            return key, size
    return None



def place_keys(text: str | None) -> list[str]:
    """Places a text names, as folded keys: "tdp 5", "ngo 62", "nguyen trai".

    Numbered places ("tổ 5", "TDP 5", "tổ dân phố 5" all give "tdp 5") are exact. A named place
    is the Capitalised run after a marker; in text typed all in lower (or upper) case the next
    two syllables stand in for the name, so keys are compared by prefix (``places_agree``).
    """
    return _place_keys(*_tokens(text))


def _place_keys(raw: list[str], folded: list[str]) -> list[str]:
    if not raw or _MARKER_FIRST.isdisjoint(folded):
        return []
    words = [t for t in raw if t[0].isalpha()]
    cased = any(w[0].islower() for w in words) and any(w[0].isupper() for w in words[1:])
    keys: list[str] = []
    i = 0
    while i < len(raw):
        if folded[i] not in _MARKER_FIRST:  # the common case, without a call
            i += 1
            continue
        found = _marker_at(folded, i)
        if found is None:
            i += 1
            continue
        marker, size = found
        j = i + size
        nxt = _marker_at(folded, j) if j < len(raw) else None
        if nxt is not None and not (cased and raw[j][0].isupper()):
            if cased or nxt[0] not in _NEEDS_CAPITAL:
                # "khu vực tổ dân phố 5", "mặt đường phố Huế": the inner marker names it.
                i = j
                continue
        kind = _PLACE_MARKERS[marker]
        if j < len(raw) and raw[j].isdigit():
            if kind:
                keys.append(f"{kind} {raw[j]}")
            j += 1
            if not cased and kind not in ("ngo", "hem"):
                i = j  # "tổ 5 mất nước": a numbered zone has no name after it
                continue
        name: list[str] = []
        while j < len(raw) and len(name) < _NAME_MAX and raw[j][0].isalpha():
            if cased and not raw[j][0].isupper():
                break
            if not cased and (
                marker in _NEEDS_CAPITAL
                or len(name) >= _NAME_BLIND
                or (not name and folded[j] in STOPWORDS)
            ):
                break
            name.append(folded[j])
            j += 1
        if name:
            keys.append(" ".join(name))
        i = max(j, i + 1)
    return list(dict.fromkeys(keys))


def places_agree(a: str, b: str) -> bool:
    """Same place, allowing one key to be the start of the other ("tran hung" ~ "tran hung dao")."""
    if a == b:
        return True
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return long.startswith(short + " ")


@lru_cache(maxsize=65_536)
def _agreeing_keys(places: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """What ``places_agree(mine, key)`` for some ``mine`` in ``places`` means for ``key``: it
    is one of them or one's start before a space (the set), or it starts with one and a space
    (the prefixes, for ``str.startswith``)."""
    same = set(places)
    for mine in places:
        words = mine.split(" ")
        same.update(" ".join(words[:i]) for i in range(1, len(words)))
    return frozenset(same), tuple(mine + " " for mine in places)


def _place_verdict(places: tuple[str, ...], issue: _Issue) -> int:
    """+1 when the item names a place most of the issue's items name, -1 when it names places
    fewer than a third of them agree with, 0 when the item or the issue names no place. Counting
    over the members that name a place (not over the keys) keeps one stray mention from defining
    an issue and keeps an issue from drifting street by street."""
    if not places or not issue.placed:
        return 0
    same, longer = _agreeing_keys(places)
    agreeing = 0
    for key, count in issue.places.items():
        if key in same or key.startswith(longer):  # places_agree(mine, key) for some mine
            agreeing += count
    share = min(agreeing, issue.placed) / issue.placed
    if share >= 0.5:
        return 1
    return -1 if share < 1 / 3 else 0

