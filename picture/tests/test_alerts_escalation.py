"""The sources of alerts and the escalation of what falls due, with the clock moved."""

from __future__ import annotations

import datetime as dt
import sys
import types
import zoneinfo

import pytest
import time_machine
from django.core import mail

from core.dates import local_today
from core.models import AuditEntry, Notification, Topic
from issues.models import BurstAlert, Issue
from orgs.models import OrgUnit
from picture import tasks
from picture.models import Alert, Direction, DirectionAssignment, DirectionUpdate
from picture.services import (
    alert_bursts,
    alert_overdue_issues,
    alert_rising,
    escalate_overdue_directions,
    remind_directions_due,
    remind_issues_due,
    subscribe,
)

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
D = dt.date(2026, 3, 10)


def at(day: dt.date, hour: int = 9):
    """Move the clock to ``hour`` o'clock, local time, on ``day``."""
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=HANOI),
                               tick=False)


def days(n: int) -> dt.date:
    return D + dt.timedelta(days=n)


@pytest.fixture
def people(vanphong, lanhdao, an, binh):
    for user in (vanphong, lanhdao):
        user.email = f"{user.username}@example.vn"
        user.save()
    return {"office": vanphong, "leader": lanhdao, "an": an, "binh": binh}


def make_direction(code, *, due_on, units, author=None, status=Direction.Status.OPEN,
                   text="Nắm tình hình rác thải ở chợ Hòa Bình, báo cáo kết quả", **fields):
    """A direction built with the ORM (the directions' own service lives in another module)."""
    direction = Direction.objects.create(code=code, text=text, due_on=due_on, status=status,
                                         author=author, **fields)
    for unit in units:
        DirectionAssignment.objects.create(direction=direction, unit=unit)
    return direction


def updates(direction, kind) -> list[tuple[str | None, str]]:
    rows = DirectionUpdate.objects.filter(direction=direction, kind=kind).select_related("unit")
    return [(u.unit.code if u.unit else None, u.note) for u in rows.order_by("pk")]


def notified(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("text",
                                                                                  flat=True))


# --- directions ---------------------------------------------------------------------------------


def test_a_direction_due_in_two_days_reminds_the_units_that_have_not_finished(
        people, cell_a, cell_b):
    direction = make_direction("CĐ-2026-001", due_on=days(2), units=[cell_a, cell_b],
                               author=people["leader"])
    DirectionAssignment.objects.filter(direction=direction, unit=cell_b).update(
        status=Direction.Status.DONE)
    with at(D):
        run = remind_directions_due(today=local_today())
        again = remind_directions_due(today=local_today())
    # Skipped on the second run: the unit's reminder and the leader's alert, both sent already.
    assert (run.reminders, again.reminders, again.skipped) == (1, 0, 2)
    [text] = notified(people["an"])
    assert text.startswith("Nhắc hạn chỉ đạo CĐ-2026-001: Chi bộ Tổ dân phố 1 chưa hoàn thành, "
                           "còn 2 ngày (hạn 12/03/2026)")
    assert notified(people["binh"]) == []  # cell_b is done
    assert updates(direction, DirectionUpdate.Kind.REMINDED) == [
        ("chi-bo-1", "Nhắc hạn: còn 2 ngày (hạn 12/03/2026).")]
    # The reminder is the unit's; the leader who gave the direction gets one alert that it falls
    # due (the office, not subscribed, does not).
    [alert] = Alert.objects.all()
    assert (alert.user, alert.kind, alert.subject) == (
        people["leader"], Alert.Kind.DIRECTION_DUE, f"direction-due:{direction.pk}")
    assert alert.text == ("Chỉ đạo CĐ-2026-001 còn 2 ngày (hạn 12/03/2026): Nắm tình hình rác "
                          "thải ở chợ Hòa Bình, báo cáo kết quả. Chưa hoàn thành: "
                          "Chi bộ Tổ dân phố 1.")
    with at(days(1)):
        remind_directions_due(today=local_today())
    with at(days(2)):
        remind_directions_due(today=local_today())
    texts = notified(people["an"])
    assert len(texts) == 3  # once a day, each day of the window
    assert "còn 1 ngày (hạn 12/03/2026)" in texts[1]
    assert "hôm nay là hạn cuối (hạn 12/03/2026)" in texts[2]


def test_a_direction_falling_due_alerts_its_author_and_the_subscribers_of_its_topic_once_a_day(
        people, cell_a):
    topic = Topic.objects.create(name="Môi trường (hạn)")
    other = Topic.objects.create(name="Giá cả (hạn)")
    subscribe(user=people["office"], topic=topic)
    direction = make_direction("CĐ-2026-010", due_on=days(1), units=[cell_a],
                               author=people["leader"], topic=topic)
    make_direction("CĐ-2026-011", due_on=days(1), units=[cell_a], topic=other)  # nobody follows
    with at(D):
        run = remind_directions_due(today=local_today())
        again = remind_directions_due(today=local_today())
    assert (run.alerts, again.alerts) == (2, 0)
    told = Alert.objects.filter(kind=Alert.Kind.DIRECTION_DUE)
    assert sorted(told.values_list("user__username", "subject")) == [
        ("lanhdao", f"direction-due:{direction.pk}"), ("vanphong", f"direction-due:{direction.pk}")]
    DirectionAssignment.objects.filter(direction=direction).update(status=Direction.Status.DONE)
    with at(days(1)):
        assert remind_directions_due(today=local_today()).alerts == 0  # everyone finished


def test_a_direction_not_yet_in_the_window_or_finished_is_not_reminded(people, cell_a):
    far = make_direction("CĐ-2026-002", due_on=days(4), units=[cell_a])
    done = make_direction("CĐ-2026-003", due_on=days(1), units=[cell_a],
                          status=Direction.Status.DONE)
    cancelled = make_direction("CĐ-2026-004", due_on=days(1), units=[cell_a],
                               status=Direction.Status.CANCELLED)
    with at(D):
        assert remind_directions_due(today=local_today()).reminders == 0
        assert escalate_overdue_directions(today=days(3)).escalations == 0  # done: never late
    assert notified(people["an"]) == []
    for direction in (far, done, cancelled):
        assert not direction.updates.exists()


def test_the_window_follows_the_setting(people, cell_a, settings):
    settings.LONGDAN_DIRECTION_REMIND_DAYS = 5
    make_direction("CĐ-2026-005", due_on=days(4), units=[cell_a])
    with at(D):
        assert remind_directions_due(today=local_today()).reminders == 1


def test_past_its_due_date_a_direction_is_escalated_to_the_office_and_the_leaders(
        people, cell_a, cell_b, django_capture_on_commit_callbacks):
    direction = make_direction("CĐ-2026-003", due_on=D, units=[cell_a, cell_b],
                               author=people["leader"])
    DirectionAssignment.objects.filter(direction=direction, unit=cell_b).update(
        status=Direction.Status.DONE)
    with at(days(4)), django_capture_on_commit_callbacks(execute=True):
        run = escalate_overdue_directions(today=local_today())
        again = escalate_overdue_directions(today=local_today())
        remind_directions_due(today=local_today())  # past due: no more "due soon" reminders
    assert (run.escalations, run.alerts, again.escalations, again.alerts) == (1, 2, 0, 0)
    alerts = Alert.objects.filter(subject=f"direction-overdue:{direction.pk}")
    assert set(alerts.values_list("user__username", flat=True)) == {"vanphong", "lanhdao"}
    text = alerts.first().text
    assert text.startswith("Chỉ đạo CĐ-2026-003 quá hạn 4 ngày: Nắm tình hình rác thải")
    assert text.endswith("Chưa hoàn thành: Chi bộ Tổ dân phố 1.")
    assert alerts.first().kind == Alert.Kind.DIRECTION_OVERDUE
    assert alerts.first().url == f"/chi-dao/{direction.pk}/"
    assert sorted(m.to[0] for m in mail.outbox) == ["lanhdao@example.vn", "vanphong@example.vn"]
    assert [u for u, _ in updates(direction, DirectionUpdate.Kind.ESCALATED)] == [None]
    assert notified(people["an"]) == [] and notified(people["binh"]) == []
    assert AuditEntry.objects.filter(action="remind", object_id=str(direction.pk),
                                     data__step="escalate").count() == 1
    with at(days(5)):
        escalate_overdue_directions(today=local_today())
    assert len(updates(direction, DirectionUpdate.Kind.ESCALATED)) == 2
    assert alerts.count() == 4  # told again the next day, once each
    assert "quá hạn 5 ngày" in alerts.order_by("-day").first().text


def test_the_task_reminds_and_escalates_on_the_local_day(people, cell_a):
    soon = make_direction("CĐ-2026-010", due_on=days(1), units=[cell_a])
    late = make_direction("CĐ-2026-011", due_on=days(-1), units=[cell_a])
    with at(D, hour=23):
        first = tasks.remind_due.call(), tasks.alert_overdue.call()
        second = tasks.remind_due.call(), tasks.alert_overdue.call()
    assert first[0]["directions"]["reminders"] == 1
    assert first[1]["directions"]["escalations"] == 1
    assert second[0]["directions"]["reminders"] == 0
    assert second[1]["directions"]["escalations"] == 0
    assert soon.updates.count() == 1 and late.updates.count() == 1


# --- issues -------------------------------------------------------------------------------------


def issue(code, **fields) -> Issue:
    return Issue.objects.create(code=code, title=f"Vấn đề {code}", **fields)


def test_an_overdue_issue_alerts_the_office_and_leaders_once_a_day(people, cell_b):
    late = issue("VD-2026-0001", owner_unit=cell_b, due_on=days(-3),
                 status=Issue.Status.ASSIGNED)
    issue("VD-2026-0002", owner_unit=cell_b, due_on=days(-3), status=Issue.Status.CLOSED)
    issue("VD-2026-0003", owner_unit=cell_b, due_on=D, status=Issue.Status.ASSIGNED)  # due today
    run = alert_overdue_issues(today=D)
    again = alert_overdue_issues(today=D)
    assert (run.alerts, again.alerts) == (2, 0)
    alerts = Alert.objects.filter(kind=Alert.Kind.ISSUE_OVERDUE)
    assert set(alerts.values_list("subject", flat=True)) == {f"issue-overdue:{late.pk}"}
    assert alerts.first().text == (
        "Vấn đề VD-2026-0001 quá hạn 3 ngày: Vấn đề VD-2026-0001 "
        "(đơn vị xử lý: Chi bộ Tổ dân phố 2)")
    # the next day: told again, and the issue due yesterday has joined it
    assert alert_overdue_issues(today=days(1)).alerts == 4


def test_an_issue_near_its_due_date_reminds_its_owner_unit(people, cell_a, cell_b, ward):
    soon = issue("VD-2026-0004", owner_unit=cell_b, due_on=days(2),
                 status=Issue.Status.ASSIGNED)
    issue("VD-2026-0005", due_on=days(1), status=Issue.Status.WATCHING)  # no owner: nobody
    issue("VD-2026-0006", owner_unit=cell_a, due_on=days(1), status=Issue.Status.ANSWERED)
    nobody = OrgUnit.objects.create(code="chi-bo-9", name="Chi bộ 9", kind=OrgUnit.Kind.PARTY_CELL,
                                    parent=ward)
    orphan = issue("VD-2026-0007", owner_unit=nobody, due_on=days(3),
                   status=Issue.Status.ASSIGNED)
    with at(D):
        run = remind_issues_due(today=local_today())
        again = remind_issues_due(today=local_today())
    assert (run.reminders, again.reminders) == (2, 0)
    assert notified(people["binh"]) == [
        "Nhắc hạn xử lý vấn đề VD-2026-0004: Vấn đề VD-2026-0004 — còn 2 ngày (hạn 12/03/2026)."]
    assert notified(people["an"]) == []  # an answered issue is not open
    [office_notice] = notified(people["office"])  # a unit with nobody: the office is told
    assert office_notice.startswith("Đơn vị chưa có người phụ trách nhận nhắc hạn.")
    assert "VD-2026-0007" in office_notice
    assert AuditEntry.objects.filter(action="remind", object_id=str(soon.pk)).count() == 1
    assert AuditEntry.objects.filter(action="remind", object_id=str(orphan.pk)).count() == 1


# --- bursts and rising topics -------------------------------------------------------------------


def test_bursts_become_alerts_to_their_subscribers_once(people, cell_a, area_1):
    environment = Topic.objects.get(name="Môi trường")
    subscribe(user=people["leader"], topic=environment, by_email=False)
    subscribe(user=people["office"], area=area_1, by_email=False)
    about_issue = issue("VD-2026-0010", topic=environment, area=area_1)
    BurstAlert.objects.create(issue=about_issue, detected_on=D, count=9, baseline=1.5,
                              reason="9 ý kiến trong 3 ngày; bình thường 1–2")
    other = Topic.objects.exclude(pk=environment.pk).first()
    BurstAlert.objects.create(topic=other, detected_on=days(-1), count=5, baseline=1,
                              reason="5 ý kiến trong 3 ngày")
    BurstAlert.objects.create(topic=environment, detected_on=days(-2), count=5, baseline=1,
                              reason="đã cũ")
    run = alert_bursts(today=D)
    assert alert_bursts(today=D).alerts == 0
    assert run.alerts == 2
    rows = Alert.objects.filter(kind=Alert.Kind.BURST)
    assert set(rows.values_list("user__username", "subject", "day")) == {
        ("lanhdao", f"burst:issue:{about_issue.pk}", D),
        ("vanphong", f"burst:issue:{about_issue.pk}", D),
    }
    assert rows.first().url == f"/van-de/{about_issue.pk}/"
    assert "9 ý kiến trong 3 ngày; bình thường 1–2" in rows.first().text
    # yesterday's topic burst reaches someone who follows everything, dated by its detection
    subscribe(user=people["leader"], by_email=False)
    alert_bursts(today=D)
    assert Alert.objects.filter(subject=f"burst:topic:{other.pk}").values_list(
        "day", flat=True).get() == days(-1)
    assert alert_bursts(today=D).alerts == 0


def test_rising_waits_for_the_selector_and_then_alerts(people, monkeypatch):
    subscribe(user=people["leader"], by_email=False)
    monkeypatch.setitem(sys.modules, "picture.selectors", types.ModuleType("picture.selectors"))
    skipped = alert_rising(today=D)
    assert skipped.alerts == 0 and "rising_now" in skipped.notes[0]

    environment = Topic.objects.get(name="Môi trường")
    selectors = types.ModuleType("picture.selectors")
    selectors.rising_now = lambda today: [{
        "kind": "topic", "key": str(environment.pk), "name": "Môi trường", "count": 12,
        "expected_low": 2, "expected_high": 4, "reason": "12 ý kiến trong 7 ngày; bình thường 2–4",
        "topic_id": environment.pk, "area_id": None,
    }]
    monkeypatch.setitem(sys.modules, "picture.selectors", selectors)
    assert alert_rising(today=D).alerts == 1
    assert alert_rising(today=D).alerts == 0
    alert = Alert.objects.get()
    assert alert.subject == f"rising:topic:{environment.pk}" and alert.kind == Alert.Kind.RISING
    assert alert.text == "Đang nóng lên — Môi trường: 12 ý kiến trong 7 ngày; bình thường 2–4"


def test_the_digest_task_waits_for_the_morning(people, django_capture_on_commit_callbacks):
    subscribe(user=people["leader"], frequency="daily", by_email=True)
    Alert.objects.create(user=people["leader"], kind="burst", subject="s", day=D, text="Tăng")
    with at(D, hour=5):
        assert "waiting_until_hour" in tasks.send_digests.call()
    with at(D, hour=7), django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_digests.call()["sent"] == 1
        assert tasks.send_digests.call()["sent"] == 0
    assert len(mail.outbox) == 1
