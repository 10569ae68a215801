"""Writes of directions (ý kiến chỉ đạo) and gap-filling tasks: give, acknowledge, report
progress, close or cancel.

A direction is given by a leader (or by the office on a leader's behalf) to one or more units with
a due date; each unit has its own part (``DirectionAssignment``) that it acknowledges and reports
on. The direction's own status follows its parts: open until a unit reports progress, in progress
from then, done when every unit is done or when the author (or the office) closes it. "Overdue" is
not a status: it is read from the due date (``picture.direction_selectors``).

Every write runs in one transaction, bumps ``version``, adds a line to the history
(``DirectionUpdate``) and an audit entry, so the direction's page and the audit log tell the same
story.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.dates import local_today
from core.errors import ConflictError, ServiceError
from core.models import AuditEntry, SocialGroup, Topic
from core.services import audit, notify
from core.text import natural_key
from issues.models import Issue
from orgs.models import Area, OrgUnit, User
from orgs.selectors import descendant_ids
from picture.models import Direction, DirectionAssignment, DirectionUpdate
from reporting.models import UnitReport
from textengine.mask import mask_text

S = Direction.Status
STATUS_LABELS = dict(S.choices)
KIND_PREFIX = {Direction.Kind.DIRECTION: "CĐ", Direction.Kind.TASK: "NV"}
TEXT_MAX = 5000
NOTE_MAX = 2000
MAX_UNITS = 200
CODE_ATTEMPTS = 5
# The units a direction may not be addressed to: the committee that gives it.
NOT_ADDRESSABLE = (OrgUnit.Kind.WARD_COMMITTEE,)
# What the author (or the office) may set by hand; "open" reopens a closed direction.
SETTABLE = (S.DONE, S.CANCELLED, S.OPEN)
CLOSED = (S.DONE, S.CANCELLED)


# --- who may do what ----------------------------------------------------------------------------


def can_direct(user) -> bool:
    """Leaders write directions; the office writes them (and tasks) on a leader's behalf."""
    return bool(getattr(user, "is_authenticated", False)) and (
        getattr(user, "is_office", False) or getattr(user, "is_leader", False)
    )


def can_close(user, direction: Direction) -> bool:
    """The author and the office may close, cancel or reopen a direction."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_office or (direction.author_id is not None and direction.author_id == user.pk)


def can_act_for(user, unit_id: int) -> bool:
    """Who may acknowledge and report for a unit's part.

    The unit's reporter (its responsible person), or the reporter of a unit above it; a
    collaborator only for their own unit; the office for any unit (a report given by telephone).
    Leaders give directions and do not answer them."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_office:
        return True
    if user.role == User.Role.REPORTER and user.unit_id:
        return unit_id in descendant_ids(user.unit_id)
    if user.role == User.Role.COLLABORATOR:
        return user.unit_id == unit_id
    return False


def addressable_units(user) -> list[OrgUnit]:
    """Units the author may address: every open unit but the committee giving the direction."""
    if not can_direct(user):
        return []
    today = local_today()
    return list(
        OrgUnit.objects.exclude(kind__in=NOT_ADDRESSABLE)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=today), opened_on__lte=today)
        .order_by("sort_key", "name")
    )


# --- create -------------------------------------------------------------------------------------


def create_direction(
    *,
    author: User,
    text: str,
    due_on: dt.date | None,
    unit_ids: Iterable[int],
    kind: str = Direction.Kind.DIRECTION,
    action: str = "",
    target: str = "",
    issue: Issue | None = None,
    report: UnitReport | None = None,
    area: Area | None = None,
    topic: Topic | None = None,
    social_group: SocialGroup | None = None,
) -> Direction:
    """Give a direction (or a task) to units; returns it with its code ("CĐ-2026-001").

    Each unit gets its part; the units' responsible persons and reporters are told in the app."""
    if not can_direct(author):
        raise ServiceError(
            "Chỉ lãnh đạo (Ban Thường vụ) hoặc Ban Xây dựng Đảng được giao ý kiến chỉ đạo.",
            field="author",
        )
    if kind not in Direction.Kind.values:
        raise ServiceError(f"Loại “{kind}” không có.", field="kind")
    if action not in Direction.Action.values:
        raise ServiceError(f"Việc cần làm “{action}” không có.", field="action")
    target = target or _target_of(issue=issue, report=report, area=area, topic=topic)
    if target not in Direction.Target.values:
        raise ServiceError(f"Chỉ đạo về: “{target}” không có.", field="target")
    text = _clean_text(text)
    _check_due(due_on)
    units = _units(author, unit_ids)
    with transaction.atomic():
        direction = _insert(
            author=author, text=text, due_on=due_on, kind=kind, action=action, target=target,
            issue=issue, report=report, area=area, topic=topic, social_group=social_group,
        )
        DirectionAssignment.objects.bulk_create(
            [DirectionAssignment(direction=direction, unit=unit) for unit in units]
        )
        noun = "nhiệm vụ" if kind == Direction.Kind.TASK else "ý kiến chỉ đạo"
        _update(direction, author, DirectionUpdate.Kind.CREATED, status=S.OPEN,
                note=f"Giao {noun} cho {len(units)} đơn vị, hạn {due_on:%d/%m/%Y}.")
        audit(actor=author, action=AuditEntry.Action.CREATE, obj=direction, unit=author.unit,
              summary=f"Giao {direction.code} cho {len(units)} đơn vị, hạn {due_on:%d/%m/%Y}",
              data={"units": [u.pk for u in units], "due_on": due_on.isoformat(),
                    "kind": kind, "target": target})
        _notify_units(direction, units, f"Đơn vị được giao {noun} {direction.code}, hạn "
                      f"{due_on:%d/%m/%Y}: {direction.text[:200]}")
    return direction


def _target_of(**linked) -> str:
    for name, value in linked.items():
        if value is not None:
            return name
    return Direction.Target.NONE


def _clean_text(text: str) -> str:
    # A leader's words reach every unit addressed: masked like every stored text, so a
    # resident's telephone number or name copied from an item does not travel with them.
    cleaned = mask_text((text or "").strip())
    if not cleaned:
        raise ServiceError("Nội dung chỉ đạo: hãy nhập nội dung.", field="text")
    if len(cleaned) > TEXT_MAX:
        raise ServiceError(
            f"Nội dung chỉ đạo dài {len(cleaned)} ký tự, vượt giới hạn {TEXT_MAX}.", field="text"
        )
    return cleaned


def _check_due(due_on: dt.date | None) -> None:
    if due_on is None:
        raise ServiceError("Hạn hoàn thành: hãy chọn ngày.", field="due_on")
    if not isinstance(due_on, dt.date):
        raise ServiceError("Hạn hoàn thành: ngày không hợp lệ.", field="due_on")
    if due_on < local_today():
        raise ServiceError("Hạn hoàn thành: không được trước ngày hôm nay.", field="due_on")


def _units(author: User, unit_ids: Iterable[int]) -> list[OrgUnit]:
    try:
        wanted = {int(pk) for pk in unit_ids or ()}
    except (TypeError, ValueError) as exc:
        raise ServiceError("Đơn vị thực hiện: mã đơn vị không hợp lệ.", field="unit_ids") from exc
    if not wanted:
        raise ServiceError("Đơn vị thực hiện: hãy chọn ít nhất một đơn vị.", field="unit_ids")
    if len(wanted) > MAX_UNITS:
        raise ServiceError(
            f"Đơn vị thực hiện: chọn tối đa {MAX_UNITS} đơn vị.", field="unit_ids"
        )
    allowed = {unit.pk: unit for unit in addressable_units(author)}
    refused = sorted(wanted - set(allowed))
    if refused:
        named = OrgUnit.objects.filter(pk__in=refused).order_by("sort_key", "name")
        names = ", ".join(u.name for u in named[:5]) or ", ".join(str(pk) for pk in refused[:5])
        raise ServiceError(
            f"Đơn vị thực hiện: không giao được cho {names} (không có, đã giải thể hoặc là cấp"
            " ủy giao chỉ đạo).",
            field="unit_ids",
        )
    return sorted((allowed[pk] for pk in wanted), key=lambda u: natural_key(u.name))


def next_code(kind: str, day: dt.date) -> str:
    """The next code of the year for the kind: "CĐ-2026-001", tasks "NV-2026-001"."""
    prefix = f"{KIND_PREFIX[kind]}-{day.year}-"
    codes = Direction.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(c[len(prefix):]) for c in codes if c[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _insert(**fields) -> Direction:
    # Two directions given at the same moment may draw the same number: the unique code refuses
    # the second, which draws again (in a savepoint, so the outer transaction survives).
    for _ in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                code = next_code(fields["kind"], local_today())
                return Direction.objects.create(code=code, **fields)
        except IntegrityError:
            continue
    raise ConflictError("Đang có nhiều chỉ đạo được giao cùng lúc; hãy thử lại.", field="code")


# --- the units' side: acknowledge and report progress -------------------------------------------


def acknowledge(*, user: User, direction: Direction, unit: OrgUnit) -> DirectionAssignment:
    """The unit has received the direction (once; a second call changes nothing)."""
    with transaction.atomic():
        current, part = _locked_part(user, direction, unit, doing="xác nhận đã nhận")
        if part.acknowledged_at:
            return part
        _acknowledge(part, user)
        _bump(current)
        _update(current, user, DirectionUpdate.Kind.ACKNOWLEDGED, unit=unit)
        audit(actor=user, action=AuditEntry.Action.UPDATE, obj=current, unit=unit,
              summary=f"{unit.name} đã nhận {current.code}", data={"unit": unit.pk})
    return part


def report_progress(
    *, user: User, direction: Direction, unit: OrgUnit, note: str, status: str | None = None
) -> DirectionAssignment:
    """The unit reports what it has done; ``status`` "done" says its part is finished.

    Reporting acknowledges the direction too. The direction moves to "in progress", or to
    "done" when every unit's part is done."""
    note = mask_text((note or "").strip())
    if not note:
        raise ServiceError("Nội dung tiến độ: hãy ghi đơn vị đã làm gì.", field="note")
    if len(note) > NOTE_MAX:
        raise ServiceError(f"Nội dung tiến độ dài quá {NOTE_MAX} ký tự.", field="note")
    part_status = status or S.IN_PROGRESS
    if part_status not in (S.IN_PROGRESS, S.DONE):
        raise ServiceError(
            "Trạng thái phần việc: chỉ chọn “Đang thực hiện” hoặc “Đã hoàn thành”.",
            field="status",
        )
    with transaction.atomic():
        current, part = _locked_part(user, direction, unit, doing="báo cáo tiến độ")
        if not part.acknowledged_at:
            _acknowledge(part, user)
        part.status = part_status
        part.done_at = timezone.now() if part_status == S.DONE else None
        part.save(update_fields=["status", "done_at", "acknowledged_at", "acknowledged_by"])
        before = current.status
        current.status = _derived_status(current)
        current.done_at = timezone.now() if current.status == S.DONE else None
        _bump(current)
        _update(current, user, DirectionUpdate.Kind.PROGRESS, unit=unit, note=note,
                status=part_status)
        if current.status != before:
            # Follows from the units' parts, so no person made it: every unit addressed reads
            # this line, and must not learn who in another unit reported.
            _update(current, None, DirectionUpdate.Kind.STATUS, status=current.status,
                    note=f"{STATUS_LABELS[before]} → {STATUS_LABELS[current.status]}")
        audit(actor=user, action=AuditEntry.Action.UPDATE, obj=current, unit=unit,
              summary=f"{unit.name} báo cáo tiến độ {current.code}: "
              f"{STATUS_LABELS[part_status]}",
              data={"unit": unit.pk, "status": part_status, "direction_status": current.status,
                    "note": note[:300]})
        _notify_author(current, f"{unit.name} báo cáo tiến độ {current.code} "
                       f"({STATUS_LABELS[part_status].lower()}): {note[:200]}")
    return part


def _locked_part(
    user: User, direction: Direction, unit: OrgUnit, *, doing: str
) -> tuple[Direction, DirectionAssignment]:
    current = Direction.objects.select_for_update().get(pk=direction.pk)
    part = DirectionAssignment.objects.filter(direction=current, unit=unit).first()
    if part is None:
        raise ServiceError(
            f"Đơn vị: {current.code} không giao cho {unit.name}.", field="unit"
        )
    if not can_act_for(user, unit.pk):
        raise ServiceError(
            f"Đơn vị: chỉ người phụ trách của {unit.name} (hoặc đơn vị cấp trên) được {doing}.",
            field="unit",
        )
    if current.status in CLOSED:
        raise ServiceError(
            f"{current.code} đã {STATUS_LABELS[current.status].lower()}; không {doing} được"
            " nữa.",
            field="status",
        )
    return current, part


def _acknowledge(part: DirectionAssignment, user: User) -> None:
    part.acknowledged_at = timezone.now()
    part.acknowledged_by = user
    part.save(update_fields=["acknowledged_at", "acknowledged_by"])


def _derived_status(direction: Direction) -> str:
    """Open until a unit reports; in progress after; done when every unit's part is done."""
    statuses = list(direction.assignments.values_list("status", flat=True))
    if statuses and all(s == S.DONE for s in statuses):
        return S.DONE
    if any(s in (S.IN_PROGRESS, S.DONE) for s in statuses):
        return S.IN_PROGRESS
    return S.OPEN


# --- the author's side: close, cancel, reopen ---------------------------------------------------


def set_status(
    *, user: User, direction: Direction, status: str, expected_version: int | None, note: str = ""
) -> Direction:
    """The author (or the office) closes ("done"), cancels, or reopens ("open") a direction.

    Refuses a stale ``expected_version`` (someone reported or changed it meanwhile)."""
    if status not in SETTABLE:
        raise ServiceError(
            "Trạng thái: chỉ chọn “Đã hoàn thành”, “Đã hủy” hoặc mở lại.", field="status"
        )
    note = mask_text((note or "").strip())[:NOTE_MAX]
    with transaction.atomic():
        current = Direction.objects.select_for_update().get(pk=direction.pk)
        if not can_close(user, current):
            raise ServiceError(
                "Trạng thái: chỉ người giao chỉ đạo hoặc Ban Xây dựng Đảng được đổi.",
                field="status",
            )
        if expected_version is not None and current.version != expected_version:
            raise ConflictError(
                f"{current.code} vừa được cập nhật (phiên bản {current.version}); hãy tải lại"
                " trang rồi làm lại.",
                field="version",
            )
        before = current.status
        if status == S.OPEN:
            if before not in CLOSED:
                raise ServiceError(f"Trạng thái: {current.code} đang mở.", field="status")
            after = S.IN_PROGRESS if _any_progress(current) else S.OPEN
        else:
            after = status
        if after == before:
            return current
        current.status = after
        current.done_at = timezone.now() if after == S.DONE else None
        _bump(current)
        _update(current, user, DirectionUpdate.Kind.STATUS, status=after,
                note=note or f"{STATUS_LABELS[before]} → {STATUS_LABELS[after]}")
        audit(actor=user, action=AuditEntry.Action.UPDATE, obj=current, unit=user.unit,
              summary=f"{current.code}: {STATUS_LABELS[before]} → {STATUS_LABELS[after]}",
              data={"from": before, "to": after, "note": note[:300]})
        units = [a.unit for a in current.assignments.select_related("unit")]
        _notify_units(current, units,
                      f"{current.code} chuyển sang “{STATUS_LABELS[after]}”"
                      + (f": {note[:200]}" if note else "."))
    return current


def _any_progress(direction: Direction) -> bool:
    return direction.assignments.filter(status__in=(S.IN_PROGRESS, S.DONE)).exists()


# --- shared -------------------------------------------------------------------------------------


def _bump(direction: Direction) -> None:
    direction.version += 1
    direction.save()


def _update(direction: Direction, user, kind: str, *, unit=None, note: str = "",
            status: str = "") -> DirectionUpdate:
    return DirectionUpdate.objects.create(
        direction=direction, unit=unit, kind=kind, note=note, status=status,
        by=user if getattr(user, "is_authenticated", False) else None,
    )


def _direction_url(direction: Direction) -> str:
    return reverse("picture:direction_detail", args=[direction.pk])


def unit_recipients(units: Iterable[OrgUnit]) -> list[User]:
    """The units' responsible persons and reporters (active), each once."""
    unit_ids = [u.pk for u in units]
    responsible = OrgUnit.objects.filter(pk__in=unit_ids).values("responsible_person_id")
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(unit_id__in=unit_ids, role=User.Role.REPORTER) | Q(pk__in=responsible))
        .distinct()
    )


def _notify_units(direction: Direction, units: Iterable[OrgUnit], text: str) -> None:
    notify(unit_recipients(units), text=text, url=_direction_url(direction))


def _notify_author(direction: Direction, text: str) -> None:
    if direction.author_id and direction.author.is_active:
        notify([direction.author], text=text, url=_direction_url(direction))
