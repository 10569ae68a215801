"""Reads of the office's inbox (issue 17): what waits for the office, each list with its count.

- reports submitted (or resubmitted) since the office last opened them;
- reports returned and not yet resubmitted, with the days they have waited;
- units that have not submitted the month whose deadline passed most recently;
- public feedback to triage and collaborators' items awaiting classification.

It lives in ``reporting`` because reporting sits above ``intake`` (see pyproject's importlinter
layers), so it may read both. Every read goes through the reader's scope (the office sees the
ward; the selectors take the reader anyway, as every selector does).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from core.dates import local_today
from core.models import Channel
from intake.models import OpinionItem
from intake.selectors import items_visible_to
from orgs.models import User
from reporting import compliance as calc
from reporting.models import Reminder, ReportTemplate, UnitReport
from reporting.page_selectors import default_compliance_month, stored_period
from reporting.periods import PeriodKey
from reporting.selectors import compliance_for, default_template, reports_visible_to

# The sections of the inbox, in the order the page shows them, with their Vietnamese titles.
TO_READ = "moi-nop"
RETURNED = "bi-tra-lai"
MISSING = "chua-nop"
PUBLIC = "gop-y"
COLLABORATORS = "cong-tac-vien"
SECTIONS = {
    TO_READ: "Báo cáo mới nộp, chưa xem",
    RETURNED: "Báo cáo bị trả lại, chưa nộp lại",
    MISSING: "Đơn vị chưa nộp báo cáo (quá hạn)",
    PUBLIC: "Góp ý trực tuyến cần phân loại",
    COLLABORATORS: "Ý kiến của cộng tác viên chờ phân loại",
}


def reports_to_read(user: User) -> QuerySet[UnitReport]:
    """Submitted reports the office has not opened since their last submission."""
    return (
        reports_visible_to(user)
        .filter(state=UnitReport.State.SUBMITTED)
        .filter(Q(office_seen_at__isnull=True) | Q(office_seen_at__lt=F("submitted_at")))
        .order_by("-submitted_at", "pk")
    )


def is_resubmission(report: UnitReport) -> bool:
    """Submitted again after the office had read it, or after it had been returned."""
    return report.returned_at is not None or report.office_seen_at is not None


def reports_returned(user: User) -> QuerySet[UnitReport]:
    """Reports returned for revision and not yet resubmitted: the latest period first (the one
    worth a reminder), then the longest waiting."""
    return (
        reports_visible_to(user)
        .filter(state=UnitReport.State.RETURNED)
        .order_by("-period__start", "returned_at", "unit__sort_key", "pk")
    )


def days_waiting(since: dt.datetime | None, today: dt.date) -> int:
    return (today - timezone.localdate(since)).days if since else 0


@dataclass(frozen=True)
class MissingUnit:
    """A unit owing the month's report past its deadline."""

    unit_id: int
    name: str
    report_id: int | None  # its draft, if it started one


@dataclass(frozen=True)
class MissingMonth:
    template: ReportTemplate
    key: PeriodKey
    deadline: dt.date
    units: list[MissingUnit]


def missing_month(user: User, today: dt.date | None = None) -> MissingMonth | None:
    """The units that have not submitted the month whose deadline passed most recently (the
    compliance page's own reckoning; a returned report is listed with the returned ones)."""
    template = default_template("month")
    if template is None:
        return None
    today = today or local_today()
    key = default_compliance_month(template, today)
    view = compliance_for(user, template=template, period=key, months=1, today=today)
    missing = view.named(calc.MISSING)
    drafts = dict(
        UnitReport.objects.filter(
            template=template, period__code=key.code, unit_id__in=[u.id for u in missing]
        ).values_list("unit_id", "pk")
    )
    return MissingMonth(
        template=template,
        key=key,
        deadline=view.period.period.deadline,
        units=[MissingUnit(u.id, u.name, drafts.get(u.id)) for u in missing],
    )


def reminded_today(template: ReportTemplate, key: PeriodKey, unit_ids, today: dt.date) -> set:
    """The units the office already reminded today about ``key`` (the button is spent)."""
    period = stored_period(key)
    if period.pk is None:
        return set()
    return set(
        Reminder.objects.filter(
            template=template,
            period=period,
            unit_id__in=list(unit_ids),
            kind=Reminder.Kind.MANUAL,
            sent_on=today,
        ).values_list("unit_id", flat=True)
    )


def public_to_triage(user: User) -> QuerySet[OpinionItem]:
    """Residents' feedback from the public form whose labels nobody confirmed, or that joined no
    issue yet: the office reads it, labels it and sees it handled."""
    return (
        items_visible_to(user)
        .filter(channel=Channel.PUBLIC_FORM)
        .filter(Q(labels_confirmed=False) | Q(issue__isnull=True))
        .order_by("-received_on", "-pk")
    )


def collaborators_to_classify(user: User) -> QuerySet[OpinionItem]:
    """Items collaborators filed whose labels nobody has confirmed yet."""
    return (
        items_visible_to(user)
        .filter(created_by__role=User.Role.COLLABORATOR, labels_confirmed=False)
        .select_related("created_by")
        .order_by("-received_on", "-pk")
    )


def counts(user: User, today: dt.date | None = None) -> dict[str, int]:
    """How many rows each section holds: the home page's card."""
    month = missing_month(user, today)
    return {
        TO_READ: reports_to_read(user).count(),
        RETURNED: reports_returned(user).count(),
        MISSING: len(month.units) if month else 0,
        PUBLIC: public_to_triage(user).count(),
        COLLABORATORS: collaborators_to_classify(user).count(),
    }
