"""Counting what was heard: the cells every panel of the picture is made of.

A cell is one (day or None, key, attitude, source, count, latent) along one dimension
(``all``, ``topic``, ``area``, ``group``, ``channel``, ``group_topic``, ``area_topic``, ``issue``;
see ``picture.models.Rollup``). :class:`RawCounter` counts the raw rows (items and the streams of
submitted reports) with plain aggregate queries: it is the reference every faster path must equal,
and the "naive query" the benchmarks measure against.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from intake.models import OpinionItem
from picture.query import PictureQuery
from reporting.models import OpinionStream, UnitReport

ITEM, STREAM = "item", "stream"
DIMENSIONS = ("all", "topic", "area", "group", "channel", "group_topic", "area_topic", "issue")


@dataclass(frozen=True)
class Cell:
    day: dt.date | None
    key: str
    attitude: str
    source: str
    count: int
    latent: int = 0


# For each dimension, the fields of an item and of a stream that make its key.
_ITEM_KEYS = {
    "all": (),
    "topic": ("topics__id",),
    "area": ("area_id",),
    "group": ("social_groups__id",),
    "channel": ("channel",),
    "group_topic": ("social_groups__id", "topics__id"),
    "area_topic": ("area_id", "topics__id"),
    "issue": ("issue_id",),
}
_STREAM_KEYS = {
    "all": (),
    "topic": ("topic_id",),
    "area": ("area_id",),
    "group": ("social_groups__id",),
    "channel": ("channel",),
    "group_topic": ("social_groups__id", "topic_id"),
    "area_topic": ("area_id", "topic_id"),
    "issue": ("issues__id",),
}


def _key(values: dict, fields: tuple[str, ...]) -> str:
    return ":".join("" if values[name] is None else str(values[name]) for name in fields)


class RawCounter:
    """Counts straight from the raw rows, honouring every filter of the query."""

    def __init__(self, query: PictureQuery):
        self.query = query

    def items(self, start: dt.date, end: dt.date) -> QuerySet[OpinionItem]:
        query = self.query
        items = OpinionItem.objects.filter(received_on__range=(start, end))
        if query.unit_ids is not None:
            items = items.filter(unit_id__in=query.unit_ids)
        if query.area:
            items = items.filter(area=query.area)
        if query.channel:
            items = items.filter(channel=query.channel)
        # Many-to-many filters through a sub-query: a join would count an item once per label.
        if query.topic:
            tagged = OpinionItem.topics.through.objects.filter(topic_id=query.topic.pk)
            items = items.filter(pk__in=tagged.values("opinionitem_id"))
        if query.group:
            tagged = OpinionItem.social_groups.through.objects.filter(
                socialgroup_id=query.group.pk
            )
            items = items.filter(pk__in=tagged.values("opinionitem_id"))
        return items

    def streams(self, start: dt.date, end: dt.date) -> QuerySet[OpinionStream]:
        query = self.query
        streams = OpinionStream.objects.filter(
            report__state=UnitReport.State.SUBMITTED, report__period__end__range=(start, end)
        )
        if query.unit_ids is not None:
            streams = streams.filter(report__unit_id__in=query.unit_ids)
        if query.area:
            streams = streams.filter(area=query.area)
        if query.channel:
            streams = streams.filter(channel=query.channel)
        if query.topic:
            streams = streams.filter(topic=query.topic)
        if query.group:
            tagged = OpinionStream.social_groups.through.objects.filter(
                socialgroup_id=query.group.pk
            )
            streams = streams.filter(pk__in=tagged.values("opinionstream_id"))
        return streams

    def cells(
        self, dimension: str, start: dt.date, end: dt.date, *, by_day: bool = False
    ) -> list[Cell]:
        return [
            *self._cells(self.items(start, end), _ITEM_KEYS[dimension], ITEM,
                         "received_on" if by_day else None),
            *self._cells(self.streams(start, end), _STREAM_KEYS[dimension], STREAM,
                         "report__period__end" if by_day else None),
        ]

    @staticmethod
    def _cells(rows: QuerySet, fields: tuple[str, ...], source: str, day_field: str | None):
        group_by = [*fields, "attitude", *([day_field] if day_field else [])]
        aggregated = rows.values(*group_by).annotate(
            n=Count("pk", distinct=True),
            n_latent=Count("pk", filter=Q(latent=True), distinct=True),
        )
        return [
            Cell(
                day=values[day_field] if day_field else None,
                key=_key(values, fields),
                attitude=values["attitude"] or "",
                source=source,
                count=values["n"],
                latent=int(values["n_latent"] or 0),
            )
            for values in aggregated.order_by()
        ]
