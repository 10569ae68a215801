"""Post-stratification and raking of a response table to known population margins.

Margins are ``{"variable": {"category": population, ...}, ...}``; the weights returned sum to
the population total. Both methods start from base weights (ones when none are given).

- ``poststratify``: one variable; ``w_i · N_c / Σ_{j∈c} w_j`` — samplics
  ``SampleWeight.poststratify(samp_weight, control, domain)``.
- ``rake`` (iterative proportional fitting): post-stratify on each variable in turn, in the
  order of the margins, and repeat the pass. The stopping rule is samplics's
  ``SampleWeight.rake`` with ``tol = ctrl_tol = tolerance``: after a pass, every category's
  weighted total must have moved by at most ``tolerance`` (relative) since the previous pass and
  be within ``tolerance`` (relative) of its population. Same passes, same rule, so the weights
  equal samplics's to rounding. Unlike samplics, running out of passes is an error
  (``RakingNotConverged``) rather than silently returned weights.

Trimming is not implemented: the Kish design effect in ``weight_summary`` shows when weights
have become too variable, and the fix is usually to merge sparse categories in the margins.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from surveystats._core import SurveyStatsError, as_weights, factorize, label_of, vn_number

#: Relative difference allowed between the totals of two margin variables.
TOTALS_TOLERANCE = 1e-6


class WeightingError(SurveyStatsError):
    """A table that cannot be weighted to these margins; names variable, category and row."""

    def __init__(
        self,
        reason: str,
        *,
        variable: str | None = None,
        category: str | None = None,
        row: int | None = None,
    ):
        self.reason = reason
        self.variable = variable
        self.category = category
        self.row = row
        super().__init__(self._sentence())

    def _sentence(self) -> str:
        where = []
        if self.variable is not None:
            where.append(f"biến “{self.variable}”")
        if self.row is not None:
            where.append(f"hàng dữ liệu số {self.row + 1}")
        if not where:
            return f"{self.reason[0].upper()}{self.reason[1:]}"
        place = ", ".join(where)
        return f"{place[0].upper()}{place[1:]}: {self.reason}"


class RakingNotConverged(WeightingError):
    def __init__(self, *, iterations: int, max_deviation: float):
        self.iterations = iterations
        self.max_deviation = max_deviation
        super().__init__(
            f"phép cào (raking) không hội tụ sau {iterations} vòng lặp (độ lệch lớn nhất so với"
            f" biên tổng thể còn {max_deviation:.2e}). Hãy gộp các nhóm quá ít người trả lời,"
            " kiểm tra các biên có mâu thuẫn nhau không, hoặc tăng số vòng lặp tối đa."
        )


@dataclass(frozen=True)
class RakingResult:
    weights: np.ndarray
    iterations: int
    max_deviation: float


@dataclass(frozen=True)
class WeightSummary:
    n: int
    total: float
    min: float
    max: float
    mean: float
    deff_kish: float
    effective_n: float


@dataclass(frozen=True)
class _Margin:
    variable: str
    categories: list[str]
    targets: np.ndarray
    codes: np.ndarray  # each row's index into categories


def rake(
    columns: Mapping[str, Sequence],
    margins: Mapping[str, Mapping[str, float]],
    *,
    base_weights: Sequence[float] | None = None,
    tolerance: float = 1e-6,
    max_iterations: int = 100,
) -> np.ndarray:
    """Weights whose totals match every margin; raises ``RakingNotConverged`` otherwise."""
    return rake_detailed(
        columns,
        margins,
        base_weights=base_weights,
        tolerance=tolerance,
        max_iterations=max_iterations,
    ).weights


def rake_detailed(
    columns: Mapping[str, Sequence],
    margins: Mapping[str, Mapping[str, float]],
    *,
    base_weights: Sequence[float] | None = None,
    tolerance: float = 1e-6,
    max_iterations: int = 100,
) -> RakingResult:
    """``rake`` plus the number of passes it took and the remaining largest relative deviation."""
    if not tolerance > 0:
        raise WeightingError(f"ngưỡng hội tụ phải là số dương (đang là {tolerance}).")
    if max_iterations < 1:
        raise WeightingError(f"số vòng lặp tối đa phải từ 1 trở lên (đang là {max_iterations}).")
    prepared = prepare_margins(columns, margins)
    weights = _base_weights(base_weights, prepared)
    _check_every_category_reached(prepared)
    previous = [_totals(margin, weights) for margin in prepared]
    deviation = math.inf
    for iteration in range(1, max_iterations + 1):
        for margin in prepared:
            weights = weights * (margin.targets / _totals(margin, weights))[margin.codes]
        current = [_totals(margin, weights) for margin in prepared]
        change = _largest_relative_gap(current, previous)
        deviation = _largest_relative_gap(current, [margin.targets for margin in prepared])
        if change <= tolerance and deviation <= tolerance:
            return RakingResult(weights=weights, iterations=iteration, max_deviation=deviation)
        previous = current
    raise RakingNotConverged(iterations=max_iterations, max_deviation=deviation)


def poststratify(
    columns: Mapping[str, Sequence],
    margins: Mapping[str, Mapping[str, float]],
    *,
    base_weights: Sequence[float] | None = None,
) -> np.ndarray:
    """Weights that make each category of the single margin variable sum to its population."""
    if len(margins) != 1:
        raise WeightingError(
            f"hậu phân tầng cần đúng một biến trong tệp biên tổng thể (đang có {len(margins)});"
            " với nhiều biến, hãy dùng phương pháp cào (raking)."
        )
    prepared = prepare_margins(columns, margins)
    weights = _base_weights(base_weights, prepared)
    _check_every_category_reached(prepared)
    (margin,) = prepared
    return weights * (margin.targets / _totals(margin, weights))[margin.codes]


def weight_summary(weights: Sequence[float]) -> WeightSummary:
    w = np.asarray(weights, dtype=float)
    total = float(w.sum())
    deff = len(w) * float(w @ w) / total**2 if total > 0 else math.nan
    return WeightSummary(
        n=len(w),
        total=total,
        min=float(w.min()) if len(w) else math.nan,
        max=float(w.max()) if len(w) else math.nan,
        mean=total / len(w) if len(w) else math.nan,
        deff_kish=deff,
        effective_n=len(w) / deff if deff else math.nan,
    )


def prepare_margins(
    columns: Mapping[str, Sequence], margins: Mapping[str, Mapping[str, float]]
) -> list[_Margin]:
    """Validate the margins against the data; each variable's rows coded to its categories."""
    if not margins:
        raise WeightingError("tệp biên tổng thể không có biến nào.")
    prepared = [_prepare_margin(columns, str(variable), spec) for variable, spec in margins.items()]
    _check_same_totals(prepared)
    return prepared


def _prepare_margin(columns: Mapping[str, Sequence], variable: str, spec) -> _Margin:
    if variable not in columns:
        raise WeightingError("không có cột này trong bảng trả lời.", variable=variable)
    if not isinstance(spec, Mapping) or not spec:
        raise WeightingError("biên tổng thể phải là danh sách nhóm: dân số.", variable=variable)
    categories, targets = _margin_targets(variable, spec)
    codes, labels = factorize(columns[variable])
    if (codes < 0).any():
        raise WeightingError("thiếu giá trị.", variable=variable, row=int(np.argmax(codes < 0)))
    position = {category: index for index, category in enumerate(categories)}
    unknown = [label for label in labels if label not in position]
    if unknown:
        row = int(np.argmax(codes == labels.index(unknown[0])))
        raise WeightingError(
            f"giá trị “{unknown[0]}” không có trong biên tổng thể (các nhóm có biên: "
            f"{', '.join(categories)}).",
            variable=variable,
            category=unknown[0],
            row=row,
        )
    remap = np.array([position[label] for label in labels], dtype=np.intp)
    return _Margin(variable=variable, categories=categories, targets=targets, codes=remap[codes])


def _margin_targets(variable: str, spec: Mapping) -> tuple[list[str], np.ndarray]:
    categories: list[str] = []
    targets: list[float] = []
    for raw_category, raw_population in spec.items():
        category = label_of(raw_category) or ""
        population = _population(variable, category, raw_population)
        if category in categories:
            raise WeightingError(
                f"nhóm “{category}” được khai báo hai lần.", variable=variable, category=category
            )
        categories.append(category)
        targets.append(population)
    return categories, np.array(targets)


def _population(variable: str, category: str, value: object) -> float:
    number = math.nan
    if not isinstance(value, str | bool) and value is not None:
        try:
            number = float(value)  # int, float, Decimal, numpy numbers
        except (TypeError, ValueError):
            pass
    if not math.isfinite(number) or number <= 0:
        raise WeightingError(
            f"dân số của nhóm “{category}” phải là một số dương (đang là {value!r}).",
            variable=variable,
            category=category,
        )
    return float(number)


def _check_same_totals(prepared: list[_Margin]) -> None:
    first = prepared[0]
    first_total = float(first.targets.sum())
    for margin in prepared[1:]:
        total = float(margin.targets.sum())
        if abs(total - first_total) > TOTALS_TOLERANCE * first_total:
            raise WeightingError(
                f"tổng dân số của các nhóm ({_population_text(total)}) khác tổng của biến"
                f" “{first.variable}” ({_population_text(first_total)}); mọi biến phải mô tả"
                " cùng một tổng thể.",
                variable=margin.variable,
            )


def _population_text(value: float) -> str:
    return vn_number(value, 4).rstrip("0").rstrip(",")


def _base_weights(base_weights: Sequence[float] | None, prepared: list[_Margin]) -> np.ndarray:
    n_rows = len(prepared[0].codes)
    if base_weights is None:
        return np.ones(n_rows)
    try:
        weights = as_weights(base_weights, n_rows)
    except SurveyStatsError as error:
        raise WeightingError(f"trọng số gốc: {error}") from None
    zero = np.flatnonzero(weights <= 0)
    if zero.size:
        raise WeightingError(
            "trọng số gốc phải là số dương (đang là 0).", row=int(zero[0])
        )
    return weights


def _check_every_category_reached(prepared: list[_Margin]) -> None:
    for margin in prepared:
        counts = np.bincount(margin.codes, minlength=len(margin.categories))
        for category, count, target in zip(margin.categories, counts, margin.targets, strict=True):
            if count == 0:
                raise WeightingError(
                    f"nhóm “{category}” có dân số {_population_text(target)} nhưng không có"
                    " người trả lời nào trong mẫu nên không thể gia quyền; hãy gộp nhóm này với"
                    " một nhóm khác.",
                    variable=margin.variable,
                    category=category,
                )


def _totals(margin: _Margin, weights: np.ndarray) -> np.ndarray:
    return np.bincount(margin.codes, weights=weights, minlength=len(margin.categories))


def _largest_relative_gap(values: list[np.ndarray], references: list[np.ndarray]) -> float:
    return max(
        float(np.max(np.abs(value - reference) / reference))
        for value, reference in zip(values, references, strict=True)
    )
