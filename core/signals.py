"""Log every login and failed login in the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from core.models import AuditEntry
from core.services import audit


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    audit(
        actor=user,
        action=AuditEntry.Action.LOGIN,
        obj=user,
        unit=getattr(user, "unit", None),
        summary=f"{user.username} đăng nhập",
    )


@receiver(user_login_failed)
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit(
        actor=None,
        action=AuditEntry.Action.LOGIN_FAILED,
        object_type="orgs.user",
        summary=f"Đăng nhập thất bại với tên {username}",
    )
