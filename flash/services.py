"""Writes of flash reports (issue 15): the ask, the units' answers, the reminders in hours.

Every write runs in one transaction, appends an audit entry and refuses bad input with a
:class:`core.errors.ServiceError` naming the field before anything is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.errors import ConflictError, LockedError, ServiceError
from core.models import AuditEntry
from core.services import audit, notify
from core.text import nfc
from flash import timing
from flash.models import FlashReminder, FlashReport, FlashRequest, default_sections
from orgs.models import OrgUnit, User

MIN_HOURS, MAX_HOURS = 1, 7 * 24
MAX_TITLE = 200


def may_ask(user: User) -> bool:
    """The office or a leader of the Standing Committee asks for a flash report."""
    return user.is_office or user.is_leader


def may_answer(user: User, unit: OrgUnit) -> bool:
    return user.is_office or (user.role == User.Role.REPORTER and user.unit_id == unit.pk)


def recipients_of(unit: OrgUnit) -> list[User]:
    """Who answers for a unit: its responsible person, else its active reporters."""
    if unit.responsible_person_id and unit.responsible_person.is_active:
        return [unit.responsible_person]
    return list(User.objects.filter(unit=unit, role=User.Role.REPORTER, is_active=True))


def create_request(*, user: User, title: str, event: str, deadline: dt.datetime,
                   unit_ids: list[int], now: dt.datetime | None = None) -> FlashRequest:
    """Ask ``unit_ids`` for a flash report by ``deadline``; each unit is told in-app at once."""
    if not may_ask(user):
        raise ServiceError("Chỉ Ban Xây dựng Đảng hoặc lãnh đạo yêu cầu được báo cáo nhanh.",
                           field="user")
    now = now or timezone.now()
    title, event = nfc(title or "").strip(), nfc(event or "").strip()
    if not title:
        raise ServiceError("Chưa nhập tiêu đề của yêu cầu báo cáo nhanh.", field="title")
    if len(title) > MAX_TITLE:
        raise ServiceError(f"Tiêu đề dài quá {MAX_TITLE} ký tự.", field="title")
    if not event:
        raise ServiceError("Hãy mô tả sự việc cần báo cáo để đơn vị biết báo cáo gì.",
                           field="event")
    if len(event) > settings.LONGDAN_MAX_TEXT:
        raise ServiceError("Mô tả sự việc quá dài.", field="event")
    hours = timing.hours_between(now, deadline)
    if hours < MIN_HOURS - 1e-6:
        raise ServiceError("Hạn nộp phải sau lúc yêu cầu ít nhất 1 giờ.", field="deadline")
    if hours > MAX_HOURS:
        raise ServiceError("Báo cáo nhanh có hạn trong vòng 7 ngày (168 giờ); việc dài hơn hãy"
                           " dùng báo cáo định kỳ.", field="deadline")
    units = list(OrgUnit.objects.filter(pk__in=set(unit_ids or []), closed_on__isnull=True)
                 .exclude(kind__in=[OrgUnit.Kind.OFFICE, OrgUnit.Kind.WARD_COMMITTEE]))
    if len(units) != len(set(unit_ids or [])):
        raise ServiceError("Có đơn vị đã chọn không tồn tại hoặc không còn hoạt động.",
                           field="units")
    if not units:
        raise ServiceError("Hãy chọn ít nhất một đơn vị phải báo cáo.", field="units")
    with transaction.atomic():
        request = FlashRequest.objects.create(title=title, event=event, asked_by=user,
                                              asked_at=now, deadline=deadline,
                                              sections=default_sections())
        request.units.set(units)
        audit(actor=user, action=AuditEntry.Action.CREATE, obj=request,
              summary=f"Yêu cầu báo cáo nhanh “{title}” từ {len(units)} đơn vị",
              data={"deadline": deadline.isoformat(), "units": [u.pk for u in units]})
        local = timezone.localtime(deadline)
        url = reverse("flash_detail", args=[request.pk])
        for unit in units:
            notify(recipients_of(unit),
                   text=f"Yêu cầu báo cáo nhanh: {title}. Hạn nộp {local:%H:%M ngày %d/%m/%Y}.",
                   url=url)
    return request


def _clean_sections(request: FlashRequest, sections: dict) -> dict[str, str]:
    titles = {s["key"]: s["title"] for s in request.sections}
    cleaned = {}
    for key, value in (sections or {}).items():
        if key not in titles:
            raise ServiceError(f"Phần '{key}' không có trong báo cáo nhanh.", field=key)
        text = nfc(str(value or "")).strip()
        if len(text) > settings.LONGDAN_MAX_TEXT:
            raise ServiceError(f"Phần '{titles[key]}' quá dài.", field=key)
        cleaned[key] = text
    return cleaned


def _check_addressed(request: FlashRequest, unit: OrgUnit, user: User) -> None:
    if not may_answer(user, unit):
        raise ServiceError("Chỉ người phụ trách của đơn vị và Ban Xây dựng Đảng soạn được báo"
                           " cáo nhanh của đơn vị.", field="unit")
    if not request.units.filter(pk=unit.pk).exists():
        raise ServiceError(f"{unit.name} không thuộc các đơn vị được yêu cầu báo cáo.",
                           field="unit")


def save_flash_report(*, user: User, request: FlashRequest, unit: OrgUnit, sections: dict,
                      expected_version: int | None, submit: bool = False) -> FlashReport:
    """Save (and with ``submit``, submit) a unit's flash report. A submitted one is locked;
    ``expected_version`` is the version the editor started from (None for the first save)."""
    _check_addressed(request, unit, user)
    clean = _clean_sections(request, sections)
    try:
        with transaction.atomic():
            report = (FlashReport.objects.select_for_update()
                      .filter(request=request, unit=unit).first())
            if report is None:
                report = FlashReport.objects.create(request=request, unit=unit, sections=clean,
                                                    updated_by=user)
                action = AuditEntry.Action.CREATE
            else:
                if report.state == FlashReport.State.SUBMITTED:
                    raise LockedError("Báo cáo nhanh đã nộp nên bị khóa.", field="state")
                if expected_version != report.version:
                    raise ConflictError(
                        f"Báo cáo đã được sửa (phiên bản {report.version}) sau khi đồng chí mở"
                        f" (phiên bản {expected_version}). Hãy tải lại trang.", field="version")
                report.sections = {**report.sections, **clean}
                report.version += 1
                report.updated_by = user
                action = AuditEntry.Action.UPDATE
            if submit:
                empty = [s["title"] for s in request.sections if not report.sections.get(s["key"])]
                if empty:
                    raise ServiceError("Chưa thể nộp: còn trống phần "
                                       + ", ".join(f"“{t}”" for t in empty) + ".",
                                       field="sections")
                report.state = FlashReport.State.SUBMITTED
                report.submitted_at, report.submitted_by = timezone.now(), user
                action = AuditEntry.Action.SUBMIT
            report.save()
            audit(actor=user, action=action, obj=report, unit=unit,
                  summary=f"{'Nộp' if submit else 'Lưu'} báo cáo nhanh “{request.title}” của"
                          f" {unit.name}",
                  data={"version": report.version, "request": request.pk})
    except IntegrityError as exc:
        raise ConflictError("Báo cáo vừa được người khác tạo. Hãy tải lại trang.") from exc
    return report


@dataclass
class FlashReminderRun:
    sent: int = 0
    skipped: int = 0
    units: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"sent": self.sent, "skipped": self.skipped, "units": self.units}


def send_due_flash_reminders(*, now: dt.datetime | None = None) -> FlashReminderRun:
    """Remind the units that have not submitted a flash report, at half-time and one hour
    before the deadline. Idempotent: a (request, unit, kind) is claimed by a unique row."""
    now = now or timezone.now()
    run = FlashReminderRun()
    open_requests = FlashRequest.objects.filter(deadline__gt=now, asked_at__lte=now)
    for request in open_requests.prefetch_related("units__responsible_person"):
        kinds = timing.due_reminders(request.asked_at, request.deadline, now)
        if not kinds:
            continue
        done = set(FlashReport.objects.filter(request=request, state=FlashReport.State.SUBMITTED)
                   .values_list("unit_id", flat=True))
        for unit in request.units.all():
            if unit.pk in done:
                continue
            for kind in kinds:
                if _remind(request, unit, kind, now):
                    run.sent += 1
                    run.units.append(unit.name)
                else:
                    run.skipped += 1
    return run


def _remind(request: FlashRequest, unit: OrgUnit, kind: str, now: dt.datetime) -> bool:
    people = recipients_of(unit)
    left = timing.hours_word(timing.hours_between(now, request.deadline))
    local = timezone.localtime(request.deadline)
    try:
        with transaction.atomic():
            reminder = FlashReminder.objects.create(request=request, unit=unit, kind=kind,
                                                    recipients=[p.pk for p in people])
            notify(people, text=f"Nhắc báo cáo nhanh “{request.title}”: còn {left}, hạn"
                                f" {local:%H:%M ngày %d/%m/%Y}.",
                   url=reverse("flash_detail", args=[request.pk]))
            audit(actor=None, action=AuditEntry.Action.REMIND, obj=reminder, unit=unit,
                  summary=f"Nhắc báo cáo nhanh “{request.title}” — {unit.name}",
                  data={"kind": kind, "request": request.pk,
                        "recipients": [p.username for p in people]})
    except IntegrityError:
        return False
    return True
