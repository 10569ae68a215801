"""Confirming or correcting an item's topics and attitude (confirmed labels train the models)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from core.errors import ConflictError, ServiceError
from core.models import Attitude, AuditEntry
from core.services import audit
from intake.models import OpinionItem
from intake.services.common import _choice, _topics
from orgs.models import User
from orgs.selectors import visible_unit_ids


def can_edit_labels(user: User, item: OpinionItem) -> bool:
    if user.is_office:
        return True
    if user.role not in (User.Role.REPORTER, User.Role.COLLABORATOR):
        return False
    ids = visible_unit_ids(user)
    return item.created_by_id == user.pk or (ids is not None and item.unit_id in ids)


def confirm_labels(
    *,
    user: User,
    item: OpinionItem,
    topic_ids: Sequence[int],
    attitude: str,
    expected_version: int | None,
) -> OpinionItem:
    """Confirm or correct an item's topics and attitude. Confirmed labels train the models."""
    if not can_edit_labels(user, item):
        raise ServiceError("Bạn không có quyền sửa nhãn của ý kiến này.")
    attitude = _choice(attitude, Attitude, "attitude", "thái độ")
    topics = _topics(topic_ids)
    if not topics and not attitude:
        raise ServiceError("Hãy chọn ít nhất một chủ đề hoặc thái độ.", field="topics")
    with transaction.atomic():
        current = OpinionItem.objects.select_for_update().get(pk=item.pk)
        if expected_version is not None and current.version != expected_version:
            raise ConflictError(
                "Ý kiến này vừa được người khác sửa; hãy tải lại trang để xem nhãn mới nhất.",
                field="version",
            )
        before = {
            "topics": sorted(current.topics.values_list("pk", flat=True)),
            "attitude": current.attitude,
        }
        current.attitude = attitude
        current.labels_confirmed = True
        current.version += 1
        current.save(update_fields=["attitude", "labels_confirmed", "version"])
        current.topics.set(topics)
        audit(
            actor=user,
            action=AuditEntry.Action.UPDATE,
            obj=current,
            unit=current.unit,
            summary=f"Xác nhận nhãn của ý kiến #{current.pk}",
            data={
                "before": before,
                "after": {"topics": sorted(t.pk for t in topics), "attitude": attitude},
                "suggested_topic": current.suggested_topic_id,
                "suggested_attitude": current.suggested_attitude,
            },
        )
    return current
