"""Party documents in DOCX, laid out per Hướng dẫn 36-HD/VPTW (pure python-docx, no Django).

The layout the guidance fixes and this module keeps: A4 portrait; margins 20 mm top and bottom,
30 mm left, 15 mm right; Times New Roman throughout; a two-column header block (issuing body on the
left with its superior above it, "*" and the document number; "ĐẢNG CỘNG SẢN VIỆT NAM" on the right,
bold and underlined, with place and date in italics below); the document type and its title
(trích yếu) bold and centred; the body; "Nơi nhận:" bottom left and the signature block bottom
right; page numbers in Arabic numerals, 14 pt upright, centred in the top margin, none on the first
page. The signature block is kept on one page with the text before it (never alone on the last
page), and the document's own properties name its title, the issuing body and when it was made.

Word picks a font per script: a run whose ``rFonts`` names only ``ascii`` is drawn in the theme font
for Vietnamese characters outside Latin-1 in some versions, so every run and style here names all
four slots (ascii, hAnsi, eastAsia, cs) and the theme attributes are removed.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from documents.docx_widths import (
    MARGINS_MM,
    PAGE_HEIGHT_MM,
    PAGE_WIDTH_MM,
    cell_text,
    column_widths,
    fit_widths,
)

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
RECIPIENTS_PT = 12
# The header block: the issuing body on the left needs the wider column, or "ĐẢNG BỘ THÀNH PHỐ
# HẢI PHÒNG" at 14 pt breaks before its last word; the right one still holds the 15 pt title.
HEADER_LEFT_MM = 86
CLOSING_LEFT_MM = 80  # "Nơi nhận" on the left; the signature block centred in the rest
RECIPIENT_HANG_MM = 2.5
PARAGRAPH_AFTER_PT = 6  # the guidance asks at least 6 pt between paragraphs
_NUMERIC = re.compile(r"^[-+]?[\d.,]+%?$|^—$")
_AFTER_RPR = ("w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr")
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


@dataclass
class DocTable:
    """A bordered table in the body: a caption, a header row and rows of cells."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]
    widths_mm: Sequence[float] | None = None
    # Rows of long text (an annex of whole unit reports) may run onto the next page; a row
    # taller than a page could not be laid out at all otherwise.
    split_rows: bool = False


@dataclass
class DocImage:
    """A picture in the body (a chart as PNG bytes), centred, with its caption under it."""

    png: bytes
    width_mm: float = 150
    caption: str = ""


@dataclass
class DocSection:
    """A body section: a heading, its text (paragraphs separated by newlines), then tables and
    pictures. A heading that is empty is left out (the text continues the section above)."""

    heading: str
    text: str = ""
    tables: Sequence[DocTable] = ()
    images: Sequence[DocImage] = ()
    # Text after the tables. A body ending with a table that began on an earlier page cannot keep
    # its last rows with the signature in LibreOffice (it does not split a table's continuation
    # again to honour "keep with next"): a line of text after it can, and does.
    after: str = ""


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
    # Appendices after the signature, each on a new page under "PHỤ LỤC".
    annex: Sequence[DocSection] = ()
    # When the document was made (its created and modified properties); now when not given.
    generated_at: dt.datetime | None = None
    # A4 turned sideways for a wide table (a bản tổng hợp ý kiến góp ý): the same margins as
    # read, so the text block is 297 - 30 - 15 = 252 mm wide.
    landscape: bool = False


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


@functools.lru_cache(maxsize=64)
def _run_properties(size: float, bold: bool, italic: bool, underline: bool):
    """The ``w:rPr`` of a run in this format, built once through python-docx (which knows the
    schema order of its children) and then copied: setting the properties run by run through
    python-docx took most of the export time of a 55-unit report (about 1 s of 1.2 s)."""
    run = Run(OxmlElement("w:r"), None)
    _set_rfonts(run._r.get_or_add_rPr())
    run.font.size = Pt(size)
    # Only what differs from the default is written; "not bold" is the default.
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if underline:
        run.underline = True
    return run._r.rPr


def _run(paragraph, text: str, *, size: float = BODY_PT, bold: bool = False,
         italic: bool = False, underline: bool = False):
    r = OxmlElement("w:r")
    r.append(copy.deepcopy(_run_properties(size, bold, italic, underline)))
    paragraph._p.append(r)
    run = Run(r, paragraph)
    if "\n" in text or "\t" in text:
        run.text = text  # python-docx turns these into breaks and tabs
    else:
        t = OxmlElement("w:t")
        t.text = text
        t.set(qn("xml:space"), "preserve")
        r.append(t)
    return run


def _paragraph(container, text: str = "", *, align=WD_ALIGN_PARAGRAPH.LEFT, size: float = BODY_PT,
               bold: bool = False, italic: bool = False, underline: bool = False,
               first_line_mm: float | None = None, after_pt: float = 0,
               keep_with_next: bool = False):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after_pt)
    if first_line_mm is not None:
        paragraph.paragraph_format.first_line_indent = Mm(first_line_mm)
    if keep_with_next:
        # A heading or a caption left alone at the foot of a page reads as a layout error.
        paragraph.paragraph_format.keep_with_next = True
    if text:
        _run(paragraph, text, size=size, bold=bold, italic=italic, underline=underline)
    return paragraph


def _first_paragraph(cell, text: str, **kwargs):
    """Write into the cell's existing empty paragraph rather than leaving a blank line above."""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = kwargs.pop("align", WD_ALIGN_PARAGRAPH.LEFT)
    _run(paragraph, text, **kwargs)
    return paragraph


# --- page, page numbers, properties ------------------------------------------------------------

HEADER_DISTANCE_MM = 10  # the page number sits in the 20 mm top margin, above the text
KEEP_BEFORE_SIGNATURE = 2  # body lines (or table rows) that go to a new page with the signature
_CORE_TEXT_LIMIT = 255  # what the package's core properties hold per field


def _page_number_field(paragraph) -> None:
    """A PAGE field (begin, instruction, separate, a placeholder "1", end), 14 pt upright."""
    parts = [("fldChar", "begin"), ("instrText", " PAGE "), ("fldChar", "separate"),
             ("t", "1"), ("fldChar", "end")]
    for tag, value in parts:
        r = OxmlElement("w:r")
        r.append(copy.deepcopy(_run_properties(BODY_PT, False, False, False)))
        element = OxmlElement(f"w:{tag}")
        if tag == "fldChar":
            element.set(qn("w:fldCharType"), value)
        else:
            element.text = value
            element.set(qn("xml:space"), "preserve")
        r.append(element)
        paragraph._p.append(r)


def _page_numbers(document: DocxDocument) -> None:
    """Hướng dẫn 36: numbered from the second page, centred in the top margin."""
    for section in document.sections:
        section.header_distance = Mm(HEADER_DISTANCE_MM)
        section.different_first_page_header_footer = True  # the first page shows no number
        header = section.header
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_number_field(paragraph)
        section.first_page_header.is_linked_to_previous = False


def _core_properties(document: DocxDocument, data: PartyDocument) -> None:
    """The file's own title, author (the issuing body) and dates, not python-docx's of 2013."""
    made = data.generated_at or dt.datetime.now(dt.UTC)
    if made.tzinfo is not None:  # the package stores UTC ("...Z"); python-docx writes it as is
        made = made.astimezone(dt.UTC).replace(tzinfo=None)
    props = document.core_properties
    props.title = data.title[:_CORE_TEXT_LIMIT]
    props.subject = data.doc_type.capitalize()[:_CORE_TEXT_LIMIT]
    props.author = data.issuing_body[:_CORE_TEXT_LIMIT]
    props.last_modified_by = data.issuing_body[:_CORE_TEXT_LIMIT]
    props.created = made
    props.modified = made
    props.last_printed = made
    props.revision = 1
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.language = "vi-VN"


# --- tables ------------------------------------------------------------------------------------


def text_width_mm(document: DocxDocument) -> float:
    """The width between the margins of the document's (first) section, in mm."""
    section = document.sections[0]
    return round((section.page_width - section.left_margin - section.right_margin) / Mm(1), 1)


def _page_setup(document: DocxDocument, landscape: bool = False) -> None:
    for section in document.sections:
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width = Mm(PAGE_HEIGHT_MM)
            section.page_height = Mm(PAGE_WIDTH_MM)
        else:
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
    # Word lays a table out from tblW/tblLayout and the cells, LibreOffice from the grid: set all
    # of them so both draw the same widths.
    tbl_pr = table._tbl.tblPr
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(sum(round(Mm(w).twips) for w in widths_mm)))
    for column, value in zip(table._tbl.tblGrid.gridCol_lst, widths_mm, strict=False):
        column.w = Mm(value)
    for row in table.rows:
        for cell, value in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(value)


def _row_flag(row, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _mark_header_row(row) -> None:
    """Repeat the header row on each page of a long table."""
    _row_flag(row, "w:tblHeader")


def _keep_row_whole(row) -> None:
    """A row is not split across two pages (half a unit's line on each)."""
    _row_flag(row, "w:cantSplit")


def _is_numeric(value: object) -> bool:
    """Counts and rates ("12", "45,5%", "—" for no rate) are centred; words are left-aligned."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and bool(_NUMERIC.match(value.strip()))


def _row_template(table, widths_mm: Sequence[float], keep_whole: bool):
    """An empty body row (its cells' widths, "keep on one page" when asked), to be copied: a row
    added through python-docx's ``add_row`` looks up the table's grid and inserts the row by
    scanning the table's children, which made a table of thousands of rows quadratic (a bản tổng
    hợp of 4,500 comments' groups took 12 s, almost all of it there)."""
    row = table.add_row()
    if keep_whole:
        _keep_row_whole(row)
    for cell, value in zip(row.cells, widths_mm, strict=False):
        cell.width = Mm(value)
    template = row._tr
    template.getparent().remove(template)
    return template


def add_table(document: DocxDocument, table_data: DocTable) -> None:
    if table_data.title:
        _paragraph(document, table_data.title, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True,
                   size=TABLE_PT + 1, keep_with_next=True)
    total = text_width_mm(document)
    if table_data.widths_mm:
        widths = fit_widths(table_data.widths_mm, total)
    else:
        widths = column_widths(table_data.headers, table_data.rows, total)
    columns = len(table_data.headers)
    table = document.add_table(rows=1, cols=columns)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_borders(table, "single")
    for cell, header in zip(table.rows[0].cells, table_data.headers, strict=True):
        _first_paragraph(cell, str(header), size=TABLE_PT, bold=True,
                         align=WD_ALIGN_PARAGRAPH.CENTER)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _mark_header_row(table.rows[0])
    _keep_row_whole(table.rows[0])
    _set_widths(table, widths)
    template = _row_template(table, widths, keep_whole=not table_data.split_rows)
    tbl = table._tbl
    for values in table_data.rows:
        tr = copy.deepcopy(template)
        tbl.append(tr)  # rows are the table's last children: appending keeps the order
        for tc, value in zip(tr.iterchildren(qn("w:tc")), values, strict=False):
            _fill_cell(tc, cell_text(value), centred=_is_numeric(value))
    _paragraph(document)


@functools.lru_cache(maxsize=4)
def _paragraph_properties(align):
    """A cell paragraph's ``w:pPr`` for ``align``, built once through python-docx and copied."""
    paragraph = Paragraph(OxmlElement("w:p"), None)
    paragraph.alignment = align
    return paragraph._p.pPr


def _fill_cell(tc, text: str, *, centred: bool) -> None:
    """Write ``text`` into a body cell's empty paragraph at the table size, as ``_first_paragraph``
    would, but with copied properties and plain lxml: through python-docx each cell cost about
    half a millisecond of element look-ups (seconds for a bản tổng hợp of thousands of rows)."""
    p = tc.find(qn("w:p"))
    align = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT
    p.insert(0, copy.deepcopy(_paragraph_properties(align)))
    r = OxmlElement("w:r")
    r.append(copy.deepcopy(_run_properties(TABLE_PT, False, False, False)))
    for number, line in enumerate(text.split("\n")):
        if number:
            r.append(OxmlElement("w:br"))
        if line:
            t = OxmlElement("w:t")
            t.text = line.replace("\t", " ")
            t.set(qn("xml:space"), "preserve")
            r.append(t)
    p.append(r)


# --- the blocks --------------------------------------------------------------------------------


def _no_cell_margins(table) -> None:
    """The header and signature blocks are laid out as text, not as boxes: no cell padding, so
    the centred lines sit where the guidance puts them and use the whole column."""
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.append(margins)


def _layout_table(document: DocxDocument, widths_mm: Sequence[float]):
    table = document.add_table(rows=1, cols=len(widths_mm))
    _set_borders(table, "nil")
    _no_cell_margins(table)
    _set_widths(table, widths_mm)
    _keep_row_whole(table.rows[0])
    return table


def _header_block(document: DocxDocument, data: PartyDocument) -> None:
    table = _layout_table(document, [HEADER_LEFT_MM, text_width_mm(document) - HEADER_LEFT_MM])
    left, right = table.rows[0].cells
    center = WD_ALIGN_PARAGRAPH.CENTER
    _first_paragraph(left, data.superior_body.upper(), align=center)
    _paragraph(left, data.issuing_body.upper(), align=center, bold=True)
    _paragraph(left, "*", align=center)
    _paragraph(left, number_line(data.number, data.symbol), align=center)
    # The guidance draws a rule as long as the title under it: an underline is exactly that.
    _first_paragraph(right, "ĐẢNG CỘNG SẢN VIỆT NAM", align=center, bold=True, underline=True,
                     size=15)
    _paragraph(right, "")
    _paragraph(right, date_line(data.place, data.date), align=center, italic=True)


def _title_block(document: DocxDocument, data: PartyDocument) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(document)
    _paragraph(document, data.doc_type.upper(), align=center, bold=True, size=16,
               keep_with_next=True)
    _paragraph(document, data.title, align=center, bold=True, keep_with_next=True)
    _paragraph(document, "-----", align=center, after_pt=PARAGRAPH_AFTER_PT, keep_with_next=True)


def add_image(document: DocxDocument, image: DocImage) -> None:
    """The picture centred (no wider than the text block), kept with its caption."""
    width = min(image.width_mm, text_width_mm(document))
    paragraph = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER,
                           keep_with_next=bool(image.caption))
    paragraph.add_run().add_picture(io.BytesIO(image.png), width=Mm(width))
    if image.caption:
        _paragraph(document, image.caption, align=WD_ALIGN_PARAGRAPH.CENTER, italic=True,
                   size=TABLE_PT, after_pt=PARAGRAPH_AFTER_PT)


def _body(document: DocxDocument, data: PartyDocument) -> None:
    for section in data.sections:
        if section.heading:
            _paragraph(document, section.heading, bold=True, first_line_mm=10,
                       after_pt=PARAGRAPH_AFTER_PT, keep_with_next=True,
                       align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        for line in (section.text or "").splitlines():
            if line.strip():
                paragraph = _paragraph(document, line.strip(), first_line_mm=10,
                                       after_pt=PARAGRAPH_AFTER_PT,
                                       align=WD_ALIGN_PARAGRAPH.JUSTIFY)
                paragraph.paragraph_format.line_spacing = 1.15
        for table_data in section.tables:
            add_table(document, table_data)
        for image in section.images:
            add_image(document, image)
        for line in (section.after or "").splitlines():
            if line.strip():
                _paragraph(document, line.strip(), first_line_mm=10, after_pt=PARAGRAPH_AFTER_PT,
                           align=WD_ALIGN_PARAGRAPH.JUSTIFY, italic=True)


def _recipient(cell, line: str) -> None:
    """A recipient that wraps continues under its text, not under its dash."""
    paragraph = _paragraph(cell, line, size=RECIPIENTS_PT)
    if line.startswith(("-", "+", "•")):
        paragraph.paragraph_format.left_indent = Mm(RECIPIENT_HANG_MM)
        paragraph.paragraph_format.first_line_indent = Mm(-RECIPIENT_HANG_MM)


def _keep_with_signature(document: DocxDocument) -> None:
    """The last lines of the body go with the signature block onto a new page when it does not
    fit, so the block never stands alone on the last page. The last lines are the body's last
    paragraphs with text, or the last rows of a table ending the body (each of their paragraphs
    kept with the next, which both Word and LibreOffice honour inside a table)."""
    body = document.element.body
    kept = 0
    for element in reversed(list(body.iterchildren())):
        if kept >= KEEP_BEFORE_SIGNATURE:
            break
        if element.tag == qn("w:p"):
            _keep_next(element)
            kept += bool("".join(element.itertext()).strip())
        elif element.tag == qn("w:tbl"):
            for row in list(element.iterchildren(qn("w:tr")))[-KEEP_BEFORE_SIGNATURE:]:
                for paragraph in row.iter(qn("w:p")):
                    _keep_next(paragraph)
            break


def _keep_next(p) -> None:
    p_pr = p.get_or_add_pPr()
    if p_pr.find(qn("w:keepNext")) is None:
        p_pr.keepNext_val = True


def _closing_block(document: DocxDocument, data: PartyDocument) -> None:
    _keep_with_signature(document)
    _paragraph(document, keep_with_next=True)
    table = _layout_table(document,
                          [CLOSING_LEFT_MM, text_width_mm(document) - CLOSING_LEFT_MM])
    left, right = table.rows[0].cells
    # Party documents underline "Nơi nhận:" (upright, 14 pt); bold italics are the State style.
    _first_paragraph(left, "Nơi nhận:", underline=True, size=BODY_PT)
    for line in data.recipients:
        if line.strip():
            _recipient(left, line.strip())
    center = WD_ALIGN_PARAGRAPH.CENTER
    _first_paragraph(right, data.on_behalf.upper(), align=center, bold=True)
    _paragraph(right, data.signer_title.upper(), align=center)
    for _ in range(4):  # room for the signature and the seal
        _paragraph(right, "")
    _paragraph(right, data.signer_name, align=center, bold=True)


def _annex(document: DocxDocument, data: PartyDocument) -> None:
    """Each appendix on a new page: "PHỤ LỤC" (numbered when there are several), its title,
    its text and tables."""
    center = WD_ALIGN_PARAGRAPH.CENTER
    for number, section in enumerate(data.annex, start=1):
        heading = "PHỤ LỤC" if len(data.annex) == 1 else f"PHỤ LỤC {number}"
        paragraph = _paragraph(document, heading, align=center, bold=True, keep_with_next=True)
        paragraph.paragraph_format.page_break_before = True
        _paragraph(document, section.heading, align=center, bold=True,
                   after_pt=PARAGRAPH_AFTER_PT, keep_with_next=True)
        for line in (section.text or "").splitlines():
            if line.strip():
                _paragraph(document, line.strip(), align=center, italic=True,
                           after_pt=PARAGRAPH_AFTER_PT)
        for table_data in section.tables:
            add_table(document, table_data)


def build_document(data: PartyDocument) -> DocxDocument:
    """The whole document, ready to save."""
    document = Document()
    _page_setup(document, data.landscape)
    _apply_fonts_to_styles(document)
    # The default template starts empty; python-docx may still hold one empty paragraph.
    for paragraph in list(document.paragraphs):
        paragraph._element.getparent().remove(paragraph._element)
    _header_block(document, data)
    _title_block(document, data)
    _body(document, data)
    _closing_block(document, data)
    _annex(document, data)
    _end_paragraph(document)
    _page_numbers(document)
    _core_properties(document, data)
    return document


def _end_paragraph(document: DocxDocument) -> None:
    """Word expects the body to end with a paragraph, not a table. A 14 pt empty line there, or
    the one after the last table, fell onto a page of its own in LibreOffice when the page above
    was full: the last paragraph is made 1 pt high, with no space around it."""
    body = document.element.body
    children = [c for c in body.iterchildren() if c.tag in (qn("w:p"), qn("w:tbl"))]
    last = children[-1] if children else None
    if last is None or last.tag != qn("w:p") or "".join(last.itertext()).strip():
        last = _paragraph(document)._p
    layout = Paragraph(last, None).paragraph_format
    layout.space_before = layout.space_after = Pt(0)
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = Pt(1)
    p_pr = last.get_or_add_pPr()
    mark = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    mark.append(size)
    p_pr.append(mark)  # the paragraph mark's size sets an empty line's height


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
