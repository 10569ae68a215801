"""Party documents in DOCX, laid out per Hướng dẫn 36-HD/VPTW (pure python-docx, no Django).

The layout the guidance fixes and this module keeps: A4 portrait; margins 20 mm top and bottom,
30 mm left, 15 mm right; Times New Roman throughout; a two-column header block (issuing body on the
left with its superior above it, "*" and the document number; "ĐẢNG CỘNG SẢN VIỆT NAM" on the right,
bold and underlined, with place and date in italics below); the document type and its title
(trích yếu) bold and centred; the body; "Nơi nhận:" bottom left and the signature block bottom
right.

Word picks a font per script: a run whose ``rFonts`` names only ``ascii`` is drawn in the theme font
for Vietnamese characters outside Latin-1 in some versions, so every run and style here names all
four slots (ascii, hAnsi, eastAsia, cs) and the theme attributes are removed.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
RECIPIENTS_PT = 12
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]
_AFTER_RPR = ("w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr")
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


@dataclass
class DocTable:
    """A bordered table in the body: a caption, a header row and rows of cells."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]
    widths_mm: Sequence[float] | None = None


@dataclass
class DocSection:
    """A body section: a heading, its text (paragraphs separated by newlines), then tables."""

    heading: str
    text: str = ""
    tables: Sequence[DocTable] = ()


@dataclass
class PartyDocument:
    """Everything a report needs, as plain data."""

    superior_body: str
    issuing_body: str
    number: str
    place: str
    date: dt.date
    title: str
    sections: Sequence[DocSection] = ()
    recipients: Sequence[str] = ()
    doc_type: str = "BÁO CÁO"
    symbol: str = "BC/ĐU"
    on_behalf: str = "T/M BAN THƯỜNG VỤ"
    signer_title: str = "BÍ THƯ"
    signer_name: str = ""
    extra: dict = field(default_factory=dict)


def number_line(number: str, symbol: str = "BC/ĐU") -> str:
    """``Số 12-BC/ĐU``; a blank number leaves room to write it by hand once registered."""
    value = (number or "").strip()
    if value.lower().startswith("số"):
        value = value[2:].strip()
    if not value:
        return f"Số     -{symbol}"
    if "-" in value:
        return f"Số {value}"
    return f"Số {value}-{symbol}"


def date_line(place: str, day: dt.date) -> str:
    # The guidance writes days and months below 10 with a leading zero ("ngày 05 tháng 01").
    return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


# --- fonts -------------------------------------------------------------------------------------


def _set_rfonts(rpr, name: str = FONT) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in _THEME_ATTRS:
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)


def _apply_fonts_to_styles(document: DocxDocument) -> None:
    styles_element = document.styles.element
    defaults = styles_element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            rpr = rpr_default.find(qn("w:rPr"))
            if rpr is None:
                rpr = OxmlElement("w:rPr")
                rpr_default.append(rpr)
            _set_rfonts(rpr)
    for style in document.styles:
        if style.type == WD_STYLE_TYPE.LIST:
            continue  # numbering styles carry no text formatting
        element = style.element
        rpr = element.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            # The schema orders a style's children: rPr comes before the table properties.
            later = [element.find(qn(tag)) for tag in _AFTER_RPR]
            later = [child for child in later if child is not None]
            if later:
                later[0].addprevious(rpr)
            else:
                element.append(rpr)
        _set_rfonts(rpr)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)


def _run(paragraph, text: str, *, size: float = BODY_PT, bold: bool = False,
         italic: bool = False, underline: bool = False):
    run = paragraph.add_run(text)
    run.font.name = FONT
    _set_rfonts(run._element.get_or_add_rPr())
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    run.underline = underline
    return run


def _paragraph(container, text: str = "", *, align=WD_ALIGN_PARAGRAPH.LEFT, size: float = BODY_PT,
               bold: bool = False, italic: bool = False, underline: bool = False,
               first_line_mm: float | None = None, after_pt: float = 0):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after_pt)
    if first_line_mm is not None:
        paragraph.paragraph_format.first_line_indent = Mm(first_line_mm)
    if text:
        _run(paragraph, text, size=size, bold=bold, italic=italic, underline=underline)
    return paragraph


def _first_paragraph(cell, text: str, **kwargs):
    """Write into the cell's existing empty paragraph rather than leaving a blank line above."""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = kwargs.pop("align", WD_ALIGN_PARAGRAPH.LEFT)
    _run(paragraph, text, **kwargs)
    return paragraph


# --- page and tables ---------------------------------------------------------------------------


def _page_setup(document: DocxDocument) -> None:
    for section in document.sections:
        section.page_width = Mm(PAGE_WIDTH_MM)
        section.page_height = Mm(PAGE_HEIGHT_MM)
        section.top_margin = Mm(MARGINS_MM["top"])
        section.bottom_margin = Mm(MARGINS_MM["bottom"])
        section.left_margin = Mm(MARGINS_MM["left"])
        section.right_margin = Mm(MARGINS_MM["right"])


def _set_borders(table, value: str) -> None:
    """``value`` "single" draws every border; "nil" removes them (the header block)."""
    tbl_pr = table._tbl.tblPr
    borders = tbl_pr.find(qn("w:tblBorders"))
    if borders is None:
        borders = OxmlElement("w:tblBorders")
        tbl_pr.append(borders)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = borders.find(qn(f"w:{edge}"))
        if element is None:
            element = OxmlElement(f"w:{edge}")
            borders.append(element)
        element.set(qn("w:val"), value)
        if value != "nil":
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")


def _set_widths(table, widths_mm: Sequence[float]) -> None:
    table.autofit = False
    # LibreOffice reads the grid, Word the cells: set both so they agree.
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths_mm, strict=False):
        column.w = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width)


def _mark_header_row(row) -> None:
    """Repeat the header row on each page of a long table."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def add_table(document: DocxDocument, table_data: DocTable) -> None:
    if table_data.title:
        _paragraph(document, table_data.title, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True,
                   size=TABLE_PT + 1)
    columns = len(table_data.headers)
    table = document.add_table(rows=1, cols=columns)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_borders(table, "single")
    for cell, header in zip(table.rows[0].cells, table_data.headers, strict=True):
        _first_paragraph(cell, str(header), size=TABLE_PT, bold=True,
                         align=WD_ALIGN_PARAGRAPH.CENTER)
    _mark_header_row(table.rows[0])
    for values in table_data.rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=False):
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            align = WD_ALIGN_PARAGRAPH.CENTER if numeric else WD_ALIGN_PARAGRAPH.LEFT
            _first_paragraph(cell, _cell_text(value), size=TABLE_PT, align=align)
    widths = table_data.widths_mm or [TEXT_WIDTH_MM / columns] * columns
    _set_widths(table, widths)
    _paragraph(document)


# --- the blocks --------------------------------------------------------------------------------


def _header_block(document: DocxDocument, data: PartyDocument) -> None:
    table = document.add_table(rows=1, cols=2)
    _set_borders(table, "nil")
    _set_widths(table, [75, TEXT_WIDTH_MM - 75])
    left, right = table.rows[0].cells
    center = WD_ALIGN_PARAGRAPH.CENTER
    _first_paragraph(left, data.superior_body.upper(), align=center)
    _paragraph(left, data.issuing_body.upper(), align=center, bold=True)
    _paragraph(left, "*", align=center)
    _paragraph(left, number_line(data.number, data.symbol), align=center)
    _first_paragraph(right, "ĐẢNG CỘNG SẢN VIỆT NAM", align=center, bold=True, underline=True,
                     size=15)
    _paragraph(right, "")
    _paragraph(right, date_line(data.place, data.date), align=center, italic=True)


def _title_block(document: DocxDocument, data: PartyDocument) -> None:
    _paragraph(document)
    _paragraph(document, data.doc_type.upper(), align=WD_ALIGN_PARAGRAPH.CENTER, bold=True,
               size=16)
    _paragraph(document, data.title, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    _paragraph(document, "-----", align=WD_ALIGN_PARAGRAPH.CENTER, after_pt=6)


def _body(document: DocxDocument, data: PartyDocument) -> None:
    for section in data.sections:
        _paragraph(document, section.heading, bold=True, first_line_mm=10, after_pt=3)
        for line in (section.text or "").splitlines():
            if line.strip():
                paragraph = _paragraph(document, line.strip(), first_line_mm=10, after_pt=3,
                                       align=WD_ALIGN_PARAGRAPH.JUSTIFY)
                paragraph.paragraph_format.line_spacing = 1.15
        for table_data in section.tables:
            add_table(document, table_data)


def _closing_block(document: DocxDocument, data: PartyDocument) -> None:
    _paragraph(document)
    table = document.add_table(rows=1, cols=2)
    _set_borders(table, "nil")
    _set_widths(table, [TEXT_WIDTH_MM / 2, TEXT_WIDTH_MM / 2])
    left, right = table.rows[0].cells
    _first_paragraph(left, "Nơi nhận:", bold=True, italic=True, size=BODY_PT)
    for line in data.recipients:
        if line.strip():
            _paragraph(left, line.strip(), size=RECIPIENTS_PT)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _first_paragraph(right, data.on_behalf.upper(), align=center, bold=True)
    _paragraph(right, data.signer_title.upper(), align=center, bold=True)
    for _ in range(4):  # room for the signature and the seal
        _paragraph(right, "")
    _paragraph(right, data.signer_name, align=center, bold=True)


def build_document(data: PartyDocument) -> DocxDocument:
    """The whole document, ready to save."""
    document = Document()
    _page_setup(document)
    _apply_fonts_to_styles(document)
    # The default template starts empty; python-docx may still hold one empty paragraph.
    for paragraph in list(document.paragraphs):
        paragraph._element.getparent().remove(paragraph._element)
    _header_block(document, data)
    _title_block(document, data)
    _body(document, data)
    _closing_block(document, data)
    _paragraph(document)  # Word expects the body to end with a paragraph, not a table
    return document


def render_docx(data: PartyDocument, out: str | os.PathLike | BinaryIO | None = None) -> bytes:
    """Build and return the bytes; also write them to ``out`` (a path or binary file) if given."""
    buffer = io.BytesIO()
    build_document(data).save(buffer)
    content = buffer.getvalue()
    if out is not None:
        if isinstance(out, str | os.PathLike):
            with open(out, "wb") as handle:
                handle.write(content)
        else:
            out.write(content)
    return content
