"""Reads of the intake app, scoped to the reader.

The office and the leaders see every item; anyone else sees the items of their unit and the units
below it (and the items they filed themselves). Anything else is "not found". A resident's contact
details are for the office only: :func:`contact_for` returns ``None`` for everyone else, and
every read that shows them writes an entry to the audit log (Law 91/2025; issue 10).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from core.models import AuditEntry
from core.services import audit
from core.text import fold
from intake.models import ErasureRequest, ImportBatch, Meeting, OpinionItem, ResidentContact
from orgs.models import User
from orgs.selectors import visible_unit_ids
from textops import selectors as textops

CONTACT_TYPE = "intake.residentcontact"


def clean_tracking_code(code: str | None) -> str:
    """A tracking code as a resident types it (spaces, lower case) in its stored form; "" when it
    cannot be one (empty, or longer than a stored code)."""
    code = "".join((code or "").split()).upper()
    return code if len(code) <= OpinionItem._meta.get_field("tracking_code").max_length else ""


def items_visible_to(user: User) -> QuerySet[OpinionItem]:
    items = OpinionItem.objects.select_related(
        "area", "unit", "issue", "suggested_topic", "meeting"
    )
    ids = visible_unit_ids(user)
    if ids is None:
        return items
    return items.filter(Q(unit_id__in=ids) | Q(created_by=user))


def get_item_for(user: User, pk) -> OpinionItem:
    try:
        return items_visible_to(user).get(pk=pk)
    except (OpinionItem.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy ý kiến.") from exc


@dataclass(frozen=True)
class ItemFilter:
    """What the reader asked for; dates inclusive."""

    q: str = ""
    topic_id: int | None = None
    attitude: str = ""
    area_id: int | None = None
    channel: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    issue_status: str = ""  # an Issue.Status value, or "none" for items not yet in an issue
    meeting_id: int | None = None


def filtered_items(user: User, filters: ItemFilter | None = None) -> QuerySet[OpinionItem]:
    filters = filters or ItemFilter()
    items = items_visible_to(user)
    if filters.q.strip():
        items = items.filter(text_folded__contains=fold(filters.q))
    if filters.topic_id:
        # Confirmed topics, or the engine's suggestion while nobody has labelled the item.
        items = items.filter(
            Q(topics__pk=filters.topic_id)
            | Q(topics__isnull=True, suggested_topic_id=filters.topic_id)
        ).distinct()
    if filters.attitude:
        items = items.filter(
            Q(attitude=filters.attitude) | Q(attitude="", suggested_attitude=filters.attitude)
        )
    if filters.area_id:
        items = items.filter(area_id=filters.area_id)
    if filters.channel:
        items = items.filter(channel=filters.channel)
    if filters.date_from:
        items = items.filter(received_on__gte=filters.date_from)
    if filters.date_to:
        items = items.filter(received_on__lte=filters.date_to)
    if filters.issue_status == "none":
        items = items.filter(issue__isnull=True)
    elif filters.issue_status:
        items = items.filter(issue__status=filters.issue_status)
    if filters.meeting_id:
        items = items.filter(meeting_id=filters.meeting_id)
    return items.order_by("-received_on", "-id")


# --- residents' contact details (the office only, every read audited; issue 10) ---------------


def _audit_read(reader, contacts, *, where: str, query: str = "") -> None:
    """One audit entry for a read that showed residents' contact details: who, where, how many
    rows and which items; never the details themselves."""
    items = sorted({c.item_id for c in contacts if not c.is_empty})
    if not items:
        return
    resident = reader is None
    audit(
        actor=reader,
        action=AuditEntry.Action.READ_PERSONAL,
        object_type=CONTACT_TYPE,
        object_id=str(items[0]) if len(items) == 1 else "",
        unit=None if resident else getattr(reader, "unit", None),
        summary=(
            f"Người dân xem thông tin của mình bằng mã tra cứu (ý kiến #{items[0]})"
            if resident
            else f"Xem thông tin liên hệ của {len(items)} người dân ({where})"
        ),
        data={"rows": len(items), "items": items[:1000], "where": where, "query": query[:400]},
    )


def contact_for(user: User, item: OpinionItem, *, where: str) -> ResidentContact | None:
    """The resident's contact details: the office only, everyone else gets ``None``. The read is
    written to the audit log (``where``: the page or API that shows them)."""
    if not (getattr(user, "is_authenticated", False) and user.is_office):
        return None
    contact = ResidentContact.objects.filter(item=item).first()
    if contact is not None:
        _audit_read(user, [contact], where=where)
    return contact


def contacts_for(
    user: User, item_ids, *, where: str, query: str = ""
) -> dict[int, ResidentContact]:
    """Contact details of many items at once (an export, an API page); empty unless the office
    asks; one audit entry for the rows read."""
    if not (getattr(user, "is_authenticated", False) and user.is_office):
        return {}
    found = {c.item_id: c for c in ResidentContact.objects.filter(item_id__in=list(item_ids))}
    _audit_read(user, found.values(), where=where, query=query)
    return found


def mask_phone(phone: str) -> str:
    return phone[:2] + "•" * max(len(phone) - 5, 0) + phone[-3:] if len(phone) > 5 else "•" * 5


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else "•••"


def mask_name(name: str) -> str:
    words = name.split()
    return " ".join([w[:1] + "." for w in words[:-1]] + words[-1:])


@dataclass(frozen=True)
class KeptData:
    """What is kept about a resident, as their tracking page shows it (issue 10): the opinion as
    stored (masked), and which contact details are kept, themselves masked, since a tracking code
    read over someone's shoulder must not give away a phone number."""

    text: str
    area_name: str
    wants_reply: bool
    name: str
    phone: str
    email: str
    has_address: bool
    consented_at: dt.datetime | None
    notified_at: dt.datetime | None
    erased_at: dt.datetime | None
    erasure_label: str
    request_open: bool
    request_done_at: dt.datetime | None
    retention_days: int
    max_days: int

    @property
    def has_contact(self) -> bool:
        return bool(self.name or self.phone or self.email or self.has_address)


def kept_for_resident(item: OpinionItem) -> KeptData:
    """What is kept about the resident who holds this item's tracking code; the read of their
    contact details (masked) is in the audit log, with no reader."""
    contact = ResidentContact.objects.filter(item=item).first()
    if contact is not None:
        _audit_read(None, [contact], where="trang tra cứu")
    requests = list(item.erasure_requests.all())
    open_request = any(r.state == ErasureRequest.State.OPEN for r in requests)
    done = [r.completed_at for r in requests if r.completed_at]
    return KeptData(
        text=item.text,
        area_name=item.area.name if item.area_id else "",
        wants_reply=item.wants_reply,
        name=mask_name(contact.name) if contact and contact.name else "",
        phone=mask_phone(contact.phone) if contact and contact.phone else "",
        email=mask_email(contact.email) if contact and contact.email else "",
        has_address=bool(contact and contact.address),
        consented_at=contact.consented_at if contact else None,
        notified_at=contact.notified_at if contact else None,
        erased_at=contact.erased_at if contact else None,
        erasure_label=contact.get_erasure_display() if contact and contact.erasure else "",
        request_open=open_request,
        request_done_at=max(done) if done else None,
        retention_days=settings.LONGDAN_CONTACT_RETENTION_DAYS,
        max_days=settings.LONGDAN_CONTACT_MAX_DAYS,
    )


def erasure_requests_for(user: User) -> QuerySet[ErasureRequest]:
    """Residents' erasure requests: the office only (anyone else: not found)."""
    if not (getattr(user, "is_authenticated", False) and user.is_office):
        raise Http404("Không tìm thấy trang.")
    return ErasureRequest.objects.select_related("item", "completed_by")  # Meta: open first


# --- meetings -----------------------------------------------------------------------------------


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    meetings = Meeting.objects.select_related("unit", "area")
    ids = visible_unit_ids(user)
    if ids is None:
        return meetings
    return meetings.filter(Q(unit_id__in=ids) | Q(created_by=user))


def get_meeting_for(user: User, pk) -> Meeting:
    try:
        return meetings_visible_to(user).get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy biên bản.") from exc


# --- imports ------------------------------------------------------------------------------------


def imports_visible_to(user: User) -> QuerySet[ImportBatch]:
    batches = ImportBatch.objects.defer("file_data")
    return batches if user.is_office else batches.filter(created_by=user)


def get_import_for(user: User, pk) -> ImportBatch:
    try:
        return ImportBatch.objects.filter(pk__in=imports_visible_to(user).values("pk")).get(pk=pk)
    except (ImportBatch.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy lượt nhập tệp.") from exc


def import_preview(batch: ImportBatch, limit: int = 5) -> list[list]:
    """The first rows of a pending import (already masked), for the mapping step."""
    if not batch.file_data:
        return []
    stored = json.loads(bytes(batch.file_data).decode("utf-8"))
    return stored["rows"][:limit]


# --- text models --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelVersion:
    kind: str
    version: str
    current: bool
    created_at: dt.datetime | None  # aware; the page shows it in local time
    training_size: int
    quality: dict
    labels: list[str]


def model_versions() -> dict[str, list[ModelVersion]]:
    """Every saved version of the topic and attitude models, newest first, with its quality."""
    from textengine.model import current_version

    textops.sync_models()  # the versions published in the database, mirrored here first
    out: dict[str, list[ModelVersion]] = {}
    for kind in textops.MODEL_KINDS:
        root = textops.models_root() / kind
        current = current_version(root) if root.is_dir() else None
        versions = []
        for folder in sorted(root.glob("v*"), reverse=True) if root.is_dir() else []:
            meta = _meta(folder)
            if meta is None:
                continue
            versions.append(
                ModelVersion(
                    kind=kind,
                    version=folder.name,
                    current=folder.name == current,
                    created_at=_moment(meta.get("created_at")),
                    training_size=int(meta.get("training_size", 0)),
                    quality=meta.get("quality") or {},
                    labels=list(meta.get("labels", [])),
                )
            )
        out[kind] = versions
    return out


def _moment(text) -> dt.datetime | None:
    """The model's ISO time stamp (UTC, written by the text engine), or None if unreadable."""
    try:
        return dt.datetime.fromisoformat(str(text))
    except ValueError:
        return None


def _meta(folder: Path) -> dict | None:
    try:
        return json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def confirmed_label_counts() -> dict[str, int]:
    """How many items carry a person's labels, per model kind."""
    confirmed = OpinionItem.objects.filter(labels_confirmed=True)
    return {
        "topic": confirmed.filter(topics__isnull=False).values("pk").distinct().count(),
        "attitude": confirmed.exclude(attitude="").count(),
    }


@dataclass(frozen=True)
class Retraining:
    """A retraining asked for and not finished: waiting for a worker, or running since when."""

    running: bool
    since: dt.datetime


def retraining_in_progress() -> Retraining | None:
    """The model page's progress line; None when nothing waits (or tasks run elsewhere)."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    row = (
        DBTaskResult.objects.filter(
            task_path="intake.tasks.retrain_models",
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        ).order_by("enqueued_at").first()
    )
    if row is None:
        return None
    running = row.status == TaskResultStatus.RUNNING
    return Retraining(running=running, since=row.started_at if running else row.enqueued_at)
