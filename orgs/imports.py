"""Importing units and collaborators from a spreadsheet (a city has hundreds of each; R1, R5).

The file is read by ``documents.tabular`` (XLSX or CSV). Columns are found by their titles (with
or without diacritics, any case); each row goes through the same service as the pages
(``create_unit``, ``create_collaborator``), so a row is refused for exactly the reasons a form
would be. **All or nothing**: every row is tried inside one transaction, each in its own
savepoint so the errors of every row are collected, and when any row fails the whole
transaction is rolled back: nothing is written, and the office gets the list of rows to fix
("Dòng 7, cột Mã đơn vị cấp trên: …"). A unit's parent may be a unit of an earlier row of the
same file. One audit entry per created record (the services') and one for the import.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from core.errors import ServiceError
from core.models import AuditEntry, SocialGroup, Topic
from core.services import audit
from core.text import fold
from documents.tabular import Table, TableError, cell_text, read_table
from orgs import services
from orgs.models import Area, Collaborator, OrgUnit, User

MAX_ROWS = 5000


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # the title the template file uses
    required: bool = False
    aliases: tuple[str, ...] = ()


UNIT_COLUMNS = (
    Column("code", "Mã đơn vị", True),
    Column("name", "Tên đơn vị", True),
    Column("kind", "Loại", True, ("loai don vi",)),
    Column("parent", "Mã đơn vị cấp trên", False, ("don vi cap tren",)),
    Column("opened_on", "Ngày thành lập"),
)

COLLABORATOR_COLUMNS = (
    Column("full_name", "Họ và tên", True, ("ho ten",)),
    Column("unit", "Mã đơn vị", True),
    Column("started_on", "Từ ngày", True, ("ngay bat dau",)),
    Column("ended_on", "Đến ngày", False, ("ngay ket thuc",)),
    Column("areas", "Tổ dân phố", False, ("dia ban phu trach", "dia ban")),
    Column("topics", "Lĩnh vực", False, ("linh vuc theo doi",)),
    Column("social_groups", "Nhóm xã hội", False),
    Column("phone", "Điện thoại", False, ("so dien thoai",)),
    Column("email", "Thư điện tử", False, ("email",)),
    Column("decision_number", "Số quyết định", False),
    Column("decision_date", "Ngày quyết định", False),
    Column("decision_signer", "Người ký", False, ("nguoi ky quyet dinh",)),
    Column("allowance_rate", "Mức phụ cấp", False, ("muc phu cap (dong/thang)",)),
    Column("payment_period", "Kỳ chi trả", False),
)


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Dòng {self.row}" + (f", cột {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error


class _Rollback(Exception):
    pass


def _header_map(table: Table, columns: tuple[Column, ...]) -> tuple[dict[str, int], list[str]]:
    by_title = {fold(h).strip(): i for i, h in enumerate(table.headers)}
    found, missing = {}, []
    for column in columns:
        for name in (column.title, *column.aliases):
            index = by_title.get(fold(name))
            if index is not None:
                found[column.key] = index
                break
        else:
            if column.required:
                missing.append(column.title)
    return found, missing


_DATE_RE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def _date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    match = _DATE_RE.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"'{text}' không phải là ngày (dùng dd/mm/yyyy).") from exc


def _lookup(model, value, label: str, cache: dict) -> list[int]:
    """The ids of the names in a cell: separated by ";" or new lines, or by commas when no name
    of the list has one there ("Cán bộ, đảng viên" is one social group). ``cache`` keeps each
    list's names for the whole file."""
    if model not in cache:
        cache[model] = {fold(name): pk for pk, name in model.objects.values_list("pk", "name")}
    table = cache[model]
    ids, unknown = [], []
    for part in (p.strip() for p in re.split(r"[;\n]", cell_text(value))):
        pieces = [piece.strip() for piece in part.split(",") if piece.strip()]
        start = 0
        while start < len(pieces):
            for end in range(len(pieces), start, -1):  # the longest run of pieces that is a name
                pk = table.get(fold(", ".join(pieces[start:end])))
                if pk is not None:
                    ids.append(pk)
                    start = end
                    break
            else:
                unknown.append(pieces[start])
                start += 1
    if unknown:
        raise ValueError(f"không có {label} '{', '.join(unknown)}' trong danh mục.")
    return ids


def _kind(value) -> str:
    text = fold(cell_text(value))
    for code, label in OrgUnit.Kind.choices:
        if text in (fold(code), fold(label)):
            return code
    choices = "; ".join(label for _, label in OrgUnit.Kind.choices)
    raise ValueError(f"loại '{cell_text(value)}' không có trong danh mục ({choices}).")


def _payment_period(value) -> str:
    text = fold(cell_text(value))
    if not text:
        return Collaborator.PaymentPeriod.QUARTER
    for code, label in Collaborator.PaymentPeriod.choices:
        if text in (fold(code), fold(label), fold(label.replace("Hằng ", ""))):
            return code
    raise ValueError("kỳ chi trả phải là 'Hằng tháng' hoặc 'Hằng quý'.")


def _rate(value) -> int:
    if value is None or value == "":
        return 0
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        digits = cell_text(value).replace(".", "").replace(",", "").replace(" ", "")
        digits = digits.removesuffix("đ").removesuffix("đồng")
        if not digits.isdigit():
            raise ValueError(f"'{cell_text(value)}' không phải là số tiền (đồng/tháng).")
        number = float(digits)
    if number < 0 or not number.is_integer():
        raise ValueError(f"'{cell_text(value)}' không phải là số tiền (đồng/tháng).")
    return int(number)


def _unit_row(actor: User, get: Callable[[str], object], cache: dict) -> None:
    parent = None
    parent_code = cell_text(get("parent")).lower()
    if parent_code:
        parent = OrgUnit.objects.filter(code=parent_code).first()
        if parent is None:
            raise ServiceError(f"không có đơn vị mã '{parent_code}' (trong danh mục hoặc ở dòng"
                               " trên của tệp).", field="parent")
    try:
        kind = _kind(get("kind"))
    except ValueError as exc:
        raise ServiceError(str(exc), field="kind") from exc
    try:
        opened_on = _date(get("opened_on"))
    except ValueError as exc:
        raise ServiceError(str(exc), field="opened_on") from exc
    services.create_unit(actor=actor, code=cell_text(get("code")), name=cell_text(get("name")),
                         kind=kind, parent=parent, opened_on=opened_on)


def _collaborator_row(actor: User, get: Callable[[str], object], cache: dict) -> None:
    unit_code = cell_text(get("unit")).lower()
    unit = OrgUnit.objects.filter(code=unit_code).first() if unit_code else None
    if unit is None:
        raise ServiceError(f"không có đơn vị mã '{unit_code}'." if unit_code
                           else "chưa có mã đơn vị.", field="unit")
    values: dict = {}
    parsers = {
        "started_on": _date, "ended_on": _date, "decision_date": _date,
        "allowance_rate": _rate, "payment_period": _payment_period,
        "areas": lambda v: _lookup(Area, v, "tổ dân phố", cache),
        "topics": lambda v: _lookup(Topic, v, "lĩnh vực", cache),
        "social_groups": lambda v: _lookup(SocialGroup, v, "nhóm xã hội", cache),
    }
    for key, parse in parsers.items():
        try:
            values[key] = parse(get(key))
        except ValueError as exc:
            raise ServiceError(str(exc), field=key) from exc
    name = cell_text(get("full_name"))
    if name and Collaborator.objects.filter(unit=unit, name_folded=fold(name)).exists():
        raise ServiceError(f"cộng tác viên '{name}' của đơn vị này đã có trong danh sách.",
                           field="full_name")
    services.create_collaborator(
        actor=actor, full_name=name, unit=unit, phone=cell_text(get("phone")),
        email=cell_text(get("email")), decision_number=cell_text(get("decision_number")),
        decision_signer=cell_text(get("decision_signer")), **values)


def _run(actor: User, file_name: str, data: bytes, columns: tuple[Column, ...],
         write_row, what: str, object_type: str) -> ImportResult:
    services._require_office(actor)
    result = ImportResult()
    try:
        table = read_table(file_name, data)
    except TableError as exc:
        result.file_error = exc.message
        return result
    index, missing = _header_map(table, columns)
    if missing:
        result.file_error = ("Tệp thiếu cột: " + ", ".join(missing)
                             + ". Tải tệp mẫu để xem các cột cần có.")
        return result
    rows = [(table.first_row + n, row) for n, row in enumerate(table.rows)
            if any(cell_text(c) for c in row)]
    if len(rows) > MAX_ROWS:
        result.file_error = f"Tệp có {len(rows)} dòng, tối đa {MAX_ROWS} dòng một lần nhập."
        return result
    titles = {c.key: c.title for c in columns}
    cache: dict = {}
    try:
        with transaction.atomic():
            for number, row in rows:
                def get(key, row=row):
                    return row[index[key]] if key in index else None

                try:
                    with transaction.atomic():
                        write_row(actor, get, cache)
                except ServiceError as exc:
                    result.errors.append(RowError(number, titles.get(exc.field or "", ""),
                                                  _sentence(exc.message)))
                else:
                    result.created += 1
            if result.errors:
                raise _Rollback
            audit(actor=actor, action=AuditEntry.Action.CREATE, object_type=object_type,
                  unit=actor.unit, summary=f"Nhập {result.created} {what} từ tệp {file_name[:120]}",
                  data={"rows": result.created})
    except _Rollback:
        result.created = 0
    return result


def _sentence(message: str) -> str:
    """A service's sentence after "Dòng N, cột X: " reads on in lower case."""
    return message[:1].lower() + message[1:] if message[1:2].islower() else message


def import_units(*, actor: User, file_name: str, data: bytes) -> ImportResult:
    """Create the units of the file (parents by code, earlier rows included); all or nothing."""
    return _run(actor, file_name, data, UNIT_COLUMNS, _unit_row, "đơn vị", "orgs.orgunit")


def import_collaborators(*, actor: User, file_name: str, data: bytes) -> ImportResult:
    """Create the collaborators of the file with their regime; all or nothing."""
    return _run(actor, file_name, data, COLLABORATOR_COLUMNS, _collaborator_row,
                "cộng tác viên", "orgs.collaborator")
