"""Putting a catch-up run on the task queue after a write has committed, without waiting for the
disk a second time.

A nudge is a task run that only hastens work something else would also start: the grouping of
pending items (the scheduler enqueues it every tick, and it takes every pending item, whoever
enqueued it). On PostgreSQL the task row is an INSERT in its own transaction; its COMMIT waits
for the write-ahead log to reach the disk, which on a busy shared disk is a few milliseconds, as
long as the whole filing before it. The nudge's row is committed with ``synchronous_commit`` off
for that one transaction: it is visible to the worker at once, as before; only a crash of the
database server in the next fraction of a second could lose it, and then the next nudge or the
scheduler's tick runs the same work. The writes it follows were committed durably before it.
"""

from __future__ import annotations

from django.db import connection, transaction


def enqueue_nudge(task):
    """Enqueue ``task`` (no arguments) after a commit; return its result handle.

    Inside a transaction the caller's durability is not ours to lower, and a backend other than
    the database's (one that runs the task on the spot) writes more than a task row: the task
    is then enqueued as usual."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend

    backend = task_backends[getattr(task, "backend", DEFAULT_TASK_BACKEND_ALIAS)]
    if (
        connection.vendor != "postgresql"
        or connection.in_atomic_block
        or not isinstance(backend, DatabaseBackend)
    ):
        return task.enqueue()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        return task.enqueue()
