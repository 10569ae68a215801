"""Background work of the picture, run by the Django tasks worker; the scheduler enqueues each
of these every tick (``longdan.commands.serve.PERIODIC_TASKS``).

Every task is idempotent for its day: an alert is one row per person, subject and day; a reminder
or an escalation is claimed by its audit entry; a digest by its outbox row. So the schedule only
decides how soon after something falls due it is told, never how many times.
Arguments and results are JSON, as the database backend stores both.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from core.errors import ServiceError
from picture import services


def _day(today: str | None) -> dt.date:
    if not today:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(today)
    except (TypeError, ValueError) as exc:
        raise ServiceError(
            f"Ngày '{today}' không hợp lệ: dùng định dạng NNNN-TT-NN, ví dụ 2026-03-05.",
            field="today",
        ) from exc


@task()
def alert_bursts(today: str | None = None) -> dict:
    """Bursts detected today or yesterday → alerts to their subscribers."""
    return services.alert_bursts(today=_day(today)).as_dict()


@task()
def alert_rising(today: str | None = None) -> dict:
    """Rising topics, issues and areas (``picture.selectors.rising_now``) → alerts."""
    return services.alert_rising(today=_day(today)).as_dict()


@task()
def propose_latent(today: str | None = None) -> dict:
    """Growing worry with no issue yet → candidates the office confirms or dismisses."""
    return services.propose_latent_candidates(today=_day(today)).as_dict()


@task()
def alert_overdue(today: str | None = None) -> dict:
    """Overdue issues → the office and the leaders; overdue directions → escalated."""
    day = _day(today)
    return {
        "issues": services.alert_overdue_issues(today=day).as_dict(),
        "directions": services.escalate_overdue_directions(today=day).as_dict(),
    }


@task()
def remind_due(today: str | None = None) -> dict:
    """Issues and directions due within the reminder window → their units' people."""
    day = _day(today)
    return {
        "issues": services.remind_issues_due(today=day).as_dict(),
        "directions": services.remind_directions_due(today=day).as_dict(),
    }


@task()
def send_digests(today: str | None = None) -> dict:
    """The daily digests. On the schedule (no ``today``) they wait for the morning hour
    (``LONGDAN_DIGEST_HOUR``, 7 by default), so a digest carries the whole previous day."""
    if not today:
        hour = int(getattr(settings, "LONGDAN_DIGEST_HOUR", 7))
        if timezone.localtime().hour < hour:
            return {"today": timezone.localdate().isoformat(), "waiting_until_hour": hour}
    return services.send_daily_digests(today=_day(today)).as_dict()
