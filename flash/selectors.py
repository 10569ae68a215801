"""Reads of flash reports, scoped to the reader (``orgs.selectors.visible_unit_ids``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from core.text import fold
from flash import timing
from flash.models import FlashReport, FlashRequest
from orgs.models import OrgUnit, User
from orgs.selectors import visible_unit_ids


def requests_visible_to(user: User, query: str = "") -> QuerySet[FlashRequest]:
    """Every request for the office and leaders; for a unit, those asking a unit it sees."""
    ids = visible_unit_ids(user)
    requests = FlashRequest.objects.select_related("asked_by")
    if ids is not None:
        requests = requests.filter(units__in=ids).distinct()
    if query:
        requests = requests.filter(title_folded__contains=fold(query))
    return requests.order_by("-deadline", "-pk")


def get_request_for(user: User, pk: int) -> FlashRequest:
    try:
        return requests_visible_to(user).get(pk=pk)
    except (FlashRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy yêu cầu báo cáo nhanh.") from exc


def waiting_for_unit(user: User, now: dt.datetime | None = None) -> list[dict]:
    """The open requests the reader's own unit has not answered yet, the nearest deadline first
    (the unit's home page shows them before anything else)."""
    if user.unit_id is None or user.sees_everything:
        return []
    now = now or timezone.now()
    done = set(FlashReport.objects.filter(unit_id=user.unit_id,
                                          state=FlashReport.State.SUBMITTED)
               .values_list("request_id", flat=True))
    requests = (FlashRequest.objects.filter(units=user.unit_id)
                .exclude(pk__in=done).order_by("deadline", "pk"))
    rows = []
    for request in requests:
        if request.deadline < now - dt.timedelta(days=2):
            continue  # long past: the compliance page keeps it, the home page need not
        rows.append({"request": request,
                     "status": timing.status(request.deadline, None, now),
                     "when": timing.describe(request.deadline, None, now)})
    return rows


@dataclass
class UnitRow:
    unit: OrgUnit
    report: FlashReport | None
    status: str
    status_label: str
    when: str


def compliance_of(user: User, request: FlashRequest, now: dt.datetime | None = None
                  ) -> tuple[list[UnitRow], timing.Tally]:
    """Each asked unit the reader may see, with its status in hours, and the tally."""
    now = now or timezone.now()
    ids = visible_unit_ids(user)
    units = request.units.order_by("sort_key", "name")
    if ids is not None:
        units = units.filter(pk__in=ids)
    reports = {r.unit_id: r for r in FlashReport.objects.filter(request=request)}
    rows = []
    for unit in units:
        report = reports.get(unit.pk)
        submitted = report.submitted_at if report and report.state == "submitted" else None
        state = timing.status(request.deadline, submitted, now)
        rows.append(UnitRow(unit, report, state, timing.STATUS_LABELS[state],
                            timing.describe(request.deadline, submitted, now)))
    return rows, timing.tally([row.status for row in rows])
