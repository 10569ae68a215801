"""Residents' personal data (Law 91/2025/QH15, Decree 356/2025/NĐ-CP; issue 10, docs/PRIVACY.md).

* **Retention.** :func:`erase_expired_contacts` erases the contact details
  ``LONGDAN_CONTACT_RETENTION_DAYS`` after the resident was answered (the answer e-mailed to them,
  or an answer published for their opinion or its issue), and at the latest
  ``LONGDAN_CONTACT_MAX_DAYS`` after they wrote. The scheduler runs it (``intake.tasks``).
* **Requests.** A resident with a tracking code asks for their contact details to be erased
  (:func:`request_erasure`); the office completes the request (:func:`complete_erasure_request`).

Erasing blanks the four encrypted fields and keeps the row with ``erased_at`` and the reason, so
the resident's tracking page can say what happened. The audit entry names the items and counts the
rows; it never holds the data.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.dates import local_today
from core.errors import ServiceError
from core.models import AuditEntry
from core.services import audit, notify, require_office
from intake.models import ErasureRequest, OpinionItem, ResidentContact
from intake.selectors import CONTACT_TYPE, clean_tracking_code
from orgs.models import User

BLANK = {"name": "", "phone": "", "email": "", "address": ""}


def _erase(contact_ids: list[int], *, reason: str, now: dt.datetime) -> int:
    return ResidentContact.objects.filter(pk__in=contact_ids, erased_at__isnull=True).update(
        **BLANK, erased_at=now, erasure=reason
    )


def expired_contact_ids(now: dt.datetime | None = None) -> list[int]:
    """The contacts whose retention has ended: answered more than the set days ago, or older
    than the longest keep."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.LONGDAN_CONTACT_RETENTION_DAYS)
    ended = (
        Q(notified_at__lte=cutoff)
        | Q(item__answers__published_at__lte=cutoff)
        | Q(item__issue__answers__published_at__lte=cutoff)
        | Q(item__issue__merged_into__answers__published_at__lte=cutoff)
    )
    if settings.LONGDAN_CONTACT_MAX_DAYS:
        oldest = local_today() - dt.timedelta(days=settings.LONGDAN_CONTACT_MAX_DAYS)
        ended |= Q(item__received_on__lte=oldest)
    return sorted(set(
        ResidentContact.objects.filter(erased_at__isnull=True).filter(ended)
        .values_list("pk", flat=True)
    ))


def erase_expired_contacts(*, now: dt.datetime | None = None) -> int:
    """Erase every contact whose retention has ended; one audit entry (no data). Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = expired_contact_ids(now)
        if not ids:
            return 0
        items = list(
            ResidentContact.objects.filter(pk__in=ids).order_by("item_id")
            .values_list("item_id", flat=True)
        )
        erased = _erase(ids, reason=ResidentContact.Erasure.RETENTION, now=now)
        audit(
            actor=None,
            action=AuditEntry.Action.ERASE_PERSONAL,
            object_type=CONTACT_TYPE,
            summary=f"Xóa thông tin liên hệ của {erased} người dân: hết thời hạn lưu"
            f" ({settings.LONGDAN_CONTACT_RETENTION_DAYS} ngày sau khi trả lời)",
            data={"rows": erased, "items": items[:1000], "reason": "retention",
                  "days": settings.LONGDAN_CONTACT_RETENTION_DAYS,
                  "max_days": settings.LONGDAN_CONTACT_MAX_DAYS},
        )
    return erased


def _item_for_code(code: str) -> OpinionItem:
    code = clean_tracking_code(code)
    item = OpinionItem.objects.filter(tracking_code=code).first() if code else None
    if item is None:
        raise ServiceError("Không tìm thấy ý kiến có mã tra cứu này.", field="ma")
    return item


def request_erasure(*, code: str) -> ErasureRequest:
    """A resident asks, with their tracking code, for their contact details to be erased.

    Refused when nothing is kept; a second request while one is open returns the open one. The
    office is told in the app."""
    item = _item_for_code(code)
    with transaction.atomic():
        contact = (
            ResidentContact.objects.select_for_update().filter(item=item, erased_at__isnull=True)
            .first()
        )
        if contact is None:
            raise ServiceError(
                "Không có thông tin liên hệ nào của bạn đang được lưu cho ý kiến này.", field="ma"
            )
        existing = ErasureRequest.objects.filter(item=item, state=ErasureRequest.State.OPEN).first()
        if existing is not None:
            return existing
        request = ErasureRequest.objects.create(item=item)
        audit(
            actor=None,
            action=AuditEntry.Action.CREATE,
            obj=request,
            summary=f"Người dân yêu cầu xóa thông tin liên hệ của ý kiến #{item.pk}",
            data={"item": item.pk},
        )
        office = User.objects.filter(role=User.Role.OFFICE, is_active=True)
        notify(
            office,
            text=f"Người dân yêu cầu xóa thông tin liên hệ (ý kiến #{item.pk}).",
            url=reverse("erasure_requests"),
        )
    return request


def complete_erasure_request(*, user: User, request_id: int) -> ErasureRequest:
    """The office erases the contact details a resident asked to erase (the office only)."""
    require_office(user, "xử lý yêu cầu xóa thông tin cá nhân")
    with transaction.atomic():
        request = (
            ErasureRequest.objects.select_for_update().filter(pk=request_id)
            .select_related("item").first()
        )
        if request is None:
            raise ServiceError("Không tìm thấy yêu cầu.", field="request")
        if request.state == ErasureRequest.State.DONE:
            raise ServiceError("Yêu cầu này đã được xử lý.", field="request")
        now = timezone.now()
        ids = list(
            ResidentContact.objects.filter(item=request.item).values_list("pk", flat=True)
        )
        erased = _erase(ids, reason=ResidentContact.Erasure.REQUEST, now=now)
        request.state = ErasureRequest.State.DONE
        request.completed_at = now
        request.completed_by = user
        request.save(update_fields=["state", "completed_at", "completed_by"])
        audit(
            actor=user,
            action=AuditEntry.Action.ERASE_PERSONAL,
            obj=request,
            unit=getattr(user, "unit", None),
            summary=f"Xóa thông tin liên hệ của ý kiến #{request.item_id} theo yêu cầu của"
            " người dân",
            data={"rows": erased, "items": [request.item_id], "reason": "request"},
        )
    return request
