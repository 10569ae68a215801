"""The API's token authentication (issue 18, finding 2), apart from core.api.

A module of its own because REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] names it, and DRF
reads that setting while ``rest_framework.views`` is imported: core.api, which imports the views,
could not be named there.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from rest_framework import authentication, exceptions

from core import tokens


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <secret>`` against core.ApiToken (hashed, expiring, revocable).

    An expired or revoked token is refused with a Vietnamese message saying so; a token whose
    owner must change their password (reset by the office) is refused until they have.
    """

    keyword = "Token"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Tiêu đề Authorization sai dạng: cần “Token <mã truy cập>”."
            )
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("Mã truy cập không hợp lệ.") from exc
        token = tokens.find(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(
                "Mã truy cập không hợp lệ hoặc tài khoản đã bị khóa."
            )
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(
                "Mã truy cập đã bị thu hồi; hãy lấy mã mới (POST /api/v1/token/)."
            )
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(
                "Mã truy cập đã hết hạn; hãy lấy mã mới (POST /api/v1/token/)."
            )
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed("Tài khoản đã bị khóa.")
        if user.must_change_password:
            raise exceptions.AuthenticationFailed(
                "Tài khoản phải đổi mật khẩu trên trang web trước khi dùng API."
            )
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
            type(token).objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return user, token

    def authenticate_header(self, request) -> str:
        return self.keyword
