"""Reads of the approval chain (issue 15): the reports that wait for the reader's decision.

The office waits for reports the level above approved and for those of units with no level
between them and the office; a đảng bộ's reporter waits for the submitted reports of the units
directly below it. Every read goes through the reader's scope (``reports_visible_to``).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.text import fold
from orgs.models import OrgUnit, User
from reporting import approval as chain
from reporting.models import UnitReport
from reporting.selectors import reports_visible_to

REVIEWING_KIND = OrgUnit.Kind.PARTY_COMMITTEE


def waiting_for(user: User, query: str = "") -> QuerySet[UnitReport]:
    """Submitted reports waiting for ``user`` to approve, accept or return, oldest first."""
    reports = reports_visible_to(user).filter(state=UnitReport.State.SUBMITTED)
    if user.is_office:
        direct = Q(approval=chain.NONE) & ~Q(unit__parent__kind=REVIEWING_KIND)
        reports = reports.filter(Q(approval=chain.APPROVED) | direct)
    elif (user.role == User.Role.REPORTER and user.unit_id is not None
          and user.unit.kind == REVIEWING_KIND):
        reports = reports.filter(approval=chain.NONE, unit__parent_id=user.unit_id)
    else:
        return reports.none()
    if query:
        reports = reports.filter(unit__name_folded__contains=fold(query))
    return reports.select_related("unit__parent", "approved_by").order_by(
        "submitted_at", "unit__sort_key", "pk")


def reviews(user: User) -> bool:
    """Whether ``user`` has a place in the chain (the office, a đảng bộ's reporter)."""
    return user.is_office or (user.role == User.Role.REPORTER and user.unit_id is not None
                              and user.unit.kind == REVIEWING_KIND)
