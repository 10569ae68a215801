"""Pol.is group-informed consensus, worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from surveystats import SurveyStatsError, group_consensus, votes_from_answers

NAN = math.nan
GROUPS = ["KV1"] * 4 + ["KV2"] * 4


def test_consensus_is_the_product_of_smoothed_group_agree_rates():
    statements = {
        # 3 of 4 agree in KV1, 1 of 4 in KV2: a majority overall is not a consensus.
        "split": [1, 1, 1, -1, 1, -1, -1, -1],
        # everyone who answered in both areas agrees; one abstains, one is neutral.
        "shared": [1, 1, 1, NAN, 1, 1, 1, 0],
    }
    split, shared = group_consensus(statements, GROUPS)[::-1]
    assert split.consensus == pytest.approx((4 / 6) * (2 / 6))
    assert shared.consensus == pytest.approx((4 / 5) * (4 / 6))
    assert [r.statement for r in group_consensus(statements, GROUPS)] == ["shared", "split"]
    assert split.disagree_consensus == pytest.approx((2 / 6) * (4 / 6))
    assert (shared.votes, shared.agrees, shared.disagrees) == (7, 6, 0)
    assert shared.agree_share == pytest.approx(6 / 7)
    kv1, kv2 = shared.groups
    assert (kv1.group, kv1.votes, kv1.agrees, kv1.p_agree) == ("KV1", 3, 3, pytest.approx(0.8))
    assert kv2.agree_share == pytest.approx(0.75)


def test_a_group_that_did_not_answer_counts_one_half():
    (result,) = group_consensus({"s": [1, 1, 1, 1, NAN, NAN, NAN, NAN]}, GROUPS)
    assert result.consensus == pytest.approx((5 / 6) * 0.5)
    assert math.isnan(result.groups[1].agree_share)


def test_weights_are_rescaled_to_mean_one():
    votes = {"s": [1, 1, -1, 0, 1, -1, -1, 1]}
    plain = group_consensus(votes, GROUPS)[0]
    doubled = group_consensus(votes, GROUPS, weights=np.full(8, 2.0))[0]
    assert doubled.consensus == pytest.approx(plain.consensus)
    uneven = group_consensus(votes, GROUPS, weights=[3, 1, 1, 1, 1, 1, 1, 1])[0]
    assert uneven.groups[0].agrees == pytest.approx(4 * 8 / 10)


def test_votes_from_answers():
    votes = votes_from_answers(["Rất đồng ý", "Đồng ý", "Phân vân", "Không đồng ý", ""],
                               agree={"Rất đồng ý", "Đồng ý"}, disagree={"Không đồng ý"})
    np.testing.assert_array_equal(votes, [1, 1, 0, -1, NAN])


def test_bad_votes_are_refused():
    with pytest.raises(SurveyStatsError, match="hàng dữ liệu số 2: phiếu phải là 1"):
        group_consensus({"s": [1, 2]}, ["a", "b"])
    with pytest.raises(SurveyStatsError, match="vừa được coi là đồng ý"):
        votes_from_answers(["x"], agree={"x"}, disagree={"x"})
