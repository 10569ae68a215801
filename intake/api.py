"""REST API of the intake app: opinion items (list, read, file) and the text suggestion.

Scoped like the pages: the office and leaders see every item, others their units' items; another
unit's item is "not found". A resident's contact details appear only when the reader is the office.
Errors follow ``core.api``: ``{"detail": <Vietnamese>, "field": …}``.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ERROR_SCHEMA, ERRORS, ApiMixin, ViSerializer, int_param
from core.choices import IssueStatus
from core.errors import ServiceError
from core.models import Attitude, Channel, Reach
from intake import selectors, services
from intake.models import OpinionItem, ResidentContact, Sensitivity
from orgs.models import Area, OrgUnit
from textops import selectors as textops


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResidentContact
        fields = ["name", "phone", "email", "address", "notified_at"]
        read_only_fields = fields


class ItemSerializer(serializers.ModelSerializer):
    # "contact" is present only when the reader is the office.

    channel = serializers.CharField(read_only=True, help_text="Mã kênh tiếp nhận.")
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    attitude = serializers.CharField(read_only=True, help_text="Mã thái độ, rỗng nếu chưa có.")
    topics = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    social_groups = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    masked_kinds = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Loại thông tin cá nhân đã được che trong nội dung.",
    )
    issue_status = serializers.CharField(
        source="issue.status", read_only=True, allow_null=True, default=None
    )
    contact = ContactSerializer(
        read_only=True, allow_null=True, required=False, help_text="Chỉ Ban Xây dựng Đảng thấy."
    )

    class Meta:
        model = OpinionItem
        fields = [
            "id",
            "text",
            "channel",
            "channel_label",
            "received_on",
            "area",
            "unit",
            "topics",
            "social_groups",
            "attitude",
            "reach",
            "latent",
            "sensitivity",
            "source_link",
            "meeting",
            "issue",
            "issue_status",
            "suggested_topic",
            "suggested_attitude",
            "labels_confirmed",
            "masked_kinds",
            "wants_reply",
            "created_at",
            "version",
            "contact",
        ]
        read_only_fields = fields

    def get_fields(self):
        fields = super().get_fields()
        if not self.context.get("show_contact"):
            fields.pop("contact")
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if "contact" in data:
            contacts = self.context.get("contacts")
            if contacts is not None:  # read (and audited) once for the page: see ItemViewSet
                contact = contacts.get(instance.pk)
            else:
                contact = selectors.contact_for(
                    self.context["request"].user, instance, where="API ý kiến"
                )
            data["contact"] = ContactSerializer(contact).data if contact else None
        return data


class ItemCreateSerializer(ViSerializer):
    text = serializers.CharField(
        max_length=20_000, help_text="Nội dung; thông tin cá nhân sẽ bị che."
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    received_on = serializers.DateField(
        required=False, allow_null=True, help_text="Mặc định: hôm nay."
    )
    area = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.all(), required=False, allow_null=True
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(),
        required=False,
        allow_null=True,
        help_text="Mặc định: đơn vị của người gửi.",
    )
    topics = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    social_groups = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    attitude = serializers.ChoiceField(
        choices=Attitude.choices, required=False, allow_blank=True, default=""
    )
    reach = serializers.ChoiceField(
        choices=Reach.choices, required=False, allow_blank=True, default=""
    )
    latent = serializers.BooleanField(required=False, default=False)
    sensitivity = serializers.ChoiceField(
        choices=Sensitivity.choices, required=False, default=Sensitivity.NORMAL
    )
    source_link = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=500
    )


class SuggestRequestSerializer(ViSerializer):
    text = serializers.CharField(max_length=textops.SUGGEST_MAX_CHARS, allow_blank=True)


class SuggestionSerializer(serializers.Serializer):
    topic_id = serializers.IntegerField(allow_null=True, help_text="Chủ đề gợi ý (mã).")
    topic_name = serializers.CharField()
    topic_score = serializers.FloatField()
    attitude = serializers.CharField(help_text="Mã thái độ gợi ý, rỗng nếu không có.")
    attitude_label = serializers.CharField()
    attitude_score = serializers.FloatField()
    cues = serializers.ListField(
        child=serializers.CharField(), help_text="Từ, cụm từ dẫn đến gợi ý."
    )
    masked_kinds = serializers.ListField(child=serializers.CharField())
    model = serializers.CharField(help_text="“lexicon” hoặc phiên bản mô hình đang dùng.")


def _filters(request) -> selectors.ItemFilter:
    from django.utils.dateparse import parse_date

    def day(name):
        value = request.query_params.get(name, "").strip()
        if not value:
            return None
        try:
            parsed = parse_date(value)
        except ValueError:
            parsed = None
        if parsed is None:
            raise ServiceError(f"Ngày “{value}” không hợp lệ: dùng NNNN-TT-NN.", field=name)
        return parsed

    status = request.query_params.get("status", "").strip()
    if status and status != "none" and status not in IssueStatus.values:
        raise ServiceError(f"Trạng thái “{status}” không có.", field="status")
    return selectors.ItemFilter(
        q=request.query_params.get("q", ""),
        topic_id=int_param(request, "topic"),
        attitude=request.query_params.get("attitude", "").strip(),
        area_id=int_param(request, "area"),
        channel=request.query_params.get("channel", "").strip(),
        date_from=day("date_from"),
        date_to=day("date_to"),
        issue_status=status,
    )


class ItemViewSet(ApiMixin, viewsets.GenericViewSet):
    queryset = OpinionItem.objects.none()
    serializer_class = ItemSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.filtered_items(self.request.user, _filters(self.request)).prefetch_related(
            "topics", "social_groups"
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = getattr(self.request, "user", None)
        context["show_contact"] = getattr(self, "swagger_fake_view", False) or (
            user is not None and user.is_authenticated and user.is_office
        )
        return context

    @extend_schema(
        summary="Danh sách ý kiến",
        description="Ban Xây dựng Đảng và lãnh đạo thấy mọi ý kiến; người khác thấy ý kiến của"
        " đơn vị mình và đơn vị trực thuộc. Thông tin liên hệ của người dân chỉ có khi người"
        " đọc là Ban Xây dựng Đảng.",
        parameters=[
            OpenApiParameter("q", str, description="Tìm trong nội dung, có hoặc không dấu."),
            OpenApiParameter("topic", int, description="Mã chủ đề."),
            OpenApiParameter("attitude", str, enum=Attitude.values, description="Thái độ."),
            OpenApiParameter("area", int, description="Mã tổ dân phố."),
            OpenApiParameter("channel", str, enum=Channel.values, description="Kênh."),
            OpenApiParameter("date_from", OpenApiTypes.DATE, description="Từ ngày."),
            OpenApiParameter("date_to", OpenApiTypes.DATE, description="Đến ngày."),
            OpenApiParameter(
                "status",
                str,
                enum=[*IssueStatus.values, "none"],
                description="Trạng thái vấn đề; “none”: chưa gom vào vấn đề.",
            ),
        ],
        responses={200: ItemSerializer(many=True), **ERRORS},
    )
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        serializer = self.get_serializer(page, many=True)
        if serializer.context["show_contact"]:
            # One read, and one audit entry, for the contacts of the whole page.
            serializer.context["contacts"] = selectors.contacts_for(
                request.user, [item.pk for item in page], where="API danh sách ý kiến",
                query=request.GET.urlencode(),
            )
        return self.get_paginated_response(serializer.data)

    @extend_schema(summary="Một ý kiến", responses={200: ItemSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        item = selectors.get_item_for(request.user, pk)
        return Response(self.get_serializer(item).data)

    @extend_schema(
        summary="Ghi nhận một ý kiến",
        description="Thông tin cá nhân trong nội dung (số điện thoại, CCCD, CMND, thư điện tử,"
        " tài khoản ngân hàng, biển số xe) được che trước khi lưu. Chọn chủ đề hoặc thái độ"
        " nghĩa là đã xác nhận nhãn.",
        request=ItemCreateSerializer,
        responses={201: ItemSerializer, **ERRORS},
    )
    def create(self, request):
        data = ItemCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        item = services.file_item(
            user=request.user,
            text=values["text"],
            channel=values["channel"],
            received_on=values.get("received_on"),
            area=values.get("area"),
            unit=values.get("unit"),
            social_group_ids=values["social_groups"],
            topic_ids=values["topics"],
            attitude=values["attitude"],
            reach=values["reach"],
            latent=values["latent"],
            sensitivity=values["sensitivity"],
            source_link=values["source_link"],
        )
        item = selectors.get_item_for(request.user, item.pk)
        return Response(self.get_serializer(item).data, status=201)


class SuggestView(ApiMixin, APIView):
    # Topic and attitude suggestion for a text, as a collaborator types.

    @extend_schema(
        summary="Gợi ý chủ đề và thái độ",
        description="Phân tích một đoạn văn bản (không lưu) và gợi ý chủ đề, thái độ cùng các"
        " từ dẫn đến gợi ý. Văn bản không dấu cũng được.",
        request=SuggestRequestSerializer,
        responses={200: SuggestionSerializer, 400: ERROR_SCHEMA, 401: ERROR_SCHEMA},
    )
    def post(self, request):
        data = SuggestRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        text = data.validated_data["text"]
        if not text.strip():
            return Response(
                {
                    "topic_id": None,
                    "topic_name": "",
                    "topic_score": 0.0,
                    "attitude": "",
                    "attitude_label": "",
                    "attitude_score": 0.0,
                    "cues": [],
                    "masked_kinds": [],
                    "model": "",
                }
            )
        return Response(textops.suggestion_payload(text))
