"""Backups as an operation (issue 10): the 7/4/12 retention, the nightly run and its record, the
office told of a failure, no restore while the app runs, and the health endpoint."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from core import backup_retention, backup_runs, runlock
from core.backup import Place
from core.backup_retention import Policy, keep
from core.errors import BackupError
from core.models import BackupRun, Notification, OutgoingEmail, WorkerBeat
from core.worker import beat

ROOT = Path(__file__).resolve().parents[2]
UTC = dt.UTC


# --- retention (pure) ----------------------------------------------------------------------------

moments = st.lists(
    st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2027, 12, 31)),
    min_size=1, max_size=120, unique=True)


def _reference(all_moments, policy: Policy | None = None) -> set:
    """The policy stated bucket by bucket, not walked: for each rule, the buckets that have a
    backup, the most recent N of them, and the newest backup of each."""
    policy = policy or Policy()
    kept = set()
    rules = ((lambda m: m.date(), policy.daily), (lambda m: m.isocalendar()[:2], policy.weekly),
             (lambda m: (m.year, m.month), policy.monthly))
    for bucket, count in rules:
        buckets: dict = {}
        for moment in all_moments:
            buckets.setdefault(bucket(moment), []).append(moment)
        for key in sorted(buckets)[-count:] if count else []:
            kept.add(max(buckets[key]))
    return kept


@settings(max_examples=300, deadline=None)
@given(moments)
def test_retention_keeps_exactly_the_newest_of_each_recent_day_week_and_month(given_moments):
    kept = keep(given_moments)
    assert max(given_moments) in kept  # never deletes the newest
    assert kept <= set(given_moments)
    assert kept == _reference(given_moments)
    assert len(kept) <= 7 + 4 + 12
    assert keep(kept) == kept  # pruning again deletes nothing more


@settings(max_examples=150, deadline=None)
@given(moments, st.integers(0, 10), st.integers(0, 6), st.integers(0, 14))
def test_pruning_after_every_backup_keeps_what_pruning_once_keeps(given_moments, d, w, m):
    policy = Policy(max(d, 1), w, m)
    present: set = set()
    for moment in sorted(given_moments):  # backups arrive in time order, pruned each time
        present = keep(present | {moment}, policy)
    assert present == keep(given_moments, policy) == _reference(given_moments, policy)


def test_a_year_of_nightly_backups_leaves_the_seven_four_twelve():
    nights = [dt.datetime(2026, 1, 1, 2, 0) + dt.timedelta(days=i) for i in range(400)]
    present: set = set()
    for night in nights:
        present = keep(present | {night})
    last = nights[-1]
    assert last == dt.datetime(2027, 2, 4, 2, 0) and last.weekday() == 3  # a Thursday
    days = {last - dt.timedelta(days=i) for i in range(7)}  # 29 January - 4 February
    # This week's newest is today; the three weeks before end on Sundays.
    sundays = {dt.datetime(2027, 1, day, 2) for day in (31, 24, 17)}
    # This month's newest is today; the eleven months before, their last days (March 2026 on).
    month_ends = {dt.datetime(2027, 1, 31, 2), dt.datetime(2026, 12, 31, 2)} | {
        dt.datetime(2026, month + 1, 1, 2) - dt.timedelta(days=1) for month in range(3, 12)}
    assert present == days | sundays | month_ends
    assert len(present) == 7 + 2 + 10  # 31 January is a day, a week's and a month's


def test_only_the_app_s_file_names_are_backups():
    assert backup_retention.moment_of("longdan-20261205-020000.tar.gz") == dt.datetime(
        2026, 12, 5, 2, 0, tzinfo=UTC)
    assert backup_retention.moment_of("longdan-20261205-020000.tar.gz.enc") is not None
    for other in ("notes.txt", "longdan-20261205.tar.gz", "longdan-20261399-020000.tar.gz",
                  "longdan-20261205-020000.tar.gz.partial", "x-longdan-20261205-020000.tar.gz"):
        assert backup_retention.moment_of(other) is None


# --- the nightly run and its record ---------------------------------------------------------------


@pytest.fixture
def tiny(tmp_path) -> Place:
    """A small SQLite database shaped like the app's (a migrations table and one of rows)."""
    var = tmp_path / "var"
    var.mkdir()
    conn = sqlite3.connect(var / "longdan.sqlite3")
    conn.executescript(
        "CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, name TEXT,"
        " applied TEXT); INSERT INTO django_migrations VALUES (1, 'core', '0001_initial', '');"
        " CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);"
        " INSERT INTO notes (text) VALUES ('một'), ('hai');")
    conn.commit()
    conn.close()
    return Place("sqlite", var, sqlite_path=var / "longdan.sqlite3")


@pytest.fixture
def nightly(settings, tmp_path):
    settings.LONGDAN_BACKUP_NIGHTLY = True
    settings.LONGDAN_BACKUP_DIR = tmp_path / "backups"
    settings.LONGDAN_BACKUP_HOUR = 2
    return settings.LONGDAN_BACKUP_DIR


def _at(local: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(local))


def test_the_night_backs_up_once_from_its_hour_and_prunes(db, tiny, nightly, monkeypatch):
    monkeypatch.delenv("LONGDAN_BACKUP_KEY", raising=False)
    monkeypatch.delenv("LONGDAN_BACKUP_KEY_FILE", raising=False)
    nightly.mkdir()
    old = [nightly / f"longdan-202611{day:02d}-190000.tar.gz" for day in range(1, 21)]
    for path in old:
        path.write_bytes(b"old")
    (nightly / "ghi-chu.txt").write_text("not a backup")

    # 01:30 local on 5 Dec belongs to the night of 4 Dec, which has no backup: due.
    first = backup_runs.run_nightly(_at("2026-12-05T01:30"), tiny)
    assert first["ok"] and first["night"] == "2026-12-04"
    again = backup_runs.run_nightly(_at("2026-12-05T01:45"), tiny)
    assert again == {"skipped": "done-or-running", "night": "2026-12-04"}
    time.sleep(1.1)  # file names have seconds
    second = backup_runs.run_nightly(_at("2026-12-05T02:10"), tiny)
    assert second["ok"] and second["night"] == "2026-12-05"

    runs = list(BackupRun.objects.order_by("started_at"))
    assert [(r.kind, r.night.isoformat(), r.ok) for r in runs] == [
        ("nightly", "2026-12-04", True), ("nightly", "2026-12-05", True)]
    assert runs[0].size > 0 and runs[0].finished_at >= runs[0].started_at
    names = sorted(p.name for p in nightly.iterdir())
    assert "ghi-chu.txt" in names and runs[1].file_name in names
    left = {timezone.localtime(backup_retention.moment_of(n)) for n in names
            if backup_retention.moment_of(n)}
    assert left == backup_retention.keep(left)
    # 19:00 UTC is 02:00 of the next day in Việt Nam: local days 2-21 November. Kept: the six
    # newest days (16-21) beside today, the newest of the weeks of 9-15 and 2-8 November (Sundays
    # 15 and 8); November's newest is the 21st.
    kept_old = sorted(p.name[8:16] for p in old if p.exists())
    assert kept_old == ["20261107", "20261114", "20261115", "20261116", "20261117",
                        "20261118", "20261119", "20261120"]
    assert runs[0].pruned + runs[1].pruned == 13


def test_a_failed_night_is_recorded_told_to_the_office_and_retried(db, vanphong, nightly,
                                                                   tmp_path):
    vanphong.email = "vanphong@example.org"
    vanphong.save()
    gone = Place("sqlite", tmp_path, sqlite_path=tmp_path / "missing.sqlite3")
    now = _at("2026-12-05T03:00")
    result = backup_runs.run_nightly(now, gone)
    assert result["ok"] is False and "không tìm thấy tệp cơ sở dữ liệu" in result["error"]
    run = BackupRun.objects.get()
    assert run.ok is False and run.attempt == 1 and "missing.sqlite3" in run.error
    note = Notification.objects.get(user=vanphong)
    assert "Sao lưu hằng đêm 05/12/2026 không thành công (lần 1/3)" in note.text
    assert note.url == "/he-thong/"
    mail = OutgoingEmail.objects.get()
    assert mail.to == ["vanphong@example.org"] and "không thành công" in mail.subject
    for attempt in (2, 3):
        assert backup_runs.run_nightly(now + dt.timedelta(hours=attempt), gone)["ok"] is False
    assert backup_runs.run_nightly(now + dt.timedelta(hours=5), gone)["skipped"]
    assert BackupRun.objects.count() == 3 and Notification.objects.count() == 3


def test_the_nightly_backup_is_off_when_told(db, nightly, tiny, settings):
    settings.LONGDAN_BACKUP_NIGHTLY = False
    assert backup_runs.run_nightly(_at("2026-12-05T03:00"), tiny) == {"skipped": "disabled"}
    assert not BackupRun.objects.exists()


# --- the health endpoint --------------------------------------------------------------------------


def _healthy_world(now=None):
    now = now or timezone.now()
    beat("w-1", now, kind="worker")
    beat("s-1", now, kind="scheduler")
    BackupRun.objects.create(kind="nightly", night=now.date(), started_at=now, finished_at=now,
                             ok=True, file_name="longdan-x.tar.gz", size=10)


def test_health_is_200_when_every_check_holds_and_names_what_fails(db, client):
    response = client.get("/suc-khoe/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail" and set(body["failed"]) == {"workers", "backup"}
    assert body["checks"]["database"]["ok"] and body["checks"]["database"]["latency_ms"] >= 0
    assert "Chưa có bản sao lưu nào thành công" in body["checks"]["backup"]["detail"]

    _healthy_world()
    body = client.get("/suc-khoe/").json()
    assert body["status"] == "ok" and body["failed"] == []
    workers = body["checks"]["workers"]["kinds"]
    assert workers["worker"]["alive"] == 1 and workers["scheduler"]["newest_beat_age_seconds"] < 5
    assert body["checks"]["queue"]["waiting"] == 0
    assert body["checks"]["backup"]["last_success_age_hours"] < 0.1


def test_health_fails_on_a_silent_scheduler_an_old_backup_and_a_stuck_queue(db, client):
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    _healthy_world(now)
    WorkerBeat.objects.filter(kind="scheduler").update(beat_at=now - dt.timedelta(minutes=5))
    BackupRun.objects.update(finished_at=now - dt.timedelta(hours=31))
    BackupRun.objects.create(kind="manual", started_at=now, finished_at=now, ok=False,
                             error="/srv/secret/path: hỏng")
    DBTaskResult.objects.create(task_path="core.tasks.housekeeping", args_kwargs={},
                                backend_name="default", queue_name="default",
                                run_after=now - dt.timedelta(minutes=20))
    DBTaskResult.objects.filter().update(enqueued_at=now - dt.timedelta(minutes=20))
    response = client.get("/suc-khoe/")
    assert response.status_code == 503
    body = response.json()
    assert set(body["failed"]) == {"workers", "queue", "backup"}
    assert body["checks"]["workers"]["kinds"]["worker"]["ok"]
    assert "Lịch định kỳ (longdan scheduler) im lặng" in body["checks"]["workers"]["detail"]
    assert body["checks"]["queue"]["waiting"] == 1
    assert body["checks"]["backup"]["last_run_failed"] is True
    assert "31 giờ" in body["checks"]["backup"]["detail"]
    text = response.content.decode()
    assert "/srv/secret" not in text and "w-1" not in text and "s-1" not in text


def test_health_says_which_check_failed_when_the_database_is_gone(db, client, monkeypatch):
    from django.db import OperationalError
    from django.db.backends.utils import CursorWrapper

    def refuse(self, sql, params=None):
        raise OperationalError("database is locked")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get("/suc-khoe/")
    monkeypatch.undo()
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["database", "workers", "queue", "backup"]
    assert body["checks"]["database"]["detail"] == "Cơ sở dữ liệu không trả lời."


def test_health_behind_a_token(db, client, settings):
    settings.LONGDAN_HEALTH_TOKEN = "ma-giam-sat-0123456789"
    _healthy_world()
    assert client.get("/suc-khoe/").status_code == 401
    assert client.get("/suc-khoe/", HTTP_AUTHORIZATION="Bearer sai").status_code == 401
    ok = client.get("/suc-khoe/", HTTP_AUTHORIZATION="Bearer ma-giam-sat-0123456789")
    assert ok.status_code == 200 and ok.json()["status"] == "ok"


def test_the_system_page_shows_the_checks_and_the_backups(db, vanphong, an):
    _healthy_world()
    BackupRun.objects.create(kind="nightly", night=dt.date(2026, 12, 4), attempt=1,
                             started_at=timezone.now(), finished_at=timezone.now(), ok=False,
                             error="pg_dump báo lỗi: không kết nối được")
    office = Client()
    office.force_login(vanphong)
    page = office.get("/he-thong/").content.decode()
    assert "Sức khỏe" in page and "Mọi kiểm tra đều đạt." in page
    assert "Lần sao lưu gần nhất không thành công." in page
    assert "pg_dump báo lỗi: không kết nối được" in page and "longdan-x.tar.gz" in page
    assert "Chưa đặt khóa sao lưu" in page and "Lịch định kỳ" in page
    reporter = Client()
    reporter.force_login(an)
    assert reporter.get("/he-thong/").status_code == 404


# --- no restore while the app runs ----------------------------------------------------------------


def _env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
           and not k.startswith("LONGDAN_BACKUP_")}
    env["LONGDAN_VAR_DIR"] = str(var_dir)
    env.update(extra)
    return env


def _longdan(var_dir: Path, *argv: str, timeout: float = 180):
    return subprocess.run([sys.executable, "-m", "longdan.commands", *argv], env=_env(var_dir),
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def _migrate(var_dir: Path) -> None:
    done = subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=_env(var_dir),
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr


def test_a_restore_is_refused_while_the_app_runs_and_the_app_waits_for_a_restore(tmp_path):
    source = tmp_path / "source"
    _migrate(source)
    out = tmp_path / "out"
    out.mkdir()
    assert _longdan(source, "backup", "--out", str(out)).returncode == 0
    [archive] = out.iterdir()

    app = tmp_path / "app"  # the app runs here; its database was moved away, so it is empty
    app.mkdir()
    errors = open(tmp_path / "scheduler.err", "w")  # noqa: SIM115 - closed below
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "longdan.commands", "scheduler", "--minutes", "60"],
        env=_env(source), cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True)
    try:
        assert "Đã đưa" in scheduler.stdout.readline()  # running: locked, migrated, ticked
        assert runlock.app_running(source)
        (source / "longdan.sqlite3").rename(tmp_path / "moved-away.sqlite3")
        refused = _longdan(source, "restore", str(archive))
        assert refused.returncode == 2, refused.stdout
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and "đang chạy" in lines[0] and "hãy dừng ứng dụng" in lines[0]
        # (The running scheduler's next beat has already made a new, empty database file there:
        # what a restore underneath a running app would race with.)
        assert not (source / "models").exists()
        assert not [p for p in source.iterdir() if p.name.startswith(".longdan-restore")]
    finally:
        scheduler.terminate()
        scheduler.wait(30)
        errors.close()
    assert not runlock.app_running(source)  # the lock went with the process
    assert _longdan(source, "restore", str(archive)).returncode == 0

    with runlock.exclusive(app):  # a restore in progress: the app does not start
        started = _longdan(app, "worker", "--batch")
    assert started.returncode == 2 and "đang phục hồi dữ liệu" in started.stderr


def test_the_lock_is_shared_among_the_app_and_exclusive_for_a_restore(tmp_path):
    first, second = runlock.hold_shared(tmp_path), runlock.hold_shared(tmp_path)
    with pytest.raises(BackupError, match="đang chạy"):
        with runlock.exclusive(tmp_path):
            pass
    first.release()
    assert runlock.app_running(tmp_path)
    second.release()
    with runlock.exclusive(tmp_path):
        with pytest.raises(BackupError, match="đang phục hồi"):
            runlock.hold_shared(tmp_path)
    assert list(tmp_path.iterdir()) == []  # nothing written into VAR_DIR for it


# --- the scheduler end to end ---------------------------------------------------------------------


def test_the_scheduler_and_a_worker_make_the_night_s_backup(tmp_path):
    var = tmp_path / "var"
    _migrate(var)
    env = _env(var, LONGDAN_BACKUP_HOUR="0")
    once = subprocess.run([sys.executable, "-m", "longdan.commands", "scheduler", "--once"],
                          env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert once.returncode == 0, once.stderr
    work = subprocess.run([sys.executable, "-m", "longdan.commands", "worker", "--batch"],
                          env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert work.returncode == 0, work.stderr
    [made] = (var / "backups").iterdir()
    assert made.name.startswith("longdan-") and made.name.endswith(".tar.gz")
    conn = sqlite3.connect(var / "longdan.sqlite3")
    runs = conn.execute("SELECT kind, ok, size, file_name FROM core_backuprun").fetchall()
    conn.close()
    assert runs == [("nightly", 1, made.stat().st_size, made.name)]
    summary = json.loads(_longdan(var, "backup", "--out", str(tmp_path), "--json").stdout)
    assert summary["signed"] is False and summary["encrypted"] is False


def test_a_run_unfinished_past_its_timeout_reads_as_interrupted(db, vanphong):
    """A restored backup carries its own run, recorded before its snapshot as running; a run
    whose process died likewise: past the timeout the system page says it was interrupted."""
    _healthy_world()
    long_ago = timezone.now() - dt.timedelta(hours=5)
    BackupRun.objects.create(kind="nightly", night=dt.date(2026, 12, 1), attempt=1,
                             started_at=long_ago)
    BackupRun.objects.create(kind="manual", started_at=timezone.now())
    office = Client()
    office.force_login(vanphong)
    page = office.get("/he-thong/").content.decode()
    assert page.count("Bị gián đoạn") == 1 and "Đang chạy" in page
