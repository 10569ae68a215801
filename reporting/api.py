"""REST API of the monthly reporting cycle: periods, templates, unit reports, compliance.

Thin views: they read JSON, resolve ids within what the reader may see, and call
``reporting.services``; a refused write comes back as ``{"detail", "field"}`` with 400 (bad input)
or 409 (stale version, locked report). Another unit's report is 404, never 403.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ERROR_SCHEMA, ERRORS, ApiMixin, ViSerializer, int_param
from core.errors import ConflictError, ServiceError
from core.models import Attitude, Channel, Reach
from orgs.models import OrgUnit, User
from orgs.selectors import units_visible_to
from reporting import compliance as calc
from reporting import services
from reporting.models import OpinionStream, Period, ReportTemplate, ReportVersion, UnitReport
from reporting.periods import PeriodError, PeriodKey, parse_period
from reporting.selectors import (
    compliance_for,
    default_template,
    get_report_for,
    reports_visible_to,
    status_of,
)

WRITE_ERRORS = {**ERRORS, 409: ERROR_SCHEMA}


def _period_key(code: str) -> PeriodKey:
    try:
        return parse_period(code)
    except PeriodError as exc:
        raise ServiceError(str(exc), field="period") from exc


# --- Periods and templates ----------------------------------------------------------------------


class PeriodSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="month | half | year")
    label = serializers.CharField(source="key.label", read_only=True)

    class Meta:
        model = Period
        fields = ["id", "code", "kind", "label", "year", "number", "start", "end"]
        read_only_fields = fields


class PeriodViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Period.objects.none()
    serializer_class = PeriodSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        periods = Period.objects.order_by("-start", "kind")
        kind = self.request.query_params.get("kind", "").strip()
        if kind:
            if kind not in Period.Kind.values:
                raise ServiceError("Loại kỳ phải là month, half hoặc year.", field="kind")
            periods = periods.filter(kind=kind)
        return periods

    @extend_schema(
        summary="Danh sách kỳ báo cáo",
        parameters=[OpenApiParameter("kind", str, enum=Period.Kind.values)],
        responses={200: PeriodSerializer(many=True), **ERRORS},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Một kỳ báo cáo", responses={200: PeriodSerializer, **ERRORS})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)


class TemplateSerializer(serializers.ModelSerializer):
    period_kind = serializers.CharField(read_only=True, help_text="month | half | year")
    sections = SectionSerializer(many=True, read_only=True)

    class Meta:
        model = ReportTemplate
        fields = [
            "id",
            "name",
            "period_kind",
            "deadline_day",
            "deadline_inclusive",
            "remind_days_before",
            "sections",
            "active",
            "version",
        ]
        read_only_fields = fields


class TemplateViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    queryset = ReportTemplate.objects.none()
    serializer_class = TemplateSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return ReportTemplate.objects.order_by("name", "pk")

    @extend_schema(
        summary="Danh sách mẫu báo cáo", responses={200: TemplateSerializer(many=True), **ERRORS}
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Một mẫu báo cáo", responses={200: TemplateSerializer, **ERRORS})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


# --- Reports: output ----------------------------------------------------------------------------


class StreamSerializer(serializers.ModelSerializer):
    topic_name = serializers.CharField(source="topic.name", read_only=True)
    attitude = serializers.CharField(read_only=True)
    attitude_label = serializers.CharField(source="get_attitude_display", read_only=True)
    reach = serializers.CharField(read_only=True)
    reach_label = serializers.CharField(source="get_reach_display", read_only=True)
    channel = serializers.CharField(read_only=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    area_name = serializers.CharField(
        source="area.name", read_only=True, allow_null=True, default=None
    )
    social_groups = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = OpinionStream
        fields = [
            "position",
            "topic",
            "topic_name",
            "summary",
            "attitude",
            "attitude_label",
            "reach",
            "reach_label",
            "channel",
            "channel_label",
            "area",
            "area_name",
            "social_groups",
            "latent",
        ]
        read_only_fields = fields


class ReportSerializer(serializers.ModelSerializer):
    template_name = serializers.CharField(source="template.name", read_only=True)
    period = serializers.CharField(source="period.code", read_only=True)
    period_label = serializers.CharField(source="period.key.label", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    state = serializers.CharField(read_only=True, help_text="draft | submitted | returned")
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    status = serializers.SerializerMethodField(
        help_text="not_started | draft | on_time | late | returned | missing"
    )
    status_label = serializers.SerializerMethodField()

    class Meta:
        model = UnitReport
        fields = [
            "id",
            "template",
            "template_name",
            "period",
            "period_label",
            "unit",
            "unit_name",
            "state",
            "state_label",
            "status",
            "status_label",
            "version",
            "updated_at",
            "first_submitted_at",
            "submitted_at",
            "returned_at",
        ]
        read_only_fields = fields

    def get_status(self, report: UnitReport) -> str:
        return status_of(report, report.template, report.period)

    def get_status_label(self, report: UnitReport) -> str:
        return calc.STATUS_LABELS[self.get_status(report)]


class ReportDetailSerializer(ReportSerializer):
    sections = serializers.DictField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Nội dung các phần, theo khóa của mẫu báo cáo.",
    )
    streams = StreamSerializer(many=True, read_only=True)

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "sections", "streams", "return_reason"]
        read_only_fields = fields


class VersionSerializer(serializers.ModelSerializer):
    by_username = serializers.CharField(
        source="by.username", read_only=True, allow_null=True, default=None
    )
    snapshot = serializers.JSONField(read_only=True)

    class Meta:
        model = ReportVersion
        fields = ["number", "action", "at", "by", "by_username", "snapshot"]
        read_only_fields = fields


# --- Reports: input -----------------------------------------------------------------------------

VERSION_MESSAGES = {
    "required": "Thiếu phiên bản (version) của bản bạn đang sửa; lấy từ GET /api/v1/reports/<mã>/.",
}


class StreamInputSerializer(ViSerializer):
    topic = serializers.IntegerField(help_text="Mã chủ đề.")
    summary = serializers.CharField(allow_blank=True, trim_whitespace=False)
    attitude = serializers.ChoiceField(choices=Attitude.choices)
    reach = serializers.ChoiceField(choices=Reach.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    area = serializers.IntegerField(required=False, allow_null=True, default=None)
    social_groups = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    latent = serializers.BooleanField(required=False, default=False)

    def to_stream(self, data: dict) -> services.StreamInput:
        return services.StreamInput(
            topic_id=data["topic"],
            summary=data["summary"],
            attitude=data["attitude"],
            reach=data["reach"],
            channel=data["channel"],
            area_id=data.get("area"),
            social_group_ids=tuple(data.get("social_groups") or ()),
            latent=data.get("latent", False),
        )


def _streams(data: dict) -> list[services.StreamInput] | None:
    if "streams" not in data:
        return None
    return [StreamInputSerializer().to_stream(row) for row in data["streams"]]


class ReportCreateSerializer(ViSerializer):
    template = serializers.IntegerField(help_text="Mã mẫu báo cáo.")
    period = serializers.CharField(help_text="Mã kỳ: 2025-11, 2025-H2 hoặc 2025.")
    unit = serializers.IntegerField(help_text="Mã đơn vị.")
    sections = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, default=dict
    )
    streams = StreamInputSerializer(many=True, required=False)


class ReportPatchSerializer(ViSerializer):
    field_messages = {"version": VERSION_MESSAGES}

    version = serializers.IntegerField(min_value=1, help_text="Phiên bản bạn đã đọc.")
    sections = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    streams = StreamInputSerializer(
        many=True, required=False, help_text="Bỏ trống để giữ nguyên các luồng ý kiến."
    )


class ReportPutSerializer(ReportPatchSerializer):
    # A full replacement: sections not sent are emptied, streams are replaced.

    sections = serializers.DictField(child=serializers.CharField(allow_blank=True))
    streams = StreamInputSerializer(many=True)


class SubmitSerializer(ViSerializer):
    field_messages = {"version": VERSION_MESSAGES}

    version = serializers.IntegerField(min_value=1)


class ReturnSerializer(ViSerializer):
    reason = serializers.CharField(allow_blank=True, help_text="Lý do trả lại.")


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- Reports: views -----------------------------------------------------------------------------


def _template(pk: int) -> ReportTemplate:
    template = ReportTemplate.objects.filter(pk=pk, active=True).first()
    if template is None:
        raise ServiceError(f"Không tìm thấy mẫu báo cáo có mã {pk}.", field="template")
    return template


def _unit(user: User, pk: int) -> OrgUnit:
    # An invisible unit reads exactly like a missing one, so ids reveal nothing.
    unit = units_visible_to(user).filter(pk=pk).first()
    if unit is None:
        raise ServiceError(f"Không tìm thấy đơn vị có mã {pk}.", field="unit")
    return unit


STREAMS_PREFETCH = Prefetch(
    "streams",
    queryset=OpinionStream.objects.select_related("topic", "area").prefetch_related(
        "social_groups"
    ),
)


class ReportViewSet(ApiMixin, viewsets.GenericViewSet):
    # Unit reports the reader may see; writes go through reporting.services.

    queryset = UnitReport.objects.none()
    serializer_class = ReportSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        reports = reports_visible_to(self.request.user)
        params = self.request.query_params
        if params.get("period", "").strip():
            reports = reports.filter(period__code=_period_key(params["period"]).code)
        unit = int_param(self.request, "unit")
        if unit is not None:
            reports = reports.filter(unit_id=unit)
        template = int_param(self.request, "template")
        if template is not None:
            reports = reports.filter(template_id=template)
        state = params.get("state", "").strip()
        if state:
            if state not in UnitReport.State.values:
                raise ServiceError(
                    f"Trạng thái “{state}” không có; dùng draft, submitted hoặc returned.",
                    field="state",
                )
            reports = reports.filter(state=state)
        return reports

    def _detail(self, pk: int, *, status_code: int = 200) -> Response:
        report = get_report_for(self.request.user, pk)
        report = (
            UnitReport.objects.select_related("template", "period", "unit")
            .prefetch_related(STREAMS_PREFETCH)
            .get(pk=report.pk)
        )
        return Response(ReportDetailSerializer(report).data, status=status_code)

    @extend_schema(
        summary="Danh sách báo cáo đơn vị",
        description="Chỉ các báo cáo người đọc được xem: Ban Xây dựng Đảng và lãnh đạo thấy tất"
        " cả, người phụ trách chỉ thấy của đơn vị mình.",
        parameters=[
            OpenApiParameter("period", str, description="Mã kỳ, ví dụ 2025-11."),
            OpenApiParameter("unit", int, description="Mã đơn vị."),
            OpenApiParameter("template", int, description="Mã mẫu báo cáo."),
            OpenApiParameter("state", str, enum=UnitReport.State.values),
        ],
        responses={200: ReportSerializer(many=True), **ERRORS},
    )
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ReportSerializer(page, many=True).data)

    @extend_schema(
        summary="Một báo cáo, với các phần và luồng ý kiến",
        responses={200: ReportDetailSerializer, **ERRORS},
    )
    def retrieve(self, request, pk=None):
        return self._detail(pk)

    @extend_schema(
        summary="Tạo bản nháp báo cáo",
        description="Tạo báo cáo của một đơn vị cho một kỳ. Nếu đơn vị đã có báo cáo kỳ đó,"
        " trả về 409 kèm mã báo cáo để sửa bằng PATCH.",
        request=ReportCreateSerializer,
        responses={201: ReportDetailSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = _valid(ReportCreateSerializer, request.data)
        template = _template(data["template"])
        key = _period_key(data["period"])
        unit = _unit(request.user, data["unit"])
        existing = UnitReport.objects.filter(template=template, period__code=key.code, unit=unit)
        if existing.exists():
            report = existing.get()
            raise ConflictError(
                f"Đơn vị đã có báo cáo {key.label} (mã {report.pk}, phiên bản {report.version});"
                f" hãy sửa bằng PATCH /api/v1/reports/{report.pk}/.",
                field="period",
            )
        # One transaction with the period, so a refused draft leaves no empty period behind.
        with transaction.atomic():
            report = services.save_draft(
                user=request.user,
                template=template,
                period=services.ensure_period(key),
                unit=unit,
                sections=data["sections"],
                streams=_streams(data),
                expected_version=None,
            )
        return self._detail(report.pk, status_code=status.HTTP_201_CREATED)

    def _update(self, request, pk, serializer_class) -> Response:
        report = get_report_for(request.user, pk)
        data = _valid(serializer_class, request.data)
        sections = data.get("sections", {})
        if serializer_class is ReportPutSerializer:
            sections = dict.fromkeys(report.template.section_keys(), "") | sections
        services.save_draft(
            user=request.user,
            template=report.template,
            period=report.period,
            unit=report.unit,
            sections=sections,
            streams=_streams(data),
            expected_version=data["version"],
        )
        return self._detail(report.pk)

    @extend_schema(
        summary="Thay toàn bộ bản nháp",
        description="Gửi kèm ``version`` đã đọc; nếu người khác đã sửa, trả về 409.",
        request=ReportPutSerializer,
        responses={200: ReportDetailSerializer, **WRITE_ERRORS},
    )
    def update(self, request, pk=None):
        return self._update(request, pk, ReportPutSerializer)

    @extend_schema(
        summary="Sửa một phần bản nháp",
        description="Gửi kèm ``version`` đã đọc; nếu người khác đã sửa, trả về 409.",
        request=ReportPatchSerializer,
        responses={200: ReportDetailSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, pk=None):
        return self._update(request, pk, ReportPatchSerializer)

    @extend_schema(
        summary="Nộp báo cáo",
        description="Nộp lần nữa một báo cáo đã nộp không thay đổi gì (trả về 200).",
        request=SubmitSerializer,
        responses={200: ReportDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = get_report_for(request.user, pk)
        data = _valid(SubmitSerializer, request.data)
        services.submit_report(user=request.user, report=report, expected_version=data["version"])
        return self._detail(report.pk)

    @extend_schema(
        summary="Trả lại báo cáo để đơn vị sửa (Ban Xây dựng Đảng)",
        request=ReturnSerializer,
        responses={200: ReportDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        report = get_report_for(request.user, pk)
        data = _valid(ReturnSerializer, request.data)
        services.return_report(user=request.user, report=report, reason=data["reason"])
        return self._detail(report.pk)

    @extend_schema(
        summary="Các phiên bản đã lưu của báo cáo",
        responses={200: VersionSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def versions(self, request, pk=None):
        report = get_report_for(request.user, pk)
        versions = report.versions.select_related("by").order_by("number")
        return Response(VersionSerializer(versions, many=True).data)


# --- Compliance ---------------------------------------------------------------------------------

_TALLY_FIELDS = {
    name: serializers.IntegerField()
    for name in (
        "expected",
        "submitted",
        "on_time",
        "late",
        "returned",
        "draft",
        "not_started",
        "missing",
    )
}


def _tally(name: str, **extra):
    return inline_serializer(
        name=name,
        many=True,
        fields={
            **extra,
            **_TALLY_FIELDS,
            "reporting_rate": serializers.FloatField(allow_null=True),
            "on_time_rate": serializers.FloatField(allow_null=True),
        },
    )


ComplianceSchema = inline_serializer(
    name="Compliance",
    fields={
        "template": serializers.CharField(),
        "period": serializers.CharField(),
        "label": serializers.CharField(),
        "deadline": serializers.DateField(),
        **_TALLY_FIELDS,
        "reporting_rate": serializers.FloatField(allow_null=True),
        "on_time_rate": serializers.FloatField(allow_null=True),
        "late_units": serializers.ListField(child=serializers.CharField()),
        "missing_units": serializers.ListField(child=serializers.CharField()),
        "returned_units": serializers.ListField(child=serializers.CharField()),
        "by_parent": _tally("ComplianceByParent", parent=serializers.CharField()),
        "trend": _tally(
            "ComplianceTrend", period=serializers.CharField(), label=serializers.CharField()
        ),
    },
)


class ComplianceView(ApiMixin, APIView):
    # Reporting and on-time rates for a period, DHIS2-style; for the office and leaders.

    @extend_schema(
        summary="Tỷ lệ nộp báo cáo",
        description="Chỉ Ban Xây dựng Đảng và lãnh đạo; người khác nhận 404.",
        parameters=[
            OpenApiParameter("period", str, required=True, description="Mã kỳ, ví dụ 2025-11."),
            OpenApiParameter("template", int, description="Mã mẫu; mặc định là mẫu của loại kỳ."),
        ],
        responses={200: ComplianceSchema, **ERRORS},
    )
    def get(self, request):
        if not request.user.sees_everything:
            raise Http404("Không tìm thấy.")
        code = request.query_params.get("period", "").strip()
        if not code:
            raise ServiceError("Thiếu tham số kỳ báo cáo (period), ví dụ 2025-11.", field="period")
        key = _period_key(code)
        template_id = int_param(request, "template")
        template = _template(template_id) if template_id is not None else default_template(key.kind)
        if template is None:
            raise ServiceError(f"Chưa có mẫu báo cáo nào cho kỳ {key.label}.", field="template")
        if template.period_kind != key.kind:
            raise ServiceError(
                f"Mẫu '{template.name}' không dùng cho {key.label}.", field="template"
            )
        return Response(compliance_for(request.user, template=template, period=key).as_dict())
