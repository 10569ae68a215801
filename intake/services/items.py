"""Filing one opinion item, and announcing a transaction's new items once it commits."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.signals import m2m_changed

from core.errors import ServiceError
from core.models import Attitude, AuditEntry, Channel, Reach
from core.services import audit
from intake.models import Meeting, OpinionItem, ResidentContact, Sensitivity
from intake.services.common import (
    _check_filed_by_hand,
    _choice,
    _clean_contact,
    _clean_text,
    _received_on,
    _social_groups,
    _source_link,
    _topics_and_suggestion,
    _unit_for,
    can_file,
)
from intake.signals import items_filed
from orgs.models import Area, OrgUnit, User
from textops import selectors as text_selectors
from textops import services as textops

logger = logging.getLogger(__name__)


@dataclass
class _ItemInput:
    text: str
    channel: str
    received_on: dt.date | None
    area: Area | None = None
    unit: OrgUnit | None = None
    social_group_ids: Sequence[int] = ()
    topic_ids: Sequence[int] = ()
    attitude: str = ""
    reach: str = ""
    latent: bool = False
    sensitivity: str = Sensitivity.NORMAL
    source_link: str = ""
    meeting: Meeting | None = None
    contact: dict | None = None
    wants_reply: bool = False
    tracking_code: str | None = None
    text_limit: int | None = None
    extra_audit: dict = field(default_factory=dict)


def _create_item(
    user: User | None, data: _ItemInput, analysis: textops.Analysis | None = None
) -> OpinionItem:
    """Validate, analyse and store one item with its audit entry (caller holds the transaction).

    ``analysis``: the text's analysis when the caller analysed a batch (an import, a meeting's
    points); otherwise the text is analysed here, once."""
    text = _clean_text(data.text, limit=data.text_limit)
    channel = _choice(data.channel, Channel, "channel", "kênh tiếp nhận", required=True)
    if data.tracking_code is None:
        _check_filed_by_hand(channel, "channel")
    attitude = _choice(data.attitude, Attitude, "attitude", "thái độ")
    reach = _choice(data.reach, Reach, "reach", "mức độ")
    sensitivity = _choice(
        data.sensitivity or Sensitivity.NORMAL,
        Sensitivity,
        "sensitivity",
        "độ nhạy cảm",
        required=True,
    )
    # Analysed first (no database), so the chosen topics and the suggested one are one query;
    # the checks still fail in the same order: topics, groups, unit, then the text.
    analysis = analysis or textops.analyse(text)
    topics, suggested = _topics_and_suggestion(
        data.topic_ids, text_selectors.topic_lookup_for_code(analysis.suggested_topic_code)
    )
    groups = _social_groups(data.social_group_ids)
    unit = _unit_for(user, data.unit, data.area)
    if not any(ch.isalnum() for ch in analysis.normalised):
        raise ServiceError("Nội dung không có chữ nào đọc được.", field="text")
    item = OpinionItem.objects.create(
        text=analysis.normalised,
        text_folded=analysis.folded,
        masked_kinds=list(analysis.masked_kinds),
        channel=channel,
        received_on=_received_on(data.received_on),
        area=data.area,
        unit=unit,
        attitude=attitude,
        reach=reach,
        latent=bool(data.latent),
        sensitivity=sensitivity,
        source_link=_source_link(data.source_link),
        meeting=data.meeting,
        suggested_topic=suggested,
        suggested_attitude=analysis.suggested_attitude,
        suggestion_model=analysis.model_version[:40],
        # A person who chose a topic or an attitude has labelled the item: training data.
        labels_confirmed=user is not None and bool(topics or attitude),
        wants_reply=bool(data.wants_reply),
        tracking_code=data.tracking_code,
        created_by=user,
    )
    _link_new(item, OpinionItem.topics, topics)
    _link_new(item, OpinionItem.social_groups, groups)
    if data.contact:
        ResidentContact.objects.create(item=item, **data.contact)
    audit(
        actor=user,
        action=AuditEntry.Action.CREATE,
        obj=item,
        unit=unit,
        summary=f"Ghi nhận ý kiến #{item.pk} ({item.get_channel_display()})",
        # Only facts about the item: never its text, never contact details.
        data={
            "channel": channel,
            "masked_kinds": list(analysis.masked_kinds),
            "labels_confirmed": item.labels_confirmed,
            "meeting": data.meeting.pk if data.meeting else None,
            **data.extra_audit,
        },
    )
    return item


def _link_new(item: OpinionItem, relation, targets: Sequence) -> None:
    """Link a just-created item to ``targets``: what ``item.<relation>.set(targets)`` does, in
    one INSERT. A new item has no links, so Django's two look-ups (the current links, then the
    missing ones) are skipped; the ``m2m_changed`` signals are sent as ``add()`` sends them (the
    picture follows them), and nothing at all when there is nothing to link, as ``set([])``."""
    if not targets:
        return
    manager = relation.rel.through._default_manager
    through = manager.model
    source, target = relation.field.m2m_field_name(), relation.field.m2m_reverse_field_name()
    pk_set = {obj.pk for obj in targets}
    signal = {
        "sender": through,
        "instance": item,
        "reverse": False,
        "model": relation.rel.model,
        "pk_set": pk_set,
        "using": manager.db,
    }
    m2m_changed.send(action="pre_add", **signal)
    manager.bulk_create(
        [through(**{f"{source}_id": item.pk, f"{target}_id": pk}) for pk in sorted(pk_set)]
    )
    m2m_changed.send(action="post_add", **signal)


class FiledItems:
    """The on-commit hook that announces one transaction's new items (:data:`items_filed`)."""

    def __init__(self) -> None:
        self.item_ids: list[int] = []

    def __call__(self) -> None:
        # Robust: the items are committed; a failing receiver must not turn the filing into an
        # error for the person who filed them.
        for receiver, result in items_filed.send_robust(
            sender=OpinionItem, item_ids=list(self.item_ids)
        ):
            if isinstance(result, Exception):
                logger.error(
                    "Ý kiến đã lưu nhưng %s không nhận được tin báo.", receiver, exc_info=result
                )


def announce_filed(item_ids: Iterable[int]) -> None:
    """Announce the new items once the transaction commits: one announcement per transaction.

    A transaction that files 5,000 items (an import, the demo) sends one signal, so the issues app
    enqueues one grouping run, not 5,000. The hook already waiting in the connection's on-commit
    list is the record: Django drops it with a rolled-back savepoint or transaction, so the next
    filing registers it again (a flag of our own would have to track rollbacks itself).
    """
    ids = list(item_ids)
    if not ids:
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for hook in connection.run_on_commit:
            if isinstance(hook[1], FiledItems):
                hook[1].item_ids.extend(ids)
                return
    announcement = FiledItems()
    announcement.item_ids.extend(ids)
    transaction.on_commit(announcement)


def file_item(
    *,
    user: User,
    text: str,
    channel: str,
    received_on: dt.date | None,
    area: Area | None,
    unit: OrgUnit | None,
    social_group_ids: Sequence[int] = (),
    topic_ids: Sequence[int] = (),
    attitude: str = "",
    reach: str = "",
    latent: bool = False,
    sensitivity: str = Sensitivity.NORMAL,
    source_link: str = "",
    meeting: Meeting | None = None,
    contact: dict | None = None,
    wants_reply: bool = False,
    analysis: textops.Analysis | None = None,
) -> OpinionItem:
    """File one opinion item. The text is masked and normalised before it is stored; the
    engine's suggestion is kept beside the person's own labels; grouping runs after commit.

    ``analysis``: given when the caller analysed a batch (the demo), and then it must be
    ``textops.analyse_many`` of exactly this raw ``text``; otherwise the text is analysed here."""
    if not can_file(user):
        raise ServiceError("Bạn không có quyền ghi nhận ý kiến.")
    data = _ItemInput(
        text=text,
        channel=channel,
        received_on=received_on,
        area=area,
        unit=unit,
        social_group_ids=social_group_ids,
        topic_ids=topic_ids,
        attitude=attitude,
        reach=reach,
        latent=latent,
        sensitivity=sensitivity,
        source_link=source_link,
        meeting=meeting,
        contact=_clean_contact(contact) if contact else None,
        wants_reply=wants_reply,
    )
    with transaction.atomic():
        item = _create_item(user, data, analysis)
        announce_filed([item.pk])
    return item
