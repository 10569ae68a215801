"""What each role's home page shows (``longdan.home``): reads across the apps below, scoped to
the reader like every read of unit data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, QuerySet

from core.dates import local_today
from intake.models import OpinionItem
from issues.models import Issue
from issues.selectors import OPEN_STATUSES, issues_visible_to
from orgs.models import Area, Collaborator, User
from picture.direction_selectors import ACTIVE
from picture.models import DirectionAssignment
from reporting.models import ReportTemplate
from surveys.collect.selectors import collectable_surveys
from surveys.models import Survey

RECENT_ITEMS = 10
SHOWN_TASKS = 10


# --- a collaborator ------------------------------------------------------------------------------


def filed_by(user: User) -> QuerySet[OpinionItem]:
    """The opinions this person wrote down (their own work, never another collaborator's)."""
    return OpinionItem.objects.filter(created_by=user)


def recent_items(user: User, *, limit: int = RECENT_ITEMS) -> list[OpinionItem]:
    """Their latest items, each with the issue it joined (if any) to follow what became of it."""
    return list(
        filed_by(user).select_related("area", "issue").prefetch_related("topics")
        .order_by("-received_on", "-pk")[:limit]
    )


@dataclass(frozen=True)
class CollectorMonth:
    items: int
    answered: int  # of them, in an issue that has been answered


def month_figures(user: User, today: dt.date | None = None) -> CollectorMonth:
    today = today or local_today()
    month = filed_by(user).filter(received_on__gte=today.replace(day=1), received_on__lte=today)
    return CollectorMonth(
        items=month.count(),
        answered=month.filter(issue__status__in=(Issue.Status.ANSWERED, Issue.Status.CLOSED))
        .count(),
    )


def covered_areas(user: User) -> list[Area]:
    record = Collaborator.objects.filter(user=user).first()
    return list(record.areas.order_by("sort_key", "name")) if record else []


def surveys_to_collect(user: User) -> list[Survey]:
    surveys = collectable_surveys(user).order_by(F("ends_on").asc(nulls_last=True), "title")
    return list(surveys[:SHOWN_TASKS])


# --- a unit (a chi bộ, an agency, an organisation) -----------------------------------------------


def directions_waiting(user: User) -> list[DirectionAssignment]:
    """The unit's parts of live directions it has not finished, the earliest due first."""
    if not user.unit_id:
        return []
    return list(
        DirectionAssignment.objects.filter(unit_id=user.unit_id, status__in=ACTIVE,
                                           direction__status__in=ACTIVE)
        .select_related("direction").order_by("direction__due_on", "direction_id")[:SHOWN_TASKS]
    )


def owes_reports(user: User, template) -> bool:
    """Whether the person's unit reports on the template at all (the UBND, the MTTQ, the HĐND
    and the organisations answer for opinion without a monthly report)."""
    return bool(template and user.unit_id and template.units.filter(pk=user.unit_id).exists())


def other_templates(user: User, template) -> list:
    """The unit's other active monthly templates (issue 15: the Front's, the Council's...): the
    home page offers to start each, besides the first monthly template's cycle."""
    if not user.unit_id:
        return []
    others = ReportTemplate.objects.filter(active=True, period_kind="month", units=user.unit_id)
    if template is not None:
        others = others.exclude(pk=template.pk)
    return list(others.order_by("pk"))


def issues_to_handle(user: User) -> list[Issue]:
    """Open issues the unit is responsible for, those with a due date first, the earliest first."""
    if not user.unit_id:
        return []
    return list(
        issues_visible_to(user).filter(owner_unit_id=user.unit_id, merged_into__isnull=True,
                                       status__in=OPEN_STATUSES)
        .order_by(F("due_on").asc(nulls_last=True), "code")[:SHOWN_TASKS]
    )
