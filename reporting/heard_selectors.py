"""Reads what the ward heard outside the unit reports in a period, for the consolidated report
(``reporting.consolidation.Heard``): opinion items of every channel, and the press's stories."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import Count, Q

from core.models import Channel
from intake.models import OpinionItem
from monitoring.models import Mention, Story
from reporting.consolidation import Heard, HeardTopic
from reporting.drafting import AGGRIEVED
from reporting.models import OpinionStream, UnitReport


def heard_in(start: dt.date, end: dt.date, unit_ids: set[int] | None = None) -> Heard:
    """The opinion items received from ``start`` to ``end`` (of ``unit_ids`` when given; every
    item for the ward), per channel and topic, and the stories about the ward the press published
    then (for the ward only: the press writes about the ward, not about a unit's subtree)."""
    items = OpinionItem.objects.filter(received_on__range=(start, end))
    if unit_ids is not None:
        items = items.filter(unit_id__in=unit_ids)
    # Items a submitted unit report's stream was drawn from (issue 15): said once, not twice.
    drawn = OpinionStream.items.through.objects.filter(
        opinionstream__report__state=UnitReport.State.SUBMITTED
    ).values("opinionitem_id")
    totals = items.aggregate(n=Count("pk"), aggrieved=Count("pk", filter=Q(attitude__in=AGGRIEVED)),
                             in_streams=Count("pk", filter=Q(pk__in=drawn)))
    labels = dict(Channel.choices)
    channels = tuple(
        (labels.get(row["channel"], row["channel"]), row["n"])
        for row in items.values("channel").annotate(n=Count("pk")).order_by("-n", "channel")
    )
    tagged = OpinionItem.topics.through.objects.filter(opinionitem__in=items)
    topics = tuple(
        HeardTopic(topic=row["topic__name"], count=row["n"], aggrieved=row["aggrieved"],
                   in_streams=row["in_streams"])
        for row in tagged.values("topic__name").annotate(
            n=Count("opinionitem_id"),
            aggrieved=Count("opinionitem_id", filter=Q(opinionitem__attitude__in=AGGRIEVED)),
            in_streams=Count("opinionitem_id", filter=Q(opinionitem_id__in=drawn)),
        ).order_by("-n", "topic__name")
    )
    heard = Heard(items=totals["n"], aggrieved=totals["aggrieved"], channels=channels,
                  topics=topics, in_streams=totals["in_streams"])
    if unit_ids is not None:
        return heard
    mentions = _ward_mentions(start, end)
    return dataclasses.replace(heard, mentions=mentions.count(), stories=_stories(mentions))


def _ward_mentions(start: dt.date, end: dt.date):
    """Articles and posts about the ward published in the period (fetched then, when the site
    gave no date)."""
    return Mention.objects.filter(relevance=Mention.Relevance.WARD).filter(
        Q(published_at__date__range=(start, end))
        | Q(published_at__isnull=True, fetched_at__date__range=(start, end))
    )


def _stories(mentions) -> tuple[tuple[str, int], ...]:
    """The stories most sites carried among ``mentions``: (title of its first article, sites)."""
    stories = (
        Story.objects.filter(mentions__in=mentions)
        .distinct()
        .select_related("first_mention")
        .order_by("-site_count", "-mention_count", "pk")[:5]
    )
    return tuple(
        (story.first_mention.title if story.first_mention else "", story.site_count)
        for story in stories
    )
