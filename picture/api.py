"""``GET /api/v1/picture/``: the opinion picture of a period, scoped to the reader — the same
selector and the same parameters as the page ``/buc-tranh/`` and ``longdan picture --json``."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ERRORS, ApiMixin
from picture.query import read_query
from picture.selectors import picture_for
from picture.window import HELP

_ROWS = serializers.ListField(child=serializers.DictField())

PictureSchema = inline_serializer(
    name="Picture",
    fields={
        "period": serializers.DictField(help_text="Kỳ đang xem và kỳ trước để so sánh."),
        "filters": serializers.DictField(help_text="Đơn vị, tổ dân phố, chủ đề, nhóm, kênh."),
        "totals": serializers.DictField(
            help_text="items, stream_mentions, heard, by_attitude, aggrieved_share,"
            " concerned_share, issues_open, issues_overdue, issues_answered, on_time_rate,"
            " previous, change."
        ),
        "topics": _ROWS,
        "heat": serializers.DictField(help_text="buckets (tuần hoặc tháng) và rows (chủ đề)."),
        "areas": _ROWS,
        "social_groups": _ROWS,
        "channels": _ROWS,
        "rising": _ROWS,
        "forecast": _ROWS,
        "silent_areas": _ROWS,
        "coverage": serializers.DictField(),
        "latent": serializers.DictField(),
    },
)


def _parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, str, description=description)


class PictureView(ApiMixin, APIView):
    @extend_schema(
        summary="Bức tranh dư luận",
        description="Số liệu của mọi bảng trong trang Bức tranh dư luận, trong phạm vi người"
        " đọc được xem. Số nhỏ có thể chỉ ra một người được ghi '< 3' (trừ Ban Xây dựng Đảng).",
        parameters=[
            _parameter("period", f"Kỳ: {HELP}. Mặc định: tháng này."),
            _parameter("unit", "Mã hoặc tên đơn vị (đơn vị đó và cấp dưới)."),
            _parameter("area", "Số hoặc tên tổ dân phố."),
            _parameter("topic", "Mã số hoặc tên chủ đề."),
            _parameter("group", "Số hoặc tên nhóm xã hội."),
            _parameter("channel", "Mã hoặc tên kênh tiếp nhận."),
            _parameter("silent_weeks", "Số tuần không có ý kiến để coi là im lặng (1–52)."),
        ],
        responses={200: PictureSchema, **ERRORS},
    )
    def get(self, request):
        # A refusal is a QueryError (a ServiceError): 400 {"detail": ..., "field": ...}.
        query = read_query(request.user, request.query_params)
        return Response(picture_for(query))
