"""Raking and post-stratification against samplics's SampleWeight, and every refusal."""

from __future__ import annotations

import numpy as np
import pytest

from surveystats import (
    RakingNotConverged,
    WeightingError,
    poststratify,
    rake,
    rake_detailed,
    weight_summary,
)
from surveystats.tests.samples import MARGINS, make_sample

VARIABLES = list(MARGINS)


def _columns(sample):
    return {variable: sample[variable] for variable in VARIABLES}


def _samplics_rake(samplics, sample, base, tolerance):
    return samplics["SampleWeight"]().rake(
        samp_weight=base,
        margins={variable: sample[variable] for variable in VARIABLES},
        control=MARGINS,
        tol=tolerance,
        ctrl_tol=tolerance,
        max_iter=200,
    )


@pytest.mark.parametrize("tolerance", [1e-4, 1e-10])
@pytest.mark.parametrize("with_base", [False, True])
def test_rake_equals_samplics(samplics, tolerance, with_base):
    sample = make_sample(11, 3000)
    base = sample["base_weight"] if with_base else np.ones(3000)
    reference = _samplics_rake(samplics, sample, base, tolerance)
    ours = rake_detailed(_columns(sample), MARGINS, base_weights=base if with_base else None,
                         tolerance=tolerance, max_iterations=200)
    # Same passes and the same stopping rule, so the same weights, not merely close ones.
    np.testing.assert_allclose(ours.weights, reference, rtol=1e-9, atol=0)
    assert ours.iterations > 1


def test_raked_weights_reproduce_every_margin():
    sample = make_sample(12, 2500)
    weights = rake(_columns(sample), MARGINS, tolerance=1e-10)
    for variable, margin in MARGINS.items():
        for category, population in margin.items():
            total = weights[sample[variable] == category].sum()
            assert total == pytest.approx(population, rel=1e-9)
    assert weights.sum() == pytest.approx(11000)


def test_poststratify_equals_samplics(samplics):
    sample = make_sample(13, 1500)
    base = sample["base_weight"]
    reference = samplics["SampleWeight"]().poststratify(
        samp_weight=base, control=MARGINS["khu_vuc"], domain=sample["khu_vuc"]
    )
    ours = poststratify({"khu_vuc": sample["khu_vuc"]}, {"khu_vuc": MARGINS["khu_vuc"]},
                        base_weights=base)
    np.testing.assert_allclose(ours, reference, rtol=1e-12)
    # Within a stratum the base weights keep their ratios.
    kv1 = sample["khu_vuc"] == "KV1"
    np.testing.assert_allclose(ours[kv1] / base[kv1], ours[kv1][0] / base[kv1][0])


def test_labels_are_compared_as_trimmed_text():
    weights = rake({"g": [" 1", 1, 2.0, "2"]}, {"g": {"1": 10, "2": 30}})
    np.testing.assert_allclose(weights, [5, 5, 15, 15])


def test_a_data_category_without_margin_names_variable_category_and_row():
    columns = {"gioi_tinh": ["Nam", "Nữ", "Khác", "Nam"]}
    with pytest.raises(WeightingError) as error:
        rake(columns, {"gioi_tinh": {"Nam": 10, "Nữ": 12}})
    assert (error.value.variable, error.value.category, error.value.row) == (
        "gioi_tinh", "Khác", 2
    )
    assert str(error.value).startswith("Biến “gioi_tinh”, hàng dữ liệu số 3: giá trị “Khác”")


def test_an_empty_margin_category_cannot_be_weighted():
    with pytest.raises(WeightingError) as error:
        poststratify({"khu_vuc": ["KV1", "KV1"]}, {"khu_vuc": {"KV1": 5, "KV2": 7}})
    assert error.value.category == "KV2" and error.value.row is None
    assert "không có người trả lời nào" in str(error.value)
    assert "không thể gia quyền" in str(error.value)


def test_raking_that_does_not_converge_is_an_error():
    sample = make_sample(14, 400)
    with pytest.raises(RakingNotConverged) as error:
        rake(_columns(sample), MARGINS, max_iterations=1)
    assert error.value.iterations == 1
    assert "không hội tụ sau 1 vòng lặp" in str(error.value)


def test_margins_of_different_populations_are_refused():
    margins = {"a": {"x": 10, "y": 10}, "b": {"u": 5, "v": 10}}
    with pytest.raises(WeightingError) as error:
        rake({"a": ["x", "y"], "b": ["u", "v"]}, margins)
    assert error.value.variable == "b"
    assert "(15)" in str(error.value) and "(20)" in str(error.value)


@pytest.mark.parametrize(
    ("columns", "margins", "base", "expected"),
    [
        ({"a": ["x", ""]}, {"a": {"x": 1}}, None, "hàng dữ liệu số 2: thiếu giá trị"),
        ({"a": ["x"]}, {"b": {"x": 1}}, None, "Biến “b”: không có cột này"),
        ({"a": ["x"]}, {"a": {"x": 0}}, None, "dân số của nhóm “x” phải là một số dương"),
        ({"a": ["x"]}, {"a": {"x": "12"}}, None, "phải là một số dương (đang là '12')"),
        ({"a": ["x"]}, {"a": {}}, None, "phải là danh sách nhóm"),
        ({"a": ["x"]}, {}, None, "không có biến nào"),
        ({"a": ["x", "x"]}, {"a": {"x": 4}}, [1.0, 0.0], "Hàng dữ liệu số 2: trọng số gốc"),
    ],
)
def test_refusals(columns, margins, base, expected):
    with pytest.raises(WeightingError) as error:
        rake(columns, margins, base_weights=base)
    assert expected in str(error.value)


def test_poststratification_takes_exactly_one_variable():
    with pytest.raises(WeightingError, match="đúng một biến"):
        poststratify({"a": ["x"], "b": ["y"]}, {"a": {"x": 1}, "b": {"y": 1}})


def test_weight_summary():
    summary = weight_summary([1.0, 1.0, 2.0, 4.0])
    assert (summary.n, summary.total, summary.min, summary.max) == (4, 8.0, 1.0, 4.0)
    assert summary.deff_kish == pytest.approx(4 * 22 / 64)
    assert summary.effective_n == pytest.approx(64 / 22)
