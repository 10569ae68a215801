"""Where the leader should look first, read back from what the demo stored: the topic rising in
the last weeks, the silent residential groups, the latent worry. Names and numbers come from the
database (topics, areas, the issues the engine titled), so the line ``longdan demo`` prints
cannot drift from the data."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone

from core.models import AuditEntry, Topic
from intake.models import OpinionItem
from longdan.demo import history, names
from longdan.demo import opinion_data as opinions
from longdan.demo.constants import LEADER_USERNAME, PASSWORD
from orgs.models import Area, OrgUnit
from reporting.drafting import AGGRIEVED
from reporting.models import OpinionStream

PICTURE_PATH = "/buc-tranh/"
WORRIED = ("ban_khoan", *AGGRIEVED)


@dataclass
class DemoStory:
    rising_topic: str = ""
    rising_matter: str = ""  # the title of the issue holding most of the rise
    rising_week: int = 0  # items of the topic in the last 7 days
    rising_weeks: list[int] = field(default_factory=list)  # the last three weeks, oldest first
    usual_low: int = 0  # the topic's ordinary weeks before the rise (min–max of 12 weeks)
    usual_high: int = 0
    rising_aggrieved: float = 0.0  # share aggrieved or opposed over the last three weeks
    silent_areas: list[str] = field(default_factory=list)
    silent_weeks: int = 0  # whole weeks since anything was heard from the silent areas
    latent_topic: str = ""
    latent_matter: str = ""
    latent_weeks: list[int] = field(default_factory=list)  # worried items, oldest week first
    latent_streams: int = 0  # latent streams on the topic in the last two months' reports

    def leader_line(self) -> str:
        """Where the leader should look first, in the words ``longdan demo`` prints it."""
        parts = []
        if self.rising_topic:
            weeks = " → ".join(str(n) for n in self.rising_weeks)
            parts.append(
                f"chủ đề đang nóng lên: {self.rising_topic} ({self.rising_matter}) —"
                f" {self.rising_week} ý kiến trong 7 ngày, bình thường {self.usual_low}–"
                f"{self.usual_high}/tuần (3 tuần qua: {weeks}),"
                f" {round(self.rising_aggrieved * 100)}% bức xúc, phản đối"
            )
        if self.silent_areas:
            parts.append(
                f"{len(self.silent_areas)} tổ dân phố im lặng: {', '.join(self.silent_areas)}"
                f" — không có ý kiến nào từ {self.silent_weeks} tuần nay"
            )
        if self.latent_topic:
            weeks = " → ".join(str(n) for n in self.latent_weeks)
            parts.append(
                f"dư luận tiềm ẩn: {self.latent_topic} ({self.latent_matter}) — ý kiến lo lắng"
                f" tăng 4 tuần liền ({weeks}), chưa có vấn đề nào được theo dõi,"
                f" {self.latent_streams} luồng ý kiến được báo cáo là tiềm ẩn"
            )
        where = f"Lãnh đạo: đăng nhập {LEADER_USERNAME} / {PASSWORD}, mở {PICTURE_PATH}"
        return where + (" — " + "; ".join(parts) + "." if parts else ".")


def silent_areas() -> list[Area]:
    """The two residential groups that fall silent: those of the residential cells left without
    a responsible person (nobody there reports, nobody listens), in the order they were made."""
    return list(Area.objects.filter(unit__code__in=names.NO_RESPONSIBLE,
                                    unit__kind=OrgUnit.Kind.PARTY_CELL)
                .order_by("unit_id", "pk")[:2])


def tell_story(today: dt.date) -> DemoStory:
    """The story as the database holds it on ``today`` (the day the demo was built for)."""
    story = DemoStory()
    for matter in opinions.MATTERS:
        topic = Topic.objects.filter(name=matter["topic"]).first()
        if topic is not None and matter.get("role") == "rising":
            _rising(story, topic, today)
        elif topic is not None and matter.get("role") == "latent":
            _latent(story, topic, today)
    areas = silent_areas()
    if areas:
        _silence(story, areas, today)
    return story


def current_story() -> DemoStory:
    """The story of the demo already loaded, told for the day it was loaded for."""
    loaded = AuditEntry.objects.filter(object_type="demo").order_by("-at", "-pk").first()
    today = timezone.localdate()
    if loaded is not None:
        day = (loaded.data or {}).get("today")
        today = dt.date.fromisoformat(day) if day else timezone.localdate(loaded.at)
    return tell_story(today)


def _weeks(items, today: dt.date, weeks: int) -> list[int]:
    """Items per seven-day week, the last ``weeks`` weeks, oldest first."""
    counts = Counter(history.week_of(day, today) for day in items.values_list("received_on",
                                                                              flat=True))
    return [counts.get(week, 0) for week in range(weeks - 1, -1, -1)]


def _main_title(items, topic: Topic) -> str:
    """The title of the issue holding most of ``items``, without its topic (said already)."""
    issue_id = Counter(items.values_list("issue_id", flat=True)).most_common(1)
    if not issue_id or issue_id[0][0] is None:
        return ""
    title = items.filter(issue_id=issue_id[0][0]).values_list("issue__title", flat=True)[0]
    return title.removeprefix(f"{topic.name} — ")


def _rising(story: DemoStory, topic: Topic, today: dt.date) -> None:
    items = OpinionItem.objects.filter(topics=topic)
    recent = items.filter(received_on__gt=today - dt.timedelta(weeks=history.RISING_WEEKS))
    weeks = _weeks(items, today, history.RISING_WEEKS + 12)
    before = weeks[:12]
    story.rising_topic = topic.name
    story.rising_matter = _main_title(recent, topic)
    story.rising_weeks = weeks[-history.RISING_WEEKS:]
    story.rising_week = weeks[-1]
    story.usual_low, story.usual_high = min(before), max(before)
    total = recent.count()
    story.rising_aggrieved = recent.filter(attitude__in=AGGRIEVED).count() / total if total else 0


def _silence(story: DemoStory, areas: list[Area], today: dt.date) -> None:
    story.silent_areas = [area.name for area in areas]
    last_item = OpinionItem.objects.filter(area__in=areas).aggregate(last=Max("received_on"))
    last_stream = OpinionStream.objects.filter(area__in=areas).aggregate(
        last=Max("report__period__end"))
    last = max(filter(None, [last_item["last"], last_stream["last"]]), default=None)
    story.silent_weeks = (today - last).days // 7 if last else 0


def _latent(story: DemoStory, topic: Topic, today: dt.date) -> None:
    weeks = len(history.LATENT_COUNTS)
    worried = OpinionItem.objects.filter(topics=topic, attitude__in=WORRIED)
    recent = worried.filter(received_on__gt=today - dt.timedelta(weeks=weeks))
    story.latent_topic = topic.name
    story.latent_matter = _main_title(recent, topic)
    story.latent_weeks = _weeks(worried, today, weeks)
    story.latent_streams = OpinionStream.objects.filter(
        topic=topic, latent=True, report__period__end__gte=today - dt.timedelta(days=62),
    ).count()
