"""Pages of survey analysis: results, cross-tabs, consensus, open answers, weights, exports,
the DOCX report, the public results page and the survey database (question bank, series).

Thin views: scope through :func:`surveys.analysis.selectors.get_analysable_survey` (the office,
leaders and readers of the survey's own unit; anyone else gets 404), compute through the modules
of :mod:`surveys.analysis` (the question frame built once per request and passed along), write
through :mod:`surveys.analysis.services`. Every file that leaves is written to the audit log.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core import pdf
from core.errors import ServiceError
from core.mime import CSV_TYPE, DOCX_TYPE, SAV_TYPE, XLSX_TYPE
from core.models import AuditEntry
from core.services import audit
from surveys.analysis import exports, question_bank, report_docx, services
from surveys.analysis.consensus import (
    GROUPINGS,
    consensus_result,
    group_labels_for,
    statement_questions,
)
from surveys.analysis.crosstab import crosstab_result
from surveys.analysis.forms import (
    AnalysisFilterForm,
    CrosstabForm,
    GroupingForm,
    MarginsForm,
    WeightingForm,
)
from surveys.analysis.frame import load_responses
from surveys.analysis.open_answers import open_answers
from surveys.analysis.questions import question_frame
from surveys.analysis.results import SurveyAnalysis, analyse, suppress_small_cells
from surveys.analysis.selectors import get_analysable_survey
from surveys.analysis.vocabulary import (
    CATEGORICAL,
    EDITABLE_VARIABLES,
    MULTIPLE,
    NUMERIC,
    OPEN_ANSWER_LIMIT,
    SMALL_CELL,
    TEXT,
    TYPE_LABELS,
    VARIABLES,
    base_type,
)
from surveys.analysis.weights import compute_weights, population_margins, weighting_column
from surveys.models import Survey

EXPORT_TYPES = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE, "sav": SAV_TYPE}
BANK_PAGE_SIZE = 25


def _prepare(request: HttpRequest, slug: str) -> tuple[SurveyAnalysis, AnalysisFilterForm]:
    """The survey (scoped), its filter form and the analysis of the filtered responses."""
    survey = get_analysable_survey(request.user, slug)
    frame = question_frame(survey)  # once per request: the form and the analysis share it
    form = AnalysisFilterForm(request.GET or None, frame=frame)
    filters = form.to_filter()
    weighted = request.GET.get("weighted", "1") != "0"
    return analyse(survey, filters, weighted=weighted, frame=frame), form


def _keep(request: HttpRequest, *names: str) -> list[tuple[str, str]]:
    """Page parameters (the chosen questions) that the filter form must carry along."""
    return [(name, request.GET[name]) for name in names if request.GET.get(name)]


def _base_context(analysis: SurveyAnalysis, form: AnalysisFilterForm, tab: str) -> dict:
    return {
        "survey": analysis.survey,
        "analysis": analysis,
        "form": form,
        "tab": tab,
        "weighting": analysis.weighting,
        "weighted": analysis.weights is not None,
        "filter_words": analysis.filter_words(),
    }


@login_required
def survey_results(request: HttpRequest, slug: str) -> HttpResponse:
    analysis, form = _prepare(request, slug)
    results = analysis.frequencies() if analysis.n else []
    weighted = analysis.weights is not None
    charts = [r.chart(weighted) for r in results if r.rows]
    context = _base_context(analysis, form, "results")
    context.update({"results": results, "charts": charts})
    return render(request, "surveys/analysis/results.html", context)


@login_required
def survey_crosstab(request: HttpRequest, slug: str) -> HttpResponse:
    analysis, form = _prepare(request, slug)
    pick = CrosstabForm(request.GET if "row" in request.GET else None,
                        questions=analysis.questions)
    table = None
    if pick.is_bound and pick.is_valid() and analysis.n:
        row = analysis.question(pick.cleaned_data["row"])
        col = analysis.question(pick.cleaned_data["col"])
        if row.name == col.name:
            pick.add_error("col", "Chọn hai câu hỏi khác nhau.")
        else:
            table = crosstab_result(analysis.table, row, col, analysis.weights,
                                    analysis.mask)
    context = _base_context(analysis, form, "crosstab")
    rows = []
    if table is not None:
        rows = [
            {"label": label, "cells": list(zip(counts, percents, strict=True)), "total": total}
            for label, counts, percents, total in zip(
                table.row_labels, table.counts, table.row_percent, table.row_totals,
                strict=True)
        ]
    context.update({"pick": pick, "table": table, "rows": rows,
                    "keep": _keep(request, "row", "col")})
    return render(request, "surveys/analysis/crosstab.html", context)


@login_required
def survey_consensus(request: HttpRequest, slug: str) -> HttpResponse:
    analysis, form = _prepare(request, slug)
    grouping_form = GroupingForm(request.GET or None)
    grouping = next(iter(GROUPINGS))
    if grouping_form.is_bound and grouping_form.is_valid() and grouping_form.cleaned_data["group"]:
        grouping = grouping_form.cleaned_data["group"]
    groups = group_labels_for(analysis.table, grouping, analysis.choice_labels)
    ranked = consensus_result(analysis.table, analysis.questions, groups,
                              analysis.weights, analysis.mask)
    group_names = [g for g, _, _ in ranked[0].groups] if ranked else []
    context = _base_context(analysis, form, "consensus")
    context.update({
        "ranked": ranked, "group_names": group_names, "grouping_form": grouping_form,
        "grouping_label": GROUPINGS[grouping],
        "statements": statement_questions(analysis.questions),
        "keep": _keep(request, "group"),
    })
    return render(request, "surveys/analysis/consensus.html", context)


@login_required
def survey_open_answers(request: HttpRequest, slug: str) -> HttpResponse:
    analysis, form = _prepare(request, slug)
    texts = [q for q in analysis.questions if q.kind == TEXT]
    chosen = request.GET.get("q") or (texts[0].name if texts else "")
    question = next((q for q in texts if q.name == chosen), None)
    result = open_answers(analysis.table, question, analysis.mask) if question else None
    context = _base_context(analysis, form, "open")
    context.update({"texts": texts, "question": question, "result": result,
                    "limit": OPEN_ANSWER_LIMIT, "keep": _keep(request, "q")})
    return render(request, "surveys/analysis/open_answers.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def survey_weights(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_analysable_survey(request.user, slug)
    frame = question_frame(survey)
    labels = frame.choice_labels
    can_edit = request.user.is_office
    margins = population_margins(survey, frame)
    own = {v: dict(survey.margins.filter(variable=v).values_list("category", "population"))
           for v in EDITABLE_VARIABLES}
    margin_forms = []
    for variable in EDITABLE_VARIABLES:
        categories = list(labels.get(variable, {}).items())
        known = {code for code, _ in categories}
        categories += [(c, c) for c in own[variable] if c not in known]
        margin_forms.append(MarginsForm(
            request.POST if request.POST.get("variable") == variable else None,
            variable=variable, categories=categories,
            initial_values={k: float(v) for k, v in own[variable].items()},
        ))
    weighting_form = WeightingForm(
        request.POST if request.POST.get("action") == "weighting" else None,
        initial={"method": survey.weighting_method, "variables": survey.weighting_variables,
                 "version": survey.version},
    )
    if request.method == "POST":
        if not can_edit:
            raise Http404("Không tìm thấy trang.")
        try:
            if request.POST.get("action") == "weighting":
                if weighting_form.is_valid():
                    data = weighting_form.cleaned_data
                    services.set_weighting(
                        user=request.user, survey=survey, method=data["method"],
                        variables=data["variables"], expected_version=data["version"],
                    )
                    messages.success(request, "Đã lưu cách gia quyền.")
                    return redirect("survey_weights", slug=survey.slug)
            else:
                target = next((f for f in margin_forms if f.is_bound), None)
                if target is not None and target.is_valid():
                    services.set_survey_margins(
                        user=request.user, survey=survey, variable=target.variable,
                        margins=target.margins(),
                    )
                    messages.success(
                        request, f"Đã lưu cơ cấu dân số theo {target.title.lower()}."
                    )
                    return redirect("survey_weights", slug=survey.slug)
        except ServiceError as exc:
            messages.error(request, exc.message)
    table = load_responses(survey, frame.questions)
    weighting = compute_weights(survey, table, frame=frame, margins=margins)
    achieved = []
    if weighting.ok:
        for variable in weighting.variables:
            column = weighting_column(table, variable)
            margin = margins[variable]
            total_w = float(weighting.weights.sum())
            for code, label, _population, share in margin.rows():
                picked = column == code
                achieved.append({
                    "variable": margin.label, "label": label,
                    "sample": int(picked.sum()),
                    "sample_share": 100.0 * picked.sum() / max(table.n, 1),
                    "population_share": share,
                    "weighted_share": 100.0 * float(weighting.weights[picked].sum()) / total_w,
                })
    return render(request, "surveys/analysis/weights.html", {
        "survey": survey, "tab": "weights", "margins": margins, "margin_forms": margin_forms,
        "weighting_form": weighting_form, "weighting": weighting, "can_edit": can_edit,
        "achieved": achieved, "n": table.n, "summary": weighting.summary,
        "own": own, "variables": VARIABLES,
    })


def _audit_export(request: HttpRequest, survey: Survey, fmt: str, rows: int,
                  analysis: SurveyAnalysis) -> None:
    with transaction.atomic():
        audit(actor=request.user, action=AuditEntry.Action.EXPORT, obj=survey, unit=survey.unit,
              summary=f"Xuất {fmt.upper()} dữ liệu khảo sát “{survey.title}” ({rows} phiếu)",
              # Each respondent's answers (opinions: sensitive personal data, Decree 356/2025).
              data={"format": fmt, "rows": rows, "filters": analysis.filter_words(),
                    "personal": True})


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def survey_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_TYPES:
        raise Http404("Không có định dạng này.")
    analysis, _ = _prepare(request, slug)
    table = exports.build_export(analysis)
    if fmt == "csv":
        content = exports.to_csv(table)
    elif fmt == "xlsx":
        content = exports.to_xlsx(table, analysis)
    else:
        content = exports.to_sav(table)
    _audit_export(request, analysis.survey, fmt, len(table.rows), analysis)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _download(content, EXPORT_TYPES[fmt], f"khao-sat-{analysis.survey.slug}-{stamp}.{fmt}")


@login_required
def survey_report_docx(request: HttpRequest, slug: str) -> HttpResponse:
    analysis, _ = _prepare(request, slug)
    content = report_docx.render_survey_report(analysis)
    _audit_export(request, analysis.survey, "docx", analysis.n, analysis)
    return _download(content, DOCX_TYPE, f"bao-cao-khao-sat-{analysis.survey.slug}.docx")


@login_required
def survey_report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The survey report as PDF: its DOCX as LibreOffice lays it out, audited once made."""
    analysis, _ = _prepare(request, slug)

    def make() -> bytes:
        content = pdf.convert(report_docx.render_survey_report(analysis))
        _audit_export(request, analysis.survey, "pdf", analysis.n, analysis)
        return content

    query = request.GET.copy()
    query.pop("dl", None)  # the download note's token belongs to this request only
    docx_url = reverse("survey_report_docx", args=[analysis.survey.slug])
    return pdf.pdf_download(
        request, make=make, filename=f"bao-cao-khao-sat-{analysis.survey.slug}.pdf",
        docx_url=f"{docx_url}?{query.urlencode()}" if query else docx_url,
    )


# --- public results --------------------------------------------------------------------------


def public_results(request: HttpRequest, slug: str) -> HttpResponse:
    """Published aggregates only: no filters, no open answers, small counts hidden."""
    survey = Survey.objects.filter(slug=slug, results_published=True).first()
    if survey is None:
        raise Http404("Không tìm thấy kết quả khảo sát đã công bố.")
    analysis = analyse(survey)
    results = suppress_small_cells(
        [r for r in analysis.frequencies() if r.kind in (CATEGORICAL, MULTIPLE,
                                                         NUMERIC)]
    ) if analysis.n else []
    weighted = analysis.weights is not None
    charts = [r.chart(weighted) for r in results if r.rows and not r.hidden]
    return render(request, "surveys/analysis/public_results.html", {
        "survey": survey, "analysis": analysis, "results": results, "charts": charts,
        "weighted": weighted, "threshold": SMALL_CELL, "weighting": analysis.weighting,
    })


# --- the survey database ---------------------------------------------------------------------


@login_required
def question_bank_page(request: HttpRequest) -> HttpResponse:
    form = question_bank.QuestionSearchForm(request.GET or None, user=request.user)
    criteria = form.criteria()
    hits = question_bank.search_questions(request.user, criteria)
    page = Paginator(hits, BANK_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = question_bank.round_counts(request.user, page.object_list)
    for question in page.object_list:
        question.rounds = counts.get(question.concept_key, 1)
        question.type_label = TYPE_LABELS.get(base_type(question.type), question.type)
        question.round_date = question_bank.round_date(question.form_version.survey)
    return render(request, "surveys/analysis/question_bank.html", {
        "form": form, "page": page, "criteria": criteria,
    })


@login_required
def question_series_page(request: HttpRequest) -> HttpResponse:
    key = request.GET.get("key", "").strip()
    if not key:
        return redirect(reverse("question_bank"))
    series = question_bank.concept_series(request.user, key)
    if not series.rounds:
        raise Http404("Không tìm thấy câu hỏi này trong các cuộc khảo sát bạn được xem.")
    return render(request, "surveys/analysis/question_series.html", {
        "series": series, "chart": series.chart(),
    })
