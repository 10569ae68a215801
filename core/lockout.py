"""Failed-login limits on every door (issue 16): the login page, the admin, the API token and ODK.

django-axes counts failures in the database (settings ``AXES_*``), per account and per client
address, so every server process shares one count. This module is the project's side of it:

- :func:`lockout_response` (``AXES_LOCKOUT_CALLABLE``): the Vietnamese answer to a refused login,
  a page for a browser and ``{"detail": …, "field": …}`` for the API;
- :func:`is_locked` and :func:`record_failure`: for doors that do not go through
  ``django.contrib.auth.authenticate`` (ODK Collect's Digest logins);
- :func:`current_lockouts` and :func:`unlock`: the office's page of locked accounts and addresses;
- the audit: one ``lockout`` entry when an account or address goes over the limit (not one per
  refused attempt after it), one ``unlock`` entry when the office lifts it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models import Max, Sum
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from core.models import AuditEntry
from core.services import audit

API_PREFIX = "/api/"


def cool_off_minutes() -> int:
    cool_off = get_cool_off() or dt.timedelta(0)
    return max(int(cool_off.total_seconds() // 60), 1)


def lockout_message() -> str:
    return (
        f"Đăng nhập sai quá {settings.AXES_FAILURE_LIMIT} lần: tài khoản hoặc địa chỉ máy này"
        f" tạm bị khóa {cool_off_minutes()} phút, kể cả khi nhập đúng mật khẩu. Hãy thử lại"
        " sau, hoặc nhờ Ban Xây dựng Đảng mở khóa."
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """What a refused login gets (``AXES_LOCKOUT_CALLABLE``); status 429."""
    if original_response is not None and getattr(original_response, "lockout_answered", False):
        return original_response  # the door answered in its own format (ODK's OpenRosa XML)
    message = lockout_message()
    if request.path.startswith(API_PREFIX):
        response: HttpResponse = JsonResponse({"detail": message, "field": None}, status=429)
    else:
        response = render(
            request, "registration/locked_out.html", {"message": message}, status=429
        )
    response["Retry-After"] = str(cool_off_minutes() * 60)
    return response


class LockoutBackend(AxesStandaloneBackend):
    """axes' check, first in ``AUTHENTICATION_BACKENDS``: refuses a locked account or address.

    Every door passes the request to ``authenticate``; a call without one is the server's own
    (a management command, a test's ``Client.login``), which no one outside can reach, so it is
    let through to the next backend instead of failing as axes would.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


# --- doors that do not call authenticate() ------------------------------------------------------


def is_locked(request: HttpRequest, username: str) -> bool:
    """Whether ``username`` or the request's address is over the limit (the right password too)."""
    return not AxesProxyHandler.is_allowed(request, {"username": username})


def record_failure(request: HttpRequest, username: str, *, door: str) -> bool:
    """Count (and audit) one failed login; True when it put the account or address over."""
    user_login_failed.send(
        sender=door, credentials={"username": username}, request=request
    )
    return bool(getattr(request, "axes_locked_out", False))


# --- audit --------------------------------------------------------------------------------------


@receiver(user_locked_out, dispatch_uid="core_audit_lockout")
def _audit_lockout(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    # axes sends this on every refused attempt; the one that crossed the limit is the one that
    # was counted (axes_failures_since_start is set only when a failure was recorded).
    if request is None or getattr(request, "axes_failures_since_start", None) is None:
        return
    audit(
        actor=None,
        action=AuditEntry.Action.LOCKOUT,
        object_type="orgs.user",
        summary=(
            f"Khóa đăng nhập {cool_off_minutes()} phút sau {request.axes_failures_since_start}"
            f" lần sai: tên {str(username or '')[:150]}, địa chỉ {ip_address}"
        ),
        data={
            "username": str(username or "")[:150],
            "address": ip_address,
            "path": getattr(request, "path", ""),
        },
    )


# --- the office's page --------------------------------------------------------------------------


@dataclass(frozen=True)
class Lockout:
    kind: str  # "username" or "ip_address"
    value: str
    failures: int
    last_failure: dt.datetime
    until: dt.datetime

    @property
    def kind_label(self) -> str:
        return "Tài khoản" if self.kind == "username" else "Địa chỉ máy"


def current_lockouts(now: dt.datetime | None = None) -> list[Lockout]:
    """Accounts and addresses over the limit now, newest first."""
    now = now or timezone.now()
    cool_off = get_cool_off() or dt.timedelta(days=36500)
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - cool_off)
    limit = get_failure_limit(None, None)
    found: list[Lockout] = []
    for kind in ("username", "ip_address"):
        rows = (
            recent.exclude(**{f"{kind}__isnull": True})
            .values(kind)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=limit)
        )
        found += [
            Lockout(kind, row[kind], row["failures"], row["last"], row["last"] + cool_off)
            for row in rows
            if row[kind]
        ]
    return sorted(found, key=lambda lockout: lockout.last_failure, reverse=True)


def unlock(*, actor: Any, kind: str, value: str) -> int:
    """Lift a lockout (forget the failures of an account or an address); audited."""
    if kind not in ("username", "ip_address") or not value:
        return 0
    with transaction.atomic():
        count = AxesProxyHandler.reset_attempts(**{kind: value})
        label = "tài khoản" if kind == "username" else "địa chỉ"
        audit(
            actor=actor,
            action=AuditEntry.Action.UNLOCK,
            object_type="orgs.user",
            summary=f"Mở khóa đăng nhập cho {label} {value[:150]}",
            data={kind: value[:150], "attempts": count},
        )
    return count
