"""REST API of survey design: surveys, XLSForm versions (upload, download), checks, status.

Scoped like the pages (``surveys.design.selectors``): a survey the reader may not see is 404; one
they see but may not manage (only the office manages) is 403. An XLSForm with errors is refused with
400 and ``{"detail", "field", "errors": [{sheet, row, column, message, …}], "warnings": […]}``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.api import ERROR_SCHEMA, ERRORS, ApiMixin, ViJSONParser, ViSerializer
from core.errors import ServiceError
from odk.isolated import check_isolated
from odk.workbook import XLS_MAGIC
from orgs.models import Area, OrgUnit
from surveys.design import selectors, services
from surveys.design.views import XLS_TYPE, XLSX_TYPE, _attachment, filter_surveys
from surveys.models import FormVersion, PolicyStage, Question, Survey

WRITE_ERRORS = {**ERRORS, 409: ERROR_SCHEMA}
STATUS_HELP = "; ".join(f"{value}: {label}" for value, label in Survey.Status.choices)
KIND_HELP = "; ".join(f"{value}: {label}" for value, label in Survey.Kind.choices)


class FormIssueSerializer(serializers.Serializer):
    level = serializers.CharField(help_text="error | warning")
    message = serializers.CharField(help_text="Nội dung bằng tiếng Việt.")
    sheet = serializers.CharField(help_text="Trang (sheet): survey, choices, settings…")
    row = serializers.IntegerField(allow_null=True, help_text="Số dòng trong trang (1 = tiêu đề).")
    column = serializers.CharField(help_text="Tiêu đề cột, ví dụ relevant.")
    column_letter = serializers.CharField(help_text="Chữ cái của cột, ví dụ D.")
    original = serializers.CharField(help_text="Thông báo gốc của pyxform (tiếng Anh), nếu có.")


class FormRejectedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    field = serializers.CharField(allow_null=True)
    errors = FormIssueSerializer(many=True)
    warnings = FormIssueSerializer(many=True)


class SurveySerializer(serializers.ModelSerializer):
    # Plain strings, not enums: "status" and "kind" already name other apps' enums in the
    # schema, and a shared name makes drf-spectacular fall back to hashed component names.
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    unit = serializers.PrimaryKeyRelatedField(read_only=True)
    target_areas = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    target_groups = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    current_version = serializers.SerializerMethodField(
        help_text="Chuỗi phiên bản của biểu mẫu đang dùng, rỗng nếu chưa tải lên."
    )

    class Meta:
        model = Survey
        fields = [
            "slug", "title", "form_id", "kind", "kind_label", "purpose", "starts_on", "ends_on",
            "status", "status_label", "unit", "target_areas", "target_groups",
            "target_population", "sample_size", "policy_title", "policy_stage",
            "allow_public_link", "allow_interviewers", "results_published", "area_field",
            "gender_field", "age_group_field", "current_version", "created_at", "updated_at",
            "version",
        ]
        read_only_fields = fields

    def get_current_version(self, survey: Survey) -> str:
        version = selectors.current_version(survey)
        return version.version if version else ""


class SurveyCreateSerializer(ViSerializer):
    title = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=Survey.Kind.choices, default=Survey.Kind.PERIODIC)
    purpose = serializers.CharField(required=False, allow_blank=True, default="")
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), required=False, allow_null=True, default=None,
        help_text="Đơn vị chủ trì; để trống: toàn phường.",
    )
    target_areas = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.all(), many=True, required=False, default=list
    )
    target_groups = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    target_population = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    sample_size = serializers.IntegerField(min_value=0, required=False, default=0)
    policy_title = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    policy_stage = serializers.ChoiceField(
        choices=PolicyStage.choices, required=False, allow_blank=True, default=""
    )
    allow_public_link = serializers.BooleanField(required=False, default=False)
    allow_interviewers = serializers.BooleanField(required=False, default=True)
    form_id = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="",
        help_text="Để trống: lấy theo form_id của tệp XLSForm tải lên đầu tiên.",
    )
    area_field = serializers.CharField(max_length=100, required=False, default="khu_vuc")
    gender_field = serializers.CharField(max_length=100, required=False, default="gioi_tinh")
    age_group_field = serializers.CharField(max_length=100, required=False, default="nhom_tuoi")

    def to_input(self) -> services.SurveyInput:
        data = self.validated_data
        return services.SurveyInput(
            title=data["title"],
            kind=data["kind"],
            purpose=data["purpose"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            unit_id=data["unit"].pk if data["unit"] else None,
            target_area_ids=tuple(a.pk for a in data["target_areas"]),
            target_group_ids=tuple(data["target_groups"]),
            target_population=data["target_population"],
            sample_size=data["sample_size"],
            policy_title=data["policy_title"],
            policy_stage=data["policy_stage"],
            allow_public_link=data["allow_public_link"],
            allow_interviewers=data["allow_interviewers"],
            form_id=data["form_id"],
            area_field=data["area_field"],
            gender_field=data["gender_field"],
            age_group_field=data["age_group_field"],
        )


class FormVersionSerializer(serializers.ModelSerializer):
    questions = serializers.IntegerField(source="questions.count", read_only=True)
    warnings = FormIssueSerializer(many=True, read_only=True)

    class Meta:
        model = FormVersion
        fields = [
            "id", "version", "title", "default_language", "languages", "xlsform_name",
            "xform_md5", "warnings", "questions", "uploaded_at",
        ]
        read_only_fields = fields


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = [
            "id", "name", "path", "type", "list_name", "label", "labels", "choices",
            "group_path", "in_repeat", "required", "position", "concept_key",
        ]
        read_only_fields = fields


class XLSFormUploadSerializer(ViSerializer):
    file = serializers.FileField(help_text="Tệp XLSForm (.xlsx hoặc .xls).")


class SurveyStatusSerializer(ViSerializer):
    status = serializers.CharField(max_length=20, help_text=STATUS_HELP)
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None,
        help_text="Phiên bản cuộc khảo sát đã đọc; nếu khác bản hiện tại thì bị từ chối (409).",
    )


class XLSFormCheckSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    file_type = serializers.CharField()
    form_id = serializers.CharField()
    version = serializers.CharField()
    title = serializers.CharField()
    languages = serializers.ListField(child=serializers.CharField())
    default_language = serializers.CharField()
    errors = FormIssueSerializer(many=True)
    warnings = FormIssueSerializer(many=True)
    questions = serializers.ListField(child=serializers.DictField())


def _uploaded(request) -> tuple[bytes, str]:
    data = XLSFormUploadSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    upload = data.validated_data["file"]
    if upload.size > services.MAX_XLSFORM_BYTES:
        raise ServiceError(
            f"Tệp lớn {upload.size // 1024} KB, vượt giới hạn "
            f"{services.MAX_XLSFORM_BYTES // 1024 // 1024} MB.",
            field="file",
        )
    return upload.read(), upload.name


class SurveyViewSet(ApiMixin, viewsets.GenericViewSet):
    queryset = Survey.objects.none()
    serializer_class = SurveySerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    parser_classes = [ViJSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        params = self.request.query_params
        status = params.get("status", "").strip()
        if status and status not in Survey.Status.values:
            raise ServiceError(f"Trạng thái “{status}” không có.", field="status")
        return filter_surveys(
            self.request.user, q=params.get("q", ""), status=status,
            kind=params.get("kind", "").strip(), sort=params.get("sort", "").strip(),
        ).prefetch_related("target_areas", "target_groups")

    def _managed(self, slug: str) -> Survey:
        survey = selectors.get_survey_for(self.request.user, slug)
        if not self.request.user.is_office:
            raise PermissionDenied
        return survey

    @extend_schema(
        summary="Danh sách cuộc khảo sát",
        description="Ban Xây dựng Đảng và lãnh đạo thấy mọi cuộc khảo sát; đơn vị thấy khảo sát"
        " của mình và khảo sát toàn phường đang thu thập.",
        parameters=[
            OpenApiParameter("q", str, description="Tìm trong tên, có hoặc không dấu."),
            OpenApiParameter("status", str, enum=Survey.Status.values),
            OpenApiParameter("kind", str, enum=Survey.Kind.values),
            OpenApiParameter("sort", str, enum=["-created_at", "created_at", "title",
                                                "-starts_on", "status"]),
        ],
        responses={200: SurveySerializer(many=True), **ERRORS},
    )
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(summary="Một cuộc khảo sát", responses={200: SurveySerializer, **ERRORS})
    def retrieve(self, request, slug=None):
        return Response(self.get_serializer(selectors.get_survey_for(request.user, slug)).data)

    @extend_schema(
        summary="Tạo cuộc khảo sát (Ban Xây dựng Đảng)",
        request=SurveyCreateSerializer,
        responses={201: SurveySerializer, **ERRORS},
    )
    def create(self, request):
        if not request.user.is_office:
            raise PermissionDenied
        data = SurveyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        survey = services.create_survey(user=request.user, data=data.to_input())
        return Response(self.get_serializer(survey).data, status=201)

    @extend_schema(
        methods=["GET"],
        summary="Các phiên bản biểu mẫu",
        responses={200: FormVersionSerializer(many=True), **ERRORS},
    )
    @extend_schema(
        methods=["POST"],
        summary="Tải lên phiên bản biểu mẫu mới (XLSForm)",
        description="Gửi multipart/form-data với trường ``file``. Tệp có lỗi bị từ chối (400),"
        " không lưu gì; mỗi lỗi ghi rõ trang, dòng, cột.",
        request={"multipart/form-data": XLSFormUploadSerializer},
        responses={
            201: FormVersionSerializer,
            400: OpenApiResponse(FormRejectedSerializer, description="Biểu mẫu có lỗi."),
            401: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA,
        },
    )
    @action(detail=True, methods=["get", "post"])
    def versions(self, request, slug=None):
        if request.method == "GET":
            survey = selectors.get_survey_for(request.user, slug)
            versions = survey.versions.order_by("-uploaded_at", "-id")
            return Response(FormVersionSerializer(versions, many=True).data)
        survey = self._managed(slug)
        content, name = _uploaded(request)
        version = services.upload_form_version(
            user=request.user, survey=survey, content=content, filename=name
        )
        return Response(FormVersionSerializer(version).data, status=201)

    @extend_schema(
        summary="Tải về tệp XLSForm của một phiên bản",
        responses={(200, XLSX_TYPE): OpenApiTypes.BINARY, **ERRORS},
    )
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<version_id>\d+)/xlsform")
    def xlsform(self, request, slug=None, version_id=None):
        survey = selectors.get_survey_for(request.user, slug)
        version = get_object_or_404(FormVersion, pk=version_id, survey=survey)
        content = bytes(version.xlsform)
        kind = XLS_TYPE if content.startswith(XLS_MAGIC) else XLSX_TYPE
        response = HttpResponse(content, content_type=kind)
        response["Content-Disposition"] = _attachment(version.xlsform_name or "bieu_mau.xlsx")
        return response

    @extend_schema(
        summary="Câu hỏi của phiên bản đang dùng",
        responses={200: QuestionSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get"])
    def questions(self, request, slug=None):
        survey = selectors.get_survey_for(request.user, slug)
        version = selectors.current_version(survey)
        rows = version.questions.order_by("position") if version else Question.objects.none()
        return Response(QuestionSerializer(rows, many=True).data)

    @extend_schema(
        summary="Mở, đóng hoặc mở lại cuộc khảo sát (Ban Xây dựng Đảng)",
        description="Đóng: không nhận thêm phiếu, dữ liệu đã thu vẫn giữ nguyên.",
        request=SurveyStatusSerializer,
        responses={200: SurveySerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def status(self, request, slug=None):
        survey = self._managed(slug)
        data = SurveyStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        survey = services.set_survey_status(
            user=request.user, survey=survey, status=data.validated_data["status"],
            expected_version=data.validated_data["version"],
        )
        return Response(self.get_serializer(survey).data)

    @extend_schema(
        summary="Kiểm tra một tệp XLSForm (không lưu)",
        description="Trả về lỗi, cảnh báo (trang, dòng, cột, tiếng Việt), form_id, version,"
        " ngôn ngữ và danh sách câu hỏi.",
        request={"multipart/form-data": XLSFormUploadSerializer},
        responses={200: XLSFormCheckSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"])
    def check(self, request):
        # Parsing an uploaded workbook is costly: the office's tool, like uploading a version.
        if not request.user.is_office:
            raise PermissionDenied
        content, name = _uploaded(request)
        return Response(check_isolated(content, name))
