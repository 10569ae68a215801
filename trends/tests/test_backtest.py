"""The rolling-origin backtest gives sane numbers: exact counts of origins and forecasts, errors
near what the noise allows, a scale-free error below the naive benchmark's, plausible coverage."""

from __future__ import annotations

import numpy as np
import pytest

from trends._counts import TrendsError
from trends.backtest import backtest, backtest_many
from trends.tests.simulate import negative_binomial, seasonal_means


def test_counts_of_origins_and_forecasts_are_exact():
    result = backtest([2] * 40, horizon=4, min_train=30)
    # Origins 30..39; the last three cannot forecast all four weeks: 7·4 + 3 + 2 + 1.
    assert result.origins == 10
    assert result.forecasts == 7 * 4 + 3 + 2 + 1
    assert len(result.mae_by_step) == 4
    # A constant series: no error, the benchmark is perfect too and there is no scale.
    assert result.mae < 0.01 and result.benchmark_mae == 0
    assert result.mase is None and result.relative_mae is None
    assert result.coverage80 == result.coverage95 == 1.0


def test_errors_on_poisson_noise_are_near_what_the_noise_allows():
    rng = np.random.default_rng(12)
    y = rng.poisson(4, 80).tolist()
    result = backtest(y, min_train=26, step=2)
    # The best possible forecast (the true mean 4) has E|Y - 4| ≈ 1.56 on Poisson(4).
    assert 1.4 <= result.mae <= 1.9
    # The naive forecast (last week) has E|Y1 - Y2| ≈ 2.2: the model beats it.
    assert result.relative_mae < 0.9
    assert 0.5 < result.mase < 0.9
    assert result.benchmark == "naive (lag 1)"
    assert 0.75 <= result.coverage80 <= 0.95
    assert 0.9 <= result.coverage95 <= 1.0
    assert result.seasonal_share == 0.0  # never a year of history


def test_a_seasonal_series_uses_the_seasonal_benchmark_with_enough_history():
    rng = np.random.default_rng(13)
    series = {
        str(i): negative_binomial(rng, seasonal_means(130, 6.0, phase=9 * i), 8.0).tolist()
        for i in range(4)
    }
    result, _ = backtest_many(series, min_train=66, step=3)
    assert result.benchmark == "seasonal naive (lag 52)"
    # Measured: MASE 0.83, MAE 0.85 of last year's same week's.
    assert result.mase is not None and result.mase < 0.95
    assert result.relative_mae < 0.95
    assert result.seasonal_share > 0.5
    assert 0.75 <= result.coverage80 <= 0.95 and 0.9 <= result.coverage95 <= 1.0


def test_backtest_many_pools_the_series():
    rng = np.random.default_rng(14)
    series = {
        "Ngập úng": negative_binomial(rng, seasonal_means(70, 3.0), 4.0).tolist(),
        "Học phí": rng.poisson(1.0, 70).tolist(),
        "Trật tự": [0] * 60 + [1] * 10,
    }
    overall, each = backtest_many(series, min_train=40, step=2)
    assert set(each) == set(series)
    assert overall.forecasts == sum(result.forecasts for result in each.values())
    pooled_mae = sum(r.mae * r.forecasts for r in each.values()) / overall.forecasts
    assert overall.mae == pytest.approx(pooled_mae)
    mases = [r.mase for r in each.values() if r.mase is not None]
    assert overall.mase == pytest.approx(float(np.mean(mases)))


def test_too_short_a_series_is_refused_in_vietnamese():
    with pytest.raises(TrendsError, match="min_train"):
        backtest([1, 2, 3], min_train=26)
    with pytest.raises(TrendsError, match="ít nhất một chuỗi"):
        backtest_many({})
