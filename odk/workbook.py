"""Reading an XLSForm workbook's headers (``.xlsx`` or legacy ``.xls``) to locate problems."""

from __future__ import annotations

import io
from dataclasses import dataclass

from odk.issues import column_letter

XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

@dataclass
class Sheet:
    headers: list[str]  # as written, index = column position
    rows: list[dict[str, str]]  # pyxform's rows, index 0 = spreadsheet row 2

    def letter_of(self, header: str) -> str:
        target = header.strip().lower()
        for index, name in enumerate(self.headers):
            if name and name.strip().lower() == target:
                return column_letter(index)
        return ""


def detect_file_type(content: bytes, filename: str) -> str | None:
    if content.startswith(ZIP_MAGIC):
        return "xlsx"
    if content.startswith(XLS_MAGIC):
        return "xls"
    return None


def read_headers(content: bytes, file_type: str) -> dict[str, list[str]]:
    """First row of each sheet, lower-cased sheet name → header cells as written."""
    headers: dict[str, list[str]] = {}
    if file_type == "xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            for ws in wb.worksheets:
                first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
                headers[ws.title.lower()] = [
                    "" if cell is None else str(cell).strip() for cell in first
                ]
        finally:
            wb.close()
    else:
        import xlrd

        book = xlrd.open_workbook(file_contents=content)
        try:
            for sheet in book.sheets():
                first = sheet.row_values(0) if sheet.nrows else []
                headers[sheet.name.lower()] = [str(cell).strip() for cell in first]
        finally:
            book.release_resources()
    if len(headers) == 1 and "survey" not in headers:
        # pyxform reads a lone sheet of any name as the survey sheet.
        headers = {"survey": next(iter(headers.values()))}
    return headers
