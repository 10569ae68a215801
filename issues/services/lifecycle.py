"""An issue's lifecycle: who may move it to which status, and assigning it an owner unit."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse

from core.dates import local_today
from core.errors import ServiceError
from core.models import AuditEntry
from core.services import audit, notify, require_office
from issues.models import Issue, IssueEvent
from issues.services.common import STATUS_LABELS, S, _check_version, _event, _locked
from orgs.models import OrgUnit, User
from textengine.mask import mask_text

# Who may move an issue where. The ward's rhythm is forward (detected → watched → assigned →
# resolved → answered → closed); the backward steps are the real ones: an owner sent back to
# work, a resident not satisfied with the answer, a closed matter flaring up again.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.DETECTED: (S.WATCHING, S.ASSIGNED, S.CLOSED),
    S.WATCHING: (S.ASSIGNED, S.RESOLVED, S.CLOSED),
    S.ASSIGNED: (S.RESOLVED, S.WATCHING),
    S.RESOLVED: (S.ANSWERED, S.ASSIGNED),
    S.ANSWERED: (S.CLOSED, S.ASSIGNED),
    S.CLOSED: (S.WATCHING,),
}
# The one step the owner unit may take itself: reporting its work done.
OWNER_TRANSITIONS = {(S.ASSIGNED, S.RESOLVED)}


def allowed_next(issue: Issue, user: User | None = None) -> list[str]:
    """Statuses ``user`` may move the issue to now (all the table allows when no user)."""
    targets = list(TRANSITIONS.get(issue.status, ()))
    if user is None or user.is_office:
        return targets
    if _is_owner(user, issue):
        return [t for t in targets if (issue.status, t) in OWNER_TRANSITIONS]
    return []


def _is_owner(user: User, issue: Issue) -> bool:
    # The owner unit's reporter (its responsible person): its collaborators record opinions and
    # do not manage issues (issue 18, finding 4).
    return (user.role == User.Role.REPORTER and bool(user.unit_id)
            and user.unit_id == issue.owner_unit_id)


def change_status(
    *, user: User, issue: Issue, to_status: str, note: str = "", expected_version: int | None
) -> Issue:
    """Move ``issue`` along its lifecycle (see ``TRANSITIONS``); records an event and an audit.

    The office may take any allowed step; the owner unit's reporter may report its work done."""
    if to_status not in STATUS_LABELS:
        raise ServiceError(f"Trạng thái “{to_status}” không có.", field="status")
    with transaction.atomic():
        current = _locked(issue)
        _check_version(current, expected_version)
        if current.merged_into_id:
            raise ServiceError(
                f"Vấn đề {current.code} đã gộp vào vấn đề khác; hãy cập nhật vấn đề đó.",
                field="status",
            )
        if not (user.is_office or _is_owner(user, current)):
            raise ServiceError(
                "Chỉ Ban Xây dựng Đảng hoặc người phụ trách của đơn vị chịu trách nhiệm được đổi"
                " trạng thái.",
                field="status",
            )
        frm = current.status
        if to_status not in TRANSITIONS.get(frm, ()):
            allowed = ", ".join(f"“{STATUS_LABELS[s]}”" for s in TRANSITIONS.get(frm, ()))
            raise ServiceError(
                f"Trạng thái: không thể chuyển từ “{STATUS_LABELS[frm]}” sang "
                f"“{STATUS_LABELS[to_status]}”; chỉ chuyển được sang {allowed}.",
                field="status",
            )
        if not user.is_office and (frm, to_status) not in OWNER_TRANSITIONS:
            raise ServiceError(
                "Trạng thái: đơn vị chịu trách nhiệm chỉ báo được “Đã giải quyết”; "
                "bước khác do Ban Xây dựng Đảng thực hiện.",
                field="status",
            )
        if to_status == S.ASSIGNED and not current.owner_unit_id:
            raise ServiceError(
                "Đơn vị chịu trách nhiệm: hãy giao cho một đơn vị trước khi chuyển sang "
                "“Đã giao xử lý”.",
                field="owner_unit",
            )
        current.status = to_status
        current.version += 1
        current.save()
        note = (note or "").strip()
        _event(current, user, IssueEvent.Kind.STATUS, from_value=STATUS_LABELS[frm],
               to_value=STATUS_LABELS[to_status], note=note)
        audit(actor=user, action=AuditEntry.Action.UPDATE, obj=current, unit=user.unit,
              summary=f"{current.code}: {STATUS_LABELS[frm]} → {STATUS_LABELS[to_status]}",
              data={"from": frm, "to": to_status, "note": note[:300]})
    return current


def assign(
    *, user: User, issue: Issue, owner_unit: OrgUnit | None, due_on: dt.date | None,
    expected_version: int | None,
) -> Issue:
    """Give the issue an owner unit and a due date (office only).

    An issue still "detected" or "watched" becomes "assigned"; the owner unit's members are
    told in the app."""
    require_office(user, "giao xử lý vấn đề")
    if owner_unit is None:
        raise ServiceError("Đơn vị chịu trách nhiệm: hãy chọn một đơn vị.", field="owner_unit")
    today = local_today()
    if owner_unit.closed_on and owner_unit.closed_on < today:
        raise ServiceError(
            f"Đơn vị chịu trách nhiệm: {owner_unit.name} đã giải thể hoặc sáp nhập.",
            field="owner_unit",
        )
    with transaction.atomic():
        current = _locked(issue)
        _check_version(current, expected_version)
        if current.merged_into_id:
            raise ServiceError(f"Vấn đề {current.code} đã gộp vào vấn đề khác.",
                               field="owner_unit")
        if due_on is not None and due_on < today and due_on != current.due_on:
            raise ServiceError("Hạn xử lý: không được trước ngày hôm nay.", field="due_on")
        old_owner, old_due = current.owner_unit, current.due_on
        current.owner_unit, current.due_on = owner_unit, due_on
        if old_owner != owner_unit:
            _event(current, user, IssueEvent.Kind.ASSIGNED, from_value=old_owner or "",
                   to_value=owner_unit.name)
        if old_due != due_on:
            _event(current, user, IssueEvent.Kind.DUE,
                   from_value=f"{old_due:%d/%m/%Y}" if old_due else "",
                   to_value=f"{due_on:%d/%m/%Y}" if due_on else "")
        if current.status in (S.DETECTED, S.WATCHING):
            _event(current, user, IssueEvent.Kind.STATUS,
                   from_value=STATUS_LABELS[current.status], to_value=STATUS_LABELS[S.ASSIGNED])
            current.status = S.ASSIGNED
        current.version += 1
        current.save()
        if old_owner != owner_unit:
            _notify_owner(current)
        audit(actor=user, action=AuditEntry.Action.UPDATE, obj=current, unit=owner_unit,
              summary=f"Giao {current.code} cho {owner_unit.name}"
              + (f", hạn {due_on:%d/%m/%Y}" if due_on else ""),
              data={"owner_unit": owner_unit.pk, "due_on": due_on.isoformat() if due_on else None})
    return current


def rename(*, user: User, issue: Issue, title: str, expected_version: int | None) -> Issue:
    """Give the issue a new title (office only). The title is shown outside the office (the
    public answer pages, search): it is masked like every stored text (issue 18). A title the
    office gave (or kept) is never redrafted by the engine."""
    require_office(user, "đổi tên vấn đề")
    title = mask_text(" ".join((title or "").split()))[:300]
    if not title:
        raise ServiceError("Tên vấn đề: hãy nhập tên.", field="title")
    with transaction.atomic():
        current = _locked(issue)
        _check_version(current, expected_version)
        if current.merged_into_id:
            raise ServiceError(f"Vấn đề {current.code} đã gộp vào vấn đề khác.", field="title")
        old = current.title
        if old == title and current.title_source == Issue.TitleSource.OFFICE:
            return current
        current.title = title
        current.title_source = Issue.TitleSource.OFFICE
        current.version += 1
        current.save()
        _event(current, user, IssueEvent.Kind.NOTE, from_value=old, to_value=title,
               note="Đổi tên vấn đề." if old != title else "Giữ tên vấn đề do máy đặt.")
        audit(actor=user, action=AuditEntry.Action.UPDATE, obj=current,
              summary=f"Đổi tên {current.code}", data={"from": old, "to": title})
    return current


def _notify_owner(issue: Issue) -> None:
    url = reverse("issue_detail", args=[issue.pk])
    due = f", hạn {issue.due_on:%d/%m/%Y}" if issue.due_on else ""
    users = User.objects.filter(unit=issue.owner_unit, is_active=True)
    notify(users, url=url, text=f"Đơn vị được giao xử lý vấn đề {issue.code}: {issue.title}{due}")
