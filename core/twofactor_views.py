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


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a recovery code."""
    user = request.user
    if twofactor.passed(request) or not twofactor.enrolled(user):
        return redirect(twofactor.safe_next(request))
    error = ""
    if request.method == "POST":
        if lockout.is_locked(request, user.get_username()):
            logout(request)
            return lockout.lockout_response(request)
        result = twofactor.verify(
            request=request, user=user, code=request.POST.get("code", ""), door="otp"
        )
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return lockout.lockout_response(request)
        if result.ok:
            twofactor.mark_passed(request)
            if result.recovery:
                messages.warning(
                    request,
                    f"Bạn vừa dùng một mã dự phòng; còn {result.left} mã."
                    " Nếu mất điện thoại, hãy cài lại ứng dụng xác thực và tạo mã dự phòng mới.",
                )
            return redirect(twofactor.safe_next(request))
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
        if lockout.is_locked(request, user.get_username()):
            logout(request)
            return lockout.lockout_response(request)
        codes = twofactor.enrol(user=user, device=device, code=request.POST.get("code", ""))
        if codes is not None:
            twofactor.mark_passed(request)
            return render(
                request,
                "registration/otp_codes.html",
                {"codes": codes, "next": twofactor.safe_next(request), "fresh": True},
            )
        lockout.record_failure(request, user.get_username(), door="otp-setup")
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


@login_required
@require_POST
def otp_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working); needs a current code from the app."""
    user = request.user
    if not twofactor.enrolled(user):
        return redirect("otp_manage")
    if not twofactor.check_code(user, request.POST.get("code", "")).ok:
        lockout.record_failure(request, user.get_username(), door="otp-manage")
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
    if not twofactor.check_code(user, request.POST.get("code", "")).ok:
        lockout.record_failure(request, user.get_username(), door="otp-manage")
        messages.error(request, "Mã xác thực không đúng: xác thực hai bước vẫn bật.")
        return redirect("otp_manage")
    twofactor.disable(user=user, actor=user)
    messages.success(request, "Đã tắt xác thực hai bước.")
    return redirect("otp_manage")
