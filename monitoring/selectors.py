"""Reads of the monitoring desk: the ward's gazetteer from the registry, mentions for export."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings

from monitoring.gazetteer import Gazetteer
from monitoring.models import Mention, Place, Source
from orgs.models import Area


def gazetteer() -> Gazetteer:
    """The ward's names, the city, every tổ dân phố, former ward and place the office added."""
    areas = list(Area.objects.values_list("name", "former_ward"))
    return Gazetteer(
        # One spelling is enough: the gazetteer normalises names and texts alike ("Hoà"→"Hòa").
        ward_names=[settings.LONGDAN_PLACE],
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


def mentions_for_office(
    *, relevance: str = "", source_id: int | None = None, q: str = "", limit: int = 100
) -> list[Mention]:
    """Newest mentions first, filtered; ``q`` matches title or text without diacritics."""
    from core.text import fold

    rows = Mention.objects.select_related("source", "topic", "story").order_by(
        "-published_at", "-fetched_at", "-pk"
    )
    if relevance:
        rows = rows.filter(relevance=relevance)
    if source_id:
        rows = rows.filter(source_id=source_id)
    rows = list(rows[: limit * 5 if q else limit])
    if q:
        needle = fold(q)
        rows = [m for m in rows if needle in fold(f"{m.title} {m.text}")][:limit]
    return rows


def sources_with_health() -> list[Source]:
    return list(Source.objects.order_by("name"))
