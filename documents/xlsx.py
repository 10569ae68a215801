"""Tables to XLSX with openpyxl (pure, no Django): one sheet per table, ready to print or filter.

Every sheet gets a bold, shaded header row that stays frozen while scrolling, an autofilter, and
column widths fitted to the content, so the office can open it in Excel and work at once.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Sequence
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="DDE3EA", end_color="DDE3EA")
MIN_WIDTH, MAX_WIDTH = 6, 60
_BAD_TITLE_CHARS = re.compile(r"[\\/*?:\[\]]")


def sheet_title(title: str, taken: Sequence[str] = ()) -> str:
    """A valid, unique sheet name: no []:*?/\\ and at most 31 characters."""
    base = _BAD_TITLE_CHARS.sub(" ", title or "Bảng").strip()[:31].strip() or "Bảng"
    name, counter = base, 2
    lowered = {existing.lower() for existing in taken}
    while name.lower() in lowered:
        suffix = f" ({counter})"
        name = base[: 31 - len(suffix)] + suffix
        counter += 1
    return name


def _target_sheet(target: Workbook | Worksheet, title: str) -> Worksheet:
    if isinstance(target, Worksheet):
        target.title = sheet_title(title, [s.title for s in target.parent.worksheets
                                           if s is not target])
        return target
    sheets = target.worksheets
    # A new Workbook comes with one empty "Sheet": use it for the first table.
    if len(sheets) == 1 and sheets[0].dimensions == "A1:A1" and sheets[0]["A1"].value is None:
        sheet = sheets[0]
        sheet.title = sheet_title(title)
        return sheet
    return target.create_sheet(sheet_title(title, [s.title for s in sheets]))


def _keep_text(cell, value: object) -> None:
    """openpyxl stores a string starting with "=" as a formula: user text stays text."""
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"


def write_table(
    target: Workbook | Worksheet,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
) -> Worksheet:
    """Write one table on its own sheet (or on the given sheet) and return the sheet."""
    sheet = _target_sheet(target, title)
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column, value=str(header))
        _keep_text(cell, header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    widths = [len(str(header)) for header in headers]
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column, value=value)
            _keep_text(cell, value)
            if column <= len(widths):
                longest = max((len(part) for part in str(value or "").splitlines()), default=0)
                widths[column - 1] = max(widths[column - 1], longest)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(
            MAX_WIDTH, max(MIN_WIDTH, width + 2)
        )
    sheet.freeze_panes = "A2"
    if headers:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(rows) + 1)}"
    return sheet


def save_workbook(workbook: Workbook, out: str | os.PathLike | BinaryIO | None = None) -> bytes:
    """Return the workbook's bytes; also write them to ``out`` (a path or binary file) if given."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    if out is not None:
        if isinstance(out, str | os.PathLike):
            with open(out, "wb") as handle:
                handle.write(content)
        else:
            out.write(content)
    return content
