"""The scheduler's part of the weekly brief: on Monday (the ward's local date) the brief of the
week that just ended (Monday to Sunday) is drafted for the Standing Committee.

Safe to run on every scheduler tick: once the week's brief exists a run only looks it up (the
``brief_weekly_once`` constraint makes two workers racing on the same Monday end with one brief).
A Monday the scheduler missed (the server was down) is caught up by the first run later in the
same week; an older week is not drafted behind the office's back (the office drafts it on
demand from the archive).
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from core.dates import local_today
from core.errors import ServiceError
from picture.models import Brief
from picture.services import draft_brief
from picture.window import week_of


def week_to_brief(today: dt.date):
    """The week whose brief is due on ``today``: the one that ended last Sunday."""
    return week_of(today - dt.timedelta(days=7))


@task()
def draft_weekly_brief(today: str | None = None) -> dict:
    """Draft last week's brief if it is not drafted yet; ``today`` is an ISO date (default: the
    local date). Returns what happened, as JSON."""
    day = _day(today)
    week = week_to_brief(day)
    if Brief.objects.filter(weekly=True, start=week.start, end=week.end).exists():
        return {"week": week.code, "drafted": False}
    brief = draft_brief(start=week.start, end=week.end, weekly=True, today=day)
    return {"week": week.code, "drafted": True, "brief": brief.pk}


def _day(text: str | None) -> dt.date:
    if not text:
        return local_today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ServiceError(
            f"Ngày '{text}' không hợp lệ: dùng định dạng NNNN-TT-NN, ví dụ 2026-03-05.",
            field="today",
        ) from exc
