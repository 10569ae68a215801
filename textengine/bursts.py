"""Emerging-issue (burst) detection on small daily counts (no Django import).

A ward sees a handful of items a day, so a series is mostly zeros and ones. The count model is
Gamma–Poisson: the series' daily rate is unknown, with a Gamma prior worth ``prior_days`` days at
``prior_rate`` items a day, updated by the series' own trailing ``baseline_days`` days (those
before the recent window). The number of items expected in the recent window then follows a
negative binomial (the posterior predictive), and the p-value is the chance of seeing at least
the observed count under it. The prior is what lets a brand-new issue (no history) alert, and the
negative binomial's extra spread for short histories is what keeps a few chance items quiet.

Thresholds (defaults of :func:`detect`) and why:

* ``window_days=3`` — short enough to raise an alert while it matters, long enough that a ward's
  two or three daily items add up.
* ``baseline_days=28`` — four weeks cover the weekly rhythm (meetings, weekend markets) and still
  follow a season.
* ``prior_rate=0.1`` items/day, ``prior_days=7`` — "an issue normally gets an item now and then";
  worth one week, so ten days of real history already outweigh it.
* ``min_count=4`` — below four items in the window nothing is called a burst, whatever the
  arithmetic: one or two items, even on a silent issue, are the daily noise of a small ward.
* ``max_p=0.01`` — about one false alert per issue every 100 quiet windows; with dozens of live
  issues that is a few a month, which the office can read.
* ``min_ratio=3`` — the window must hold at least three times the usual level: a large issue
  whose count creeps up 30% is statistically "significant" but not news.

The reason is stated in words for the office: "12 ý kiến trong 3 ngày, gấp 6 lần mức thường", or
for an issue with no earlier item "5 ý kiến trong 3 ngày về một vấn đề mới".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

__all__ = ["Burst", "detect", "detect_many", "daily_counts", "tail_probability"]


@dataclass(frozen=True)
class Burst:
    count: int  # items in the window
    window_days: int
    expected: float  # items the window would hold at the usual rate (prior included)
    ratio: float  # count / expected
    p_value: float  # P(at least ``count`` | usual rate), negative binomial
    score: float  # -log10(p_value): for sorting alerts
    new: bool  # no item before the window
    baseline_count: int  # items in the baseline days
    baseline_days: int  # days of history actually observed
    reason: str  # in Vietnamese, for the office


def _as_date(day) -> dt.date:
    if isinstance(day, dt.datetime):
        return day.date()
    if isinstance(day, dt.date):
        return day
    try:
        return dt.date.fromisoformat(str(day)[:10])
    except ValueError:
        raise ValueError(f"Ngày \"{day}\" không đúng dạng YYYY-MM-DD.") from None


def daily_counts(days: Iterable[dt.date | dt.datetime | str]) -> dict[dt.date, int]:
    """Count items per day from their dates (one entry per item)."""
    out: dict[dt.date, int] = {}
    for day in days:
        key = _as_date(day)
        out[key] = out.get(key, 0) + 1
    return out


def tail_probability(count: int, shape: float, rate: float, window: float) -> float:
    """P(X ≥ count) for X ~ NegBin(shape, rate/(rate+window)), the number of events in
    ``window`` days when the daily rate is Gamma(shape, rate)."""
    if count <= 0:
        return 1.0
    p = rate / (rate + window)
    log_p, log_q = math.log(p), math.log1p(-p)
    log_norm = math.lgamma(shape)
    below = 0.0
    for k in range(count):
        below += math.exp(
            math.lgamma(k + shape) - log_norm - math.lgamma(k + 1) + shape * log_p + k * log_q
        )
    return min(1.0, max(0.0, 1.0 - below))


def _ratio_words(ratio: float) -> str:
    if ratio >= 3:
        return str(round(ratio))
    return f"{ratio:.1f}".replace(".", ",")  # Vietnamese decimal comma: "2,5"


def detect(
    counts_by_day: Mapping,
    today: dt.date | dt.datetime | str,
    window_days: int = 3,
    *,
    baseline_days: int = 28,
    prior_rate: float = 0.1,
    prior_days: float = 7.0,
    min_count: int = 4,
    max_p: float = 0.01,
    min_ratio: float = 3.0,
    history_start: dt.date | None = None,
) -> Burst | None:
    """A Burst when the ``window_days`` ending with ``today`` hold unusually many items, else None.

    ``counts_by_day`` maps days (dates or ISO strings) to counts; missing days count zero. The
    series is taken to be observed from ``history_start`` (default: its earliest day, so explicit
    zero days lengthen the history). Days after ``today`` are ignored.
    """
    if window_days < 1 or baseline_days < 1:
        raise ValueError("Số ngày của cửa sổ và của mức nền phải từ 1 trở lên.")
    today = _as_date(today)
    series: dict[dt.date, int] = {}
    for day, count in counts_by_day.items():
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValueError(f"Số ý kiến ngày {day} phải là số nguyên không âm.")
        key = _as_date(day)
        if key <= today:
            series[key] = series.get(key, 0) + count
    window_start = today - dt.timedelta(days=window_days - 1)
    count = sum(c for d, c in series.items() if d >= window_start)
    if count < min_count:
        return None
    start = history_start or (min(series) if series else window_start)
    base_start = max(start, window_start - dt.timedelta(days=baseline_days))
    observed = max(0, (window_start - base_start).days)
    base_count = sum(c for d, c in series.items() if base_start <= d < window_start)
    new = not any(c > 0 for d, c in series.items() if d < window_start)

    shape = prior_rate * prior_days + base_count
    rate = prior_days + observed
    expected = shape / rate * window_days
    ratio = count / expected
    p_value = tail_probability(count, shape, rate, window_days)
    if p_value > max_p or ratio < min_ratio:
        return None
    if new:
        reason = f"{count} ý kiến trong {window_days} ngày về một vấn đề mới"
    else:
        times = _ratio_words(ratio)
        reason = f"{count} ý kiến trong {window_days} ngày, gấp {times} lần mức thường"
    return Burst(
        count=count,
        window_days=window_days,
        expected=expected,
        ratio=ratio,
        p_value=p_value,
        score=-math.log10(max(p_value, 1e-300)),
        new=new,
        baseline_count=base_count,
        baseline_days=observed,
        reason=reason,
    )


def detect_many(
    series: Mapping[Hashable, Mapping], today, window_days: int = 3, **options
) -> list[tuple[Hashable, Burst]]:
    """Bursts of many series (per issue or per topic), strongest first."""
    found = []
    for key, counts in series.items():
        burst = detect(counts, today, window_days, **options)
        if burst is not None:
            found.append((key, burst))
    found.sort(key=lambda kb: (-kb[1].score, -kb[1].count, str(kb[0])))
    return found
