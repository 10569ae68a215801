"""Pages of the approval chain (issue 15): what waits for the reader, and the buttons of each
level (the đảng bộ approves, the office accepts and unlocks; both may return, see
``views.report_return``). Reads through ``reporting.approval_selectors``, writes through the
services; another unit's report is "not found"."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.errors import ServiceError
from reporting import approval as chain
from reporting import approval_selectors as waiting
from reporting import services
from reporting.selectors import get_report_for
from reporting.services.approval import position_of

PAGE_SIZE = 25


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@login_required
def approval_waiting(request: HttpRequest) -> HttpResponse:
    """ "Chờ tôi duyệt": the submitted reports waiting for the reader's decision."""
    query = request.GET.get("q", "").strip()[:100]
    reports = waiting.waiting_for(request.user, query)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"report": report, "approval_label": chain.APPROVAL_LABELS[report.approval],
         "via": services.reviewing_unit(report.unit)}
        for report in page.object_list
    ]
    return render(request, "reporting/approval_waiting.html", {
        "page": page, "rows": rows, "search": query,
        "query": urlencode({"q": query}) if query else "", "reviews": waiting.reviews(request.user),
        "is_office_view": request.user.is_office,
    })


def chain_context(user, report) -> dict:
    """What the report page shows of the chain and which of its buttons the reader gets."""
    actor = services.actor_of(user, report)
    position = position_of(report)
    waits = chain.waits_for(position)
    via = services.reviewing_unit(report.unit)
    return {
        "approval_label": chain.APPROVAL_LABELS[report.approval],
        "reviewing_unit": via,
        "waits_for": {chain.UNIT: report.unit.name, chain.REVIEWER: via.name if via else "",
                      chain.OFFICE: "Ban Xây dựng Đảng", None: ""}[waits],
        "can_approve": actor in (chain.REVIEWER, chain.OFFICE) and waits == chain.REVIEWER,
        "approves_for": actor == chain.OFFICE,
        "can_accept": actor == chain.OFFICE and waits == chain.OFFICE,
        "can_unlock": actor == chain.OFFICE and report.is_accepted,
        "can_return": (report.is_locked and not report.is_accepted
                       and ((actor == chain.OFFICE)
                            or (actor == chain.REVIEWER and waits == chain.REVIEWER))),
    }


def _take_step(request: HttpRequest, pk: int, step, done: str, **extra) -> HttpResponse:
    """One step of the chain on a report the reader may see; the service says what it refuses."""
    report = get_report_for(request.user, pk)
    try:
        step(user=request.user, report=report, expected_version=_version(request), **extra)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã {done.format(period=report.period, unit=report.unit)}")
    return redirect("report_detail", pk=report.pk)


@login_required
@require_POST
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _take_step(request, pk, services.approve_report,
                      "duyệt báo cáo {period} của {unit}; báo cáo chuyển lên Ban Xây dựng Đảng.")


@login_required
@require_POST
def report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _take_step(request, pk, services.accept_report,
                      "chấp nhận báo cáo {period} của {unit}; báo cáo đã khóa.")


@login_required
@require_POST
def report_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    return _take_step(request, pk, services.unlock_report,
                      "mở khóa báo cáo {period} của {unit}; lý do đã ghi vào nhật ký.",
                      reason=request.POST.get("reason", ""))
