"""Weighted proportions and means with standard errors, margins of error and confidence intervals.

What is computed, and why it is exactly what samplics 0.6.1 computes
-------------------------------------------------------------------
The sample is treated as one stratum of primary units drawn **with replacement** (each
respondent is a PSU; no finite-population correction): samplics ``TaylorEstimator`` called
without ``stratum``/``psu``, and R ``svydesign(ids=~1, weights=~w)``.

- Point estimate: ``p_k = Σ w_i y_ik / Σ w_i`` (``y_ik`` = 1 when respondent i chose k).
- Variance by Taylor linearisation: scores ``z_i = w_i (y_ik − p_k) / Σw``;
  ``var = n/(n−1) · Σ (z_i − z̄)²``. For a proportion ``z̄ = 0``, so the sum splits into
  ``((1−p)² Σ_{i∈k} w_i² + p² Σ_{i∉k} w_i²) / (Σw)²`` — two ``bincount``s per question.
- Degrees of freedom ``n − 1`` (samplics: PSUs − strata) and Student's t quantile
  ``t(1 − α/2, n − 1)``, not the normal 1.96.
- Confidence interval of a proportion: samplics's default ``ciprop_method="logit"``:
  ``expit(logit(p) ± t · se / (p(1−p)))``, which stays inside [0, 1] and is asymmetric; when
  ``p`` is 0 or 1 the interval is ``[p, p]``. A mean gets the symmetric ``mean ± t · se``.
- Margin of error (biên sai số) ``moe = t · se``: the "±" figure a report prints. It is the
  half-width of the symmetric interval; the logit interval above is what ``ci_low/ci_high`` hold.
- Design effect ``deff``: **Kish's design effect due to unequal weighting**,
  ``n Σw² / (Σw)² = 1 + CV²(w)`` over the question's respondents, identical to samplics
  ``SampleWeight.calculate_deff_weight``. (samplics's ``TaylorEstimator`` has a ``deff``
  attribute but 0.6.1 never fills it, so there is no variance-ratio deff to match.)

Missing answers (None, "", NaN) are left out: every estimate is among those who answered.
Rows whose weight is 0 are left out too (samplics's CrossTabulation does the same;
its TaylorEstimator would keep them in ``n`` — give positive weights when comparing).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.special import expit
from scipy.stats import t as student_t

from surveystats._core import SurveyStatsError, as_weights, factorize, label_of, order_codes


class EstimateError(SurveyStatsError):
    """An estimate that cannot be computed from the data; ``row`` (0-based) when one is at fault."""

    def __init__(self, reason: str, *, row: int | None = None):
        self.reason = reason
        self.row = row
        where = "" if row is None else f"Hàng dữ liệu số {row + 1}: "
        super().__init__(where + reason)


@dataclass(frozen=True)
class Estimate:
    """One category of a categorical question, or one option of a select_multiple question."""

    category: str
    n: int
    weighted_n: float
    proportion: float
    se: float
    moe: float
    ci_low: float
    ci_high: float
    deff: float


@dataclass(frozen=True)
class MeanEstimate:
    n: int
    weighted_n: float
    mean: float
    se: float
    moe: float
    ci_low: float
    ci_high: float
    deff: float


@dataclass(frozen=True)
class Frequency:
    category: str
    n: int
    percent: float


@lru_cache(maxsize=4096)
def t_quantile(alpha: float, df: int) -> float:
    """Two-sided Student quantile; NaN when there are no degrees of freedom."""
    if df < 1:
        return math.nan
    return float(student_t.ppf(1 - alpha / 2, df))


def check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise EstimateError(f"Mức ý nghĩa alpha phải nằm giữa 0 và 1 (đang là {alpha}).")


def kish_deff(n: int, total: float, square_total: float) -> float:
    return n * square_total / total**2 if total > 0 else math.nan


def estimates_from_sums(
    categories: Sequence[str],
    counts: np.ndarray,
    totals: np.ndarray,
    squares: np.ndarray,
    *,
    n: int,
    total: float,
    square_total: float,
    alpha: float,
) -> list[Estimate]:
    """Estimates for each category from per-category sums of 1, w and w² over respondents.

    ``n``/``total``/``square_total`` are the sums over all respondents; they differ from the
    per-category sums added up for select_multiple, where one respondent picks several options.
    """
    if n == 0:
        return []
    proportion = totals / total
    # Σ z_i² split into rows inside and outside the category (see the module docstring).
    score_squares = ((1 - proportion) ** 2 * squares + proportion**2 * (square_total - squares))
    with np.errstate(invalid="ignore", divide="ignore"):
        variance = n / (n - 1) * score_squares / total**2 if n > 1 else np.full_like(totals, np.nan)
    se = np.sqrt(np.maximum(variance, 0.0))
    t = t_quantile(alpha, n - 1)
    ci_low, ci_high = logit_interval(proportion, se, t)
    deff = kish_deff(n, total, square_total)
    return [
        Estimate(
            category=str(category),
            n=int(counts[k]),
            weighted_n=float(totals[k]),
            proportion=float(proportion[k]),
            se=float(se[k]),
            moe=float(t * se[k]),
            ci_low=float(ci_low[k]),
            ci_high=float(ci_high[k]),
            deff=deff,
        )
        for k, category in enumerate(categories)
    ]


def logit_interval(
    proportion: np.ndarray, se: np.ndarray, t: float
) -> tuple[np.ndarray, np.ndarray]:
    """samplics's logit interval; ``[p, p]`` at 0 and 1 where the logit is undefined."""
    inside = (proportion > 0) & (proportion < 1)
    p = np.where(inside, proportion, 0.5)
    with np.errstate(invalid="ignore"):
        centre = np.log(p / (1 - p))
        half_width = t * se / (p * (1 - p))
    low = np.where(inside, expit(centre - half_width), proportion)
    high = np.where(inside, expit(centre + half_width), proportion)
    return low, high


def respondent_codes(
    values: Sequence, weights: Sequence[float] | None, categories: Sequence[str] | None
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Category codes and weights of the rows that answered and carry a positive weight."""
    codes, labels = factorize(values)
    codes, ordered = order_codes(codes, labels, categories)
    w = as_weights(weights, len(codes))
    keep = (codes >= 0) & (w > 0)
    return codes[keep], w[keep], ordered


def estimate_proportions(
    values: Sequence,
    weights: Sequence[float] | None = None,
    *,
    categories: Sequence[str] | None = None,
    alpha: float = 0.05,
) -> list[Estimate]:
    """Each category's weighted share among respondents (empty list when nobody answered)."""
    check_alpha(alpha)
    codes, w, ordered = respondent_codes(values, weights, categories)
    return estimates_from_codes(codes, ordered, w, w * w, alpha=alpha)


def estimates_from_codes(
    codes: np.ndarray,
    categories: Sequence[str],
    weights: np.ndarray,
    squared_weights: np.ndarray,
    *,
    alpha: float,
) -> list[Estimate]:
    """Estimates from respondents' category codes (no missing) and their weights."""
    size = len(categories)
    totals = np.bincount(codes, weights=weights, minlength=size)
    square_sums = np.bincount(codes, weights=squared_weights, minlength=size)
    return estimates_from_sums(
        categories,
        np.bincount(codes, minlength=size),
        totals,
        square_sums,
        n=len(codes),
        total=float(totals.sum()),
        square_total=float(square_sums.sum()),
        alpha=alpha,
    )


def split_options(answer: object) -> list[str]:
    """The options of one select_multiple answer (ODK stores them space-separated)."""
    label = label_of(answer)
    return [] if label is None else list(dict.fromkeys(label.split()))


def estimate_select_multiple(
    values: Sequence,
    weights: Sequence[float] | None = None,
    *,
    options: Sequence[str] | None = None,
    alpha: float = 0.05,
) -> list[Estimate]:
    """Each option as a yes/no question among respondents; shares need not add up to 1."""
    check_alpha(alpha)
    w_all = as_weights(weights, len(values))
    chosen = [split_options(answer) for answer in values]
    has_answer = np.array([bool(row) for row in chosen], dtype=bool)
    answered = np.flatnonzero(has_answer & (w_all > 0))
    ordered = _option_order(chosen, options)
    position = {option: index for index, option in enumerate(ordered)}
    # One (row, option) pair per tick, so bincount sums each option's weights.
    rows = np.array([row for row in answered for _ in chosen[row]], dtype=np.intp)
    codes = np.array([position[o] for row in answered for o in chosen[row]], dtype=np.intp)
    tick_weights = w_all[rows]
    w = w_all[answered]
    size = len(ordered)
    return estimates_from_sums(
        ordered,
        np.bincount(codes, minlength=size),
        np.bincount(codes, weights=tick_weights, minlength=size),
        np.bincount(codes, weights=tick_weights**2, minlength=size),
        n=len(answered),
        total=float(w.sum()),
        square_total=float(w @ w),
        alpha=alpha,
    )


def _option_order(chosen: list[list[str]], options: Sequence[str] | None) -> list[str]:
    seen = sorted({option for row in chosen for option in row})
    if options is None:
        return seen
    ordered = [str(option).strip() for option in options]
    listed = set(ordered)
    return ordered + [option for option in seen if option not in listed]


def numeric_values(values: Sequence) -> np.ndarray:
    """Floats with NaN for missing answers; a non-number names its row."""
    result = np.empty(len(values))
    for row, value in enumerate(values):
        label = label_of(value)
        if label is None:
            result[row] = np.nan
            continue
        try:
            # Vietnamese spreadsheets write decimals with a comma.
            result[row] = float(label.replace(",", "."))
        except ValueError:
            raise EstimateError(f"giá trị “{label}” không phải là số.", row=row) from None
        if not math.isfinite(result[row]):
            raise EstimateError(f"giá trị “{label}” không phải là số hữu hạn.", row=row)
    return result


def estimate_mean(
    values: Sequence, weights: Sequence[float] | None = None, *, alpha: float = 0.05
) -> MeanEstimate:
    """Weighted mean of a numeric question with samplics's Taylor SE and symmetric t interval."""
    check_alpha(alpha)
    y_all = numeric_values(values)
    w_all = as_weights(weights, len(y_all))
    keep = ~np.isnan(y_all) & (w_all > 0)
    y, w = y_all[keep], w_all[keep]
    n = len(y)
    if n == 0:
        raise EstimateError("Không có câu trả lời nào để tính trung bình.")
    total = float(w.sum())
    mean = float(w @ y / total)
    scores = w * (y - mean) / total
    centred = scores - scores.mean()
    se = math.sqrt(n / (n - 1) * float(centred @ centred)) if n > 1 else math.nan
    t = t_quantile(alpha, n - 1)
    return MeanEstimate(
        n=n,
        weighted_n=total,
        mean=mean,
        se=se,
        moe=t * se,
        ci_low=mean - t * se,
        ci_high=mean + t * se,
        deff=kish_deff(n, total, float(w @ w)),
    )


def unweighted_frequencies(
    values: Sequence, *, categories: Sequence[str] | None = None
) -> list[Frequency]:
    """Counts and percentages among respondents, categories in the given (or sorted) order."""
    codes, _, ordered = respondent_codes(values, None, categories)
    counts = np.bincount(codes, minlength=len(ordered))
    n = max(len(codes), 1)
    return [
        Frequency(category=label, n=int(count), percent=100.0 * count / n)
        for label, count in zip(ordered, counts, strict=True)
    ]
