"""The installation's health, for the monitoring system (``GET /suc-khoe/``) and the office's
system page (issue 10).

Four checks, each ``{"ok": bool, ...facts, "detail": Vietnamese sentence}``:

- ``database``: a ``SELECT 1`` answers; its latency in milliseconds.
- ``workers``: per kind of background process ("worker", "scheduler") the age of the newest
  heartbeat; failed when a kind has no beat within LONGDAN_WORKER_TIMEOUT (60 s).
- ``queue``: tasks waiting (due, not started) and running; failed when the oldest due task has
  waited more than LONGDAN_HEALTH_QUEUE_MINUTES (15).
- ``backup``: the age of the last successful backup (nightly or by hand) and whether the last
  one failed; failed past LONGDAN_HEALTH_BACKUP_HOURS (30) or with none at all.

Only counts, ages and booleans: no host names, paths, error texts, user or unit names, so it can
be open without login (or behind LONGDAN_HEALTH_TOKEN).
"""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

KINDS = {"worker": "tiến trình tác vụ nền (longdan worker)",
         "scheduler": "lịch định kỳ (longdan scheduler)"}


def report(now: dt.datetime | None = None) -> dict:
    """``{"status": "ok"|"fail", "failed": [check names], "checks": {...}}``."""
    now = now or timezone.now()
    checks = {"database": _database()}
    if checks["database"]["ok"]:
        for name, check in (("workers", _workers), ("queue", _queue), ("backup", _backup)):
            try:
                checks[name] = check(now)
            except DatabaseError:
                checks[name] = {"ok": False, "detail": "Không đọc được từ cơ sở dữ liệu."}
    else:
        for name in ("workers", "queue", "backup"):
            checks[name] = {"ok": False, "detail": "Chưa kiểm tra được: cơ sở dữ liệu không"
                            " trả lời."}
    failed = [name for name, check in checks.items() if not check["ok"]]
    return {"status": "fail" if failed else "ok", "failed": failed,
            "checked_at": now.isoformat(timespec="seconds"), "checks": checks}


def _database() -> dict:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        connection.close()  # the next request opens a fresh one
        return {"ok": False, "vendor": connection.vendor,
                "detail": "Cơ sở dữ liệu không trả lời."}
    latency = (time.perf_counter() - started) * 1000
    return {"ok": True, "vendor": connection.vendor, "latency_ms": round(latency, 2),
            "detail": f"Cơ sở dữ liệu trả lời sau {latency:.1f} ms."}


def _workers(now: dt.datetime) -> dict:
    from core.worker import newest_beats, stale_after

    beats = newest_beats(now)
    limit = stale_after().total_seconds()
    kinds, problems = {}, []
    for kind, label in KINDS.items():
        facts = beats.get(kind)
        alive = bool(facts and facts["alive"])
        kinds[kind] = {"ok": alive, "alive": facts["alive"] if facts else 0,
                       "newest_beat_age_seconds": facts["age_seconds"] if facts else None}
        if not facts:
            problems.append(f"chưa có {label} nào báo nhịp")
        elif not alive:
            problems.append(f"{label} im lặng {facts['age_seconds']:.0f} giây (quá {limit:.0f})")
    if problems:
        text = "; ".join(problems)
        detail = text[0].upper() + text[1:] + "."
    else:
        detail = "Mọi loại tiến trình nền đều đang báo nhịp."
    return {"ok": not problems, "kinds": kinds, "detail": detail}


def _queue(now: dt.datetime) -> dict:
    from django_tasks_db.models import DBTaskResult, get_date_max

    ready = DBTaskResult.objects.ready()
    waiting = ready.count()
    running = DBTaskResult.objects.running().count()
    never = get_date_max()
    since = [row.run_after if never > row.run_after > row.enqueued_at else row.enqueued_at
             for row in ready.order_by("enqueued_at").only("enqueued_at", "run_after")[:100]]
    oldest = round((now - min(since)).total_seconds(), 1) if since else None
    limit = settings.LONGDAN_HEALTH_QUEUE_MINUTES * 60
    ok = oldest is None or oldest <= limit
    detail = (f"{waiting} tác vụ đang chờ, {running} đang chạy." if ok else
              f"{waiting} tác vụ đang chờ; tác vụ chờ lâu nhất đã {oldest / 60:.0f} phút (quá"
              f" {limit / 60:.0f}): tiến trình tác vụ nền không theo kịp hoặc không chạy.")
    return {"ok": ok, "waiting": waiting, "running": running,
            "oldest_waiting_seconds": oldest, "detail": detail}


def _backup(now: dt.datetime) -> dict:
    from core.models import BackupRun

    last = BackupRun.objects.filter(ok=True).order_by("-finished_at").first()
    latest = BackupRun.objects.exclude(ok=None).order_by("-finished_at").first()
    limit = settings.LONGDAN_HEALTH_BACKUP_HOURS
    age = round((now - last.finished_at).total_seconds() / 3600, 2) if last else None
    ok = age is not None and age <= limit
    if last is None:
        detail = "Chưa có bản sao lưu nào thành công."
    elif not ok:
        detail = f"Bản sao lưu thành công gần nhất đã {age:.0f} giờ (quá {limit} giờ)."
    else:
        detail = f"Bản sao lưu thành công gần nhất cách đây {age:.1f} giờ."
    if latest is not None and latest.ok is False:
        detail += " Lần sao lưu gần nhất không thành công."
    return {"ok": ok, "last_success_age_hours": age,
            "last_run_failed": bool(latest is not None and latest.ok is False),
            "encrypted": bool(last and last.encrypted), "detail": detail}
