"""The signed-in person's own account (issue 18, finding 2): password change and API tokens.

- ``/doi-mat-khau/``: Django's PasswordChangeView (with the settings' password validators, whose
  messages Django ships in Vietnamese), audited; it clears ``must_change_password`` and revokes
  the person's API tokens (core.tokens).
- ``MustChangePasswordMiddleware``: after the office sets a temporary password
  (orgs.views.user_password_reset), every page leads to the password change until it is done.
- ``/ma-truy-cap/``: the person's API tokens (device, first characters, dates), each revocable;
  "Đăng xuất khỏi mọi thiết bị" logs out of the web and revokes them all.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_POST

from core import tokens
from core.models import ApiToken, AuditEntry
from core.services import audit


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)  # saves, keeps this session signed in
            user = form.user
            forced = user.must_change_password
            if forced:
                user.must_change_password = False
                user.save(update_fields=["must_change_password"])
            audit(
                actor=user,
                action=AuditEntry.Action.PASSWORD_CHANGE,
                obj=user,
                unit=getattr(user, "unit", None),
                summary=f"{user.username} đổi mật khẩu" + (" (mật khẩu tạm)" if forced else ""),
            )
            tokens.revoke_all(user, actor=user, reason="đổi mật khẩu")
        messages.success(self.request, "Đã đổi mật khẩu. Các mã truy cập API cũ đã bị thu hồi.")
        return response


class MustChangePasswordMiddleware:
    """While ``must_change_password`` is set, only the password change and logout are open."""

    ALLOWED = ("password_change", "logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(
            user, "must_change_password", False
        ):
            allowed = {reverse(name) for name in self.ALLOWED}
            if request.path not in allowed and not request.path.startswith("/static/"):
                message = "Bạn đang dùng mật khẩu tạm: hãy đổi mật khẩu trước khi tiếp tục."
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": message, "field": None}, status=403)
                return redirect("password_change")
        return self.get_response(request)


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    rows = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id")[:200]
    return render(
        request,
        "core/api_tokens.html",
        {"rows": rows, "days": tokens.lifetime().days, "now": timezone.now()},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest) -> HttpResponse:
    if request.POST.get("all"):
        with transaction.atomic():
            count = tokens.revoke_all(
                request.user, actor=request.user, reason="đăng xuất mọi thiết bị"
            )
        logout(request)
        messages.success(request, f"Đã đăng xuất và thu hồi {count} mã truy cập API.")
        return redirect("login")
    try:
        token = ApiToken.objects.get(user=request.user, pk=int(request.POST.get("id", "")))
    except (ApiToken.DoesNotExist, ValueError) as exc:
        raise Http404("Không tìm thấy mã truy cập.") from exc
    with transaction.atomic():
        tokens.revoke(token, actor=request.user, reason="người dùng thu hồi")
    messages.success(request, f"Đã thu hồi mã truy cập {token.prefix}….")
    return redirect("api_tokens")
