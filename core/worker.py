"""Heartbeats of the background workers and the reaper of dead workers' claims (issue 16, 7).

django-tasks-db marks a task RUNNING when a worker claims it and has no record of live workers,
so a worker killed mid-task leaves its row RUNNING for ever. Each ``longdan worker`` therefore
beats a :class:`core.models.WorkerBeat` row every :data:`BEAT_SECONDS` from a side thread; a
RUNNING task whose worker has been silent for :func:`stale_after` is put back to READY and runs
again (every task of the app is idempotent). The beat thread also sends due e-mails from the
outbox (``core.outbox``), so a failed e-mail is retried without a schedule.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading

from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string

from core.models import WorkerBeat

logger = logging.getLogger(__name__)

BEAT_SECONDS = 5.0


def stale_after() -> dt.timedelta:
    """How long a worker may stay silent before its claim is released (LONGDAN_WORKER_TIMEOUT)."""
    return dt.timedelta(seconds=float(os.environ.get("LONGDAN_WORKER_TIMEOUT", "60")))


def beat_seconds() -> float:
    """Seconds between two beats: :data:`BEAT_SECONDS`, or a third of the silence timeout when
    that is shorter, so a live worker is never taken for a dead one between two beats."""
    return min(BEAT_SECONDS, stale_after().total_seconds() / 3)


def new_worker_id() -> str:
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(8)}"[:64]


def beat(worker_id: str, now: dt.datetime | None = None, kind: str = "worker") -> None:
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"beat_at": now or timezone.now(), "host": socket.gethostname()[:200],
                  "pid": os.getpid(), "kind": kind},
    )


def live_worker_ids(now: dt.datetime | None = None) -> set[str]:
    since = (now or timezone.now()) - stale_after()
    return set(WorkerBeat.objects.filter(beat_at__gte=since).values_list("worker_id", flat=True))


def newest_beats(now: dt.datetime | None = None) -> dict[str, dict]:
    """Per kind of process ("worker", "scheduler"): the age in seconds of the newest beat and
    how many are alive (beat within the timeout)."""
    from django.db.models import Count, Max, Q

    now = now or timezone.now()
    since = now - stale_after()
    rows = WorkerBeat.objects.values("kind").annotate(
        newest=Max("beat_at"), alive=Count("pk", filter=Q(beat_at__gte=since)))
    return {row["kind"]: {"age_seconds": round((now - row["newest"]).total_seconds(), 1),
                          "alive": row["alive"]} for row in rows}


def stuck_tasks(now: dt.datetime | None = None, alive: str = "") -> list:
    """RUNNING tasks whose worker is silent past the timeout (what the reaper will release);
    ``alive``: the calling worker's id, alive whatever its last beat says."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    live = live_worker_ids(now) | ({alive} if alive else set())
    return [
        row for row in DBTaskResult.objects.running().filter(started_at__lt=now - stale_after())
        .order_by("started_at")
        if not row.worker_ids or row.worker_ids[-1] not in live
    ]


def release_stale_claims(now: dt.datetime | None = None, alive: str = "") -> list[str]:
    """Put back on the queue every task held by a dead worker; return their ids. ``alive``: the
    calling worker's id: a heartbeat thread held up past the timeout (a machine under heavy load)
    must not release its own worker's task while that worker runs it."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    released = []
    for row in stuck_tasks(now, alive):
        # Conditional on the claim seen: a task another reaper released and a worker re-claimed
        # meanwhile has a new started_at and is left alone.
        count = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at,
        ).update(status=TaskResultStatus.READY, started_at=None)
        if count:
            released.append(str(row.pk))
            logger.warning("Đưa lại vào hàng đợi tác vụ %s (%s) của tiến trình đã dừng %s.",
                           row.pk, row.task_path, row.worker_ids[-1:] or "?")
    # Rows of workers gone for long are of no use to anyone.
    WorkerBeat.objects.filter(beat_at__lt=now - 10 * stale_after()).delete()
    return released


class Heartbeat(threading.Thread):
    """Beats for ``worker_id`` until stopped; a worker's also reaps dead claims and sends due
    e-mails (``chores``), a scheduler's only beats."""

    def __init__(self, worker_id: str, interval: float | None = None, *, kind: str = "worker",
                 chores: bool = True):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id, self.interval = worker_id, interval or beat_seconds()
        self.kind, self.chores = kind, chores
        self._stopped = threading.Event()

    def run(self) -> None:
        from core.outbox import send_due_emails

        while True:
            close_old_connections()
            try:
                beat(self.worker_id, kind=self.kind)
                if self.chores:
                    release_stale_claims(alive=self.worker_id)
                    send_due_emails()
            except Exception:  # noqa: BLE001 - a beat lost to a locked database is retried
                logger.exception("Nhịp tim tiến trình nền %s không ghi được.", self.worker_id)
            if self._stopped.wait(self.interval):
                break
        connection.close()

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=self.interval + 5)
        try:
            WorkerBeat.objects.filter(worker_id=self.worker_id).delete()
        except Exception:  # noqa: BLE001 - the row then just ages out
            logger.exception("Không xóa được nhịp tim của %s.", self.worker_id)
