"""Reads shared by every app: the audit log (the office and the leadership only: anyone else
gets "not found", as for any record outside their scope) and the reader's own notifications.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from core.models import AuditEntry, Notification


def can_read_audit_log(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.sees_everything)


@dataclass(frozen=True)
class AuditFilter:
    """What the reader asked for; dates are local (Asia/Ho_Chi_Minh) calendar days, inclusive."""

    action: str = ""
    actor: str = ""
    object_type: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    # Only what touched personal data (issue 10): reads that showed residents' contact details,
    # their erasure, and exports marked ``personal`` (with contact details).
    personal: bool = False


PERSONAL_ACTIONS = (AuditEntry.Action.READ_PERSONAL, AuditEntry.Action.ERASE_PERSONAL)


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_entries_for(user, filters: AuditFilter | None = None) -> QuerySet[AuditEntry]:
    """The entries the reader may see, newest first, narrowed by ``filters``."""
    if not can_read_audit_log(user):
        raise Http404("Không tìm thấy trang.")
    filters = filters or AuditFilter()
    entries = AuditEntry.objects.select_related("actor", "unit").order_by("-at", "-id")
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.actor:
        entries = entries.filter(actor__username__icontains=filters.actor.strip())
    if filters.object_type:
        entries = entries.filter(object_type=filters.object_type)
    if filters.personal:
        entries = entries.filter(Q(action__in=PERSONAL_ACTIONS) | Q(data__personal=True))
    if filters.date_from:
        entries = entries.filter(at__gte=_local_midnight(filters.date_from))
    if filters.date_to:
        entries = entries.filter(at__lt=_local_midnight(filters.date_to + dt.timedelta(days=1)))
    return entries


def audit_object_types(user) -> list[str]:
    """The object types present in the log, for the filter's choices."""
    if not can_read_audit_log(user):
        raise Http404("Không tìm thấy trang.")
    return list(
        AuditEntry.objects.order_by("object_type").values_list("object_type", flat=True).distinct()
    )


def notifications_for(user) -> QuerySet[Notification]:
    """The reader's own notifications, newest first."""
    return Notification.objects.filter(user=user)


def unread_notifications(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True)
