"""The office's pages of the collaborators' regime (R5): the allowance per quarter, planned and
paid, its XLSX for the finance desk, recording a payment; and the spreadsheet imports of units
and collaborators. All are the office's: anyone else is "not found"."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from openpyxl import Workbook

from core.dates import local_today
from core.errors import ServiceError
from core.views import require_office, xlsx_download, xlsx_response
from documents.xlsx import write_table
from orgs import imports, services
from orgs.funding import funding_for, payments_of
from orgs.models import Collaborator
from orgs.quarters import Quarter, QuarterError, parse_quarter, quarter_of

MAX_UPLOAD = 10 * 1024 * 1024


def _quarter(request: HttpRequest) -> tuple[Quarter, str]:
    code = (request.GET.get("quy") or request.POST.get("quy") or "").strip()
    if code:
        try:
            return parse_quarter(code), ""
        except QuarterError as exc:
            return quarter_of(local_today()), str(exc)
    return quarter_of(local_today()), ""


def _funding_url(quarter: Quarter) -> str:
    return f"{reverse('collaborator_funding')}?quy={quarter.code}"


@login_required
def collaborator_funding(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    quarter, error = _quarter(request)
    funding = funding_for(quarter)
    return render(request, "orgs/collaborator_funding.html", {
        "quarter": quarter, "period_error": error, "funding": funding,
        "payments": payments_of(quarter), "today": local_today(),
        "previous": Quarter(quarter.year - (quarter.number == 1), (quarter.number - 2) % 4 + 1),
        "next": Quarter(quarter.year + (quarter.number == 4), quarter.number % 4 + 1),
    })


@login_required
def collaborator_funding_export(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    quarter, _ = _quarter(request)
    funding = funding_for(quarter)
    rows = [
        (r.collaborator.full_name, r.collaborator.unit.name, r.collaborator.decision_number,
         r.collaborator.decision_date, r.collaborator.get_payment_period_display(),
         r.collaborator.allowance_rate, r.months, r.planned, r.paid, r.remaining)
        for r in funding.rows
    ]
    rows.append(("Tổng cộng", "", "", None, "", None, None, funding.planned, funding.paid,
                 funding.remaining))
    return xlsx_response(
        request=request, filename=f"phu-cap-cong-tac-vien-{quarter.code}.xlsx",
        sheet_title=f"Phụ cấp {quarter.label.replace('/', '-')}",
        headers=["Họ và tên", "Đơn vị", "Số quyết định", "Ngày quyết định", "Kỳ chi trả",
                 "Mức phụ cấp (đồng/tháng)", "Số tháng trong quý", "Dự kiến (đồng)",
                 "Đã chi (đồng)", "Còn lại (đồng)"],
        rows=rows, object_type="orgs.allowancepayment",
        data={"quarter": quarter.code, "personal": True},  # collaborators' names and allowances
    )


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


@login_required
@require_POST
def collaborator_payment(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    quarter, error = _quarter(request)
    raw = request.POST.get("collaborator") or ""
    collaborator = Collaborator.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if error or collaborator is None:
        messages.error(request, error or "Cộng tác viên: chưa chọn hoặc không có trong danh sách.")
        return redirect(_funding_url(quarter))
    # "400.000" as typed: the thousands dots and spaces go; the service checks the rest and
    # names the field ("Số tiền đã chi phải là số nguyên.").
    amount = (request.POST.get("amount") or "").replace(".", "").replace(" ", "")
    try:
        services.record_payment(
            actor=request.user, collaborator=collaborator, quarter=quarter.code,
            amount=amount or None, paid_on=_date(request.POST.get("paid_on", "")),
            voucher=request.POST.get("voucher", ""),
        )
    except ServiceError as exc:
        messages.error(request, f"{collaborator.full_name}: {exc.message}")
    else:
        messages.success(request, f"Đã ghi khoản chi phụ cấp {quarter.label} cho"
                                  f" {collaborator.full_name}.")
    return redirect(_funding_url(quarter))


# --- imports -------------------------------------------------------------------------------------

KINDS = {
    "don-vi": ("đơn vị", imports.UNIT_COLUMNS, imports.import_units, "unit_list"),
    "cong-tac-vien": ("cộng tác viên", imports.COLLABORATOR_COLUMNS,
                      imports.import_collaborators, "collaborator_list"),
}


def _kind(kind: str):
    if kind not in KINDS:
        raise Http404("Không tìm thấy trang.")
    return KINDS[kind]


@login_required
@require_http_methods(["GET", "POST"])
def org_import(request: HttpRequest, kind: str) -> HttpResponse:
    """Upload a spreadsheet; every row is checked and nothing is written if one is wrong."""
    require_office(request.user)
    what, columns, run, back = _kind(kind)
    result = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "Chưa chọn tệp Excel (.xlsx) hoặc CSV để nhập.")
        elif upload.size > MAX_UPLOAD:
            messages.error(request, "Tệp quá lớn (tối đa 10 MB).")
        else:
            result = run(actor=request.user, file_name=upload.name, data=upload.read())
            if result.ok:
                messages.success(request, f"Đã nhập {result.created} {what}.")
                return redirect(back)
    return render(request, "orgs/import.html", {
        "kind": kind, "what": what, "columns": columns, "result": result, "back": back,
    })


@login_required
def org_import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The empty spreadsheet with the columns the import reads (the page says which are
    required)."""
    require_office(request.user)
    _what, columns, _run, _back = _kind(kind)
    workbook = Workbook()
    write_table(workbook, "Danh sách", [c.title for c in columns], [])
    return xlsx_download(workbook, f"mau-nhap-{kind}.xlsx")
