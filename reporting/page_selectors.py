"""Reads the reporting pages need beyond ``reporting.selectors``, scoped the same way.

Kept apart from ``selectors.py`` (shared with the API and the CLI) because these shape data for
one screen: the reporter's list of months, the list page's filters, the default compliance month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from core.dates import local_today
from core.text import fold
from orgs.models import OrgUnit, User
from orgs.selectors import descendant_ids
from reporting.compliance import STATUS_LABELS
from reporting.models import ConsolidatedReport, Period, ReportTemplate, UnitReport
from reporting.periods import PeriodKey, last_months, month_of
from reporting.selectors import reports_visible_to, status_of

# What the list page may sort by; the key is what appears in ?sort=, the value the ORM field.
REPORT_SORTS = {
    "period": "period__start",
    "unit": "unit__sort_key",
    "state": "state",
    "submitted": "submitted_at",
    "updated": "updated_at",
    "version": "version",
}
DEFAULT_REPORT_SORT = "-period"


def unsaved_period(key: PeriodKey) -> Period:
    """A Period value for arithmetic on pages that must not write (a GET creates no rows)."""
    return Period(
        kind=key.kind, year=key.year, number=key.number, code=key.code, start=key.start, end=key.end
    )


def stored_period(key: PeriodKey) -> Period:
    return Period.objects.filter(code=key.code).first() or unsaved_period(key)


@dataclass(frozen=True)
class UnitPeriodRow:
    """One month of a unit on the reporter's home page."""

    key: PeriodKey
    deadline: dt.date
    status: str
    report: UnitReport | None
    expected: bool

    @property
    def days_left(self) -> int:
        return (self.deadline - local_today()).days

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def can_edit(self) -> bool:
        return self.expected and (self.report is None or not self.report.is_locked)


def unit_periods(
    unit: OrgUnit, template: ReportTemplate, *, today: dt.date | None = None, count: int = 7
) -> list[UnitPeriodRow]:
    """The unit's last ``count`` months (the current one first) with their report status."""
    today = today or local_today()
    keys = list(reversed(last_months(month_of(today), count)))
    assigned = template.units.filter(pk=unit.pk).exists()
    reports = {
        r.period.code: r
        for r in UnitReport.objects.select_related("period").filter(
            template=template, unit=unit, period__code__in=[k.code for k in keys]
        )
    }
    rows = []
    for key in keys:
        expected = assigned and template.expects(unit, key)
        report = reports.get(key.code)
        period = report.period if report else unsaved_period(key)
        rows.append(
            UnitPeriodRow(
                key=key,
                deadline=template.deadline_of(key),
                status=status_of(report, template, period),
                report=report,
                expected=expected,
            )
        )
    return rows


def startable_units(user: User, template: ReportTemplate) -> QuerySet[OrgUnit]:
    """Units the user may start a report for: their own (reporter) or any assigned unit (office)."""
    # The service refuses a month the unit was closed in; the list only hides long-closed units.
    units = template.units.exclude(closed_on__lt=local_today() - dt.timedelta(days=250))
    units = units.order_by("sort_key", "name")
    if user.is_office:
        return units
    if user.role == User.Role.REPORTER and user.unit_id:
        return units.filter(pk=user.unit_id)
    return units.none()


def startable_months(today: dt.date | None = None, count: int = 7) -> list[PeriodKey]:
    """The months a report can be started for: the current one and the six before it."""
    today = today or local_today()
    return list(reversed(last_months(month_of(today), count)))


def existing_report(template: ReportTemplate, key: PeriodKey, unit: OrgUnit) -> UnitReport | None:
    return UnitReport.objects.filter(template=template, period__code=key.code, unit=unit).first()


@dataclass(frozen=True)
class ReportFilter:
    period: str = ""
    unit_query: str = ""
    state: str = ""
    sort: str = DEFAULT_REPORT_SORT
    template_id: int | None = None  # issue 15: the list per template


def filtered_reports(user: User, filters: ReportFilter) -> QuerySet[UnitReport]:
    """The list page and its export: the same rows, scoped to the reader."""
    reports = reports_visible_to(user)
    if filters.period:
        reports = reports.filter(period__code=filters.period)
    if filters.unit_query:
        reports = reports.filter(unit__name_folded__contains=fold(filters.unit_query))
    if filters.state:
        reports = reports.filter(state=filters.state)
    if filters.template_id:
        reports = reports.filter(template_id=filters.template_id)
    descending = filters.sort.startswith("-")
    field = REPORT_SORTS.get(filters.sort.lstrip("-"), REPORT_SORTS["period"])
    order = f"-{field}" if descending else field
    return reports.order_by(order, "unit__sort_key", "unit__name", "pk")


def report_periods(user: User) -> QuerySet[Period]:
    """Periods that have at least one report the reader can see, newest first."""
    ids = reports_visible_to(user).values("period_id")
    return Period.objects.filter(pk__in=ids).order_by("-start", "kind")


def default_compliance_month(template: ReportTemplate, today: dt.date | None = None) -> PeriodKey:
    """The month whose deadline passed most recently: this one after its deadline, else the last."""
    today = today or local_today()
    current = month_of(today)
    if today > template.deadline_of(current):
        return current
    return current.previous()



# --- consolidated reports -----------------------------------------------------------------------


def consolidating_unit(user: User) -> OrgUnit | None:
    """The unit whose consolidated report ``user`` drafts: a reporter's unit that has units below
    it (a đảng bộ over its chi bộ); None for anyone else (the office drafts the ward's)."""
    if user.role != User.Role.REPORTER or user.unit_id is None:
        return None
    if not OrgUnit.objects.filter(parent_id=user.unit_id).exists():
        return None
    return user.unit


def consolidated_visible_to(user: User) -> QuerySet[ConsolidatedReport]:
    """The office and leaders read every consolidated report (the ward's and the units'); a
    reporter, those of their unit and the units below it (never the ward's)."""
    reports = ConsolidatedReport.objects.select_related("period", "template", "unit")
    if user.sees_everything:
        return reports
    if user.unit_id is None:
        return reports.none()
    return reports.filter(unit_id__in=descendant_ids(user.unit_id))
