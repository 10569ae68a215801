"""Reads of the incidents (R8), scoped to the reader, and the candidates the data suggest.

The office and the leaders read every incident; a unit's people read their own unit's only (any
other is "not found"), as for the scorecard. Candidates are the office's only.

**Candidates** (for the office to confirm, never recorded by themselves), for the months of the
period that have begun:

- an alert (a burst of opinion on an issue) or a latent-opinion finding in a tổ dân phố, whose
  responsible unit's monthly report for that month was not submitted by its deadline, or was
  submitted without an opinion stream on the alert's topic: the unit reported nothing of it
  (omission);
- an issue the unit owns that fell due in the period (before today) and was not answered,
  resolved or closed by its due date (passivity; ``picture.accountability``'s rule).

A candidate already recorded as an incident for that unit, or dismissed by the office with its
reason (``DismissedCandidate``), is not offered again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import Http404

from core.dates import local_today
from evaluation import measures
from evaluation.models import DismissedCandidate, Incident
from issues.models import BurstAlert
from orgs.models import OrgUnit, User
from picture.models import LatentCandidate
from reporting.models import OpinionStream, UnitReport
from reporting.periods import PeriodKey, month_of
from reporting.selectors import default_template

NOT_FOUND = "Không tìm thấy vụ việc."


def incidents_visible_to(user: User):
    rows = Incident.objects.select_related("unit", "recorded_by", "reviewed_by")
    if user.sees_everything:
        return rows
    if user.unit_id is None:
        return rows.none()
    return rows.filter(unit_id=user.unit_id)


def get_incident_for(user: User, pk) -> Incident:
    try:
        return incidents_visible_to(user).get(pk=int(pk))
    except (Incident.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404(NOT_FOUND) from exc


def incidents_of_unit(unit: OrgUnit, key: PeriodKey,
                      today: dt.date | None = None) -> list[Incident]:
    """The unit's incidents of the period, the rows the card's measure counts from (its card
    shows them; the card is already scoped)."""
    ctx = measures.Context(key=key, today=today or local_today(), units=[])
    return list(measures._incidents(ctx, [unit.pk]).order_by("occurred_on", "pk"))


@dataclass(frozen=True)
class Candidate:
    unit_id: int
    unit_name: str
    kind: str  # Incident.Kind
    source: str  # Incident.Source
    source_pk: int
    occurred_on: dt.date
    label: str

    @property
    def kind_label(self) -> str:
        return Incident.Kind(self.kind).label


def _reported_topics(months: list[PeriodKey], today: dt.date):
    """(unit, month) of the submitted monthly reports; (unit, month, topic) of their streams;
    the months whose report deadline has passed (before it, a missing report is not silence)."""
    template = default_template("month")
    if template is None or not months:
        return set(), set(), set()
    codes = [m.code for m in months]
    reports = UnitReport.objects.filter(template=template, state=UnitReport.State.SUBMITTED,
                                        period__code__in=codes)
    submitted = set(reports.values_list("unit_id", "period__code"))
    topics = set(
        OpinionStream.objects.filter(report__in=reports)
        .values_list("report__unit_id", "report__period__code", "topic_id")
    )
    overdue = {m.code for m in months if today > template.deadline_of(m)}
    return submitted, topics, overdue


def _silence(unit_id: int, month: str, topic_id: int | None, reported) -> str:
    """Why the unit's report of ``month`` says nothing of the topic ("" when it does, or when
    its report is not due yet)."""
    submitted, topics, overdue = reported
    if (unit_id, month) not in submitted:
        return "đơn vị không nộp báo cáo tháng" if month in overdue else ""
    if topic_id is not None and (unit_id, month, topic_id) not in topics:
        return "báo cáo tháng của đơn vị không nêu chủ đề này"
    return ""


def candidates(key: PeriodKey, *, today: dt.date | None = None) -> list[Candidate]:
    today = today or local_today()
    ctx = measures.context_for(key, today)
    units = {u.id: u for u in ctx.units}
    reported = _reported_topics([m for m in key.months() if m.start <= today], today)
    found: list[Candidate] = []
    last = min(key.end, today)
    for alert in (
        BurstAlert.objects.filter(detected_on__gte=key.start, detected_on__lte=last,
                                  issue__area__unit__isnull=False)
        .select_related("issue", "issue__area", "topic").order_by("detected_on", "pk")
    ):
        issue = alert.issue
        unit_id = issue.area.unit_id
        month = month_of(alert.detected_on)
        topic_id = alert.topic_id or issue.topic_id
        why = _silence(unit_id, month.code, topic_id, reported)
        if unit_id in units and why:
            found.append(Candidate(
                unit_id, units[unit_id].name, Incident.Kind.OMISSION, Incident.Source.ALERT,
                alert.pk, alert.detected_on,
                f"Cảnh báo ngày {alert.detected_on:%d/%m/%Y} về vấn đề {issue.code} ở"
                f" {issue.area.name}; {why} {month.number}/{month.year}"))
    for latent in (
        LatentCandidate.objects.filter(detected_on__gte=key.start, detected_on__lte=last,
                                       area__unit__isnull=False)
        .exclude(state=LatentCandidate.State.DISMISSED)
        .select_related("area", "topic").order_by("detected_on", "pk")
    ):
        unit_id = latent.area.unit_id
        month = month_of(latent.detected_on)
        why = _silence(unit_id, month.code, latent.topic_id, reported)
        if unit_id in units and why:
            found.append(Candidate(
                unit_id, units[unit_id].name, Incident.Kind.OMISSION, Incident.Source.LATENT,
                latent.pk, latent.detected_on,
                f"Dư luận tiềm ẩn về {latent.topic.name} ở {latent.area.name} phát hiện ngày"
                f" {latent.detected_on:%d/%m/%Y}; {why} {month.number}/{month.year}"))
    for pk, unit_id, code, due, done in measures._issues(ctx).values_list(
        "pk", "owner_unit_id", "code", "due_on", "done_at"
    ).order_by("due_on", "pk"):
        if unit_id in units and not measures._issue_on_time(due, done):
            found.append(Candidate(
                unit_id, units[unit_id].name, Incident.Kind.PASSIVITY, Incident.Source.ISSUE,
                pk, due,
                f"Vấn đề {code} hạn {due:%d/%m/%Y} chưa được trả lời, giải quyết đúng hạn"))
    recorded = set(
        Incident.objects.filter(source_pk__isnull=False)
        .values_list("unit_id", "source", "source_pk")
    )
    recorded |= set(DismissedCandidate.objects.values_list("unit_id", "source", "source_pk"))
    return [c for c in found if (c.unit_id, c.source, c.source_pk) not in recorded]
