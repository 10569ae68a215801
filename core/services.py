"""Writes shared by every app: the audit log."""

from __future__ import annotations

from typing import Any

from core.models import AuditEntry


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
