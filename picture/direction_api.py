"""REST API of directions: the list and one direction, scoped like the pages (a unit reader sees
the directions addressed to its subtree, and only its own units' parts), and giving a direction
(leaders and the office) through ``picture.services.create_direction``."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from core.api import ERRORS, ApiMixin, BoundedPrimaryKeyRelatedField, ViSerializer, flag_param
from core.api import int_param as _int_param
from core.errors import ServiceError
from core.models import SocialGroup, Topic
from issues.selectors import get_issue_for
from orgs.models import Area
from picture import direction_selectors as selectors
from picture import services
from picture.models import Direction
from reporting.selectors import get_report_for


class Refused(ServiceError):
    """A write the reader's role may not make (403, with the reason in Vietnamese)."""

    status_code = 403


class PartSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")
    status = serializers.CharField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    done_at = serializers.DateTimeField(allow_null=True)


class DirectionSerializer(serializers.ModelSerializer):
    # Plain strings: choice fields here would collide with the other "status", "kind" and
    # "action" enums of the schema.
    status = serializers.CharField(read_only=True, help_text="open | in_progress | done |"
                                   " cancelled")
    kind = serializers.CharField(read_only=True, help_text="direction | task")
    action = serializers.CharField(read_only=True)
    target = serializers.CharField(read_only=True, help_text="issue | report | area | topic"
                                   " | (trống)")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    state = serializers.CharField(read_only=True, help_text="open | acknowledged | in_progress |"
                                  " done | cancelled")
    overdue = serializers.BooleanField(read_only=True)
    author_name = serializers.SerializerMethodField()
    issue_code = serializers.CharField(source="issue.code", read_only=True, allow_null=True,
                                       default=None)
    parts = PartSerializer(source="shown_parts", many=True, read_only=True,
                           help_text="Phần việc của các đơn vị người đọc được xem.")
    other_units = serializers.IntegerField(source="hidden_units", read_only=True,
                                           help_text="Số đơn vị khác cùng được giao.")

    class Meta:
        model = Direction
        fields = [
            "id", "code", "kind", "kind_label", "action", "text", "status", "status_label",
            "state", "overdue", "due_on", "target", "issue", "issue_code", "report", "area",
            "topic", "social_group", "author_name", "parts", "other_units", "created_at",
            "done_at", "version",
        ]
        read_only_fields = fields

    def get_author_name(self, obj) -> str | None:
        return (obj.author.full_name or obj.author.username) if obj.author else None


class DirectionCreateSerializer(ViSerializer):
    text = serializers.CharField(max_length=5000, help_text="Nội dung chỉ đạo.")
    due_on = serializers.DateField(help_text="Hạn hoàn thành (NNNN-TT-NN).")
    unit_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), max_length=200,
        help_text="Mã các đơn vị thực hiện.",
    )
    kind = serializers.CharField(required=False, default=Direction.Kind.DIRECTION, max_length=10,
                                 help_text="direction | task")
    action = serializers.CharField(required=False, default="", allow_blank=True, max_length=24)
    issue = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                     max_value=2**31 - 1)
    report = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                      max_value=2**31 - 1)
    area = BoundedPrimaryKeyRelatedField(queryset=Area.objects.all(), required=False,
                                         allow_null=True, default=None)
    topic = BoundedPrimaryKeyRelatedField(queryset=Topic.objects.all(), required=False,
                                          allow_null=True, default=None)
    social_group = BoundedPrimaryKeyRelatedField(queryset=SocialGroup.objects.all(),
                                                 required=False, allow_null=True, default=None)


class DirectionViewSet(ApiMixin, viewsets.GenericViewSet):
    queryset = Direction.objects.none()
    serializer_class = DirectionSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        params = self.request.query_params
        status = params.get("status", "").strip()
        if status and status != "active" and status not in Direction.Status.values:
            raise ServiceError(
                f"Trạng thái “{status}” không có; dùng active hoặc một trong: "
                + ", ".join(Direction.Status.values) + ".",
                field="status",
            )
        kind = params.get("kind", "").strip()
        if kind and kind not in Direction.Kind.values:
            raise ServiceError(f"Loại “{kind}” không có; dùng direction hoặc task.", field="kind")
        filters = selectors.DirectionFilter(
            status=status, overdue=flag_param(self.request, "overdue"),
            unit_id=_int_param(self.request, "unit"), kind=kind,
            query=params.get("q", "").strip()[:200],
        )
        return selectors.filtered_directions(self.request.user, filters)

    @extend_schema(
        summary="Danh sách ý kiến chỉ đạo",
        description="Chỉ đạo và nhiệm vụ người đọc được xem (đơn vị: chỉ đạo giao cho đơn vị"
        " mình hoặc đơn vị trực thuộc), hạn gần nhất trước.",
        parameters=[
            OpenApiParameter("status", str, enum=["active", *Direction.Status.values],
                             description="Trạng thái; “active” là mọi chỉ đạo chưa xong."),
            OpenApiParameter("overdue", bool, description="Chỉ chỉ đạo quá hạn."),
            OpenApiParameter("unit", int, description="Giao cho đơn vị này hoặc đơn vị trực"
                             " thuộc."),
            OpenApiParameter("kind", str, enum=Direction.Kind.values, description="Loại."),
            OpenApiParameter("q", str, description="Tìm theo nội dung (có hoặc không dấu) hoặc"
                             " số."),
        ],
        responses={200: DirectionSerializer(many=True), **ERRORS},
    )
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        rows = selectors.decorate(request.user, page)
        return self.get_paginated_response(DirectionSerializer(rows, many=True).data)

    def _detail(self, pk, status: int = 200) -> Response:
        direction = selectors.get_direction_for(self.request.user, pk)
        [decorated] = selectors.decorate(self.request.user, [direction])
        return Response(DirectionSerializer(decorated).data, status=status)

    @extend_schema(summary="Một ý kiến chỉ đạo", responses={200: DirectionSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        return self._detail(pk)

    @extend_schema(
        summary="Giao ý kiến chỉ đạo (lãnh đạo, Ban Xây dựng Đảng)",
        request=DirectionCreateSerializer,
        responses={201: DirectionSerializer, **ERRORS},
        description="Mỗi đơn vị được giao nhận thông báo; 403 nếu người gọi không phải lãnh đạo"
        " hoặc Ban Xây dựng Đảng.",
    )
    def create(self, request):
        if not services.can_direct(request.user):
            raise Refused(
                "Chỉ lãnh đạo (Ban Thường vụ) hoặc Ban Xây dựng Đảng được giao ý kiến chỉ đạo.",
                field="author",
            )
        serializer = DirectionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        issue = get_issue_for(request.user, data["issue"]) if data["issue"] else None
        report = get_report_for(request.user, data["report"]) if data["report"] else None
        direction = services.create_direction(
            author=request.user, text=data["text"], due_on=data["due_on"],
            unit_ids=data["unit_ids"], kind=data["kind"], action=data["action"], issue=issue,
            report=report, area=data["area"], topic=data["topic"],
            social_group=data["social_group"],
        )
        return self._detail(direction.pk, status=201)
