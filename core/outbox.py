"""The e-mail outbox (issue 16, finding 6): e-mails are rows first, sent by the worker later.

:func:`queue_email` writes an :class:`core.models.OutgoingEmail` in the caller's transaction (a
rollback queues nothing) and, after commit, enqueues :func:`core.tasks.send_outbox`. A message the
mail server refuses stays PENDING with its attempts, the Vietnamese reason and the time of the
next try (back-off: 1, 5, 25 minutes, 2 hours, ...); the worker's heartbeat sends due messages, so
no schedule is needed for retries. After :data:`MAX_ATTEMPTS` it is FAILED for good.
"""

from __future__ import annotations

import datetime as dt
import logging
import os

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core import faults
from core.models import OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6


def lease() -> dt.timedelta:
    """How long a message being sent is not picked up by another worker (5 minutes; the fault
    tests shorten it with LONGDAN_OUTBOX_LEASE_SECONDS)."""
    return dt.timedelta(seconds=float(os.environ.get("LONGDAN_OUTBOX_LEASE_SECONDS", "300")))


def message_id(row: OutgoingEmail) -> str:
    """The message's Message-ID, the same on every attempt: the idempotency key of the e-mail.

    A worker killed after the mail server accepted a message and before its SENT mark committed
    leaves the row PENDING; once the lease ends it is sent again, as the same message (mail
    clients show one message per Message-ID). Built from the row and its creation time, so two
    installations do not make the same one."""
    domain = (row.from_email or settings.DEFAULT_FROM_EMAIL).rpartition("@")[2].strip("<> ")
    stamp = row.created_at.strftime("%Y%m%d%H%M%S%f") if row.created_at else "0"
    return f"<longdan.outbox.{row.pk}.{stamp}@{domain or 'longdan.local'}>"


def backoff(attempts: int) -> dt.timedelta:
    """Wait before try ``attempts + 1``: 1, 5, 25, 125 minutes, at most 6 hours."""
    return dt.timedelta(minutes=min(5 ** max(attempts - 1, 0), 360))


def queue_email(message: EmailMessage, *, kind: str = "", ref: str = "") -> OutgoingEmail:
    row = OutgoingEmail.objects.create(
        kind=kind, ref=ref[:60], subject=message.subject[:300], body=message.body,
        from_email=message.from_email, to=list(message.to), next_attempt_at=timezone.now(),
    )
    transaction.on_commit(_enqueue, robust=True)
    return row


def _enqueue() -> None:
    from core.tasks import send_outbox

    send_outbox.enqueue()


def _due(now: dt.datetime):
    return OutgoingEmail.objects.filter(state=OutgoingEmail.State.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def _describe(exc: BaseException) -> str:
    detail = " ".join(str(exc).split()) or type(exc).__name__
    return f"Máy chủ thư không nhận thư ({type(exc).__name__}): {detail}"[:500]


def send_due_emails(now: dt.datetime | None = None, limit: int = 50) -> dict:
    """Send the messages due now; return the counts {"sent", "retry", "failed"}."""
    now = now or timezone.now()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    rows = list(_due(now).order_by("next_attempt_at", "pk")[:limit])
    if not rows:
        return counts
    connection = None
    for row in rows:
        # Lease the row: only the worker whose update matched sends it.
        leased = OutgoingEmail.objects.filter(
            pk=row.pk, state=OutgoingEmail.State.PENDING, attempts=row.attempts,
            next_attempt_at=row.next_attempt_at,
        ).update(next_attempt_at=now + lease())
        if not leased:
            continue
        message = EmailMessage(subject=row.subject, body=row.body, from_email=row.from_email,
                               to=row.to, headers={"Message-ID": message_id(row)})
        row.attempts += 1
        try:
            if connection is None:
                connection = get_connection()
            connection.send_messages([message])
            faults.pause("core.outbox.after_send")  # accepted by the server, not yet marked
        except Exception as exc:  # noqa: BLE001 - any refusal is recorded and retried
            row.last_error = _describe(exc)
            if row.attempts >= MAX_ATTEMPTS:
                row.state, row.next_attempt_at = OutgoingEmail.State.FAILED, None
                counts["failed"] += 1
            else:
                row.next_attempt_at = timezone.now() + backoff(row.attempts)
                counts["retry"] += 1
            logger.warning("Gửi thư %s không được (lần %s): %s", row.pk, row.attempts,
                           row.last_error)
            connection = None
        else:
            row.state, row.sent_at, row.next_attempt_at = (
                OutgoingEmail.State.SENT, timezone.now(), None)
            row.last_error = ""
            counts["sent"] += 1
        row.save(update_fields=["attempts", "state", "last_error", "next_attempt_at", "sent_at"])
    if connection is not None:
        try:
            connection.close()
        except Exception:  # noqa: BLE001
            pass
    return counts
