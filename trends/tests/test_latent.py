"""Latent-opinion candidates: growing worry on an uncovered topic is proposed with its reason; flat
or covered or faded series are not."""

from __future__ import annotations

import numpy as np
import pytest

from trends._counts import TrendsError
from trends.latent import LatentSeries, latent_candidates, trend_p_value

GROWING = [0, 1, 0, 0, 1, 0, 1, 0, 1, 2, 3, 5]


def test_growing_worry_is_proposed_with_its_reason():
    [proposal] = latent_candidates([LatentSeries("Ngập úng", GROWING, area="Tổ 5")])
    assert (proposal.topic, proposal.area, proposal.count, proposal.weeks) == (
        "Ngập úng", "Tổ 5", 11, 4,
    )
    assert proposal.count > proposal.expected_high
    assert proposal.p_value <= 0.05 and proposal.trend_p_value <= 0.05
    assert proposal.reason == (
        "Lo lắng, bức xúc, phản đối về «Ngập úng» ở Tổ 5 tăng: 11 ý kiến trong 4 tuần gần đây "
        f"(1, 2, 3, 5), bình thường {proposal.expected_low}–{proposal.expected_high}; "
        "chưa có vụ việc nào theo dõi"
    )
    assert len(proposal.reason) <= 300  # LatentCandidate.reason


def test_a_covered_topic_is_not_proposed():
    assert latent_candidates([LatentSeries("Ngập úng", GROWING, covered=True)]) == []


def test_a_flat_series_is_not_proposed():
    assert latent_candidates([LatentSeries("Trật tự", [2, 1, 3, 2, 2, 1, 2, 3, 2, 1, 3, 2])]) == []


def test_a_burst_that_died_down_is_not_proposed():
    assert latent_candidates([LatentSeries("Lễ hội", [0, 1, 0, 0, 1, 0, 0, 0, 6, 5, 1, 0])]) == []


def test_too_few_opinions_are_not_proposed():
    assert latent_candidates([LatentSeries("Cây xanh", [0] * 8 + [0, 0, 1, 2])]) == []


@pytest.mark.parametrize("mean", [0.5, 2.0, 4.0])
def test_flat_noise_is_rarely_proposed(mean):
    rng = np.random.default_rng(21)
    trials = 1000
    proposed = sum(
        bool(latent_candidates([LatentSeries("x", rng.poisson(mean, 12).tolist())]))
        for _ in range(trials)
    )
    assert proposed / trials <= 0.03  # measured 0.7–1.9%


def test_growing_worry_is_usually_found():
    rng = np.random.default_rng(22)
    means = [0.5] * 8 + [1.0, 2.0, 3.0, 4.0]
    found = sum(
        bool(latent_candidates([LatentSeries("x", rng.poisson(means).tolist())]))
        for _ in range(300)
    )
    assert found / 300 > 0.7


def test_candidates_are_sorted_strongest_first():
    strong = [0] * 8 + [2, 4, 6, 9]
    names = [p.topic for p in latent_candidates(
        [LatentSeries("yếu", GROWING), LatentSeries("mạnh", strong)]
    )]
    assert names == ["mạnh", "yếu"]


def test_the_trend_test():
    assert trend_p_value([0, 1, 2, 3, 4, 5, 6, 7]) < 0.001
    assert trend_p_value([7, 6, 5, 4, 3, 2, 1, 0]) > 0.999
    assert trend_p_value([0, 0, 0]) == 1.0
    # Overdispersion widens the test.
    weekly = [1, 0, 2, 1, 3, 2, 4]
    assert trend_p_value(weekly, dispersion=3.0) > trend_p_value(weekly)


def test_bad_input_is_refused_in_vietnamese():
    with pytest.raises(TrendsError, match="recent"):
        latent_candidates([], recent=1)
    with pytest.raises(TrendsError, match="weekly"):
        latent_candidates([LatentSeries("x", [1, -1, 2, 3])])
