"""The nightly backup, its record and the retention of its copies (issue 10).

The scheduler puts :func:`core.tasks.nightly_backup` on the queue every tick; the task backs up
when the night is due: from ``LONGDAN_BACKUP_HOUR`` (local time, default 2) on, until a backup of
that night has succeeded, at most :data:`MAX_ATTEMPTS` tries a night (a tick an hour). Each try is
one :class:`core.models.BackupRun` row, claimed by a unique (night, attempt) before the work
starts, so two workers never back up the same night twice. After a success the copies in
``LONGDAN_BACKUP_DIR`` that :func:`core.backup_retention.keep` does not keep are deleted; after a
failure the office is told (in the app and by e-mail). ``longdan backup`` by hand is recorded too,
so the health endpoint's "last successful backup" counts it.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import DatabaseError, IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core import backup, backup_crypto, backup_retention
from core.errors import BackupError
from core.models import BackupRun

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# A run still "running" after this long died with its worker; it counts as a failed attempt.
RUN_TIMEOUT = dt.timedelta(hours=3)


def backup_dir() -> Path:
    return Path(settings.LONGDAN_BACKUP_DIR)


def policy() -> backup_retention.Policy:
    return backup_retention.Policy(*settings.LONGDAN_BACKUP_KEEP)


def night_of(now: dt.datetime, hour: int | None = None) -> dt.date:
    """The night a backup at ``now`` belongs to: today from the backup hour on, else yesterday."""
    hour = settings.LONGDAN_BACKUP_HOUR if hour is None else hour
    local = timezone.localtime(now)
    return local.date() if local.hour >= hour else local.date() - dt.timedelta(days=1)


def record(kind: str, make: Callable[[], backup.BackupResult], *, night: dt.date | None = None,
           attempt: int = 1, run: BackupRun | None = None) -> BackupRun:
    """Run ``make`` and record its outcome; a failure is recorded, then raised again. The run
    carries the :class:`core.backup.BackupResult` as ``run.result``. A database without the
    table yet (not migrated to this version) is backed up all the same, unrecorded."""
    if run is None:
        run = BackupRun(kind=kind, night=night, attempt=attempt, started_at=timezone.now())
        try:
            run.save()
        except DatabaseError:
            logger.warning("Không ghi được lần sao lưu vào CSDL (chưa cập nhật cấu trúc?).")
    try:
        result = make()
    except Exception as exc:
        run.ok, run.finished_at = False, timezone.now()
        run.error = (getattr(exc, "message", "") or f"{type(exc).__name__}: {exc}")[:500]
        _save(run, ["ok", "finished_at", "error"])
        raise
    run.ok, run.finished_at = True, timezone.now()
    run.file_name, run.size = result.path.name[:200], result.path.stat().st_size
    run.encrypted = result.encrypted
    _save(run, ["ok", "finished_at", "file_name", "size", "encrypted"])
    run.result = result
    return run


def _save(run: BackupRun, fields: list[str]) -> None:
    if run.pk is not None:
        run.save(update_fields=fields)


def make_backup(out_dir: Path, place: backup.Place | None = None, *,
                encrypt: bool | None = None) -> backup.BackupResult:
    """A backup with the configured key: signed when one is set, encrypted unless told not."""
    return backup.create_backup(out_dir, place, secret=backup_crypto.configured_secret(),
                                encrypt=encrypt)


def run_nightly(now: dt.datetime | None = None, place: backup.Place | None = None) -> dict:
    """Back up if tonight's backup is due; prune after a success; tell the office of a failure."""
    if not settings.LONGDAN_BACKUP_NIGHTLY:
        return {"skipped": "disabled"}
    now = now or timezone.now()
    night = night_of(now)
    run = _claim(night, now)
    if run is None:
        return {"skipped": "done-or-running", "night": night.isoformat()}
    folder = backup_dir()
    started = time.monotonic()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        record(BackupRun.Kind.NIGHTLY, lambda: make_backup(folder, place), run=run)
    except Exception as exc:  # noqa: BLE001 - recorded, told to the office, retried next tick
        logger.exception("Sao lưu hằng đêm %s không thành công.", night)
        if run.ok is None:  # failed before record() could write it (the folder)
            run.ok, run.finished_at = False, timezone.now()
            run.error = (getattr(exc, "message", "") or str(exc))[:500]
            run.save(update_fields=["ok", "finished_at", "error"])
        _tell_office(run)
        return {"ok": False, "night": night.isoformat(), "error": run.error}
    run.pruned = _prune_quietly(folder, run)
    run.save(update_fields=["pruned", "error"])
    return {"ok": True, "night": night.isoformat(), "file": run.file_name, "size": run.size,
            "pruned": run.pruned, "seconds": round(time.monotonic() - started, 1)}


def _claim(night: dt.date, now: dt.datetime) -> BackupRun | None:
    """This night's next attempt, or None when it succeeded, is running, or ran out of tries."""
    runs = list(BackupRun.objects.filter(kind=BackupRun.Kind.NIGHTLY, night=night))
    if any(r.ok for r in runs) or len(runs) >= MAX_ATTEMPTS:
        return None
    if any(r.ok is None and now - r.started_at < RUN_TIMEOUT for r in runs):
        return None
    try:
        with transaction.atomic():
            return BackupRun.objects.create(kind=BackupRun.Kind.NIGHTLY, night=night,
                                            attempt=len(runs) + 1, started_at=now)
    except IntegrityError:  # another worker claimed this attempt first
        return None


def prune(folder: Path, now: dt.datetime | None = None) -> list[Path]:
    """Delete the backups in ``folder`` the retention policy does not keep; the deleted files.

    Only names the app writes (``longdan-YYYYMMDD-HHMMSS.tar.gz[.enc]``) are considered; days are
    local calendar days."""
    files: dict[dt.datetime, list[Path]] = {}
    for path in folder.iterdir():
        moment = backup_retention.moment_of(path.name)
        if moment is not None and path.is_file():
            files.setdefault(timezone.localtime(moment), []).append(path)
    kept = backup_retention.keep(files, policy())
    deleted = []
    for moment, paths in sorted(files.items()):
        if moment not in kept:
            for path in paths:
                path.unlink(missing_ok=True)
                deleted.append(path)
    return deleted


def _prune_quietly(folder: Path, run: BackupRun) -> int:
    try:
        return len(prune(folder))
    except OSError as exc:
        logger.exception("Không xóa được bản sao lưu cũ trong %s.", folder)
        run.error = f"Sao lưu xong nhưng không xóa được bản cũ: {exc}"[:500]
        return 0


def _office_people():
    from django.contrib.auth import get_user_model

    User = get_user_model()  # orgs.User, a floor above: reached through the auth setting
    return list(User.objects.filter(role=User.Role.OFFICE, is_active=True).order_by("pk"))


def _tell_office(run: BackupRun) -> None:
    from core.outbox import queue_email
    from core.services import notify

    text = (f"Sao lưu hằng đêm {run.night:%d/%m/%Y} không thành công (lần {run.attempt}/"
            f"{MAX_ATTEMPTS}): {run.error}")
    people = _office_people()
    url = reverse("system_health")
    with transaction.atomic():
        notify(people, text=text, url=url)
        recipients = [person.email for person in people if person.email]
        if recipients:
            body = (f"{text}\n\nXem trang Hệ thống: {settings.LONGDAN_SITE_URL}{url}\n"
                    "Lịch sẽ thử lại ở lượt sau; cũng có thể sao lưu ngay bằng lệnh"
                    " `longdan backup --out THƯ_MỤC`.")
            queue_email(EmailMessage(subject="[Lòng Dân] Sao lưu hằng đêm không thành công",
                                     body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                                     to=recipients), kind="backup", ref=str(run.pk))


def last_success() -> BackupRun | None:
    return BackupRun.objects.filter(ok=True).order_by("-finished_at").first()


def recent(limit: int = 10) -> list[BackupRun]:
    """The newest runs, each with ``interrupted``: unfinished past ``RUN_TIMEOUT`` (its process
    died, or it is the run a restored backup recorded of itself before its snapshot)."""
    now = timezone.now()
    runs = list(BackupRun.objects.order_by("-started_at", "-id")[:limit])
    for run in runs:
        run.interrupted = run.ok is None and now - run.started_at >= RUN_TIMEOUT
    return runs


__all__ = ["BackupError", "last_success", "make_backup", "night_of", "prune", "record",
           "recent", "run_nightly"]
