"""REST API of the search (GET /api/v1/search/?q=…), scoped like the pages through the selectors.

Follows ``core.api``: token or session authentication, Vietnamese ``{"detail", "field"}`` errors,
another unit's records are simply not found.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ERRORS, ApiMixin, ViSerializer
from core.errors import ServiceError
from core.models import Attitude, Channel
from intake.models import OpinionItem
from issues.models import Issue
from search.query import MAX_QUERY_CHARS, parse_query
from search.selectors import MAX_PAGE_SIZE, NO_ISSUE, SearchPage, search_issues, search_items

KINDS = {"all": "Cả ý kiến và vấn đề", "items": "Chỉ ý kiến", "issues": "Chỉ vấn đề"}


class SearchParamsSerializer(ViSerializer):
    q = serializers.CharField(
        max_length=MAX_QUERY_CHARS,
        help_text="Từ cần tìm, có dấu hay không dấu đều được (“Hòa Bình” = “hoa binh”);"
        " cụm từ chính xác trong ngoặc kép; “từ*” tìm theo đầu từ.",
    )
    kind = serializers.ChoiceField(
        choices=list(KINDS.items()), default="all", help_text="Tìm trong gì."
    )
    topic = serializers.IntegerField(required=False, help_text="Mã chủ đề (gồm cả chủ đề con).")
    attitude = serializers.ChoiceField(choices=Attitude.choices, required=False)
    area = serializers.IntegerField(required=False, help_text="Mã địa bàn.")
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    date_from = serializers.DateField(required=False, help_text="Từ ngày (NNNN-TT-NN).")
    date_to = serializers.DateField(required=False, help_text="Đến ngày (NNNN-TT-NN).")
    status = serializers.ChoiceField(
        choices=[(NO_ISSUE, "Chưa thuộc vấn đề nào"), *Issue.Status.choices],
        required=False,
        help_text="Trạng thái của vấn đề (với ý kiến: của vấn đề chứa ý kiến).",
    )
    page = serializers.IntegerField(min_value=1, default=1, help_text="Số trang (từ 1).")
    page_size = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGE_SIZE, default=25, help_text="Số kết quả mỗi trang."
    )
    field_messages = {"q": {"required": "Thiếu từ cần tìm (q).", "blank": "Thiếu từ cần tìm (q)."}}

    def validate(self, attrs):
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and start > end:
            raise ServiceError("“date_to” phải sau hoặc bằng “date_from”.", field="date_to")
        return attrs


class ItemHitSerializer(serializers.ModelSerializer):
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    attitude_label = serializers.CharField(source="get_attitude_display", read_only=True)
    area_name = serializers.CharField(
        source="area.name", read_only=True, allow_null=True, default=None
    )
    topics = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = OpinionItem
        fields = [
            "id",
            "text",
            "received_on",
            "channel",
            "channel_label",
            "attitude",
            "attitude_label",
            "area",
            "area_name",
            "unit",
            "topics",
            "issue",
        ]
        read_only_fields = fields


class IssueHitSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    topic_name = serializers.CharField(
        source="topic.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Issue
        fields = [
            "id",
            "code",
            "title",
            "summary",
            "status",
            "status_label",
            "topic",
            "topic_name",
            "owner_unit",
            "first_seen_on",
            "last_seen_on",
        ]
        read_only_fields = fields


class _HitsSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Số kết quả (tối đa 1.000 được đếm).")
    count_capped = serializers.BooleanField(help_text="true: có nhiều hơn ``count`` kết quả.")
    page = serializers.IntegerField()
    num_pages = serializers.IntegerField()


class ItemHitsSerializer(_HitsSerializer):
    results = ItemHitSerializer(many=True)


class IssueHitsSerializer(_HitsSerializer):
    results = IssueHitSerializer(many=True)


class SearchResultSerializer(serializers.Serializer):
    query = serializers.CharField(help_text="Câu tìm như đã hiểu (đã bỏ dấu).")
    items = ItemHitsSerializer(allow_null=True)
    issues = IssueHitsSerializer(allow_null=True)


def _hits(page: SearchPage | None, serializer) -> dict | None:
    if page is None:
        return None
    return {
        "count": page.total,
        "count_capped": page.capped,
        "page": page.page,
        "num_pages": page.num_pages,
        "results": serializer(page.results, many=True).data,
    }


class SearchView(ApiMixin, APIView):
    # One search box over items and issues; the results are those the reader may see.

    @extend_schema(
        summary="Tìm kiếm ý kiến và vấn đề",
        description="Khớp không phân biệt dấu và hoa thường; sắp theo mức độ khớp rồi mới nhất"
        " trước. Chỉ trả về ý kiến, vấn đề người hỏi được xem. Ký tự đặc biệt (-, (, ), :, …)"
        " chỉ là dấu cách, không phải toán tử.",
        parameters=[SearchParamsSerializer],
        responses={200: SearchResultSerializer, **ERRORS},
    )
    def get(self, request):
        params = SearchParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        query, kind = data.pop("q"), data.pop("kind")
        items = search_items(request.user, query, **data) if kind != "issues" else None
        issues = search_issues(request.user, query, **data) if kind != "items" else None
        return Response(
            {
                "query": parse_query(query).describe(),
                "items": _hits(items, ItemHitSerializer),
                "issues": _hits(issues, IssueHitSerializer),
            }
        )
