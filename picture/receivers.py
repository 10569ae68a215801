"""Listeners on the floors below: every write that changes what the picture counts marks the days
it touches as dirty (picture.rollups); the worker, or the next read of those days, refreshes
them."""

from __future__ import annotations


def connect() -> None:
    """Filled in by the rollups (issue 8)."""
