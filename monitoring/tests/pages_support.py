"""Mentions and stories made directly for the page tests (the fetch and store paths have their
own tests): a mention's ``folded`` search document is filled by ``Mention.save`` as always."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from monitoring.models import Mention, Story

_numbers = itertools.count(1)


def when(days_ago: float, hour: int = 9) -> dt.datetime:
    today = timezone.localdate()
    day = today - dt.timedelta(days=int(days_ago))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def mention(
    title: str,
    *,
    text: str = "",
    site: str = "baomoi.vn",
    at: dt.datetime | None = None,
    relevance: str = Mention.Relevance.WARD,
    story: Story | None = None,
    **fields,
) -> Mention:
    number = next(_numbers)
    made = Mention.objects.create(
        url=f"https://{site}/tin-{number}",
        site=site,
        title=title,
        text=text or f"{title}. Bài viết số {number}.",
        published_at=at or when(1),
        relevance=relevance,
        relevance_score=0.9 if relevance == "ward" else 0.2,
        story=story,
        **fields,
    )
    if story is not None:
        _refresh(story)
    return made


def story(first_at: dt.datetime) -> Story:
    return Story.objects.create(first_seen_at=first_at)


def _refresh(story: Story) -> None:
    mentions = list(story.mentions.order_by("published_at", "pk"))
    story.first_mention = mentions[0]
    story.first_seen_at = mentions[0].published_at
    story.mention_count = len(mentions)
    story.site_count = len({m.site for m in mentions})
    story.save()
