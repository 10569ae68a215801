"""Background work of the issues app, run by the Django tasks worker.

``group_items`` is enqueued (``issues.receivers``) once per committed transaction that filed
items; it groups every pending item, so a burst of filings costs a few runs that mostly find
nothing left to do; when it grouped some, it looks again at whole issues and proposes merging
those that look like one matter (``propose_merges``: the office decides).
``detect_bursts_task`` is meant for the scheduler (say hourly, or daily): it is idempotent per day.
Arguments and results are JSON, as the database backend stores both.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from core.errors import ServiceError
from issues import services


@task()
def group_items() -> dict:
    """Group every opinion item that has no issue yet, then propose merges; return the counts."""
    grouping = services.group_pending_items()
    run = grouping.as_dict()
    if grouping.items:
        run["merge_proposals"] = services.propose_merges(issue_ids=grouping.issue_ids)
    return run


@task()
def detect_bursts_task(today: str | None = None) -> dict:
    """Look for emerging issues on ``today`` (ISO date, default: the local date)."""
    day = None
    if today:
        try:
            day = dt.date.fromisoformat(today)
        except ValueError as exc:
            raise ServiceError(
                f"Ngày '{today}' không hợp lệ: dùng định dạng NNNN-TT-NN, ví dụ 2026-03-05.",
                field="today",
            ) from exc
    return services.detect_bursts(today=day).as_dict()
