"""The schedule of the demo's opinion items: which matter is heard on which day, drawn from the
matters' weekly rates and seasons (``opinion_data``), with the three things the opinion picture
must find in it: one topic rising in the last three weeks, a latent worry growing over the last
four weeks, and the day from which two areas fall silent.

Pure: no database, only the matters, the meetings, the days and a seeded ``random.Random``, so a
test can check the schedule itself without building the ward. Weeks are the seven-day blocks
that end on ``today`` (week 0 is the last seven days), the way "12 ý kiến trong 7 ngày" reads.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from dataclasses import dataclass, field

RISING_WEEKS = 3
# How far the rising matter alone stands above the topic's busiest earlier week, oldest week
# first: each of the last three weeks beats every earlier one, and the rise accelerates.
RISING_MARGINS = (3, 7, 12)
LATENT_COUNTS = (1, 2, 4, 6)  # the latent worry's items in its four weeks, oldest first
SILENT_WEEKS = 10  # two areas hear nothing for this long (the picture looks for 8 weeks or more)
BURST_DAYS = 3

# The first day of the lunar new year (Tết Nguyên đán); prices and thefts rise before it.
TET = {
    2023: dt.date(2023, 1, 22), 2024: dt.date(2024, 2, 10), 2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17), 2027: dt.date(2027, 2, 6), 2028: dt.date(2028, 1, 26),
    2029: dt.date(2029, 2, 13), 2030: dt.date(2030, 2, 3),
}
TET_BEFORE, TET_AFTER = 28, 7


@dataclass(frozen=True)
class Planned:
    """One item to file: on ``day``, about the matter ``key``; a point of meeting ``meeting``
    (an index in ``opinion_data.MEETINGS``) when it was raised there."""

    day: dt.date
    key: str
    meeting: int | None = None


@dataclass
class Plan:
    today: dt.date
    start: dt.date
    entries: list[Planned] = field(default_factory=list)
    rising_key: str = ""
    latent_key: str = ""
    silent_from: dt.date | None = None  # the first day the silent areas hear nothing

    def weekly(self, keys: set[str]) -> list[int]:
        """Items of the matters ``keys`` per week, oldest week first (the last is week 0)."""
        counts = Counter(week_of(e.day, self.today) for e in self.entries if e.key in keys)
        weeks = week_of(self.start, self.today) + 1
        return [counts.get(week, 0) for week in range(weeks - 1, -1, -1)]


def week_of(day: dt.date, today: dt.date) -> int:
    """0 for the last seven days up to ``today``, 1 for the seven before, and so on."""
    return (today - day).days // 7


def daily_rate(matter: dict, day: dt.date) -> float:
    """The matter's expected items on ``day``: its weekly rate, its season, Tết."""
    since = matter.get("since")
    if since and day < since:
        return 0.0
    rate = matter["per_week"] / 7 * matter.get("months", {}).get(day.month, 1.0)
    if matter.get("tet") and _near_tet(day):
        rate *= matter["tet"]
    return rate


def _near_tet(day: dt.date) -> bool:
    for year in (day.year, day.year + 1):
        tet = TET.get(year)
        if tet and -TET_BEFORE <= (day - tet).days <= TET_AFTER:
            return True
    return False


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw (Knuth's method; the weekly rates here are small)."""
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def plan_items(matters: list[dict], meetings: list[dict], *, start: dt.date, today: dt.date,
               rng: random.Random) -> Plan:
    """Every item of the window ``start``…``today``, in no particular order.

    Each matter's weeks are drawn as Poisson counts of its daily rates; meetings put their points
    on their day; a matter's ``burst`` lands in the last three days. Then the latent worry gets
    its growing weeks and the rising matter its last three weeks, sized against the busiest
    earlier week of its topic so the rise is unmistakable whatever the seasons drew."""
    plan = Plan(today=today, start=start, silent_from=today - dt.timedelta(weeks=SILENT_WEEKS))
    by_key = {m["key"]: m for m in matters}
    for matter in matters:
        role = matter.get("role", "")
        if role == "rising":
            plan.rising_key = matter["key"]
        elif role == "latent":
            plan.latent_key = matter["key"]
        quiet_from = RISING_WEEKS if role == "rising" else 0
        plan.entries += _background(matter, start, today, rng, skip_weeks=quiet_from)
        for _ in range(matter.get("burst", 0)):
            ago = rng.choices(range(BURST_DAYS), [3, 4, 3])[0]
            plan.entries.append(Planned(today - dt.timedelta(days=ago), matter["key"]))
    for index, meeting in enumerate(meetings):
        day = today - dt.timedelta(days=meeting["ago"])
        if day >= start:
            plan.entries += [Planned(day, key, index) for key in meeting["points"]]
    if plan.latent_key:
        plan.entries += _growing(plan.latent_key, LATENT_COUNTS, start, today, rng)
    if plan.rising_key:
        topic = by_key[plan.rising_key]["topic"]
        same_topic = {m["key"] for m in matters if m["topic"] == topic}
        weeks = plan.weekly(same_topic)
        earlier, others = weeks[:-RISING_WEEKS] or [0], weeks[-RISING_WEEKS:]
        # The topic's weeks climb by the margins above its busiest earlier week, and the rising
        # matter alone already stands above it: the rest of the topic only adds to the rise.
        tops = [max(earlier) + margin + max(others) for margin in RISING_MARGINS]
        counts = tuple(top - other for top, other in zip(tops, others, strict=True))
        plan.entries += _growing(plan.rising_key, counts, start, today, rng)
    return plan


def _background(matter: dict, start: dt.date, today: dt.date, rng: random.Random, *,
                skip_weeks: int) -> list[Planned]:
    last = today - dt.timedelta(days=matter.get("newest", 0))
    out = []
    for week in range(skip_weeks, week_of(start, today) + 1):
        days = [today - dt.timedelta(days=7 * week + d) for d in range(7)]
        days = [d for d in days if start <= d <= last]
        rates = [daily_rate(matter, d) for d in days]
        count = poisson(rng, sum(rates))
        if count:
            out += [Planned(d, matter["key"]) for d in rng.choices(days, rates, k=count)]
    return out


def _growing(key: str, counts: tuple[int, ...], start: dt.date, today: dt.date,
             rng: random.Random) -> list[Planned]:
    """``counts[i]`` items in each of the last ``len(counts)`` weeks, oldest first."""
    out = []
    for week, count in zip(range(len(counts) - 1, -1, -1), counts, strict=True):
        days = [today - dt.timedelta(days=7 * week + d) for d in range(7)]
        days = [d for d in days if d >= start]
        out += [Planned(rng.choice(days), key) for _ in range(count)]
    return out
