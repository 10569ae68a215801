import datetime as dt
import json
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django_tasks import TaskResultStatus

from core.models import Notification
from reporting.models import Reminder
from reporting.tasks import send_reminders

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def cast(an, binh, monthly):
    for user in (an, binh):
        user.email = f"{user.username}@example.vn"
        user.save()
    return monthly


def test_enqueued_task_sends_once_however_often_it_runs(cast, django_capture_on_commit_callbacks):
    with time_machine.travel(dt.datetime(2025, 11, 26, 8, 0, tzinfo=HANOI), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            first = send_reminders.enqueue()
        assert first.status == TaskResultStatus.SUCCESSFUL
        counts = first.return_value
        json.dumps(counts)  # the database backend stores it as JSON
        assert counts["today"] == "2025-11-26"
        assert counts["overdue"] == Reminder.objects.count() > 0
        assert counts["emails"] == len(mail.outbox)
        seen = (len(mail.outbox), Notification.objects.count())
        for _ in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                again = send_reminders.enqueue()
            assert again.return_value["sent"] == 0
        assert (len(mail.outbox), Notification.objects.count()) == seen


def test_task_takes_an_iso_day(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = send_reminders.enqueue(today="2025-11-22")
    assert result.return_value["before"] == 2
    assert {m.subject for m in mail.outbox} >= {
        "Nhắc hạn nộp báo cáo tháng 11/2025 — hạn 24/11/2025"  # "trước ngày 25", the default
    }


def test_task_refuses_a_malformed_day(cast):
    result = send_reminders.enqueue(today="25/11/2025")
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class.__name__ == "ServiceError"
    assert Reminder.objects.count() == 0
