"""Cross-tabulation of two categorical questions with a chi-square test of independence.

- Without weights: Pearson's X² = Σ (O − E)² / E with (r−1)(c−1) degrees of freedom — the same
  number as ``scipy.stats.chi2_contingency(correction=False)``.
- With weights: the Rao–Scott correction (Rao & Scott 1981, 1984), as in samplics
  ``CrossTabulation`` and R ``svychisq``. ``pearson = n Σ (p̂ − p̂₀)²/p̂₀`` on the weighted cell
  proportions (samplics "Pearson-Unadj"); the generalised design-effect matrix
  ``Δ = (X̃₂ᵀ V₀ X̃₂)⁻¹ (X̃₂ᵀ V X̃₂)`` compares the Taylor covariance ``V`` of the cell proportions
  (single-stage, with replacement, as in ``estimate``) with the multinomial one
  ``V₀ = (diag p̂ − p̂p̂ᵀ)/n``, over the interaction contrasts ``X̃₂`` (made orthogonal to the
  main effects in the ``V₀`` metric).

  * First-order: ``statistic = pearson / δ̄`` with ``δ̄ = tr Δ / df``, against χ²(df).
  * Second-order (Satterthwaite): ``F = pearson / tr Δ`` on ``(tr Δ)²/tr Δ²`` and
    ``(n − 1)·(tr Δ)²/tr Δ²`` degrees of freedom — samplics's "Pearson-Adj" formula. samplics
    0.6.1 computes it only when a matrix inversion fails and otherwise reports 0 (its ``try`` has
    an ``else`` that zeroes Δ), so the tests check it against samplics's formula on samplics's
    own covariance rather than against its output.

Cells are ordered by row then column; rows or columns without a respondent are shown in the
table but left out of the test.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import chi2
from scipy.stats import f as f_distribution

from surveystats._core import SurveyStatsError, as_weights, factorize, order_codes


@dataclass(frozen=True)
class ChiSquareTest:
    method: str  # "pearson" or "rao-scott"
    statistic: float
    df: int
    p_value: float
    pearson: float
    f_statistic: float | None = None
    df_num: float | None = None
    df_den: float | None = None
    f_p_value: float | None = None


@dataclass(frozen=True)
class Crosstab:
    row_categories: list[str]
    col_categories: list[str]
    counts: np.ndarray
    totals: np.ndarray
    cell_percent: np.ndarray
    row_percent: np.ndarray
    col_percent: np.ndarray
    # None when fewer than two rows or columns have respondents, or (weighted) when the cells are
    # too sparse for the design-effect matrix to be estimated.
    test: ChiSquareTest | None


def crosstab(
    rows: Sequence,
    cols: Sequence,
    weights: Sequence[float] | None = None,
    *,
    row_categories: Sequence[str] | None = None,
    col_categories: Sequence[str] | None = None,
) -> Crosstab:
    """Counts, weighted totals, percentages and the independence test of two questions."""
    if len(rows) != len(cols):
        raise SurveyStatsError(
            f"Hai biến có số hàng khác nhau ({len(rows)} và {len(cols)})."
        )
    row_codes, row_labels = _codes(rows, row_categories)
    col_codes, col_labels = _codes(cols, col_categories)
    w = as_weights(weights, len(rows))
    keep = (row_codes >= 0) & (col_codes >= 0) & (w > 0)
    shape = (len(row_labels), len(col_labels))
    cells = row_codes[keep] * shape[1] + col_codes[keep]
    w = w[keep]
    size = shape[0] * shape[1]
    counts = np.bincount(cells, minlength=size).reshape(shape)
    totals = np.bincount(cells, weights=w, minlength=size).reshape(shape)
    test = _test(cells, w, shape, weighted=weights is not None)
    return Crosstab(
        row_categories=row_labels,
        col_categories=col_labels,
        counts=counts,
        totals=totals,
        cell_percent=_percent(totals, totals.sum()),
        row_percent=_percent(totals, totals.sum(axis=1, keepdims=True)),
        col_percent=_percent(totals, totals.sum(axis=0, keepdims=True)),
        test=test,
    )


def _codes(values: Sequence, categories: Sequence[str] | None) -> tuple[np.ndarray, list[str]]:
    codes, labels = factorize(values)
    return order_codes(codes, labels, categories)


def _percent(part: np.ndarray, whole: np.ndarray | float) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(whole > 0, 100.0 * part / whole, 0.0)


def _test(cells: np.ndarray, w: np.ndarray, shape: tuple[int, int], *, weighted: bool):
    totals = np.bincount(cells, weights=w, minlength=shape[0] * shape[1]).reshape(shape)
    used_rows = np.flatnonzero(totals.sum(axis=1) > 0)
    used_cols = np.flatnonzero(totals.sum(axis=0) > 0)
    if len(used_rows) < 2 or len(used_cols) < 2:
        return None
    # Re-index cells to the rows and columns that have respondents.
    row_index = np.full(shape[0], -1)
    row_index[used_rows] = np.arange(len(used_rows))
    col_index = np.full(shape[1], -1)
    col_index[used_cols] = np.arange(len(used_cols))
    r, c = len(used_rows), len(used_cols)
    cells = row_index[cells // shape[1]] * c + col_index[cells % shape[1]]
    n = len(cells)
    p = np.bincount(cells, weights=w, minlength=r * c) / w.sum()
    df = (r - 1) * (c - 1)
    pearson = _pearson(p.reshape(r, c), n)
    if not weighted:
        return ChiSquareTest(
            method="pearson",
            statistic=pearson,
            df=df,
            p_value=float(chi2.sf(pearson, df)),
            pearson=pearson,
        )
    return _rao_scott(cells, w, p, (r, c), pearson)


def _pearson(p: np.ndarray, n: int) -> float:
    expected = p.sum(axis=1, keepdims=True) * p.sum(axis=0, keepdims=True)
    return float(n * (((p - expected) ** 2) / expected).sum())


def _rao_scott(
    cells: np.ndarray, w: np.ndarray, p: np.ndarray, shape: tuple[int, int], pearson: float
) -> ChiSquareTest | None:
    r, c = shape
    n = len(cells)
    df = (r - 1) * (c - 1)
    delta = _design_effect_matrix(
        _taylor_covariance(cells, w, p), (np.diag(p) - np.outer(p, p)) / n, r, c
    )
    trace = float(np.trace(delta))
    trace_squared = float(np.trace(delta @ delta))
    if not (math.isfinite(trace) and trace > 0 and trace_squared > 0):
        return None  # too few respondents per cell for a design-based test
    first_order = pearson * df / trace
    df_num = trace**2 / trace_squared
    df_den = (n - 1) * df_num
    f_statistic = pearson / trace
    return ChiSquareTest(
        method="rao-scott",
        statistic=first_order,
        df=df,
        p_value=float(chi2.sf(first_order, df)),
        pearson=pearson,
        f_statistic=f_statistic,
        df_num=df_num,
        df_den=df_den,
        f_p_value=float(f_distribution.sf(f_statistic, df_num, df_den)),
    )


def _taylor_covariance(cells: np.ndarray, w: np.ndarray, p: np.ndarray) -> np.ndarray:
    """n/(n−1) Σ zᵢzᵢᵀ with zᵢ = wᵢ(e_cell(i) − p)/Σw, summed per cell instead of per row.

    Σ wᵢ²(e−p)(e−p)ᵀ = diag(S) − S pᵀ − p Sᵀ + (ΣS) p pᵀ, where S holds each cell's Σw²;
    the scores average to zero, so there is no centring term.
    """
    n = len(cells)
    squares = np.bincount(cells, weights=w * w, minlength=len(p))
    outer = np.outer(squares, p)
    scatter = np.diag(squares) - outer - outer.T + squares.sum() * np.outer(p, p)
    return n / (n - 1) * scatter / w.sum() ** 2


def _design_effect_matrix(
    design: np.ndarray, multinomial: np.ndarray, r: int, c: int
) -> np.ndarray:
    main, interaction = _contrasts(r, c)
    # Both covariances annihilate the constant vector, so the intercept can be left out of the
    # main effects; that keeps Xᵀ V₀ X invertible whenever every row and column is used.
    projection = _solve(main.T @ multinomial @ main, main.T @ multinomial @ interaction)
    residual = interaction - main @ projection
    return _solve(residual.T @ multinomial @ residual, residual.T @ design @ residual)


def _contrasts(r: int, c: int) -> tuple[np.ndarray, np.ndarray]:
    """Treatment-coded main effects (rows 2..r, columns 2..c) and their interactions."""
    row_dummies = np.kron(np.eye(r)[:, 1:], np.ones((c, 1)))
    col_dummies = np.kron(np.ones((r, 1)), np.eye(c)[:, 1:])
    interaction = np.einsum("ki,kj->kij", row_dummies, col_dummies).reshape(r * c, -1)
    return np.hstack([row_dummies, col_dummies]), interaction


def _solve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        # Empty cells can make the system singular; the pseudo-inverse is what samplics uses then.
        return np.linalg.pinv(a, hermitian=True) @ b


def is_significant(test: ChiSquareTest | None, alpha: float = 0.05) -> bool:
    """Whether the test rejects independence at ``alpha`` (the p-value the method reports)."""
    return test is not None and not math.isnan(test.p_value) and test.p_value < alpha
