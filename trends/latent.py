"""Candidates of latent opinion: worry, grievance or opposition growing on a topic (in an area) that
no issue follows yet. The office confirms or dismisses each (``picture.models.LatentCandidate``).

A series is the weekly count of *concerned* opinions (worried + aggrieved + opposed), oldest first,
ending with the last full week. Its last ``recent`` weeks (4) are the window; the weeks before are
the baseline. A candidate must pass all of:

- **above the baseline**: the window's total is beyond what the baseline predicts for ``recent``
  weeks (the negative binomial predictive of ``trends.rising.volume_predictive``, one-sided
  ``p <= alpha``);
- **a trend**: the score test for a log-linear trend in a Poisson series, conditional on the total
  (the counts spread over the weeks as a multinomial under no trend; the statistic is
  ``Σ t·y_t − N·t̄`` over its standard deviation, the variance scaled by the baseline's index of
  dispersion when above 1), one-sided ``p <= alpha``, over the whole series;
- **still growing**: the window's second half counts at least as many as its first (a burst that
  has died down is not a latent opinion);
- at least ``min_count`` opinions in the window, and no issue covering it.

``alpha`` is 5%, looser than the rising panel's 1%: a candidate is a proposal the office reviews,
not an alert, and missing a latent opinion costs more than dismissing a proposal. The two tests
together keep flat series out: in simulation flat Poisson noise is proposed 0.7–1.9% of the time
(``trends/tests/test_latent.py``), flat negative binomial noise of size 2 up to about 4%.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from trends._counts import TrendsError, as_counts, check_probability, usual_range_vi
from trends.rising import volume_predictive

RECENT_WEEKS = 4
ALPHA = 0.05
MIN_COUNT = 4
NAME_LIMIT = 80


@dataclass(frozen=True)
class LatentSeries:
    """One topic's (or one topic-in-an-area's) weekly concerned counts and whether an issue covers
    it already."""

    topic: str
    weekly: Sequence[int]
    area: str | None = None
    covered: bool = False


@dataclass(frozen=True)
class LatentProposal:
    """A proposed latent opinion: ``count`` concerned opinions in the last ``weeks`` weeks."""

    topic: str
    area: str | None
    count: int
    weeks: int
    expected_low: int
    expected_high: int
    p_value: float
    trend_p_value: float
    reason: str


def latent_candidates(
    series: Iterable[LatentSeries],
    *,
    recent: int = RECENT_WEEKS,
    alpha: float = ALPHA,
    min_count: int = MIN_COUNT,
) -> list[LatentProposal]:
    """The candidates among ``series`` (uncovered, growing), the strongest first."""
    check_probability(alpha, "alpha")
    if recent < 2:
        raise TrendsError("«recent» phải từ 2 tuần trở lên.")
    proposals = []
    for item in series:
        proposal = _assess(item, recent, alpha, min_count)
        if proposal is not None:
            proposals.append(proposal)
    return sorted(proposals, key=lambda p: (p.p_value, p.trend_p_value, p.topic, p.area or ""))


def _assess(item: LatentSeries, recent: int, alpha: float, min_count: int) -> LatentProposal | None:
    y = as_counts(item.weekly, f"weekly[{item.topic}]")
    if item.covered or y.size < recent:
        return None
    baseline, window = y[:-recent], y[-recent:]
    count = int(window.sum())
    half = recent // 2
    if count < min_count or window[-half:].sum() < window[:half].sum():
        return None
    predictive = volume_predictive(baseline.tolist(), weeks=recent, alpha=alpha)
    p_value = predictive.sf_at_least(count)
    trend_p = trend_p_value(y, dispersion=_raw_dispersion(baseline))
    if p_value > alpha or trend_p > alpha:
        return None
    low, high = predictive.quantile(alpha), predictive.quantile(1 - alpha)
    return LatentProposal(
        topic=item.topic, area=item.area, count=count, weeks=recent, expected_low=low,
        expected_high=high, p_value=p_value, trend_p_value=trend_p,
        reason=_reason(item, window, low, high),
    )


def trend_p_value(weekly: Sequence[int] | np.ndarray, *, dispersion: float = 1.0) -> float:
    """One-sided p-value of the score test for an increasing log-linear trend in a count series,
    conditional on its total (normal approximation; 1.0 for fewer than 3 weeks or no counts)."""
    y = np.asarray(weekly, dtype=float)
    total = y.sum()
    if y.size < 3 or total <= 0:
        return 1.0
    t = np.arange(y.size, dtype=float)
    score = float(np.dot(t, y) - total * t.mean())
    variance = total * t.var() * max(dispersion, 1.0)
    return float(stats.norm.sf(score / math.sqrt(variance)))


def _raw_dispersion(baseline: np.ndarray) -> float:
    if baseline.size < 2 or baseline.mean() <= 0:
        return 1.0
    return max(1.0, float(baseline.var(ddof=1) / baseline.mean()))


def _reason(item: LatentSeries, window: np.ndarray, low: int, high: int) -> str:
    where = f"«{_short(item.topic)}»"
    if item.area:
        where += f" ở {_short(item.area)}"
    weeks = ", ".join(str(int(v)) for v in window)
    return (
        f"Lo lắng, bức xúc, phản đối về {where} tăng: {int(window.sum())} ý kiến trong "
        f"{window.size} tuần gần đây ({weeks}), {usual_range_vi(low, high)}; "
        "chưa có vụ việc nào theo dõi"
    )


def _short(name: str) -> str:
    return name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1] + "…"
