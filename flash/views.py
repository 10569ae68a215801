"""Pages of flash reports (issue 15): the list, the ask, and one request's page (a unit answers
there; the office, leaders and a unit above read who answered, in hours)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook

from core.errors import ServiceError
from core.models import AuditEntry
from core.services import audit
from core.views import xlsx_download
from documents.xlsx import write_table
from flash import selectors, services, timing
from flash.forms import AnswerForm, RequestForm
from flash.models import FlashReport

PAGE_SIZE = 25


@login_required
def flash_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    requests = selectors.requests_visible_to(request.user, query)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [{"request": r, "open": r.deadline > now,
             "when": timing.describe(r.deadline, None, now) if r.deadline > now
             else f"hết hạn {timezone.localtime(r.deadline):%H:%M %d/%m/%Y}"}
            for r in page.object_list]
    return render(request, "flash/list.html", {
        "page": page, "rows": rows, "search": query,
        "query": urlencode({"q": query}) if query else "",
        "may_ask": services.may_ask(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def flash_create(request: HttpRequest) -> HttpResponse:
    if not services.may_ask(request.user):
        raise PermissionDenied("Chỉ Ban Xây dựng Đảng hoặc lãnh đạo yêu cầu được báo cáo nhanh.")
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        now = timezone.now()
        try:
            asked = services.create_request(
                user=request.user, title=data["title"], event=data["event"],
                deadline=now + dt.timedelta(hours=data["hours"]),
                unit_ids=[u.pk for u in data["units"]], now=now)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Đã gửi yêu cầu báo cáo nhanh tới {asked.units.count()}"
                                      " đơn vị; đơn vị đã nhận thông báo.")
            return redirect("flash_detail", pk=asked.pk)
    return render(request, "flash/create.html", {"form": form})


def _answering_unit(request: HttpRequest, asked):
    """The unit whose answer the page shows and takes: the reader's own unit when it was asked;
    for the office, the asked unit it chose (``don-vi``) to write in the unit's place."""
    user = request.user
    if user.is_office:
        chosen = request.POST.get("don-vi") or request.GET.get("don-vi")
        if chosen and str(chosen).isdigit():
            return asked.units.filter(pk=int(chosen)).first()
        return None
    if user.unit_id and not user.sees_everything and asked.units.filter(pk=user.unit_id).exists():
        return user.unit
    return None


@login_required
@require_http_methods(["GET", "POST"])
def flash_detail(request: HttpRequest, pk: int) -> HttpResponse:
    asked = selectors.get_request_for(request.user, pk)
    user = request.user
    own = _answering_unit(request, asked)
    report = FlashReport.objects.filter(request=asked, unit=own).first() if own else None
    form = None
    if own is not None and services.may_answer(user, own):
        if request.method == "POST":
            form = AnswerForm(request.POST, request=asked)
            if form.is_valid():
                submit = request.POST.get("action") == "submit"
                try:
                    report = services.save_flash_report(
                        user=user, request=asked, unit=own, sections=form.sections(),
                        expected_version=form.cleaned_data.get("version"), submit=submit)
                except ServiceError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(request, "Đã nộp báo cáo nhanh." if submit
                                     else f"Đã lưu nháp (phiên bản {report.version}).")
                    back = reverse("flash_detail", args=[asked.pk])
                    return redirect(back + (f"?don-vi={own.pk}" if user.is_office else ""))
        elif report is None or report.state != FlashReport.State.SUBMITTED:
            initial = {f"s_{k}": v for k, v in (report.sections if report else {}).items()}
            initial["version"] = report.version if report else None
            form = AnswerForm(initial=initial, request=asked)
    elif request.method == "POST":
        raise PermissionDenied("Đồng chí không soạn báo cáo nhanh này.")
    now = timezone.now()
    rows, tally = selectors.compliance_of(user, asked, now)
    sections = [(s["title"], (report.sections if report else {}).get(s["key"], ""))
                for s in asked.sections]
    return render(request, "flash/detail.html", {
        "asked": asked, "own": own, "report": report, "form": form, "sections": sections,
        "rows": rows if (user.sees_everything or len(rows) > 1 or own is None) else [],
        "office": user.is_office,
        "tally": tally, "open": asked.deadline > now,
        "when": timing.describe(asked.deadline,
                                report.submitted_at if report and report.submitted_at else None,
                                now),
    })


@login_required
def flash_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The request's compliance table as XLSX: the units the reader sees, their status in hours
    and what they answered."""
    asked = selectors.get_request_for(request.user, pk)
    rows, _ = selectors.compliance_of(request.user, asked)
    titles = [s["title"] for s in asked.sections]
    table = []
    for row in rows:
        answered = row.report if row.report and row.report.state == "submitted" else None
        table.append([
            row.unit.name, row.status_label, row.when,
            _naive(answered.submitted_at) if answered else None,
            *[(answered.sections.get(s["key"], "") if answered else "") for s in asked.sections],
        ])
    workbook = Workbook()
    write_table(workbook, "Báo cáo nhanh",
                ["Đơn vị", "Tình trạng", "Thời gian", "Nộp lúc", *titles], table)
    audit(actor=request.user, action=AuditEntry.Action.EXPORT, obj=asked,
          unit=request.user.unit, summary=f"Xuất báo cáo nhanh “{asked.title}” ({len(table)} dòng)",
          data={"rows": len(table)})
    return xlsx_download(workbook, f"bao-cao-nhanh-{asked.pk}.xlsx")


def _naive(value):
    return timezone.make_naive(timezone.localtime(value)) if value else None
