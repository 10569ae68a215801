"""Masking stored texts again with today's masker (issue 18).

The masker improved (persons' names, house addresses); texts stored before that still hold what
it missed. This pass walks a table by primary key, one batch and one transaction at a time, puts
each free text through :func:`textops.services.mask_everything` again and writes only the rows in
which it masked something, each with an audit entry that says which kinds were masked, never the
text. An interrupted run keeps every finished batch, and a rerun finds nothing more to mask in
them (masking is idempotent), so running it twice is harmless.

A row is rewritten only when the pass *masks* something: a text whose only difference would be
a newer normalisation is left as it is (that is not personal data, and rewriting it would put
a million needless entries in the audit log).

The full-text index follows the rows by itself (database triggers, ``search.fts``). The press
mentions of the monitoring desk (a layer above) are walked by
``monitoring.services.remask_mentions`` with the same :func:`remask_target`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction

from core.models import AuditEntry
from core.services import audit, require_office
from intake.models import Meeting, OpinionItem
from orgs.models import OrgUnit
from textengine.normalize import fold_normalized
from textops.services import mask_everything

BATCH_SIZE = 500

# The kinds of personal data, as a summary names them.
KIND_NAMES = {
    "name": "họ tên",
    "address": "địa chỉ nhà",
    "phone": "số điện thoại",
    "cccd": "số CCCD",
    "cmnd": "số CMND",
    "email": "thư điện tử",
    "stk": "số tài khoản",
    "plate": "biển số xe",
}

Progress = Callable[[int, int], None]


@dataclass
class Remasked:
    """What one pass over a table did (in a dry run: would do)."""

    checked: int = 0  # rows read
    changed: int = 0  # rows masked again
    kinds: Counter = field(default_factory=Counter)  # kind -> rows in which it was masked

    def as_dict(self) -> dict:
        kinds = dict(sorted(self.kinds.items()))
        return {"checked": self.checked, "changed": self.changed, "kinds": kinds}


@dataclass(frozen=True)
class Target:
    """A table whose free texts are masked again.

    ``rewrite(row)`` masks the row's texts in place (and what derives from them) and returns
    ``{field: kinds masked}`` for the texts it changed; ``reads`` are the columns loaded,
    ``writes`` the columns it may set; ``noun`` names a row in the audit summary."""

    queryset: models.QuerySet
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    rewrite: Callable[[Any], dict[str, tuple[str, ...]]]
    noun: str


def remask_fields(row: models.Model, names: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Mask the texts ``names`` of ``row`` again, in place; ``{field: kinds}`` of those changed.

    A text is cut to its column's length, as the writers that stored it cut it (a token can be
    longer than a short name it replaces)."""
    found: dict[str, tuple[str, ...]] = {}
    for name in names:
        old = getattr(row, name) or ""
        new, kinds = mask_everything(old) if old.strip() else (old, ())
        limit = row._meta.get_field(name).max_length
        new = new[:limit] if limit else new
        if kinds and new != old:
            setattr(row, name, new)
            found[name] = kinds
    return found


def remask_target(
    target: Target,
    *,
    actor: Any = None,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> Remasked:
    """Walk ``target`` by primary key, ``batch_size`` rows per transaction (see the module).

    ``actor``: the person who runs it (the office only), or None for the system (the command).
    ``dry_run``: count what would change, write nothing. ``progress(done, total)`` after each
    batch."""
    if actor is not None:
        require_office(actor, "che lại thông tin cá nhân trong nội dung đã lưu")
    rows = target.queryset.order_by("pk").only(*target.reads)
    total = rows.count()
    result, last = Remasked(), 0
    while True:
        # Locked while they are rewritten, so a concurrent edit of a row is not lost.
        with nullcontext() if dry_run else transaction.atomic():
            batch = list(
                (rows if dry_run else rows.select_for_update()).filter(pk__gt=last)[:batch_size]
            )
            if not batch:
                break
            _remask_batch(target, batch, result, actor=actor, dry_run=dry_run)
        last = batch[-1].pk
        result.checked += len(batch)
        if progress is not None:
            progress(result.checked, max(total, result.checked))
    return result


def _remask_batch(
    target: Target, batch: list, result: Remasked, *, actor: Any, dry_run: bool
) -> None:
    changed = [(row, found) for row in batch if (found := target.rewrite(row))]
    for _row, found in changed:
        result.changed += 1
        result.kinds.update(set().union(*found.values()))
    if dry_run or not changed:
        return
    target.queryset.model.objects.bulk_update([row for row, _ in changed], target.writes)
    units = _units([row for row, _ in changed])
    for row, found in changed:
        kinds = sorted(set().union(*found.values()))
        audit(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=row,
            unit=units.get(getattr(row, "unit_id", None)),
            summary=f"Che lại thông tin cá nhân trong {target.noun} #{row.pk}: "
            + ", ".join(KIND_NAMES.get(kind, kind) for kind in kinds),
            # Facts only: which fields and which kinds, never the text.
            data={"remask": True, "fields": sorted(found), "masked_kinds": kinds},
        )


def _units(rows: list) -> dict[int, OrgUnit]:
    ids = {row.unit_id for row in rows if getattr(row, "unit_id", None)}
    return OrgUnit.objects.in_bulk(ids) if ids else {}


# --- the intake tables --------------------------------------------------------------------------


def _rewrite_item(item: OpinionItem) -> dict[str, tuple[str, ...]]:
    found = remask_fields(item, ["text"])
    if found:
        item.text_folded = fold_normalized(item.text)  # what the search and the filters match
        item.masked_kinds = sorted({*(item.masked_kinds or []), *found["text"]})
    return found


def _rewrite_meeting(meeting: Meeting) -> dict[str, tuple[str, ...]]:
    # The notes are where residents' words reach; the title, the place and the delegates name
    # the meeting and the officials who held it.
    return remask_fields(meeting, ["notes"])


def item_target() -> Target:
    return Target(
        queryset=OpinionItem.objects.all(),
        reads=("text", "masked_kinds", "unit"),
        writes=("text", "text_folded", "masked_kinds"),
        rewrite=_rewrite_item,
        noun="ý kiến",
    )


def meeting_target() -> Target:
    return Target(
        queryset=Meeting.objects.exclude(notes=""),
        reads=("notes", "unit"),
        writes=("notes",),
        rewrite=_rewrite_meeting,
        noun="biên bản",
    )


def remask_items(**options: Any) -> Remasked:
    """Mask every opinion item's text again (options: those of :func:`remask_target`)."""
    return remask_target(item_target(), **options)


def remask_meetings(**options: Any) -> Remasked:
    """Mask the notes of every meeting's minutes again (options: :func:`remask_target`'s)."""
    return remask_target(meeting_target(), **options)
