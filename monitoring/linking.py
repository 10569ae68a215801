"""Online mentions into issues, stories spreading into alerts, and the watch-list's matches: the
background worker's ``monitoring.tasks.process_mentions``, each run idempotent.

**Into issues.** Each new mention about the ward or the city goes through the grouper the
opinion items use (``textops.services.with_grouper``; item id ``"m<pk>"``, text: its title and
lede, the first ``GROUP_TEXT`` characters, so a long article's asides do not pull an issue's
words off its matter). When its engine group is an issue's, the mention joins that issue, an
online story about water cuts in a tổ dân phố landing on the residents' issue about them. When
the group has no issue yet, no issue is opened for one article: most online mentions are single
stories that never grow, and an issue per article would bury the office's list. An issue is
opened only for a story **spreading** (at least ``SPREAD_SITES`` sites, one of its mentions
about the ward itself, not only the city), which the office must follow anyway. The mention stays
in its engine group: if residents' items open an issue there later, the story joins it on a next
run (:func:`_recheck`).

A story is tied to one issue (``Story.issue``): every mention of the story follows it, the copies
already stored and those that come later, whatever each copy's own relevance.

**Spreading alerts.** A story tied to an issue whose mentions published (or, undated, fetched) in
the last ``SPREAD_WINDOW`` come from ``SPREAD_SITES`` sites or more raises the issue's alert of
the day (``issues.services.raise_issue_alert``: the same ``BurstAlert`` the office acknowledges,
the picture relays to subscribers), so at most one alert per story (and issue) per day. The
mentions also count in the burst detector's daily series of their issue and topic
(:func:`mention_series`, registered by ``monitoring.apps``).

**Watch-list.** Each new relevant mention is matched against the active watch terms
(``monitoring.watch``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from core.errors import ConflictError
from core.models import AuditEntry
from core.services import audit
from issues import services as issues
from issues.models import Issue, IssueEvent
from monitoring import watch
from monitoring.models import Mention, Story
from orgs.models import Area
from textops import services as textops

logger = logging.getLogger(__name__)

BATCH = 500  # mentions per grouper transaction (as the items: issues GROUP_BATCH)
GROUP_TEXT = 1500  # characters of a mention's text the grouper reads (after its title)
SPREAD_SITES = 3
SPREAD_WINDOW = dt.timedelta(hours=24)
RECHECK_WINDOW = dt.timedelta(days=14)  # how long a story without issue is looked at again
RELEVANT = (Mention.Relevance.WARD, Mention.Relevance.CITY)
CLOSED = (Issue.Status.ANSWERED, Issue.Status.CLOSED)


@dataclass
class LinkRun:
    mentions: int = 0  # looked at
    joined: int = 0  # mentions tied to an issue
    new_issues: int = 0
    watch_hits: int = 0
    alerts: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def engine_id(mention_id: int) -> str:
    return f"m{mention_id}"


def _when(m: Mention) -> dt.datetime:
    return m.published_at or m.fetched_at


def _group_text(m: Mention) -> str:
    return f"{m.title}. {m.text[:GROUP_TEXT]}".strip(". ")


def _live(issue: Issue | None) -> Issue | None:
    """The issue an issue was merged into (the survivor), or itself."""
    seen = set()
    while issue is not None and issue.merged_into_id and issue.pk not in seen:
        seen.add(issue.pk)
        issue = Issue.objects.filter(pk=issue.merged_into_id).first() or issue
    return issue


# --- the run ------------------------------------------------------------------------------------


def process_mentions(*, now: dt.datetime | None = None) -> LinkRun:
    """Group the new mentions, tie stories to issues, match the watch-list, raise the alerts of
    spreading stories. Safe to run again and from several workers (see the module docstring)."""
    now = now or timezone.now()
    run = LinkRun()
    while True:
        try:
            done = textops.with_grouper(lambda grouper: _process_batch(grouper, run, now))
        except ConflictError as exc:
            if exc.field != "grouper":
                raise
            logger.info("Gắn tin vào vấn đề: nhường cho tiến trình khác (%s)", exc.message)
            break
        if done < BATCH:
            break
    _recheck(run, now)
    _spread_alerts(run, now)
    return run


def _pending() -> list[Mention]:
    return list(
        Mention.objects.filter(processed_at__isnull=True)
        .select_related("story", "story__issue", "story__first_mention")
        .order_by("pk")[:BATCH]
    )


def _process_batch(grouper, run: LinkRun, now: dt.datetime) -> int:
    mentions = _pending()
    if not mentions:
        return 0
    relevant = [m for m in mentions if m.relevance in RELEVANT and m.story_id]
    groups = dict(
        zip(
            (m.pk for m in relevant),
            grouper.assign_many((engine_id(m.pk), _group_text(m), _when(m)) for m in relevant),
            strict=True,
        )
    )
    before = run.joined, run.new_issues
    stories: dict[int, Story] = {}  # one instance per story: a tie made earlier is seen
    for m in mentions:
        if m.story_id is None:
            continue
        story = stories.setdefault(m.story_id, m.story)
        issue = _live(story.issue)
        if issue is None and m.pk in groups:
            issue = _issue_of_group(grouper, groups[m.pk])
        if issue is None and _spreading(story):
            issue = _open_for_story(grouper, story, run)
        if issue is not None:
            _tie(story, issue, run)
    run.watch_hits += watch.match_mentions(mentions)
    Mention.objects.filter(pk__in=[m.pk for m in mentions]).update(processed_at=now)
    run.mentions += len(mentions)
    if (run.joined, run.new_issues) != before:
        audit(
            actor=None,
            action=AuditEntry.Action.UPDATE,
            object_type="monitoring.mention",
            summary=f"Gắn {run.joined - before[0]} tin báo chí, mạng xã hội vào vấn đề"
            f" ({run.new_issues - before[1]} vấn đề mới)",
            data={"mentions": len(mentions)},
        )
    return len(mentions)


def _issue_of_group(grouper, group: int) -> Issue | None:
    try:
        key = str(grouper.resolve(group))
    except KeyError:
        return None
    return _live(Issue.objects.filter(engine_key=key).first())


def _spreading(story: Story) -> bool:
    return (
        story.site_count >= SPREAD_SITES
        and story.mentions.filter(relevance=Mention.Relevance.WARD).exists()
    )


def _open_for_story(grouper, story: Story, run: LinkRun) -> Issue | None:
    """An issue for a spreading story: in the engine group of its first grouped mention about
    the ward (a group another story opened an issue for is joined instead)."""
    ward = list(
        story.mentions.filter(relevance=Mention.Relevance.WARD).order_by("published_at", "pk")
    )
    for m in ward:
        key = engine_id(m.pk)
        if key not in grouper:
            continue
        group = grouper.resolve(grouper.issue_of(key))
        existing = _issue_of_group(grouper, group)
        if existing is not None:
            return existing
        places = {p for m2 in ward for p in (m2.places or [])}
        areas = list(Area.objects.filter(name__in=places)[:2])
        first = ward[0]
        issue = issues.open_engine_issue(
            engine_id=group,
            topic=first.topic,
            area=areas[0] if len(areas) == 1 else None,
            texts=[_group_text(x) for x in ward[:20]],
            day=timezone.localdate(_when(first)),
            note=f"Phát hiện từ câu chuyện trên báo chí, mạng xã hội ({story.site_count} trang"
            f" đăng): {first.title or first.site}"[:500],
        )
        run.new_issues += 1
        return issue
    return None


def _tie(story: Story, issue: Issue, run: LinkRun) -> None:
    """Tie ``story`` and every one of its mentions to ``issue`` (a note on the issue the first
    time the story reaches it)."""
    moved = Mention.objects.filter(story=story).exclude(issue=issue).update(issue=issue)
    run.joined += moved
    if story.issue_id != issue.pk:
        Story.objects.filter(pk=story.pk).update(issue=issue)
        story.issue = issue
        first = story.first_mention
        IssueEvent.objects.create(
            issue=issue,
            kind=IssueEvent.Kind.NOTE,
            to_value=f"câu chuyện {story.pk}",
            note=f"Báo chí, mạng xã hội: {(first.title or first.site) if first else ''}"
            f" ({story.mention_count} tin, {story.site_count} trang đăng)."[:500],
        )


# --- stories that found their issue later --------------------------------------------------------


def _recheck(run: LinkRun, now: dt.datetime) -> None:
    """Tie the recent stories left without an issue whose engine group got one since (residents'
    items opened it): read-only on the grouper, which is loaded only when such stories exist.

    A group gains an issue only when an issue is created (items opening it, or a split), so only
    the stories looked at before the newest engine issue was created can have one now."""
    newest = Issue.objects.filter(engine_key__isnull=False).aggregate(at=Max("created_at"))["at"]
    if newest is None:
        return
    stories = list(
        Story.objects.filter(
            issue__isnull=True,
            mentions__relevance__in=RELEVANT,
            mentions__processed_at__gte=now - RECHECK_WINDOW,
            mentions__processed_at__lt=newest,
        ).distinct()
    )
    if not stories:
        return
    grouper, _version = textops.load_grouper()
    for story in stories:
        ids = story.mentions.filter(relevance__in=RELEVANT).values_list("pk", flat=True)
        for pk in ids:
            key = engine_id(pk)
            if key not in grouper:
                continue
            issue = _issue_of_group(grouper, grouper.issue_of(key))
            if issue is not None:
                with transaction.atomic():
                    _tie(story, issue, run)
                break


# --- spreading stories ---------------------------------------------------------------------------


def _spread_alerts(run: LinkRun, now: dt.datetime) -> None:
    since = now - SPREAD_WINDOW
    rows = (
        Mention.objects.filter(story__issue__isnull=False)
        .filter(
            Q(published_at__gte=since, published_at__lte=now)
            | Q(published_at__isnull=True, fetched_at__gte=since)
        )
        .values_list("story_id", "site")
    )
    sites: dict[int, set[str]] = {}
    counts: dict[int, int] = {}
    for story_id, site in rows:
        sites.setdefault(story_id, set()).add(site)
        counts[story_id] = counts.get(story_id, 0) + 1
    spread = [s for s, found in sites.items() if len(found) >= SPREAD_SITES]
    today = timezone.localdate(now)
    for story in Story.objects.filter(pk__in=spread).select_related("issue", "first_mention"):
        issue = _live(story.issue)
        if issue is None or issue.status in CLOSED:
            continue
        if not story.mentions.filter(relevance=Mention.Relevance.WARD).exists():
            continue
        names = sorted(sites[story.pk])
        shown = ", ".join(names[:5]) + ("…" if len(names) > 5 else "")
        title = story.first_mention.title if story.first_mention else ""
        signal = issues.Signal(
            count=counts[story.pk],
            window_days=1,
            expected=0.0,
            score=float(len(names)),
            reason=f"câu chuyện “{title[:80]}” lan trên {len(names)} trang trong 24 giờ"
            f" ({shown})"[:300],
        )
        if issues.raise_issue_alert(issue=issue, today=today, signal=signal):
            run.alerts += 1


# --- the burst detector's counts -----------------------------------------------------------------


def mention_series(start: dt.date, today: dt.date):
    """Mentions per issue and per topic per day (``issues.services.bursts.EXTRA_SERIES``): those
    tied to an issue not answered or closed (a merged one's counted on the issue it was merged
    into), and those about the ward with a topic."""
    first = dt.datetime.combine(start, dt.time.min, tzinfo=timezone.get_current_timezone())
    rows = (
        Mention.objects.filter(
            Q(published_at__gte=first) | Q(published_at__isnull=True, fetched_at__gte=first)
        )
        .filter(Q(issue__isnull=False) | Q(relevance=Mention.Relevance.WARD, topic__isnull=False))
        .values_list("issue_id", "issue__merged_into_id", "issue__status", "topic_id",
                     "relevance", "published_at", "fetched_at")
    )
    by_issue: dict[int, dict[dt.date, int]] = {}
    by_topic: dict[int, dict[dt.date, int]] = {}
    for issue_id, merged, status, topic_id, relevance, published, fetched in rows.iterator():
        day = timezone.localdate(published or fetched)
        if not start <= day <= today:
            continue
        if issue_id and status not in CLOSED:  # a merged issue's count goes to the survivor
            counts = by_issue.setdefault(merged or issue_id, {})
            counts[day] = counts.get(day, 0) + 1
        if topic_id and relevance == Mention.Relevance.WARD:
            counts = by_topic.setdefault(topic_id, {})
            counts[day] = counts.get(day, 0) + 1
    return by_issue, by_topic
