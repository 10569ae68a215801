"""Reads of the reporting cycle, scoped to the reader (see ``orgs.selectors``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, Case, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from core.dates import local_today
from orgs.models import OrgUnit, User
from orgs.selectors import visible_unit_ids
from reporting import cache
from reporting import compliance as calc
from reporting.models import OpinionStream, Period, ReportTemplate, UnitReport
from reporting.periods import PeriodKey, last_months


def reports_visible_to(user: User) -> QuerySet[UnitReport]:
    ids = visible_unit_ids(user)
    reports = UnitReport.objects.select_related("unit", "period", "template", "submitted_by")
    return reports if ids is None else reports.filter(unit_id__in=ids)


def streams_mentioning(user: User, issue) -> QuerySet[OpinionStream]:
    """The report streams linked to ``issue`` whose report the reader may see.

    The issue page lists them; a unit reader sees only its own subtree's report lines, never
    another unit's, whatever issue they share."""
    ids = visible_unit_ids(user)
    streams = (
        OpinionStream.objects.filter(issues=issue)
        .select_related("report__unit", "report__period")
        .order_by("-report__period__start", "report__unit__sort_key", "position", "id")
    )
    return streams if ids is None else streams.filter(report__unit_id__in=ids)


def get_report_for(user: User, pk: int) -> UnitReport:
    """The report if the reader may see it; "not found" otherwise, never "forbidden"."""
    try:
        return reports_visible_to(user).get(pk=pk)
    except (UnitReport.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy báo cáo.") from exc


def default_template(kind: str = "month") -> ReportTemplate | None:
    return ReportTemplate.objects.filter(active=True, period_kind=kind).order_by("pk").first()


def _unit_infos(template: ReportTemplate, unit_ids: set[int] | None) -> list[calc.UnitInfo]:
    units = OrgUnit.objects.filter(report_templates=template)
    if unit_ids is not None:
        units = units.filter(pk__in=unit_ids)
    return [
        calc.UnitInfo(pk, name, parent_id, opened_on, closed_on)
        for pk, name, parent_id, opened_on, closed_on in units.values_list(
            "pk", "name", "parent_id", "opened_on", "closed_on"
        ).order_by("sort_key", "name")
    ]


def _report_infos(
    template: ReportTemplate, keys: list[PeriodKey], unit_ids: set[int] | None
) -> dict[tuple[int, str], calc.ReportInfo]:
    """One row per report; the database says whether the first submission beat the deadline."""
    tz = timezone.get_current_timezone()
    on_time = Case(
        *[
            When(
                period__code=key.code,
                first_submitted_at__lt=template.deadline_ends_at(key, tz),
                then=Value(True),
            )
            for key in keys
        ],
        default=Value(False),
        output_field=BooleanField(),
    )
    reports = UnitReport.objects.filter(template=template, period__code__in=[k.code for k in keys])
    if unit_ids is not None:
        reports = reports.filter(unit_id__in=unit_ids)
    rows = reports.annotate(on_time=on_time).values_list(
        "unit_id", "period__code", "state", "on_time"
    )
    return {
        (unit_id, code): calc.ReportInfo(state, on_time) for unit_id, code, state, on_time in rows
    }


def _period_info(template: ReportTemplate, key: PeriodKey) -> calc.PeriodInfo:
    return calc.PeriodInfo(
        code=key.code,
        label=key.label,
        start=key.start,
        end=key.end,
        deadline=template.deadline_of(key),
        in_force=template.covers(key),
    )


@dataclass
class ComplianceView:
    """What the compliance screen, the API and the CLI show for one period and its trend."""

    template: ReportTemplate
    period: calc.PeriodCompliance
    trend: list[calc.PeriodCompliance]
    units: dict[int, calc.UnitInfo]
    parents: dict[int | None, str]

    def named(self, status: str) -> list[calc.UnitInfo]:
        return [self.units[pk] for pk in self.period.units_with(status)]

    def as_dict(self) -> dict:
        period = self.period.period
        return {
            "template": self.template.name,
            "period": period.code,
            "label": period.label,
            "deadline": period.deadline.isoformat(),
            **self.period.total.as_dict(),
            "late_units": [u.name for u in self.named(calc.LATE)],
            "missing_units": [u.name for u in self.named(calc.MISSING)],
            "returned_units": [u.name for u in self.named(calc.RETURNED)],
            "by_parent": [
                {"parent": self.parents.get(pid, "—"), **tally.as_dict()}
                for pid, tally in sorted(
                    self.period.by_parent.items(), key=lambda item: self.parents.get(item[0], "")
                )
            ],
            "trend": [
                {"period": p.period.code, "label": p.period.label, **p.total.as_dict()}
                for p in self.trend
            ],
        }


def compliance_for(
    user: User,
    *,
    template: ReportTemplate,
    period: PeriodKey,
    months: int = 12,
    today: dt.date | None = None,
) -> ComplianceView:
    """Compliance of the units the reader may see, for ``period`` and the trend ending there.

    Kept between requests (``reporting.cache``) until a write changes what it counts.
    """
    today = today or local_today()
    unit_ids = visible_unit_ids(user)
    key = cache.result_key(
        template=template,
        period_code=period.code,
        months=months,
        today=today,
        scope=cache.scope_key(unit_ids),
    )
    results, units, parents = cache.kept(
        key, lambda: _compute_compliance(template, period, months, today, unit_ids)
    )
    return ComplianceView(
        template=template, period=results[-1], trend=results, units=units, parents=parents
    )


def _compute_compliance(
    template: ReportTemplate,
    period: PeriodKey,
    months: int,
    today: dt.date,
    unit_ids: set[int] | None,
) -> tuple[list[calc.PeriodCompliance], dict[int, calc.UnitInfo], dict[int | None, str]]:
    keys = last_months(period, months) if period.kind == "month" else [period]
    infos = [_period_info(template, key) for key in keys]
    units = _unit_infos(template, unit_ids)
    reports = _report_infos(template, keys, unit_ids)
    results = calc.compute(units=units, periods=infos, reports=reports, today=today)
    parent_ids = {unit.parent_id for unit in units}
    parents = dict(OrgUnit.objects.filter(pk__in=parent_ids).values_list("pk", "name"))
    return results, {unit.id: unit for unit in units}, parents


def status_of(report: UnitReport | None, template: ReportTemplate, period: Period) -> str:
    info = None
    if report is not None:
        deadline_ends_at = template.deadline_ends_at(period.key, timezone.get_current_timezone())
        first = report.first_submitted_at
        info = calc.ReportInfo(report.state, first is not None and first < deadline_ends_at)
    return calc.unit_status(info, template.deadline_for(period), local_today())
