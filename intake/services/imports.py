"""Writes of the intake app: filing opinion items from every channel, labels, imports.

Invariants every writer here keeps:

* personal data is masked before anything is stored: ``OpinionItem.text`` holds the masked,
  normalised text, and neither the raw text nor a contact detail ever reaches the audit log;
* a resident's contact details live only in :class:`ResidentContact` (office only);
* one transaction per call with an audit entry; the new items are announced after commit
  (:data:`intake.signals.items_filed`, the issues app groups them), once per transaction however
  many items it filed (:func:`announce_filed`).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.dates import local_today
from core.errors import ConflictError, ServiceError
from core.models import Attitude, AuditEntry, Channel, Reach, SocialGroup, Topic
from core.services import audit
from core.text import fold
from documents.tabular import TableError, cell_text, read_table
from intake.models import ImportBatch, Meeting, OpinionItem, ResidentContact, Sensitivity
from intake.signals import items_filed
from orgs.models import Area, OrgUnit, User
from orgs.selectors import visible_unit_ids
from textengine.mask import mask
from textops import selectors as text_selectors
from textops import services as textops

logger = logging.getLogger(__name__)

PUBLIC_MAX_TEXT = 5_000
PUBLIC_LIMIT = 5  # public submissions per address ...
PUBLIC_WINDOW = dt.timedelta(minutes=10)  # ... per this window
TRACKING_CODE_LENGTH = 10
ITEM_TYPE = "intake.opinionitem"
MEETING_CHANNELS = {
    Meeting.Kind.VOTER_MEETING: Channel.VOTER_MEETING,
    Meeting.Kind.DIALOGUE: Channel.DIALOGUE,
}


class ThrottledError(ServiceError):
    """Too many public submissions from one address in a short time."""

    status_code = 429


# --- validation helpers ------------------------------------------------------------------------


def _clean_text(text: str, *, limit: int | None = None) -> str:
    limit = limit or settings.LONGDAN_MAX_TEXT
    if not isinstance(text, str) or not text.strip():
        raise ServiceError("Hãy nhập nội dung ý kiến.", field="text")
    if "\x00" in text:
        raise ServiceError("Nội dung có ký tự không hợp lệ (dữ liệu nhị phân).", field="text")
    if len(text) > limit:
        shown = f"{limit:,}".replace(",", ".")
        raise ServiceError(
            f"Nội dung dài quá {shown} ký tự; hãy tách thành nhiều ý kiến.", field="text"
        )
    return text


def _choice(value: str, choices, field_name: str, label: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            raise ServiceError(f"Hãy chọn {label}.", field=field_name)
        return ""
    if value not in choices.values:
        raise ServiceError(f"{label.capitalize()} “{value}” không hợp lệ.", field=field_name)
    return value


def _received_on(day: dt.date | None) -> dt.date:
    today = local_today()
    if day is None:
        return today
    if not isinstance(day, dt.date):
        raise ServiceError("Ngày tiếp nhận không hợp lệ.", field="received_on")
    if isinstance(day, dt.datetime):
        day = day.date()
    if day > today:
        raise ServiceError("Ngày tiếp nhận không được sau hôm nay.", field="received_on")
    if day < dt.date(2000, 1, 1):
        raise ServiceError("Ngày tiếp nhận quá xa trong quá khứ.", field="received_on")
    return day


def _source_link(url: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise ServiceError(
            "Đường dẫn nguồn phải là địa chỉ http(s) hợp lệ.", field="source_link"
        ) from exc
    if len(url) > 500:
        raise ServiceError("Đường dẫn nguồn dài quá 500 ký tự.", field="source_link")
    # A link can carry a phone number or e-mail in its query; keep it only when it is clean.
    if mask(url).kinds:
        raise ServiceError(
            "Đường dẫn nguồn có chứa thông tin cá nhân (số điện thoại, thư điện tử…); hãy bỏ"
            " phần đó.",
            field="source_link",
        )
    return url


def _topics(topic_ids: Iterable[int] | None) -> list[Topic]:
    ids = {int(pk) for pk in (topic_ids or [])}
    topics = list(Topic.objects.filter(pk__in=ids))
    if len(topics) != len(ids):
        raise ServiceError("Có chủ đề không tồn tại.", field="topics")
    return topics


def _social_groups(group_ids: Iterable[int] | None) -> list[SocialGroup]:
    ids = {int(pk) for pk in (group_ids or [])}
    groups = list(SocialGroup.objects.filter(pk__in=ids))
    if len(groups) != len(ids):
        raise ServiceError("Có nhóm xã hội không tồn tại.", field="social_groups")
    return groups


def _unit_for(user: User | None, unit: OrgUnit | None, area: Area | None) -> OrgUnit | None:
    """The receiving unit: the one given (if the writer may file for it), else the writer's own."""
    if user is None:  # a resident: the unit responsible for the area, if any
        return area.unit if area is not None else None
    if unit is None:
        return user.unit if user.unit_id else (area.unit if area is not None else None)
    ids = visible_unit_ids(user)
    if ids is not None and unit.pk not in ids:
        raise ServiceError("Bạn chỉ ghi nhận được ý kiến cho đơn vị của mình.", field="unit")
    return unit


def can_file(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_office
        or user.role in (User.Role.REPORTER, User.Role.COLLABORATOR)
        or user.is_leader
    )


# --- filing an item ------------------------------------------------------------------------------


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
    attitude = _choice(data.attitude, Attitude, "attitude", "thái độ")
    reach = _choice(data.reach, Reach, "reach", "mức độ")
    sensitivity = _choice(
        data.sensitivity or Sensitivity.NORMAL,
        Sensitivity,
        "sensitivity",
        "độ nhạy cảm",
        required=True,
    )
    topics = _topics(data.topic_ids)
    groups = _social_groups(data.social_group_ids)
    unit = _unit_for(user, data.unit, data.area)
    analysis = analysis or textops.analyse(text)
    if not any(ch.isalnum() for ch in analysis.normalised):
        raise ServiceError("Nội dung không có chữ nào đọc được.", field="text")
    suggested = text_selectors.topic_for_code(analysis.suggested_topic_code)
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
    item.topics.set(topics)
    item.social_groups.set(groups)
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
) -> OpinionItem:
    """File one opinion item. The text is masked and normalised before it is stored; the
    engine's suggestion is kept beside the person's own labels; grouping runs after commit."""
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
        item = _create_item(user, data)
        announce_filed([item.pk])
    return item


# --- meetings -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PointInput:
    text: str
    topic_ids: Sequence[int] = ()
    attitude: str = ""
    area: Area | None = None


def file_meeting(
    *,
    user: User,
    kind: str,
    title: str,
    held_on: dt.date,
    place: str,
    delegates: str = "",
    unit: OrgUnit | None = None,
    area: Area | None = None,
    notes: str = "",
    points: Sequence[PointInput] = (),
) -> Meeting:
    """Record the minutes of a voter meeting or dialogue; each point becomes an opinion item."""
    if not can_file(user):
        raise ServiceError("Bạn không có quyền ghi biên bản.")
    kind = _choice(kind, Meeting.Kind, "kind", "loại buổi", required=True)
    title = (title or "").strip()
    place = (place or "").strip()
    if not title:
        raise ServiceError("Hãy nhập tiêu đề buổi tiếp xúc, đối thoại.", field="title")
    if not place:
        raise ServiceError("Hãy nhập địa điểm.", field="place")
    held_on = _received_on(held_on)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            kind=kind,
            title=title[:300],
            held_on=held_on,
            place=place[:300],
            # Minutes name delegates, not residents; still, no phone or ID number is kept.
            delegates=textops.mask_everything(delegates)[0] if delegates.strip() else "",
            unit=_unit_for(user, unit, area),
            area=area,
            notes=textops.mask_everything(notes)[0] if notes.strip() else "",
            created_by=user,
        )
        audit(
            actor=user,
            action=AuditEntry.Action.CREATE,
            obj=meeting,
            unit=meeting.unit,
            summary=f"Ghi biên bản {meeting.get_kind_display().lower()} ngày {held_on:%d/%m/%Y}",
            data={"kind": kind, "points": len(points)},
        )
        filed = []
        analyses = textops.analyse_many([point.text for point in points])  # one batch
        for number, (point, analysis) in enumerate(zip(points, analyses, strict=True), start=1):
            try:
                filed.append(_add_point(user, meeting, point, analysis).pk)
            except ServiceError as exc:
                raise ServiceError(
                    f"Ý kiến thứ {number}: {exc.message}", field=f"points.{number}"
                ) from exc
        announce_filed(filed)
    return meeting


def _add_point(
    user: User, meeting: Meeting, point: PointInput, analysis: textops.Analysis | None = None
) -> OpinionItem:
    return _create_item(
        user,
        _ItemInput(
            text=point.text,
            channel=MEETING_CHANNELS[meeting.kind],
            received_on=meeting.held_on,
            area=point.area or meeting.area,
            unit=meeting.unit,
            topic_ids=point.topic_ids,
            attitude=point.attitude,
            meeting=meeting,
        ),
        analysis,
    )


def add_meeting_point(
    *,
    user: User,
    meeting: Meeting,
    text: str,
    topic_ids: Sequence[int] = (),
    attitude: str = "",
    area: Area | None = None,
) -> OpinionItem:
    """Add one point raised at a meeting: an item on the meeting's channel, date and unit."""
    if not can_file(user):
        raise ServiceError("Bạn không có quyền ghi biên bản.")
    ids = visible_unit_ids(user)
    if ids is not None and meeting.unit_id not in ids:
        raise ServiceError("Bạn chỉ bổ sung được biên bản của đơn vị mình.")
    with transaction.atomic():
        item = _add_point(user, meeting, PointInput(text, topic_ids, attitude, area))
        announce_filed([item.pk])
    return item


# --- public feedback -----------------------------------------------------------------------------


def _address_hashes(client_ip: str, now: dt.datetime) -> list[str]:
    """Salted hashes of the address for today and yesterday. The salt changes daily, so the log
    cannot link a resident's visits across days; the raw address is never stored."""
    hashes = []
    for day in (now.date(), now.date() - dt.timedelta(days=1)):
        key = f"{settings.SECRET_KEY}:public-feedback:{day.isoformat()}".encode()
        digest = hmac.new(key, (client_ip or "unknown").encode(), hashlib.sha256).hexdigest()
        hashes.append(digest[:32])
    return hashes


def _check_throttle(hashes: list[str], now: dt.datetime) -> None:
    recent = AuditEntry.objects.filter(
        object_type=ITEM_TYPE,
        action=AuditEntry.Action.CREATE,
        actor__isnull=True,
        at__gte=now - PUBLIC_WINDOW,
        data__ip__in=hashes,
    ).count()
    if recent >= PUBLIC_LIMIT:
        minutes = int(PUBLIC_WINDOW.total_seconds() // 60)
        raise ThrottledError(
            f"Bạn đã gửi {recent} góp ý trong {minutes} phút qua. Để tránh gửi trùng, xin vui lòng"
            f" thử lại sau ít phút nữa.",
        )


def _new_tracking_code() -> str:
    # 50 random bits in base32 (A-Z, 2-7): unguessable, easy to read out over the phone.
    return base64.b32encode(secrets.token_bytes(7)).decode("ascii")[:TRACKING_CODE_LENGTH]


def _clean_contact(contact: dict) -> dict:
    name = " ".join(str(contact.get("name") or "").split())[:150]
    phone = "".join(ch for ch in str(contact.get("phone") or "") if ch.isdigit() or ch == "+")
    email = str(contact.get("email") or "").strip()
    address = " ".join(str(contact.get("address") or "").split())[:300]
    if phone and not 9 <= len(phone.lstrip("+")) <= 12:
        raise ServiceError("Số điện thoại không hợp lệ.", field="phone")
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ServiceError("Địa chỉ thư điện tử không hợp lệ.", field="email") from exc
    return {"name": name, "phone": phone[:20], "email": email[:254], "address": address}


def submit_public_feedback(
    *,
    text: str,
    area_id: int | None,
    wants_reply: bool,
    name: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    client_ip: str,
) -> str:
    """File a resident's feedback from the public form and return its tracking code.

    Anonymous unless the resident asks for a reply: then the contact details are stored apart
    (office only). Throttled per address through the audit log (a salted daily hash, no raw IP).
    """
    now = timezone.now()
    hashes = _address_hashes(client_ip, now)
    area = None
    if area_id:
        area = Area.objects.filter(pk=area_id).first()
        if area is None:
            raise ServiceError("Tổ dân phố không tồn tại.", field="area")
    contact = None
    if wants_reply:
        contact = _clean_contact({"name": name, "phone": phone, "email": email, "address": address})
        if not (contact["phone"] or contact["email"]):
            raise ServiceError(
                "Để nhận trả lời, hãy để lại số điện thoại hoặc địa chỉ thư điện tử.", field="phone"
            )
    with transaction.atomic():
        _check_throttle(hashes, now)
        for _attempt in range(5):
            code = _new_tracking_code()
            try:
                with transaction.atomic():
                    item = _create_item(
                        None,
                        _ItemInput(
                            text=text,
                            channel=Channel.OTHER,
                            received_on=local_today(),
                            area=area,
                            contact=contact,
                            wants_reply=bool(wants_reply),
                            tracking_code=code,
                            text_limit=PUBLIC_MAX_TEXT,
                            extra_audit={"public": True, "ip": hashes[0]},
                        ),
                    )
                break
            except IntegrityError:  # a tracking code collision: astronomically rare, retry
                continue
        else:
            raise ServiceError("Không tạo được mã tra cứu; xin vui lòng gửi lại.")
        announce_filed([item.pk])
    return code


# --- labels ------------------------------------------------------------------------------------


def can_edit_labels(user: User, item: OpinionItem) -> bool:
    if user.is_office:
        return True
    if user.role not in (User.Role.REPORTER, User.Role.COLLABORATOR):
        return False
    ids = visible_unit_ids(user)
    return item.created_by_id == user.pk or (ids is not None and item.unit_id in ids)


def confirm_labels(
    *,
    user: User,
    item: OpinionItem,
    topic_ids: Sequence[int],
    attitude: str,
    expected_version: int | None,
) -> OpinionItem:
    """Confirm or correct an item's topics and attitude. Confirmed labels train the models."""
    if not can_edit_labels(user, item):
        raise ServiceError("Bạn không có quyền sửa nhãn của ý kiến này.")
    attitude = _choice(attitude, Attitude, "attitude", "thái độ")
    topics = _topics(topic_ids)
    if not topics and not attitude:
        raise ServiceError("Hãy chọn ít nhất một chủ đề hoặc thái độ.", field="topics")
    with transaction.atomic():
        current = OpinionItem.objects.select_for_update().get(pk=item.pk)
        if expected_version is not None and current.version != expected_version:
            raise ConflictError(
                "Ý kiến này vừa được người khác sửa; hãy tải lại trang để xem nhãn mới nhất.",
                field="version",
            )
        before = {
            "topics": sorted(current.topics.values_list("pk", flat=True)),
            "attitude": current.attitude,
        }
        current.attitude = attitude
        current.labels_confirmed = True
        current.version += 1
        current.save(update_fields=["attitude", "labels_confirmed", "version"])
        current.topics.set(topics)
        audit(
            actor=user,
            action=AuditEntry.Action.UPDATE,
            obj=current,
            unit=current.unit,
            summary=f"Xác nhận nhãn của ý kiến #{current.pk}",
            data={
                "before": before,
                "after": {"topics": sorted(t.pk for t in topics), "attitude": attitude},
                "suggested_topic": current.suggested_topic_id,
                "suggested_attitude": current.suggested_attitude,
            },
        )
    return current


# --- import --------------------------------------------------------------------------------------

IMPORT_FIELDS = {
    "text": "Nội dung ý kiến",
    "received_on": "Ngày tiếp nhận",
    "channel": "Kênh",
    "area": "Tổ dân phố",
    "topic": "Chủ đề",
    "attitude": "Thái độ",
    "reach": "Mức độ",
    "social_group": "Nhóm xã hội",
    "latent": "Dư luận tiềm ẩn",
    "sensitivity": "Độ nhạy cảm",
    "source_link": "Đường dẫn nguồn",
}


def can_import(user: User) -> bool:
    return user.is_office or user.role == User.Role.REPORTER


def _masked_cell(cell):
    """A cell as JSON: dates in ISO form, text and numbers masked (a phone may be a number)."""
    if cell is None:
        return None
    if isinstance(cell, (dt.date, dt.datetime)):
        return cell_text(cell)
    if isinstance(cell, bool):
        return cell
    return textops.mask_everything(cell_text(cell))[0] if cell_text(cell) else ""


def start_import(*, user: User, file_name: str, data: bytes) -> ImportBatch:
    """Read an uploaded XLSX/CSV file and keep its table, masked, for the mapping step.

    The file itself is not kept: only the header row and the cells, personal data masked.
    """
    if not can_import(user):
        raise ServiceError("Bạn không có quyền nhập ý kiến từ tệp.")
    try:
        table = read_table(file_name, data)
    except TableError as exc:
        raise ServiceError(exc.message, field="file") from exc
    stored = {
        "headers": table.headers,
        "first_row": table.first_row,
        "rows": [[_masked_cell(c) for c in row] for row in table.rows],
    }
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            file_name=(file_name or "tep")[:255],
            file_data=json.dumps(stored, ensure_ascii=False).encode("utf-8"),
            headers=table.headers,
            rows_total=len(table.rows),
            created_by=user,
        )
        audit(
            actor=user,
            action=AuditEntry.Action.CREATE,
            obj=batch,
            unit=user.unit,
            summary=f"Tải lên tệp “{batch.file_name}” ({batch.rows_total} dòng) để nhập ý kiến",
            data={"rows": batch.rows_total, "columns": len(table.headers)},
        )
    return batch


def _resolve_mapping(batch: ImportBatch, mapping: dict) -> dict[str, int]:
    columns: dict[str, int] = {}
    for field_name, header in (mapping or {}).items():
        if field_name not in IMPORT_FIELDS:
            raise ServiceError(f"Trường “{field_name}” không nhập được.", field="mapping")
        if header in (None, ""):
            continue
        if isinstance(header, int) or (
            isinstance(header, str) and header.isdigit() and header not in batch.headers
        ):
            index = int(header)
            if not 0 <= index < len(batch.headers):
                raise ServiceError(f"Cột số {index} không có trong tệp.", field=field_name)
        elif header in batch.headers:
            index = batch.headers.index(header)
        else:
            raise ServiceError(f"Cột “{header}” không có trong tệp.", field=field_name)
        columns[field_name] = index
    if "text" not in columns:
        raise ServiceError("Hãy chọn cột chứa nội dung ý kiến.", field="text")
    return columns


class _Lookup:
    """Folded names of the vocabularies, built once per import."""

    def __init__(self):
        self.areas = {a.name_folded: a for a in Area.objects.all()}
        self.topics = {t.name_folded: t for t in Topic.objects.all()}
        self.groups = {g.name_folded: g for g in SocialGroup.objects.all()}

    @staticmethod
    def choice(value: str, choices, what: str) -> str:
        wanted = fold(value)
        for code, label in choices.choices:
            if wanted in (fold(code), fold(label), fold(label.split(",")[0])):
                return code
        raise ServiceError(f"{what} “{value}” không có trong danh mục.")

    def names(self, value: str, table: dict, what: str) -> list:
        found = []
        for part in value.replace(";", ",").split(","):
            if part.strip():
                key = fold(part)
                if key not in table:
                    raise ServiceError(f"{what} “{part.strip()}” không có trong danh mục.")
                found.append(table[key])
        return found

    def topics_of(self, value: str) -> list[Topic]:
        # Topic names contain commas and dashes ("Kinh tế - xã hội"): try the whole cell first.
        whole = fold(value)
        if whole in self.topics:
            return [self.topics[whole]]
        return self.names(value, self.topics, "Chủ đề")


def _parse_day(value) -> dt.date:
    text = cell_text(value)
    if not text:
        raise ServiceError("Thiếu ngày tiếp nhận.")
    text = text[:10] if len(text) >= 10 and text[4] == "-" else text
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ServiceError(f"Ngày “{text}” không hợp lệ (dùng dạng ngày/tháng/năm, ví dụ 05/11/2025).")


_YES = {"co", "x", "1", "true", "yes", "dung", "c"}


def _row_input(
    row: list, columns: dict[str, int], lookup: _Lookup, default_channel: str
) -> _ItemInput:
    def get(name: str) -> str:
        return cell_text(row[columns[name]]) if name in columns else ""

    text = get("text")
    if not text:
        raise ServiceError("Thiếu nội dung ý kiến.")
    area = None
    if get("area"):
        areas = lookup.names(get("area"), lookup.areas, "Tổ dân phố")
        area = areas[0] if areas else None
    return _ItemInput(
        text=text,
        channel=lookup.choice(get("channel"), Channel, "Kênh")
        if get("channel")
        else default_channel,
        received_on=_parse_day(row[columns["received_on"]]) if "received_on" in columns else None,
        area=area,
        topic_ids=[t.pk for t in lookup.topics_of(get("topic"))] if get("topic") else [],
        attitude=lookup.choice(get("attitude"), Attitude, "Thái độ") if get("attitude") else "",
        reach=lookup.choice(get("reach"), Reach, "Mức độ") if get("reach") else "",
        social_group_ids=[
            g.pk for g in lookup.names(get("social_group"), lookup.groups, "Nhóm xã hội")
        ],
        latent=fold(get("latent")) in _YES,
        sensitivity=(
            lookup.choice(get("sensitivity"), Sensitivity, "Độ nhạy cảm")
            if get("sensitivity")
            else Sensitivity.NORMAL
        ),
        source_link=get("source_link"),
    )


def apply_import(
    *,
    user: User,
    batch: ImportBatch,
    mapping: dict,
    default_channel: str = Channel.OTHER,
) -> ImportBatch:
    """File every valid row of ``batch`` as an item; a refused row is reported by its number.

    Each row runs in its own savepoint inside one transaction: a bad row costs only itself, and
    a crash midway leaves nothing half-imported. The stored table is dropped afterwards. The
    texts are analysed in one batch; they were masked and normalised when the file was uploaded,
    so they are not masked or normalised again.
    """
    if not can_import(user) or not (user.is_office or batch.created_by_id == user.pk):
        raise ServiceError("Bạn không có quyền nhập tệp này.")
    if batch.state != ImportBatch.State.PENDING or not batch.file_data:
        raise ServiceError("Tệp này đã được nhập rồi; hãy tải tệp lên lại nếu cần nhập lần nữa.")
    _choice(default_channel, Channel, "default_channel", "kênh mặc định", required=True)
    columns = _resolve_mapping(batch, mapping)
    stored = json.loads(bytes(batch.file_data).decode("utf-8"))
    lookup = _Lookup()
    errors: list[dict] = []
    filed: list[int] = []
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.state != ImportBatch.State.PENDING:
            raise ServiceError("Tệp này đã được nhập rồi.")
        rows: list[tuple[int, _ItemInput | ServiceError]] = []
        for offset, row in enumerate(stored["rows"]):
            number = stored.get("first_row", 2) + offset
            if all(c in (None, "") for c in row):
                continue
            try:
                data = _row_input(row, columns, lookup, default_channel)
                data.extra_audit = {"import_batch": batch.pk, "row": number}
                rows.append((number, data))
            except ServiceError as exc:
                rows.append((number, exc))
        texts = [data.text for _number, data in rows if isinstance(data, _ItemInput)]
        analyses = iter(textops.analyse_many(texts, cleaned=True))
        for number, data in rows:
            try:
                if isinstance(data, ServiceError):
                    raise data
                analysis = next(analyses)
                with transaction.atomic():
                    filed.append(_create_item(user, data, analysis).pk)
            except ServiceError as exc:
                errors.append({"row": number, "field": exc.field or "", "message": exc.message})
        batch.mapping = {name: batch.headers[index] for name, index in columns.items()}
        batch.mapping["_default_channel"] = default_channel
        imported = len(filed)
        batch.rows_imported = imported
        batch.errors = errors
        batch.state = ImportBatch.State.DONE if imported else ImportBatch.State.FAILED
        batch.file_data = None
        batch.save()
        audit(
            actor=user,
            action=AuditEntry.Action.CREATE,
            obj=batch,
            unit=user.unit,
            summary=f"Nhập {imported}/{batch.rows_total} dòng từ tệp “{batch.file_name}”"
            f" ({len(errors)} dòng lỗi)",
            data={"imported": imported, "errors": len(errors)},
        )
        announce_filed(filed)
    return batch
