"""The monitoring desk's background work (``longdan scheduler`` enqueues it every tick)."""

from __future__ import annotations

from django_tasks import task

from monitoring import services


@task()
def fetch_due_sources() -> dict:
    """Fetch the active sources whose interval has passed; return the counts."""
    return services.fetch_all(due_only=True)
