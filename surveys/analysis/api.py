"""REST API of survey analysis: weigh any table, estimate from it, and a survey's results.

* ``POST /api/v1/surveys/weigh/``: JSON rows + population margins + method → one weight a row
  (the same computation as ``longdan survey weigh``).
* ``POST /api/v1/surveys/estimate/``: JSON rows + weights + a variable → each category's
  weighted proportion, standard error, margin of error and 95% confidence interval (as
  ``longdan survey estimate``).
* ``GET /api/v1/surveys/<slug>/results/``: a survey's frequencies (the results page as JSON),
  with the page's filters; scoped like the page (another unit's survey: 404).

Follows ``core.api``: token or session authentication, Vietnamese ``{"detail", "field"}`` errors.
The two computing endpoints read no stored data, so any signed-in user may call them.
"""

from __future__ import annotations

import math

import numpy as np
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ERRORS, ApiMixin, ViSerializer
from core.errors import ServiceError
from surveys.analysis.forms import AnalysisFilterForm
from surveys.analysis.questions import question_frame
from surveys.analysis.results import SurveyAnalysis, analyse
from surveys.analysis.selectors import get_analysable_survey
from surveystats import (
    SurveyStatsError,
    estimate_mean,
    estimate_proportions,
    estimate_select_multiple,
    poststratify,
    rake,
    weight_summary,
)

MAX_ROWS = 200_000
METHOD_CHOICES = [("raking", "Cân chỉnh lặp (raking)"), ("poststrat", "Hậu phân tầng")]


def _number(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value


def _stats_error(exc: SurveyStatsError, default_field: str) -> ServiceError:
    row = getattr(exc, "row", None)
    field = f"rows.{row + 1}" if isinstance(row, int) else default_field
    return ServiceError(str(exc), field=field)


def _columns(rows: list[dict], names: list[str]) -> dict[str, list]:
    columns: dict[str, list] = {name: [] for name in names}
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise ServiceError(f"Hàng {number} phải là một đối tượng JSON.", field=f"rows.{number}")
        for name in names:
            columns[name].append(row.get(name))
    return columns


# --- weigh -------------------------------------------------------------------------------------


class WeighRequestSerializer(ViSerializer):
    rows = serializers.ListField(
        child=serializers.DictField(), allow_empty=False, max_length=MAX_ROWS,
        help_text="Các phiếu, mỗi phiếu một đối tượng {biến: giá trị}; cần có các biến gia"
        " quyền (cột thừa được bỏ qua).",
    )
    margins = serializers.DictField(
        child=serializers.DictField(child=serializers.FloatField()), allow_empty=False,
        help_text="Cơ cấu dân số: {\"biến\": {\"nhóm\": dân số, …}, …}.",
    )
    method = serializers.ChoiceField(choices=METHOD_CHOICES, default="raking")
    base_weight = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text="Tên cột trọng số thiết kế ban đầu (nếu có).",
    )
    tolerance = serializers.FloatField(required=False, default=1e-6, min_value=1e-12,
                                       max_value=0.1)
    max_iterations = serializers.IntegerField(required=False, default=100, min_value=1,
                                              max_value=10_000)


class WeightSummarySerializer(serializers.Serializer):
    n = serializers.IntegerField()
    total = serializers.FloatField()
    min = serializers.FloatField()
    max = serializers.FloatField()
    mean = serializers.FloatField()
    deff_kish = serializers.FloatField(help_text="Hệ số thiết kế Kish của trọng số.")
    effective_n = serializers.FloatField(help_text="Cỡ mẫu hiệu dụng n/deff.")


class WeighResponseSerializer(serializers.Serializer):
    method = serializers.CharField()
    weights = serializers.ListField(child=serializers.FloatField(),
                                    help_text="Một trọng số cho mỗi hàng, theo thứ tự gửi lên.")
    summary = WeightSummarySerializer()


class WeighView(ApiMixin, APIView):
    @extend_schema(
        summary="Tính trọng số theo cơ cấu dân số",
        description="Cân chỉnh lặp (raking) theo một hay nhiều biên, hoặc hậu phân tầng theo"
        " đúng một biến. Tổng trọng số bằng tổng dân số. Lỗi nói rõ hàng, biến, nhóm.",
        request=WeighRequestSerializer,
        responses={200: WeighResponseSerializer, **ERRORS},
        examples=[OpenApiExample("Hai biến", request_only=True, value={
            "rows": [{"gioi_tinh": "Nam", "nhom_tuoi": "18-29"},
                     {"gioi_tinh": "Nữ", "nhom_tuoi": "30-44"},
                     {"gioi_tinh": "Nữ", "nhom_tuoi": "18-29"}],
            "margins": {"gioi_tinh": {"Nam": 5100, "Nữ": 5300},
                        "nhom_tuoi": {"18-29": 4000, "30-44": 6400}},
            "method": "raking",
        })],
    )
    def post(self, request):
        data = WeighRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        margins = values["margins"]
        names = list(margins)
        base_name = values["base_weight"].strip()
        columns = _columns(values["rows"], names + ([base_name] if base_name else []))
        base = None
        if base_name:
            try:
                base = [float(v) for v in columns.pop(base_name)]
            except (TypeError, ValueError) as exc:
                raise ServiceError(
                    f"Cột trọng số ban đầu “{base_name}” phải là số ở mọi hàng.",
                    field="base_weight",
                ) from exc
        try:
            if values["method"] == "poststrat":
                weights = poststratify(columns, margins, base_weights=base)
            else:
                weights = rake(columns, margins, base_weights=base,
                               tolerance=values["tolerance"],
                               max_iterations=values["max_iterations"])
        except SurveyStatsError as exc:
            raise _stats_error(exc, "margins") from exc
        summary = weight_summary(weights)
        return Response({
            "method": values["method"],
            "weights": [float(w) for w in np.asarray(weights)],
            "summary": {key: _number(getattr(summary, key)) if key != "n" else summary.n
                        for key in WeightSummarySerializer().fields},
        })


# --- estimate ----------------------------------------------------------------------------------


class EstimateRequestSerializer(ViSerializer):
    rows = serializers.ListField(child=serializers.DictField(), allow_empty=False,
                                 max_length=MAX_ROWS)
    var = serializers.CharField(max_length=200, help_text="Tên biến cần ước lượng.")
    weights = serializers.ListField(
        child=serializers.FloatField(min_value=0), required=False, allow_null=True,
        default=None, max_length=MAX_ROWS,
        help_text="Một trọng số cho mỗi hàng; bỏ trống: không gia quyền.",
    )
    kind = serializers.ChoiceField(
        choices=[("categorical", "Chọn một"), ("select_multiple", "Chọn nhiều"),
                 ("mean", "Trung bình")],
        default="categorical",
    )
    categories = serializers.ListField(child=serializers.CharField(), required=False,
                                       default=None, allow_null=True,
                                       help_text="Thứ tự các nhóm (tùy chọn).")


class EstimateSerializer(serializers.Serializer):
    category = serializers.CharField()
    n = serializers.IntegerField()
    weighted_n = serializers.FloatField()
    proportion = serializers.FloatField()
    se = serializers.FloatField(allow_null=True)
    moe = serializers.FloatField(allow_null=True, help_text="Sai số (nửa khoảng tin cậy).")
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    deff = serializers.FloatField(allow_null=True)


class MeanSerializer(serializers.Serializer):
    n = serializers.IntegerField()
    weighted_n = serializers.FloatField()
    mean = serializers.FloatField()
    se = serializers.FloatField(allow_null=True)
    moe = serializers.FloatField(allow_null=True)
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    deff = serializers.FloatField(allow_null=True)


class EstimateResponseSerializer(serializers.Serializer):
    var = serializers.CharField()
    kind = serializers.CharField()
    weighted = serializers.BooleanField()
    estimates = EstimateSerializer(many=True, required=False)
    mean = MeanSerializer(required=False)


def estimate_dict(estimate) -> dict:
    return {
        "category": estimate.category, "n": int(estimate.n),
        "weighted_n": _number(estimate.weighted_n), "proportion": _number(estimate.proportion),
        "se": _number(estimate.se), "moe": _number(estimate.moe),
        "ci_low": _number(estimate.ci_low), "ci_high": _number(estimate.ci_high),
        "deff": _number(estimate.deff),
    }


class EstimateView(ApiMixin, APIView):
    @extend_schema(
        summary="Ước lượng tỷ lệ (hoặc trung bình) có gia quyền",
        description="Mỗi nhóm: tỷ lệ, sai số chuẩn, sai số (±) và khoảng tin cậy 95% (logit,"
        " như samplics). Thiết kế một giai đoạn, có hoàn lại, không phân tầng.",
        request=EstimateRequestSerializer,
        responses={200: EstimateResponseSerializer, **ERRORS},
    )
    def post(self, request):
        data = EstimateRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        rows, name = values["rows"], values["var"]
        weights = values["weights"]
        if weights is not None and len(weights) != len(rows):
            raise ServiceError(
                f"Có {len(weights)} trọng số cho {len(rows)} hàng; cần đúng một trọng số mỗi"
                " hàng.", field="weights",
            )
        if not any(isinstance(r, dict) and name in r for r in rows):
            raise ServiceError(f"Không hàng nào có biến “{name}”.", field="var")
        column = _columns(rows, [name])[name]
        kind = values["kind"]
        body = {"var": name, "kind": kind, "weighted": weights is not None}
        try:
            if kind == "mean":
                mean = estimate_mean(column, weights)
                body["mean"] = {key: (int(mean.n) if key == "n" else _number(getattr(mean, key)))
                                for key in MeanSerializer().fields}
            elif kind == "select_multiple":
                body["estimates"] = [estimate_dict(e) for e in estimate_select_multiple(
                    column, weights, options=values["categories"])]
            else:
                body["estimates"] = [estimate_dict(e) for e in estimate_proportions(
                    column, weights, categories=values["categories"])]
        except SurveyStatsError as exc:
            raise _stats_error(exc, "var") from exc
        return Response(body)


# --- a survey's results ------------------------------------------------------------------------


class CategoryResultSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    n = serializers.IntegerField()
    percent = serializers.FloatField()
    weighted_percent = serializers.FloatField(allow_null=True)
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    moe = serializers.FloatField(allow_null=True)
    deff = serializers.FloatField(allow_null=True)


class QuestionResultSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.CharField()
    respondents = serializers.IntegerField()
    asked = serializers.IntegerField()
    categories = CategoryResultSerializer(many=True)
    mean = serializers.DictField(allow_null=True)
    note = serializers.CharField()


class ResultsSerializer(serializers.Serializer):
    survey = serializers.CharField()
    title = serializers.CharField()
    responses = serializers.IntegerField(help_text="Số phiếu sau khi lọc.")
    total_responses = serializers.IntegerField()
    weighted = serializers.BooleanField()
    weighting = serializers.DictField()
    filters = serializers.ListField(child=serializers.CharField())
    questions = QuestionResultSerializer(many=True)


def results_payload(analysis: SurveyAnalysis) -> dict:
    results = analysis.frequencies() if analysis.n else []
    weighting = analysis.weighting
    return {
        "survey": analysis.survey.slug,
        "title": analysis.survey.title,
        "responses": analysis.n,
        "total_responses": analysis.n_total,
        "weighted": analysis.weights is not None,
        "weighting": {
            "method": weighting.method, "variables": weighting.variables,
            "error": weighting.error, "notes": weighting.notes,
        },
        "filters": analysis.filter_words(),
        "questions": [
            {
                "name": r.question.name, "label": r.question.label, "type": r.question.type,
                "respondents": r.respondents, "asked": r.asked, "note": r.note,
                "categories": [
                    {"value": c.value, "label": c.label, "n": c.n,
                     "percent": _number(c.percent),
                     "weighted_percent": _number(c.weighted_percent),
                     "ci_low": _number(c.ci_low), "ci_high": _number(c.ci_high),
                     "moe": _number(c.moe), "deff": _number(c.deff)}
                    for c in r.rows
                ],
                "mean": None if r.mean is None else {
                    "n": r.mean.n, "mean": _number(r.mean.mean),
                    "weighted_mean": _number(r.mean.weighted_mean),
                    "ci_low": _number(r.mean.ci_low), "ci_high": _number(r.mean.ci_high),
                    "moe": _number(r.mean.moe), "deff": _number(r.mean.deff),
                },
            }
            for r in results
        ],
    }


class SurveyResultsView(ApiMixin, APIView):
    @extend_schema(
        summary="Kết quả (tần suất) của một cuộc khảo sát",
        description="Mỗi câu hỏi: số phiếu, tỷ lệ, tỷ lệ gia quyền, khoảng tin cậy 95%, sai số,"
        " hệ số thiết kế; câu hỏi số: trung bình. Ban Xây dựng Đảng, lãnh đạo và đơn vị chủ trì"
        " xem được; khảo sát của đơn vị khác: 404.",
        parameters=[
            OpenApiParameter("weighted", str, enum=["0", "1"],
                             description="0: số liệu chưa gia quyền."),
            OpenApiParameter("area", int, description="Mã tổ dân phố."),
            OpenApiParameter("gender", str, description="Mã giới tính (theo bảng hỏi)."),
            OpenApiParameter("age_group", str, description="Mã nhóm tuổi (theo bảng hỏi)."),
            OpenApiParameter("source", str, description="Nguồn phiếu: web, odk, lien_ket,"
                             " nhap_tep."),
            OpenApiParameter("version", str, description="Phiên bản biểu mẫu."),
            OpenApiParameter("date_from", OpenApiTypes.DATE, description="Từ ngày."),
            OpenApiParameter("date_to", OpenApiTypes.DATE, description="Đến ngày."),
            OpenApiParameter("answer", str, description="Câu hỏi=phương án, ví dụ hai_long=co."),
        ],
        responses={200: ResultsSerializer, **ERRORS},
    )
    def get(self, request, slug: str):
        survey = get_analysable_survey(request.user, slug)
        frame = question_frame(survey)  # once per request: the form and the analysis share it
        form = AnalysisFilterForm(request.query_params or None, frame=frame)
        if form.is_bound and not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            raise ServiceError(f"{field}: {errors[0]}", field=field)
        analysis = analyse(survey, form.to_filter(),
                           weighted=request.query_params.get("weighted", "1") != "0", frame=frame)
        return Response(results_payload(analysis))
