"""Writes shared by every app: the audit log, in-app notifications, the office-only guard."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.errors import ServiceError
from core.models import AuditEntry, Notification

OFFICE = "Ban Xây dựng Đảng"


def audit(
    *,
    actor: Any,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    unit: Any = None,
    summary: str,
    data: dict | None = None,
) -> AuditEntry:
    """Append one audit entry; call inside the service's transaction so both land or neither."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        unit=unit,
        summary=summary[:500],
        data=data or {},
    )


def notify(users: Iterable[Any], *, text: str, url: str = "") -> list[Notification]:
    """One in-app notification per user (text cut to 500 characters); call inside the writer's
    transaction so the notice lands with the change it announces, or not at all."""
    text = text[:500]
    return Notification.objects.bulk_create(
        [Notification(user=user, text=text, url=url[:300]) for user in users]
    )


def mark_notifications_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all of them when ``ids`` is None); returns count.

    Not audited: it is the reader's own inbox state, not a change to the ward's records.
    """
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    with transaction.atomic():
        return unread.update(read_at=timezone.now())


def require_office(
    user: Any, what: str, *, message: str = "", field: str | None = "user"
) -> None:
    """Refuse a write the office alone may make: "Chỉ Ban Xây dựng Đảng được <what>."

    ``message`` replaces the whole sentence when a service words its refusal differently."""
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_office", False)):
        raise ServiceError(message or f"Chỉ {OFFICE} được {what}.", field=field)
