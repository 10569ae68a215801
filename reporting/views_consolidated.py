"""Pages of the consolidated reports: list, generate, edit, download DOCX, PDF and XLSX.

The office drafts and edits the ward's report (and may a unit's); a đảng bộ's reporters draft and
edit their unit's report of the chi bộ below it; leaders read and download every one; anyone else
gets "not found", so the pages do not reveal that a report exists. Views stay thin: check the
reader, call a service, render.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.dates import local_today
from core.errors import ConflictError, ServiceError
from core.mime import DOCX_TYPE, XLSX_TYPE
from core.pdf import pdf_download
from core.views import require_office
from reporting import consolidation as calc
from reporting import figures, services
from reporting.models import ConsolidatedReport
from reporting.page_selectors import consolidated_visible_to, consolidating_unit
from reporting.periods import (
    PeriodError,
    PeriodKey,
    code_from_picker,
    parse_period,
    picker_initial,
)
from reporting.services import review_export

REFUSAL = "Chỉ Ban Xây dựng Đảng được lập và sửa báo cáo tổng hợp."


def _consolidated_visible_to(user) -> QuerySet[ConsolidatedReport]:
    if not (user.sees_everything or consolidating_unit(user)):
        raise Http404("Không tìm thấy trang.")
    return consolidated_visible_to(user)


def _get_consolidated(user, pk: int) -> ConsolidatedReport:
    try:
        return _consolidated_visible_to(user).get(pk=pk)
    except ConsolidatedReport.DoesNotExist as exc:
        raise Http404("Không tìm thấy báo cáo tổng hợp.") from exc


def _may_edit(user, consolidated: ConsolidatedReport | None = None) -> bool:
    """Whether ``user`` drafts and edits ``consolidated`` (or, on the list, their own reports):
    the services' rule (``services.may_author``), never the ward's for a unit's reporter."""
    if consolidated is not None:
        return services.may_author(user, consolidated.unit)
    return user.is_office or consolidating_unit(user) is not None


def _within(reports: QuerySet[ConsolidatedReport], key: PeriodKey) -> QuerySet:
    """Reports whose period lies inside ``key``: "2025" lists the months, halves and the year."""
    return reports.filter(period__start__gte=key.start, period__end__lte=key.end)


@login_required
def consolidated_list(request: HttpRequest) -> HttpResponse:
    reports = _consolidated_visible_to(request.user).order_by("-period__start", "period__kind")
    period_text = request.GET.get("period", "").strip()
    period_error = ""
    if period_text:
        try:
            reports = _within(reports, parse_period(period_text))
        except PeriodError as exc:
            period_error = str(exc)
    return render(request, "reporting/consolidated_list.html", {
        "reports": reports,
        "period_text": period_text,
        "period_error": period_error,
        "can_edit": _may_edit(request.user),
        "unit": consolidating_unit(request.user),
        "picker": picker_initial(local_today()),
    })


@login_required
@require_POST
def consolidated_generate(request: HttpRequest) -> HttpResponse:
    unit = consolidating_unit(request.user)
    if unit is None:
        require_office(request.user, refusal=REFUSAL, hide_from_units=True)
    try:
        # The page's period picker posts its selects; API-like clients may post a code.
        key = parse_period(code_from_picker(request.POST))
        consolidated = services.generate_consolidated(
            user=request.user, period=key, unit=unit,
            redraft_edited=request.POST.get("redraft_edited") == "1",
            source=request.POST.get("source") or None,
        )
    except PeriodError as exc:
        messages.error(request, str(exc))
        return redirect("consolidated_list")
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("consolidated_list")
    messages.success(
        request,
        f"Đã lập dự thảo báo cáo tổng hợp {key.label} từ"
        f" {consolidated.data.get('report_count', 0)} báo cáo"
        f" {'đã chấp nhận' if consolidated.data.get('source') == 'accepted' else 'đã nộp'}.",
    )
    return redirect("consolidated_detail", pk=consolidated.pk)


def _edit_values(request: HttpRequest, consolidated: ConsolidatedReport) -> dict:
    titles = services.section_titles(consolidated)
    return {
        # A section missing from the form is left as it is, not blanked.
        "sections": {
            s["key"]: request.POST[f"section_{s['key']}"]
            for s in titles
            if f"section_{s['key']}" in request.POST
        },
        "number": request.POST.get("number", ""),
        "title": request.POST.get("title", ""),
        "recipients": request.POST.get("recipients", ""),
        "signer_name": request.POST.get("signer_name", ""),
    }


def _expected_version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1  # a form without a version can only conflict, never overwrite


def _detail_context(consolidated: ConsolidatedReport, values: dict | None, error: str,
                    error_field: str | None, user) -> dict:
    values = values or {
        "sections": consolidated.sections,
        "number": consolidated.number,
        "title": consolidated.title,
        "recipients": consolidated.recipients,
        "signer_name": consolidated.signer_name,
    }
    edited = set(services.edited_sections(consolidated))
    sources = consolidated.data.get("sources", {})
    titles = services.section_titles(consolidated)
    review = review_export.is_review(consolidated)
    numbers = (review_export.section_numbers(titles) if review
               else [str(i) for i in range(1, len(titles) + 1)])
    sections = [
        {**s, "text": values["sections"].get(s["key"], consolidated.sections.get(s["key"], "")),
         "edited": s["key"] in edited, "number": number, "level": s.get("level", 1),
         "sources": sources.get(figures.SOURCE_OF.get(s["key"], s["key"]) if review
                                else s["key"])}
        for s, number in zip(titles, numbers, strict=True)
    ]
    tables = services.report_tables(consolidated)
    return {
        "report": consolidated,
        "values": values,
        "sections": sections,
        "tables": [*tables["figures"], *tables["compliance"], *tables["topics"],
                   *tables["latent"]],
        "compliance_sentence": calc.compliance_sentence(consolidated.data.get("compliance", {})),
        "error": error,
        "error_field": error_field,
        "can_edit": _may_edit(user, consolidated),
        "any_edited": bool(edited),
    }


@login_required
@require_http_methods(["GET", "POST"])
def consolidated_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consolidated = _get_consolidated(request.user, pk)
    if request.method == "GET":
        return render(request, "reporting/consolidated_detail.html",
                      _detail_context(consolidated, None, "", None, request.user))
    if not _may_edit(request.user, consolidated):
        require_office(request.user, refusal=REFUSAL, hide_from_units=True)
    values = _edit_values(request, consolidated)
    try:
        services.update_consolidated(
            user=request.user, consolidated=consolidated,
            expected_version=_expected_version(request), **values,
        )
    except ServiceError as exc:
        message = exc.message
        if isinstance(exc, ConflictError):
            # The form now carries the newest version: saving again is a deliberate overwrite.
            consolidated.refresh_from_db()
            message += " Nội dung bạn vừa nhập vẫn còn bên dưới; bấm Lưu lần nữa sẽ ghi đè bản mới."
        context = _detail_context(consolidated, values, message, exc.field, request.user)
        return render(request, "reporting/consolidated_detail.html", context,
                      status=exc.status_code)
    messages.success(request, "Đã lưu báo cáo tổng hợp.")
    return redirect("consolidated_detail", pk=consolidated.pk)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def consolidated_docx(request: HttpRequest, pk: int) -> HttpResponse:
    consolidated = _get_consolidated(request.user, pk)
    buffer = io.BytesIO()
    services.export_docx(user=request.user, consolidated=consolidated, out=buffer)
    return _download(buffer.getvalue(), DOCX_TYPE,
                     f"bao-cao-tong-hop-{consolidated.period.code}.docx")


@login_required
def consolidated_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    consolidated = _get_consolidated(request.user, pk)
    return pdf_download(
        request,
        make=lambda: services.export_pdf(user=request.user, consolidated=consolidated),
        filename=f"bao-cao-tong-hop-{consolidated.period.code}.pdf",
        docx_url=reverse("consolidated_docx", args=[consolidated.pk]),
    )


@login_required
def consolidated_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    consolidated = _get_consolidated(request.user, pk)
    buffer = io.BytesIO()
    services.export_xlsx(user=request.user, consolidated=consolidated, out=buffer)
    return _download(buffer.getvalue(), XLSX_TYPE,
                     f"bang-bieu-tong-hop-{consolidated.period.code}.xlsx")
