"""The REST API's shared plumbing (issue 14: it was in ``orgs.api``) and the audit log endpoint.

Every app's API builds on these: token-then-session authentication (:class:`ApiMixin`),
Vietnamese validation messages (:class:`ViSerializer`), and error bodies
``{"detail": <Vietnamese message>, "field": <field or null>}`` (:func:`api_exception_handler`,
``REST_FRAMEWORK["EXCEPTION_HANDLER"]``). The token endpoint and the audit log live here too: the
token is every user's, the audit log is core's own model.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import authenticate
from django.core.cache import caches
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView, exception_handler

from core import tokens, twofactor
from core.authentication import TokenAuthentication
from core.errors import ServiceError
from core.lockout import lockout_message
from core.models import AuditEntry
from core.parsers import TooDeep, ViJSONParser  # noqa: F401 (ViJSONParser: for the apps)
from core.request import client_address
from core.services import audit

# --- Shared base --------------------------------------------------------------------------------

# DRF ships few Vietnamese translations, so the messages users meet most are given here.
VI_FIELD_MESSAGES = {
    "required": "Thiếu trường này.",
    "null": "Không được để trống (null).",
    "blank": "Không được để trống.",
    "invalid": "Giá trị không hợp lệ.",
    "max_length": "Dài quá {max_length} ký tự.",
    "min_length": "Phải có ít nhất {min_length} ký tự.",
    "max_value": "Không được lớn hơn {max_value}.",
    "min_value": "Không được nhỏ hơn {min_value}.",
    "max_string_length": "Giá trị quá lớn.",
    "invalid_choice": "“{input}” không phải giá trị hợp lệ.",
    "not_a_list": "Phải là một danh sách, không phải {input_type}.",
    "empty": "Danh sách không được rỗng.",
    "not_a_dict": "Phải là một đối tượng JSON, không phải {input_type}.",
    "does_not_exist": "Mã “{pk_value}” không tồn tại.",
    "incorrect_type": "Mã phải là số nguyên, không phải {data_type}.",
    "date": "Cần ngày giờ, không phải ngày.",
    "datetime": "Cần ngày, không phải ngày giờ.",
    "make_aware": "Ngày giờ không hợp lệ theo múi giờ “{timezone}”.",
    "overflow": "Ngày giờ vượt quá phạm vi cho phép.",
    "surrogate_characters_not_allowed": "Không được chứa ký tự thay thế U+{code_point:X}.",
    "max_digits": "Không được quá {max_digits} chữ số.",
    "max_decimal_places": "Không được quá {max_decimal_places} chữ số thập phân.",
    "max_whole_digits": "Không được quá {max_whole_digits} chữ số phần nguyên.",
    "no_name": "Tệp không có tên.",
    "empty_file": "Tệp rỗng.",
    "invalid_image": "Tệp không phải ảnh hợp lệ.",
}
# Ids and counts are bounded by PostgreSQL's integer (and SQLite's int64): a larger number in a
# query would raise OverflowError or DataError (a 500) instead of a 400 (issue 16).
MAX_INT = 2**31 - 1
TOO_BIG = "Số quá lớn: không được lớn hơn 2.147.483.647."
TOO_SMALL = "Số quá nhỏ: không được nhỏ hơn -2.147.483.647."

VI_INVALID_BY_TYPE = {
    serializers.IntegerField: "Phải là số nguyên.",
    serializers.BooleanField: "Phải là true hoặc false.",
}
TRUE_VALUES = {"1", "true", "yes", "on"}


def _vietnamise(field: serializers.Field) -> None:
    if isinstance(field, serializers.ManyRelatedField):
        _vietnamise(field.child_relation)
    if type(field) is serializers.PrimaryKeyRelatedField:
        field.__class__ = BoundedPrimaryKeyRelatedField
    if isinstance(field, serializers.IntegerField) and not field.read_only:
        _bound(field)
    for key in field.error_messages:
        if key in VI_FIELD_MESSAGES:
            field.error_messages[key] = VI_FIELD_MESSAGES[key]
    for field_type, message in VI_INVALID_BY_TYPE.items():
        if isinstance(field, field_type):
            field.error_messages["invalid"] = message
    child = getattr(field, "child", None)
    if isinstance(child, serializers.Field) and not isinstance(child, serializers.Serializer):
        _vietnamise(child)


def _bound(field: serializers.IntegerField) -> None:
    from django.core.validators import MaxValueValidator, MinValueValidator

    if field.max_value is None or field.max_value > MAX_INT:
        field.validators.append(MaxValueValidator(MAX_INT, message=TOO_BIG))
    if field.min_value is None or field.min_value < -MAX_INT:
        field.validators.append(MinValueValidator(-MAX_INT, message=TOO_SMALL))


class BoundedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    # A primary key beyond the database's integer is "does not exist", not an OverflowError.

    def to_internal_value(self, data):
        if not isinstance(data, bool) and isinstance(data, int | str):
            try:
                number = int(data)
            except ValueError:
                number = None
            if number is not None and not -MAX_INT <= number <= MAX_INT:
                self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class ViSerializer(serializers.Serializer):
    # An input serializer whose validation messages are Vietnamese.

    default_error_messages = {
        "invalid": "Dữ liệu phải là một đối tượng JSON, không phải {datatype}."
    }
    # Per-field messages that say more than the generic ones: {"version": {"required": "…"}}.
    field_messages: dict[str, dict[str, str]] = {}

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            _vietnamise(field)
            field.error_messages.update(self.field_messages.get(name, {}))
        return fields


def _first_error(detail, path: str = "") -> tuple[str, str]:
    """The path ("streams.2.topic", rows counted from 1) and message of the first error."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            if not value:
                continue
            step = str(key + 1) if isinstance(key, int) else str(key)
            if step == "non_field_errors":
                return _first_error(value, path)
            return _first_error(value, f"{path}.{step}" if path else step)
    if isinstance(detail, list):
        if detail and all(isinstance(item, dict) for item in detail):
            for row, item in enumerate(detail, start=1):
                if item:
                    return _first_error(item, f"{path}.{row}" if path else str(row))
        for item in detail:
            return _first_error(item, path)
    return path, str(detail)


def _vi_message(exc: exceptions.APIException, context_method: str = "") -> str | None:
    if isinstance(exc, exceptions.NotAuthenticated):
        return "Chưa xác thực: hãy gửi mã truy cập (Authorization: Token …) hoặc đăng nhập."
    if isinstance(exc, exceptions.AuthenticationFailed):
        # core.authentication's own words (revoked, expired); DRF's English becomes the default.
        detail = str(exc.detail)
        return detail if not detail.isascii() else (
            "Mã truy cập không hợp lệ hoặc tài khoản đã bị khóa."
        )
    if isinstance(exc, exceptions.PermissionDenied):
        if str(exc.detail).startswith("CSRF"):
            return (
                "Yêu cầu bị từ chối: thiếu mã CSRF. Khi dùng phiên đăng nhập, gửi kèm tiêu đề"
                " X-CSRFToken; hoặc dùng mã truy cập (Authorization: Token …)."
            )
        return "Bạn không có quyền thực hiện thao tác này."
    if isinstance(exc, TooDeep):
        return str(exc.detail)
    if isinstance(exc, exceptions.ParseError):
        return "Dữ liệu gửi lên không đọc được (JSON không hợp lệ)."
    if isinstance(exc, exceptions.MethodNotAllowed):
        method = (context_method or "").upper()
        return f"Phương thức {method} không được phép ở địa chỉ này.".replace("  ", " ")
    if isinstance(exc, exceptions.NotFound):  # the view's own Vietnamese words, or DRF's English
        detail = str(exc.detail)
        return "Không tìm thấy." if detail.isascii() else detail
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return "Kiểu dữ liệu không được hỗ trợ; hãy gửi JSON (Content-Type: application/json)."
    if isinstance(exc, exceptions.NotAcceptable):
        return "Không trả được dữ liệu theo định dạng yêu cầu trong tiêu đề Accept."
    if isinstance(exc, exceptions.Throttled):
        return f"Quá nhiều yêu cầu; hãy thử lại sau {exc.wait or 60:.0f} giây."
    return None


def api_exception_handler(exc, context):
    """Every error body is ``{"detail": <Vietnamese message>, "field": <field or null>}``."""
    if isinstance(exc, ServiceError):
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, exceptions.ValidationError):
        field, message = _first_error(exc.detail)
        body = {
            "detail": f"{field}: {message}" if field else message,
            "field": field or None,
            "errors": exc.detail,
        }
        return Response(body, status=400)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, OverflowError):
        # A safety net: ids are bounded where they are read (int_param, the serializers).
        return Response({"detail": "Số quá lớn.", "field": None}, status=400)
    response = exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request") if isinstance(context, dict) else None
    method = getattr(request, "method", "") or ""
    message = _vi_message(exc, method) if isinstance(exc, exceptions.APIException) else None
    detail = message or (response.data.get("detail") if isinstance(response.data, dict) else None)
    detail = str(detail or "")
    if not detail or detail.isascii():  # DRF's English default: never shown to a user
        detail = "Yêu cầu không thực hiện được."
    response.data = {"detail": detail, "field": None}
    return response


def api_not_found(request, *args, **kwargs):
    """Unknown paths under /api/v1/: the API's JSON error body, not the site's HTML page."""
    from django.http import JsonResponse

    return JsonResponse(
        {"detail": f"Không có địa chỉ API “{request.path}”.", "field": None}, status=404
    )


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "core.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Mã truy cập lấy từ POST /api/v1/token/, gửi dạng “Token <mã>”.",
        }


class ApiPagination(PageNumberPagination):
    page_query_description = "Số trang (từ 1)."


class ApiMixin:
    # Token first so an anonymous call gets 401 with "WWW-Authenticate: Token", not 403.

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    pagination_class = ApiPagination

    def get_exception_handler(self):
        return api_exception_handler


def int_param(request, name: str) -> int | None:
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    try:
        number = int(value) if len(value) <= 20 else None
    except ValueError:
        number = None
    if number is None and not (value.lstrip("+-").isdigit() and value.isascii()):
        raise ServiceError(
            f"Tham số “{name}” phải là số nguyên, không phải “{value[:40]}”.", field=name
        )
    if number is None or not -MAX_INT <= number <= MAX_INT:
        raise ServiceError(
            f"Tham số “{name}” quá lớn: mã là số nguyên không quá {MAX_INT:,}.".replace(",", "."),
            field=name,
        )
    return number


def flag_param(request, name: str) -> bool:
    return request.query_params.get(name, "").strip().lower() in TRUE_VALUES


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Thông báo lỗi bằng tiếng Việt.")
    field = serializers.CharField(allow_null=True, help_text="Trường bị lỗi, nếu có.")
    errors = serializers.JSONField(
        required=False, help_text="Khi dữ liệu không hợp lệ: mọi lỗi, theo từng trường."
    )


ERROR_SCHEMA = ErrorSerializer
ERRORS = {400: ERROR_SCHEMA, 401: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA}


# --- Token --------------------------------------------------------------------------------------


class TokenRequestSerializer(ViSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        max_length=256, trim_whitespace=False, style={"input_type": "password"}
    )


class TokenRequestWithNameSerializer(TokenRequestSerializer):
    name = serializers.CharField(
        max_length=100, required=False, allow_blank=True,
        help_text="Tên thiết bị (để nhận ra mã trong danh sách mã truy cập).",
    )
    otp = serializers.CharField(
        max_length=16, required=False, allow_blank=True,
        help_text="Mã xác thực hai bước (6 chữ số trên ứng dụng, hoặc một mã dự phòng): bắt buộc"
        " với tài khoản đã bật xác thực hai bước và với Ban Xây dựng Đảng, lãnh đạo.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text="Mã truy cập; chỉ hiện một lần.")
    name = serializers.CharField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)
    username = serializers.CharField(read_only=True)
    role = serializers.CharField(read_only=True)


class TokenThrottle(AnonRateThrottle):
    # Slows password guessing; a script needs one token, not hundreds. Counted in the database
    # cache (every process shares it) per client address as core.request vouches for it: DRF's
    # own get_ident would key on whatever X-Forwarded-For the client writes.

    rate = "20/min"

    @property
    def cache(self):
        return caches["throttle"]

    def get_ident(self, request) -> str:
        return client_address(request)


class LockedOut(ServiceError):
    """Over the login limit (core.lockout): 429, the Vietnamese lockout message."""

    status_code = 429


class TokenView(ApiMixin, APIView):
    """Issues API tokens (POST) and revokes the one in use (DELETE: the API client's logout).

    Every POST returns a NEW token, whose secret is shown only in that answer; the database keeps
    its SHA-256 (core.tokens). See core.tokens for when tokens are revoked.
    """

    throttle_classes = [TokenThrottle]

    # POST needs no authentication (an old, expired token sent along must not get in the way);
    # DELETE needs the token it revokes. The schema generator asks without a request.

    def _posting(self) -> bool:
        return getattr(getattr(self, "request", None), "method", "POST") == "POST"

    def get_authenticators(self):
        return [] if self._posting() else [TokenAuthentication()]

    def get_permissions(self):
        return [AllowAny()] if self._posting() else [IsAuthenticated()]

    def get_throttles(self):
        return [TokenThrottle()] if self._posting() else []

    @extend_schema(
        request=TokenRequestWithNameSerializer,
        responses={200: TokenSerializer, 400: ERROR_SCHEMA},
        summary="Lấy mã truy cập API",
        description="Đổi tên đăng nhập và mật khẩu lấy một mã truy cập MỚI (mỗi thiết bị một mã,"
        " đặt tên bằng ``name``); gửi mã trong tiêu đề ``Authorization: Token <mã>`` ở các yêu"
        " cầu sau. Mã chỉ hiện một lần, hết hạn sau ``expires_at``. Mỗi lần lấy mã được ghi"
        " nhật ký.",
        auth=[],
    )
    def post(self, request):
        data = TokenRequestWithNameSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        name = data.validated_data.pop("name", "")
        otp = data.validated_data.pop("otp", "")
        # authenticate() itself logs a failed attempt through the user_login_failed signal, and
        # django-axes (settings.AXES_*) counts it and refuses even the right password once the
        # account or the address is over the limit.
        # The lockout backend (first in AUTHENTICATION_BACKENDS) refuses an account or address
        # over the limit, wrong second-step codes included, before the password is checked.
        user = authenticate(request, **data.validated_data)
        if user is None and getattr(request, "axes_locked_out", False):
            return Response({"detail": lockout_message(), "field": None}, status=429)
        if user is None:
            raise ServiceError("Tên đăng nhập hoặc mật khẩu không đúng.", field="password")
        if user.must_change_password:
            raise ServiceError(
                "Mật khẩu này là mật khẩu tạm: hãy đăng nhập trang web và đổi mật khẩu trước.",
                field="password",
            )
        self._second_factor(request, user, otp)
        with transaction.atomic():
            token, secret = tokens.issue(user, name)
            audit(
                actor=user,
                action=AuditEntry.Action.LOGIN,
                obj=user,
                unit=user.unit,
                summary=f"{user.username} lấy mã truy cập API {token.prefix}…"
                + (f" ({token.name})" if token.name else ""),
            )
        return Response(
            {
                "token": secret,
                "name": token.name,
                "expires_at": serializers.DateTimeField().to_representation(token.expires_at),
                "username": user.username,
                "role": user.role,
            }
        )

    @staticmethod
    def _second_factor(request, user, otp: str) -> None:
        """A token is a sign-in: whoever must (or chose to) sign in with two steps gives a code."""
        device = twofactor.app_device(user)
        if device is None and not twofactor.required(user):
            return
        if device is None:
            raise ServiceError(
                "Tài khoản này phải bật xác thực hai bước trên trang web (mục Xác thực hai bước)"
                " trước khi lấy mã truy cập API.",
                field="otp",
            )
        if not otp:
            raise ServiceError(
                "Tài khoản này đăng nhập hai bước: gửi kèm mã 6 chữ số trên ứng dụng xác thực"
                " trong trường otp.",
                field="otp",
            )
        with transaction.atomic():
            result = twofactor.verify(
                request=request, user=user, code=otp, door="api-otp", device=device
            )
        if getattr(request, "axes_locked_out", False):
            raise LockedOut(lockout_message())
        if not result.ok:
            raise ServiceError("Mã xác thực hai bước không đúng hoặc đã dùng.", field="otp")

    @extend_schema(
        request=None,
        responses={204: None, 401: ERROR_SCHEMA},
        summary="Thu hồi mã truy cập đang dùng",
        description="Đăng xuất của ứng dụng: mã gửi kèm trong ``Authorization`` bị thu hồi,"
        " không dùng được nữa.",
        auth=[{"tokenAuth": []}],
    )
    def delete(self, request):
        token = request.auth
        with transaction.atomic():
            tokens.revoke(token, actor=request.user, reason="đăng xuất API")
        return Response(status=204)


# --- Audit log ----------------------------------------------------------------------------------


class AuditEntrySerializer(serializers.ModelSerializer):
    action = serializers.CharField(read_only=True, help_text="Mã thao tác (create, submit, …).")
    action_label = serializers.CharField(source="get_action_display", read_only=True)
    actor_username = serializers.CharField(
        source="actor.username", read_only=True, allow_null=True, default=None
    )
    unit_name = serializers.CharField(
        source="unit.name", read_only=True, allow_null=True, default=None
    )
    data = serializers.JSONField(read_only=True)

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_username",
            "action",
            "action_label",
            "object_type",
            "object_id",
            "unit",
            "unit_name",
            "summary",
            "data",
        ]
        read_only_fields = fields


def _since(value: str) -> dt.datetime | None:
    """An ISO date (from local midnight) or date-time; ``None`` when absent."""
    value = value.strip()
    if not value:
        return None
    try:
        moment = parse_datetime(value)
        day = None if moment else parse_date(value)
    except ValueError:
        moment = day = None
    if day is not None:
        moment = dt.datetime.combine(day, dt.time.min)
    if moment is None:
        raise ServiceError(
            f"Thời điểm “{value}” không hợp lệ: dùng NNNN-TT-NN hoặc NNNN-TT-NNTHH:MM.",
            field="since",
        )
    moment = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
    try:
        # In UTC: PostgreSQL refuses an offset past ±15:59 (a DataError, a 500), and a moment
        # beyond the calendar's ends cannot be compared at all.
        return moment.astimezone(dt.UTC)
    except (OverflowError, ValueError) as exc:
        raise ServiceError(
            f"Thời điểm “{value}” nằm ngoài phạm vi cho phép.", field="since"
        ) from exc


class AuditViewSet(ApiMixin, viewsets.GenericViewSet):
    # The audit log: for the office and the leaders; anyone else is told it does not exist.

    queryset = AuditEntry.objects.none()
    serializer_class = AuditEntrySerializer

    def get_queryset(self):
        user = self.request.user
        if not user.sees_everything:
            raise Http404("Không tìm thấy.")
        entries = AuditEntry.objects.select_related("actor", "unit")
        action = self.request.query_params.get("action", "").strip()
        if action:
            if action not in AuditEntry.Action.values:
                raise ServiceError(
                    f"Thao tác “{action}” không có; dùng một trong: "
                    + ", ".join(AuditEntry.Action.values)
                    + ".",
                    field="action",
                )
            entries = entries.filter(action=action)
        since = _since(self.request.query_params.get("since", ""))
        if since is not None:
            entries = entries.filter(at__gte=since)
        return entries

    @extend_schema(
        summary="Nhật ký thao tác",
        description="Chỉ Ban Xây dựng Đảng và lãnh đạo; người khác nhận 404.",
        parameters=[
            OpenApiParameter(
                "action", str, enum=AuditEntry.Action.values, description="Lọc theo thao tác."
            ),
            OpenApiParameter(
                "since",
                OpenApiTypes.DATETIME,
                description="Từ thời điểm (ngày hoặc ngày giờ ISO 8601).",
            ),
        ],
        responses={200: AuditEntrySerializer(many=True), **ERRORS},
    )
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
