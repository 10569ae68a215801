"""Pure helpers of the monitoring pages (no Django import): the folded search document of a
mention and the words of a search box, and a story's volume by day before and after the
office's correction.

Search matches whole folded words: a mention's ``folded`` column is its title and text as
syllables without diacritics, one space between and one at each end, so the database finds
`` hoa `` in it with a plain ``LIKE``, and "Hòa", "Hoà" and "hoa" are one word while "hoang"
is another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from textengine.normalize import syllables

MAX_WORDS = 12  # a search box, not a document
WINDOW_DAYS = 14  # the days shown on each side of a correction


def search_document(title: str, text: str) -> str:
    """`` w1 w2 … `` for ``title`` and ``text``: folded syllables, padded with spaces."""
    words = syllables(f"{title or ''}\n{text or ''}")
    return f" {' '.join(words)} " if words else ""


def search_words(raw: str | None) -> list[str]:
    """The folded words typed into the search box (each must appear), at most ``MAX_WORDS``."""
    return list(dict.fromkeys(syllables(raw or "")))[:MAX_WORDS]


# --- volume before and after a correction -----------------------------------------------------


@dataclass(frozen=True)
class Day:
    day: dt.date
    mentions: int
    sites: int
    after: bool  # on or after the reference day


@dataclass(frozen=True)
class Side:
    days: int  # days of the window on this side (cut at today)
    mentions: int
    sites: int  # distinct sites over the whole side

    @property
    def per_day(self) -> float:
        return self.mentions / self.days if self.days else 0.0


@dataclass(frozen=True)
class Volume:
    reference: dt.date
    days: list[Day]
    before: Side
    after: Side
    total: int  # every mention of the set, in the window or not

    def chart(self) -> dict:
        """For Chart.js (``static/js/monitoring_chart.js``)."""
        return {
            "reference": self.reference.isoformat(),
            "days": [
                {
                    "day": d.day.isoformat(),
                    "mentions": d.mentions,
                    "sites": d.sites,
                    "after": d.after,
                }
                for d in self.days
            ],
        }


def volume(
    seen: Iterable[tuple[dt.date, str]],
    *,
    reference: dt.date,
    today: dt.date,
    window: int = WINDOW_DAYS,
) -> Volume:
    """Mentions and distinct sites per day, ``window`` days before ``reference`` and from it on
    (to ``today`` at most); ``seen`` is one (local day, site) per mention.

    The reference day itself counts as "after": a correction published in the morning answers
    that day's spread."""
    start = reference - dt.timedelta(days=window)
    end = min(today, reference + dt.timedelta(days=window - 1))
    per_day: dict[dt.date, list[str]] = {}
    total = 0
    for day, site in seen:
        total += 1
        if start <= day <= end:
            per_day.setdefault(day, []).append(site)
    days = []
    cursor = start
    while cursor <= end:
        sites = per_day.get(cursor, [])
        days.append(Day(cursor, len(sites), len(set(sites)), cursor >= reference))
        cursor += dt.timedelta(days=1)
    return Volume(
        reference=reference,
        days=days,
        before=_side([d for d in days if not d.after], per_day),
        after=_side([d for d in days if d.after], per_day),
        total=total,
    )


def _side(days: list[Day], per_day: dict[dt.date, list[str]]) -> Side:
    sites = {site for d in days for site in per_day.get(d.day, [])}
    return Side(days=len(days), mentions=sum(d.mentions for d in days), sites=len(sites))


def spread(seen: Iterable[tuple[dt.date, str]]) -> list[Day]:
    """A story's mentions and new sites per day, from its first day to its last."""
    per_day: dict[dt.date, list[str]] = {}
    for day, site in seen:
        per_day.setdefault(day, []).append(site)
    if not per_day:
        return []
    days, known = [], set()
    cursor, last = min(per_day), max(per_day)
    while cursor <= last:
        sites = per_day.get(cursor, [])
        new_sites = set(sites) - known
        known |= new_sites
        days.append(Day(cursor, len(sites), len(new_sites), False))
        cursor += dt.timedelta(days=1)
    return days
