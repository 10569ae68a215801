"""Importing opinion items from an XLSX/CSV file: upload (kept masked), map the columns, file."""

from __future__ import annotations

import datetime as dt
import json

from django.db import transaction

from core.errors import ServiceError
from core.models import Attitude, AuditEntry, Channel, Reach, SocialGroup, Topic
from core.services import audit
from core.text import fold
from documents.tabular import TableError, cell_text, read_table
from intake.models import ImportBatch, Sensitivity
from intake.services.common import _check_filed_by_hand, _choice
from intake.services.items import _create_item, _ItemInput, announce_filed
from orgs.models import Area, User
from textops import services as textops

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
        if (isinstance(header, int) and not isinstance(header, bool)) or (
            isinstance(header, str) and header.isascii() and header.isdigit()  # not "²"
            and header not in batch.headers
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
    _check_filed_by_hand(default_channel, "default_channel")
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
