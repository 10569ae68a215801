"""Background work of the reporting cycle, run by the Django tasks worker.

``send_reminders`` is meant to be enqueued on a schedule (say hourly): it is idempotent, so the
schedule only decides how soon after a reminder falls due it goes out, never how many times.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from core.errors import ServiceError
from flash.services import send_due_flash_reminders
from reporting.services import send_due_reminders


def _parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError) as exc:
        raise ServiceError(
            f"Ngày '{text}' không hợp lệ: dùng định dạng NNNN-TT-NN, ví dụ 2025-11-22.",
            field="today",
        ) from exc


@task()
def send_reminders(today: str | None = None) -> dict:
    """Send the reminders due on ``today`` (ISO date, default: the local date); return the counts.

    Arguments and result are JSON, as the database backend stores both.
    """
    day = _parse_day(today) if today else None
    result = send_due_reminders(today=day).as_dict()
    # Flash reports (issue 15) are reminded by the same hourly task, in hours: at half-time and
    # one hour before their deadline.
    result["flash"] = send_due_flash_reminders().as_dict()
    return result
