"""The audit log as a hash chain: an edited, deleted or inserted row shows (issue 10; ASVS V7.3,
log protection; TCVN 11930 "nhật ký hệ thống").

Every :class:`core.models.AuditEntry` stores ``prev_hash`` (the hash of the row before it) and
``hash`` = SHA-256 over its own content and ``prev_hash``. The content is what the row says: its
time (UTC, microseconds), actor, action, object type and id, unit, summary and details (JSON with
sorted keys). One row, :class:`core.models.AuditChainHead`, holds the last hash and the number of
rows; every append first **updates** that row, which takes its lock until the writer's transaction
commits (a row lock on PostgreSQL, the database's write lock on SQLite, whose transactions begin
IMMEDIATE), so two writers never link to the same predecessor and the chain's order is the order of
the ids. The cost is that audited writes are serialised at their end (see docs/PERFORMANCE.md).

:func:`verify` walks the rows in id order and returns the first broken link:

- a row whose content no longer gives its ``hash`` was **edited** (or inserted with a made-up hash);
- a row whose ``prev_hash`` is not the hash of the row before it comes after a **deleted** or
  **inserted** row;
- the last row's hash or the row count differing from the chain head means rows were deleted at
  the end (or the head was touched).

It is tamper-*evident*, not tamper-proof: someone with write access to the database and this code
can recompute the whole chain. Copying the head's hash elsewhere now and then (the nightly backup's
manifest, a printout) closes that: ``longdan audit verify`` prints it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import F

GENESIS = "0" * 64


def _stamp(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def content_hash(
    *, at, actor_id, action, object_type, object_id, unit_id, summary, data, prev_hash
) -> str:
    # The details as the database gives them back (tuples become lists, keys any order).
    details = json.loads(json.dumps(data if data is not None else {}))
    payload = json.dumps(
        [
            _stamp(at), actor_id, action, object_type, object_id, unit_id, summary, details,
            prev_hash,
        ],
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def entry_hash(entry, prev_hash: str) -> str:
    return content_hash(
        at=entry.at, actor_id=entry.actor_id, action=entry.action,
        object_type=entry.object_type, object_id=entry.object_id, unit_id=entry.unit_id,
        summary=entry.summary, data=entry.data, prev_hash=prev_hash,
    )


def _lock_head():
    """Take the chain head's lock (an UPDATE, held to commit) and return the head, fresh."""
    from core.models import AuditChainHead

    if not AuditChainHead.objects.filter(pk=1).update(rows=F("rows")):
        AuditChainHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
        AuditChainHead.objects.filter(pk=1).update(rows=F("rows"))
    return AuditChainHead.objects.get(pk=1)


def link(entry) -> None:
    """Set ``prev_hash`` and ``hash`` on an entry about to be inserted, and move the head; the
    caller inserts the entry in the same transaction (AuditEntry.save does both)."""
    from core.models import AuditChainHead

    head = _lock_head()
    entry.prev_hash = head.last_hash
    entry.hash = entry_hash(entry, head.last_hash)
    AuditChainHead.objects.filter(pk=1).update(last_hash=entry.hash, rows=head.rows + 1)


@dataclass
class Break:
    entry_id: int | None
    kind: str  # "edited", "link", "tail", "count"
    message: str


@dataclass
class Report:
    rows: int
    last_hash: str
    broken: Break | None

    def as_dict(self) -> dict:
        return {
            "ok": self.broken is None,
            "rows": self.rows,
            "last_hash": self.last_hash,
            "broken": asdict(self.broken) if self.broken else None,
        }


def verify(batch: int = 2000) -> Report:
    """Walk the whole log in id order; the first broken link, or none."""
    from core.models import AuditChainHead, AuditEntry

    fields = ("id", "at", "actor_id", "action", "object_type", "object_id", "unit_id", "summary",
              "data", "prev_hash", "hash")
    previous, previous_id, rows, last_id = GENESIS, None, 0, 0
    while True:
        chunk = list(
            AuditEntry.objects.filter(pk__gt=last_id).order_by("pk").values(*fields)[:batch]
        )
        if not chunk:
            break
        for row in chunk:
            rows += 1
            last_id = row["id"]
            expected = content_hash(
                at=row["at"], actor_id=row["actor_id"], action=row["action"],
                object_type=row["object_type"], object_id=row["object_id"],
                unit_id=row["unit_id"], summary=row["summary"], data=row["data"],
                prev_hash=row["prev_hash"],
            )
            if row["hash"] != expected:
                return Report(rows, previous, Break(
                    row["id"], "edited",
                    f"Dòng nhật ký số {row['id']} đã bị sửa (nội dung không còn khớp mã băm của"
                    " nó), hoặc được chèn thêm ngoài ứng dụng.",
                ))
            if row["prev_hash"] != previous:
                after = f"sau dòng số {previous_id}" if previous_id else "ở đầu nhật ký"
                return Report(rows, previous, Break(
                    row["id"], "link",
                    f"Chuỗi bị đứt ngay trước dòng nhật ký số {row['id']}: một hay nhiều dòng"
                    f" {after} đã bị xóa, hoặc dòng này được chèn thêm ngoài ứng dụng.",
                ))
            previous, previous_id = row["hash"], row["id"]
    head = AuditChainHead.objects.filter(pk=1).first()
    head_hash = head.last_hash if head else GENESIS
    head_rows = head.rows if head else 0
    if head_hash != previous:
        return Report(rows, previous, Break(
            previous_id, "tail",
            "Dòng cuối của nhật ký không khớp đầu chuỗi: những dòng mới nhất"
            + (f" (sau dòng số {previous_id})" if previous_id else "")
            + " đã bị xóa, hoặc đầu chuỗi bị sửa.",
        ))
    if head_rows != rows:
        return Report(rows, previous, Break(
            None, "count",
            f"Đầu chuỗi ghi {head_rows} dòng nhưng nhật ký có {rows} dòng.",
        ))
    return Report(rows, previous, None)


def reseal() -> int:
    """Recompute the whole chain from the rows as they are. Only for data made by the app itself
    that rewrites times on purpose (the demo loader backdates its history); never on a real log,
    where it would launder tampering. Returns the number of rows."""
    from core.models import AuditChainHead, AuditEntry

    with transaction.atomic():
        head = _lock_head()
        previous, rows = GENESIS, 0
        for entry in AuditEntry.objects.order_by("pk").iterator(chunk_size=2000):
            new = entry_hash(entry, previous)
            if entry.prev_hash != previous or entry.hash != new:
                AuditEntry.objects.filter(pk=entry.pk).update(prev_hash=previous, hash=new)
            previous, rows = new, rows + 1
        AuditChainHead.objects.filter(pk=head.pk).update(last_hash=previous, rows=rows)
    return rows
