"""The forecaster on constructed series: its intervals cover near their level on seasonal
negative binomial series, seasonality lowers the error where there is a season, short and sparse
series work, and ``outside`` marks the current week."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from trends._counts import TrendsError
from trends.forecast import forecast, outside
from trends.tests.simulate import negative_binomial, seasonal_means

SIZE = 4.0


def _oracle_inside(mean: float, actual: int, level: float) -> bool:
    """Is ``actual`` inside the central interval of the true distribution (what a perfect model's
    interval would cover, discreteness included)?"""
    truth = stats.nbinom(SIZE, SIZE / (SIZE + mean))
    tail = (1 - level) / 2
    return truth.ppf(tail) <= actual <= truth.ppf(1 - tail)


def _coverage(base: float, seed: int) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    hits = {"80": 0, "95": 0, "oracle80": 0, "oracle95": 0}
    total = 0
    for _ in range(10):
        means = seasonal_means(110, base, amplitude=0.8, phase=int(rng.integers(0, 52)))
        y = negative_binomial(rng, means, SIZE)
        for origin in range(64, 106, 6):
            predicted = forecast(y[:origin].tolist(), 4)
            for week in predicted.weeks:
                target = origin + week.step - 1
                actual = int(y[target])
                hits["80"] += week.low80 <= actual <= week.high80
                hits["95"] += week.low95 <= actual <= week.high95
                hits["oracle80"] += _oracle_inside(means[target], actual, 0.80)
                hits["oracle95"] += _oracle_inside(means[target], actual, 0.95)
                total += 1
    return {key: value / total for key, value in hits.items()}


@pytest.mark.parametrize(("base", "seed"), [(2.0, 1), (6.0, 2)])
def test_intervals_cover_near_their_level_on_seasonal_negative_binomial_series(base, seed):
    coverage = _coverage(base, seed)
    # At least close to the level, and not much wider than a perfect model's discrete interval.
    assert 0.76 <= coverage["80"] <= coverage["oracle80"] + 0.08, coverage
    assert 0.91 <= coverage["95"] <= min(coverage["oracle95"] + 0.04, 1.0), coverage


def _mae(series: list[np.ndarray], seasonal: bool | None) -> float:
    errors = []
    for y in series:
        for origin in range(60, 100, 4):
            predicted = forecast(y[:origin].tolist(), 4, seasonal=seasonal)
            errors += [abs(y[origin + w.step - 1] - w.mean) for w in predicted.weeks]
    return float(np.mean(errors))


def test_seasonality_lowers_the_error_on_a_seasonal_series_not_on_a_flat_one():
    rng = np.random.default_rng(8)
    seasonal = [negative_binomial(rng, seasonal_means(104, 5.0), 8.0) for _ in range(6)]
    flat = [negative_binomial(rng, np.full(104, 5.0), 8.0) for _ in range(6)]
    # Measured: 3.08 against 3.44 (a perfect model would reach about 2.7 through the noise).
    assert _mae(seasonal, None) < 0.93 * _mae(seasonal, False)
    # On a flat series the automatic weighting costs (almost) nothing against the flat model.
    assert _mae(flat, None) <= 1.03 * _mae(flat, False)


def test_the_seasonal_model_is_used_only_with_a_year_of_history():
    rng = np.random.default_rng(4)
    y = negative_binomial(rng, seasonal_means(104, 6.0), SIZE).tolist()
    assert forecast(y, seasonal=True).seasonal
    assert not forecast(y[:51], seasonal=True).seasonal
    assert not forecast(y, seasonal=False).seasonal


def test_a_known_season_is_anticipated():
    # The rainy season: 2 opinions a week, 12 in weeks 30–39 of each year; history ends at week 28.
    weekly = [12 if 30 <= week % 52 < 40 else 2 for week in range(52 + 29)]
    predicted = forecast(weekly, 4)
    flat = forecast(weekly, 4, seasonal=False)
    assert predicted.seasonal and predicted.seasonal_weight > 0.9
    means = [week.mean for week in predicted.weeks]
    assert means == sorted(means) and means[0] < 4  # week 29: still dry, then the rains come
    assert means[3] > 2.5 * 2 and means[3] > 2 * flat.weeks[3].mean


def test_intervals_are_ordered_and_widen_with_the_horizon():
    rng = np.random.default_rng(6)
    predicted = forecast(rng.poisson(4, 30).tolist(), 6)
    assert [w.step for w in predicted.weeks] == [1, 2, 3, 4, 5, 6]
    for week in predicted.weeks:
        assert week.low95 <= week.low80 <= week.mean <= week.high80 <= week.high95
    width = [w.high95 - w.low95 for w in predicted.weeks]
    assert width == sorted(width)


@pytest.mark.parametrize("history", [[], [0], [3, 1], [0] * 20, [0, 0, 1, 0, 0, 0, 2, 0, 0, 0]])
def test_short_and_sparse_series_forecast(history):
    predicted = forecast(history, 4)
    assert len(predicted.weeks) == 4
    for week in predicted.weeks:
        assert np.isfinite(week.mean) and week.mean >= 0
        assert 0 <= week.low95 <= week.high95 < 20


def test_an_all_zero_history_forecasts_zero():
    week = forecast([0] * 26, 1).weeks[0]
    assert week.mean < 0.05 and (week.low95, week.high95) == (0, 0)


def test_outside_marks_the_current_week():
    predicted = forecast([3, 4, 2, 3, 5, 3, 4, 3, 2, 4, 3, 3], 4)
    low, high = predicted.weeks[0].interval(0.95)
    above = outside(high + 5, predicted)
    assert above.outside and above.direction == "above"
    assert above.reason == (
        f"Tuần này {high + 5} ý kiến, cao hơn khoảng dự báo {low}–{high} (mức 95%)"
    )
    inside = outside(3, predicted)
    assert not inside.outside and inside.direction is None
    low80, high80 = predicted.weeks[0].interval(0.80)
    assert outside(high80 + 1, predicted, level=0.80).outside
    if low80 > 0:
        assert outside(low80 - 1, predicted, level=0.80).direction == "below"


def test_bad_input_is_refused_in_vietnamese():
    with pytest.raises(TrendsError, match="horizon"):
        forecast([1, 2, 3], 0)
    with pytest.raises(TrendsError, match="history"):
        forecast([1, 2.5, 3])
    with pytest.raises(TrendsError, match="level"):
        forecast([1, 2, 3]).weeks[0].interval(0.9)
