"""Backtest of the picture's forecast on the demo ward's history (issue 8).

Builds the demo ward on a throw-away SQLite database (18 months unless --months says otherwise),
takes the weekly series of opinion items of every topic of the whole ward (the series the picture
forecasts: ``picture.trending.weekly_series``), and runs the rolling-origin backtest of
``trends.backtest``: every week from the 26th on is a forecast origin, each forecasting the next
four weeks. It reports the mean absolute error, the error relative to the naive forecast (last
week's count; last year's same week when the history is long enough), MASE, and how often the
actual count fell inside the 80% and 95% intervals.

    python bench/bench_forecast.py [--months 18] [--min-train 26] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time

from _setup import django_on_fresh_sqlite, git_revision, machine


def weekly_topic_series(today: dt.date, weeks: int) -> dict[str, list[int]]:
    from orgs.models import User
    from picture.counting import RawCounter
    from picture.query import read_query
    from picture.selectors import topic_names
    from picture.trending import first_week_heard, weekly_series

    office = User(username="bench", role=User.Role.OFFICE)
    counter = RawCounter(read_query(office, {"period": "7d"}, today=today))
    series = weekly_series(counter, "topic", today, weeks)
    begun = first_week_heard(series)
    names = topic_names()
    return {names.get(key, key): weekly.counts[begun:] for key, weekly in series.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=18)
    parser.add_argument("--min-train", type=int, default=26)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    django_on_fresh_sqlite("forecast")
    from django.conf import settings
    from django.utils import timezone

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the demo's replies

    from longdan.demo import load_demo
    from trends.backtest import backtest_many

    today = timezone.localdate()
    started = time.perf_counter()
    load_demo(today=today, months=args.months)
    built = time.perf_counter() - started
    # The last, partial week is left out: it has not finished.
    series = weekly_topic_series(today - dt.timedelta(days=7), args.months * 5)
    usable = {name: counts for name, counts in series.items()
              if len(counts) >= args.min_train + 4 and sum(counts) >= 20}
    started = time.perf_counter()
    overall, each = backtest_many(usable, horizon=4, min_train=args.min_train)
    seconds = time.perf_counter() - started
    result = {
        "machine": machine(), "revision": git_revision(), "date": today.isoformat(),
        "demo_months": args.months, "demo_seconds": round(built, 1),
        "weeks": max(len(c) for c in usable.values()) if usable else 0,
        "topics": len(usable), "backtest_seconds": round(seconds, 2),
        "overall": _row(overall),
        "topics_detail": {name: _row(r) for name, r in sorted(each.items())},
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(f"{result['machine']} · {result['revision']} · {result['date']}")
    print(f"Demo {args.months} tháng dựng trong {built:.0f} s; {len(usable)} chủ đề, "
          f"{result['weeks']} tuần; kiểm định lùi {seconds:.1f} s")
    header = f"{'chủ đề':32} {'MAE':>6} {'naive':>6} {'tỷ số':>6} {'MASE':>6} {'80%':>5} {'95%':>5}"
    print(header)
    for name, row in [("TẤT CẢ", result["overall"]), *result["topics_detail"].items()]:
        print(f"{name[:32]:32} {row['mae']:6.2f} {row['benchmark_mae']:6.2f} "
              f"{_fmt(row['relative_mae'])} {_fmt(row['mase'])} "
              f"{row['coverage80']:5.0%} {row['coverage95']:5.0%}")


def _row(result) -> dict:
    return {
        "forecasts": result.forecasts, "mae": round(result.mae, 3),
        "mae_by_step": [round(v, 3) for v in result.mae_by_step],
        "benchmark": result.benchmark, "benchmark_mae": round(result.benchmark_mae, 3),
        "relative_mae": None if result.relative_mae is None else round(result.relative_mae, 3),
        "mase": None if result.mase is None else round(result.mase, 3),
        "coverage80": round(result.coverage80, 3), "coverage95": round(result.coverage95, 3),
        "seasonal_share": round(result.seasonal_share, 3),
    }


def _fmt(value) -> str:
    return "     —" if value is None else f"{value:6.2f}"


if __name__ == "__main__":
    main()
