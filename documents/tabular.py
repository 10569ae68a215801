"""Reading an uploaded Excel (.xlsx) or CSV file into a header row and data rows (no Django).

Refusals carry a Vietnamese message for the person who uploaded the file. Cells come back as
``str``, ``int``, ``float``, ``bool``, ``datetime.date`` / ``datetime.datetime`` or ``None``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from dataclasses import dataclass

from documents.archive import ArchiveError, check_archive, check_sheet_sizes, vn_int

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 60
# Cells of a sheet, counted before openpyxl parses it (documents.archive.check_sheet_sizes):
# 20,000 rows of 20 filled columns; parsing more costs seconds of a worker for nothing.
MAX_CELLS = 400_000
CSV_ENCODINGS = ("utf-8-sig", "cp1258", "cp1252")  # single-byte: see _single_byte_encoding


class TableError(Exception):
    """A file that cannot be read as a table; ``message`` is Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


Cell = object


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[Cell]]
    first_row: int  # spreadsheet row number of rows[0] (the header is the row above)


def read_table(file_name: str, data: bytes) -> Table:
    """Headers (first non-empty row, blanks named "Cột N") and data rows of an XLSX or CSV file."""
    if not data:
        raise TableError("Tệp rỗng: không có dữ liệu nào để nhập.")
    if len(data) > MAX_BYTES:
        raise TableError(
            f"Tệp quá lớn ({vn_int(len(data) // 1024)} KB; tối đa"
            f" {MAX_BYTES // (1024 * 1024)} MB)."
        )
    name = (file_name or "").lower()
    if data[:4] == b"PK\x03\x04" or name.endswith((".xlsx", ".xlsm")):
        rows = _xlsx_rows(data)
    elif name.endswith(".xls"):
        raise TableError(
            "Tệp .xls (Excel 97-2003) chưa được hỗ trợ: hãy mở bằng Excel và lưu lại dưới dạng"
            " .xlsx hoặc .csv."
        )
    else:
        rows = _csv_rows(data)
    return _split_header(rows)


def _xlsx_rows(data: bytes) -> list[list[Cell]]:
    from openpyxl import load_workbook

    try:
        check_archive(data)  # a zip bomb is refused before openpyxl expands anything
        check_sheet_sizes(data, max_rows=MAX_ROWS + 1, max_cells=MAX_CELLS, header_rows=1)
    except ArchiveError as exc:
        raise TableError(exc.message) from exc
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise TableError(
            "Không đọc được tệp Excel: tệp bị hỏng hoặc không phải định dạng .xlsx."
        ) from exc
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise TableError(
            "Không đọc được tệp Excel: tệp bị hỏng hoặc không phải định dạng .xlsx."
        ) from exc
    except Exception as exc:  # openpyxl raises assorted errors on malformed XML
        raise TableError(
            "Không đọc được tệp Excel: tệp bị hỏng hoặc không phải định dạng .xlsx."
        ) from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise TableError("Tệp Excel không có trang tính nào.")
        declared = _declared_rows(sheet)
        if declared is not None and declared > MAX_ROWS + 1:
            raise TableError(_too_many_rows(f"{vn_int(declared - 1)} dòng dữ liệu"))
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row[:MAX_COLUMNS]))
            if len(rows) > MAX_ROWS + 1:
                raise TableError(_too_many_rows(f"hơn {vn_int(MAX_ROWS)} dòng dữ liệu"))
        return rows
    finally:
        workbook.close()


def _declared_rows(sheet) -> int | None:
    """The row count the sheet's own ``<dimension>`` declares (read without parsing rows)."""
    try:
        return int(sheet.max_row) if sheet.max_row else None
    except (TypeError, ValueError):
        return None


def _too_many_rows(found: str) -> str:
    return (
        f"Tệp có quá nhiều dòng: {found}, vượt giới hạn {vn_int(MAX_ROWS)} dòng mỗi lần nhập."
        " Hãy chia thành nhiều tệp nhỏ hơn."
    )


def _decode(data: bytes) -> str:
    # Excel's "Unicode Text" is UTF-16 with a byte-order mark (tab-separated): NULs are normal.
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return unicodedata.normalize("NFC", data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise TableError("Tệp UTF-16 bị hỏng; hãy lưu lại dưới dạng CSV UTF-8.") from exc
    if b"\x00" in data[:4096]:
        raise TableError(
            "Tệp không phải văn bản CSV (có ký tự nhị phân). Hãy chọn tệp .xlsx hoặc .csv."
        )
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    encoding = _single_byte_encoding(data)
    try:
        # Windows-1258 writes tone marks as combining characters: compose them.
        return unicodedata.normalize("NFC", data.decode(encoding))
    except UnicodeDecodeError as exc:
        raise TableError(UNKNOWN_ENCODING) from exc


UNKNOWN_ENCODING = (
    "Không nhận ra bảng mã của tệp CSV. Các bảng mã được nhận: UTF-8 (khuyên dùng: trong Excel"
    " chọn “CSV UTF-8”), UTF-16 (Excel “Unicode Text”) và Windows-1258 (tiếng Việt). Hãy lưu"
    " lại tệp bằng một trong các bảng mã đó."
)

# Bytes Windows-1258 (Vietnamese) and Windows-1252 (Western Europe, like Latin-1) read apart.
# Only in Vietnamese: Đ Ơ Ư đ ơ ư and the combining tone marks (grave, hook, tilde, acute, dot),
# which follow a vowel; the same bytes are Ð Õ Ý ð õ ý and Ì Ò Þ ì ò in Windows-1252.
_VIETNAMESE_LETTERS = frozenset(b"\xd0\xd5\xdd\xf0\xf5\xfd")
_TONE_MARKS = frozenset(b"\xcc\xd2\xde\xec\xf2")
_DIFFERING = _VIETNAMESE_LETTERS | _TONE_MARKS | frozenset(b"\xc3\xe3\xfe\x8a\x8e\x9a\x9e")
# Vowels a tone mark may follow in Windows-1258: ASCII, â ê ô ơ ư ă (both cases) and the
# precomposed accented vowels of the code page.
_VOWELS = frozenset(b"aeiouyAEIOUY\xc2\xca\xd4\xd5\xdd\xc3\xe2\xea\xf4\xf5\xfd\xe3")


def _single_byte_encoding(data: bytes) -> str:
    """Windows-1258 or Windows-1252 for a file that is not UTF-8, decided by evidence.

    Windows-1258 decodes almost any bytes, so a Western file (Latin-1, Windows-1252) would come
    out garbled where the two code pages differ: ``ì`` becomes a tone mark, ``õ`` an ``ơ``. When
    no such byte occurs both read the same. Otherwise the file is Vietnamese if it shows ơ/ư/đ
    or tone marks after vowels and no tone mark elsewhere, Western if it shows none of these;
    a file that is both is refused with the encodings accepted.
    """
    if not any(byte in _DIFFERING for byte in data):
        return "cp1258"
    vietnamese = western = 0
    previous = 0
    for byte in data:
        if byte in _VIETNAMESE_LETTERS:
            vietnamese += 1
        elif byte in _TONE_MARKS:
            if previous in _VOWELS:
                vietnamese += 1
            else:
                western += 1
        previous = byte
    if vietnamese and not western:
        return "cp1258"
    if not vietnamese:
        return "cp1252"
    raise TableError(UNKNOWN_ENCODING)


def _csv_rows(data: bytes) -> list[list[Cell]]:
    text = _decode(data)
    if "\x00" in text:  # past the first 4 KB, or a UTF-16 NUL: no cell may carry one
        raise TableError(
            "Tệp không phải văn bản CSV (có ký tự nhị phân). Hãy chọn tệp .xlsx hoặc .csv."
        )
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows: list[list[Cell]] = []
        for row in csv.reader(io.StringIO(text), dialect):
            rows.append(list(row[:MAX_COLUMNS]))
            if len(rows) > MAX_ROWS + 1:
                raise TableError(_too_many_rows(f"hơn {vn_int(MAX_ROWS)} dòng dữ liệu"))
    except csv.Error as exc:
        raise TableError(f"Tệp CSV không đúng định dạng: {exc}.") from exc
    return rows


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _split_header(rows: list[list[Cell]]) -> Table:
    skipped = 0
    while rows and all(_blank(c) for c in rows[0]):
        rows.pop(0)
        skipped += 1
    if not rows:
        raise TableError("Tệp không có dòng tiêu đề và dữ liệu nào.")
    width = max(len(r) for r in rows)
    header_row = rows[0] + [None] * (width - len(rows[0]))
    headers: list[str] = []
    for index, cell in enumerate(header_row, start=1):
        name = _cell_text(cell) or f"Cột {index}"
        while name in headers:  # two columns with one title: keep both apart
            name = f"{name} ({index})"
        headers.append(name)
    data = [r + [None] * (width - len(r)) for r in rows[1:]]
    if not any(not all(_blank(c) for c in r) for r in data):
        raise TableError("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.")
    return Table(headers, data, first_row=skipped + 2)


def _cell_text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(unicodedata.normalize("NFC", str(cell)).split())


def cell_text(cell: Cell) -> str:
    """A cell as one line of text (dates in ISO form)."""
    return _cell_text(cell)
