"""Writes of the office's report-template page, and the reader's notification state.

``update_template`` runs in one transaction with an audit entry and refuses a stale version, so two
people editing the template at once get a conflict message instead of a silent overwrite.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from django.db import transaction

from core.errors import ConflictError, ServiceError
from core.models import AuditEntry
from core.services import audit, require_office
from core.text import nfc
from orgs.models import OrgUnit, User
from reporting import cache  # noqa: F401  (its signal receivers retire kept compliance)
from reporting.models import ReportTemplate

SECTION_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_SECTIONS = 20


def _clean_sections(sections: Sequence[dict]) -> list[dict]:
    if not sections:
        raise ServiceError("Mẫu báo cáo cần ít nhất một phần tường thuật.", field="sections")
    if len(sections) > MAX_SECTIONS:
        raise ServiceError(f"Mẫu báo cáo có tối đa {MAX_SECTIONS} phần.", field="sections")
    cleaned, seen = [], set()
    for line, section in enumerate(sections, start=1):
        key = str(section.get("key", "")).strip()
        title = nfc(str(section.get("title", ""))).strip()
        if not SECTION_KEY.match(key):
            raise ServiceError(
                f"Dòng {line}: mã phần '{key}' chỉ gồm chữ thường không dấu, số và dấu gạch dưới,"
                " bắt đầu bằng chữ.",
                field="sections",
            )
        if key in seen:
            raise ServiceError(f"Dòng {line}: mã phần '{key}' bị trùng.", field="sections")
        if not title or len(title) > 200:
            raise ServiceError(
                f"Dòng {line}: tên phần phải có từ 1 đến 200 ký tự.", field="sections"
            )
        seen.add(key)
        cleaned.append({"key": key, "title": title})
    return cleaned


def _check_fields(
    name: str, deadline_day: int, remind_days_before: int, deadline_inclusive: bool
) -> str:
    name = nfc(name or "").strip()
    if not name or len(name) > 200:
        raise ServiceError("Tên mẫu phải có từ 1 đến 200 ký tự.", field="name")
    if not 1 <= deadline_day <= 31:
        raise ServiceError(
            "Hạn nộp phải là một ngày trong tháng, từ 1 đến 31.", field="deadline_day"
        )
    if deadline_day == 1 and not deadline_inclusive:
        raise ServiceError(
            "Hạn nộp: “trước ngày 1” không thuộc tháng báo cáo; chọn “đến hết ngày 1” hoặc"
            " một ngày khác.",
            field="deadline_day",
        )
    if not 0 <= remind_days_before <= 31:
        raise ServiceError(
            "Số ngày nhắc trước hạn phải từ 0 đến 31.", field="remind_days_before"
        )
    return name


def update_template(
    *,
    user: User,
    template: ReportTemplate,
    name: str,
    deadline_day: int,
    remind_days_before: int,
    sections: Sequence[dict],
    unit_ids: Iterable[int],
    expected_version: int,
    effective_from: dt.date | None = None,
    deadline_inclusive: bool | None = None,
) -> ReportTemplate:
    """Change a template; refuses a stale ``expected_version`` (ConflictError), nothing half-saved.

    Reports already written keep the text of a section that was removed or renamed; the new
    section list applies to what units edit from now on. ``deadline_inclusive`` None keeps the
    template's rule (whether a report of the deadline day itself is on time).
    """
    require_office(user, "sửa mẫu báo cáo", field="template")
    if deadline_inclusive is None:
        deadline_inclusive = template.deadline_inclusive
    name = _check_fields(name, deadline_day, remind_days_before, deadline_inclusive)
    clean_sections = _clean_sections(sections)
    wanted = set(unit_ids)
    known = set(OrgUnit.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - known:
        raise ServiceError("Có đơn vị không tồn tại trong danh sách đã chọn.", field="units")
    with transaction.atomic():
        current = ReportTemplate.objects.select_for_update().get(pk=template.pk)
        if current.version != expected_version:
            raise ConflictError(
                f"Mẫu báo cáo đã được người khác sửa (phiên bản {current.version}) sau khi bạn mở"
                f" (phiên bản {expected_version}). Hãy tải lại trang rồi sửa lại.",
                field="version",
            )
        before_units = set(current.units.values_list("pk", flat=True))
        current.name = name
        current.deadline_day = deadline_day
        current.deadline_inclusive = deadline_inclusive
        current.remind_days_before = remind_days_before
        current.effective_from = effective_from
        current.sections = clean_sections
        current.version += 1
        current.save()
        current.units.set(known)
        audit(
            actor=user, action=AuditEntry.Action.UPDATE, obj=current,
            summary=f"Sửa mẫu báo cáo '{name}' (phiên bản {current.version})",
            data={
                "deadline_day": deadline_day,
                "deadline_inclusive": deadline_inclusive,
                "remind_days_before": remind_days_before,
                "effective_from": effective_from.isoformat() if effective_from else None,
                "sections": [s["key"] for s in clean_sections],
                "units_added": sorted(known - before_units),
                "units_removed": sorted(before_units - known),
            },
        )
    return current


def create_template(
    *,
    user: User,
    name: str,
    deadline_day: int,
    remind_days_before: int,
    sections: Sequence[dict],
    unit_ids: Iterable[int],
    deadline_inclusive: bool = False,
    effective_from: dt.date | None = None,
    period_kind: str = "month",
) -> ReportTemplate:
    """A new report template (issue 15: a template for each kind of reporter), version 1."""
    require_office(user, "tạo mẫu báo cáo", field="template")
    name = _check_fields(name, deadline_day, remind_days_before, deadline_inclusive)
    if period_kind not in ("month", "half", "year"):
        raise ServiceError("Loại kỳ không hợp lệ.", field="period_kind")
    if ReportTemplate.objects.filter(name=name).exists():
        raise ServiceError(f"Đã có mẫu báo cáo tên “{name}”; hãy đặt tên khác.", field="name")
    clean_sections = _clean_sections(sections)
    wanted = set(unit_ids)
    known = set(OrgUnit.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - known:
        raise ServiceError("Có đơn vị không tồn tại trong danh sách đã chọn.", field="units")
    with transaction.atomic():
        template = ReportTemplate.objects.create(
            name=name, period_kind=period_kind, deadline_day=deadline_day,
            deadline_inclusive=deadline_inclusive, remind_days_before=remind_days_before,
            effective_from=effective_from, sections=clean_sections,
        )
        template.units.set(known)
        audit(
            actor=user, action=AuditEntry.Action.CREATE, obj=template,
            summary=f"Tạo mẫu báo cáo '{name}'",
            data={"sections": [s["key"] for s in clean_sections], "units": sorted(known),
                  "deadline_day": deadline_day},
        )
    return template
