"""Shared pieces: checking a count series, a negative binomial given by its mean and variance, and
the wording of a usual range in Vietnamese."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special


class TrendsError(ValueError):
    """Bad input to the trends package; the message is Vietnamese and names the field."""


def as_counts(values: Sequence[int], field: str) -> np.ndarray:
    """The series as a float array of non-negative whole numbers, or a TrendsError naming it."""
    array = np.asarray(list(values), dtype=float)
    if array.ndim != 1:
        raise TrendsError(f"«{field}» phải là một dãy số đếm.")
    if array.size and (not np.all(np.isfinite(array)) or np.any(array < 0)):
        raise TrendsError(f"«{field}» chỉ được chứa số đếm không âm.")
    if array.size and np.any(array != np.round(array)):
        raise TrendsError(f"«{field}» chỉ được chứa số nguyên.")
    return array


def as_count(value: int, field: str) -> int:
    """One non-negative whole number, or a TrendsError naming the field."""
    if isinstance(value, bool) or not float(value).is_integer() or value < 0:
        raise TrendsError(f"«{field}» phải là một số đếm không âm (nhận được {value!r}).")
    return int(value)


def check_probability(value: float, field: str) -> float:
    if not 0.0 < value < 1.0:
        raise TrendsError(f"«{field}» phải nằm giữa 0 và 1 (nhận được {value!r}).")
    return float(value)


@dataclass(frozen=True)
class NegBinom:
    """A count distribution given by its mean and variance: a negative binomial when the variance
    exceeds the mean, a Poisson when it does not (the variance is then taken equal to the mean)."""

    mean: float
    variance: float

    @property
    def is_poisson(self) -> bool:
        return self.variance <= self.mean * (1 + 1e-9) or self.mean <= 0

    @property
    def size(self) -> float:
        """The negative binomial's size (``r``): smaller is more overdispersed; inf for Poisson."""
        if self.is_poisson:
            return math.inf
        return self.mean**2 / (self.variance - self.mean)

    @property
    def prob(self) -> float:
        """The negative binomial's success probability ``p = mean / variance``."""
        return 1.0 if self.is_poisson else self.mean / self.variance

    def cdf(self, counts) -> np.ndarray:
        """P(X <= k) for each k (special functions directly: scipy's frozen distributions cost
        a millisecond a call, and the picture ranks every topic, issue and area)."""
        ks = np.asarray(counts, dtype=float)
        if self.mean <= 0:
            return np.where(ks >= 0, 1.0, 0.0)
        below = ks < 0
        ks = np.maximum(ks, 0.0)
        if self.is_poisson:
            values = special.pdtr(ks, self.mean)
        else:
            values = special.betainc(self.size, ks + 1, self.prob)
        return np.where(below, 0.0, values)

    def sf_at_least(self, count: int) -> float:
        """P(X >= count): the one-sided p-value of a count this high (exact in the far tail)."""
        if count <= 0:
            return 1.0
        if self.mean <= 0:
            return 0.0
        if self.is_poisson:
            return float(special.pdtrc(count - 1, self.mean))
        return float(special.betainc(count, self.size, 1 - self.prob))

    def quantile(self, q: float) -> int:
        """The smallest count whose cumulative probability reaches ``q``."""
        if self.mean <= 0:
            return 0
        bound = int(self.mean + 12 * math.sqrt(self.variance) + 12)
        while True:
            cdf = self.cdf(np.arange(bound + 1))
            index = int(np.searchsorted(cdf, q - 1e-12))
            if index <= bound:
                return index
            bound *= 2


def usual_range_vi(low: int, high: int) -> str:
    """'bình thường 2–4' (an en dash), or the wording for a range that holds one value only."""
    if high <= 0:
        return "bình thường không có ý kiến nào"
    if low == high:
        return f"bình thường khoảng {low}"
    return f"bình thường {low}–{high}"


def percent_vi(share: float) -> str:
    """A share as a Vietnamese percentage: whole numbers, a decimal comma below 10%."""
    value = 100.0 * share
    if 0 < value < 10 and round(value) != value:
        return f"{value:.1f}".replace(".", ",") + "%"
    return f"{round(value)}%"
