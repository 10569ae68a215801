"""Burst alerts: detecting opinion that rises fast, and the office acknowledging an alert."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone

from core.dates import local_today
from core.models import AuditEntry, Topic
from core.services import audit, notify, require_office
from intake.models import OpinionItem
from issues.models import BurstAlert, Issue, IssueEvent
from issues.services.common import S, _event
from orgs.models import User
from textengine import bursts as burst_engine
from textops import services as textops

BURST_LOCK = "bursts"
BURST_HISTORY_DAYS = 60

# Counts the detector adds to the opinion items', from the apps above this one (this app may not
# import them): each is ``(start, today) -> (by issue, by topic)``, the same shape as
# ``_issue_series``. The monitoring desk registers its online mentions (``monitoring.apps``).
Series = dict[int, dict[dt.date, int]]
EXTRA_SERIES: list[Callable[[dt.date, dt.date], tuple[Series, Series]]] = []


def register_series(provider: Callable[[dt.date, dt.date], tuple[Series, Series]]) -> None:
    if provider not in EXTRA_SERIES:
        EXTRA_SERIES.append(provider)


def _add(into: Series, more: Series) -> None:
    for key, days in more.items():
        mine = into.setdefault(key, {})
        for day, n in days.items():
            mine[day] = mine.get(day, 0) + n


def acknowledge_alert(*, user: User, alert: BurstAlert) -> BurstAlert:
    require_office(user, "xác nhận cảnh báo")
    with transaction.atomic():
        if alert.acknowledged_at is None:
            alert.acknowledged_at, alert.acknowledged_by = timezone.now(), user
            alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
            audit(actor=user, action=AuditEntry.Action.UPDATE, obj=alert, unit=user.unit,
                  summary=f"Đã xem cảnh báo: {alert.reason}")
    return alert


@dataclass
class BurstRun:
    today: dt.date
    created: int = 0
    existing: int = 0

    def as_dict(self) -> dict:
        return {"today": self.today.isoformat(), "created": self.created,
                "existing": self.existing}


def _issue_series(start: dt.date, today: dt.date) -> dict[int, dict[dt.date, int]]:
    rows = (
        OpinionItem.objects.filter(
            issue__merged_into__isnull=True, received_on__range=(start, today),
        )
        .exclude(issue__status__in=[S.ANSWERED, S.CLOSED])
        .exclude(issue__isnull=True)
        .values("issue_id", "received_on")
        .annotate(n=Count("id"))
    )
    series: dict[int, dict[dt.date, int]] = {}
    for row in rows:
        series.setdefault(row["issue_id"], {})[row["received_on"]] = row["n"]
    return series


def _topic_series(start: dt.date, today: dt.date) -> dict[int, dict[dt.date, int]]:
    rows = (
        OpinionItem.objects.filter(received_on__range=(start, today), topics__isnull=False)
        .values("topics", "received_on")
        .annotate(n=Count("id"))
    )
    series: dict[int, dict[dt.date, int]] = {}
    for row in rows:
        series.setdefault(row["topics"], {})[row["received_on"]] = row["n"]
    return series


def detect_bursts(*, today: dt.date | None = None) -> BurstRun:
    """Raise an alert for each open issue and each topic whose last days hold far more items than
    its own baseline (``textengine.bursts``), at most one per issue or topic per day. The counts
    include those of ``EXTRA_SERIES`` (the online mentions of an issue or a topic).

    Idempotent: a second run the same day finds the alerts and adds nothing. Runs are serialised
    by a lock row because the unique constraint lets NULL ``issue``/``topic`` through. Each new
    alert notifies the office in the app, with the reason in words."""
    today = today or local_today()
    start = today - dt.timedelta(days=BURST_HISTORY_DAYS)
    run = BurstRun(today)
    by_issue, by_topic = _issue_series(start, today), _topic_series(start, today)
    for provider in EXTRA_SERIES:
        more_issues, more_topics = provider(start, today)
        _add(by_issue, more_issues)
        _add(by_topic, more_topics)
    issue_found = burst_engine.detect_many(by_issue, today)
    # A topic is observed since the ward's first item (or the start of the history looked at):
    # its quiet days before a burst are part of its baseline.
    earliest = OpinionItem.objects.aggregate(first=Min("received_on"))["first"] or today
    observed_from = max(earliest, start)
    topic_found = []
    for key, counts in by_topic.items():
        burst = burst_engine.detect(counts, today, history_start=observed_from)
        if burst is not None:
            topic_found.append((key, burst))
    with transaction.atomic():
        textops.lock_state(BURST_LOCK)
        issues = Issue.objects.in_bulk([k for k, _ in issue_found])
        topics = Topic.objects.in_bulk([k for k, _ in topic_found])
        office = list(User.objects.filter(role=User.Role.OFFICE, is_active=True))
        for key, burst in issue_found:
            _raise_alert(run, burst, today, office, issue=issues[key])
        for key, burst in topic_found:
            _raise_alert(run, burst, today, office, topic=topics[key])
        if run.created:
            audit(actor=None, action=AuditEntry.Action.CREATE, object_type="issues.burstalert",
                  summary=f"Phát hiện {run.created} dấu hiệu dư luận mới nổi ngày "
                  f"{today:%d/%m/%Y}", data=run.as_dict())
    return run


@dataclass(frozen=True)
class Signal:
    """What an alert says, from a burst of items or another detector (a story spreading)."""

    count: int
    window_days: int
    expected: float
    score: float
    reason: str


def raise_issue_alert(*, issue: Issue, today: dt.date, signal: Signal) -> bool:
    """Raise the day's alert on ``issue`` from another detector than the item counts (an online
    story spreading: ``monitoring.linking``), told and acknowledged like a burst's; False when
    the issue had its alert that day already (at most one per issue and day)."""
    run = BurstRun(today)
    with transaction.atomic():
        textops.lock_state(BURST_LOCK)
        office = list(User.objects.filter(role=User.Role.OFFICE, is_active=True))
        _raise_alert(run, signal, today, office, issue=issue)
        if run.created:
            audit(actor=None, action=AuditEntry.Action.CREATE, object_type="issues.burstalert",
                  summary=f"Cảnh báo vấn đề {issue.code}: {signal.reason}"[:500],
                  data=run.as_dict() | {"issue": issue.pk})
    return bool(run.created)


def _raise_alert(run: BurstRun, burst, today: dt.date, office: list[User], *,
                 issue: Issue | None = None, topic: Topic | None = None) -> None:
    if BurstAlert.objects.filter(issue=issue, topic=topic, detected_on=today).exists():
        run.existing += 1
        return
    BurstAlert.objects.create(
        issue=issue, topic=topic, detected_on=today, window_days=burst.window_days,
        count=burst.count, baseline=round(burst.expected, 3), score=round(burst.score, 3),
        reason=burst.reason[:300],
    )
    run.created += 1
    subject = f"vấn đề {issue.code} “{issue.title}”" if issue else f"chủ đề “{topic}”"
    text = f"Dư luận mới nổi ở {subject}: {burst.reason}."
    url = reverse("issue_detail", args=[issue.pk]) if issue else reverse("alert_list")
    notify(office, text=text, url=url)
    if issue is not None:
        _event(issue, None, IssueEvent.Kind.NOTE, note=f"Cảnh báo dư luận mới nổi: {burst.reason}")
