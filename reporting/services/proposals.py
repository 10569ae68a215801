"""The unit's answer to the streams proposed from what it logged (issue 15): keep, merge, drop.

Nothing is filled silently: a stream is written only when the unit keeps a proposal (or several
merged into one), and it is linked to the items behind it (``OpinionStream.items``) and to their
issues, so the picture and the consolidated report count those opinions once (see
docs/ARCHITECTURE.md, "Streams drawn from logged items"). Dropping a proposal remembers its items
on the report (``UnitReport.dropped_items``) so it is not proposed again; restoring forgets them.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from core.errors import ServiceError
from core.models import AuditEntry
from core.services import audit
from orgs.models import User
from reporting.models import OpinionStream, UnitReport
from reporting.proposal_selectors import proposals_of_report
from reporting.proposing import Proposal, merge_proposals
from reporting.services.reports import (
    StreamInput,
    _check_can_write,
    _check_open,
    save_draft,
    streams_of,
)

STALE = ("Đề xuất đã thay đổi (có ý kiến mới, hoặc đã được giữ ở nơi khác); hãy xem lại danh"
         " sách đề xuất rồi chọn lại.")


def _chosen(report: UnitReport, keys: Sequence[str]):
    """The proposals of ``keys`` (the caller has checked the writer, so the report's unit is in
    its scope)."""
    if not keys:
        raise ServiceError("Hãy chọn ít nhất một đề xuất.", field="proposals")
    view = proposals_of_report(report)
    chosen = [view.proposals.get(key) for key in dict.fromkeys(keys)]
    if any(p is None for p in chosen):
        raise ServiceError(STALE, field="proposals")
    return view, chosen


def _as_input(proposal: Proposal) -> StreamInput:
    return StreamInput(
        topic_id=proposal.topic_id, summary=proposal.summary, attitude=proposal.attitude,
        reach=proposal.reach, channel=proposal.channel, area_id=proposal.area_id,
        social_group_ids=proposal.social_group_ids, latent=proposal.latent,
    )


def keep_proposals(*, user: User, report: UnitReport, keys: Sequence[str], merge: bool = False,
                   expected_version: int | None) -> UnitReport:
    """Add the chosen proposals to the report as streams (one stream when ``merge``), each linked
    to the items and issues behind it; the report's other streams and sections stay as stored.
    Refuses a proposal that changed since the page showed it, and a stale version."""
    _check_can_write(user, report.unit)
    _check_open(report)  # early, for the message; save_draft checks again under the row lock
    view, chosen = _chosen(report, keys)
    if merge:
        if len(chosen) < 2:
            raise ServiceError("Chọn từ hai đề xuất trở lên để gộp thành một luồng ý kiến.",
                               field="proposals")
        new = [merge_proposals(chosen, view.items.values(), view.proposals.total)]
    else:
        new = chosen
    item_ids = sorted({i for p in new for i in p.item_ids})
    with transaction.atomic():
        locked = UnitReport.objects.select_for_update().get(pk=report.pk)
        if OpinionStream.items.through.objects.filter(opinionitem_id__in=item_ids).exists():
            raise ServiceError(STALE, field="proposals")
        stored = streams_of(locked)
        saved = save_draft(
            user=user, template=locked.template, period=locked.period, unit=locked.unit,
            sections={}, streams=stored + [_as_input(p) for p in new],
            expected_version=expected_version,
        )
        rows = list(saved.streams.order_by("position", "id"))[len(stored):]
        for row, proposal in zip(rows, new, strict=True):
            row.items.set(proposal.item_ids)
            if proposal.issue_ids:
                row.issues.set(proposal.issue_ids)
        what = "gộp và giữ" if merge else "giữ"
        audit(
            actor=user, action=AuditEntry.Action.UPDATE, obj=saved, unit=saved.unit,
            summary=f"Báo cáo {saved.period} của {saved.unit}: {what} {len(chosen)} đề xuất luồng"
            f" ý kiến ({len(item_ids)} ý kiến đã ghi nhận)",
            data={"keys": [p.key for p in chosen], "items": item_ids, "merged": merge,
                  "streams": [row.pk for row in rows], "version": saved.version},
        )
    return saved


def drop_proposals(*, user: User, report: UnitReport, keys: Sequence[str]) -> UnitReport:
    """The unit does not report these proposals: their items are not proposed again here."""
    _check_can_write(user, report.unit)
    with transaction.atomic():
        locked = UnitReport.objects.select_for_update().get(pk=report.pk)
        _check_open(locked)  # under the lock: a submit that landed first wins
        _view, chosen = _chosen(locked, keys)
        ids = sorted({i for p in chosen for i in p.item_ids})
        locked.dropped_items = sorted(set(locked.dropped_items) | set(ids))
        locked.save(update_fields=["dropped_items"])
        audit(
            actor=user, action=AuditEntry.Action.UPDATE, obj=locked, unit=locked.unit,
            summary=f"Báo cáo {locked.period} của {locked.unit}: bỏ {len(chosen)} đề xuất luồng ý"
            f" kiến ({len(ids)} ý kiến)",
            data={"keys": [p.key for p in chosen], "items": ids},
        )
    return locked


def restore_proposals(*, user: User, report: UnitReport) -> UnitReport:
    """Propose again what the unit dropped from this report."""
    _check_can_write(user, report.unit)
    with transaction.atomic():
        locked = UnitReport.objects.select_for_update().get(pk=report.pk)
        _check_open(locked)  # under the lock: a submit that landed first wins
        count = len(locked.dropped_items)
        if not count:
            return locked
        locked.dropped_items = []
        locked.save(update_fields=["dropped_items"])
        audit(
            actor=user, action=AuditEntry.Action.UPDATE, obj=locked, unit=locked.unit,
            summary=f"Báo cáo {locked.period} của {locked.unit}: đề xuất lại {count} ý kiến đã bỏ",
            data={"items": count},
        )
    return locked
