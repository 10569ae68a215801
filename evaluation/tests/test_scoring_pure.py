"""The pure scoring on hand-made measurements: weights, floors and targets, missing data with
both rules, the coverage rule, classification thresholds, ranks with ties, months open."""

from __future__ import annotations

import datetime as dt

import pytest

from evaluation import scoring
from evaluation.scoring import CriterionSpec, Measurement, Thresholds

SPECS = [
    CriterionSpec("a", "Báo cáo đúng hạn", 40, "reports_on_time", 100),
    CriterionSpec("b", "Vấn đề đúng hạn", 30, "issues_on_time", 100, floor=50),
    CriterionSpec("c", "Cộng tác viên", 10, "collaborator_items", 4, missing=scoring.ZERO),
    CriterionSpec("d", "Tuyên truyền", 20, "entered", 10),
]


def test_points_are_linear_between_floor_and_target():
    spec = SPECS[1]
    assert scoring.points_for(spec, 40) == 0  # below the floor
    assert scoring.points_for(spec, 75) == 15  # halfway from 50 to 100
    assert scoring.points_for(spec, 100) == 30
    assert scoring.points_for(SPECS[2], 9) == 10  # above the target: capped


def test_total_over_counted_weights_with_missing_rules():
    card = scoring.score_card(1, SPECS, {
        "a": scoring.rate(3, 4),  # 75% → 30 of 40
        "b": scoring.rate(0, 0),  # nothing due: missing, excluded
        "c": Measurement(None),  # missing with the "zero" rule: 0 of 10
        "d": Measurement(8),  # 16 of 20
    }, Thresholds())
    points = {line.criterion.code: line.points for line in card.lines}
    assert points == {"a": 30, "b": None, "c": 0, "d": 16}
    # 46 points over 70 counted weight → 65.7
    assert card.total == 65.7
    assert card.classification == scoring.PASSED
    assert card.missing_codes == ["b", "c"]


def test_a_card_with_too_little_data_has_no_total():
    card = scoring.score_card(1, SPECS, {"c": Measurement(4)}, Thresholds())
    # only c (10) and nothing else counted: 10 < half of 100
    assert card.total is None and card.classification is None
    assert card.classification_label == "Chưa đủ số liệu"


@pytest.mark.parametrize("total, expected", [
    (95, scoring.EXCELLENT), (90, scoring.EXCELLENT), (89.9, scoring.GOOD), (75, scoring.GOOD),
    (60, scoring.PASSED), (49.9, scoring.FAILED), (None, None),
])
def test_thresholds(total, expected):
    assert Thresholds(90, 75, 50).classify(total) == expected


def test_ranks_share_ties_and_leave_cards_without_total_unranked():
    cards = [scoring.Card(i, [], total, None) for i, total in
             enumerate([70.0, None, 90.0, 70.0, 50.0])]
    ranked = scoring.rank_cards(cards)
    assert [(c.unit_id, c.rank) for c in ranked] == [(2, 1), (0, 2), (3, 2), (4, 4), (1, None)]


def test_open_months_of_a_unit_opened_mid_period():
    months = [scoring.Month(f"2025-{m:02d}", dt.date(2025, m, 1),
                            dt.date(2025, m, 28)) for m in range(7, 13)]
    opened = scoring.open_months(months, dt.date(2025, 10, 15), None, dt.date(2026, 1, 10))
    assert [m.code for m in opened] == ["2025-10", "2025-11", "2025-12"]
    closed = scoring.open_months(months, dt.date(2025, 1, 1), dt.date(2025, 9, 15),
                                 dt.date(2026, 1, 10))
    assert [m.code for m in closed] == ["2025-07", "2025-08", "2025-09"]
    not_begun = scoring.open_months(months, dt.date(2025, 1, 1), None, dt.date(2025, 11, 3))
    assert [m.code for m in not_begun][-1] == "2025-11"


def test_a_card_survives_its_snapshot():
    card = scoring.score_card(7, SPECS, {"a": scoring.rate(1, 2), "d": Measurement(10)},
                              Thresholds(), months=6)
    again = scoring.card_from_dict(scoring.card_as_dict(card))
    assert again.total == card.total and again.months == 6
    assert [line.points for line in again.lines] == [line.points for line in card.lines]
