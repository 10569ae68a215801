"""A unit's accountability over the last 12 months (R8: heads of units answer for omissions and
passivity): per month, its subtree's late and missing monthly reports, the issues it owns that
went past their due date unanswered, the directions addressed to it that went past theirs
unfinished, and the median days from an issue's first sighting to its answer.

Each month counts what *fell due* in it, so the months add up: an issue due on 10 March and
answered on 2 April is overdue in March (once), not in every month it stayed open.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.utils import timezone

from core.dates import local_today
from issues.models import Issue, IssueEvent
from orgs.models import OrgUnit, User
from orgs.selectors import descendant_ids, visible_unit_ids
from picture.models import Direction, DirectionAssignment
from reporting import compliance as compliance_calc
from reporting.periods import PeriodKey, last_months, month_of
from reporting.selectors import compliance_for, default_template

MONTHS = 12
# The events that answer an issue: a published answer, or the owner's or office's report that
# it was resolved or answered. Status events store the label they moved to.
ANSWERED_LABELS = {Issue.Status.RESOLVED.label, Issue.Status.ANSWERED.label}
CLOSED_LABELS = ANSWERED_LABELS | {Issue.Status.CLOSED.label}


@dataclass
class MonthFigures:
    period: PeriodKey
    late_reports: int | None = None  # None: no monthly template in force
    missing_reports: int | None = None
    issues_overdue: int = 0
    directions_overdue: int = 0
    answered: int = 0
    answer_days: list[int] = field(default_factory=list)

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.answer_days) if self.answer_days else None


@dataclass
class Accountability:
    unit: OrgUnit
    months: list[MonthFigures]  # newest first
    today: dt.date

    def total(self, name: str) -> int:
        return sum(getattr(m, name) or 0 for m in self.months)

    @property
    def total_late(self) -> int:
        return self.total("late_reports")

    @property
    def total_missing(self) -> int:
        return self.total("missing_reports")

    @property
    def total_issues(self) -> int:
        return self.total("issues_overdue")

    @property
    def total_directions(self) -> int:
        return self.total("directions_overdue")

    @property
    def median_days(self) -> float | None:
        days = [d for m in self.months for d in m.answer_days]
        return statistics.median(days) if days else None


def accountability_for(
    user: User, unit: OrgUnit, *, today: dt.date | None = None
) -> Accountability:
    """The figures of ``unit``'s subtree (as far as the reader sees) for the last 12 months."""
    today = today or local_today()
    subtree = descendant_ids(unit.pk)
    visible = visible_unit_ids(user)
    if visible is not None:
        subtree &= visible
    keys = last_months(month_of(today), MONTHS)
    months = {key.code: MonthFigures(period=key) for key in keys}
    _reports(user, subtree, keys, months, today)
    _issues(subtree, keys, months, today)
    _directions(subtree, keys, months, today)
    return Accountability(unit=unit, months=[months[k.code] for k in reversed(keys)],
                          today=today)


def _month_code(day: dt.date) -> str:
    return f"{day.year}-{day.month:02d}"


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None


def _reports(user, subtree: set[int], keys, months: dict[str, MonthFigures], today) -> None:
    template = default_template("month")
    if template is None:
        return
    view = compliance_for(user, template=template, period=keys[-1], months=len(keys), today=today)
    for result in view.trend:
        figures = months.get(result.period.code)
        if figures is None or not result.period.in_force:
            continue
        statuses = [s for pk, s in result.statuses.items() if pk in subtree]
        figures.late_reports = statuses.count(compliance_calc.LATE)
        figures.missing_reports = statuses.count(compliance_calc.MISSING)


def _issues(subtree: set[int], keys, months: dict[str, MonthFigures], today) -> None:
    first, last = keys[0].start, keys[-1].end
    issues = Issue.objects.filter(owner_unit_id__in=subtree, merged_into__isnull=True)
    answered_on: dict[int, dt.date] = {}
    closed_on: dict[int, dt.date] = {}
    events = IssueEvent.objects.filter(
        issue__in=issues, kind__in=[IssueEvent.Kind.ANSWER, IssueEvent.Kind.STATUS]
    ).values_list("issue_id", "kind", "to_value", "at").order_by("at", "id")
    for issue_id, kind, to_value, at in events:
        day = _local_day(at)
        if kind == IssueEvent.Kind.ANSWER or to_value in ANSWERED_LABELS:
            answered_on.setdefault(issue_id, day)
        if kind == IssueEvent.Kind.ANSWER or to_value in CLOSED_LABELS:
            closed_on.setdefault(issue_id, day)
    rows = issues.values_list("pk", "first_seen_on", "due_on")
    for pk, first_seen, due_on in rows:
        if due_on and first <= due_on <= last and due_on < today:
            done = closed_on.get(pk)
            if done is None or done > due_on:
                months[_month_code(due_on)].issues_overdue += 1
        answered = answered_on.get(pk)
        if answered and first_seen and first <= answered <= last:
            figures = months[_month_code(answered)]
            figures.answered += 1
            figures.answer_days.append(max(0, (answered - first_seen).days))


def _directions(subtree: set[int], keys, months: dict[str, MonthFigures], today) -> None:
    first, last = keys[0].start, min(keys[-1].end, today - dt.timedelta(days=1))
    parts = (
        DirectionAssignment.objects.filter(
            unit_id__in=subtree, direction__due_on__gte=first, direction__due_on__lte=last
        )
        .exclude(direction__status=Direction.Status.CANCELLED)
        .values_list("direction_id", "direction__due_on", "done_at", "direction__done_at")
    )
    late: set[tuple[int, str]] = set()
    for direction_id, due_on, part_done, direction_done in parts:
        finished = [d for d in (_local_day(part_done), _local_day(direction_done)) if d]
        if not finished or min(finished) > due_on:
            late.add((direction_id, _month_code(due_on)))
    for _, code in late:
        months[code].directions_overdue += 1
