"""Pieces every surveystats module shares: the error base, missing values, codes, weights.

Answers arrive as whatever a response table holds (str, int, float, None). They are compared as
text after ``strip()``, so ``" Nam"`` and ``"Nam"`` are one category and ``1`` matches a margin
key ``"1"``. ``None``, ``""`` and NaN mean "not answered".
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


class SurveyStatsError(ValueError):
    """A refusal caused by the data; ``str()`` is a Vietnamese sentence for the user."""


def label_of(value: object) -> str | None:
    """The category label of one answer, or None when the answer is missing."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            # A CSV read by another tool may turn "2" into 2.0; keep the label "2".
            return str(int(value))
    text = str(value).strip()
    return text or None


def factorize(values: Sequence) -> tuple[np.ndarray, list[str]]:
    """Integer codes (``-1`` for missing) and the labels they index, in first-seen order.

    Rows are only hashed; the label clean-up runs once per distinct raw value, which is what
    keeps 100,000 rows x 60 questions fast.
    """
    values = _hashable(values)
    # dict.fromkeys and map(dict.__getitem__) both loop in C: ~30 ns a row.
    seen = {value: code for code, value in enumerate(dict.fromkeys(values))}
    raw_codes = np.fromiter(map(seen.__getitem__, values), dtype=np.intp, count=len(values))
    labels: list[str] = []
    label_code: dict[str, int] = {}
    remap = np.empty(len(seen), dtype=np.intp)
    for raw, code in seen.items():
        label = label_of(raw)
        if label is None:
            remap[code] = -1
            continue
        if label not in label_code:
            label_code[label] = len(labels)
            labels.append(label)
        remap[code] = label_code[label]
    return remap[raw_codes], labels


def _hashable(values: Sequence):
    # Python objects hash (numpy scalars hash slowly), and a list iterates faster than an array.
    if isinstance(values, np.ndarray):
        return values.tolist()
    return values


def order_codes(
    codes: np.ndarray, labels: list[str], categories: Sequence[str] | None
) -> tuple[np.ndarray, list[str]]:
    """Recode so that categories come in the caller's order (or sorted), unknown ones appended.

    Sorted text order is the order samplics (pandas ``get_dummies``) reports categories in.
    """
    if categories is None:
        ordered = sorted(labels)
    else:
        ordered = [str(category).strip() for category in categories]
        ordered += sorted(set(labels) - set(ordered))
    position = {label: index for index, label in enumerate(ordered)}
    # The trailing -1 is what code -1 (missing) indexes, so missing stays missing.
    remap = np.array([position[label] for label in labels] + [-1], dtype=np.intp)
    return remap[codes], ordered


def vn_number(value: float, decimals: int = 0) -> str:
    """A number as Vietnamese writes it: dot between thousands, comma before decimals."""
    if not math.isfinite(value):
        return "—"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def as_weights(weights: Sequence[float] | None, n_rows: int) -> np.ndarray:
    """Validated float weights (ones when none are given); negative or non-finite ones refused."""
    if weights is None:
        return np.ones(n_rows)
    array = np.asarray(weights, dtype=float)
    if array.ndim != 1 or array.shape[0] != n_rows:
        raise SurveyStatsError(
            f"Số trọng số ({array.size}) khác số hàng dữ liệu ({n_rows})."
        )
    bad = np.flatnonzero(~np.isfinite(array) | (array < 0))
    if bad.size:
        row = int(bad[0])
        raise SurveyStatsError(
            f"Trọng số ở hàng dữ liệu số {row + 1} không hợp lệ ({array[row]}): trọng số phải"
            " là số không âm."
        )
    return array
