"""REST API of the org registry: units, areas, collaborators.

Every endpoint is read-only and scoped through ``orgs.selectors``: another unit's record is
"not found" (404), never "forbidden". The shared plumbing (authentication order, Vietnamese
errors, ``{"detail", "field"}`` error bodies), the token endpoint and the audit log are in
``core.api``.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets

# ERROR_SCHEMA and ViSerializer are re-exported only for surveys/, which still imports them from
# here until its move lands (issue 14); new code imports core.api.
from core.api import ERRORS, ApiMixin, flag_param
from core.text import fold
from orgs.models import Area, Collaborator, OrgUnit
from orgs.selectors import (
    can_see_contact_details,
    collaborators_visible_to,
    get_unit_for,
    units_visible_to,
    units_without_responsible,
)

# --- Units and areas ----------------------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    full_name = serializers.CharField(read_only=True)


class UnitSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="Loại đơn vị (mã).")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    responsible_person = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "kind_label",
            "parent",
            "opened_on",
            "closed_on",
            "responsible_person",
        ]
        read_only_fields = fields


class UnitViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    # Units the reader may see: all for the office and leaders, else their own subtree.

    queryset = OrgUnit.objects.none()  # typing for the schema; real rows come from get_queryset
    serializer_class = UnitSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        user = self.request.user
        units = (
            units_without_responsible(user)
            if flag_param(self.request, "without_responsible")
            else units_visible_to(user)
        )
        query = self.request.query_params.get("q", "").strip()
        if query:
            units = units.filter(name_folded__contains=fold(query))
        return units.order_by("name", "pk")

    def get_object(self):
        return get_unit_for(self.request.user, self.kwargs["pk"])

    @extend_schema(
        summary="Danh sách đơn vị",
        description="Ban Xây dựng Đảng và lãnh đạo thấy mọi đơn vị; người khác chỉ thấy đơn vị"
        " mình và các đơn vị trực thuộc.",
        parameters=[
            OpenApiParameter("q", str, description="Tìm theo tên, có hoặc không dấu."),
            OpenApiParameter(
                "without_responsible",
                bool,
                description="Chỉ các đơn vị chưa có người phụ trách DLXH.",
            ),
        ],
        responses={200: UnitSerializer(many=True), **ERRORS},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Một đơn vị", responses={200: UnitSerializer, **ERRORS})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["id", "name", "former_ward", "population", "households", "unit"]
        read_only_fields = fields


class AreaViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    # Residential groups are public geography: every signed-in user may read them, because an
    # opinion stream may concern any area of the ward.

    queryset = Area.objects.none()
    serializer_class = AreaSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        areas = Area.objects.all()
        query = self.request.query_params.get("q", "").strip()
        if query:
            areas = areas.filter(name_folded__contains=fold(query))
        return areas.order_by("name", "pk")

    @extend_schema(
        summary="Danh sách tổ dân phố",
        description="Mọi người dùng đã đăng nhập đều xem được, vì luồng ý kiến có thể nói về"
        " bất kỳ địa bàn nào của phường.",
        parameters=[OpenApiParameter("q", str, description="Tìm theo tên, có hoặc không dấu.")],
        responses={200: AreaSerializer(many=True), **ERRORS},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Một tổ dân phố", responses={200: AreaSerializer, **ERRORS})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


# --- Collaborators ------------------------------------------------------------------------------


class CollaboratorSerializer(serializers.ModelSerializer):
    # "phone" and "email" are present only when the reader is the office.

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status = serializers.CharField(read_only=True, help_text="active | paused | ended")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    areas = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    topics = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    phone = serializers.CharField(required=False, help_text="Chỉ Ban Xây dựng Đảng thấy.")
    email = serializers.CharField(required=False, help_text="Chỉ Ban Xây dựng Đảng thấy.")

    class Meta:
        model = Collaborator
        fields = [
            "id",
            "full_name",
            "unit",
            "unit_name",
            "areas",
            "topics",
            "started_on",
            "ended_on",
            "status",
            "status_label",
            "phone",
            "email",
        ]
        read_only_fields = [f for f in fields if f not in ("phone", "email")]

    def get_fields(self):
        fields = super().get_fields()
        if not self.context.get("show_contact"):
            fields.pop("phone")
            fields.pop("email")
        return fields


class CollaboratorViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Collaborator.objects.none()
    serializer_class = CollaboratorSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        query = self.request.query_params.get("q", "").strip()
        return collaborators_visible_to(self.request.user, query).order_by("full_name", "pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        # The schema generator asks with no real user; it documents the office's view.
        user = getattr(self.request, "user", None)
        context["show_contact"] = getattr(self, "swagger_fake_view", False) or (
            user is not None and user.is_authenticated and can_see_contact_details(user)
        )
        return context

    @extend_schema(
        summary="Danh sách cộng tác viên",
        description="Điện thoại và thư điện tử chỉ có khi người đọc là Ban Xây dựng Đảng.",
        parameters=[OpenApiParameter("q", str, description="Tìm theo tên, có hoặc không dấu.")],
        responses={200: CollaboratorSerializer(many=True), **ERRORS},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Một cộng tác viên", responses={200: CollaboratorSerializer, **ERRORS})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)
