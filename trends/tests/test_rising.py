"""The rising tests on constructed series: a real rise is flagged, ordinary noise is not (measured
over many seeds against the nominal 1%), zero baselines work, the reason agrees with the flag."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from trends._counts import NegBinom, TrendsError, usual_range_vi
from trends.rising import (
    ALPHA,
    SeriesInput,
    rank_rising,
    share_signal,
    volume_predictive,
    volume_signal,
)


def test_a_real_rise_is_flagged_with_its_reason():
    signal = volume_signal([2, 3, 4, 2, 3, 3, 2, 4], 12, name="Ngập úng")
    assert signal.rising
    assert signal.measure == "volume"
    assert signal.count == 12
    assert signal.expected_low <= 3 <= signal.expected_high < 12
    assert signal.p_value < 1e-3
    assert signal.reason == (
        f"12 ý kiến trong 7 ngày; bình thường {signal.expected_low}–{signal.expected_high}"
    )


def test_an_ordinary_week_is_not_flagged():
    signal = volume_signal([2, 3, 4, 2, 3, 3, 2, 4], 5)
    assert not signal.rising
    assert signal.p_value > ALPHA


def test_a_small_count_is_never_flagged_whatever_its_p_value():
    # From silence to two opinions is unlikely but below the minimum count of 3.
    assert not volume_signal([0] * 10, 2).rising
    assert volume_signal([0] * 10, 2).p_value < ALPHA


def test_zero_history_has_a_predictive_distribution():
    silent = volume_signal([0] * 8, 3)
    assert silent.rising and (silent.expected_low, silent.expected_high) == (0, 1)
    assert silent.reason == "3 ý kiến trong 7 ngày; bình thường 0–1"
    assert usual_range_vi(0, 0) == "bình thường không có ý kiến nào"
    # No baseline at all: only the weak prior, so only a clearly large count is flagged.
    assert not volume_signal([], 3).rising
    assert volume_signal([], 10).rising


def test_overdispersed_baseline_widens_the_usual_range():
    calm = volume_signal([4, 4, 5, 3, 4, 4, 5, 3], 11)
    bursty = volume_signal([0, 10, 1, 8, 0, 9, 2, 2], 11)
    assert calm.rising and not bursty.rising
    assert bursty.expected_high > calm.expected_high


@pytest.mark.parametrize("weeks", [8, 12])
def test_the_flag_agrees_with_the_usual_range(weeks):
    rng = np.random.default_rng(7)
    for _ in range(300):
        history = rng.negative_binomial(2, 0.4, weeks).tolist()
        current = int(rng.integers(0, 30))
        signal = volume_signal(history, current)
        above = signal.count > signal.expected_high
        assert signal.rising == (above and signal.count >= 3), (history, current, signal)


@pytest.mark.parametrize(
    ("kind", "mean"),
    [("poisson", 0.5), ("poisson", 2.0), ("poisson", 6.0), ("nb", 1.0), ("nb", 4.0), ("nb", 8.0)],
)
def test_noise_is_not_flagged_more_often_than_the_nominal_rate(kind, mean):
    """Ordinary weeks from the baseline's own distribution (8–12 weeks of baseline): the measured
    false-alarm rate stays under 3% (Poisson: about 1% or less; negative binomial of size 2,
    whose dispersion is estimated from few weeks: 1.5–2.5%)."""
    rng = np.random.default_rng(2024)
    trials, flagged = 2000, 0
    for trial in range(trials):
        weeks = 8 + trial % 5
        if kind == "poisson":
            counts = rng.poisson(mean, weeks + 1)
        else:
            counts = rng.negative_binomial(2, 2 / (2 + mean), weeks + 1)
        flagged += volume_signal(counts[:-1].tolist(), int(counts[-1])).rising
    rate = flagged / trials
    assert rate <= 0.03
    if kind == "poisson":
        assert rate <= 0.015


def test_a_fourfold_week_is_usually_caught():
    rng = np.random.default_rng(5)
    caught = sum(
        volume_signal(rng.poisson(4, 10).tolist(), int(rng.poisson(16))).rising for _ in range(400)
    )
    assert caught / 400 > 0.8


def test_the_predictive_of_a_poisson_baseline_is_the_gamma_poisson_posterior_predictive():
    history = [1, 2, 0, 3, 1, 2, 2, 1]  # sample variance below the mean: Poisson
    predictive = volume_predictive(history)
    size, rate = 0.5 + sum(history), 1.0 + len(history)
    exact = stats.nbinom(size, rate / (rate + 1))
    for count in range(12):
        assert predictive.sf_at_least(count) == pytest.approx(exact.sf(count - 1), rel=1e-9)


def test_negbinom_matches_scipy():
    for mean, variance in [(3, 3), (3, 7), (0.2, 0.5), (12, 40)]:
        mine = NegBinom(mean, variance)
        reference = (
            stats.poisson(mean) if mine.is_poisson else stats.nbinom(mine.size, mine.prob)
        )
        for q in (0.01, 0.1, 0.5, 0.9, 0.99):
            assert mine.quantile(q) == int(reference.ppf(q))
        for count in range(1, 40):
            assert mine.sf_at_least(count) == pytest.approx(reference.sf(count - 1), rel=1e-8)


def test_a_rising_share_is_flagged_with_its_reason():
    totals = [10, 12, 9, 11, 10, 10, 12, 10]
    concerned = [2, 2, 2, 3, 2, 2, 2, 2]
    signal = share_signal(totals, concerned, 10, 8, name="Học phí")
    assert signal.rising and signal.measure == "share"
    assert signal.count == 8 and signal.total == 10
    assert signal.baseline_share == pytest.approx(0.2, abs=0.01)
    assert signal.reason == "8/10 ý kiến bức xúc, phản đối trong 7 ngày; bình thường khoảng 20%"


def test_a_share_needs_a_minimum_denominator_and_count():
    totals, concerned = [10] * 8, [1] * 8
    assert not share_signal(totals, concerned, 3, 3).rising  # 3/3 but only 3 opinions
    assert share_signal(totals, concerned, 6, 5).rising
    assert not share_signal(totals, concerned, 0, 0).rising


def test_a_share_with_no_history_is_not_flagged_on_a_modest_sample():
    assert not share_signal([], [], 10, 8).rising


def test_overdispersed_weekly_shares_widen_the_share_range():
    totals = [10] * 8
    steady = share_signal(totals, [2] * 8, 10, 6)
    swinging = share_signal(totals, [0, 5, 0, 4, 1, 5, 0, 1], 10, 6)
    assert steady.baseline_share == pytest.approx(swinging.baseline_share, abs=0.01)
    assert steady.rising and not swinging.rising


def test_the_share_flag_agrees_with_the_usual_range():
    rng = np.random.default_rng(3)
    for _ in range(300):
        totals = rng.poisson(8, 9)
        concerned = rng.binomial(totals, 0.3)
        total = int(rng.integers(5, 20))
        count = int(rng.integers(0, total + 1))
        signal = share_signal(totals.tolist(), concerned.tolist(), total, count)
        expected = signal.count > signal.expected_high and count >= 3
        assert signal.rising == expected, (totals, concerned, total, count, signal)


def test_share_noise_is_not_flagged_more_often_than_the_nominal_rate():
    rng = np.random.default_rng(11)
    trials, flagged = 2000, 0
    for _ in range(trials):
        totals = rng.poisson(8, 11)
        shares = rng.beta(4, 12, 11)  # the weekly share itself varies around 25%
        concerned = rng.binomial(totals, shares)
        signal = share_signal(
            totals[:-1].tolist(), concerned[:-1].tolist(), int(totals[-1]), int(concerned[-1])
        )
        flagged += signal.rising
    assert flagged / trials <= 0.03


def test_rank_rising_orders_by_strength_and_accepts_tuples():
    baseline = [2, 3, 2, 3, 2, 3, 2, 3]
    ranked = rank_rising(
        {
            "Ngập úng": (baseline, 20),
            "Học phí": SeriesInput(baseline, 9),
            "Trật tự": (baseline, 3),
            "Môi trường": ([10] * 8, 10, [2] * 8, 9),
        }
    )
    names = [(signal.name, signal.measure) for signal in ranked]
    assert names == [("Ngập úng", "volume"), ("Môi trường", "share"), ("Học phí", "volume")]
    assert ranked[0].strength > ranked[1].strength > ranked[2].strength >= 2
    everything = rank_rising({"Trật tự": (baseline, 3)}, only_rising=False)
    assert len(everything) == 1 and not everything[0].rising


def test_bad_input_names_the_field_in_vietnamese():
    with pytest.raises(TrendsError, match="history"):
        volume_signal([1, -2, 3], 4)
    with pytest.raises(TrendsError, match="current"):
        volume_signal([1, 2, 3], -1)
    with pytest.raises(TrendsError, match="concerned_history"):
        share_signal([5, 5], [1], 5, 1)
    with pytest.raises(TrendsError, match="lớn hơn tổng số"):
        share_signal([5, 5], [1, 1], 5, 6)
    with pytest.raises(TrendsError, match="Chuỗi «x»"):
        rank_rising({"x": ([1, 2],)})


def test_skipping_quiet_windows_changes_nothing_in_the_ranking():
    """``rank_rising`` skips the tests of windows too small to be rising: the ranking is the
    one of testing every series, on a mix of quiet, ordinary and rising series."""
    rng = np.random.default_rng(47)
    series = {}
    for i in range(300):
        history = [int(x) for x in rng.poisson(rng.choice([0.2, 1, 3, 8]), 12)]
        current = int(rng.poisson(max(1.0, np.mean(history)) * rng.choice([0.5, 1, 1, 3, 6])))
        concerned_history = [int(rng.binomial(n, 0.2)) for n in history]
        concerned = int(rng.binomial(current, rng.choice([0.2, 0.8])))
        series[f"s{i}"] = SeriesInput(history, current, concerned_history, concerned)
    every = [s for s in rank_rising(series, only_rising=False) if s.rising]
    assert rank_rising(series) == every
    assert len(every) >= 10  # the mix holds rises of both kinds
    assert {s.measure for s in every} == {"volume", "share"}
