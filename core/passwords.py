"""Password rules (settings.AUTH_PASSWORD_VALIDATORS) that speak Vietnamese.

Django's Vietnamese catalogue translates its validators' messages but one: the minimum length's
error (its wording changed in Django 5 and the translation lags), which is given here.
"""

from __future__ import annotations

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return "Mật khẩu này quá ngắn: phải có ít nhất %(min_length)d ký tự."

    def get_help_text(self) -> str:
        return f"Mật khẩu của bạn phải chứa ít nhất {self.min_length} ký tự."
