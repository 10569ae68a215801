"""Reading an XLSForm workbook's headers (``.xlsx`` or legacy ``.xls``) to locate problems."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache

from documents.archive import vn_int
from odk.issues import column_letter

XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

# Limits checked while reading the headers, before pyxform sees the file: pyxform holds the whole
# form (and builds the XForm) in memory, about 7 KB per survey row.
MAX_QUESTIONS = 2_000  # filled rows of the survey sheet (questions, groups, notes…)
MAX_SHEET_ROWS = 20_000  # rows of any one sheet, blank ones included (long choice lists)
MAX_SHEETS = 30


class WorkbookTooLarge(Exception):
    """A workbook over one of the limits above; ``message`` (Vietnamese) names it."""

    def __init__(self, message: str, sheet: str = ""):
        super().__init__(message)
        self.message = message
        self.sheet = sheet


@lru_cache(maxsize=8)
def _header_rules(kind: str) -> tuple[dict, frozenset[str]]:
    """pyxform's header aliases and known columns for one kind of sheet."""
    from pyxform import aliases
    from pyxform.question import MultipleChoiceQuestion, Option
    from pyxform.survey import Survey

    if kind == "settings":
        return aliases.settings_header, frozenset(Survey.get_slot_names())
    if kind in ("choices", "external_choices"):
        return aliases.list_header, frozenset(Option.get_slot_names())
    return aliases.survey_header, frozenset(MultipleChoiceQuestion.get_slot_names())


def canonical_headers(kind: str, headers: list[str]) -> dict[str, tuple[str, ...]]:
    """How pyxform reads each header of a sheet: ``{"Type": ("type",), "Relevant": ("bind",
    "relevant"), "form id": ("id_string",), "LABEL::Tiếng Việt (vi)": ("label", "Tiếng Việt
    (vi)")}``. Headers are case-insensitive there (and spaces count as ``_``), so everything we
    read from the rows ourselves goes through this, never through the header as written."""
    from pyxform.parsing.sheet_headers import process_header

    header_aliases, columns = _header_rules(kind)
    double_colon = any("::" in (h or "") for h in headers)
    out: dict[str, tuple[str, ...]] = {}
    for header in headers:
        if not header or header in out:
            continue
        try:
            _new, tokens = process_header(header, double_colon, header_aliases, columns)
        except Exception:  # noqa: BLE001 - an odd header is pyxform's to refuse, not ours
            tokens = (header,)
        out[header] = tuple(tokens)
    return out


def snake(header: str) -> str:
    """A column's name as pyxform compares it: lower case, spaces as ``_`` ("Concept")."""
    return "_".join((header or "").split()).lower()


@dataclass
class Sheet:
    headers: list[str]  # as written, index = column position
    rows: list[dict[str, str]]  # pyxform's rows, index 0 = spreadsheet row 2
    kind: str = "survey"  # survey | choices | settings | external_choices | entities
    _tokens: dict[str, tuple[str, ...]] | None = field(default=None, repr=False)

    @property
    def tokens(self) -> dict[str, tuple[str, ...]]:
        """Every header (as written, or as a row's key) → pyxform's reading of it."""
        if self._tokens is None:
            keys = list(self.headers)
            for row in self.rows:
                keys.extend(key for key in row if key not in keys)
            self._tokens = canonical_headers(self.kind, keys)
        return self._tokens

    def header_for(self, *tokens: str) -> str | None:
        """The header as written that pyxform reads as ``tokens`` (``("type",)``, ``("bind",
        "relevant")``), or None."""
        for header, read in self.tokens.items():
            if read == tokens:
                return header
        return None

    def value(self, row: dict, *tokens: str) -> str:
        """The row's cell in the column pyxform reads as ``tokens`` ("" when absent)."""
        for header, read in self.tokens.items():
            if read == tokens and row.get(header) not in (None, ""):
                return str(row[header])
        return ""

    def letter_of(self, header: str) -> str:
        target = header.strip().lower()
        for index, name in enumerate(self.headers):
            if name and name.strip().lower() == target:
                return column_letter(index)
        # A canonical name ("relevant") of a header written otherwise ("Relevance").
        for index, name in enumerate(self.headers):
            read = self.tokens.get(name) if name else None
            if read and target in (read[-1].lower(), "::".join(read).lower(), read[0].lower()):
                return column_letter(index)
        return ""


def detect_file_type(content: bytes, filename: str) -> str | None:
    if content.startswith(ZIP_MAGIC):
        return "xlsx"
    if content.startswith(XLS_MAGIC):
        return "xls"
    return None


def read_headers(content: bytes, file_type: str) -> dict[str, list[str]]:
    """First row of each sheet, lower-cased sheet name → header cells as written.

    Also counts each sheet's rows, stopping at the first limit passed (``WorkbookTooLarge``).
    """
    headers: dict[str, list[str]] = {}
    counts: dict[str, tuple[int, int]] = {}  # sheet → (rows, filled rows), both capped
    if file_type == "xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            _check_sheet_count(len(wb.worksheets))
            lone = len(wb.worksheets) == 1
            for ws in wb.worksheets:
                name = ws.title.lower()
                survey = lone or name == "survey"
                declared = _declared_rows(ws)
                if declared is not None and declared > MAX_SHEET_ROWS:  # refused unread
                    _check_rows(ws.title, declared, declared, survey=survey, exact=True)
                rows = ws.iter_rows(values_only=True)
                first = next(rows, ())
                headers[name] = ["" if cell is None else str(cell).strip() for cell in first]
                counts[name] = _count_rows(ws.title, rows, survey=survey)
        finally:
            wb.close()
    else:
        import xlrd

        book = xlrd.open_workbook(file_contents=content, on_demand=True)
        try:
            _check_sheet_count(book.nsheets)
            lone = book.nsheets == 1
            for index in range(book.nsheets):
                sheet = book.sheet_by_index(index)
                name = sheet.name.lower()
                survey = lone or name == "survey"
                if sheet.nrows > MAX_SHEET_ROWS:
                    _check_rows(sheet.name, sheet.nrows, sheet.nrows, survey=survey, exact=True)
                first = sheet.row_values(0) if sheet.nrows else []
                headers[name] = [str(cell).strip() for cell in first]
                filled = sum(
                    1 for r in range(1, sheet.nrows)
                    if any(str(v).strip() for v in sheet.row_values(r))
                )
                _check_rows(sheet.name, sheet.nrows, filled + 1, survey=survey, exact=True)
                book.unload_sheet(index)
        finally:
            book.release_resources()
    if len(headers) == 1 and "survey" not in headers:
        # pyxform reads a lone sheet of any name as the survey sheet.
        headers = {"survey": next(iter(headers.values()))}
    return headers


def _declared_rows(ws) -> int | None:
    """The row count the sheet's ``<dimension>`` declares (read without parsing the rows)."""
    try:
        return int(ws.max_row) if ws.max_row else None
    except (TypeError, ValueError):
        return None


def _check_sheet_count(count: int) -> None:
    if count > MAX_SHEETS:
        raise WorkbookTooLarge(
            f"Tệp có {vn_int(count)} trang tính, vượt giới hạn {vn_int(MAX_SHEETS)} trang của"
            " một biểu mẫu XLSForm."
        )


def _count_rows(title: str, rows, *, survey: bool) -> tuple[int, int]:
    physical = filled = 1  # the header row
    for row in rows:
        physical += 1
        if any(cell is not None and str(cell).strip() for cell in row):
            filled += 1
        _check_rows(title, physical, filled, survey=survey)
    return physical, filled


def _check_rows(title: str, physical: int, filled: int, *, survey: bool, exact: bool = False
                ) -> None:
    """Refuse past a limit; counting stops there, so the count is "more than" unless ``exact``."""
    if survey and filled - 1 > MAX_QUESTIONS:
        found = vn_int(filled - 1) if exact else f"hơn {vn_int(MAX_QUESTIONS)}"
        raise WorkbookTooLarge(
            f"Trang {title} có {found} dòng câu hỏi, vượt giới hạn {vn_int(MAX_QUESTIONS)} câu"
            " hỏi của một biểu mẫu. Hãy chia bảng hỏi thành nhiều cuộc khảo sát nhỏ hơn.",
            sheet=title,
        )
    if physical > MAX_SHEET_ROWS:
        found = vn_int(physical) if exact else f"hơn {vn_int(MAX_SHEET_ROWS)}"
        raise WorkbookTooLarge(
            f"Trang {title} có {found} dòng, vượt giới hạn {vn_int(MAX_SHEET_ROWS)} dòng mỗi"
            " trang. Xóa các dòng thừa (kể cả dòng trống có định dạng) rồi tải lên lại.",
            sheet=title,
        )
