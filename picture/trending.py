"""The picture's Django side of ``trends``: weekly series from the counter's cells, then what is
rising, the forecast of the main topics, and latent-opinion proposals.

Only opinion items make these series: a report's streams are dated by the period's last day, and
counted by the week they would make every month's end look like a burst.

"This week" is the seven days ending on the *anchor* (the period's last day, or today when the
period is not over), so a rising topic is judged on the latest seven days whatever weekday the
leader looks. Its baseline is twelve calendar weeks (Monday to Sunday) ending two to three weeks
earlier, read from the week rollups (twelve rows a key); the forecast's history is the seven-day
windows ending on the anchor.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from picture.counting import window_start
from picture.query import AGGRIEVED, PictureQuery
from trends.forecast import forecast as forecast_weeks
from trends.forecast import outside
from trends.rising import MIN_COUNT, SeriesInput, rank_rising

BASELINE_WEEKS = 12
# The weeks between the baseline and the current one (a guard band, as Farrington's and the EARS
# C2/C3 methods keep): a rise that builds over three weeks would otherwise raise its own baseline
# and never be flagged.
GUARD_WEEKS = 2
FORECAST_HISTORY_WEEKS = 104
FORECAST_HORIZON = 4
FORECAST_TOPICS = 5
RISING_LIMIT = 10
KINDS = {"topic": "chủ đề", "area": "tổ dân phố", "issue": "vấn đề"}


@dataclass
class Weekly:
    """One key's counts per seven-day window, oldest first; ``concerned`` the aggrieved and
    opposed among them (the share test)."""

    counts: list[int]
    concerned: list[int]


def anchor_of(query: PictureQuery) -> dt.date:
    return min(query.window.end, query.today)


def weekly_series(
    counter, dimension: str, anchor: dt.date, weeks: int, *, concerned: bool = True,
    keys: Collection[str] | None = None,
) -> dict[str, Weekly]:
    """Every key's (or ``keys``') counts in the ``weeks`` seven-day windows ending on
    ``anchor`` (and the aggrieved and opposed among them, unless not ``concerned``: the forecast
    needs volumes)."""
    start = window_start(anchor, weeks)
    series: dict[str, Weekly] = defaultdict(lambda: Weekly([0] * weeks, [0] * weeks))
    totals = counter.weekly_totals(dimension, anchor, weeks, attitudes=concerned, keys=keys)
    for (day, key, attitude), n in totals.items():
        if not key:
            continue
        index = (day - start).days // 7
        series[key].counts[index] += n
        if attitude in AGGRIEVED:
            series[key].concerned[index] += n
    return series


def calendar_series(
    counter, dimension: str, first: dt.date, weeks: int, *, keys: Collection[str],
) -> dict[str, Weekly]:
    """``keys``' counts (and the aggrieved and opposed among them) in ``weeks`` calendar weeks
    from the Monday ``first``; a key never heard there has a series of zeros."""
    series = {key: Weekly([0] * weeks, [0] * weeks) for key in keys}
    for (monday, key, attitude), n in counter.calendar_weeks(dimension, first, weeks,
                                                             keys=keys).items():
        index = (monday - first).days // 7
        series[key].counts[index] += n
        if attitude in AGGRIEVED:
            series[key].concerned[index] += n
    return series


def baseline_start(anchor: dt.date) -> dt.date:
    """The Monday of the first of the ``BASELINE_WEEKS`` calendar weeks the rising topics
    compare with: the last of them ends on the latest Sunday that leaves at least
    ``GUARD_WEEKS`` whole weeks before the current seven days (so the guard is 14 to 20 days)."""
    guard_start = anchor - dt.timedelta(days=7 * (GUARD_WEEKS + 1) - 1)  # the guard's first day
    last_sunday = guard_start - dt.timedelta(days=guard_start.weekday() + 1)
    return last_sunday - dt.timedelta(days=7 * BASELINE_WEEKS - 1)


def rising(query: PictureQuery, counter, names: dict[str, dict[str, str]]) -> list[dict]:
    """Topics, areas and issues whose last seven days rose beyond what the twelve calendar
    weeks before them (ending two weeks or more earlier) lead one to expect (volume, or the
    share of aggrieved and opposed)."""
    anchor = anchor_of(query)
    first_week = baseline_start(anchor)
    inputs: dict[str, SeriesInput] = {}
    for kind in KINDS:
        # Only a key heard MIN_COUNT times this week can be rising (trends.rising): its baseline
        # alone is read, not the weeks of a city's thousands of quiet issues and areas.
        # A key missing from the names is an issue the reader does not share, a deleted topic.
        now = weekly_series(counter, kind, anchor, 1)
        heard = {key for key, weekly in now.items()
                 if weekly.counts[0] >= MIN_COUNT and key in names[kind]}
        if not heard:
            continue
        before = calendar_series(counter, kind, first_week, BASELINE_WEEKS, keys=heard)
        for key in heard:
            inputs[f"{kind}:{key}"] = SeriesInput(
                history=before[key].counts, current=now[key].counts[0],
                concerned_history=before[key].concerned,
                concerned_current=now[key].concerned[0],
            )
    rows: dict[tuple[str, str], dict] = {}
    for signal in rank_rising(inputs):  # strongest first
        kind, _, key = signal.name.partition(":")
        if (kind, key) in rows:  # volume and share both rose: one row, both reasons
            rows[kind, key]["reason"] += f" · {signal.reason}"
            rows[kind, key]["measures"].append(signal.measure)
            continue
        rows[kind, key] = {
            "kind": kind,
            "kind_label": KINDS[kind],
            "key": key,
            "name": names[kind][key],
            "measure": signal.measure,
            "measures": [signal.measure],
            "count": signal.count,
            "expected_low": signal.expected_low,
            "expected_high": signal.expected_high,
            "p_value": round(signal.p_value, 6),
            "reason": signal.reason,
            "since": (anchor - dt.timedelta(days=6)).isoformat(),
            "until": anchor.isoformat(),
        }
    rows = list(rows.values())
    return rows[:RISING_LIMIT]


def forecast(query: PictureQuery, counter, topic_names: dict[str, str]) -> list[dict]:
    """The next four weeks of the main topics, each with its 80% and 95% interval; the first
    forecast week is the current one, marked when its count falls outside."""
    anchor = anchor_of(query)
    weeks = FORECAST_HISTORY_WEEKS + 1
    # The main topics are those of the last twelve weeks: two years are read for them alone.
    latest = weekly_series(counter, "topic", anchor, BASELINE_WEEKS + 1, concerned=False)
    recent = sorted(
        (key for key in latest if key in topic_names),
        key=lambda key: (-sum(latest[key].counts[:-1]), topic_names[key]),
    )[:FORECAST_TOPICS]
    series = weekly_series(counter, "topic", anchor, weeks, concerned=False, keys=set(recent))
    begun = first_week_heard(ward_series(counter, anchor, weeks))
    rows = []
    for key in recent:
        counts = series[key].counts
        history = counts[begun:-1]
        if len(history) < 4:
            continue
        predicted = forecast_weeks(history, FORECAST_HORIZON)
        mark = outside(counts[-1], predicted)
        rows.append({
            "code": key,
            "name": topic_names[key],
            "seasonal": predicted.seasonal,
            "method": predicted.method,
            "history_weeks": predicted.history_weeks,
            "recent": history[-BASELINE_WEEKS:],
            "weeks": [
                {
                    "start": (anchor - dt.timedelta(days=6) + dt.timedelta(weeks=w.step - 1))
                    .isoformat(),
                    "expected": round(w.mean, 1),
                    "low": w.low95, "high": w.high95, "low80": w.low80, "high80": w.high80,
                }
                for w in predicted.weeks
            ],
            "current": {
                "count": mark.current, "low": mark.low, "high": mark.high,
                "outside": mark.outside, "direction": mark.direction, "reason": mark.reason,
            },
        })
    return rows


def ward_series(counter, anchor: dt.date, weeks: int) -> dict[str, Weekly]:
    """Every opinion item of the reader's scope per seven-day window, as one series."""
    start = window_start(anchor, weeks)
    total = Weekly([0] * weeks, [0] * weeks)
    for (day, _key, _attitude), n in counter.weekly_totals("all", anchor, weeks,
                                                          attitudes=False).items():
        total.counts[(day - start).days // 7] += n
    return {"": total}


def first_week_heard(series: dict[str, Weekly]) -> int:
    """The first week anything was heard at all: the weeks before it are before the ward began
    recording, not weeks of silence, and would drag every forecast down."""
    return min(
        (index for weekly in series.values() for index, n in enumerate(weekly.counts) if n),
        default=0,
    )
