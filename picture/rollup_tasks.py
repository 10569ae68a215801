"""Background work of the rollups, run by the Django tasks worker.

``refresh_rollups`` is enqueued after every transaction that marked a day stale
(``picture.rollups.schedule_refresh``) and by the scheduler each tick (``longdan scheduler``),
which catches up if an enqueue was lost. It recomputes only the stale days (a full rebuild when
the org tree moved), so a run that finds nothing to do costs one query.
"""

from __future__ import annotations

from django_tasks import task

from picture import rollups


@task()
def refresh_rollups() -> dict:
    """Recompute the days marked stale; return how many."""
    return {"days": rollups.refresh_dirty()}
