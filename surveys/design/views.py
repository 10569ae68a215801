"""Pages of survey design: list, create/edit, detail, XLSForm upload and check, downloads, status.

Thin views: reads through ``surveys.design.selectors`` (a survey the user may not see is "not
found"), writes through ``surveys.design.services``; only the office manages, leaders and units
read.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ServiceError
from core.mime import XLS_TYPE, XLSX_TYPE
from core.text import fold
from core.views import require_office
from odk.isolated import check_isolated
from odk.workbook import XLS_MAGIC
from surveys.analysis.selectors import may_analyse
from surveys.collect.selectors import may_collect
from surveys.design import selectors, services
from surveys.design.forms import SurveyFilterForm, SurveyForm, XLSFormUploadForm
from surveys.models import FormVersion, Question, Response, Survey

PAGE_SIZE = 30
SORT_FIELDS = {
    "-created_at": ["-created_at", "-id"],
    "created_at": ["created_at", "id"],
    "title": ["title_folded", "id"],
    "-starts_on": ["-starts_on", "-id"],
    "status": ["status", "-created_at"],
}


def _form_error(form, exc: ServiceError) -> None:
    name = exc.field if exc.field in form.fields else None
    form.add_error(name, exc.message)


def _upload_form(request: HttpRequest) -> XLSFormUploadForm:
    if request.method == "POST":
        return XLSFormUploadForm(request.POST, request.FILES)
    return XLSFormUploadForm()


def _read_upload(form: XLSFormUploadForm) -> tuple[bytes, str]:
    upload = form.cleaned_data["file"]
    if upload.size > services.MAX_XLSFORM_BYTES:
        raise ServiceError(
            f"Tệp lớn {upload.size // 1024} KB, vượt giới hạn "
            f"{services.MAX_XLSFORM_BYTES // 1024 // 1024} MB.",
            field="file",
        )
    return upload.read(), upload.name


# --- list -----------------------------------------------------------------------------------


def filter_surveys(user, *, q: str = "", status: str = "", kind: str = "", sort: str = ""):
    surveys = selectors.surveys_visible_to(user)
    for word in fold(q).split():
        surveys = surveys.filter(title_folded__contains=word)
    if status:
        surveys = surveys.filter(status=status)
    if kind:
        surveys = surveys.filter(kind=kind)
    surveys = surveys.annotate(
        n_versions=Count("versions", distinct=True), n_responses=Count("responses", distinct=True)
    )
    return surveys.order_by(*SORT_FIELDS.get(sort, SORT_FIELDS["-created_at"]))


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    form = SurveyFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    surveys = filter_surveys(
        request.user,
        q=data.get("q", ""),
        status=data.get("status", ""),
        kind=data.get("kind", ""),
        sort=data.get("sort", ""),
    )
    page = Paginator(surveys, PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = bool(data.get("q") or data.get("status") or data.get("kind"))
    return render(
        request,
        "surveys/design/survey_list.html",
        {"form": form, "page": page, "filtered": filtered, "can_manage": request.user.is_office},
    )


# --- create / edit ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    form = SurveyForm(request.POST or None, initial={"allow_interviewers": True})
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.create_survey(user=request.user, data=form.to_input())
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request,
                f"Đã tạo cuộc khảo sát “{survey.title}”. Bước tiếp theo: tải lên bảng hỏi XLSForm.",
            )
            return redirect("survey_upload", slug=survey.slug)
    return render(request, "surveys/design/survey_form.html", {"form": form, "survey": None})


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, slug: str) -> HttpResponse:
    survey = selectors.get_survey_for(request.user, slug, manage=True)
    form = SurveyForm(request.POST or None, initial=SurveyForm.initial_for(survey))
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.update_survey(
                user=request.user,
                survey=survey,
                data=form.to_input(),
                expected_version=form.cleaned_data.get("version"),
            )
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Đã lưu thông tin cuộc khảo sát.")
            return redirect("survey_detail", slug=survey.slug)
    return render(request, "surveys/design/survey_form.html", {"form": form, "survey": survey})


# --- detail -----------------------------------------------------------------------------------


def _count_of(model, link: str) -> Subquery:
    rows = model.objects.filter(**{link: OuterRef("pk")}).order_by().values(link)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


@login_required
def survey_detail(request: HttpRequest, slug: str) -> HttpResponse:
    survey = selectors.get_survey_for(request.user, slug)
    versions = list(
        survey.versions.order_by("-uploaded_at", "-id")
        .select_related("uploaded_by")
        # Two subqueries, not two joins: joining both multiplies questions by responses.
        .annotate(n_questions=_count_of(Question, "form_version"),
                  n_responses=_count_of(Response, "form_version"))
    )
    current = versions[0] if versions else None
    questions = list(current.questions.order_by("position")) if current else []
    return render(
        request,
        "surveys/design/survey_detail.html",
        {
            "survey": survey,
            "versions": versions,
            "current": current,
            "questions": questions,
            "n_responses": survey.responses.count(),
            "can_manage": request.user.is_office,
            "can_collect": survey.is_open and may_collect(request.user, survey),
            "can_analyse": may_analyse(request.user, survey),
            "upload_form": XLSFormUploadForm() if request.user.is_office else None,
            "target_areas": list(survey.target_areas.all()),
            "target_groups": list(survey.target_groups.all()),
        },
    )


# --- upload / check ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def survey_upload(request: HttpRequest, slug: str) -> HttpResponse:
    survey = selectors.get_survey_for(request.user, slug, manage=True)
    form = _upload_form(request)
    issues: list[dict] = []
    warnings: list[dict] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            content, name = _read_upload(form)
            version = services.upload_form_version(
                user=request.user, survey=survey, content=content, filename=name
            )
        except services.XLSFormRejected as exc:
            form.add_error(None, exc.message)
            issues = [issue.as_dict() for issue in exc.issues]
            warnings = [issue.as_dict() for issue in exc.warnings]
            status = 400
        except ServiceError as exc:
            _form_error(form, exc)
            status = 400
        else:
            note = f", {len(version.warnings)} cảnh báo" if version.warnings else ""
            messages.success(
                request,
                f"Đã lưu phiên bản {version.version} ({version.questions.count()} câu hỏi{note}).",
            )
            return redirect("survey_detail", slug=survey.slug)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "surveys/design/survey_upload.html",
        {
            "survey": survey,
            "form": form,
            "issues": issues,
            "warnings": warnings,
            "current": selectors.current_version(survey),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def xlsform_check(request: HttpRequest) -> HttpResponse:
    """Check an XLSForm and list its questions, storing nothing (the office's tool)."""
    require_office(request.user)
    form = _upload_form(request)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            content, name = _read_upload(form)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            result = check_isolated(content, name)
            result["filename"] = name
    return render(request, "surveys/design/xlsform_check.html", {"form": form, "result": result})


# --- downloads --------------------------------------------------------------------------------


def _version_for(request: HttpRequest, slug: str, pk: int) -> FormVersion:
    survey = selectors.get_survey_for(request.user, slug)
    return get_object_or_404(FormVersion, pk=pk, survey=survey)


@login_required
def form_version_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    version = _version_for(request, slug, pk)
    name = version.xlsform_name or f"{version.survey.form_id}.xlsx"
    content = bytes(version.xlsform)
    kind = XLS_TYPE if content.startswith(XLS_MAGIC) else XLSX_TYPE
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = _attachment(name)
    return response


@login_required
def form_version_xml(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    version = _version_for(request, slug, pk)
    return HttpResponse(version.xform_xml, content_type="text/xml; charset=utf-8")


def _attachment(name: str) -> str:
    from urllib.parse import quote

    ascii_name = fold(name).replace(" ", "_").replace('"', "") or "bieu_mau.xlsx"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


# --- status, question keys --------------------------------------------------------------------


@login_required
@require_POST
def survey_status(request: HttpRequest, slug: str) -> HttpResponse:
    survey = selectors.get_survey_for(request.user, slug, manage=True)
    status = request.POST.get("status", "")
    try:
        survey = services.set_survey_status(user=request.user, survey=survey, status=status)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        text = {
            Survey.Status.OPEN: "Đã mở thu thập phiếu.",
            Survey.Status.CLOSED: "Đã đóng khảo sát: không nhận thêm phiếu, dữ liệu đã thu vẫn "
            "được giữ nguyên.",
        }.get(survey.status, "Đã đổi trạng thái.")
        messages.success(request, text)
    return redirect("survey_detail", slug=survey.slug)


@login_required
@require_POST
def question_concept(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    survey = selectors.get_survey_for(request.user, slug, manage=True)
    question = get_object_or_404(Question, pk=pk, form_version__survey=survey)
    try:
        services.set_concept_key(
            user=request.user, question=question, concept_key=request.POST.get("concept_key", "")
        )
    except ServiceError as exc:
        messages.error(request, f"Câu hỏi {question.name}: {exc.message}")
    else:
        messages.success(request, f"Đã đặt khóa câu hỏi lặp lại cho {question.name}.")
    return redirect(f"{request.build_absolute_uri(_detail_url(survey))}#cau-hoi")


def _detail_url(survey: Survey) -> str:
    from django.urls import reverse

    return reverse("survey_detail", kwargs={"slug": survey.slug})
