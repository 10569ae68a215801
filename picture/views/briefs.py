"""Pages of the weekly brief (Bản tin dư luận): the archive, one brief with its charts, its DOCX,
its PDF, a brief on demand for any period, and the office's assessment.

The brief is the whole ward's: the leaders and the office read it; anyone else gets "not found",
so the pages do not reveal that it exists. Only the office drafts and writes the assessment.
Views stay thin: check the reader, call a service, render.
"""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.dates import local_today
from core.errors import ConflictError, ServiceError
from core.mime import DOCX_TYPE
from core.pdf import pdf_download
from core.views import require_office
from picture import services
from picture.brief_docx import chart_pngs, headline_rows, summary_text
from picture.models import Brief
from picture.services.briefs import NOTES_MAX
from picture.window import week_of

PAGE_SIZE = 20
REFUSAL = "Chỉ Ban Xây dựng Đảng được lập bản tin và viết nhận định."


def briefs_visible_to(user) -> QuerySet[Brief]:
    """Every brief for the leaders and the office; nothing (not found) for anyone else."""
    if not getattr(user, "sees_everything", False):
        raise Http404("Không tìm thấy trang.")
    return Brief.objects.all()


def _get_brief(user, pk: int) -> Brief:
    try:
        return briefs_visible_to(user).get(pk=pk)
    except Brief.DoesNotExist as exc:
        raise Http404("Không tìm thấy bản tin.") from exc


@login_required
def brief_list(request: HttpRequest) -> HttpResponse:
    briefs = briefs_visible_to(request.user).order_by("-end", "-id")
    page = Paginator(briefs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "picture/brief_list.html", {
        "page": page,
        "can_edit": request.user.is_office,
        "last_week": week_of(local_today()).previous(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def brief_new(request: HttpRequest) -> HttpResponse:
    require_office(request.user, refusal=REFUSAL, hide_from_units=True)
    period = (request.POST.get("period") or request.GET.get("period") or "").strip()
    if request.method == "GET":
        return render(request, "picture/brief_new.html", {
            "period": period, "last_week": week_of(local_today()).previous(),
        })
    replace = request.POST.get("replace") == "1"
    try:
        window = services.period_window(period, local_today())
        brief = services.draft_brief(
            # A week asked for on demand is the weekly brief (one per week), not a second one.
            start=window.start, end=window.end, weekly=window.kind == "week",
            user=request.user, replace=replace, expected_version=_version(request),
        )
    except ServiceError as exc:
        return render(request, "picture/brief_new.html", {
            "period": period, "error": exc.message,
            "last_week": week_of(local_today()).previous(),
        }, status=exc.status_code)
    messages.success(request, "Đã lập lại số liệu bản tin." if replace else "Đã lập bản tin.")
    return redirect("picture:brief_detail", pk=brief.pk)


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@login_required
@require_http_methods(["GET", "POST"])
def brief_detail(request: HttpRequest, pk: int) -> HttpResponse:
    brief = _get_brief(request.user, pk)
    if request.method == "GET":
        return render(request, "picture/brief_detail.html", _detail_context(request, brief))
    require_office(request.user, refusal=REFUSAL, hide_from_units=True)
    notes = request.POST.get("notes", "")
    try:
        services.update_notes(user=request.user, brief=brief, notes=notes,
                              expected_version=_version(request) or 0)
    except ServiceError as exc:
        message = exc.message
        if isinstance(exc, ConflictError):
            # The form now carries the newest version: saving again is a deliberate overwrite.
            brief.refresh_from_db()
            message += " Nội dung bạn vừa nhập vẫn còn bên dưới; bấm Lưu lần nữa sẽ ghi đè."
        context = _detail_context(request, brief, notes=notes, error=message)
        return render(request, "picture/brief_detail.html", context, status=exc.status_code)
    messages.success(request, "Đã lưu nhận định.")
    return redirect("picture:brief_detail", pk=brief.pk)


def _detail_context(request: HttpRequest, brief: Brief, *, notes: str | None = None,
                    error: str = "") -> dict:
    charts = [base64.b64encode(png).decode("ascii") for png in chart_pngs(brief)]
    data = brief.data or {}
    return {
        "brief": brief,
        "data": data,
        "rows": headline_rows(data),
        "summary": summary_text(data).split("\n"),
        "charts": charts,
        "notes": brief.notes if notes is None else notes,
        "error": error,
        "can_edit": request.user.is_office,
        "notes_max": NOTES_MAX,
    }


@login_required
def brief_docx(request: HttpRequest, pk: int) -> HttpResponse:
    brief = _get_brief(request.user, pk)
    content = services.export_docx(user=request.user, brief=brief)
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_file_name(brief)}.docx"'
    return response


@login_required
def brief_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    brief = _get_brief(request.user, pk)
    return pdf_download(
        request, make=lambda: services.export_pdf(user=request.user, brief=brief),
        filename=f"{_file_name(brief)}.pdf",
        docx_url=reverse("picture:brief_docx", args=[brief.pk]),
    )


def _file_name(brief: Brief) -> str:
    name = (brief.data.get("period") or {}).get("code") or ""
    return "ban-tin-" + (name.replace("..", "_") or f"{brief.start}_{brief.end}")
