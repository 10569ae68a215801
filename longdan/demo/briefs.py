"""Demo briefs: the weekly brief (Bản tin dư luận) of each of the last 8 weeks, drafted as the
scheduler would have drafted it on the Monday after its week (figures read as of that Monday,
the drafting time moved back to 07:00 that morning), so the archive opens on a realistic run.

Open and overdue issues and directions are read from the ward as it is now (their past state is
not kept), as the brief's service says.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.utils import timezone

from picture.models import Brief
from picture.services import draft_brief
from picture.window import week_of

WEEKS = 8
DRAFTED_AT = dt.time(7, 0)


def build_briefs(
    today: dt.date, stdout: TextIO | None = None, *, weeks: int = WEEKS
) -> list[Brief]:
    """Draft the weekly briefs of the ``weeks`` weeks ended before ``today``; oldest first."""
    last = week_of(today).previous()
    briefs = []
    for back in range(weeks - 1, -1, -1):
        week = week_of(last.start - dt.timedelta(weeks=back))
        monday = week.end + dt.timedelta(days=1)
        brief = draft_brief(start=week.start, end=week.end, weekly=True, today=monday)
        drafted = timezone.make_aware(dt.datetime.combine(monday, DRAFTED_AT))
        Brief.objects.filter(pk=brief.pk).update(created_at=drafted)
        briefs.append(brief)
    if stdout is not None:
        stdout.write(f"Bản tin dư luận: {len(briefs)} bản tin tuần ({weeks} tuần gần nhất).\n")
    return briefs
