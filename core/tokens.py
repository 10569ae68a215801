"""API access tokens (issue 18, finding 2): hashed at rest, expiring, one per device, revocable.

- ``POST /api/v1/token/`` issues a NEW token every time (``issue``): a random secret shown once,
  of which only the SHA-256 and the first characters are stored. It expires after
  ``LONGDAN_API_TOKEN_DAYS`` days (30 by default).
- The owner sees their tokens at ``/ma-truy-cap/`` and revokes any of them ("Thu hồi").
- ``DELETE /api/v1/token/`` is the API client's logout: it revokes the token it was sent with.
- Logging out of the web revokes every API token of the person only when they ask for it (the
  "Đăng xuất khỏi mọi thiết bị" button of the tokens page): the web session and a phone's token
  are different devices, and logging out of the office computer should not log the phone out.
- Changing one's password, and the office's reset of it, revoke every token of the person.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.utils import timezone

from core.models import ApiToken, AuditEntry
from core.services import audit

PREFIX_LENGTH = 8
DEFAULT_DAYS = 30


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def lifetime() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "LONGDAN_API_TOKEN_DAYS", DEFAULT_DAYS))


def issue(user, name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and its secret (the only time the secret exists)."""
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        key_hash=hash_secret(secret),
        prefix=secret[:PREFIX_LENGTH],
        expires_at=timezone.now() + lifetime(),
    )
    return token, secret


def find(secret: str) -> ApiToken | None:
    """The token with this secret (live, expired or revoked), or None if there is none."""
    if not secret:
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=hash_secret(secret)).first()


def is_live(token: ApiToken) -> bool:
    return token.revoked_at is None and token.expires_at > timezone.now()


def live_tokens(user):
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def revoke(token: ApiToken, *, actor, reason: str) -> None:
    """Revoke one token (idempotent), with an audit entry."""
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit(
        actor=actor,
        action=AuditEntry.Action.TOKEN_REVOKE,
        obj=token,
        unit=getattr(token.user, "unit", None),
        summary=f"Thu hồi mã truy cập {token.prefix}… của {token.user.username} ({reason})",
    )


def revoke_all(user, *, actor, reason: str) -> int:
    """Revoke every live token of ``user``; one audit entry for them all."""
    count = live_tokens(user).update(revoked_at=timezone.now())
    if count:
        audit(
            actor=actor,
            action=AuditEntry.Action.TOKEN_REVOKE,
            obj=user,
            unit=getattr(user, "unit", None),
            summary=f"Thu hồi {count} mã truy cập của {user.username} ({reason})",
        )
    return count
