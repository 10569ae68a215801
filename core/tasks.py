"""Background work of the shared layer: the e-mail outbox, housekeeping."""

from __future__ import annotations

from django_tasks import task


@task()
def send_outbox() -> dict:
    """Send the e-mails of the outbox that are due (``core.outbox``)."""
    from core.outbox import send_due_emails

    return send_due_emails()


@task()
def housekeeping() -> dict:
    """Delete address salts older than 48 hours; release tasks held by dead workers."""
    from core.salts import purge_old_salts
    from core.worker import release_stale_claims

    return {"salts": purge_old_salts(), "released": release_stale_claims()}


@task()
def nightly_backup() -> dict:
    """Back up once a night into LONGDAN_BACKUP_DIR and prune old copies (core.backup_runs)."""
    from core.backup_runs import run_nightly

    return run_nightly()
