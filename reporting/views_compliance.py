"""The compliance pages (R1): who has reported for a period and template, on time or not, for the
office and the leaders; a city's thousands of units read page by page."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from openpyxl import Workbook

from core.dates import local_today
from core.models import AuditEntry
from core.services import audit
from core.text import fold, natural_key
from core.views import xlsx_download
from documents.xlsx import write_table
from reporting import compliance as calc
from reporting import page_selectors as pages
from reporting.models import ReportTemplate
from reporting.periods import PeriodError, PeriodKey, parse_period
from reporting.selectors import (
    ComplianceView,
    compliance_for,
    default_template,
)

PAGE_SIZE = 25
VERSION_ACTIONS = {
    "create": "Tạo bản nháp",
    "save": "Lưu nháp",
    "submit": "Nộp",
    "return": "Trả lại",
    "approve": "Cấp trên duyệt",
    "accept": "Chấp nhận",
    "unlock": "Mở khóa",
}


def compliance_context(view: ComplianceView) -> dict:
    data = view.as_dict()
    return {
        "view": view,
        "data": data,
        "late": view.named(calc.LATE),
        "missing": view.named(calc.MISSING),
        "returned": view.named(calc.RETURNED),
        "pending": view.named(calc.DRAFT) + view.named(calc.NOT_STARTED),
    }


def _compliance_request(request: HttpRequest) -> tuple[ReportTemplate | None, PeriodKey, str]:
    if not request.user.sees_everything:
        raise Http404("Không tìm thấy trang.")
    text = request.GET.get("period", "").strip()
    error = ""
    key = None
    if text:
        try:
            key = parse_period(text)
        except PeriodError as exc:
            error = str(exc)
    chosen = _chosen_template(request)
    template = chosen if chosen is not None else default_template(key.kind if key else "month")
    if key is None:
        fallback = chosen or default_template("month")
        key = pages.default_compliance_month(fallback) if fallback else parse_period(
            f"{local_today():%Y-%m}"
        )
        template = fallback
    elif chosen is not None and chosen.period_kind != key.kind:
        error = (f"Mẫu “{chosen.name}” dùng cho kỳ {chosen.get_period_kind_display().lower()};"
                 " đang hiển thị kỳ gần nhất của mẫu.")
        key = pages.default_compliance_month(chosen) if chosen.period_kind == "month" else key
    return template, key, error


def _chosen_template(request: HttpRequest) -> ReportTemplate | None:
    """The template the compliance page reads (``?mau=<pk>``, issue 15: one template or all)."""
    value = request.GET.get("mau", "")
    if not value.isdigit():
        return None
    return ReportTemplate.objects.filter(pk=int(value), active=True).first()


def _every_template(user, key: PeriodKey) -> list[dict]:
    """Each active template of the period's kind with its tally for the period: compliance read
    for all templates at once."""
    rows = []
    for template in ReportTemplate.objects.filter(active=True, period_kind=key.kind).order_by("pk"):
        view = compliance_for(user, template=template, period=key, months=1)
        rows.append({"template": template, "total": view.period.total})
    return rows


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    template, key, error = _compliance_request(request)
    context = {"period_text": key.code, "period_error": error, "template": template, "key": key,
               "templates": ReportTemplate.objects.filter(active=True).order_by("pk"),
               "every_template": _every_template(request.user, key)}
    if template is not None:
        view = compliance_for(request.user, template=template, period=key)
        context.update(compliance_context(view))
        rows = _by_unit(view)
        shown = _filter_by_unit(rows, request.GET.get("tinh_trang", ""), request.GET.get("q", ""))
        context["by_unit"] = Paginator(shown, BY_UNIT_PAGE).get_page(request.GET.get("page"))
        context["by_unit_total"] = len(rows)
        context["by_unit_filter"] = {"tinh_trang": request.GET.get("tinh_trang", ""),
                                     "q": request.GET.get("q", "")}
        context["by_unit_query"] = urlencode({
            "period": key.code, "mau": template.pk, **{k: v for k, v in
                                                       context["by_unit_filter"].items() if v}})
        context["statuses"] = [*calc.STATUS_LABELS.items(), (PENDING, "Chưa đến hạn, chưa nộp")]
        context["by_status_url"] = "?" + urlencode({"period": key.code, "mau": template.pk,
                                                    "tinh_trang": ""})
        context["chart"] = [
            {"label": p["label"], "reporting": _pct(p["reporting_rate"]),
             "on_time": _pct(p["on_time_rate"]), "expected": p["expected"],
             "submitted": p["submitted"], "on_time_count": p["on_time"]}
            for p in context["data"]["trend"]
        ]
        context["previous"] = key.previous().code
        nxt = _next(key)
        context["next"] = nxt.code if nxt.start <= local_today() else ""
    return render(request, "reporting/compliance.html", context)


def _by_unit(view: ComplianceView) -> list[dict]:
    rows = [
        {"name": view.units[pk].name, "parent": view.parents.get(view.units[pk].parent_id, "—"),
         "status": status, "label": calc.STATUS_LABELS[status]}
        for pk, status in view.period.statuses.items()
    ]
    return sorted(rows, key=lambda row: natural_key(row["name"]))


# A city's compliance lists thousands of units: the table shows a page, filtered by status or name.
BY_UNIT_PAGE = 100


# The statuses the table filters by: each of the calculation's, and "not due yet, not submitted".
PENDING = "pending"
FILTER_STATUSES = {**{status: (status,) for status in calc.STATUS_LABELS},
                   PENDING: (calc.DRAFT, calc.NOT_STARTED)}


def _filter_by_unit(rows: list[dict], status: str, text: str) -> list[dict]:
    if status in FILTER_STATUSES:
        rows = [row for row in rows if row["status"] in FILTER_STATUSES[status]]
    if text.strip():
        wanted = fold(text)
        rows = [row for row in rows if wanted in fold(row["name"])]
    return rows


def _pct(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


def _next(key: PeriodKey) -> PeriodKey:
    day = key.end + dt.timedelta(days=1)
    if key.kind == "month":
        return parse_period(f"{day.year}-{day.month}")
    if key.kind == "half":
        return parse_period(f"{day.year}-H{1 if day.month == 1 else 2}")
    return parse_period(str(day.year))


@login_required
def compliance_export(request: HttpRequest) -> HttpResponse:
    template, key, error = _compliance_request(request)
    if template is None or error:
        raise Http404(error or "Chưa có mẫu báo cáo.")
    view = compliance_for(request.user, template=template, period=key)
    data = view.as_dict()
    workbook = Workbook()
    write_table(workbook, "Tổng hợp", ["Chỉ tiêu", "Giá trị"], [
        ["Mẫu báo cáo", template.name], ["Kỳ", data["label"]], ["Hạn nộp", data["deadline"]],
        ["Số đơn vị phải nộp", data["expected"]], ["Đã nộp", data["submitted"]],
        ["Nộp đúng hạn", data["on_time"]], ["Nộp muộn", data["late"]],
        ["Bị trả lại", data["returned"]], ["Chưa nộp (quá hạn)", data["missing"]],
        ["Đang soạn", data["draft"]], ["Chưa bắt đầu", data["not_started"]],
        ["Tỷ lệ nộp (%)", _pct(data["reporting_rate"])],
        ["Tỷ lệ đúng hạn (%)", _pct(data["on_time_rate"])],
    ])
    write_table(workbook, "Theo đơn vị", ["Đơn vị", "Đơn vị cấp trên", "Tình trạng"], [
        [row["name"], row["parent"], row["label"]] for row in _by_unit(view)
    ])
    tally_headers = ["Phải nộp", "Đã nộp", "Đúng hạn", "Muộn", "Trả lại", "Chưa nộp",
                     "Tỷ lệ nộp (%)", "Tỷ lệ đúng hạn (%)"]
    write_table(workbook, "Theo cấp trên", ["Đơn vị cấp trên", *tally_headers],
                [[row["parent"], *_tally_row(row)] for row in data["by_parent"]])
    write_table(workbook, "Xu hướng", ["Kỳ", *tally_headers],
                [[row["label"], *_tally_row(row)] for row in data["trend"]])
    audit(
        actor=request.user, action=AuditEntry.Action.EXPORT, object_type="reporting.compliance",
        unit=request.user.unit, summary=f"Xuất tỷ lệ nộp báo cáo {data['label']}",
        data={"period": key.code},
    )
    return xlsx_download(workbook, f"ty-le-nop-{key.code}.xlsx")


def _tally_row(row: dict) -> list:
    return [row["expected"], row["submitted"], row["on_time"], row["late"], row["returned"],
            row["missing"], _pct(row["reporting_rate"]), _pct(row["on_time_rate"])]


