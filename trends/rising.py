"""What is rising beyond what was expected: a count (volume) test and a share test, for the
picture's "Rising" panel (topics, issues, areas).

**Volume.** The baseline weeks (oldest first, e.g. the 8–12 full weeks before the current one) give
a predictive distribution for the current window's count:

- The weekly mean is the posterior mean of a gamma-Poisson model with a small prior
  (``PRIOR_COUNT`` opinions over ``PRIOR_WEEKS`` pseudo-week), so a baseline of zeros still has a
  predictive distribution (a count of 3 after weeks of silence is then notable, 1 is not).
- The weekly variance is the method-of-moments one: the mean times the index of dispersion
  ``D = s² / x̄`` of the baseline when ``D > 1`` (a negative binomial), else the mean (Poisson).
  An estimated ``D`` is widened as a Student t widens a normal (``_dispersion_index``).
- The uncertainty of the mean itself (``variance / (n + PRIOR_WEEKS)``) is added, and a negative
  binomial is matched to the predictive mean and variance. With ``D <= 1`` this is exactly the
  gamma-Poisson posterior predictive (a negative binomial of size ``a0 + Σx``).

The current count is flagged **rising** when its one-sided tail probability ``P(X >= count)`` is
at most ``ALPHA`` (1%) **and** the count is at least ``MIN_COUNT`` (3). ``expected_low`` and
``expected_high`` are the 1% and 99% quantiles, so a count above ``expected_high`` is exactly a
count with ``p <= 1%``: the reason shown ("12 ý kiến trong 7 ngày; bình thường 2–4") never
contradicts the flag. Why 1% one-sided: the panel tests every topic, issue and area of the ward
each week (easily 50 series); at 5% a leader would see two or three false alarms every week and
stop reading the panel, at 1% about one every two weeks. Measured over many simulated baselines
(``trends/tests/test_rising.py``): Poisson noise is flagged at most about 1% of the time (less for
small means, the counts being discrete); strongly overdispersed noise (negative binomial of size
1–2, estimated from 8–12 weeks) at 1.5–3%. The minimum count keeps a topic that goes from 0 to 1
or 2 opinions off the panel whatever its p-value.

**Share.** The share of aggrieved/opposed opinions in the current window against the baseline: a
beta-binomial predictive for the concerned count out of the current total, with the baseline's
pooled share (a small Beta prior, ``prior_share`` over ``PRIOR_SHARE_WEIGHT`` opinions) and its
concentration capped by the week-to-week overdispersion of the baseline shares (method of moments
for the intra-class correlation ρ: a beta-binomial of concentration ``(1 - ρ) / ρ``). Flagged when
``P(K >= k) <= ALPHA``, ``k >= MIN_COUNT`` and the current total is at least ``MIN_SHARE_TOTAL``.

Everything is a pure function of lists of ints; ``rank_rising`` tests many series at once and sorts
the signals by strength (``-log10 p``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import special, stats

from trends._counts import (
    NegBinom,
    TrendsError,
    as_count,
    as_counts,
    check_probability,
    percent_vi,
    usual_range_vi,
)

ALPHA = 0.01
MIN_COUNT = 3
MIN_SHARE_TOTAL = 5
# The gamma prior on the weekly rate: half an opinion seen over one pseudo-week.
PRIOR_COUNT = 0.5
PRIOR_WEEKS = 1.0
# The Beta prior on the concerned share: ``prior_share`` seen over two pseudo-opinions.
PRIOR_SHARE_WEIGHT = 2.0
# The most an estimated dispersion is widened by (for two or three baseline weeks).
MAX_WIDENING = 4.0
WINDOW_LABEL = "7 ngày"
CONCERNED_LABEL = "bức xúc, phản đối"

Measure = Literal["volume", "share"]


@dataclass(frozen=True)
class RisingSignal:
    """The verdict on one series' current window (volume or share)."""

    name: str
    measure: Measure
    count: int
    expected_low: int
    expected_high: int
    p_value: float
    rising: bool
    reason: str
    # The share test only: the current window's total and the baseline's (posterior) share.
    total: int | None = None
    baseline_share: float | None = None

    @property
    def strength(self) -> float:
        """-log10 of the p-value: 2 at the 1% level, larger is stronger."""
        return -math.log10(max(self.p_value, 1e-300))


def volume_predictive(
    history: Sequence[int], *, weeks: int = 1, alpha: float = ALPHA
) -> NegBinom:
    """The predictive distribution of the count in the next ``weeks`` weeks, given the baseline
    (``alpha``: the tail the distribution will be read at, see ``_dispersion_index``)."""
    baseline = as_counts(history, "history")
    if weeks < 1:
        raise TrendsError("«weeks» phải là số tuần dương.")
    n = baseline.size
    mean = (PRIOR_COUNT + baseline.sum()) / (PRIOR_WEEKS + n)
    dispersion = _dispersion_index(baseline, alpha)
    weekly_variance = mean * dispersion
    # w weeks of independent noise around the mean, plus the uncertainty of the mean (shared by
    # all w weeks, hence w squared).
    variance = weeks * weekly_variance + weeks**2 * weekly_variance / (n + PRIOR_WEEKS)
    return NegBinom(mean=weeks * mean, variance=variance)


def _dispersion_index(baseline: np.ndarray, alpha: float) -> float:
    """s² / x̄ of the baseline when above 1 (overdispersed), else 1 (Poisson), widened for the
    few weeks it was estimated from.

    An overdispersed variance estimated from a handful of weeks is too small more often than not
    (the sample variance of a skewed count is), which let ordinary weeks through at three to four
    times the nominal rate in simulation. As a Student t does for a normal sample, the variance is
    widened so that its upper ``alpha`` quantile moves as far as t with n - 1 degrees of freedom
    moves beyond the normal: by (t_{n-1, 1-α} / z_{1-α})², at most ``MAX_WIDENING``.
    """
    if baseline.size < 2 or baseline.mean() <= 0:
        return 1.0
    index = float(baseline.var(ddof=1) / baseline.mean())
    if index <= 1.0:
        return 1.0
    return index * _widening(baseline.size - 1, alpha)


@functools.lru_cache(maxsize=256)
def _widening(degrees: int, alpha: float) -> float:
    ratio = stats.t.ppf(1 - alpha, degrees) / stats.norm.ppf(1 - alpha)
    return float(min(ratio**2, MAX_WIDENING))


def volume_signal(
    history: Sequence[int],
    current: int,
    *,
    name: str = "",
    alpha: float = ALPHA,
    min_count: int = MIN_COUNT,
    window_label: str = WINDOW_LABEL,
) -> RisingSignal:
    """Is ``current`` (the count of the current window) above what the baseline weeks predict?"""
    check_probability(alpha, "alpha")
    count = as_count(current, "current")
    predictive = volume_predictive(history, alpha=alpha)
    low, high = predictive.quantile(alpha), predictive.quantile(1 - alpha)
    p_value = predictive.sf_at_least(count)
    rising = p_value <= alpha and count >= min_count
    reason = f"{count} ý kiến trong {window_label}; {usual_range_vi(low, high)}"
    return RisingSignal(
        name=name, measure="volume", count=count, expected_low=low, expected_high=high,
        p_value=p_value, rising=rising, reason=reason,
    )


def share_signal(
    total_history: Sequence[int],
    concerned_history: Sequence[int],
    total: int,
    concerned: int,
    *,
    name: str = "",
    alpha: float = ALPHA,
    min_count: int = MIN_COUNT,
    min_total: int = MIN_SHARE_TOTAL,
    prior_share: float = 0.2,
    window_label: str = WINDOW_LABEL,
    concerned_label: str = CONCERNED_LABEL,
) -> RisingSignal:
    """Has the share of concerned opinions in the current window risen beyond the baseline's?

    ``prior_share`` is the share assumed before any baseline is seen (the ward's overall share is
    a good one to pass); it weighs as ``PRIOR_SHARE_WEIGHT`` opinions.
    """
    check_probability(alpha, "alpha")
    check_probability(prior_share, "prior_share")
    totals = as_counts(total_history, "history")
    concerned_weeks = as_counts(concerned_history, "concerned_history")
    n, k = as_count(total, "current"), as_count(concerned, "concerned_current")
    if totals.size != concerned_weeks.size:
        raise TrendsError("«concerned_history» phải dài bằng «history» (mỗi tuần một số).")
    if np.any(concerned_weeks > totals) or k > n:
        raise TrendsError("Số ý kiến bức xúc, phản đối không thể lớn hơn tổng số ý kiến của tuần.")
    a, b = _share_beta(totals, concerned_weeks, prior_share)
    baseline_share = a / (a + b)
    pmf = _betabinom_pmf(n, a, b)
    cdf = np.cumsum(pmf)
    low = int(np.searchsorted(cdf, alpha - 1e-12))
    high = min(int(np.searchsorted(cdf, 1 - alpha - 1e-12)), n)
    # The upper tail summed from its own end keeps tiny p-values exact.
    p_value = float(min(pmf[k:].sum(), 1.0)) if k > 0 else 1.0
    rising = (
        p_value <= alpha and k >= min_count and n >= min_total and k / n > baseline_share
    )
    reason = (
        f"{k}/{n} ý kiến {concerned_label} trong {window_label}; "
        f"bình thường khoảng {percent_vi(baseline_share)}"
    )
    return RisingSignal(
        name=name, measure="share", count=k, expected_low=low, expected_high=high,
        p_value=p_value, rising=rising, reason=reason, total=n, baseline_share=baseline_share,
    )


def _betabinom_pmf(n: int, a: float, b: float) -> np.ndarray:
    """P(K = k) for k = 0..n under the beta-binomial (n, a, b), in closed form (scipy's frozen
    distribution costs milliseconds a call)."""
    k = np.arange(n + 1, dtype=float)
    log_pmf = (
        special.gammaln(n + 1) - special.gammaln(k + 1) - special.gammaln(n - k + 1)
        + special.betaln(k + a, n - k + b) - special.betaln(a, b)
    )
    return np.exp(log_pmf)


def _share_beta(
    totals: np.ndarray, concerned: np.ndarray, prior_share: float
) -> tuple[float, float]:
    """The Beta(a, b) of the current window's share: the posterior of the pooled baseline share,
    its concentration capped by the overdispersion of the weekly shares."""
    a = prior_share * PRIOR_SHARE_WEIGHT + concerned.sum()
    b = (1 - prior_share) * PRIOR_SHARE_WEIGHT + (totals.sum() - concerned.sum())
    rho = _intraclass_correlation(totals, concerned)
    if rho > 0:
        concentration = min(a + b, (1 - rho) / rho)
        share = a / (a + b)
        a, b = share * concentration, (1 - share) * concentration
    return a, b


def _intraclass_correlation(totals: np.ndarray, concerned: np.ndarray) -> float:
    """Method-of-moments ρ of a beta-binomial: Var(k_i) = n_i π(1-π)(1 + (n_i - 1)ρ)."""
    weeks = totals > 0
    n_i, k_i = totals[weeks], concerned[weeks]
    if n_i.size < 2 or n_i.sum() <= 0:
        return 0.0
    share = k_i.sum() / n_i.sum()
    if share <= 0 or share >= 1:
        return 0.0
    # (W - 1) / W corrects the squares for the share estimated from the same weeks.
    squares = np.sum((k_i - n_i * share) ** 2) * n_i.size / (n_i.size - 1)
    binomial = share * (1 - share)
    pairs = binomial * np.sum(n_i * (n_i - 1))
    if pairs <= 0:
        return 0.0
    rho = (squares - binomial * n_i.sum()) / pairs
    return float(min(max(rho, 0.0), 0.99))


@dataclass(frozen=True)
class SeriesInput:
    """One series to rank: the baseline weeks and the current window, and optionally the concerned
    (aggrieved/opposed) counts of the same weeks and window for the share test."""

    history: Sequence[int]
    current: int
    concerned_history: Sequence[int] | None = None
    concerned_current: int | None = None


def rank_rising(
    series: Mapping[str, SeriesInput | tuple],
    *,
    alpha: float = ALPHA,
    min_count: int = MIN_COUNT,
    min_total: int = MIN_SHARE_TOTAL,
    prior_share: float = 0.2,
    window_label: str = WINDOW_LABEL,
    concerned_label: str = CONCERNED_LABEL,
    only_rising: bool = True,
) -> list[RisingSignal]:
    """Test every series (``name -> (history, current[, concerned_history, concerned_current])``)
    and return the signals, strongest first (only the rising ones unless ``only_rising=False``).

    A series gives a volume signal, and a share signal too when its concerned counts are given.
    """
    signals: list[RisingSignal] = []
    for name, raw in series.items():
        item = raw if isinstance(raw, SeriesInput) else _as_series_input(name, raw)
        # A window under ``min_count`` is never rising whatever its baseline: when only the
        # rising are asked for, its test is skipped (a city's thousands of quiet issues and
        # areas would otherwise cost most of the time).
        if not only_rising or as_count(item.current, "current") >= min_count:
            signals.append(
                volume_signal(
                    item.history, item.current, name=name, alpha=alpha, min_count=min_count,
                    window_label=window_label,
                )
            )
        if item.concerned_history is not None and item.concerned_current is not None and (
            not only_rising
            or (
                as_count(item.concerned_current, "concerned_current") >= min_count
                and as_count(item.current, "current") >= min_total
            )
        ):
            signals.append(
                share_signal(
                    item.history, item.concerned_history, item.current, item.concerned_current,
                    name=name, alpha=alpha, min_count=min_count, min_total=min_total,
                    prior_share=prior_share, window_label=window_label,
                    concerned_label=concerned_label,
                )
            )
    if only_rising:
        signals = [signal for signal in signals if signal.rising]
    return sorted(signals, key=_strength_order)


def _strength_order(signal: RisingSignal) -> tuple:
    # Strongest first; among equal p-values the larger excess over the usual range, then the name.
    excess = signal.count - signal.expected_high
    return (signal.p_value, -excess, signal.name, signal.measure)


def _as_series_input(name: str, raw: tuple) -> SeriesInput:
    if len(raw) == 2:
        return SeriesInput(history=raw[0], current=raw[1])
    if len(raw) == 4:
        return SeriesInput(*raw)
    raise TrendsError(
        f"Chuỗi «{name}»: cần (các tuần trước, tuần này) hoặc thêm "
        "(số bức xúc, phản đối các tuần trước, số bức xúc, phản đối tuần này)."
    )
