"""Burst detection on small daily counts: surges alert with a Vietnamese reason, noise does not."""

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textengine.bursts import daily_counts, detect, detect_many, tail_probability

TODAY = dt.date(2026, 10, 15)


def _days_ago(n):
    return TODAY - dt.timedelta(days=n)


def _steady(per_day, days=31):
    return {_days_ago(n): per_day for n in range(days)}


def test_a_surge_alerts_with_the_reason_in_vietnamese():
    counts = {_days_ago(n): (1 if n % 2 else 0) for n in range(3, 31)}  # one item every 2 days
    counts.update({_days_ago(0): 5, _days_ago(1): 4, _days_ago(2): 3})
    burst = detect(counts, TODAY)
    assert burst is not None and not burst.new
    assert burst.count == 12
    assert burst.reason == f"12 ý kiến trong 3 ngày, gấp {round(burst.ratio)} lần mức thường"
    assert burst.p_value < 1e-5 and burst.score > 5


def test_the_usual_level_in_the_reason_is_the_baseline_rate():
    counts = {_days_ago(n): 1 for n in range(3, 31)}  # 1 a day: 3 in 3 days is usual
    counts.update({_days_ago(0): 6, _days_ago(1): 6, _days_ago(2): 6})
    # With a prior at the same rate the usual level is exactly 3 in 3 days; the default prior
    # (0.1 a day, one week's weight) pulls it a little lower: 18 / 2.46 → "gấp 7 lần".
    burst = detect(counts, TODAY, prior_rate=1.0)
    assert burst.reason == "18 ý kiến trong 3 ngày, gấp 6 lần mức thường"
    assert detect(counts, TODAY).reason == "18 ý kiến trong 3 ngày, gấp 7 lần mức thường"


def test_steady_counts_do_not_alert():
    assert detect(_steady(2), TODAY) is None
    assert detect(_steady(5), TODAY) is None


def test_a_one_item_blip_does_not_alert_even_on_a_silent_issue():
    counts = {_days_ago(n): 0 for n in range(1, 40)}
    counts[TODAY] = 1
    assert detect(counts, TODAY) is None
    counts[TODAY] = 3
    assert detect(counts, TODAY) is None  # below min_count


def test_small_count_noise_rarely_alerts():
    """Poisson noise at a ward's rates: false alerts stay near the documented 1 in 100."""
    rng = random.Random(5)
    alerts = trials = 0
    for rate in (0.2, 0.5, 1.0, 2.0):
        for _ in range(150):
            counts = {}
            for n in range(31):
                # Poisson by counting exponential gaps (no numpy needed here).
                k, t = 0, rng.expovariate(rate)
                while t < 1:
                    k, t = k + 1, t + rng.expovariate(rate)
                counts[_days_ago(n)] = k
            trials += 1
            alerts += detect(counts, TODAY) is not None
    assert alerts / trials <= 0.02


def test_a_brand_new_issue_can_alert():
    burst = detect({_days_ago(1): 2, TODAY: 3}, TODAY)
    assert burst is not None and burst.new
    assert burst.reason == "5 ý kiến trong 3 ngày về một vấn đề mới"
    assert burst.baseline_days == 0


def test_a_new_issue_with_two_items_does_not_alert():
    assert detect({TODAY: 2}, TODAY) is None


def test_days_after_today_and_before_the_baseline_are_ignored():
    counts = {TODAY + dt.timedelta(days=1): 50, _days_ago(200): 50, TODAY: 1}
    assert detect(counts, TODAY) is None


def test_iso_strings_and_item_dates_are_accepted():
    days = ["2026-10-15"] * 3 + ["2026-10-14T08:00:00"] * 3
    counts = daily_counts(days)
    assert counts == {TODAY: 3, _days_ago(1): 3}
    assert detect(counts, "2026-10-15").new


@pytest.mark.parametrize("bad", [{TODAY: -1}, {TODAY: 1.5}, {"hôm qua": 1}])
def test_bad_series_are_refused_in_vietnamese(bad):
    with pytest.raises(ValueError, match="Ngày|Số ý kiến"):
        detect(bad, TODAY)


def test_detect_many_sorts_strongest_first():
    series = {
        "ngập": {_days_ago(n): 0 for n in range(3, 20)} | {TODAY: 9},
        "rác": _steady(1),
        "điện": {TODAY: 5},
    }
    found = detect_many(series, TODAY)
    assert [k for k, _ in found] == ["ngập", "điện"]


def test_tail_probability_matches_scipy_negative_binomial():
    from scipy.stats import nbinom

    for count, shape, rate, window in [(5, 0.7, 7, 3), (12, 14.7, 35, 3), (1, 2.0, 10, 7)]:
        expected = nbinom.sf(count - 1, shape, rate / (rate + window))
        assert tail_probability(count, shape, rate, window) == pytest.approx(expected, rel=1e-9)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=40))
def test_more_items_today_never_lowers_the_score(history):
    counts = {_days_ago(n): c for n, c in enumerate(history)}
    base = detect(counts, TODAY, min_count=0, max_p=1, min_ratio=0)
    counts[TODAY] = counts.get(TODAY, 0) + 1
    more = detect(counts, TODAY, min_count=0, max_p=1, min_ratio=0)
    assert 0 <= more.p_value <= 1
    assert base is None or more.p_value <= base.p_value + 1e-12
