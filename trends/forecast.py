"""The next weeks' counts of a series with prediction intervals, for the picture's "Dự báo" panel.

**Method.** The gamma-Poisson local level model of Harvey and Fernandes (A. C. Harvey and
C. Fernandes, "Time series models for count or qualitative observations", *Journal of Business &
Economic Statistics* 7(4), 1989, 407–417), the count-data counterpart of simple exponential
smoothing. The weekly rate λ_t has a gamma distribution Gamma(a, b) that is discounted each week by
a factor ω (``a ← ω a``, ``b ← ω b``: old weeks weigh less, so the level can drift) and updated by
the week's count (``a ← a + y``, ``b ← b + s``). The predictive distribution of a week is then a
negative binomial with size ``a`` and probability ``b / (b + s)``; its mean is an exponentially
weighted mean of the past counts. Zeros, short series and sparse series need nothing special: a
weak prior (one pseudo-week at the mean of the first weeks) starts the filter.

- ω is chosen by maximising the one-step-ahead predictive log-likelihood (after a burn-in of
  ``BURN_IN`` weeks), as Harvey and Fernandes do.
- **Seasonality**, when at least ``SEASON`` (52) weeks of history exist: each week's exposure ``s``
  is a seasonal index from the same weeks of the other years (a window of ± ``SEASON_HALF_WINDOW``
  weeks around t ± 52, t ± 104, …, triangular weights; a forecast week has only the earlier
  years), the ratio of what those weeks counted to what the overall mean predicts, shrunk toward 1
  by a gamma prior of ``SEASON_PRIOR`` counts (a sparse topic gets an index near 1, a busy one its
  own profile). It is the classical ratio-to-mean seasonal index, used as the exposure
  ("explanatory variable") of the same model. The seasonal and the flat model are then mixed with
  weights from their one-step log-likelihoods on the weeks that have an index (Bayesian model
  averaging with equal prior odds): a strong season takes over, a series with no real season stays
  flat, an unclear one is hedged.
- Week-to-week noise beyond Poisson (bursts of opinions about one event) has its own dispersion
  φ (a quasi-Poisson scaling: a week's count weighs ``y / φ`` in the update, and the predictive
  variance is ``mean · (φ + s / b)``, a negative binomial matched to it). Without it the model
  can only explain overdispersion by a jumpy level (a small ω) and forecasts badly. (ω, φ) are
  chosen together on a grid by the one-step log-likelihood.
- Multi-step forecasts discount ``h`` times (``a ω^h``, ``b ω^h``): the same mean, a wider
  negative binomial.
- Intervals are the central 80% and 95% ranges of the predictive distribution. Counts are
  discrete, so the intervals hold at least their level where the model is right; their measured
  coverage is in ``trends/tests/test_forecast.py`` and, on the demo ward, ``docs/PERFORMANCE.md``.

``outside(current, forecast)`` marks a current week that falls outside the first forecast week's
interval, with a one-line Vietnamese reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import signal, special

from trends._counts import NegBinom, TrendsError, as_count, as_counts

SEASON = 52
SEASON_HALF_WINDOW = 3
SEASON_PRIOR = 5.0
BURN_IN = 4
OMEGAS = np.array([0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 1.0])
DISPERSIONS = np.array([1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 6.0, 9.0])
LEVELS = (0.80, 0.95)


@dataclass(frozen=True)
class ForecastWeek:
    """One forecast week: ``step`` weeks after the last week of the history (1 = the next)."""

    step: int
    mean: float
    low80: int
    high80: int
    low95: int
    high95: int

    def interval(self, level: float = 0.95) -> tuple[int, int]:
        if level == 0.80:
            return self.low80, self.high80
        if level == 0.95:
            return self.low95, self.high95
        raise TrendsError("«level» phải là 0.80 hoặc 0.95.")


@dataclass(frozen=True)
class Forecast:
    """The forecast of the next weeks and how it was made."""

    weeks: tuple[ForecastWeek, ...]
    # The seasonal model weighs more than the flat one (its weight: 0 below 52 weeks of history).
    seasonal: bool
    seasonal_weight: float
    # The discount factor and the dispersion of the heavier model.
    omega: float
    dispersion: float
    history_weeks: int
    method: str = "gamma-Poisson local level (Harvey–Fernandes 1989)"


@dataclass(frozen=True)
class OutsideMark:
    """Whether the current week's count fell outside its forecast interval."""

    current: int
    low: int
    high: int
    level: float
    outside: bool
    direction: Literal["above", "below"] | None
    reason: str


def forecast(
    history: Sequence[int], horizon: int = 4, *, seasonal: bool | None = None
) -> Forecast:
    """Forecast the ``horizon`` weeks after ``history`` (weekly counts, oldest first).

    ``seasonal=None`` mixes the seasonal and the flat model by how well each forecast the history
    one week ahead (when there are at least 52 weeks); ``True`` or ``False`` forces one of them
    (``True`` still needs 52 weeks).
    """
    y = as_counts(history, "history")
    if not 1 <= horizon <= SEASON:
        raise TrendsError(f"«horizon» phải từ 1 đến {SEASON} tuần.")
    n = y.size
    flat = _fit(y, np.ones(n + horizon))
    models, weights = [flat], [1.0]
    if n >= SEASON and seasonal is not False:
        exposure, informed = seasonal_exposure(y, n + horizon)
        fitted = _fit(y, exposure)
        # Weighed on the weeks that have a seasonal index, the same weeks for both models.
        mask = informed[:n]
        gain = float(fitted.logpmf[mask].sum() - flat.logpmf[mask].sum())
        weight = 1.0 if seasonal else float(special.expit(gain))
        models, weights = [flat, fitted], [1.0 - weight, weight]
    main = models[int(np.argmax(weights))]
    return Forecast(
        weeks=tuple(_forecast_week(models, weights, n, step) for step in range(1, horizon + 1)),
        seasonal=main is not flat,
        seasonal_weight=weights[-1] if len(models) == 2 else 0.0,
        omega=main.omega,
        dispersion=main.dispersion,
        history_weeks=n,
    )


def outside(current: int, predicted: Forecast, *, level: float = 0.95) -> OutsideMark:
    """Does ``current`` (the count of the week right after the history) fall outside the first
    forecast week's interval?"""
    count = as_count(current, "current")
    low, high = predicted.weeks[0].interval(level)
    percent = round(level * 100)
    if count > high:
        direction, word = "above", "cao hơn"
    elif count < low:
        direction, word = "below", "thấp hơn"
    else:
        direction, word = None, "nằm trong"
    reason = f"Tuần này {count} ý kiến, {word} khoảng dự báo {low}–{high} (mức {percent}%)"
    return OutsideMark(
        current=count, low=low, high=high, level=level, outside=direction is not None,
        direction=direction, reason=reason,
    )


@dataclass(frozen=True)
class _Fitted:
    omega: float
    dispersion: float
    a: float
    b: float
    exposure: np.ndarray
    loglik: float
    logpmf: np.ndarray


def _fit(y: np.ndarray, exposure: np.ndarray) -> _Fitted:
    """Run the filter for every (ω, φ) of the grids; keep the best by one-step log-likelihood.

    With dispersion φ a week's count weighs as ``y / φ`` opinions' worth of evidence (the
    quasi-likelihood scaling), and the predictive variance is ``mean · (φ + s / b)``: the
    week's own noise plus the uncertainty of the level. The filter is linear in the counts, so
    it runs once per ω and is rescaled for every φ.
    """
    n = y.size
    s = exposure[:n]
    a0, b0 = _prior(y)
    phis = DISPERSIONS[:, None]
    best: _Fitted | None = None
    for omega in OMEGAS:
        a_pred, b_pred, a_last, b_last = _filter(y, s, omega, a0, b0, phis)
        mean = a_pred / b_pred * s
        variance = mean * (phis + s / b_pred)
        logpmf = _nb_logpmf(y, mean, variance)
        totals = logpmf[:, BURN_IN:].sum(axis=1) if n > BURN_IN else np.zeros(len(DISPERSIONS))
        index = int(np.argmax(totals))
        if best is None or totals[index] > best.loglik + 1e-9:
            best = _Fitted(
                omega=float(omega), dispersion=float(DISPERSIONS[index]),
                a=float(a_last[index]), b=float(b_last[index]), exposure=exposure,
                loglik=float(totals[index]), logpmf=_after_burn_in(logpmf[index]),
            )
    assert best is not None
    return best


def _after_burn_in(logpmf: np.ndarray) -> np.ndarray:
    """The one-step log-probabilities with the burn-in weeks zeroed (they count for no model)."""
    kept = logpmf.copy()
    kept[:BURN_IN] = 0.0
    return kept


def _prior(y: np.ndarray) -> tuple[float, float]:
    """One pseudo-week at the mean of the first weeks (0.1 opinions when they are all zero)."""
    first = y[: min(y.size, 8)]
    return (float(first.mean()) if first.size else 0.0) + 0.1, 1.0


def _filter(
    y: np.ndarray, s: np.ndarray, omega: float, a0: float, b0: float, phis: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The predictive (a, b) of each week (rows: the φ values) and the final posterior (a, b).

    a_t = ω a_{t-1} + y_t / φ is a first-order recursive filter, run by ``lfilter`` on the counts
    alone; the prior's share decays as ω^(t+1).
    """
    if y.size == 0:
        empty = np.empty((len(phis), 0))
        return empty, empty, np.full(len(phis), a0), np.full(len(phis), b0)
    decay = omega ** np.arange(1, y.size + 1)
    counts = signal.lfilter([1.0], [1.0, -omega], y)
    exposures = signal.lfilter([1.0], [1.0, -omega], s)
    a_post = counts[None, :] / phis + a0 * decay[None, :]
    b_post = exposures[None, :] / phis + b0 * decay[None, :]
    a_pred = omega * np.concatenate((np.full((len(phis), 1), a0), a_post[:, :-1]), axis=1)
    b_pred = omega * np.concatenate((np.full((len(phis), 1), b0), b_post[:, :-1]), axis=1)
    return a_pred, b_pred, a_post[:, -1], b_post[:, -1]


def _nb_logpmf(y: np.ndarray, mean: np.ndarray, variance: np.ndarray) -> np.ndarray:
    """Log-probability of ``y`` under the negative binomial of this mean and variance."""
    excess = np.maximum(variance - mean, 1e-12)
    size = mean**2 / excess
    prob = mean / np.maximum(variance, 1e-300)
    return (
        special.gammaln(y + size) - special.gammaln(size) - special.gammaln(y + 1)
        + size * np.log(prob) + y * np.log1p(-prob)
    )


def _forecast_week(
    models: list[_Fitted], weights: list[float], n: int, step: int
) -> ForecastWeek:
    """The week's predictive: each model's negative binomial, mixed by the models' weights."""
    means, cdfs = [], []
    for fitted in models:
        shrink = fitted.omega**step
        a, b = fitted.a * shrink, fitted.b * shrink
        s = float(fitted.exposure[n + step - 1])
        mean = a / b * s
        means.append(mean)
        cdfs.append(NegBinom(mean=mean, variance=mean * (fitted.dispersion + s / b)))
    bound = max(d.quantile(0.999) for d in cdfs) + 1
    counts = np.arange(bound + 1)
    cdf = sum(w * d.cdf(counts) for w, d in zip(weights, cdfs, strict=True))

    def quantile(q: float) -> int:
        return int(min(np.searchsorted(cdf, q - 1e-12), bound))

    return ForecastWeek(
        step=step,
        mean=float(np.dot(weights, means)),
        low80=quantile(0.10),
        high80=quantile(0.90),
        low95=quantile(0.025),
        high95=quantile(0.975),
    )


def seasonal_exposure(y: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """The seasonal index of weeks 0..length-1 from the same weeks (± ``SEASON_HALF_WINDOW``) of
    the *other* years in ``y``, shrunk toward 1 by ``SEASON_PRIOR`` counts (1 where no other year
    exists), and which weeks have an index from another year.

    A week of the history takes its index from the years before and after it, never from itself
    (the in-sample fit and its likelihood stay honest); a forecast week has only earlier years.
    """
    n = y.size
    mean = float(y.mean()) if n else 0.0
    exposure = np.ones(length)
    informed = np.zeros(length, dtype=bool)
    if mean <= 0:
        return exposure, informed
    offsets = np.arange(-SEASON_HALF_WINDOW, SEASON_HALF_WINDOW + 1)
    # A triangular window: the same week weighs most, so a sharp season is not smeared.
    kernel = 1.0 - np.abs(offsets) / (SEASON_HALF_WINDOW + 1)
    years = max(length, n) // SEASON + 2
    shifts = SEASON * np.concatenate((np.arange(-years, 0), np.arange(1, years + 1)))
    for t in range(length):
        weeks = (t + shifts[:, None] + offsets[None, :]).ravel()
        weights = np.broadcast_to(kernel, (shifts.size, offsets.size)).ravel()
        inside = (weeks >= 0) & (weeks < n)
        if inside.any():
            seen = float(np.dot(weights[inside], y[weeks[inside]]))
            expected = float(weights[inside].sum()) * mean
            exposure[t] = (SEASON_PRIOR + seen) / (SEASON_PRIOR + expected)
            informed[t] = True
    return exposure, informed
