"""Every question's weighted frequency table at once, for the survey results page.

Each column is factorised once (one hash per row, see ``_core.factorize``) and its categories'
counts, weighted totals and sums of squared weights come from three ``np.bincount`` calls; the
standard errors and intervals then follow per category in closed form (``estimate`` module
docstring). The numbers are identical to ``estimate_proportions`` question by question.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np

from surveystats._core import SurveyStatsError, as_weights, factorize, order_codes
from surveystats.estimate import (
    Estimate,
    check_alpha,
    estimate_select_multiple,
    estimates_from_codes,
)


def frequency_tables(
    table: Mapping[str, Sequence],
    weights: Sequence[float] | None = None,
    *,
    select_multiple: Collection[str] = (),
    categories: Mapping[str, Sequence[str]] | None = None,
    alpha: float = 0.05,
) -> dict[str, list[Estimate]]:
    """``{question: [Estimate, ...]}`` for every column of ``table``, in the table's order."""
    check_alpha(alpha)
    categories = categories or {}
    n_rows = _row_count(table)
    w = as_weights(weights, n_rows)
    weighted = _WeightsOnce(w)
    tables = {}
    for name, values in table.items():
        if name in select_multiple:
            tables[name] = estimate_select_multiple(
                values, w, options=categories.get(name), alpha=alpha
            )
        else:
            tables[name] = _categorical(values, weighted, categories.get(name), alpha)
    return tables


class _WeightsOnce:
    """Weights, squared weights and the positive-weight mask, computed once for all questions."""

    def __init__(self, w: np.ndarray):
        self.w = w
        self.squares = w * w
        self.positive = w > 0
        self.all_positive = bool(self.positive.all())


def _categorical(
    values: Sequence, weighted: _WeightsOnce, categories: Sequence[str] | None, alpha: float
) -> list[Estimate]:
    codes, labels = factorize(values)
    codes, ordered = order_codes(codes, labels, categories)
    keep = codes >= 0
    if not weighted.all_positive:
        keep &= weighted.positive
    w, squares = weighted.w, weighted.squares
    if not keep.all():
        codes, w, squares = codes[keep], w[keep], squares[keep]
    return estimates_from_codes(codes, ordered, w, squares, alpha=alpha)


def _row_count(table: Mapping[str, Sequence]) -> int:
    lengths = {name: len(values) for name, values in table.items()}
    if not lengths:
        return 0
    if len(set(lengths.values())) > 1:
        first, *_ = lengths
        odd = next(name for name, size in lengths.items() if size != lengths[first])
        raise SurveyStatsError(
            f"Cột “{odd}” có {lengths[odd]} hàng, khác cột “{first}” ({lengths[first]} hàng)."
        )
    return next(iter(lengths.values()))
