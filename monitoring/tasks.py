"""The monitoring desk's background work (``longdan scheduler`` enqueues it every tick)."""

from __future__ import annotations

from django_tasks import task

from monitoring import linking, services


@task()
def fetch_due_sources() -> dict:
    """Fetch the active sources whose interval has passed; return the counts."""
    return services.fetch_all(due_only=True)


@task()
def process_mentions() -> dict:
    """Group the new mentions into issues, match the watch-list, alert on spreading stories."""
    return linking.process_mentions().as_dict()
