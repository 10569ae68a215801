"""Writes of the plans: keyword-only arguments, one transaction, an audit entry each; bad input
is refused naming the field; an edit carries the version it read (``ConflictError`` otherwise).

Who writes what: the office keeps the plans, their tasks and the inspections; a unit's
responsible person records their own unit's progress on a task, its implementation plan and its
dissemination sessions (the office may record them for any unit, from paper). A đảng bộ reads
its subtree but writes only its own unit's records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from core.dates import local_today
from core.errors import ConflictError, ServiceError
from core.models import AuditEntry
from core.services import audit, require_office
from core.text import nfc
from orgs.models import OrgUnit, User
from plans import files
from plans.models import (
    DisseminationSession,
    ImplementationPlan,
    Inspection,
    Plan,
    PlanFile,
    PlanTask,
    TaskProgress,
    TaskStatus,
)
from plans.selectors import task_units

Action = AuditEntry.Action
MAX_TEXT = 4000
MAX_ATTENDANCE = 100_000


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def _text(value: str, *, field: str, label: str, required: bool = True,
          limit: int = MAX_TEXT) -> str:
    text = nfc(value or "").strip()
    if required and not text:
        raise ServiceError(f"Chưa nhập {label}.", field=field)
    if len(text) > limit:
        raise ServiceError(f"{label[:1].upper()}{label[1:]} dài quá {limit} ký tự.", field=field)
    return text


def _day(value: dt.date | None, *, field: str, label: str, past: bool = False,
         required: bool = True) -> dt.date | None:
    if value is None:
        if required:
            raise ServiceError(f"Chưa nhập {label} (ngày/tháng/năm).", field=field)
        return None
    if past and value > local_today():
        raise ServiceError(f"{label[:1].upper()}{label[1:]} {value:%d/%m/%Y} ở tương lai.",
                           field=field)
    return value


def can_write_for(user: User, unit: OrgUnit) -> bool:
    """The office, or the responsible person (reporter) of that very unit."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_office:
        return True
    return user.role == User.Role.REPORTER and user.unit_id == unit.pk


def _require_unit_writer(user: User, unit: OrgUnit) -> None:
    if not can_write_for(user, unit):
        raise ServiceError(f"Đồng chí không được ghi thay cho {unit.name}.", field="unit")


def _check_version(obj, expected_version: int | None, what: str):
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    if expected_version is None or str(expected_version) != str(locked.version):
        raise ConflictError(
            f"{what} không được lưu: bản ghi đã được người khác sửa (phiên bản {locked.version})"
            f" sau khi đồng chí mở trang (phiên bản {expected_version or '?'}). Hãy tải lại trang"
            " để xem thay đổi rồi làm lại.", field="version")
    return locked


def store_file(actor: User, unit: OrgUnit, upload: Upload | None) -> PlanFile | None:
    """Check and store an upload as evidence of ``unit`` (inside the caller's transaction;
    the caller audits). Also used by the scorecards' entered criteria."""
    if upload is None:
        return None
    try:
        checked = files.check_file(upload.name, upload.data)
    except files.FileRefused as exc:
        raise ServiceError(f"Tệp “{upload.name[:80]}”: {exc.message}", field="file") from exc
    return PlanFile.objects.create(
        name=checked.name, content_type=checked.content_type, size=checked.size,
        sha256=checked.sha256, data=upload.data, unit=unit, uploaded_by=actor)


def _checked(upload: Upload | None) -> None:
    """Refuse a bad file before anything else is written."""
    if upload is not None:
        try:
            files.check_file(upload.name, upload.data)
        except files.FileRefused as exc:
            raise ServiceError(f"Tệp “{upload.name[:80]}”: {exc.message}", field="file") from exc


# --- plans and tasks (the office) --------------------------------------------------------------


def create_plan(*, actor: User, number: str, title: str, issuing_unit: OrgUnit | None,
                issued_on: dt.date | None, based_on: str = "",
                unit_plan_due: dt.date | None = None, dissemination_due: dt.date | None = None,
                unit_kinds: list[str] | None = None) -> Plan:
    require_office(actor, "ghi kế hoạch")
    number = _text(number, field="number", label="số, ký hiệu kế hoạch", limit=40)
    title = _text(title, field="title", label="trích yếu", limit=300)
    if issuing_unit is None:
        raise ServiceError("Chưa chọn cơ quan ban hành.", field="issuing_unit")
    day = _day(issued_on, field="issued_on", label="ngày ban hành", past=True)
    for value, name, label in ((unit_plan_due, "unit_plan_due", "hạn ban hành kế hoạch"),
                               (dissemination_due, "dissemination_due", "hạn quán triệt")):
        if value is not None and value < day:
            raise ServiceError(f"{label[:1].upper()}{label[1:]} {value:%d/%m/%Y} trước ngày ban"
                               f" hành {day:%d/%m/%Y}.", field=name)
    kinds = [k for k in (unit_kinds or []) if k]
    bad = [k for k in kinds if k not in OrgUnit.Kind.values]
    if bad:
        raise ServiceError(f"Loại đơn vị không hợp lệ: {', '.join(bad)}.", field="unit_kinds")
    if Plan.objects.filter(number__iexact=number).exists():
        raise ServiceError(f"Đã có kế hoạch số {number}.", field="number")
    with transaction.atomic():
        plan = Plan.objects.create(
            number=number, title=title, issuing_unit=issuing_unit, issued_on=day,
            year=day.year, based_on=_text(based_on, field="based_on", label="căn cứ",
                                          required=False, limit=300),
            unit_plan_due=unit_plan_due, dissemination_due=dissemination_due,
            unit_kinds=kinds, created_by=actor)
        audit(actor=actor, action=Action.CREATE, obj=plan, unit=issuing_unit,
              summary=f"Ghi Kế hoạch số {number}: {title}",
              data={"unit_kinds": kinds, "issued_on": day.isoformat()})
    return plan


def add_task(*, actor: User, plan: Plan, text: str, owner_unit: OrgUnit | None = None,
             owner_kind: str = "", due_on: dt.date | None = None, section: str = "",
             position: int | None = None) -> PlanTask:
    require_office(actor, "giao nhiệm vụ của kế hoạch")
    text = _text(text, field="text", label="nội dung nhiệm vụ")
    owner_kind = owner_kind or ""
    if (owner_unit is None) == (not owner_kind):
        raise ServiceError("Chọn một đơn vị chủ trì, hoặc một loại đơn vị (mọi đơn vị loại đó).",
                           field="owner")
    if owner_kind and owner_kind not in OrgUnit.Kind.values:
        raise ServiceError("Loại đơn vị không hợp lệ.", field="owner")
    if due_on is not None and due_on < plan.issued_on:
        raise ServiceError(f"Thời hạn {due_on:%d/%m/%Y} trước ngày ban hành kế hoạch.",
                           field="due_on")
    with transaction.atomic():
        if position is None:
            last = plan.tasks.order_by("-position").values_list("position", flat=True).first()
            position = (last or 0) + 1
        task = PlanTask.objects.create(
            plan=plan, text=text, owner_unit=owner_unit, owner_kind=owner_kind, due_on=due_on,
            section=_text(section, field="section", label="mục", required=False, limit=40),
            position=position)
        owner = owner_unit.name if owner_unit else f"mọi {OrgUnit.Kind(owner_kind).label}"
        audit(actor=actor, action=Action.CREATE, obj=task, unit=owner_unit,
              summary=f"Giao nhiệm vụ {position} của Kế hoạch {plan.number} cho {owner}",
              data={"owner_kind": owner_kind, "due_on": due_on.isoformat() if due_on else None})
    return task


def update_task(*, actor: User, task: PlanTask, text: str, due_on: dt.date | None,
                expected_version: int | None) -> PlanTask:
    require_office(actor, "sửa nhiệm vụ của kế hoạch")
    text = _text(text, field="text", label="nội dung nhiệm vụ")
    with transaction.atomic():
        locked = _check_version(task, expected_version, "Nhiệm vụ")
        before = {"text": locked.text, "due_on": locked.due_on.isoformat() if locked.due_on
                  else None}
        locked.text, locked.due_on = text, due_on
        locked.version += 1
        locked.save(update_fields=["text", "text_folded", "due_on", "version"])
        audit(actor=actor, action=Action.UPDATE, obj=locked, unit=locked.owner_unit,
              summary=f"Sửa nhiệm vụ {locked.position} của Kế hoạch {locked.plan.number}",
              data={"before": before, "version": locked.version})
    return locked


# --- a unit's progress on a task ---------------------------------------------------------------


def report_progress(*, actor: User, task: PlanTask, unit: OrgUnit, status: str,
                    done_on: dt.date | None = None, evidence_note: str = "",
                    upload: Upload | None = None,
                    expected_version: int | None = None) -> TaskProgress:
    """A unit's status on a task, with its evidence; the first report creates the row (version
    0 expected: none yet), a later one carries the version it read."""
    _require_unit_writer(actor, unit)
    if unit.pk not in {u.pk for u in task_units(task, local_today())}:
        raise ServiceError(f"Nhiệm vụ này không giao cho {unit.name}.", field="unit")
    if status not in TaskStatus.values:
        raise ServiceError("Chưa chọn tình trạng thực hiện.", field="status")
    note = _text(evidence_note, field="evidence_note", label="minh chứng", required=False)
    done = _day(done_on, field="done_on", label="ngày hoàn thành", past=True,
                required=status == TaskStatus.DONE)
    if status == TaskStatus.DONE and not (note or upload):
        existing = TaskProgress.objects.filter(task=task, unit=unit).first()
        if not (existing and (existing.evidence_note or existing.evidence_file_id)):
            raise ServiceError("Đã hoàn thành thì cần minh chứng: ghi rõ văn bản, biên bản,"
                               " hoặc tải tệp lên.", field="evidence_note")
    _checked(upload)
    with transaction.atomic():
        entry = TaskProgress.objects.filter(task=task, unit=unit).first()
        if entry is None:
            if expected_version not in (None, 0, "0", ""):
                raise ConflictError("Tiến độ không được lưu: đơn vị đã có người báo cáo trước."
                                    " Hãy tải lại trang.", field="version")
            entry = TaskProgress(task=task, unit=unit)
            action, previous = Action.CREATE, None
        else:
            entry = _check_version(entry, expected_version, "Tiến độ")
            entry.version += 1
            action, previous = Action.UPDATE, entry.status
        stored = store_file(actor, unit, upload)
        entry.status = status
        entry.done_on = done if status == TaskStatus.DONE else None
        entry.evidence_note = note or entry.evidence_note
        entry.evidence_file = stored or entry.evidence_file
        entry.updated_by = actor
        entry.save()
        audit(actor=actor, action=action, obj=entry, unit=unit,
              summary=f"{unit.name}: nhiệm vụ {task.position} của Kế hoạch {task.plan.number}"
                      f" — {TaskStatus(status).label.lower()}",
              data={"status": status, "previous": previous, "version": entry.version,
                    "file": stored.sha256 if stored else None})
    return entry


# --- a unit's implementation plan and dissemination sessions ----------------------------------


def record_unit_plan(*, actor: User, plan: Plan, unit: OrgUnit, number: str,
                     issued_on: dt.date | None, note: str = "", upload: Upload | None = None,
                     expected_version: int | None = None) -> ImplementationPlan:
    """The unit's own plan (one per plan; a revised one replaces it, carrying the version)."""
    _require_unit_writer(actor, unit)
    number = _text(number, field="number", label="số, ký hiệu", required=False, limit=40)
    day = _day(issued_on, field="issued_on", label="ngày ban hành", past=True)
    if day < plan.issued_on:
        raise ServiceError(f"Ngày ban hành {day:%d/%m/%Y} trước Kế hoạch {plan.number}"
                           f" ({plan.issued_on:%d/%m/%Y}).", field="issued_on")
    note = _text(note, field="note", label="ghi chú", required=False)
    _checked(upload)
    with transaction.atomic():
        row = ImplementationPlan.objects.filter(plan=plan, unit=unit).first()
        if row is None:
            if upload is None:
                raise ServiceError("Chưa tải lên tệp kế hoạch của đơn vị (PDF, Word…).",
                                   field="file")
            row = ImplementationPlan(plan=plan, unit=unit)
            action = Action.CREATE
        else:
            row = _check_version(row, expected_version, "Kế hoạch của đơn vị")
            row.version += 1
            action = Action.UPDATE
        stored = store_file(actor, unit, upload)
        row.number, row.issued_on, row.note = number, day, note
        row.file = stored or row.file
        row.recorded_by = actor
        row.save()
        audit(actor=actor, action=action, obj=row, unit=unit,
              summary=f"{unit.name}: kế hoạch thực hiện Kế hoạch {plan.number}"
                      f" ngày {day:%d/%m/%Y}",
              data={"version": row.version, "file": stored.sha256 if stored else None})
    return row


def _session_values(plan: Plan, held_on, attendance, expected, content) -> dict:
    day = _day(held_on, field="held_on", label="ngày tổ chức", past=True)
    if day < plan.issued_on:
        raise ServiceError(f"Ngày tổ chức {day:%d/%m/%Y} trước Kế hoạch {plan.number}.",
                           field="held_on")
    if attendance is None or attendance < 1 or attendance > MAX_ATTENDANCE:
        raise ServiceError("Số người dự phải là số nguyên dương.", field="attendance")
    if expected is not None and (expected < 1 or expected > MAX_ATTENDANCE):
        raise ServiceError("Số người phải dự phải là số nguyên dương.", field="expected")
    if expected is not None and attendance > expected:
        raise ServiceError(f"Số người dự ({attendance}) lớn hơn số người phải dự ({expected}).",
                           field="attendance")
    return {"held_on": day, "attendance": attendance, "expected": expected,
            "content": _text(content, field="content", label="nội dung quán triệt")}


def record_session(*, actor: User, plan: Plan, unit: OrgUnit, held_on: dt.date | None,
                   attendance: int | None, content: str,
                   expected: int | None = None) -> DisseminationSession:
    _require_unit_writer(actor, unit)
    values = _session_values(plan, held_on, attendance, expected, content)
    with transaction.atomic():
        session = DisseminationSession.objects.create(plan=plan, unit=unit, recorded_by=actor,
                                                      **values)
        audit(actor=actor, action=Action.CREATE, obj=session, unit=unit,
              summary=f"{unit.name}: quán triệt Kế hoạch {plan.number} ngày"
                      f" {values['held_on']:%d/%m/%Y}, {attendance} người dự",
              data={"attendance": attendance, "expected": expected})
    return session


def update_session(*, actor: User, session: DisseminationSession, held_on: dt.date | None,
                   attendance: int | None, content: str, expected: int | None = None,
                   expected_version: int | None) -> DisseminationSession:
    _require_unit_writer(actor, session.unit)
    values = _session_values(session.plan, held_on, attendance, expected, content)
    with transaction.atomic():
        locked = _check_version(session, expected_version, "Buổi quán triệt")
        before = {"held_on": locked.held_on.isoformat(), "attendance": locked.attendance}
        for name, value in values.items():
            setattr(locked, name, value)
        locked.version += 1
        locked.recorded_by = actor
        locked.save()
        audit(actor=actor, action=Action.UPDATE, obj=locked, unit=locked.unit,
              summary=f"{locked.unit.name}: sửa buổi quán triệt ngày"
                      f" {locked.held_on:%d/%m/%Y}",
              data={"before": before, "version": locked.version})
    return locked


# --- inspections and supervisions (the office) ------------------------------------------------


def record_inspection(*, actor: User, kind: str, inspecting_unit: OrgUnit | None,
                      inspected_unit: OrgUnit | None, held_on: dt.date | None, findings: str,
                      recommendations: str = "", plan: Plan | None = None) -> Inspection:
    require_office(actor, "ghi kết quả kiểm tra, giám sát")
    if kind not in Inspection.Kind.values:
        raise ServiceError("Chưa chọn hình thức (kiểm tra hay giám sát).", field="kind")
    if inspecting_unit is None:
        raise ServiceError("Chưa chọn đơn vị kiểm tra, giám sát.", field="inspecting_unit")
    if inspected_unit is None:
        raise ServiceError("Chưa chọn đơn vị được kiểm tra, giám sát.", field="inspected_unit")
    if inspected_unit.pk == inspecting_unit.pk:
        raise ServiceError("Đơn vị được kiểm tra phải khác đơn vị kiểm tra.",
                           field="inspected_unit")
    day = _day(held_on, field="held_on", label="ngày kiểm tra, giám sát", past=True)
    findings = _text(findings, field="findings", label="kết quả, hạn chế phát hiện")
    recommendations = _text(recommendations, field="recommendations",
                            label="kiến nghị, yêu cầu khắc phục", required=False)
    with transaction.atomic():
        row = Inspection.objects.create(
            plan=plan, kind=kind, inspecting_unit=inspecting_unit,
            inspected_unit=inspected_unit, held_on=day, findings=findings,
            recommendations=recommendations,
            follow_up=Inspection.FollowUp.OPEN if recommendations else Inspection.FollowUp.NONE,
            recorded_by=actor)
        audit(actor=actor, action=Action.CREATE, obj=row, unit=inspected_unit,
              summary=f"{row.get_kind_display()} {inspected_unit.name} ngày {day:%d/%m/%Y}",
              data={"kind": kind, "plan": plan.number if plan else None})
    return row


def update_follow_up(*, actor: User, inspection: Inspection, follow_up: str, note: str,
                     expected_version: int | None) -> Inspection:
    require_office(actor, "ghi kết quả khắc phục sau kiểm tra, giám sát")
    if follow_up not in Inspection.FollowUp.values:
        raise ServiceError("Chưa chọn tình trạng khắc phục.", field="follow_up")
    note = _text(note, field="follow_up_note", label="kết quả khắc phục",
                 required=follow_up == Inspection.FollowUp.DONE)
    with transaction.atomic():
        locked = _check_version(inspection, expected_version, "Kết quả khắc phục")
        previous = locked.follow_up
        locked.follow_up, locked.follow_up_note = follow_up, note
        locked.version += 1
        locked.save(update_fields=["follow_up", "follow_up_note", "version"])
        audit(actor=actor, action=Action.UPDATE, obj=locked, unit=locked.inspected_unit,
              summary=f"Khắc phục sau {locked.get_kind_display().lower()}"
                      f" {locked.inspected_unit.name}: {locked.get_follow_up_display().lower()}",
              data={"from": previous, "to": follow_up, "version": locked.version})
    return locked
