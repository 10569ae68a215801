"""Reads of the monitoring pages (the office's and the leaders'): mentions filtered, searched and
sorted in the database, stories by spread, sources with their week, a story's days, and the
volume of a story before and after the office's correction.

Mentions are the whole ward's public press and posts, masked; no unit owns them, so the readers
are the office and the leaders (``can_read``), never a unit's account."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, DateTimeField, F, Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.dates import local_today
from monitoring import fulltext
from monitoring.models import Mention, Misinformation, Source, Story
from monitoring.reading import Day, Volume, search_words, spread, volume

# ``seen``: when a mention appeared (its publication time, else when it was fetched).
SEEN = Coalesce("published_at", "fetched_at", output_field=DateTimeField())
MENTION_SORTS = {
    "time": "seen",
    "score": "relevance_score",
    "spread": "story__site_count",
    "reactions": "reactions",
}
DEFAULT_SORT = "-time"
_VOICES = Count("mentions__author_hash", distinct=True, filter=~Q(mentions__author_hash=""))


def can_read(user) -> bool:
    """The office and the leaders read the desk; a unit's account does not."""
    return bool(getattr(user, "sees_everything", False))


@dataclass(frozen=True)
class MentionFilters:
    relevance: str = Mention.Relevance.WARD  # "" for every relevance
    source_id: int | None = None
    topic_id: int | None = None
    attitude: str = ""
    since: dt.date | None = None  # local days, both included
    until: dt.date | None = None
    q: str = ""
    sort: str = DEFAULT_SORT

    @property
    def narrowed(self) -> bool:
        """Whether anything beyond the default (the ward's mentions) narrows the list."""
        return bool(
            self.relevance != Mention.Relevance.WARD
            or self.source_id
            or self.topic_id
            or self.attitude
            or self.since
            or self.until
            or self.q
        )


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filtered_mentions(filters: MentionFilters) -> QuerySet[Mention]:
    """The mentions the filters keep, sorted; the search matches whole words without diacritics
    in the database's full-text index of ``Mention.folded``; every word typed must appear."""
    rows = Mention.objects.annotate(seen=SEEN)
    if filters.relevance:
        rows = rows.filter(relevance=filters.relevance)
    if filters.source_id:
        rows = rows.filter(source_id=filters.source_id)
    if filters.topic_id:
        rows = rows.filter(topic_id=filters.topic_id)
    if filters.attitude:
        rows = rows.filter(attitude=filters.attitude)
    if filters.since:
        rows = rows.filter(seen__gte=_day_start(filters.since))
    if filters.until:
        rows = rows.filter(seen__lt=_day_start(filters.until + dt.timedelta(days=1)))
    rows = rows.filter(fulltext.matching(search_words(filters.q)))
    key = filters.sort.lstrip("-")
    column = F(MENTION_SORTS.get(key, "seen"))
    descending = filters.sort.startswith("-") or key not in MENTION_SORTS
    order = column.desc(nulls_last=True) if descending else column.asc(nulls_last=True)
    return _shown(rows).order_by(order, "-pk")


def _shown(rows: QuerySet[Mention]) -> QuerySet[Mention]:
    return rows.select_related(
        "source", "topic", "story", "issue", "misinformation", "story__misinformation"
    )


def mention(pk: int) -> Mention | None:
    """One mention with what its page shows, or None."""
    rows = for_page(_shown(Mention.objects.annotate(seen=SEEN)).filter(pk=pk))
    return rows[0] if rows else None


def for_page(mentions) -> list[Mention]:
    """Mentions (of ``filtered_mentions``) with the story's voices and the office's finding."""
    rows = list(mentions)
    voices = story_voices({m.story_id for m in rows if m.story_id})
    for m in rows:
        m.voices = voices.get(m.story_id, 0)
        m.finding = _finding(m)
    return rows


def _finding(mention: Mention) -> Misinformation | None:
    for owner in (mention, mention.story):
        finding = getattr(owner, "misinformation", None) if owner else None
        if finding:
            return finding
    return None


def story_voices(story_ids: set[int]) -> dict[int, int]:
    counts = (
        Mention.objects.filter(story_id__in=story_ids)
        .values("story_id")
        .annotate(voices=Count("author_hash", distinct=True, filter=~Q(author_hash="")))
        .values_list("story_id", "voices")
    )
    return dict(counts)


def export_rows(filters: MentionFilters):
    """The filtered mentions as the XLSX's rows (read in chunks)."""
    for m in filtered_mentions(filters).iterator(chunk_size=500):
        yield [
            m.seen,
            m.title,
            m.site,
            m.source.name if m.source else "",
            m.link,
            m.get_relevance_display(),
            round(m.relevance_score, 2),
            ", ".join(m.places or []),
            m.topic.name if m.topic else "",
            m.get_attitude_display() if m.attitude else "",
            m.story_id or "",
            m.issue.code if m.issue else "",
            m.reactions,
            m.text[:EXPORT_TEXT],
        ]


EXPORT_TEXT = 2000  # characters of a mention's text in a cell (a spreadsheet is not the archive)
EXPORT_HEADERS = [
    "Thời điểm đăng (giờ Việt Nam)",
    "Tiêu đề",
    "Trang",
    "Nguồn",
    "Đường dẫn",
    "Mức liên quan",
    "Điểm liên quan",
    "Địa danh khớp",
    "Chủ đề",
    "Thái độ",
    "Câu chuyện số",
    "Vấn đề",
    "Lượt tương tác",
    f"Nội dung (đã che thông tin cá nhân, tối đa {EXPORT_TEXT} ký tự)",
]


# --- stories ---------------------------------------------------------------------------------


def stories_by_spread(filters: MentionFilters) -> QuerySet[Story]:
    """The stories with at least one mention the filters keep, widest spread first: sites, then
    mentions, then distinct voices, then the newest."""
    kept = filtered_mentions(filters).order_by().values("story_id")
    return (
        Story.objects.filter(pk__in=kept)
        .annotate(
            voices=_VOICES,
            last_seen_at=Max(Coalesce("mentions__published_at", "mentions__fetched_at")),
        )
        .select_related("first_mention", "first_mention__source", "misinformation")
        .order_by("-site_count", "-mention_count", "-voices", "-first_seen_at", "-pk")
    )


def story_days(story: Story) -> list[Day]:
    """Mentions and new sites per local day over the story's life."""
    return spread(_seen(story.mentions.all()))


def story_mentions(story: Story) -> list[Mention]:
    rows = story.mentions.annotate(seen=SEEN).select_related("source", "topic", "issue")
    return list(rows.order_by("seen", "pk"))


def _seen(mentions: QuerySet[Mention]) -> list[tuple[dt.date, str]]:
    return [
        (timezone.localdate(seen), site)
        for seen, site in mentions.annotate(seen=SEEN).values_list("seen", "site")
    ]


# --- sources ---------------------------------------------------------------------------------


def sources_with_health() -> list[Source]:
    """Every source with ``mention_count``, ``week_count`` (fetched in the last seven days) and
    ``voices`` (distinct authors of its exports)."""
    week_ago = timezone.now() - dt.timedelta(days=7)
    return list(
        Source.objects.annotate(
            mention_count=Count("mentions"),
            week_count=Count("mentions", filter=Q(mentions__fetched_at__gte=week_ago)),
            voices=Count(
                "mentions__author_hash", distinct=True, filter=~Q(mentions__author_hash="")
            ),
        ).order_by("-active", "name")
    )


# --- misinformation --------------------------------------------------------------------------


def findings() -> list[Misinformation]:
    rows = Misinformation.objects.select_related("mention", "story", "issue", "created_by")
    return list(rows.order_by("-created_at", "-pk"))


def story_finding(story: Story) -> Misinformation | None:
    """The finding on the story, else on one of its mentions (the story's page shows it)."""
    rows = Misinformation.objects.filter(Q(story=story) | Q(mention__story=story))
    return rows.order_by("mention_id", "pk").first()  # the story's own first (no mention)


def covered_mentions(finding: Misinformation) -> QuerySet[Mention]:
    """The mentions whose volume a finding follows: its story's (a mention with no story: just
    itself), or an issue's mentions and the stories they belong to."""
    if finding.story_id:
        return Mention.objects.filter(story_id=finding.story_id)
    if finding.mention_id:
        mention = finding.mention
        if mention.story_id:
            return Mention.objects.filter(story_id=mention.story_id)
        return Mention.objects.filter(pk=mention.pk)
    stories = Mention.objects.filter(issue_id=finding.issue_id).exclude(story=None)
    return Mention.objects.filter(
        Q(issue_id=finding.issue_id) | Q(story_id__in=stories.values("story_id"))
    )


def reference_day(finding: Misinformation) -> dt.date:
    """The correction's day; before one is published, the day the office marked it."""
    return finding.corrected_on or timezone.localdate(finding.created_at)


def misinformation_volume(finding: Misinformation) -> Volume:
    return volume(
        _seen(covered_mentions(finding)), reference=reference_day(finding), today=local_today()
    )
