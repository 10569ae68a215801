"""Burst detection over stored items: one alert per issue or topic per day, with the reason in
Vietnamese, the office told in the app; steady or closed issues stay quiet."""

from __future__ import annotations

import datetime as dt

import pytest

from core.models import Notification, Topic
from issues import services
from issues.models import BurstAlert, Issue
from issues.tasks import detect_bursts_task
from issues.tests.helpers import issue, item

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 4, 30)


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def burst_on(target: Issue, *, topic: Topic | None = None) -> None:
    """An item every ten days for six weeks, then eight in the last three days."""
    for n in (45, 35, 25, 15, 8):
        made = item(f"Rác ở chợ, ngày {n}", days_ago(n), issue=target)
        if topic:
            made.topics.add(topic)
    for n in (0, 0, 0, 1, 1, 1, 2, 2):
        made = item("Rác tràn ra đường ở chợ Hòa Bình", days_ago(n), issue=target)
        if topic:
            made.topics.add(topic)


def test_a_burst_raises_one_alert_with_the_reason_in_vietnamese(vanphong, an):
    target = issue()
    burst_on(target)
    run = services.detect_bursts(today=TODAY)
    assert run.created == 1
    alert = BurstAlert.objects.get()
    assert (alert.issue, alert.topic, alert.detected_on, alert.count) == (target, None, TODAY, 8)
    assert alert.reason.startswith("8 ý kiến trong 3 ngày, gấp ")
    assert alert.reason.endswith(" lần mức thường")
    assert alert.baseline < 2
    note = Notification.objects.get(user=vanphong)
    assert target.code in note.text and alert.reason in note.text
    assert note.url == f"/van-de/{target.pk}/"
    assert not Notification.objects.filter(user=an).exists()  # only the office is alerted
    assert target.events.filter(kind="note", note__contains=alert.reason).exists()

    again = services.detect_bursts(today=TODAY)
    assert (again.created, again.existing) == (0, 1)
    assert BurstAlert.objects.count() == 1 and Notification.objects.count() == 1


def test_steady_counts_raise_no_alert(vanphong):
    target = issue()
    for n in range(50):
        item("Đèn đường hỏng ở ngõ 62", days_ago(n), issue=target)
    assert services.detect_bursts(today=TODAY).created == 0
    assert not BurstAlert.objects.exists() and not Notification.objects.exists()


def test_a_topic_burst_is_alerted_and_a_closed_issue_is_not(vanphong):
    env = Topic.objects.get(name="Môi trường")
    target = issue(status=Issue.Status.CLOSED)
    burst_on(target, topic=env)
    result = detect_bursts_task.enqueue(today=TODAY.isoformat()).return_value
    assert result == {"today": "2026-04-30", "created": 1, "existing": 0}
    alert = BurstAlert.objects.get()
    assert (alert.issue, alert.topic) == (None, env)
    assert "Môi trường" in Notification.objects.get(user=vanphong).text


def test_a_brand_new_issue_with_many_items_is_called_new(vanphong):
    target = issue()
    for n in (0, 0, 1, 1, 2, 2):
        item("Cây đổ chắn đường Nguyễn Trãi", days_ago(n), issue=target)
    services.detect_bursts(today=TODAY)
    assert BurstAlert.objects.get().reason == "6 ý kiến trong 3 ngày về một vấn đề mới"
