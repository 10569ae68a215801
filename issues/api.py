"""REST API of issues (scoped to the reader) and published answers.

Reads go through ``issues.selectors`` (another unit's issue is "not found"); the two writes, a
status change and an assignment, are POST actions carrying the ``version`` the caller read, and go
through ``issues.services`` (409 when someone else changed the issue meanwhile).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ERROR_SCHEMA, ERRORS, ApiMixin, ViSerializer, flag_param, int_param
from core.errors import ServiceError
from issues import selectors, services
from issues.models import Answer, Issue
from orgs.models import OrgUnit

WRITE_ERRORS = {**ERRORS, 409: ERROR_SCHEMA}
VERSION_MESSAGES = {
    "required": "Thiếu “version”: gửi kèm phiên bản vấn đề đã đọc để không ghi đè thay đổi"
    " của người khác.",
}


class IssueSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="Mã trạng thái.")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    topic_name = serializers.CharField(source="topic.name", read_only=True, allow_null=True,
                                       default=None)
    owner_unit_name = serializers.CharField(source="owner_unit.name", read_only=True,
                                            allow_null=True, default=None)
    merged_into_code = serializers.CharField(source="merged_into.code", read_only=True,
                                             allow_null=True, default=None)
    item_count = serializers.IntegerField(read_only=True, default=None, allow_null=True)

    class Meta:
        model = Issue
        fields = [
            "id", "code", "title", "summary", "status", "status_label", "topic", "topic_name",
            "area", "owner_unit", "owner_unit_name", "due_on", "latent", "merged_into",
            "merged_into_code", "first_seen_on", "last_seen_on", "item_count", "version",
            "updated_at",
        ]
        read_only_fields = fields


class StatusChangeSerializer(ViSerializer):
    field_messages = {"version": VERSION_MESSAGES}

    # A plain string (the service names an unknown status in Vietnamese); a ChoiceField here
    # would collide with the other "status" enums of the schema.
    status = serializers.CharField(
        max_length=16, help_text="Trạng thái mới: " + ", ".join(Issue.Status.values) + "."
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    version = serializers.IntegerField(min_value=1)


class AssignSerializer(ViSerializer):
    field_messages = {"version": VERSION_MESSAGES}

    owner_unit = serializers.IntegerField(help_text="Mã đơn vị chịu trách nhiệm.")
    due_on = serializers.DateField(required=False, allow_null=True, default=None,
                                   help_text="Hạn xử lý (NNNN-TT-NN).")
    version = serializers.IntegerField(min_value=1)


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class IssueViewSet(ApiMixin, viewsets.GenericViewSet):
    # Issues the reader may see: all for the office and leaders; a unit's owned issues and those
    # with items from its units otherwise.

    queryset = Issue.objects.none()
    serializer_class = IssueSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        params = self.request.query_params
        status = params.get("status", "").strip()
        if status and status != "open" and status not in Issue.Status.values:
            raise ServiceError(
                f"Trạng thái “{status}” không có; dùng open hoặc một trong: "
                + ", ".join(Issue.Status.values) + ".",
                field="status",
            )
        filters = selectors.IssueFilter(
            status=status,
            topic_id=int_param(self.request, "topic"),
            owner_id=int_param(self.request, "owner_unit"),
            overdue=flag_param(self.request, "overdue"),
            query=params.get("q", "").strip(),
        )
        return selectors.filtered_issues(self.request.user, filters)

    def _detail(self, pk) -> Response:
        return Response(IssueSerializer(selectors.get_issue_for(self.request.user, pk)).data)

    @extend_schema(
        summary="Danh sách vấn đề dư luận",
        description="Các vấn đề còn hiệu lực (chưa bị gộp) mà người đọc được xem, mới nhất trước.",
        parameters=[
            OpenApiParameter("status", str, enum=["open", *Issue.Status.values],
                             description="Trạng thái; “open” là mọi vấn đề chưa trả lời dân."),
            OpenApiParameter("topic", int, description="Mã chủ đề."),
            OpenApiParameter("owner_unit", int, description="Mã đơn vị chịu trách nhiệm."),
            OpenApiParameter("overdue", bool, description="Chỉ vấn đề quá hạn xử lý."),
            OpenApiParameter("q", str, description="Tìm theo tên, có hoặc không dấu, hoặc mã."),
        ],
        responses={200: IssueSerializer(many=True), **ERRORS},
    )
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(IssueSerializer(page, many=True).data)

    @extend_schema(summary="Một vấn đề", responses={200: IssueSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        return self._detail(pk)

    @extend_schema(
        summary="Đổi trạng thái vấn đề",
        description="Theo vòng đời mới phát hiện → đang theo dõi → đã giao xử lý → đã giải quyết"
        " → đã trả lời dân → đóng; bước không được phép trả về 400. Gửi kèm ``version``"
        " đã đọc; nếu người khác đã sửa, trả về 409.",
        request=StatusChangeSerializer,
        responses={200: IssueSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        issue = selectors.get_issue_for(request.user, pk)
        data = _valid(StatusChangeSerializer, request.data)
        services.change_status(user=request.user, issue=issue, to_status=data["status"],
                               note=data["note"], expected_version=data["version"])
        return self._detail(issue.pk)

    @extend_schema(
        summary="Giao xử lý vấn đề (Ban Xây dựng Đảng)",
        description="Đặt đơn vị chịu trách nhiệm và hạn xử lý; vấn đề mới phát hiện hoặc đang"
        " theo dõi chuyển sang “Đã giao xử lý”.",
        request=AssignSerializer,
        responses={200: IssueSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        issue = selectors.get_issue_for(request.user, pk)
        data = _valid(AssignSerializer, request.data)
        unit = OrgUnit.objects.filter(pk=data["owner_unit"]).first()
        if unit is None:
            raise ServiceError(f"Không tìm thấy đơn vị có mã {data['owner_unit']}.",
                               field="owner_unit")
        services.assign(user=request.user, issue=issue, owner_unit=unit, due_on=data["due_on"],
                        expected_version=data["version"])
        return self._detail(issue.pk)


class AnswerIssueSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Issue
        fields = ["id", "code", "title", "status", "status_label"]
        read_only_fields = fields


class AnswerSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="tra_loi | giai_thich | dinh_chinh")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    issues = AnswerIssueSerializer(many=True, read_only=True)
    answering_unit_name = serializers.CharField(source="answering_unit.name", read_only=True,
                                                allow_null=True, default=None)

    class Meta:
        model = Answer
        fields = ["id", "kind", "kind_label", "title", "body", "issues", "answering_unit",
                  "answering_unit_name", "published_at"]
        read_only_fields = fields


class AnswerViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    # Published answers: the same as the public page, so every signed-in user may read them.

    queryset = Answer.objects.none()
    serializer_class = AnswerSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        answers = selectors.published_answers()
        issue = int_param(self.request, "issue")
        if issue is not None:
            answers = answers.filter(issues=issue)
        return answers.order_by("-published_at", "-id")

    @extend_schema(
        summary="Các bài trả lời, giải thích đã công bố",
        parameters=[OpenApiParameter("issue", int, description="Chỉ bài trả lời vấn đề này.")],
        responses={200: AnswerSerializer(many=True), **ERRORS},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Một bài trả lời đã công bố", responses={200: AnswerSerializer, **ERRORS}
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)
