"""Rolling-origin backtest of the forecaster (``trends.forecast``) on weekly count series.

At every origin ``o`` from ``min_train`` on (every ``step`` weeks), the forecaster sees weeks
``0..o-1`` only and forecasts weeks ``o..o+horizon-1``; each forecast is compared with what came
(Hyndman and Athanasopoulos, *Forecasting: Principles and Practice*, 3rd ed., §5.10, "time series
cross-validation"). Reported:

- ``mae``: the mean absolute error of the forecast means, over every (origin, step), and per step;
- ``mase``: the mean absolute scaled error (Hyndman and Koehler, "Another look at measures of
  forecast accuracy", *International Journal of Forecasting* 22, 2006): each error divided by the
  in-sample MAE of the benchmark's one-season-ahead forecasts on that origin's training weeks
  (the seasonal naive, lag 52, when every origin has at least ``SEASON + 13`` weeks; else the
  naive, lag 1). Below 1 the forecaster beats the benchmark's in-sample error. Origins whose
  training weeks are all alike (scale 0) are left out of it;
- ``benchmark_mae`` and ``relative_mae``: the same benchmark forecasting the same targets out of
  sample (the seasonal naive takes the count 52 weeks before the target when that week is in the
  training, else the last week), and the ratio of the two MAEs;
- ``coverage80`` and ``coverage95``: the share of targets inside the 80% and 95% intervals.

Plain functions of lists of ints; ``backtest_many`` pools several series (a topic each).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from trends._counts import TrendsError, as_counts
from trends.forecast import SEASON, forecast

MIN_SEASONAL_DIFFERENCES = 13


@dataclass(frozen=True)
class BacktestResult:
    """The errors of the forecaster over one series (or several pooled, see ``backtest_many``)."""

    origins: int
    forecasts: int
    horizon: int
    mae: float
    mae_by_step: tuple[float, ...]
    mase: float | None
    benchmark: str
    benchmark_mae: float
    relative_mae: float | None
    coverage80: float
    coverage95: float
    seasonal_share: float


@dataclass(frozen=True)
class _Rows:
    """One row per (origin, step): the target and what each method said about it."""

    step: np.ndarray
    actual: np.ndarray
    mean: np.ndarray
    benchmark: np.ndarray
    scale: np.ndarray
    inside80: np.ndarray
    inside95: np.ndarray
    seasonal: np.ndarray


def backtest(
    series: Sequence[int],
    *,
    horizon: int = 4,
    min_train: int = 26,
    step: int = 1,
) -> BacktestResult:
    """Rolling-origin backtest of ``trends.forecast.forecast`` on one weekly series."""
    y = as_counts(series, "series")
    _check(y.size, horizon, min_train, step)
    seasonal_benchmark = min_train >= SEASON + MIN_SEASONAL_DIFFERENCES
    rows = _rows(y, horizon, min_train, step, seasonal_benchmark)
    return _summarise(rows, horizon, seasonal_benchmark)


def backtest_many(
    series: Mapping[str, Sequence[int]],
    *,
    horizon: int = 4,
    min_train: int = 26,
    step: int = 1,
) -> tuple[BacktestResult, dict[str, BacktestResult]]:
    """Backtest every series; the pooled result (every forecast of every series counted once;
    ``mase`` is the mean of the series' MASEs, as Hyndman and Koehler average it) and each's own."""
    if not series:
        raise TrendsError("Cần ít nhất một chuỗi để kiểm định.")
    seasonal_benchmark = min_train >= SEASON + MIN_SEASONAL_DIFFERENCES
    each: dict[str, BacktestResult] = {}
    pooled: list[_Rows] = []
    for name, values in series.items():
        y = as_counts(values, f"series[{name}]")
        _check(y.size, horizon, min_train, step)
        rows = _rows(y, horizon, min_train, step, seasonal_benchmark)
        pooled.append(rows)
        each[name] = _summarise(rows, horizon, seasonal_benchmark)
    fields = _Rows.__annotations__
    merged = _Rows(**{f: np.concatenate([getattr(rows, f) for rows in pooled]) for f in fields})
    overall = _summarise(merged, horizon, seasonal_benchmark)
    mases = [result.mase for result in each.values() if result.mase is not None]
    overall = replace(overall, mase=float(np.mean(mases)) if mases else None)
    return overall, each


def _check(length: int, horizon: int, min_train: int, step: int) -> None:
    if horizon < 1 or step < 1 or min_train < 1:
        raise TrendsError("«horizon», «step» và «min_train» phải là số dương.")
    if length < min_train + 1:
        raise TrendsError(
            f"Chuỗi chỉ có {length} tuần, cần hơn {min_train} tuần (min_train) để kiểm định."
        )


def _rows(
    y: np.ndarray, horizon: int, min_train: int, step: int, seasonal_benchmark: bool
) -> _Rows:
    columns: dict[str, list] = {name: [] for name in _Rows.__annotations__}
    for origin in range(min_train, y.size, step):
        train = y[:origin]
        predicted = forecast(train.tolist(), horizon)
        scale = _benchmark_scale(train, seasonal_benchmark)
        for week in predicted.weeks:
            target = origin + week.step - 1
            if target >= y.size:
                break
            actual = y[target]
            columns["step"].append(week.step)
            columns["actual"].append(actual)
            columns["mean"].append(week.mean)
            columns["benchmark"].append(_benchmark_forecast(train, target, seasonal_benchmark))
            columns["scale"].append(scale)
            columns["inside80"].append(week.low80 <= actual <= week.high80)
            columns["inside95"].append(week.low95 <= actual <= week.high95)
            columns["seasonal"].append(predicted.seasonal)
    return _Rows(**{name: np.asarray(values, dtype=float) for name, values in columns.items()})


def _benchmark_scale(train: np.ndarray, seasonal: bool) -> float:
    lag = SEASON if seasonal else 1
    if train.size <= lag:
        return 0.0
    return float(np.mean(np.abs(train[lag:] - train[:-lag])))


def _benchmark_forecast(train: np.ndarray, target: int, seasonal: bool) -> float:
    if seasonal and 0 <= target - SEASON < train.size:
        return float(train[target - SEASON])
    return float(train[-1])


def _summarise(rows: _Rows, horizon: int, seasonal_benchmark: bool) -> BacktestResult:
    if rows.actual.size == 0:
        raise TrendsError("Không có tuần nào để so sánh dự báo với thực tế.")
    errors = np.abs(rows.actual - rows.mean)
    benchmark_errors = np.abs(rows.actual - rows.benchmark)
    scaled = rows.scale > 0
    mae, benchmark_mae = float(errors.mean()), float(benchmark_errors.mean())
    return BacktestResult(
        origins=int(np.sum(rows.step == 1)),
        forecasts=int(errors.size),
        horizon=horizon,
        mae=mae,
        mae_by_step=tuple(
            float(errors[rows.step == h].mean()) for h in range(1, horizon + 1)
            if np.any(rows.step == h)
        ),
        mase=float(np.mean(errors[scaled] / rows.scale[scaled])) if np.any(scaled) else None,
        benchmark="seasonal naive (lag 52)" if seasonal_benchmark else "naive (lag 1)",
        benchmark_mae=benchmark_mae,
        relative_mae=mae / benchmark_mae if benchmark_mae > 0 else None,
        coverage80=float(rows.inside80.mean()),
        coverage95=float(rows.inside95.mean()),
        seasonal_share=float(rows.seasonal.mean()),
    )

