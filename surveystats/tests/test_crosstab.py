"""Cross-tabulation against samplics's CrossTabulation, scipy's Pearson test and Rao–Scott."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from patsy import dmatrix
from scipy.stats import chi2_contingency

from surveystats import crosstab
from surveystats.tests.samples import make_sample


def _sample(seed: int, n: int):
    sample = make_sample(seed, n, missing=0)
    return sample["y_kien"], sample["nhom_tuoi"], sample["base_weight"]


def test_unweighted_pearson_equals_scipy():
    answers, ages, _ = _sample(21, 900)
    table = crosstab(answers, ages)
    statistic, p_value, df, _ = chi2_contingency(table.counts, correction=False)
    assert table.test.method == "pearson"
    assert table.test.statistic == pytest.approx(statistic, rel=1e-12)
    assert table.test.p_value == pytest.approx(p_value, rel=1e-9)
    assert table.test.df == df == 12
    assert table.test.p_value < 0.001  # answers depend on age in the sample


def test_weighted_cells_and_pearson_equal_samplics(samplics):
    answers, ages, weights = _sample(22, 1200)
    reference = samplics["CrossTabulation"](param=samplics["PopParam"].prop)
    reference.tabulate(vars=np.column_stack([answers, ages]), samp_weight=weights)
    table = crosstab(answers, ages, weights)
    for i, row in enumerate(table.row_categories):
        for j, col in enumerate(table.col_categories):
            assert table.cell_percent[i, j] / 100 == pytest.approx(
                reference.point_est[row][col], abs=1e-12
            )
    unadjusted = reference.stats["Pearson-Unadj"]
    assert table.test.pearson == pytest.approx(unadjusted["chisq_value"], rel=1e-10)
    assert table.test.df == unadjusted["df"]


def _samplics_rao_scott(samplics, rows, cols, weights):
    """samplics 0.6.1's own Rao–Scott formula, on samplics's own Taylor covariance.

    Its CrossTabulation computes exactly this but then zeroes Δ (an ``else`` after its ``try``),
    so its reported F is 0; here the same lines run without that slip.
    """
    cells = np.array([f"{r}__by__{c}" for r, c in zip(rows, cols, strict=True)])
    estimator = samplics["TaylorEstimator"](param=samplics["PopParam"].mean)
    estimator.estimate(y=cells, samp_weight=weights, as_factor=True)
    keys = sorted(estimator.point_est)
    p = np.array([estimator.point_est[key] for key in keys])
    design = np.array([[estimator.covariance[k][m] for m in keys] for k in keys])
    multinomial = (np.diag(p) - np.outer(p, p)) / len(rows)
    frame = pd.DataFrame({"v1": [k.split("__by__")[0] for k in keys],
                          "v2": [k.split("__by__")[1] for k in keys]})
    x = np.asarray(dmatrix("v1 + v2 + v1:v2", frame))
    n_main = frame.v1.nunique() + frame.v2.nunique() - 1
    x1, x2 = x[:, :n_main], x[:, n_main:]
    x2_tilde = x2 - x1 @ np.linalg.pinv(x1.T @ multinomial @ x1, rcond=1e-15, hermitian=True) @ (
        x1.T @ multinomial @ x2
    )
    delta = np.linalg.pinv(x2_tilde.T @ multinomial @ x2_tilde, rcond=1e-15, hermitian=True) @ (
        x2_tilde.T @ design @ x2_tilde
    )
    return np.trace(delta), np.trace(delta @ delta)


@pytest.mark.parametrize("seed", [23, 24])
def test_rao_scott_equals_samplics_formula(samplics, seed):
    answers, ages, weights = _sample(seed, 1000)
    trace, trace_squared = _samplics_rao_scott(samplics, answers, ages, weights)
    test = crosstab(answers, ages, weights).test
    assert test.method == "rao-scott"
    assert test.f_statistic == pytest.approx(test.pearson / trace, rel=1e-8)
    assert test.df_num == pytest.approx(trace**2 / trace_squared, rel=1e-8)
    assert test.df_den == pytest.approx(999 * trace**2 / trace_squared, rel=1e-8)
    # First order: X² divided by the mean generalised design effect.
    assert test.statistic == pytest.approx(test.pearson / (trace / test.df), rel=1e-8)
    # Unequal weights inflate the variance, so the corrected statistic is smaller.
    assert test.statistic < test.pearson


def test_equal_weights_give_back_pearson_up_to_n_over_n_minus_1():
    answers, ages, _ = _sample(25, 500)
    plain = crosstab(answers, ages).test
    weighted = crosstab(answers, ages, np.full(500, 3.0)).test
    assert weighted.pearson == pytest.approx(plain.statistic, rel=1e-10)
    assert weighted.statistic == pytest.approx(plain.statistic * 499 / 500, rel=1e-9)


def test_percentages_and_missing_rows():
    table = crosstab(["a", "a", "b", "b", "", "b"], ["x", "y", "x", "x", "y", None],
                     [1, 3, 2, 2, 9, 9])
    assert table.row_categories == ["a", "b"] and table.col_categories == ["x", "y"]
    np.testing.assert_array_equal(table.counts, [[1, 1], [2, 0]])
    np.testing.assert_allclose(table.totals, [[1, 3], [4, 0]])
    np.testing.assert_allclose(table.row_percent, [[25, 75], [100, 0]])
    np.testing.assert_allclose(table.col_percent, [[20, 100], [80, 0]])
    np.testing.assert_allclose(table.cell_percent, [[12.5, 37.5], [50, 0]])
    assert table.test is None  # four respondents, one empty cell: no design-based test


def test_no_test_with_a_single_used_row():
    table = crosstab(["a", "a"], ["x", "y"], row_categories=["a", "b"])
    assert table.row_categories == ["a", "b"] and table.test is None
