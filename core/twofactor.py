"""Two-factor sign-in (issue 10): a time-based code (TOTP) from a phone app, and recovery codes.

Devices are django-otp's: one confirmed ``TOTPDevice`` (the authenticator app) and one
``StaticDevice`` holding ten single-use recovery codes per person. django-otp checks the codes,
refuses a code already used (``last_t``) and slows repeated wrong codes (its throttling); every
wrong code also counts toward the login lockout (core.lockout, per account and address), so a
stolen password does not buy unlimited guesses at the code.

Who needs it: ``settings.LONGDAN_2FA_ROLES`` (env ``LONGDAN_2FA_ROLES``, default the office and
the leaders) must turn it on at their first sign-in; anyone else may turn it on at
``/xac-thuc-hai-buoc/`` and is then asked for a code too. :class:`SecondFactorMiddleware` holds
a signed-in session on the code page (or, for a required role without an app yet, on the set-up
page) until :data:`SESSION_KEY` is set; the API answers 403 meanwhile. The API token endpoint
(core.api.TokenView) asks the same people for ``otp`` beside the password.

Audited: turning it on (``otp_enrol``), off (``otp_disable``), new recovery codes
(``otp_codes``), and every recovery code used (``otp_recovery``, with how many are left, at
sign-in or to confirm a change of these settings).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import lockout
from core.models import AuditEntry
from core.services import audit

SESSION_KEY = "longdan_second_factor"  # set once this session has passed the second step
# ...or found it had none to pass (an optional role without an app): saves a query per request.
# An app set up in another session asks for codes from the next sign-in on.
OPTIONAL = "optional"
RECOVERY_CODES = 10
APP_DEVICE_NAME = "Ứng dụng xác thực"
SIGN_IN_DOORS = ("otp", "api-otp")  # verify()'s doors that are a sign-in (the rest confirm)
RECOVERY_DEVICE_NAME = "Mã dự phòng"


def required(user: Any) -> bool:
    """Whether this person's role must use two-factor sign-in (a superuser counts as the office)."""
    roles = settings.LONGDAN_2FA_ROLES
    return getattr(user, "role", None) in roles or (
        getattr(user, "is_superuser", False) and "office" in roles
    )


def app_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolled(user: Any) -> bool:
    return app_device(user) is not None


def enrolled_ids(users) -> set[int]:
    """Which of these people have two-factor sign-in on (one query)."""
    return set(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True)
    )


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_device(user: Any) -> TOTPDevice:
    """The app being set up (not confirmed yet): the same secret until confirmed or cancelled."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The QR code of the device's ``otpauth://`` address, as inline SVG made on the server."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=4, omitsize=True)


def secret_text(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app that cannot scan."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _clean(code: str) -> str:
    return "".join(str(code or "").split()).lower()


@dataclass(frozen=True)
class Check:
    ok: bool
    recovery: bool = False  # a recovery code was used (and is now spent)
    left: int = 0  # recovery codes left after it


def check_code(user: Any, code: str, device: TOTPDevice | None = None) -> Check:
    """Verify a code from the app or a recovery code (spent on use); no audit, no counting.
    ``device``: the person's app if the caller has it already (saves a query)."""
    code = _clean(code)
    if not code:
        return Check(False)
    device = device or app_device(user)
    if device is not None and code.isdigit() and device.verify_token(code):
        return Check(True)
    for static in StaticDevice.objects.filter(user=user, confirmed=True):
        if static.verify_token(code):
            return Check(True, recovery=True, left=recovery_codes_left(user))
    return Check(False)


def verify(
    *, request: HttpRequest, user: Any, code: str, door: str, device: TOTPDevice | None = None
) -> Check:
    """Check a second-step code (at sign-in, or to confirm a change of these settings); a wrong
    one counts toward the lockout (core.lockout), a recovery code used is audited."""
    result = check_code(user, code, device)
    if not result.ok:
        lockout.record_failure(request, user.get_username(), door=door)
        return result
    if result.recovery:
        audit(
            actor=user,
            action=AuditEntry.Action.OTP_RECOVERY,
            obj=user,
            unit=getattr(user, "unit", None),
            summary=(
                f"{user.username} đăng nhập bằng mã dự phòng (còn {result.left} mã)"
                if door in SIGN_IN_DOORS
                else f"{user.username} dùng mã dự phòng để xác nhận (còn {result.left} mã)"
            ),
            data={"left": result.left, "door": door},
        )
    return result


def new_recovery_codes(user: Any) -> list[str]:
    """Replace the person's recovery codes with ten new ones (returned once, never shown again)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def enrol(*, user: Any, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app being set up with a code it shows; the new recovery codes, or None."""
    if device.user_id != user.pk or device.confirmed or not _clean(code).isdigit():
        return None
    if not device.verify_token(_clean(code)):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(user)
        audit(
            actor=user,
            action=AuditEntry.Action.OTP_ENROL,
            obj=user,
            unit=getattr(user, "unit", None),
            summary=f"{user.username} bật xác thực hai bước",
        )
    return codes


def regenerate(*, user: Any) -> list[str]:
    with transaction.atomic():
        codes = new_recovery_codes(user)
        audit(
            actor=user,
            action=AuditEntry.Action.OTP_CODES,
            obj=user,
            unit=getattr(user, "unit", None),
            summary=f"{user.username} tạo {RECOVERY_CODES} mã dự phòng mới"
            " (các mã cũ hết hiệu lực)",
        )
    return codes


def disable(*, user: Any, actor: Any) -> None:
    """Remove the person's app and recovery codes (themselves if allowed, or the office)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        by_office = actor.pk != user.pk
        audit(
            actor=actor,
            action=AuditEntry.Action.OTP_DISABLE,
            obj=user,
            unit=getattr(user, "unit", None),
            summary=(
                f"Đặt lại xác thực hai bước của {user.username} (mất điện thoại)"
                if by_office
                else f"{user.username} tắt xác thực hai bước"
            ),
        )


def mark_passed(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = True


def passed(request: HttpRequest) -> bool:
    value = request.session.get(SESSION_KEY)
    if value == OPTIONAL:  # checked once: not required, no app; until the role changes
        return not required(request.user)
    return bool(value)


def safe_next(request: HttpRequest, fallback: str = "home") -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse(fallback)


@functools.cache
def _open_paths(names: tuple[str, ...]) -> frozenset[str]:
    """The paths of these URL names, resolved once (on the first request, when the URLconf is
    loaded) rather than on every request."""
    return frozenset(reverse(name) for name in names)


class SecondFactorMiddleware:
    """A signed-in session that has not passed the second step reaches only the code page, the
    set-up page (a required role without an app yet) and the logout."""

    OPEN = ("otp_verify", "otp_setup", "logout")
    # Static files never get here: WhiteNoise, earlier in settings.MIDDLEWARE, answers them.

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or passed(request):
            return self.get_response(request)
        if request.path in _open_paths(self.OPEN):
            return self.get_response(request)
        has_app = enrolled(user)
        if not has_app and not required(user):
            request.session[SESSION_KEY] = OPTIONAL  # optional for this role, and not turned on
            return self.get_response(request)
        message = (
            "Hãy nhập mã xác thực hai bước trước khi tiếp tục."
            if has_app
            else "Vai trò của bạn phải bật xác thực hai bước trước khi tiếp tục."
        )
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "field": None}, status=403)
        target = reverse("otp_verify" if has_app else "otp_setup")
        if request.method == "GET":
            from urllib.parse import urlencode

            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return redirect(target)
