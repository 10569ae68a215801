"""How long a web sign-in lasts (OWASP ASVS 4.0.3 requirement 3.3.2, level 2; issue 10).

Level 2 asks for re-authentication after 12 hours of use or 30 minutes of inactivity. Both limits
are set in the "Sign-in rules" block of ``longdan/settings.py``:

- ``LONGDAN_SESSION_IDLE_MINUTES`` (30): a session not used for that long ends;
- ``LONGDAN_SESSION_MAX_HOURS`` (12): a session ends that long after the sign-in, however busy.

The session records when it started and when it was last used (``user_logged_in`` stamps both);
:class:`SessionLifetimeMiddleware` ends it on the first request past either limit and leaves a
Vietnamese message for the login page saying why. Django's own expiry (``SESSION_COOKIE_AGE``, set
to the longer of the two) only clears the rows; the middleware is what enforces the limits, so the
reader is told what happened.

Typed text is not lost when a session ends under a form: a form **post** that ends on the login
page keeps its fields (encrypted with the data key, never a password, a code or the CSRF token)
in the new anonymous session; after signing in again, the same page is opened, ``static/js/
draft.js`` fills the fields back in and the page says so. A script's post (``Accept:
application/json`` or the report editor's ``X-Autosave``) gets a 401 JSON answer instead of the
login page, so the script can tell the reader rather than take the page for a success.
"""

from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import resolve_url

from core import datakey

STARTED, SEEN = "longdan_started", "longdan_seen"
DRAFT = "longdan_draft"
# Fields never kept: credentials, one-time codes, the CSRF token.
_SECRET_WORDS = ("password", "csrf", "otp", "token", "code", "mat_khau")
_DRAFT_MAX_CHARS = 200_000

MAX_MESSAGE = (
    "Phiên đăng nhập đã kết thúc vì đã quá {hours} giờ kể từ lúc đăng nhập (quy định an toàn:"
    " phải đăng nhập lại sau mỗi {hours} giờ). Xin đăng nhập lại."
)
IDLE_MESSAGE = (
    "Phiên đăng nhập đã kết thúc vì không thao tác quá {minutes} phút. Xin đăng nhập lại."
)
DRAFT_KEPT = (
    " Nội dung đang gõ trong biểu mẫu chưa được lưu; hệ thống đã giữ lại và sẽ điền lại sau khi"
    " đăng nhập — hãy kiểm tra rồi gửi lại."
)
DRAFT_RESTORED = (
    "Đã điền lại nội dung bạn gõ trước khi phiên đăng nhập kết thúc. Hãy kiểm tra rồi bấm gửi lại"
    " (tệp đính kèm, nếu có, phải chọn lại)."
)
JSON_EXPIRED = (
    "Phiên đăng nhập đã kết thúc: hãy đăng nhập lại ở thẻ khác rồi thử lại (nội dung trên trang"
    " này vẫn còn)."
)


SEEN_RESOLUTION_SECONDS = 60


def idle_seconds() -> int:
    return int(settings.LONGDAN_SESSION_IDLE_MINUTES) * 60


def max_seconds() -> int:
    return int(settings.LONGDAN_SESSION_MAX_HOURS) * 3600


@receiver(user_logged_in, dispatch_uid="longdan_session_started")
def _stamp_start(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[STARTED] = now
    request.session[SEEN] = now


def _wants_json(request: HttpRequest) -> bool:
    return (
        request.headers.get("X-Autosave") == "1"
        or "application/json" in request.headers.get("Accept", "")
        or request.path.startswith("/api/")
    )


def _is_login_redirect(response: HttpResponse) -> bool:
    if response.status_code != 302:
        return False
    return urlsplit(response.get("Location", "")).path == resolve_url(settings.LOGIN_URL)


def _keep_draft(request: HttpRequest) -> bool:
    fields: list[list[str]] = []
    size = 0
    for name, values in request.POST.lists():
        lowered = name.lower()
        if any(word in lowered for word in _SECRET_WORDS):
            continue
        for value in values:
            size += len(name) + len(value)
            fields.append([name, value])
    if not fields or size > _DRAFT_MAX_CHARS:
        return False
    try:
        sealed = datakey.encrypt(json.dumps({"path": request.path, "fields": fields}))
    except datakey.DataKeyError:
        return False
    request.session[DRAFT] = sealed
    return True


def take_draft(request: HttpRequest) -> list[list[str]] | None:
    """The fields kept for this page, once (they leave the session when read)."""
    session = getattr(request, "session", None)
    if session is None or DRAFT not in session:
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    try:
        kept = json.loads(datakey.decrypt(session[DRAFT]))
    except (datakey.DataKeyError, ValueError):
        del session[DRAFT]
        return None
    if kept.get("path") != request.path:
        return None
    del session[DRAFT]
    return kept.get("fields") or None


def kept_draft(request: HttpRequest) -> dict:
    """Context processor: the draft to fill back in, and the session's end for the warning."""
    fields = take_draft(request) if request.method == "GET" else None
    context: dict = {}
    if fields:
        context["kept_draft"] = fields
        messages.info(request, DRAFT_RESTORED)
    session = getattr(request, "session", None)
    if session is not None and STARTED in session:
        context["session_ends_at"] = int(session[STARTED]) + max_seconds()
        context["session_idle_seconds"] = idle_seconds()
    return context


class SessionLifetimeMiddleware:
    """Ends a signed-in session past the idle or the absolute limit (after AuthenticationMiddleware,
    before the views)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ended = self._check(request)
        if ended and request.method == "POST" and _wants_json(request):
            return JsonResponse({"ok": False, "error": JSON_EXPIRED, "detail": JSON_EXPIRED},
                                status=401)
        response = self.get_response(request)
        if (
            request.method == "POST"
            and not request.user.is_authenticated
            and _is_login_redirect(response)
        ):
            if _wants_json(request):
                return JsonResponse({"ok": False, "error": JSON_EXPIRED, "detail": JSON_EXPIRED},
                                    status=401)
            if _keep_draft(request) and ended:
                messages.warning(request, DRAFT_KEPT.strip())
        return response

    def _check(self, request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        session = request.session
        now = int(time.time())
        started = session.get(STARTED)
        if started is None:  # a session from before these limits: they count from now
            session[STARTED] = session[SEEN] = now
            return False
        seen = int(session.get(SEEN, started))
        if now - int(started) >= max_seconds():
            message = MAX_MESSAGE.format(hours=settings.LONGDAN_SESSION_MAX_HOURS)
        elif now - seen >= idle_seconds():
            message = IDLE_MESSAGE.format(minutes=settings.LONGDAN_SESSION_IDLE_MINUTES)
        else:
            # Written at most once a minute: a session saved on every page view is a database
            # write per request; the idle limit is then kept to within a minute.
            if now - seen >= SEEN_RESOLUTION_SECONDS:
                session[SEEN] = now
            return False
        logout(request)  # flushes the session, audits nothing: the user did not act
        messages.warning(request, message)
        return True
