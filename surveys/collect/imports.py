"""Importing responses from a spreadsheet (XLSX/CSV): each valid row a response, the others
reported by row and column."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import uuid
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from core.errors import ServiceError
from core.models import AuditEntry
from core.services import audit
from core.text import fold
from documents.tabular import TableError, cell_text, read_table
from odk import openrosa
from orgs.models import User
from surveys.collect.areas import AreaMatcher, derived_fields
from surveys.collect.selectors import structure_of
from surveys.collect.services import CollectError, mask_text, refuse_if_not_open
from surveys.design.selectors import current_version
from surveys.models import Response, Survey

META_COLUMNS = {"instanceid", "meta/instanceid", "_uuid", "key", "uuid"}
# An XForm ``int`` is a 32-bit integer in ODK Collect (JavaRosa).
INT_MIN, INT_MAX = -(2 ** 31), 2 ** 31 - 1


def _short(text: str, limit: int = 40) -> str:
    """A cell quoted in a message: a 5,000-character cell is named by its start."""
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass
class ImportReport:
    file_name: str
    rows_total: int = 0
    created: int = 0
    duplicates: int = 0
    errors: list[dict] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _RowError(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


def _choice_lookup(spec: openrosa.Field) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for name in spec.choices:
        lookup.setdefault(fold(name), name)
    for name in spec.choices:
        for label in spec.choice_labels.get(name, ()):
            lookup.setdefault(fold(label), name)
    return lookup


def _import_value(spec: openrosa.Field, cell, header: str) -> str:
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return ""
    text = cell_text(cell)
    kind = spec.kind
    if kind in {"select_one", "select_multiple", "rank"} and spec.choices:
        lookup = _choice_lookup(spec)
        if kind == "select_one" or fold(text) in lookup:
            parts = [text]
        else:
            parts = [p for p in re.split(r"[\s,;]+", text) if p]
        names = []
        for part in parts:
            name = lookup.get(fold(part))
            if name is None:
                options = ", ".join(spec.choices[:12]) + ("…" if len(spec.choices) > 12 else "")
                raise _RowError(
                    header, f"“{_short(part)}” không phải phương án của câu hỏi “{spec.name}” (các"
                    f" phương án: {options})."
                )
            names.append(name)
        return " ".join(dict.fromkeys(names))
    if kind == "integer":
        number = None
        if isinstance(cell, int) and not isinstance(cell, bool):
            number = cell
        elif isinstance(cell, float) and cell.is_integer():
            number = int(cell)
        elif isinstance(cell, str) and re.fullmatch(r"[+-]?[0-9]{1,30}", text):
            number = int(text)  # ASCII digits only, and never 4,300 of them (int() refuses)
        if number is None:
            raise _RowError(header, f"“{_short(text)}” không phải số nguyên.")
        if not INT_MIN <= number <= INT_MAX:
            raise _RowError(header, f"“{_short(text)}” vượt giới hạn số nguyên của ODK (từ"
                                    " −2.147.483.648 đến 2.147.483.647).")
        return str(number)
    if kind == "decimal":
        try:
            number = float(text.replace(",", "."))
        except ValueError as exc:
            raise _RowError(header, f"“{_short(text)}” không phải số.") from exc
        if not math.isfinite(number):
            raise _RowError(header, f"“{_short(text)}” không phải số hữu hạn.")
        return repr(number)
    if kind == "date":
        if isinstance(cell, dt.datetime):
            return cell.date().isoformat()
        if isinstance(cell, dt.date):
            return cell.isoformat()
        for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
            try:
                return dt.datetime.strptime(text[:10], pattern).date().isoformat()
            except ValueError:
                continue
        raise _RowError(header, f"Ngày “{_short(text)}” không hợp lệ (dùng dạng ngày/tháng/năm).")
    if kind == "text":
        return mask_text(text)
    return text


def import_responses(*, survey: Survey, user: User, file_name: str, data: bytes) -> ImportReport:
    """Store each valid row of an XLSX/CSV table as a response; report the others by row/column.

    Columns are question names (or their paths, ``nhom/cau_hoi``); columns whose names start
    with ``_`` or ``meta/`` (exports of other tools) are ignored; an ``instanceID`` column, when
    present, keeps a re-import from storing twice, and without one each row's id is derived
    from the file's content and the row number, so importing the same file again adds nothing.
    As in the intake import, each row runs in its own savepoint inside one transaction: a bad row
    costs only itself, and a crash midway leaves nothing half-imported.
    """
    if not user.is_office:
        raise ServiceError("Chỉ Ban Xây dựng Đảng được nhập phiếu khảo sát từ tệp.")
    _refuse_if_not_open_service(survey)
    version = current_version(survey)
    if version is None:
        raise ServiceError("Cuộc khảo sát chưa có biểu mẫu: hãy tải biểu mẫu XLSForm lên trước.")
    try:
        table = read_table(file_name, data)
    except TableError as exc:
        raise ServiceError(exc.message, field="file") from exc
    structure = structure_of(version)
    fields = structure.by_name
    report = ImportReport(file_name=file_name or "tep", rows_total=len(table.rows))
    columns: dict[int, openrosa.Field] = {}
    id_column: int | None = None
    unknown = []
    for index, header in enumerate(table.headers):
        key = header.strip()
        if key.lower() in META_COLUMNS:
            id_column = index
            continue
        if key.startswith("_") or key.lower().startswith("meta/") or key.startswith("Cột "):
            report.ignored_columns.append(key)
            continue
        spec = fields.get(key) or fields.get(key.replace(".", "/").replace("-", "/"))
        if spec is None or not spec.answerable:
            unknown.append(key)
        elif spec.repeat:
            raise ServiceError(
                f"Cột “{key}” là câu hỏi trong nhóm lặp lại: không nhập được từ bảng phẳng.",
                field="file",
            )
        else:
            columns[index] = spec
    if unknown:
        raise ServiceError(
            "Các cột sau không phải câu hỏi của biểu mẫu (tên cột phải là tên biến trong cột"
            f" name của XLSForm): {', '.join(f'“{u}”' for u in unknown)}.",
            field="file",
        )
    if not columns:
        raise ServiceError("Tệp không có cột nào trùng tên câu hỏi của biểu mẫu.", field="file")
    required = [
        spec for spec in structure.fields
        if spec.required and spec.answerable and not spec.repeat
        and spec not in columns.values()
    ]
    if required:
        names = ", ".join(f"“{s.name}”" for s in required)
        raise ServiceError(f"Tệp thiếu cột của câu hỏi bắt buộc: {names}.", field="file")
    digest = hashlib.sha256(data).hexdigest()
    matcher = AreaMatcher()
    header_of = {index: table.headers[index] for index in columns}
    with transaction.atomic():
        for offset, row in enumerate(table.rows):
            number = table.first_row + offset
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in row):
                continue
            try:
                answers = _row_answers(row, columns, header_of, survey, matcher)
            except _RowError as exc:
                report.errors.append({"row": number, "column": exc.column, "message": exc.message})
                continue
            instance_id = cell_text(row[id_column]) if id_column is not None else ""
            if len(instance_id) > openrosa.MAX_INSTANCE_ID:
                report.errors.append({
                    "row": number, "column": table.headers[id_column],
                    "message": f"Mã bản ghi “{_short(instance_id)}” dài quá"
                               f" {openrosa.MAX_INSTANCE_ID} ký tự.",
                })
                continue
            if not instance_id:
                instance_id = "uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL,
                                                      f"longdan:{survey.form_id}:{digest}:{number}"))
            if Response.objects.filter(instance_id=instance_id).exists():
                report.duplicates += 1
                continue
            try:
                with transaction.atomic():
                    Response.objects.create(
                        survey=survey,
                        form_version=version,
                        instance_id=instance_id,
                        data=answers,
                        source=Response.Source.IMPORT,
                        **derived_fields(survey, structure, answers, matcher),
                    )
            except IntegrityError:
                report.duplicates += 1
                continue
            report.created += 1
        audit(
            actor=user,
            action=AuditEntry.Action.CREATE,
            obj=survey,
            unit=survey.unit,
            summary=f"Nhập {report.created}/{report.rows_total} phiếu khảo sát từ tệp"
            f" “{report.file_name}” ({len(report.errors)} dòng lỗi, {report.duplicates} trùng)",
            data={
                "created": report.created,
                "errors": len(report.errors),
                "duplicates": report.duplicates,
                "form_version": version.version,
            },
        )
    return report


def _refuse_if_not_open_service(survey: Survey) -> None:
    try:
        refuse_if_not_open(survey)
    except CollectError as exc:
        raise ServiceError(exc.message) from exc


def _row_answers(row, columns, header_of, survey: Survey, matcher: AreaMatcher) -> dict:
    answers: dict[str, str] = {}
    for index, spec in columns.items():
        header = header_of[index]
        value = _import_value(spec, row[index] if index < len(row) else None, header)
        if not value:
            if spec.required:
                raise _RowError(header, f"Thiếu câu trả lời cho câu hỏi bắt buộc “{spec.name}”.")
            continue
        if spec.name == survey.area_field and matcher.match(value, spec) is None:
            raise _RowError(header, f"“{value}” không khớp tổ dân phố nào của phường.")
        answers[spec.name] = value
    return answers
