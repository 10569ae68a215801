"""The consolidated report's section "Ý kiến chỉ đạo của Ban Thường vụ": one line per direction
given or due in the period, with the units, the due date and where it stands. Registered with
``reporting.extensions`` in ``PictureConfig.ready()`` (reporting may not import picture)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core.dates import local_today
from picture.direction_selectors import S, directions_for_period, is_overdue
from picture.models import Direction

SECTION_KEY = "y_kien_chi_dao"
SECTION_TITLE = "Ý kiến chỉ đạo của Ban Thường vụ"


def direction_lines(start: dt.date, end: dt.date, unit_ids: set[int] | None = None) -> list[str]:
    today = local_today()
    return [
        _line(direction, today)
        for direction in directions_for_period(start, end, unit_ids)
        if direction.kind == Direction.Kind.DIRECTION
    ]


def _line(direction: Direction, today: dt.date) -> str:
    parts = list(direction.assignments.all())
    units = ", ".join(p.unit.name for p in parts) or "—"
    done = sum(1 for p in parts if p.status == S.DONE)
    standing = direction.get_status_display()
    if direction.status not in (S.DONE, S.CANCELLED):
        standing += f", {done}/{len(parts)} đơn vị đã hoàn thành"
    if is_overdue(direction, today):
        standing += f", quá hạn {(today - direction.due_on).days} ngày"
    about = f" (về {direction.issue.code})" if direction.issue_id else ""
    given = timezone.localtime(direction.created_at).date()
    return (
        f"- {direction.code}, ngày {given:%d/%m/%Y}{about}: {direction.text.strip()} "
        f"Đơn vị thực hiện: {units}; hạn {direction.due_on:%d/%m/%Y}. Tình hình: {standing}."
    )
