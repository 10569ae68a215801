"""Reads of the monitoring desk's work: the ward's gazetteer from the registry, the sources to
fetch, mentions for the command's export, an export waiting for the office's import. The pages'
reads (filters, stories, health, findings) are ``monitoring.page_selectors``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from monitoring.gazetteer import Gazetteer
from monitoring.models import ExportUpload, Mention, Place, Source, WatchHit, WatchTerm
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
            "reactions": m.reactions,
        }


def export_sources() -> list[Source]:
    return list(Source.objects.filter(kind=Source.Kind.EXPORT).order_by("name"))


def pending_upload(user) -> ExportUpload | None:
    """The export ``user`` read last and has not imported (within a day)."""
    since = timezone.now() - dt.timedelta(days=1)
    return (
        ExportUpload.objects.select_related("source")
        .filter(created_by=user, created_at__gte=since)
        .order_by("-pk")
        .first()
    )


def already_stored(upload: ExportUpload) -> int:
    """How many of a previewed export's rows are stored already (re-imported rows add nothing).

    The identities are those ``imports.identity`` gives, read a few hundred at a time."""
    from monitoring.exportfile import synthetic_url

    rows = upload.rows
    by_link = dict(_stored_texts([r["link"] for r in rows if r["link"]]))
    wanted, found = [], 0
    for row in rows:
        stored = by_link.get(row["link"]) if row["link"] else None
        if row["link"] and stored is None:
            continue
        if stored is not None and stored == row["text"]:
            found += 1
            continue
        wanted.append(synthetic_url(upload.source_id, row["text"], row["time"] or "", row["link"]))
    return found + sum(1 for _url in _stored_texts(wanted))


def _stored_texts(urls: list[str], chunk: int = 500) -> Iterator[tuple[str, str]]:
    urls = list(dict.fromkeys(urls))
    for start in range(0, len(urls), chunk):
        yield from Mention.objects.filter(url__in=urls[start : start + chunk]).values_list(
            "url", "text"
        )


def watch_terms() -> list[WatchTerm]:
    """The watch-list, active terms first, each with ``hit_count`` (stories matched)."""
    return list(
        WatchTerm.objects.select_related("topic", "created_by").annotate(hit_count=Count("hits"))
    )


def recent_watch_hits(limit: int = 50) -> list[WatchHit]:
    """The newest matches of the watch-list (one per term and story)."""
    return list(
        WatchHit.objects.select_related("term", "term__topic", "mention", "story")
        .order_by("-created_at", "-pk")[:limit]
    )
