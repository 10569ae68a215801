"""The pages of two-factor sign-in (core.twofactor): the code at sign-in, setting up the app, and
the person's own settings (recovery codes, turning it off where the role allows)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core import lockout, twofactor


def _refused(request: HttpRequest) -> HttpResponse | None:
    """Sign out and refuse (429) a session whose account or address is over the failure limit:
    before a code is tried, and after a wrong one that put it over (``axes_locked_out``)."""
    if getattr(request, "axes_locked_out", False) or lockout.is_locked(
        request, request.user.get_username()
    ):
        logout(request)
        return lockout.lockout_response(request)
    return None


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a recovery code."""
    user = request.user
    if twofactor.passed(request) or not twofactor.enrolled(user):
        return redirect(twofactor.safe_next(request))
    error = ""
    if request.method == "POST":
        if refused := _refused(request):
            return refused
        result = twofactor.verify(
            request=request, user=user, code=request.POST.get("code", ""), door="otp"
        )
        if result.ok:
            twofactor.mark_passed(request)
            if result.recovery:
                messages.warning(
                    request,
                    f"Bạn vừa dùng một mã dự phòng; còn {result.left} mã."
                    " Nếu mất điện thoại, hãy cài lại ứng dụng xác thực và tạo mã dự phòng mới.",
                )
            return redirect(twofactor.safe_next(request))
        if refused := _refused(request):
            return refused
        error = (
            "Mã không đúng hoặc đã dùng. Nhập mã 6 chữ số đang hiện trên ứng dụng xác thực,"
            " hoặc một mã dự phòng 8 ký tự (sau mỗi lần sai phải chờ lâu hơn một chút mới"
            " nhập lại được)."
        )
    return render(
        request,
        "registration/otp_verify.html",
        {"error": error, "next": request.POST.get("next") or request.GET.get("next", "")},
        status=400 if error else 200,
    )


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan the QR code (or type the key), confirm with a code."""
    user = request.user
    if twofactor.enrolled(user) and not twofactor.passed(request):
        return redirect("otp_verify")  # a second app only after this session passed the first
    device = twofactor.pending_device(user)
    error = ""
    if request.method == "POST":
        if refused := _refused(request):
            return refused
        codes = twofactor.enrol(user=user, device=device, code=request.POST.get("code", ""))
        if codes is not None:
            twofactor.mark_passed(request)
            return render(
                request,
                "registration/otp_codes.html",
                {"codes": codes, "next": twofactor.safe_next(request), "fresh": True},
            )
        lockout.record_failure(request, user.get_username(), door="otp-setup")
        if refused := _refused(request):
            return refused
        error = "Mã không đúng. Nhập mã 6 chữ số đang hiện trên ứng dụng cho tài khoản này."
    return render(
        request,
        "registration/otp_setup.html",
        {
            "qr_svg": twofactor.qr_svg(device),
            "secret": twofactor.secret_text(device),
            "error": error,
            "required": twofactor.required(user),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        status=400 if error else 200,
    )


@login_required
def otp_manage(request: HttpRequest) -> HttpResponse:
    """The person's own two-factor settings."""
    user = request.user
    return render(
        request,
        "registration/otp_manage.html",
        {
            "enrolled": twofactor.enrolled(user),
            "required": twofactor.required(user),
            "codes_left": twofactor.recovery_codes_left(user),
        },
    )


def _confirmed(request: HttpRequest, device) -> bool:
    """A change of the person's own settings, confirmed with a code (counted and audited as at
    sign-in: a wrong one toward the lockout, a recovery code used in the log)."""
    return twofactor.verify(
        request=request, user=request.user, code=request.POST.get("code", ""),
        door="otp-manage", device=device,
    ).ok


@login_required
@require_POST
def otp_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working); needs a current code from the app (or a
    recovery code)."""
    user = request.user
    device = twofactor.app_device(user)
    if device is None:
        return redirect("otp_manage")
    if refused := _refused(request):
        return refused
    if not _confirmed(request, device):
        if refused := _refused(request):
            return refused
        messages.error(request, "Mã xác thực không đúng: chưa tạo mã dự phòng mới.")
        return redirect("otp_manage")
    codes = twofactor.regenerate(user=user)
    return render(request, "registration/otp_codes.html", {"codes": codes, "fresh": False})


@login_required
@require_POST
def otp_disable(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in off: only for roles that do not require it, with a current code."""
    user = request.user
    if twofactor.required(user):
        messages.error(request, "Vai trò của bạn bắt buộc xác thực hai bước: không tắt được.")
        return redirect("otp_manage")
    if refused := _refused(request):
        return refused
    if not _confirmed(request, twofactor.app_device(user)):
        if refused := _refused(request):
            return refused
        messages.error(request, "Mã xác thực không đúng: xác thực hai bước vẫn bật.")
        return redirect("otp_manage")
    twofactor.disable(user=user, actor=user)
    messages.success(request, "Đã tắt xác thực hai bước.")
    return redirect("otp_manage")
