"""Reads of the monitoring desk: the ward's gazetteer from the registry, mentions for export."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings

from monitoring.gazetteer import Gazetteer
from monitoring.models import Mention, Place, Source
from orgs.models import Area


def gazetteer() -> Gazetteer:
    """The ward's names, the city, every tổ dân phố, former ward and place the office added."""
    ward = settings.LONGDAN_PLACE
    areas = list(Area.objects.values_list("name", "former_ward"))
    return Gazetteer(
        ward_names=[ward, ward.replace("òa", "oà").replace("óa", "oá").replace("ỏa", "oả")],
        city_names=[settings.LONGDAN_CITY],
        areas=[name for name, _former in areas],
        former_wards=sorted({former for _name, former in areas if former}),
        places=list(Place.objects.values_list("name", flat=True)),
    )


def active_sources() -> list[Source]:
    return list(
        Source.objects.filter(active=True).exclude(kind=Source.Kind.EXPORT).order_by("name")
    )


def export_rows() -> Iterator[dict]:
    """One dict per stored mention, oldest first (``longdan monitor export``)."""
    mentions = Mention.objects.select_related("source", "topic").order_by("pk")
    for m in mentions.iterator(chunk_size=500):
        yield {
            "url": m.url,
            "title": m.title,
            "published_at": m.published_at.isoformat() if m.published_at else None,
            "source": m.source.name if m.source else None,
            "site": m.site,
            "text": m.text,
            "relevance": m.relevance,
            "relevance_score": m.relevance_score,
            "places": m.places,
            "story_id": m.story_id,
            "topic": m.topic.name if m.topic else None,
            "attitude": m.attitude or None,
            "issue": m.issue_id,
        }
