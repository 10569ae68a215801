"""Fixtures for the surveystats tests: samplics, imported once and quietly."""

from __future__ import annotations

import warnings

import pytest


@pytest.fixture(scope="session")
def samplics():
    """samplics's classes, imported without its 'archived' FutureWarning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        from samplics.categorical import CrossTabulation
        from samplics.estimation import TaylorEstimator
        from samplics.utils.types import PopParam
        from samplics.weighting import SampleWeight
    return {
        "TaylorEstimator": TaylorEstimator,
        "PopParam": PopParam,
        "SampleWeight": SampleWeight,
        "CrossTabulation": CrossTabulation,
    }
