"""Reads of the monitoring desk: the ward's gazetteer from the registry, mentions for export,
sources with their health and distinct voices, an export waiting for the office's import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from monitoring.gazetteer import Gazetteer
from monitoring.models import ExportUpload, Mention, Place, Source, WatchHit, WatchTerm
from orgs.models import Area

# Distinct authors among a set of mentions (only exports have them; the hash is only counted).
_VOICES = Count("author_hash", distinct=True, filter=~Q(author_hash=""))


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
    voices = story_voices({m.story_id for m in rows if m.story_id})
    for m in rows:
        m.voices = voices.get(m.story_id, 0)
    return rows


def story_voices(story_ids: set[int]) -> dict[int, int]:
    """How many distinct authors each story's exported posts and comments have."""
    counts = (
        Mention.objects.filter(story_id__in=story_ids)
        .values("story_id")
        .annotate(voices=_VOICES)
        .values_list("story_id", "voices")
    )
    return dict(counts)


def sources_with_health() -> list[Source]:
    """Every source with ``mention_count`` and ``voices`` (distinct authors of its exports)."""
    return list(
        Source.objects.annotate(
            mention_count=Count("mentions"),
            voices=Count(
                "mentions__author_hash", distinct=True, filter=~Q(mentions__author_hash="")
            ),
        ).order_by("name")
    )


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
