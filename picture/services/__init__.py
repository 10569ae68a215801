"""Writes of the picture app; one module per subject, this package re-exports their public names
(callers use ``from picture import services``). Each module follows the house rules: keyword-only
arguments, one transaction, an audit entry."""

from picture.services.directions import (
    acknowledge,
    addressable_units,
    can_act_for,
    can_close,
    can_direct,
    create_direction,
    report_progress,
    set_status,
)

__all__ = [
    "acknowledge",
    "addressable_units",
    "can_act_for",
    "can_close",
    "can_direct",
    "create_direction",
    "report_progress",
    "set_status",
]
