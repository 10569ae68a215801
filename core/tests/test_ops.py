"""Issue 16, findings 5, 6 and 7: address salts, the e-mail outbox, dead workers' claims."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import signal

import pytest
import time_machine
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core import outbox, worker
from core.models import DailySalt, OutgoingEmail, WorkerBeat
from core.salts import address_hashes, purge_old_salts

NOW = dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC)


# --- finding 5: address hashes --------------------------------------------------------------------


def _old_style(ip: str, day: dt.date, secret: str) -> str:
    key = f"{secret}:public-feedback:{day.isoformat()}".encode()
    return hmac.new(key, ip.encode(), hashlib.sha256).hexdigest()[:32]


@pytest.mark.django_db
def test_the_hash_is_not_reproducible_from_the_address_and_the_secret_key(settings):
    hashes = address_hashes("203.0.113.7", NOW, "public-feedback")
    assert len(hashes) == 1  # no salt for yesterday: nothing to match, none made
    guesses = {_old_style("203.0.113.7", NOW.date(), settings.SECRET_KEY)}
    for secret in (settings.SECRET_KEY, ""):
        for purpose in ("public-feedback", ""):
            key = f"{secret}:{purpose}".encode()
            guesses.add(hmac.new(key, b"203.0.113.7", hashlib.sha256).hexdigest()[:32])
            guesses.add(hashlib.sha256(f"{secret}203.0.113.7".encode()).hexdigest()[:32])
    assert not guesses & set(hashes)
    # Stable within the day (the throttle needs that), different for another address.
    assert address_hashes("203.0.113.7", NOW, "public-feedback") == hashes
    assert address_hashes("203.0.113.8", NOW, "public-feedback") != hashes
    # The salt is random per installation: another database gives another hash.
    DailySalt.objects.all().delete()
    assert address_hashes("203.0.113.7", NOW, "public-feedback") != hashes


@pytest.mark.django_db
def test_yesterdays_salt_still_matches_and_salts_older_than_48_hours_are_gone():
    with time_machine.travel(NOW, tick=False):
        first = address_hashes("203.0.113.7", NOW, "public-feedback")
    later = NOW + dt.timedelta(days=1)
    with time_machine.travel(later, tick=False):
        today, yesterday = address_hashes("203.0.113.7", later, "public-feedback")
    assert yesterday == first[0] and today != first[0]
    with time_machine.travel(NOW + dt.timedelta(hours=47), tick=False):
        assert purge_old_salts() == 0
    with time_machine.travel(NOW + dt.timedelta(hours=49), tick=False):
        assert purge_old_salts() == 1
    assert list(DailySalt.objects.values_list("day", flat=True)) == [later.date()]
    # Making a new day's salt purges on its way too.
    three_days = NOW + dt.timedelta(days=3, hours=1)
    with time_machine.travel(three_days, tick=False):
        address_hashes("203.0.113.7", three_days, "public-feedback")
    assert list(DailySalt.objects.values_list("day", flat=True)) == [three_days.date()]


# --- finding 6: the outbox ------------------------------------------------------------------------


class FlakyBackend:
    """Refuses every message while ``down``; otherwise hands them to Django's test outbox."""

    down = True

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        if FlakyBackend.down:
            raise ConnectionRefusedError("[Errno 111] Connection refused")
        mail.outbox.extend(messages)
        return len(messages)

    def close(self):
        pass


def _queue(subject="Nhắc hạn nộp báo cáo tháng 3/2026"):
    from django.core.mail import EmailMessage

    return outbox.queue_email(
        EmailMessage(subject=subject, body="Kính gửi đồng chí…", from_email="ld@x.vn",
                     to=["an@x.vn"]), kind="reminder", ref="reminder:1")


@pytest.mark.django_db
@override_settings(EMAIL_BACKEND="core.tests.test_ops.FlakyBackend")
def test_a_failing_mail_server_is_retried_later_with_back_off(django_capture_on_commit_callbacks):
    FlakyBackend.down = True
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            row = _queue()  # after commit the send task runs (at once in tests) and fails
        row.refresh_from_db()
        assert row.state == OutgoingEmail.State.PENDING and row.attempts == 1
        assert "Máy chủ thư không nhận thư" in row.last_error
        assert row.next_attempt_at == NOW + dt.timedelta(minutes=1)
        assert outbox.send_due_emails() == {"sent": 0, "retry": 0, "failed": 0}  # not yet due
    with time_machine.travel(NOW + dt.timedelta(minutes=2), tick=False):
        assert outbox.send_due_emails()["retry"] == 1
        row.refresh_from_db()
        assert row.attempts == 2
        assert row.next_attempt_at == NOW + dt.timedelta(minutes=7)  # 5 minutes later
    FlakyBackend.down = False
    with time_machine.travel(NOW + dt.timedelta(minutes=8), tick=False):
        assert outbox.send_due_emails()["sent"] == 1
        assert outbox.send_due_emails()["sent"] == 0  # sent once
    row.refresh_from_db()
    assert row.state == OutgoingEmail.State.SENT and row.last_error == "" and row.attempts == 3
    assert [m.subject for m in mail.outbox] == ["Nhắc hạn nộp báo cáo tháng 3/2026"]


@pytest.mark.django_db
@override_settings(EMAIL_BACKEND="core.tests.test_ops.FlakyBackend")
def test_a_message_refused_too_often_is_failed_for_good():
    FlakyBackend.down = True
    row = _queue()
    moment = timezone.now()
    for _ in range(outbox.MAX_ATTEMPTS):
        moment += dt.timedelta(hours=7)
        with time_machine.travel(moment, tick=False):
            outbox.send_due_emails()
    row.refresh_from_db()
    assert row.state == OutgoingEmail.State.FAILED and row.attempts == outbox.MAX_ATTEMPTS
    assert row.next_attempt_at is None


@pytest.mark.django_db
def test_a_rollback_queues_nothing():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        _queue()
        raise RuntimeError
    assert not OutgoingEmail.objects.exists()


# --- finding 7: a dead worker's claim -------------------------------------------------------------


RUNS: list[str] = []


def _claimed_task(worker_id: str, started: dt.datetime) -> DBTaskResult:
    from core.tests.ops_tasks import record_run

    result = record_run.using(backend="db").enqueue("grouping")
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker_id)
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=started)
    return DBTaskResult.objects.get(pk=row.pk)


DB_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "db": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS=DB_TASKS)
def test_a_dead_workers_task_is_requeued_and_finishes_exactly_once(monkeypatch):
    from django.core.management import call_command

    from core.tests import ops_tasks

    ops_tasks.RUNS.clear()
    monkeypatch.setenv("LONGDAN_WORKER_TIMEOUT", "60")
    now = timezone.now()
    worker.beat("dead-worker", now - dt.timedelta(minutes=5))  # killed five minutes ago
    worker.beat("live-worker", now)
    dead = _claimed_task("dead-worker", now - dt.timedelta(minutes=5))
    live = _claimed_task("live-worker", now - dt.timedelta(minutes=5))  # a long task, alive
    fresh = _claimed_task("unknown-worker", now - dt.timedelta(seconds=5))  # just claimed

    assert [r.pk for r in worker.stuck_tasks(now)] == [dead.pk]
    # A worker's own heartbeat, held up past the timeout, never releases its own task.
    assert worker.stuck_tasks(now, alive="dead-worker") == []
    assert worker.release_stale_claims(now, alive="dead-worker") == []
    assert worker.release_stale_claims(now) == [str(dead.pk)]
    assert worker.release_stale_claims(now) == []  # released once
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[dead.pk] == TaskResultStatus.READY
    assert statuses[live.pk] == statuses[fresh.pk] == TaskResultStatus.RUNNING

    # The worker installs its own SIGINT/SIGTERM/SIGQUIT handlers in this (pytest's) process;
    # left in place they would turn a later Ctrl+C or SIGTERM into a SystemExit inside some test.
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload",
                     "--backend", "db", "--queue-name", "*", "--worker-id", "new-worker",
                     "--verbosity", "0")
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    dead.refresh_from_db()
    assert dead.status == TaskResultStatus.SUCCESSFUL and dead.finished_at is not None
    assert dead.worker_ids == ["dead-worker", "new-worker"]
    assert ops_tasks.RUNS == ["grouping"]  # exactly once


@pytest.mark.django_db
def test_old_heartbeats_are_forgotten():
    worker.beat("long-gone", timezone.now() - dt.timedelta(hours=2))
    worker.release_stale_claims()
    assert not WorkerBeat.objects.filter(worker_id="long-gone").exists()


# --- the system page ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_system_page_shows_stuck_tasks_and_mail_to_the_office_only(vanphong, an):
    worker.beat("w-1", timezone.now())
    OutgoingEmail.objects.create(subject="Quá hạn nộp báo cáo", body="…", from_email="a@x.vn",
                                 to=["an@x.vn"], attempts=2,
                                 last_error="Máy chủ thư không nhận thư")
    client = Client()
    client.force_login(vanphong)
    page = client.get(reverse("system_health")).content.decode()
    assert "Tình trạng hệ thống" in page and "w-1" in page
    assert "Quá hạn nộp báo cáo" in page and "Đang chờ gửi" in page
    assert "Máy chủ thư không nhận thư" in page
    client.force_login(an)
    assert client.get(reverse("system_health")).status_code == 404
