"""How wide things are on a Party document's page (pure, no python-docx): the A4 page and its
margins per Hướng dẫn 36-HD/VPTW, and the estimated widths of table text and columns that
``documents.docx_layout`` lays its tables out with."""

from __future__ import annotations

from collections.abc import Sequence

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]

# Column widths are estimated, not measured (no font metrics here): at 12 pt Times a capital is
# about 3 mm wide, a small letter or digit about 2.1 mm, a space 1.1 mm; bold adds about 10%;
# a cell has about 2 mm of padding each side.
_CAPITAL_MM, _SMALL_MM, _SPACE_MM, _BOLD = 3.0, 2.1, 1.1, 1.1
_WIDE_MM, _WIDE = 3.9, frozenset("MWmw")  # "Muộn" broke as "Muộ/n" with the plain estimate
_CELL_PADDING_MM = 4.4
_WORD_SLACK_MM = 1.0  # rounding in the renderer must not push the last letter of a word down
_MIN_COLUMN_MM = 10.0


def cell_text(value: object) -> str:
    """A table cell's value as printed: nothing for None, a decimal comma for a float."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def fit_widths(widths_mm: Sequence[float], total_mm: float = TEXT_WIDTH_MM) -> list[float]:
    """Scale given widths down so the table never runs past the right margin."""
    widths = [max(0.0, float(w)) for w in widths_mm]
    whole = sum(widths)
    if whole <= total_mm or whole == 0:
        return widths
    return [w * total_mm / whole for w in widths]


def text_mm(text: str, *, bold: bool = False) -> float:
    """Estimated printed width of ``text`` at the table size."""
    width = sum(
        _SPACE_MM if char.isspace()
        else _WIDE_MM if char in _WIDE
        else _CAPITAL_MM if char.isupper()
        else _SMALL_MM
        for char in text
    )
    return width * (_BOLD if bold else 1.0)


def _text_extent(value: object, bold: bool) -> tuple[float, float]:
    """(longest word, longest line) in mm: a column cannot be narrower than the first without
    breaking a word, and needs no more than the second."""
    text = cell_text(value)
    words = max((text_mm(word, bold=bold) for word in text.split()), default=0.0)
    lines = max((text_mm(line, bold=bold) for line in text.splitlines()), default=0.0)
    return words, lines


def column_widths(headers: Sequence[object], rows: Sequence[Sequence[object]],
                  total_mm: float = TEXT_WIDTH_MM) -> list[float]:
    """Widths that sum to ``total_mm``, fitted to the content like a browser's automatic layout.

    Each column first gets room for its longest word (so "STT" stays narrow and "Lĩnh vực" does
    not break inside a word); the rest of the width goes to the columns whose text still wraps,
    in proportion to how much more they could use. Equal widths, the default before, squeezed
    the names of units and topics into narrow columns next to wide columns of numbers.
    """
    columns = len(headers)
    if not columns:
        return []
    least = [0.0] * columns
    most = [0.0] * columns
    for number, row in enumerate([headers, *rows]):
        for index, value in enumerate(list(row)[:columns]):
            words, lines = _text_extent(value, bold=number == 0)
            if number == 0:
                # A header reads well on two lines; a long one ("Số đơn vị phản ánh") should not
                # take the width the unit and topic names need.
                lines = max(words, lines / 2)
            least[index] = max(least[index], words + _CELL_PADDING_MM + _WORD_SLACK_MM)
            most[index] = max(most[index], lines + _CELL_PADDING_MM)
    least = [max(_MIN_COLUMN_MM, w) for w in least]
    most = [max(low, high) for low, high in zip(least, most, strict=True)]
    if sum(least) >= total_mm:
        return fit_widths(least, total_mm)
    if sum(most) <= total_mm:
        # Everything fits on one line: spread the spare width so the table spans the text block.
        spare = total_mm - sum(most)
        return [w + spare * w / sum(most) for w in most]
    spare = total_mm - sum(least)
    wants = [high - low for low, high in zip(least, most, strict=True)]
    return [low + spare * want / sum(wants) for low, want in zip(least, wants, strict=True)]
