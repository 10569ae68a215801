"""The streams proposed from what the unit logged, on the report's edit page (issue 15).

The edit page loads the panel with htmx (``report_proposals``; without JS its link opens the same
panel as a page). The panel's buttons post to the edit page itself (``report_edit``): with the
page's form, so what the user typed is saved first and kept; from the standalone page, with the
report's version alone. :func:`answer` then keeps, merges, drops or restores through the
services, and nothing is written unless the user pressed one of those buttons.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.errors import ServiceError
from reporting import services
from reporting.models import UnitReport
from reporting.proposal_selectors import proposals_of_report, with_rows
from reporting.selectors import get_report_for

ACTION = "proposal_action"


@login_required
def report_proposals(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposals for a report the reader may see; another unit's report is not found."""
    report = get_report_for(request.user, pk)
    view = with_rows(proposals_of_report(report))
    fragment = request.headers.get("HX-Request") == "true"
    return render(
        request,
        "reporting/includes/proposals.html" if fragment else "reporting/report_proposals.html",
        {"report": report, "view": view, "standalone": not fragment,
         "can_act": (services.may_write_report(request.user, report.unit)
                     and not report.is_locked)},
    )


def wants_answer(request: HttpRequest) -> bool:
    return bool(request.POST.get(ACTION))


def has_page_form(request: HttpRequest) -> bool:
    """Whether the post carries the edit page's form (else it came from the standalone page)."""
    return "streams-TOTAL_FORMS" in request.POST


def answer(request: HttpRequest, report: UnitReport, version: int | None) -> HttpResponse:
    """Keep ("keep:KEY"), merge (the ticked "proposal" boxes), drop ("drop:KEY") or restore."""
    action, _, key = request.POST.get(ACTION, "").partition(":")
    user = request.user
    try:
        if action == "keep":
            report = services.keep_proposals(user=user, report=report, keys=[key],
                                             expected_version=version)
            messages.success(request, "Đã giữ đề xuất thành luồng ý kiến (cuối danh sách, có thể"
                             " sửa tiếp).")
        elif action == "merge":
            keys = request.POST.getlist("proposal")
            report = services.keep_proposals(user=user, report=report, keys=keys, merge=True,
                                             expected_version=version)
            messages.success(request, f"Đã gộp {len(set(keys))} đề xuất thành một luồng ý kiến"
                             " (cuối danh sách, có thể sửa tiếp).")
        elif action == "drop":
            services.drop_proposals(user=user, report=report, keys=[key])
            messages.success(request, "Đã bỏ đề xuất; các ý kiến của nó không được đề xuất lại.")
        elif action == "restore":
            services.restore_proposals(user=user, report=report)
            messages.success(request, "Đã đề xuất lại các ý kiến đã bỏ.")
        else:
            messages.error(request, "Thao tác với đề xuất không hợp lệ.")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(f"{request.path}#de-xuat")


def version_of(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None
