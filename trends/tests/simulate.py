"""Constructed weekly count series for the forecast and backtest tests (fixed seeds)."""

from __future__ import annotations

import numpy as np

SEASON = 52


def seasonal_means(weeks: int, base: float, amplitude: float = 1.0, phase: int = 0) -> np.ndarray:
    """A yearly cycle on the log scale: the mean swings between base/e^a and base·e^a."""
    t = np.arange(weeks) + phase
    return base * np.exp(amplitude * np.sin(2 * np.pi * t / SEASON))


def negative_binomial(rng: np.random.Generator, means: np.ndarray, size: float) -> np.ndarray:
    """One draw per week from a negative binomial of these means and this size."""
    return rng.negative_binomial(size, size / (size + means))
