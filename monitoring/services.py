"""Writes of the monitoring desk: sources, fetching them, storing a mention once per canonical
address with masked text, its relevance to the ward, its story, topic and attitude.

A source that fails (an address refused, a 404, a broken feed, a page too large) gets a
Vietnamese error on its health and the run goes on with the next one.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core import faults
from core.errors import ServiceError
from core.models import AuditEntry
from core.services import audit, require_office
from intake.services import Remasked, Target, remask_fields, remask_target
from monitoring import extract, stories
from monitoring.addresses import AddressError, canonical_url, site_of
from monitoring.extract import ExtractError
from monitoring.fetcher import FetchConfig, Fetcher, FetchError
from monitoring.gazetteer import Gazetteer
from monitoring.models import Mention, MentionBand, Source, Story
from monitoring.reading import search_document
from monitoring.selectors import active_sources, gazetteer
from textengine.signature import Sig, signatures
from textops.selectors import topic_for_code
from textops.services import Analysis, analyse, mask_everything

logger = logging.getLogger(__name__)

MAX_TEXT = 50_000  # characters of an article kept (a longer page is cut, not refused)
STORY_WINDOW = dt.timedelta(days=14)
# A source that keeps failing is tried less and less often: after n failures in a row, not
# before ``interval × 2ⁿ`` (its own interval counts as the first step), at most a day later
# (or its own interval when that is longer). A success resets it.
BACKOFF_CAP = dt.timedelta(days=1)


@dataclass
class Tally:
    new: int = 0
    duplicates: int = 0
    errors: int = 0
    messages: list[str] = field(default_factory=list)
    failed: bool = False  # the source itself could not be read (not one of its articles)

    def as_dict(self) -> dict:
        return {"new": self.new, "duplicates": self.duplicates, "errors": self.errors}

    def add(self, other: Tally) -> None:
        self.new += other.new
        self.duplicates += other.duplicates
        self.errors += other.errors


def fetcher() -> Fetcher:
    allowed = frozenset(settings.LONGDAN_MONITOR_ALLOWED_PRIVATE_HOSTS)
    return Fetcher(FetchConfig(allowed_private=allowed, pause=settings.LONGDAN_MONITOR_PAUSE))


# --- sources -----------------------------------------------------------------------------------


MIN_INTERVAL, MAX_INTERVAL = 5, 7 * 24 * 60  # minutes between two fetches of a source


def add_source(
    *,
    actor,
    name: str,
    url: str,
    kind: str | None = None,
    fetch_interval_minutes: int | None = None,
    client: Fetcher | None = None,
) -> Source:
    """Register a source; its kind is detected from what the address returns when left out.

    An export source (posts imported from files) needs no address; its page's address, when
    given, is only shown."""
    name = _source_name(name)
    kind = _source_kind(kind)
    interval = _interval(fetch_interval_minutes)
    url = _source_url(url, exported=kind == Source.Kind.EXPORT)
    if not kind:
        try:
            response = (client or fetcher()).get(url)
        except FetchError as exc:
            raise ServiceError(f"Địa chỉ: {exc}", field="url") from exc
        kind = extract.feed_kind(response.body)
    with transaction.atomic():
        source = Source.objects.create(
            name=name, url=url, kind=kind, fetch_interval_minutes=interval
        )
        audit(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=source,
            summary=f"Thêm nguồn tin {name} ({source.get_kind_display()})",
            data={"url": url, "kind": kind, "fetch_interval_minutes": interval},
        )
    return source


def update_source(
    *,
    actor,
    source_id: int,
    name: str,
    url: str,
    kind: str,
    fetch_interval_minutes: int | None,
    active: bool,
) -> Source:
    """Change a source's name, address, kind, interval or whether it is followed (audited).

    A new address forgets the old one's ETag and Last-Modified (its first fetch is whole)."""
    require_office(actor, "sửa nguồn tin")
    with transaction.atomic():
        source = Source.objects.select_for_update().filter(pk=source_id).first()
        if source is None:
            raise ServiceError("Không tìm thấy nguồn tin.", field="source")
        name = _source_name(name, exclude=source.pk)
        kind = _source_kind(kind) or source.kind
        changes = {
            "name": name,
            "kind": kind,
            "url": _source_url(url, exported=kind == Source.Kind.EXPORT),
            "fetch_interval_minutes": _interval(fetch_interval_minutes),
            "active": bool(active),
        }
        changed = {k: v for k, v in changes.items() if getattr(source, k) != v}
        if not changed:
            return source
        if "url" in changed:
            changed |= {"etag": "", "last_modified": ""}
        for key, value in changed.items():
            setattr(source, key, value)
        source.save(update_fields=list(changed))
        audit(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=source,
            summary=_source_change_summary(source, changed),
            data={k: v for k, v in changed.items() if k not in ("etag", "last_modified")},
        )
    return source


def set_source_active(*, actor, source_id: int, active: bool) -> Source:
    """Follow a source again, or stop following it (its mentions stay)."""
    require_office(actor, "ngừng hoặc tiếp tục theo dõi nguồn tin")
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        raise ServiceError("Không tìm thấy nguồn tin.", field="source")
    return update_source(
        actor=actor,
        source_id=source.pk,
        name=source.name,
        url=source.url,
        kind=source.kind,
        fetch_interval_minutes=source.fetch_interval_minutes,
        active=active,
    )


def _source_change_summary(source: Source, changed: dict) -> str:
    if set(changed) == {"active"}:
        verb = "Tiếp tục theo dõi" if source.active else "Ngừng theo dõi"
        return f"{verb} nguồn tin {source.name}"
    return f"Sửa nguồn tin {source.name}"


def _source_name(name: str, *, exclude: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ServiceError("Tên nguồn: không được để trống.", field="name")
    if len(name) > 200:
        raise ServiceError("Tên nguồn: dài quá 200 ký tự.", field="name")
    if Source.objects.filter(name=name).exclude(pk=exclude).exists():
        raise ServiceError(f"Tên nguồn: đã có nguồn tên '{name}'.", field="name")
    return name


def _source_kind(kind: str | None) -> str:
    if kind and kind not in Source.Kind.values:
        raise ServiceError(f"Loại nguồn: '{kind}' không hợp lệ.", field="kind")
    return kind or ""


def _source_url(url: str, *, exported: bool) -> str:
    url = (url or "").strip()
    if not url and not exported:
        raise ServiceError("Địa chỉ: không được để trống.", field="url")
    try:
        return canonical_url(url) if url else ""
    except AddressError as exc:
        raise ServiceError(f"Địa chỉ: {exc}", field="url") from exc


def _interval(minutes: int | None) -> int:
    if minutes is None:
        return 60
    if not MIN_INTERVAL <= minutes <= MAX_INTERVAL:
        raise ServiceError(
            f"Chu kỳ lấy tin: từ {MIN_INTERVAL} đến {MAX_INTERVAL} phút (một tuần).",
            field="fetch_interval_minutes",
        )
    return minutes


def backoff(interval_minutes: int, failures: int) -> dt.timedelta:
    """How long after a fetch a source that failed ``failures`` times in a row waits."""
    interval = dt.timedelta(minutes=max(interval_minutes, 1))
    if failures <= 0:
        return dt.timedelta(0)
    cap = max(BACKOFF_CAP, interval)
    # 2ⁿ grows past any cap long before n does: stop doubling once past it.
    return min(interval * 2 ** min(failures, 32), cap)


def _record(source: Source, tally: Tally, etag: str | None, modified: str | None,
            started=None) -> None:
    now = timezone.now()
    fields = {"last_success_at": now} if not tally.errors or tally.new else {}
    if started is not None:
        fields["last_fetch_at"] = started
    if tally.messages:
        fields.update(last_error=tally.messages[-1][:500], last_error_at=now)
    if etag is not None:
        fields.update(etag=etag[:300], last_modified=(modified or "")[:100])
    if tally.failed:
        source.failures += 1
        source.retry_at = now + backoff(source.fetch_interval_minutes, source.failures)
    else:
        source.failures, source.retry_at = 0, None
    fields.update(failures=source.failures, retry_at=source.retry_at)
    Source.objects.filter(pk=source.pk).update(**fields)


# --- fetching ----------------------------------------------------------------------------------


def fetch_all(*, client: Fetcher | None = None, due_only: bool = False) -> dict:
    """Fetch every active source once: ``{"new", "duplicates", "errors", "sources": {name: …}}``.

    ``due_only`` (the background worker): only the sources whose interval has passed and whose
    back-off after failures is over, each claimed first so that two workers in the same tick do
    not both fetch it. Per source, ``failures`` (in a row) and ``retry_at`` tell the back-off."""
    client = client or fetcher()
    gaz = gazetteer()
    total, per_source = Tally(), {}
    now = timezone.now()
    for source in active_sources():
        if due_only and not (source.due(now) and _claim(source, now)):
            continue
        if not due_only:
            Source.objects.filter(pk=source.pk).update(last_fetch_at=now)
        tally = fetch_source(source, client=client, gaz=gaz, started=now)
        total.add(tally)
        per_source[source.name] = tally.as_dict() | {
            "error": tally.messages[-1] if tally.messages else "",
            "failures": source.failures,
            "retry_at": source.retry_at.isoformat() if source.retry_at else None,
        }
    return total.as_dict() | {"sources": per_source}


def fetch_lease() -> dt.timedelta:
    """How long a claimed fetch keeps the source from other workers (LONGDAN_MONITOR_LEASE_SECONDS,
    10 minutes by default)."""
    return dt.timedelta(seconds=settings.LONGDAN_MONITOR_LEASE_SECONDS)


def _claim(source: Source, now) -> bool:
    """Lease the source for one fetch: only the worker whose update matched fetches it.

    The claim sets ``retry_at`` (the lease), not ``last_fetch_at``: the fetch's end records
    ``last_fetch_at`` (``_record``). A worker killed in the middle of a fetch thus leaves the
    source due again once the lease ends, instead of skipped for a whole interval (issue 10)."""
    return bool(
        Source.objects.filter(
            pk=source.pk, last_fetch_at=source.last_fetch_at, retry_at=source.retry_at,
        ).update(retry_at=now + fetch_lease())
    )


def fetch_source(source: Source, *, client: Fetcher, gaz: Gazetteer, started=None) -> Tally:
    """Fetch one source; its errors are recorded on it, never raised. ``started``: when the fetch
    was claimed (recorded as its ``last_fetch_at`` when it ends)."""
    tally = Tally()
    etag = modified = None
    try:
        response = client.get(source.url, etag=source.etag, last_modified=source.last_modified)
        if not response.not_modified:
            etag = response.headers.get("etag", "")
            modified = response.headers.get("last-modified", "")
            _take(source, response, client, gaz, tally)
    except (FetchError, ExtractError) as exc:
        tally.errors += 1
        tally.messages.append(str(exc))
        tally.failed = True
        etag = modified = None  # fetch the whole again next time
    except Exception as exc:  # noqa: BLE001 - one odd source must not stop the others
        logger.exception("monitoring: unexpected error on source %s", source.pk)
        tally.errors += 1
        tally.messages.append(f"Lỗi không mong đợi khi lấy nguồn tin ({type(exc).__name__}).")
        tally.failed = True
        etag = modified = None
    _record(source, tally, etag, modified, started)
    return tally


def _take(source, response, client, gaz, tally: Tally) -> None:
    if source.kind == Source.Kind.PAGE:
        _count(tally, lambda: _store_response(response, source=source, gaz=gaz))
        return
    if source.kind == Source.Kind.SITEMAP:
        entries = [extract.Entry(u, "", None) for u in extract.sitemap_urls(response.body)]
    else:
        entries = extract.feed_entries(response.body, response.url, response.headers)
    for entry in entries:
        _count(
            tally,
            lambda e=entry: store_link(
                e.url, client=client, source=source, gaz=gaz, published_at=e.published_at
            ),
        )
        faults.pause("monitoring.fetch.between_entries")  # one article stored, the rest not


def _count(tally: Tally, work) -> None:
    try:
        created = work()
    except (FetchError, ExtractError, AddressError) as exc:
        tally.errors += 1
        tally.messages.append(str(exc))
        return
    except Exception as exc:  # noqa: BLE001 - one odd page must not stop the source's others
        logger.exception("monitoring: unexpected error on one item")
        tally.errors += 1
        tally.messages.append(f"Lỗi không mong đợi khi xử lý một tin ({type(exc).__name__}).")
        return
    if created:
        tally.new += 1
    else:
        tally.duplicates += 1


def store_link(
    url: str,
    *,
    client: Fetcher,
    source: Source | None = None,
    gaz: Gazetteer | None = None,
    published_at: dt.datetime | None = None,
) -> Mention | None:
    """Fetch one article and store it; None when its canonical address is already stored."""
    if Mention.objects.filter(url=canonical_url(url)).exists():
        return None
    response = client.get(url)
    return _store_response(
        response, source=source, gaz=gaz or gazetteer(), published_at=published_at
    )


def _store_response(response, *, source, gaz, published_at=None) -> Mention | None:
    final = canonical_url(response.url)
    if Mention.objects.filter(url=final).exists():
        return None  # a redirect or a tracking variant of a stored article
    article = extract.article(response.body, final, response.headers)
    return save_mention(
        url=final,
        title=article.title,
        text=article.text,
        published_at=published_at or article.published_at,
        source=source,
        gaz=gaz,
    )


def save_mention(
    *,
    url: str,
    title: str,
    text: str,
    published_at,
    source,
    gaz,
    analysis: Analysis | None = None,
    site: str = "",
    author_hash: str = "",
    reactions: int | None = None,
) -> Mention | None:
    """Mask, analyse, judge and store one mention (None when its address is already stored).

    ``analysis``: the text's, when the caller analysed a batch (an export's rows); ``site``: where
    it appeared when its address does not say (a row of an export without a link)."""
    analysis = analysis or analyse(text[:MAX_TEXT])
    masked_title, _kinds = mask_everything(title)
    verdict = gaz.judge(masked_title, analysis.normalised)
    sig = Sig(signatures([analysis.normalised])[0])
    with transaction.atomic():
        if Mention.objects.select_for_update().filter(url=url).exists():
            return None
        mention = Mention.objects.create(
            url=url,
            site=(site or site_of(url))[:255],
            source=source,
            author_hash=author_hash,
            reactions=reactions,
            title=masked_title[:500],
            published_at=published_at,
            text=analysis.normalised,
            masked_kinds=list(analysis.masked_kinds),
            relevance=verdict.relevance,
            relevance_score=verdict.score,
            places=verdict.places,
            signature=sig.to_bytes(),
            topic=topic_for_code(analysis.suggested_topic_code),
            attitude=analysis.suggested_attitude,
        )
        assign_story(mention, sig)
    return mention


# --- stories -----------------------------------------------------------------------------------


def _when(mention: Mention) -> dt.datetime:
    return mention.published_at or mention.fetched_at


def story_candidates(mention: Mention, keys: list[int]) -> list[tuple[int, int, bytes]]:
    """(pk, story, signature) of the mentions fetched since ``mention``'s time less the story
    window that share one of ``keys`` with it.

    The window is on the band rows' copy of ``fetched_at`` (index (key, fetched_at): one range
    per key, not every mention of the year that shares a key by chance), and again on the
    mention's own, which is read anyway. ``pk IN (bands)`` rather than a join: a mention found
    through several keys is read once, with no DISTINCT over the signatures."""
    since = _when(mention) - STORY_WINDOW
    sharing = MentionBand.objects.filter(key__in=keys, fetched_at__gte=since)
    return list(
        Mention.objects.filter(pk__in=sharing.values("mention_id"), fetched_at__gte=since)
        .exclude(pk=mention.pk)
        .exclude(story=None)
        .values_list("pk", "story_id", "signature")
    )


def assign_story(mention: Mention, sig: Sig) -> Story:
    """Join the story of the most similar mention of the last two weeks, or start a new one.

    Candidates are the mentions that share a band key (``monitoring.stories``); only those are
    read and compared in full."""
    keys = stories.band_keys(sig.values)
    candidates = story_candidates(mention, keys)
    story_id = None
    if candidates and not sig.empty:
        overlap = stories.shares(sig.values, [c[2] for c in candidates])
        best = int(overlap.argmax())
        if overlap[best] >= stories.THRESHOLD:
            story_id = candidates[best][1]
    if story_id is None:
        story = Story.objects.create(first_mention=mention, first_seen_at=_when(mention))
    else:
        story = Story.objects.select_for_update().get(pk=story_id)
    mention.story = story
    mention.save(update_fields=["story"])
    if not sig.empty:
        MentionBand.objects.bulk_create(
            MentionBand(mention=mention, key=k, fetched_at=mention.fetched_at) for k in keys
        )
    _refresh_story(story)
    return story


def _refresh_story(story: Story) -> None:
    # Only the four columns the story needs: a syndicated story's copies carry their whole text
    # and signature, which this would otherwise read at every new copy.
    rows = list(story.mentions.values_list("pk", "published_at", "fetched_at", "site"))
    pk, published_at, fetched_at, _site = min(rows, key=lambda r: (r[1] or r[2], r[0]))
    story.first_mention_id = pk
    story.first_seen_at = published_at or fetched_at
    story.mention_count = len(rows)
    story.site_count = len({row[3] for row in rows})
    story.save()


# --- a pasted link -----------------------------------------------------------------------------


def preview_link(*, user, url: str, client: Fetcher | None = None) -> dict:
    """Fetch and extract a pasted address without storing it (what the office confirms)."""
    require_office(user, "thêm tin từ đường dẫn")
    try:
        response = (client or fetcher()).get(canonical_url(url))
        final = canonical_url(response.url)
        article = extract.article(response.body, final, response.headers)
    except (AddressError, FetchError, ExtractError) as exc:
        raise ServiceError(f"Đường dẫn: {exc}", field="url") from exc
    masked_title, _kinds = mask_everything(article.title)
    masked_text, _kinds = mask_everything(article.text[:MAX_TEXT])
    return {
        "url": final,
        "site": site_of(final),
        "title": masked_title,
        "published_at": article.published_at,
        "text": masked_text,
        "stored": Mention.objects.filter(url=final).first(),
    }


def paste_link(*, user, url: str, client: Fetcher | None = None) -> Mention:
    """Store a pasted address once confirmed; the stored mention when it is already there."""
    require_office(user, "thêm tin từ đường dẫn")
    try:
        canonical = canonical_url(url)
        existing = Mention.objects.filter(url=canonical).first()
        mention = existing or store_link(canonical, client=client or fetcher())
    except (AddressError, FetchError, ExtractError) as exc:
        raise ServiceError(f"Đường dẫn: {exc}", field="url") from exc
    if mention is None:  # a redirect led to an address already stored
        response = (client or fetcher()).get(canonical)
        mention = Mention.objects.get(url=canonical_url(response.url))
    elif existing is None:
        audit(
            actor=user,
            action=AuditEntry.Action.CREATE,
            obj=mention,
            summary=f"Thêm tin từ đường dẫn: {mention.title or mention.url}"[:500],
            data={"url": mention.url},
        )
    return mention


# --- masking stored mentions again (issue 18) ---------------------------------------------------


def _rewrite_mention(mention: Mention) -> dict[str, tuple[str, ...]]:
    found = remask_fields(mention, ["title", "text"])
    if found:
        kinds = set().union(*found.values())
        mention.masked_kinds = sorted({*(mention.masked_kinds or []), *kinds})
        mention.folded = search_document(mention.title, mention.text)  # no unmasked word left
    return found


def remask_mentions(**options) -> Remasked:
    """Mask every stored mention's title and text again, with today's masker (the options and
    the guarantees of ``intake.services.remask_target``: batches, audit entries, dry run).

    The near-duplicate signature and the story are kept: they are hashes of word runs, not text,
    and recomputing them could split a story the office already follows."""
    target = Target(
        queryset=Mention.objects.all(),
        reads=("title", "text", "masked_kinds"),
        writes=("title", "text", "masked_kinds", "folded"),
        rewrite=_rewrite_mention,
        noun="tin",
    )
    return remask_target(target, **options)
