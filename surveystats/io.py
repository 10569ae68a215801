"""The files of a weighting or an estimate: weights read from a column, respondent ids, weights
matched to the rows of a response table, refusals located in the file to change (pure: no
Django). ``longdan survey weigh|estimate`` is built on these.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from surveystats._core import SurveyStatsError, label_of
from surveystats.estimate import t_quantile
from surveystats.table import (
    ROW_COLUMN,
    MarginsFile,
    ResponseTable,
    TableError,
    read_weights,
)
from surveystats.weighting import RakingNotConverged, WeightingError

__all__ = ["aligned_weights", "base_weights", "located", "respondent_ids", "respondents"]


def base_weights(table: ResponseTable, column: str) -> np.ndarray:
    """The positive base weight of every row, from ``column``."""
    values = table.require_column(column)
    weights = np.empty(table.n_rows)
    for row, text in enumerate(values):
        try:
            weights[row] = float(text.strip().replace(",", "."))
        except ValueError:
            weights[row] = math.nan
        if not math.isfinite(weights[row]) or weights[row] <= 0:
            raise TableError(f"trọng số gốc phải là số dương, đang là “{text}”.",
                             path=table.path, line=table.line_of(row), column=column)
    return weights


def respondent_ids(table: ResponseTable, id_column: str | None) -> list[str]:
    """Every row's respondent id from ``id_column`` (present, unique), or its number from 1."""
    if id_column is None:
        return [str(row + 1) for row in range(table.n_rows)]
    ids = [label_of(value) or "" for value in table.require_column(id_column)]
    first_line: dict[str, int] = {}
    for row, identifier in enumerate(ids):
        line = table.line_of(row)
        if not identifier:
            raise TableError("thiếu mã người trả lời.", path=table.path, line=line,
                             column=id_column)
        if identifier in first_line:
            raise TableError(f"mã “{identifier}” đã có ở dòng {first_line[identifier]}.",
                             path=table.path, line=line, column=id_column)
        first_line[identifier] = line
    return ids


def located(
    error: WeightingError, table: ResponseTable, margins_file: MarginsFile,
    base_column: str | None,
) -> SurveyStatsError:
    """The same refusal, pointing at the line of the file that has to change."""
    if error.row is not None:
        return TableError(error.reason, path=table.path, line=table.line_of(error.row),
                          column=error.variable or base_column)
    if error.variable is not None:
        return TableError(f"biến “{error.variable}”: {error.reason}", path=margins_file.path,
                          line=margins_file.line_of(error.variable, error.category))
    if isinstance(error, RakingNotConverged):
        return error  # about the data and the margins together, no one place to point at
    return TableError(error.reason, path=margins_file.path)


def aligned_weights(table: ResponseTable, path: str, id_column: str | None) -> np.ndarray:
    """The weight of every data row, matched by respondent id or by row number."""
    weights_file = read_weights(path, id_column=id_column)
    by_id = dict(zip(weights_file.ids, weights_file.weights, strict=True))
    if weights_file.id_column == ROW_COLUMN and ROW_COLUMN not in table.columns:
        keys = [str(row + 1) for row in range(table.n_rows)]
        key_column = None
    else:
        key_column = weights_file.id_column
        if key_column not in table.columns:
            raise TableError(
                f"tệp trọng số {weights_file.path.name} ghép theo cột “{key_column}” nhưng bảng"
                " trả lời không có cột này.", path=table.path, line=1,
            )
        keys = [label_of(value) or "" for value in table.columns[key_column]]
    weights = np.empty(table.n_rows)
    for row, key in enumerate(keys):
        if key not in by_id:
            what = f"mã “{key}”" if key_column else f"hàng số {key}"
            raise TableError(f"tệp trọng số {weights_file.path.name} không có trọng số cho {what}.",
                             path=table.path, line=table.line_of(row), column=key_column)
        weights[row] = by_id[key]
    return weights


def respondents(values: Sequence, weights: np.ndarray | None, alpha: float) -> dict:
    """How many answered (with a positive weight), the degrees of freedom and the t quantile."""
    answered = np.array([label_of(value) is not None for value in values], dtype=bool)
    if weights is not None:
        answered &= weights > 0
    n = int(answered.sum())
    return {"n": n, "df": n - 1, "t": t_quantile(alpha, n - 1) if n > 1 else math.nan}
