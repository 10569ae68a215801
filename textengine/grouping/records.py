"""The grouper's records: an item (its issue, signature row, features, day, places) and an issue
(members, word counts of its centroid, span, places)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass, field

ItemId = Hashable

def _day(when: dt.date | dt.datetime | str | int | None) -> int | None:
    """A day number (proleptic ordinal) for ``when``; None stays None."""
    if when is None:
        return None
    if isinstance(when, dt.datetime):
        return when.date().toordinal()
    if isinstance(when, dt.date):
        return when.toordinal()
    if isinstance(when, int):
        return when
    return dt.date.fromisoformat(str(when)[:10]).toordinal()


@dataclass
class _Issue:
    id: int
    members: dict = field(default_factory=dict)  # item id -> None (ordered set)
    counts: dict[str, int] = field(default_factory=dict)
    norm2: float = 0.0  # squared norm of the IDF-weighted centroid (counts × idf)
    changes: int = 0
    first: int | None = None
    last: int | None = None
    places: dict[str, int] = field(default_factory=dict)  # place key -> members naming it
    placed: int = 0  # members naming any place


@dataclass
class _Item:
    issue: int
    row: int
    features: tuple[str, ...]
    day: int | None
    places: tuple[str, ...] = ()

