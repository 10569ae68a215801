"""Where alerts come from, and the reminders and escalation of what falls due (issue 8, R8, R13).

Each function here is one source, run daily (or more often) by ``picture.tasks``; each is
idempotent for its day:

- bursts (``issues.BurstAlert`` detected today or yesterday) and rising topics
  (``picture.selectors.rising_now``) become alerts to their subscribers;
- an open issue past its due date is an alert to the office and every leader, once a day;
- an issue or a direction due within ``LONGDAN_DIRECTION_REMIND_DAYS`` days reminds the people of
  the unit that must act (in-app), once a day per unit; a direction due soon is also an alert to
  the leader who gave it and to the subscribers of its topic or area; a direction past its due
  date is escalated: a history line and an alert to the office and every leader, once a day.

A reminder or an escalation is claimed under a lock on the row it concerns (the issue, the
direction's unit assignment, the direction): the claim is its audit entry ("remind", with the day
and the step in its data). Two runs take turns on the lock, and the second finds the first's entry.
Alerts are de-duplicated by their own unique constraint (``picture.services.alerts``).
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from core.models import AuditEntry
from core.services import audit, notify
from issues.models import BurstAlert, Issue
from issues.selectors import OPEN_STATUSES
from orgs.models import OrgUnit, User
from picture.models import Alert, Direction, DirectionAssignment, DirectionUpdate
from picture.services.alerts import raise_alert

logger = logging.getLogger(__name__)

FINISHED = (Direction.Status.DONE, Direction.Status.CANCELLED)
REMIND, ESCALATE = "remind", "escalate"


def remind_days() -> int:
    return int(getattr(settings, "LONGDAN_DIRECTION_REMIND_DAYS", 3))


@dataclass
class SourceRun:
    """What one source did on ``today``: alerts written, reminders and escalations sent."""

    today: dt.date
    alerts: int = 0  # Alert rows written (one per person)
    emails: int = 0
    reminders: int = 0  # units reminded
    escalations: int = 0  # directions escalated
    skipped: int = 0  # subjects or units already handled today
    notes: list[str] = field(default_factory=list)

    def add(self, result) -> None:
        self.alerts += len(result.created)
        self.emails += result.emails
        if not result.created:
            self.skipped += 1

    def as_dict(self) -> dict:
        data = asdict(self)
        data["today"] = self.today.isoformat()
        return data


def _url(name: str, default: str, **kwargs) -> str:
    """Another module may own the page; fall back to its planned path if not routed yet."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return default


def direction_url(direction: Direction) -> str:
    return _url("picture:direction_detail", f"/chi-dao/{direction.pk}/", pk=direction.pk)


def issue_url(issue: Issue) -> str:
    return _url("issue_detail", f"/van-de/{issue.pk}/", pk=issue.pk)


def _days(n: int) -> str:
    return "hôm nay là hạn cuối" if n == 0 else f"còn {n} ngày"


# --- Bursts and rising topics -------------------------------------------------------------------


def alert_bursts(*, today: dt.date) -> SourceRun:
    """Alert the subscribers of each burst detected today or yesterday (the detector may have run
    after this source yesterday); the alert is dated by the detection, so it is told once."""
    run = SourceRun(today=today)
    bursts = BurstAlert.objects.filter(
        detected_on__gte=today - dt.timedelta(days=1), detected_on__lte=today
    ).select_related("issue", "topic", "issue__topic").order_by("detected_on", "pk")
    for burst in bursts:
        issue = burst.issue
        if issue is not None:
            subject = f"burst:issue:{issue.pk}"
            text = f"Ý kiến tăng đột biến về vấn đề {issue.code} · {issue.title}: {burst.reason}"
            url, topic, area, unit = issue_url(issue), issue.topic_id, issue.area_id, \
                issue.owner_unit_id
        else:
            subject = f"burst:topic:{burst.topic_id}"
            name = burst.topic.name if burst.topic else "chưa rõ chủ đề"
            text = f"Ý kiến tăng đột biến về chủ đề {name}: {burst.reason}"
            url, topic, area, unit = _url("alert_list", "/canh-bao/"), burst.topic_id, None, None
        run.add(raise_alert(kind=Alert.Kind.BURST, subject=subject, text=text, url=url,
                            topic=topic, area=area, unit=unit, day=burst.detected_on))
    return run


def _rising_source():
    """``picture.selectors.rising_now`` when the picture's selectors provide it, else None."""
    try:
        module = importlib.import_module("picture.selectors")
    except ImportError:
        return None
    return getattr(module, "rising_now", None)


def alert_rising(*, today: dt.date) -> SourceRun:
    """Alert the subscribers of each topic, issue or area rising beyond what was expected."""
    run = SourceRun(today=today)
    rising_now = _rising_source()
    if rising_now is None:
        note = "Chưa có picture.selectors.rising_now: bỏ qua cảnh báo chủ đề nóng lên."
        logger.info(note)
        run.notes.append(note)
        return run
    for row in rising_now(today):
        kind, key = row.get("kind", ""), row.get("key", "")
        text = f"Đang nóng lên — {row.get('name', key)}: {row.get('reason', '')}".rstrip(": ")
        run.add(raise_alert(
            kind=Alert.Kind.RISING, subject=f"rising:{kind}:{key}", text=text,
            url=_url("picture:picture", "/buc-tranh/"), topic=row.get("topic_id"),
            area=row.get("area_id"), day=today,
        ))
    return run


# --- Issues: overdue alerts and reminders -------------------------------------------------------


def _open_issues():
    return Issue.objects.filter(status__in=OPEN_STATUSES, merged_into__isnull=True,
                                due_on__isnull=False)


def alert_overdue_issues(*, today: dt.date) -> SourceRun:
    """An open issue past its due date: the office and every leader are told, once a day."""
    run = SourceRun(today=today)
    overdue = _open_issues().filter(due_on__lt=today).select_related("owner_unit")
    for issue in overdue.order_by("due_on", "pk"):
        late = (today - issue.due_on).days
        owner = f" (đơn vị xử lý: {issue.owner_unit.name})" if issue.owner_unit else \
            " (chưa giao đơn vị xử lý)"
        run.add(raise_alert(
            kind=Alert.Kind.ISSUE_OVERDUE, subject=f"issue-overdue:{issue.pk}",
            text=f"Vấn đề {issue.code} quá hạn {late} ngày: {issue.title}{owner}",
            url=issue_url(issue), topic=issue.topic_id, area=issue.area_id,
            unit=issue.owner_unit_id, day=today,
        ))
    return run


NOBODY = "Đơn vị chưa có người phụ trách nhận nhắc hạn. "


def unit_people(unit: OrgUnit) -> list[User]:
    """Who acts for a unit: its responsible person and its reporters (active ones)."""
    people = {u.pk: u for u in User.objects.filter(unit=unit, role=User.Role.REPORTER,
                                                   is_active=True)}
    person = unit.responsible_person
    if person is not None and person.is_active:
        people[person.pk] = person
    return [people[k] for k in sorted(people)]


def _remind_people(unit: OrgUnit, text: str, url: str) -> list[User]:
    """Notify the unit's people; the office instead when the unit has nobody to receive it."""
    people = unit_people(unit)
    if not people:
        people = list(User.objects.filter(role=User.Role.OFFICE, is_active=True).order_by("pk"))
        text = NOBODY + text
    notify(people, text=text[:500], url=url)
    return people


def _claimed(obj, *, step: str, today: dt.date, unit_id: int | None = None) -> bool:
    """Whether the step was done today for this object (and unit): its audit entry exists."""
    return AuditEntry.objects.filter(
        action=AuditEntry.Action.REMIND, object_type=obj._meta.label_lower, object_id=str(obj.pk),
        data__step=step, data__day=today.isoformat(), data__unit=unit_id,
    ).exists()


def remind_issues_due(*, today: dt.date) -> SourceRun:
    """An open issue due within the reminder window reminds its owner unit's people, once a day."""
    run = SourceRun(today=today)
    soon = _open_issues().filter(
        due_on__gte=today, due_on__lte=today + dt.timedelta(days=remind_days()),
        owner_unit__isnull=False,
    )
    for issue_id in soon.order_by("due_on", "pk").values_list("pk", flat=True):
        if _remind_issue(issue_id, today):
            run.reminders += 1
        else:
            run.skipped += 1
    return run


def _remind_issue(issue_id: int, today: dt.date) -> bool:
    with transaction.atomic():
        issue = (Issue.objects.select_for_update(of=("self",)).select_related("owner_unit")
                 .get(pk=issue_id))  # only the issue: its owner may be absent (outer join)
        unit = issue.owner_unit
        if _claimed(issue, step=REMIND, today=today, unit_id=unit.pk):
            return False
        text = (f"Nhắc hạn xử lý vấn đề {issue.code}: {issue.title} — "
                f"{_days((issue.due_on - today).days)} (hạn {issue.due_on:%d/%m/%Y}).")
        people = _remind_people(unit, text, issue_url(issue))
        audit(actor=None, action=AuditEntry.Action.REMIND, obj=issue, unit=unit,
              summary=f"{text} — {unit.name}",
              data={"step": REMIND, "day": today.isoformat(), "unit": unit.pk,
                    "recipients": [u.username for u in people]})
    return True


# --- Directions: reminders to the units and escalation -----------------------------------------


def _live_directions():
    return Direction.objects.exclude(status__in=FINISHED)


def remind_directions_due(*, today: dt.date) -> SourceRun:
    """A direction due within the window reminds each assigned unit that has not finished."""
    run = SourceRun(today=today)
    soon = _live_directions().filter(
        due_on__gte=today, due_on__lte=today + dt.timedelta(days=remind_days())
    )
    assignments = (
        DirectionAssignment.objects.filter(direction__in=soon).exclude(status__in=FINISHED)
        .order_by("direction__due_on", "direction_id", "unit_id")
        .values_list("pk", flat=True)
    )
    for assignment_id in assignments:
        if _remind_assignment(assignment_id, today):
            run.reminders += 1
        else:
            run.skipped += 1
    for direction in soon.filter(assignments__in=assignments).distinct().order_by("due_on", "pk"):
        run.add(_alert_direction_due(direction, today))
    return run


def _alert_direction_due(direction: Direction, today: dt.date):
    """The leader who gave a direction, and whoever follows its topic or area, learn that it falls
    due with units still working on it; once a day, like every alert."""
    pending = list(direction.assignments.exclude(status__in=FINISHED)
                   .order_by("unit__sort_key", "unit__name").values_list("unit__name", flat=True))
    when = _days((direction.due_on - today).days)
    waiting = f" Chưa hoàn thành: {', '.join(pending)}."
    text = f"Chỉ đạo {direction.code} {when} (hạn {direction.due_on:%d/%m/%Y}): {direction.text}"
    text = f"{text[:400 - len(waiting)].rstrip(' .')}.{waiting}"
    return raise_alert(
        kind=Alert.Kind.DIRECTION_DUE, subject=f"direction-due:{direction.pk}", text=text,
        url=direction_url(direction), topic=direction.topic_id, area=direction.area_id,
        day=today, also=[direction.author_id],
    )


def _remind_assignment(assignment_id: int, today: dt.date) -> bool:
    with transaction.atomic():
        assignment = (DirectionAssignment.objects.select_for_update()
                      .select_related("direction", "unit").get(pk=assignment_id))
        direction, unit = assignment.direction, assignment.unit
        if _claimed(direction, step=REMIND, today=today, unit_id=unit.pk):
            return False
        when = _days((direction.due_on - today).days)
        text = (f"Nhắc hạn chỉ đạo {direction.code}: {unit.name} chưa hoàn thành, {when} "
                f"(hạn {direction.due_on:%d/%m/%Y}). {direction.text}")
        people = _remind_people(unit, text, direction_url(direction))
        DirectionUpdate.objects.create(direction=direction, unit=unit,
                                       kind=DirectionUpdate.Kind.REMINDED,
                                       note=f"Nhắc hạn: {when} (hạn {direction.due_on:%d/%m/%Y}).")
        audit(actor=None, action=AuditEntry.Action.REMIND, obj=direction, unit=unit,
              summary=f"Nhắc hạn chỉ đạo {direction.code} — {unit.name}, {when}",
              data={"step": REMIND, "day": today.isoformat(), "unit": unit.pk,
                    "recipients": [u.username for u in people]})
    return True


def escalate_overdue_directions(*, today: dt.date) -> SourceRun:
    """A direction past its due date, not done: a history line and an alert to the office and
    every leader, once a day."""
    run = SourceRun(today=today)
    overdue = _live_directions().filter(due_on__lt=today).order_by("due_on", "pk")
    for direction_id in overdue.values_list("pk", flat=True):
        escalated, result = _escalate(direction_id, today)
        if escalated:
            run.escalations += 1
        run.add(result)
    return run


def _escalate(direction_id: int, today: dt.date):
    with transaction.atomic():
        direction = Direction.objects.select_for_update().get(pk=direction_id)
        late = (today - direction.due_on).days
        pending = [a.unit.name for a in direction.assignments.exclude(status__in=FINISHED)
                   .select_related("unit").order_by("unit__sort_key", "unit__name")]
        waiting = f" Chưa hoàn thành: {', '.join(pending)}." if pending else ""
        text = f"Chỉ đạo {direction.code} quá hạn {late} ngày: {direction.text}"
        text = f"{text[:400 - len(waiting)].rstrip(' .')}.{waiting}"
        escalated = not _claimed(direction, step=ESCALATE, today=today)
        if escalated:
            DirectionUpdate.objects.create(
                direction=direction, kind=DirectionUpdate.Kind.ESCALATED,
                note=f"Quá hạn {late} ngày, đã báo Ban Xây dựng Đảng và lãnh đạo.{waiting}")
            audit(actor=None, action=AuditEntry.Action.REMIND, obj=direction,
                  summary=f"Báo quá hạn chỉ đạo {direction.code} ({late} ngày)",
                  data={"step": ESCALATE, "day": today.isoformat(), "unit": None,
                        "pending": pending})
        unit = direction.assignments.order_by("pk").values_list("unit_id", flat=True).first()
        result = raise_alert(
            kind=Alert.Kind.DIRECTION_OVERDUE, subject=f"direction-overdue:{direction.pk}",
            text=text, url=direction_url(direction), topic=direction.topic_id,
            area=direction.area_id, unit=None if direction.area_id else unit, day=today,
        )
    return escalated, result
