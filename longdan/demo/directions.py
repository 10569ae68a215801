"""The demo's directions (ý kiến chỉ đạo) of the Standing Committee, in every state: open,
acknowledged by the units, in progress, done (by the units, or closed by the leader), overdue (not
begun, and begun but late), cancelled; and a gap-filling task of the office.

Given by the demo leader ``lanhdao`` (the task by ``vanphong``) through ``picture.services``, so
codes, history, audit entries and notifications exist as in real use; then, as the rest of the
demo does, the moments those services stamped "now" are moved back to when each step is supposed
to have happened, relative to ``today``. Texts name no unit: a unit reads a direction it shares
with others without learning who the others are.

``build_directions(today)`` runs once on a freshly built demo ward (``longdan.demo.load_demo``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.dates import local_today
from core.models import AuditEntry, Notification, Topic
from issues.models import Issue
from longdan.demo.constants import LEADER_USERNAME, OFFICE_USERNAME
from orgs.models import Area, OrgUnit, User
from picture import services
from picture.direction_selectors import is_overdue, state_of
from picture.models import Direction, DirectionAssignment, DirectionUpdate
from reporting.models import UnitReport

S = Direction.Status
ACK, PROGRESS, DONE, CLOSE, CANCEL = "ack", "progress", "done", "close", "cancel"


@dataclass
class _Plan:
    """One direction: about what, to how many units, given and due (days from today), and the
    steps taken after (kind, index of the unit acting, days from today, note)."""

    text: str
    given: int
    due: int
    about: str  # "issue", "area", "topic", "report" or ""
    units: int = 1
    kind: str = Direction.Kind.DIRECTION
    action: str = ""
    topic: str = ""
    steps: list[tuple[str, int, int, str]] = field(default_factory=list)


PLANS = [
    _Plan("Chỉ đạo nắm chắc tâm tư của nhân dân về vấn đề này, chủ động giải thích, báo cáo"
          " Ban Thường vụ kết quả trước hạn.", given=-2, due=12, about="issue"),
    _Plan("Phối hợp với Ban công tác Mặt trận tổ chức gặp gỡ hộ dân, lắng nghe ý kiến về việc"
          " chỉnh trang vỉa hè, tổng hợp kiến nghị.", given=-5, due=9, about="area", units=2,
          steps=[(ACK, 0, -4, ""), (ACK, 1, -3, "")]),
    _Plan("Tăng cường tuyên truyền lịch thu gom rác mới và quy định phân loại rác tại nguồn;"
          " nắm dư luận sau một tuần áp dụng.", given=-12, due=5, about="topic", units=3,
          topic="Môi trường",
          steps=[(ACK, 0, -11, ""), (ACK, 1, -10, ""),
                 (PROGRESS, 0, -7, "Đã tuyên truyền qua loa truyền thanh và họp tổ dân phố.")]),
    _Plan("Kiểm tra, nắm tình hình ý kiến về mức thu các khoản đóng góp đầu năm học; báo cáo"
          " kết quả giải thích với phụ huynh.", given=-30, due=-10, about="issue", units=2,
          topic="Giáo dục",
          steps=[(ACK, 0, -29, ""), (ACK, 1, -28, ""),
                 (PROGRESS, 0, -20, "Đã làm việc với nhà trường, công khai các khoản thu."),
                 (DONE, 0, -14, "Đã giải thích tại họp phụ huynh; dư luận ổn định."),
                 (DONE, 1, -12, "Đã đối thoại với phụ huynh, không còn ý kiến bức xúc.")]),
    _Plan("Rà soát các điểm ngập sau mưa lớn, phối hợp với UBND phường đề xuất phương án khơi"
          " thông cống rãnh.", given=-25, due=-4, about="area",
          steps=[(ACK, 0, -24, "")]),
    _Plan("Nắm dư luận của tiểu thương về phương án sắp xếp lại chợ tạm; kịp thời phát hiện"
          " tư tưởng, tâm trạng bức xúc.", given=-20, due=-2, about="topic", units=2,
          topic="Kinh tế - xã hội",
          steps=[(ACK, 0, -19, ""), (PROGRESS, 0, -10, "Đã gặp 12 hộ kinh doanh, đang tổng hợp.")]),
    _Plan("Tổ chức đối thoại với đoàn viên, hội viên về chính sách hỗ trợ học nghề.",
          given=-15, due=10, about="",
          steps=[(CANCEL, -1, -13, "Nội dung đã được giao trong kế hoạch của UBND phường.")]),
    _Plan("Báo cáo bổ sung về luồng ý kiến băn khoăn trong báo cáo tháng, làm rõ nguyên nhân"
          " và đề xuất.", given=-18, due=-6, about="report",
          steps=[(ACK, 0, -17, ""), (PROGRESS, 0, -9, "Đã báo cáo bổ sung bằng văn bản."),
                 (CLOSE, -1, -8, "Đạt yêu cầu; tiếp tục theo dõi trong báo cáo tháng sau.")]),
    _Plan("Lên kế hoạch khảo sát nhanh dư luận tại địa bàn chưa có ý kiến phản ánh trong"
          " nhiều tuần.", given=-3, due=14, about="area", kind=Direction.Kind.TASK,
          action=Direction.Action.PLAN_SURVEY),
]


def build_directions(today: dt.date, stdout: TextIO | None = None) -> dict[str, int]:
    """Give the demo's directions; returns how many are in each state (and overdue)."""
    if stdout is not None:
        stdout.write(f"Tạo {len(PLANS)} ý kiến chỉ đạo, nhiệm vụ ở mọi trạng thái…\n")
    builder = _Directions(today)
    with transaction.atomic():
        for plan in PLANS:
            builder.give(plan)
    return builder.counts()


class _Directions:
    def __init__(self, today: dt.date):
        self.today = today
        self.tz = timezone.get_default_timezone()
        self.leader = User.objects.get(username=LEADER_USERNAME)
        self.office = User.objects.get(username=OFFICE_USERNAME)
        self.given: list[Direction] = []
        self.issues = list(
            Issue.objects.filter(merged_into__isnull=True, owner_unit__isnull=False,
                                 owner_unit__closed_on__isnull=True).order_by("pk")
        )
        self.areas = list(Area.objects.filter(unit__isnull=False, unit__closed_on__isnull=True)
                          .select_related("unit").order_by("pk"))
        self.units = [
            unit for unit in OrgUnit.objects.filter(
                kind=OrgUnit.Kind.PARTY_CELL, closed_on__isnull=True,
                responsible_person__isnull=False, opened_on__lte=today,
            ).order_by("code")
        ]
        self.turn = 0

    # --- one direction ----------------------------------------------------------------------

    def give(self, plan: _Plan) -> Direction:
        linked, first_unit = self._about(plan)
        units = self._units(first_unit, plan.units)
        author = self.office if plan.kind == Direction.Kind.TASK else self.leader
        when = self._moment(plan.given)
        with self._moved(when):
            direction = services.create_direction(
                author=author, text=plan.text, due_on=local_today() + dt.timedelta(days=60),
                unit_ids=[u.pk for u in units], kind=plan.kind, action=plan.action, **linked,
            )
        Direction.objects.filter(pk=direction.pk).update(
            created_at=when, updated_at=when, due_on=self.today + dt.timedelta(days=plan.due))
        for kind, index, day, note in plan.steps:
            self._step(direction, units, kind, index, self._moment(day), note)
        self.given.append(direction)
        return direction

    def _about(self, plan: _Plan) -> tuple[dict, OrgUnit | None]:
        self.turn += 1
        topic = Topic.objects.filter(name=plan.topic).first() if plan.topic else None
        if plan.about == "issue" and self.issues:
            issue = self.issues[(self.turn * 7) % len(self.issues)]
            return {"issue": issue, "topic": topic or issue.topic}, issue.owner_unit
        if plan.about == "area" and self.areas:
            area = self.areas[(self.turn * 5) % len(self.areas)]
            return {"area": area, "topic": topic}, area.unit
        if plan.about == "report":
            report = UnitReport.objects.filter(
                state=UnitReport.State.SUBMITTED, unit__in=self.units
            ).order_by("-period__start", "unit__code").first()
            if report is not None:
                return {"report": report}, report.unit
        return {"topic": topic}, None

    def _units(self, first: OrgUnit | None, count: int) -> list[OrgUnit]:
        chosen = [first] if first is not None and first in self.units else []
        start = (self.turn * 11) % len(self.units)
        for unit in self.units[start:] + self.units[:start]:
            if len(chosen) >= count:
                break
            if unit not in chosen:
                chosen.append(unit)
        return chosen

    def _step(self, direction, units, kind, index, when, note) -> None:
        direction.refresh_from_db()
        unit = units[index] if index >= 0 else None
        actor = (unit.responsible_person if unit else None) or self.office
        part = DirectionAssignment.objects.filter(direction=direction, unit=unit).first()
        was_acknowledged = bool(part and part.acknowledged_at)
        with self._moved(when):
            if kind == ACK:
                services.acknowledge(user=actor, direction=direction, unit=unit)
            elif kind in (PROGRESS, DONE):
                services.report_progress(user=actor, direction=direction, unit=unit, note=note,
                                         status=S.DONE if kind == DONE else None)
            else:
                services.set_status(user=self.leader, direction=direction, note=note,
                                    status=S.DONE if kind == CLOSE else S.CANCELLED,
                                    expected_version=direction.version)
        if part is not None:
            moved = {} if was_acknowledged else {"acknowledged_at": when}
            if kind == DONE:
                moved["done_at"] = when
            if moved:
                DirectionAssignment.objects.filter(pk=part.pk).update(**moved)
        Direction.objects.filter(pk=direction.pk).update(updated_at=when)
        Direction.objects.filter(pk=direction.pk, status=S.DONE).update(done_at=when)

    # --- time ---------------------------------------------------------------------------------

    def _moment(self, days: int) -> dt.datetime:
        day = self.today + dt.timedelta(days=days)
        return dt.datetime.combine(day, dt.time(8 + (self.turn % 8), 15), tzinfo=self.tz)

    @contextmanager
    def _moved(self, when: dt.datetime):
        """Rows the block writes (history, audit, notifications) are dated ``when``."""
        marks = {
            model: model.objects.aggregate(m=Max("pk"))["m"] or 0
            for model in (DirectionUpdate, AuditEntry, Notification)
        }
        yield
        DirectionUpdate.objects.filter(pk__gt=marks[DirectionUpdate]).update(at=when)
        AuditEntry.objects.filter(pk__gt=marks[AuditEntry]).update(at=when)
        Notification.objects.filter(pk__gt=marks[Notification]).update(created_at=when)

    # --- result -------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for direction in self.given:
            direction.refresh_from_db()
            counts[state_of(direction)] += 1
            counts["overdue"] += is_overdue(direction, self.today)
        return dict(counts)


