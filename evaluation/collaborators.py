"""The collaborators' activity and coverage (R5, R6): the office's reads.

Per collaborator and month, computed from the records (three grouped queries, whatever the
number of collaborators):

- items filed: opinion items whose account (``created_by``) is the collaborator's, by the day
  received;
- interviews done: survey responses with the collaborator as interviewer, by the moment answered
  (received when the answer has no time);
- meetings attended: meeting minutes the collaborator filed, by the day held (the minutes are the
  record of who was there).

**Inactive for two months**: an active collaborator (status "đang hoạt động", in term) whose
term covered the two whole months before this one and who has nothing in either. **Coverage**:
the tổ dân phố, topics and social groups that no *working* collaborator follows (active, in term,
not inactive for two months). Residents never appear: only the office's own collaborators'
counts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, TruncMonth

from core.dates import local_today
from core.models import SocialGroup, Topic
from intake.models import Meeting, OpinionItem
from orgs.models import Area, Collaborator
from reporting.periods import PeriodKey, month_of
from surveys.models import Response

KINDS = ("items", "interviews", "meetings")


@dataclass
class Row:
    collaborator: Collaborator
    months: dict[str, Counter] = field(default_factory=dict)  # month code → kind → count
    inactive: bool = False

    def total(self, kind: str) -> int:
        return sum(c[kind] for c in self.months.values())

    @property
    def totals(self) -> Counter:
        return Counter({k: self.total(k) for k in KINDS})


@dataclass
class Activity:
    key: PeriodKey
    months: list[PeriodKey]
    rows: list[Row]
    window: list[PeriodKey]  # the two months the inactivity mark looks at

    @property
    def inactive(self) -> list[Row]:
        return [r for r in self.rows if r.inactive]


def _month_code(value) -> str:
    day = value.date() if isinstance(value, dt.datetime) else value
    return f"{day.year}-{day.month:02d}"


def _counts(start: dt.date, end: dt.date, collaborators: list[Collaborator]):
    """(collaborator id, month code, kind) → count between ``start`` and ``end``."""
    by_user = {c.user_id: c.pk for c in collaborators if c.user_id}
    ids = [c.pk for c in collaborators]
    found: Counter = Counter()
    for user_id, month, n in (
        OpinionItem.objects.filter(created_by_id__in=list(by_user), received_on__gte=start,
                                   received_on__lte=end)
        .annotate(m=TruncMonth("received_on")).values("created_by_id", "m")
        .annotate(n=Count("id")).values_list("created_by_id", "m", "n")
    ):
        found[(by_user[user_id], _month_code(month), "items")] += n
    for user_id, month, n in (
        Meeting.objects.filter(created_by_id__in=list(by_user), held_on__gte=start,
                               held_on__lte=end)
        .annotate(m=TruncMonth("held_on")).values("created_by_id", "m")
        .annotate(n=Count("id")).values_list("created_by_id", "m", "n")
    ):
        found[(by_user[user_id], _month_code(month), "meetings")] += n
    moment = Coalesce("submitted_at", "received_at")
    for collaborator_id, month, n in (
        Response.objects.filter(interviewer_id__in=ids)
        .annotate(at=moment).filter(at__date__gte=start, at__date__lte=end)
        .annotate(m=TruncMonth("at")).values("interviewer_id", "m")
        .annotate(n=Count("id")).values_list("interviewer_id", "m", "n")
    ):
        found[(collaborator_id, _month_code(month), "interviews")] += n
    return found


def inactivity_window(today: dt.date) -> list[PeriodKey]:
    """The two whole months before ``today``'s month, oldest first."""
    last = month_of(today).previous()
    return [last.previous(), last]


def _in_term(c: Collaborator, start: dt.date, end: dt.date) -> bool:
    return c.started_on <= start and (c.ended_on is None or c.ended_on >= end)


def recent_work(today: dt.date) -> Counter:
    """The counts of the two months the inactivity mark looks at, for the collaborators it can
    fall on (active, in term over both months): one read shared by :func:`activity` and
    :func:`coverage` on one page."""
    window = inactivity_window(today)
    expected = [c for c in Collaborator.objects.filter(status=Collaborator.Status.ACTIVE)
                if _in_term(c, window[0].start, window[1].end)]
    return _counts(window[0].start, window[1].end, expected)


def activity(key: PeriodKey, *, unit_id: int | None = None, today: dt.date | None = None,
             recent: Counter | None = None) -> Activity:
    """``recent``: :func:`recent_work` of ``today``, when the caller has it already."""
    today = today or local_today()
    months = [m for m in key.months() if m.start <= today]
    collaborators = list(
        Collaborator.objects.select_related("unit")
        .filter(started_on__lte=max(key.end, today))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=key.start))
        .order_by("unit__sort_key", "name_folded", "pk")
    )
    if unit_id is not None:
        collaborators = [c for c in collaborators if c.unit_id == unit_id]
    window = inactivity_window(today)
    counts = Counter()
    if months:
        counts = _counts(months[0].start, min(months[-1].end, today), collaborators)
    if recent is None:
        recent = recent_work(today)
    rows = []
    for c in collaborators:
        row = Row(c, {m.code: Counter({k: counts[(c.pk, m.code, k)] for k in KINDS})
                      for m in months})
        expected = (c.status == Collaborator.Status.ACTIVE
                    and _in_term(c, window[0].start, window[1].end))
        row.inactive = expected and not any(
            recent[(c.pk, m.code, k)] for m in window for k in KINDS)
        rows.append(row)
    return Activity(key, months, rows, window)


@dataclass
class Coverage:
    working: int
    areas: list[Area]
    topics: list[Topic]
    groups: list[SocialGroup]


def coverage(*, today: dt.date | None = None, recent: Counter | None = None) -> Coverage:
    """What no working collaborator follows today (see the module's docstring); ``recent``:
    :func:`recent_work` of ``today``, when the caller has it already."""
    today = today or local_today()
    window = inactivity_window(today)
    current = list(
        Collaborator.objects.filter(status=Collaborator.Status.ACTIVE, started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
    )
    if recent is None:
        recent = recent_work(today)
    busy = {pk for (pk, _m, _k), n in recent.items() if n}
    working = [c.pk for c in current
               if c.pk in busy or not _in_term(c, window[0].start, window[1].end)]
    through = Collaborator.objects.filter(pk__in=working)
    areas = set(through.values_list("areas", flat=True))
    topics = set(through.values_list("topics", flat=True))
    groups = set(through.values_list("social_groups", flat=True))
    return Coverage(
        working=len(working),
        areas=list(Area.objects.exclude(pk__in=[a for a in areas if a]).order_by("sort_key")),
        topics=list(Topic.objects.filter(active=True).exclude(pk__in=[t for t in topics if t])),
        groups=list(SocialGroup.objects.filter(active=True)
                    .exclude(pk__in=[g for g in groups if g])),
    )
