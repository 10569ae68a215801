"""Collection pages: the web form, anonymous links, tokens, quotas, imports, and the office's page
of ODK logins. ODK Collect's own endpoints are in :mod:`surveys.collect.odk_views`.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from core.errors import ServiceError
from core.mime import CSV_TYPE
from core.views import xlsx_download
from documents import csvsafe
from documents.xlsx import write_table
from orgs.models import User
from surveys.collect import imports, selectors, services
from surveys.collect.odk_views import (
    LOCAL_HOSTS,
    XML_TYPE,
    collaborator_of,
    odk_root,
    openrosa_message,
    openrosa_response,
    receive_submission,
)
from surveys.collect.webform import webform_page
from surveys.design.selectors import current_version, get_survey_for
from surveys.models import Quota, Response, Survey, SurveyToken

# --- the web form (logged-in interviewers and the office) ----------------------------------------


def _unavailable(
    request: HttpRequest, survey: Survey | None, reason: str, *, status=200, public=False
) -> HttpResponse:
    return render(
        request,
        "surveys/collect/unavailable.html",
        {"survey": survey, "reason": reason, "public": public},
        status=status,
    )


def _not_open_reason(survey: Survey) -> str | None:
    if survey.status == Survey.Status.CLOSED:
        return (
            "Cuộc khảo sát đã đóng, không nhận thêm phiếu. Các phiếu đã thu vẫn được giữ nguyên."
        )
    if survey.status != Survey.Status.OPEN:
        return "Cuộc khảo sát chưa mở thu thập. Khi Ban Xây dựng Đảng mở, phiếu sẽ hiện ở đây."
    return None


@login_required
@require_GET
def survey_collect(request: HttpRequest, slug: str) -> HttpResponse:
    survey = selectors.get_collectable_survey(request.user, slug)
    reason = _not_open_reason(survey)
    version = current_version(survey)
    if reason is None and version is None:
        reason = "Cuộc khảo sát chưa có bảng hỏi: Ban Xây dựng Đảng cần tải lên tệp XLSForm."
    if reason:
        return _unavailable(request, survey, reason)
    collaborator = collaborator_of(request.user)
    server = request.build_absolute_uri(odk_root()).rstrip("/")
    return webform_page(
        request,
        title=survey.title,
        form_url=reverse("survey_collect_form", args=[survey.slug]),
        submit_url=reverse("survey_web_submit", args=[survey.slug]),
        extra={
            "intro": "Mỗi lần gửi là một phiếu; sau khi gửi, phiếu trống hiện ra cho người tiếp"
            " theo. Phỏng vấn bằng điện thoại Android: dùng ODK Collect với địa chỉ máy chủ"
            f" {server}.",
            "back_url": reverse("survey_detail", args=[survey.slug]),
            "back_label": "Về trang khảo sát",
            "interviewer": collaborator.full_name if collaborator else "",
        },
    )


@login_required
@require_GET
def survey_collect_form(request: HttpRequest, slug: str) -> HttpResponse:
    survey = selectors.get_collectable_survey(request.user, slug)
    version = current_version(survey)
    if version is None:
        raise Http404("Cuộc khảo sát chưa có bảng hỏi.")
    return HttpResponse(version.xform_xml.encode("utf-8"), content_type=XML_TYPE)


@require_POST
def survey_web_submit(request: HttpRequest, slug: str) -> HttpResponse:
    """The web form's POST (CSRF-protected, session): answers in XML, never a login redirect,
    because the form's script would take a redirected page for a success."""
    if not request.user.is_authenticated:
        return openrosa_message(
            "Phiên đăng nhập đã hết hạn: hãy đăng nhập lại ở thẻ khác rồi bấm gửi lại (phiếu"
            " vẫn còn trên trang).",
            403,
            nature="error",
        )
    try:
        survey = selectors.get_collectable_survey(request.user, slug)
    except Http404:
        return openrosa_message("Không tìm thấy cuộc khảo sát.", 404, nature="error")
    return openrosa_response(
        receive_submission(
            request,
            source=Response.Source.WEB,
            interviewer=collaborator_of(request.user),
            survey=survey,
            collector=request.user,
        )
    )


# --- anonymous single-use links ------------------------------------------------------------------


def _public_state(token: str) -> tuple[SurveyToken | None, str | None]:
    record = selectors.find_token(token)
    if record is None:
        return None, (
            "Liên kết không đúng hoặc đã bị thay đổi. Hãy kiểm tra lại địa chỉ được gửi."
        )
    survey = record.survey
    if not survey.allow_public_link:
        return record, "Cuộc khảo sát này hiện không nhận trả lời qua liên kết."
    reason = _not_open_reason(survey)
    if reason:
        return record, reason
    if record.used_at is not None:
        return record, (
            "Liên kết này đã được dùng để trả lời. Mỗi liên kết chỉ dùng được một lần; cảm ơn"
            " ông/bà đã tham gia."
        )
    if current_version(survey) is None:
        return record, "Cuộc khảo sát chưa có bảng hỏi."
    return record, None


@require_http_methods(["GET", "POST"])
def public_survey(request: HttpRequest, token: str) -> HttpResponse:
    """An anonymous respondent's page: the form (GET) and its submission (POST, once)."""
    if request.method == "POST":
        record = selectors.find_token(token)
        if record is None:
            return openrosa_message("Liên kết không đúng.", 404, nature="error")
        return openrosa_response(
            receive_submission(
                request,
                source=Response.Source.PUBLIC_LINK,
                token=token,
                survey=record.survey,
            )
        )
    record, reason = _public_state(token)
    if reason:
        return _unavailable(
            request, record.survey if record else None, reason,
            status=404 if record is None else 200, public=True,
        )
    survey = record.survey
    return webform_page(
        request,
        title=survey.title,
        form_url=reverse("public_survey_form", args=[token]),
        submit_url=reverse("public_survey", args=[token]),
        extra={
            "intro": "Phiếu không ghi tên người trả lời; liên kết này chỉ dùng được một lần."
            " Xin đừng ghi số điện thoại, số căn cước vào câu trả lời.",
            "reset_after_submit": False,
        },
    )


@require_GET
def public_survey_form(request: HttpRequest, token: str) -> HttpResponse:
    record, reason = _public_state(token)
    # A used token still loads the form: the page may be reloaded to read its thank-you.
    version = current_version(record.survey) if record is not None else None
    if version is None or (reason and record.used_at is None):
        raise Http404(reason or "Liên kết không đúng.")
    return HttpResponse(version.xform_xml.encode("utf-8"), content_type=XML_TYPE)


# --- tokens (office) -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def survey_tokens(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_survey_for(request.user, slug, manage=True)
    if request.method == "POST":
        try:
            count = int(request.POST.get("count", "0"))
        except ValueError:
            count = 0
        fmt = request.POST.get("format", "xlsx")
        try:
            tokens = services.issue_tokens(
                survey=survey, count=count, batch=request.POST.get("batch", ""),
                user=request.user,
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("survey_tokens", slug=survey.slug)
        links = [request.build_absolute_uri(reverse("public_survey", args=[t])) for t in tokens]
        return _token_file(survey, links, request.POST.get("batch", ""), fmt)
    batches = (
        survey.tokens.values("batch")
        .annotate(total=Count("id"), used=Count("id", filter=Q(used_at__isnull=False)),
                  issued=Min("created_at"))
        .order_by("-issued")
    )
    return render(
        request,
        "surveys/collect/tokens.html",
        {
            "survey": survey,
            "batches": [{**b, "left": b["total"] - b["used"]} for b in batches],
            "total": survey.tokens.count(),
            "used": survey.tokens.filter(used_at__isnull=False).count(),
            "max_tokens": services.MAX_TOKENS_PER_BATCH,
        },
    )


def _token_file(survey: Survey, links: list[str], batch: str, fmt: str) -> HttpResponse:
    name = f"lien-ket-{survey.slug}"
    rows = [[i, link, batch] for i, link in enumerate(links, start=1)]
    headers = ["STT", "Liên kết trả lời (dùng một lần)", "Đợt"]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csvsafe.writer(buffer)  # a batch name "=…" stays text
        writer.writerow(headers)
        writer.writerows(rows)
        response = HttpResponse(
            ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type=CSV_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        workbook = Workbook()
        write_table(workbook, "Liên kết", headers, rows)
        response = xlsx_download(workbook, f"{name}.xlsx")
    response["Cache-Control"] = "no-store"
    return response


# --- quotas --------------------------------------------------------------------------------------


def _quota_context(survey: Survey, user: User) -> dict:
    progress = selectors.quota_progress(survey)
    by_dimension = {d.dimension: d for d in progress}
    editors = []
    if user.is_office:
        for dimension, label in Quota.Dimension.choices:
            current = {r.category: r.target for r in by_dimension[dimension].rows} if (
                dimension in by_dimension
            ) else {}
            categories = selectors.dimension_categories(survey, dimension)
            editors.append({
                "dimension": dimension,
                "label": label,
                "rows": [(c, lbl, current.get(c, 0)) for c, lbl in categories],
            })
    plan = None
    if user.is_office and survey.sample_size:
        try:
            shares = services.population_plan(survey)
        except ServiceError:
            shares = None
        if shares:
            names = dict(selectors.dimension_categories(survey, Quota.Dimension.AREA))
            plan = [(names.get(k, k), v) for k, v in shares.items()]
    return {
        "survey": survey,
        "progress": progress,
        "editors": editors,
        "plan": plan,
        "responses": survey.responses.count(),
        "can_manage": user.is_office,
    }


@login_required
@require_http_methods(["GET", "POST"])
def survey_quotas(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_survey_for(request.user, slug)
    if request.method == "POST":
        if not request.user.is_office:
            raise Http404("Không tìm thấy trang.")
        try:
            if request.POST.get("action") == "plan":
                shares = services.apply_population_plan(survey=survey, user=request.user)
                messages.success(
                    request,
                    f"Đã phân bổ {sum(shares.values())} phiếu cho {len(shares)} tổ dân phố theo"
                    " dân số.",
                )
            else:
                dimension = request.POST.get("dimension", "")
                targets = {}
                for key, value in request.POST.items():
                    if key.startswith("target:"):
                        value = value.strip() or "0"
                        if not value.isdigit():
                            raise ServiceError(
                                f"Chỉ tiêu “{value}” phải là số nguyên không âm.", field=key
                            )
                        targets[key[len("target:"):]] = int(value)
                services.set_quotas(
                    survey=survey, dimension=dimension, targets=targets, user=request.user
                )
                messages.success(request, "Đã lưu chỉ tiêu.")
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("survey_quotas", slug=survey.slug)
    context = _quota_context(survey, request.user)
    if request.headers.get("HX-Request") or request.GET.get("partial"):
        return render(request, "surveys/collect/_quota_progress.html", context)
    return render(request, "surveys/collect/quotas.html", context)


# --- import --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def survey_import(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_survey_for(request.user, slug, manage=True)
    version = current_version(survey)
    report = None
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "Hãy chọn tệp Excel (.xlsx) hoặc CSV để nhập."
        else:
            try:
                report = imports.import_responses(
                    survey=survey, user=request.user, file_name=upload.name,
                    data=upload.read(),
                )
            except ServiceError as exc:
                error = exc.message
    columns = []
    if version is not None:
        structure = selectors.structure_of(version)
        columns = [
            f for f in structure.fields if f.answerable and not f.repeat
        ]
    return render(
        request,
        "surveys/collect/import.html",
        {"survey": survey, "version": version, "report": report, "error": error,
         "columns": columns},
        status=400 if error else 200,
    )


# --- ODK logins (office) -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def odk_credentials(request: HttpRequest) -> HttpResponse:
    if not request.user.is_office:
        raise Http404("Không tìm thấy trang.")
    issued = None
    if request.method == "POST":
        target = get_object_or_404(User, pk=request.POST.get("user", 0))
        try:
            if request.POST.get("action") == "revoke":
                services.revoke_odk_credential(user=target, by=request.user)
                messages.success(request, f"Đã thu hồi mã đăng nhập ODK của {target}.")
                return redirect("survey_odk_credentials")
            _, password = services.issue_odk_credential(user=target, by=request.user)
            issued = {"user": target, "password": password}
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("survey_odk_credentials")
    people = (
        User.objects.filter(is_active=True)
        .exclude(role=User.Role.LEADER)
        .select_related("unit", "odk_credential")
        .order_by("unit__sort_key", "unit__name", "full_name", "username")
    )
    response = render(
        request,
        "surveys/collect/odk_credentials.html",
        {
            "people": people,
            "issued": issued,
            "server_url": request.build_absolute_uri(odk_root()).rstrip("/"),
            "server_is_local": request.get_host().split(":")[0] in LOCAL_HOSTS,
        },
    )
    if issued:
        response["Cache-Control"] = "no-store"
    return response
