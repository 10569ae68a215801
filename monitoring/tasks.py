"""The monitoring desk's background work: fetching the sources that are due (``longdan
scheduler`` enqueues it every tick), grouping the new mentions into issues and matching the
watch-list, and importing a large export the office confirmed."""

from __future__ import annotations

from django_tasks import task

from monitoring import imports, linking, services


@task()
def fetch_due_sources() -> dict:
    """Fetch the active sources whose interval has passed; return the counts."""
    return services.fetch_all(due_only=True)


@task(takes_context=True)
def import_upload(context, upload_id: int) -> dict:
    """Import a large export the office confirmed (its progress on the preview page). A second
    attempt (the first worker died; ``core.worker`` released its claim) resumes the import."""
    return imports.run_upload(upload_id, resume=context.attempt > 1)


@task()
def process_mentions() -> dict:
    """Group the new mentions into issues, match the watch-list, alert on spreading stories."""
    return linking.process_mentions().as_dict()
