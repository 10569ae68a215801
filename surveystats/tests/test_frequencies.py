"""The fast every-question path gives exactly the per-question estimates."""

from __future__ import annotations

import numpy as np
import pytest

from surveystats import (
    SurveyStatsError,
    estimate_proportions,
    estimate_select_multiple,
    frequency_tables,
)
from surveystats.tests.samples import ANSWERS, OPTIONS, make_sample


def test_every_question_equals_estimate_proportions():
    sample = make_sample(31, 3000)
    table = {name: sample[name] for name in ("khu_vuc", "gioi_tinh", "nhom_tuoi", "y_kien",
                                             "kien_nghi")}
    weights = sample["base_weight"].copy()
    weights[::50] = 0.0  # zero weights are left out by both paths
    tables = frequency_tables(table, weights, select_multiple={"kien_nghi"},
                              categories={"y_kien": ANSWERS, "kien_nghi": OPTIONS})
    assert list(tables) == list(table)
    for name in ("khu_vuc", "gioi_tinh", "nhom_tuoi"):
        assert tables[name] == estimate_proportions(table[name], weights)
    assert tables["y_kien"] == estimate_proportions(table["y_kien"], weights,
                                                     categories=ANSWERS)
    assert [e.category for e in tables["y_kien"]] == ANSWERS
    assert tables["kien_nghi"] == estimate_select_multiple(table["kien_nghi"], weights,
                                                            options=OPTIONS)


def test_shares_are_weighted():
    tables = frequency_tables({"q": ["a", "b", "b", "b"]}, [3.0, 1.0, 1.0, 1.0])
    assert [e.proportion for e in tables["q"]] == [0.5, 0.5]
    unweighted = frequency_tables({"q": ["a", "b", "b", "b"]})
    assert [e.proportion for e in unweighted["q"]] == [0.25, 0.75]


def test_numbers_as_answers_and_integer_codes():
    tables = frequency_tables({"q": np.array([1, 2, 2, 3]), "r": [1.0, 2.0, float("nan"), 2]})
    assert [e.category for e in tables["q"]] == ["1", "2", "3"]
    assert [(e.category, e.n) for e in tables["r"]] == [("1", 1), ("2", 2)]


def test_columns_of_different_lengths_are_refused():
    with pytest.raises(SurveyStatsError, match="Cột “b” có 1 hàng, khác cột “a” \\(2 hàng\\)"):
        frequency_tables({"a": ["x", "y"], "b": ["x"]})
