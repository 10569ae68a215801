"""Reads of issues, answers and alerts, scoped to the reader.

The office and the leaders see every issue. A unit sees the issues it owns and those holding an
item its members (or its sub-units) received; any other issue is "not found". Published answers
are public; nothing here ever returns a resident's contact details.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncWeek
from django.http import Http404
from django.utils import timezone

from core.dates import local_today
from core.models import Attitude, Channel
from intake import selectors as intake_selectors
from intake.models import OpinionItem
from issues.models import Answer, BurstAlert, Issue, MergeProposal
from orgs.models import OrgUnit, User
from orgs.selectors import visible_unit_ids

OPEN_STATUSES = [
    Issue.Status.DETECTED, Issue.Status.WATCHING, Issue.Status.ASSIGNED, Issue.Status.RESOLVED,
]
ISSUE_SORTS = {
    "code": "code",
    "title": "title",
    "status": "status",
    "first": "first_seen_on",
    "last": "last_seen_on",
    "due": "due_on",
    "items": "item_count",
}
DEFAULT_ISSUE_SORT = "-last"


def issues_visible_to(user: User) -> QuerySet[Issue]:
    ids = visible_unit_ids(user)
    issues = Issue.objects.select_related("topic", "owner_unit", "area", "merged_into")
    if ids is None:
        return issues
    from_units = OpinionItem.objects.filter(unit_id__in=ids, issue__isnull=False)
    return issues.filter(Q(owner_unit_id__in=ids) | Q(pk__in=from_units.values("issue_id")))


def owner_units_for(user: User) -> QuerySet[OrgUnit]:
    """Units the reader may filter issues by: those holding an issue the reader shares.

    A unit's name reaches a reader only through an issue both of them are part of."""
    owners = issues_visible_to(user).exclude(owner_unit__isnull=True).values("owner_unit_id")
    return OrgUnit.objects.filter(pk__in=owners).order_by("sort_key", "name")


def get_issue_for(user: User, pk) -> Issue:
    try:
        return issues_visible_to(user).get(pk=pk)
    except (Issue.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy vấn đề.") from exc


@dataclass(frozen=True)
class IssueFilter:
    status: str = ""  # a status, "open", or "" for every live issue
    topic_id: int | None = None
    owner_id: int | None = None
    overdue: bool = False
    query: str = ""
    sort: str = DEFAULT_ISSUE_SORT
    # A unit and its sub-units: the issues they own or heard (as the picture counts them).
    unit_ids: frozenset[int] | None = None
    area_id: int | None = None


def owned_or_heard_by(issues: QuerySet[Issue], unit_ids) -> QuerySet[Issue]:
    """The issues a group of units owns, or holds an item one of them received."""
    heard = OpinionItem.objects.filter(unit_id__in=unit_ids, issue__isnull=False)
    return issues.filter(Q(owner_unit_id__in=unit_ids) | Q(pk__in=heard.values("issue_id")))


def filtered_issues(user: User, filters: IssueFilter) -> QuerySet[Issue]:
    """Live (not merged) issues the reader may see, filtered and sorted."""
    from core.text import fold

    issues = issues_visible_to(user).filter(merged_into__isnull=True).annotate(
        item_count=Count("items", distinct=True)
    )
    if filters.status == "open":
        issues = issues.filter(status__in=OPEN_STATUSES)
    elif filters.status:
        issues = issues.filter(status=filters.status)
    if filters.topic_id:
        issues = issues.filter(topic_id=filters.topic_id)
    if filters.owner_id:
        issues = issues.filter(owner_unit_id=filters.owner_id)
    if filters.unit_ids is not None:
        issues = owned_or_heard_by(issues, filters.unit_ids)
    if filters.area_id:
        issues = issues.filter(area_id=filters.area_id)
    if filters.overdue:
        issues = issues.filter(status__in=OPEN_STATUSES, due_on__lt=local_today())
    if filters.query:
        folded = fold(filters.query)
        issues = issues.filter(Q(title_folded__contains=folded) | Q(code__iexact=filters.query))
    key = filters.sort.lstrip("-")
    order = ISSUE_SORTS.get(key, ISSUE_SORTS[DEFAULT_ISSUE_SORT.lstrip("-")])
    descending = filters.sort.startswith("-") if key in ISSUE_SORTS else True
    field = f"-{order}" if descending else order
    return issues.order_by(field, "-id")


def overdue_issues(user: User, *, today: dt.date | None = None) -> QuerySet[Issue]:
    """Open issues past their due date, the longest overdue first (R8)."""
    today = today or local_today()
    return (
        issues_visible_to(user)
        .filter(merged_into__isnull=True, status__in=OPEN_STATUSES, due_on__lt=today)
        .annotate(item_count=Count("items", distinct=True))
        .order_by("due_on", "code")
    )


def items_of(user: User, issue: Issue) -> QuerySet[OpinionItem]:
    """The issue's items the reader may read one by one (a unit: its own units' items)."""
    items = issue.items.select_related("area", "unit").prefetch_related("topics")
    ids = visible_unit_ids(user)
    if ids is not None:
        items = items.filter(unit_id__in=ids)
    return items.order_by("-received_on", "-id")


@dataclass
class IssueStats:
    days: list[dict]  # {"day": "2026-03-01", "count": n}, every day from first to last seen
    weeks: list[dict]
    channels: list[dict]
    areas: list[dict]
    attitudes: list[dict]
    total: int

    def chart(self) -> dict:
        return {"days": self.days, "weeks": self.weeks, "channels": self.channels,
                "attitudes": self.attitudes}


MAX_CHART_DAYS = 180


def issue_stats(issue: Issue) -> IssueStats:
    """Counts for the issue page: over time, by channel, by area and by attitude.

    Aggregates over all the issue's items (counts reveal no record), whoever reads."""
    items = OpinionItem.objects.filter(issue=issue)
    per_day = dict(items.values_list("received_on").annotate(n=Count("id")))
    days: list[dict] = []
    if per_day:
        last = max(per_day)
        first = max(min(per_day), last - dt.timedelta(days=MAX_CHART_DAYS - 1))
        day = first
        while day <= last:
            days.append({"day": day.isoformat(), "count": per_day.get(day, 0)})
            day += dt.timedelta(days=1)
    weeks = [
        {"week": row["week"].isoformat() if hasattr(row["week"], "isoformat") else str(
            row["week"])[:10], "count": row["n"]}
        for row in items.annotate(week=TruncWeek("received_on")).values("week")
        .annotate(n=Count("id")).order_by("week")
    ]
    channel_labels = dict(Channel.choices)
    channels = [
        {"key": row["channel"], "label": channel_labels.get(row["channel"], row["channel"]),
         "count": row["n"]}
        for row in items.values("channel").annotate(n=Count("id")).order_by("-n", "channel")
    ]
    areas = [
        {"label": row["area__name"] or "Chưa rõ địa bàn", "count": row["n"]}
        for row in items.values("area__name", "area__sort_key").annotate(n=Count("id"))
        .order_by("-n", "area__sort_key")
    ]
    attitude_labels = dict(Attitude.choices)
    attitudes = [
        {"key": row["attitude"] or "",
         "label": attitude_labels.get(row["attitude"], "Chưa rõ thái độ"), "count": row["n"]}
        for row in items.values("attitude").annotate(n=Count("id")).order_by("-n", "attitude")
    ]
    return IssueStats(days=days, weeks=weeks, channels=channels, areas=areas,
                      attitudes=attitudes, total=sum(per_day.values()))


PRESS_SHOWN = 5


def press_stories(user: User, issue: Issue) -> list:
    """The press and social-media stories tied to the issue (``monitoring.Story.issue``, read
    through the reverse relation: this app sits below monitoring), widest first. The monitoring
    desk is the office's and the leaders', so nobody else is shown any."""
    if not user.sees_everything:
        return []
    return list(issue.stories.select_related("first_mention")
                .order_by("-site_count", "-mention_count", "pk")[:PRESS_SHOWN])


def alerts_visible_to(user: User) -> QuerySet[BurstAlert]:
    """Alerts about issues the reader may see; topic alerts are for the office and leaders."""
    alerts = BurstAlert.objects.select_related("issue", "topic", "acknowledged_by")
    if user.sees_everything:
        return alerts
    return alerts.filter(issue__in=issues_visible_to(user))


# --- Public -------------------------------------------------------------------------------------


def published_answers() -> QuerySet[Answer]:
    return (
        Answer.objects.filter(published_at__isnull=False, published_at__lte=timezone.now())
        .select_related("answering_unit")
        .prefetch_related("issues")
    )


def get_published_answer(pk) -> Answer:
    try:
        return published_answers().get(pk=pk)
    except (Answer.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy bài trả lời.") from exc


@dataclass(frozen=True)
class TrackResult:
    """What a resident may learn from their tracking code: their own submission's status and
    the published answers, nothing else (issue 18: not the issue's code or title, which gather
    other residents' opinions)."""

    code: str
    received_on: dt.date
    channel_label: str
    status_label: str
    answers: list[Answer]
    # What is kept about the resident (issue 10, Law 91/2025): their opinion as stored, their
    # contact details masked, and their erasure requests.
    kept: intake_selectors.KeptData | None = None


def track(code: str) -> TrackResult | None:
    """The public status of the item with this tracking code, or None."""
    code = intake_selectors.clean_tracking_code(code)
    if not code:
        return None
    item = (
        OpinionItem.objects.filter(tracking_code__iexact=code)
        .select_related("issue", "issue__merged_into", "area")
        .first()
    )
    if item is None:
        return None
    issue = item.issue
    if issue is not None and issue.merged_into_id:
        issue = issue.merged_into  # the alias leads to where the matter is followed now
    linked = Q(items=item) | Q(issues=issue) if issue else Q(items=item)
    answers = list(published_answers().filter(linked).distinct())
    return TrackResult(
        code=item.tracking_code,
        received_on=item.received_on,
        channel_label=item.get_channel_display(),
        status_label=resident_status(issue, answered=bool(answers)),
        answers=answers,
        kept=intake_selectors.kept_for_resident(item),
    )


# What a resident reads of the matter their opinion joined: what was done, in their words, not the
# office's working states ("Mới phát hiện" means nothing to them, least of all beside an answer).
RESIDENT_STATUS = {
    Issue.Status.DETECTED: "Đã tiếp nhận, đang xem xét",
    Issue.Status.WATCHING: "Đã tiếp nhận, đang theo dõi",
    Issue.Status.ASSIGNED: "Đã chuyển cơ quan có trách nhiệm xử lý",
    Issue.Status.RESOLVED: "Đã giải quyết, đang chuẩn bị trả lời",
    Issue.Status.ANSWERED: "Đã trả lời",
    Issue.Status.CLOSED: "Đã kết thúc theo dõi",
}


def resident_status(issue: Issue | None, *, answered: bool) -> str:
    """The status a resident reads: a published answer says more than any working state."""
    if answered:
        return "Đã trả lời"
    if issue is None:
        return "Đã tiếp nhận, đang chờ phân loại"
    return RESIDENT_STATUS.get(issue.status, issue.get_status_display())


# --- merge proposals (the office's) -------------------------------------------------------------


def open_proposals(user: User) -> QuerySet[MergeProposal]:
    """The engine's open merge proposals, for the office only (anyone else: none)."""
    if not getattr(user, "is_office", False):
        return MergeProposal.objects.none()
    both = ("keep", "keep__topic", "keep__area", "keep__owner_unit",
            "other", "other__topic", "other__area", "other__owner_unit")
    return (MergeProposal.objects.filter(status=MergeProposal.Status.OPEN,
                                         keep__merged_into__isnull=True,
                                         other__merged_into__isnull=True)
            .select_related(*both)
            .annotate(keep_items=Count("keep__items", distinct=True),
                      other_items=Count("other__items", distinct=True),
                      keep_text=_first_text("keep_id"), other_text=_first_text("other_id"))
            .order_by("-score", "id"))


def _first_text(field: str) -> Subquery:
    """An issue's first item's (masked) text: what the office judges a proposal by."""
    return Subquery(OpinionItem.objects.filter(issue_id=OuterRef(field))
                    .order_by("received_on", "id").values("text")[:1])


def get_open_proposal_for(user: User, pk) -> MergeProposal:
    try:
        return open_proposals(user).get(pk=pk)
    except (MergeProposal.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy đề xuất gộp.") from exc
