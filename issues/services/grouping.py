"""Grouping new opinion items into issues, existing or new, through the saved grouper state."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone

from core import faults
from core.dates import local_today
from core.errors import ConflictError
from core.models import AuditEntry, Topic
from core.services import audit
from core.text import fold
from intake.models import OpinionItem
from issues.models import Issue, IssueEvent
from issues.signals import items_relinked
from textengine.diacritics import is_accented
from textengine.grouping import Grouper
from textengine.titles import TITLE_MAX as TITLE_MAX
from textengine.titles import build_title, title_words
from textops import services as textops

logger = logging.getLogger(__name__)

GROUP_BATCH = 500
TITLE_ITEMS = 200  # items an issue's title is chosen from (the oldest ones)
TS = Issue.TitleSource


def _drafted(*, topic: Topic | None, area, texts: list[str]) -> tuple[str, str]:
    words, restored = title_words(texts)
    title = build_title(topic=topic.name if topic else "", words=words,
                        place=area.name if area else "")
    return title, TS.RESTORED if restored else TS.ITEM


def draft_title(item: OpinionItem) -> str:
    """A new issue's title: its matter (topic, key words) and its place (the item's area), never
    the resident's sentence (issue 18): see :mod:`textengine.titles`; the key words of an item
    typed without diacritics have them restored. The office may rename it."""
    return _drafted(topic=_topic_of(item), area=item.area if item.area_id else None,
                    texts=[item.text])[0]


def _retitle(issues: list[Issue]) -> int:
    """Redraft the titles whose words had their diacritics restored, now that an item written
    with diacritics joined: from the issue's most representative such item. The office's titles
    are never touched (the update is conditional on the source, so a rename in between wins)."""
    done = 0
    for issue in issues:
        texts = list(OpinionItem.objects.filter(issue=issue).order_by("received_on", "id")
                     .values_list("text", flat=True)[:TITLE_ITEMS])
        title, source = _drafted(topic=issue.topic, area=issue.area, texts=texts)
        if source != TS.ITEM:
            continue
        updated = Issue.objects.filter(pk=issue.pk, title_source=TS.RESTORED).update(
            title=title, title_folded=fold(title), title_source=source,
            version=F("version") + 1, updated_at=timezone.now(),
        )
        if updated:
            IssueEvent.objects.create(
                issue=issue, kind=IssueEvent.Kind.NOTE, from_value=issue.title[:300],
                to_value=title[:300], note="Đặt lại tên theo ý kiến viết có dấu.",
            )
            done += 1
    return done


def next_code(day: dt.date) -> str:
    """The next issue code of the year, "VD-2026-0001". Callers hold the grouper row lock,
    which serialises every creation of an issue."""
    prefix = f"VD-{day.year}-"
    codes = Issue.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(c[len(prefix):]) for c in codes if c[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _topic_of(item: OpinionItem) -> Topic | None:
    topics = list(item.topics.all())
    return topics[0] if topics else item.suggested_topic


def _new_issue(*, engine_id: int, item: OpinionItem, title: str = "", actor=None) -> Issue:
    topic, source = _topic_of(item), TS.OFFICE
    if not title:
        title, source = _drafted(topic=topic, area=item.area if item.area_id else None,
                                 texts=[item.text])
    issue = Issue.objects.create(
        code=next_code(local_today()),
        title=title,
        title_source=source,
        topic=topic,
        area=item.area,
        latent=item.latent,
        engine_key=str(engine_id),
        first_seen_on=item.received_on,
        last_seen_on=item.received_on,
    )
    IssueEvent.objects.create(
        issue=issue, actor=actor, kind=IssueEvent.Kind.CREATED, to_value=issue.code,
        note=f"Phát hiện từ ý kiến #{item.pk}.",
    )
    return issue


def open_engine_issue(*, engine_id: int, topic: Topic | None, area, texts: list[str],
                      day: dt.date, note: str) -> Issue:
    """A new issue for an engine group no opinion item opened: an online story that spreads
    (``monitoring.linking``). Its title is drafted like an item's (topic, key words, place),
    never a sentence copied from the article. Callers hold the grouper (``next_code``)."""
    title, source = _drafted(topic=topic, area=area, texts=texts)
    issue = Issue.objects.create(
        code=next_code(local_today()), title=title, title_source=source, topic=topic, area=area,
        engine_key=str(engine_id), first_seen_on=day, last_seen_on=day,
    )
    IssueEvent.objects.create(issue=issue, kind=IssueEvent.Kind.CREATED, to_value=issue.code,
                              note=note[:500])
    return issue


@dataclass
class GroupingRun:
    items: int = 0
    new_issues: int = 0
    joined: int = 0
    retitled: int = 0
    issue_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"items": self.items, "new_issues": self.new_issues, "joined": self.joined,
                "retitled": self.retitled}


def _pending(limit: int) -> list[OpinionItem]:
    return list(
        OpinionItem.objects.filter(issue__isnull=True)
        .select_related("area", "suggested_topic")
        .prefetch_related("topics")
        .order_by("received_on", "id")[:limit]
    )


def _group_batch(grouper: Grouper, items: list[OpinionItem], run: GroupingRun) -> None:
    engine_ids = grouper.assign_many((i.pk, i.text, i.received_on) for i in items)
    by_key = {
        issue.engine_key: issue
        for issue in Issue.objects.filter(
            engine_key__in={str(grouper.resolve(e)) for e in engine_ids}
        )
    }
    touched: dict[int, Issue] = {}
    accented_joined: set[int] = set()  # restored titles an item with diacritics joined
    joined_events: list[IssueEvent] = []
    items_of: dict[int, list[int]] = {}
    for item, engine_id in zip(items, engine_ids, strict=True):
        key = str(grouper.resolve(engine_id))
        issue = by_key.get(key)
        if issue is None:
            issue = by_key[key] = _new_issue(engine_id=int(key), item=item)
            run.new_issues += 1
        else:
            run.joined += 1
            if issue.title_source == TS.RESTORED and is_accented(item.text):
                accented_joined.add(issue.pk)
            joined_events.append(IssueEvent(
                issue=issue, kind=IssueEvent.Kind.ITEM, to_value=f"#{item.pk}",
                note=f"Ý kiến tiếp nhận ngày {item.received_on:%d/%m/%Y}.",
            ))
        items_of.setdefault(issue.pk, []).append(item.pk)
        issue.first_seen_on = min(filter(None, [issue.first_seen_on, item.received_on]))
        issue.last_seen_on = max(filter(None, [issue.last_seen_on, item.received_on]))
        touched[issue.pk] = issue
        run.items += 1
    # One insert for the joined items' events and one update per issue, not two statements per
    # item (an import or the demo groups thousands). Only items still unclaimed: an item filed
    # twice is grouped once.
    IssueEvent.objects.bulk_create(joined_events)
    for issue_pk, item_pks in items_of.items():
        OpinionItem.objects.filter(pk__in=item_pks, issue__isnull=True).update(
            issue=touched[issue_pk]
        )
    for issue in touched.values():
        Issue.objects.filter(pk=issue.pk).update(
            first_seen_on=issue.first_seen_on, last_seen_on=issue.last_seen_on,
            updated_at=timezone.now(),
        )
    run.retitled += _retitle([touched[pk] for pk in sorted(accented_joined)])
    run.issue_ids.extend(touched)
    items_relinked.send(sender=Issue, item_ids=[item.pk for item in items])


def group_pending_items(*, batch_size: int = GROUP_BATCH) -> GroupingRun:
    """Group every item that has no issue yet, oldest first, into existing or new issues.

    Safe to run from many workers at once (see :mod:`issues.services`): each batch is grouped
    and saved in one transaction against the grouper version it loaded, and redone on a conflict.
    Side effects: new :class:`Issue` rows, ``item.issue`` set, first/last seen dates, one
    :class:`IssueEvent` per created issue or joined item, one audit entry per batch.
    """
    run = GroupingRun()
    while True:
        before = run.items

        def work(grouper: Grouper) -> int:
            items = _pending(batch_size)
            if items:
                batch = GroupingRun()
                _group_batch(grouper, items, batch)
                audit(
                    actor=None, action=AuditEntry.Action.UPDATE, object_type="issues.issue",
                    summary=f"Nhóm {batch.items} ý kiến vào vấn đề ({batch.new_issues} vấn đề mới)",
                    data=batch.as_dict(),
                )
                run.items += batch.items
                run.new_issues += batch.new_issues
                run.joined += batch.joined
                run.retitled += batch.retitled
                run.issue_ids.extend(batch.issue_ids)
                faults.pause("issues.grouping.before_commit")
            return len(items)

        if not OpinionItem.objects.filter(issue__isnull=True).exists():
            return run
        try:
            claimed = textops.with_grouper(work)
        except ConflictError as exc:
            if exc.field != "grouper":
                raise
            # Others keep winning the state: each of them groups what is pending after its own
            # commit, so leaving the rest to them loses nothing.
            logger.info("Nhóm ý kiến: nhường cho tiến trình khác (%s)", exc.message)
            return run
        if claimed < batch_size or run.items == before:
            return run
