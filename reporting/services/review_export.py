"""The body of a 6-month or annual consolidated report for the DOCX (Hướng dẫn 36-HD/VPTW): the
four parts numbered I–IV, their points 1, 2, … with the figures' tables and charts under the point
they belong to (``reporting.figures``), and the XLSX's figure tables."""

from __future__ import annotations

from documents.docx_layout import DocImage, DocSection, DocTable
from reporting import consolidation as calc
from reporting import figures as review
from reporting.models import ConsolidatedReport
from reporting.review_charts import WIDTH_MM, chart_png

_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def is_review(consolidated: ConsolidatedReport) -> bool:
    return consolidated.data.get("figures") is not None


def figure_tables(consolidated: ConsolidatedReport) -> list[calc.Table]:
    """The figure tables as the report's other tables (one XLSX sheet each)."""
    tables = []
    for key, table in review.tables_of(consolidated.data.get("figures") or []):
        sheet = table.sheet or table.title
        tables.append(calc.Table(key, table.title, table.headers, [list(r) for r in table.rows],
                                 sheet[:31]))
    return tables


def _doc_table(table) -> DocTable:
    return DocTable(title=table.title, headers=table.headers, rows=table.rows)


def compliance_annex(tables: dict) -> list[DocSection]:
    """The units' reporting, unit by unit, as an appendix of a review."""
    rows = [t for t in tables["compliance"][1:] if t.rows]
    return [DocSection(heading=t.title.upper(), tables=[DocTable("", t.headers, t.rows)])
            for t in rows]


def section_numbers(titles: list[dict]) -> list[str]:
    """ "I", "1", "2", "II", … : the parts in Roman numerals, their points from 1 in each."""
    numbers, top, point = [], 0, 0
    for section in titles:
        if section.get("level", 1) == 1:
            numbers.append(_ROMAN[top % len(_ROMAN)])
            top, point = top + 1, 0
        else:
            point += 1
            numbers.append(str(point))
    return numbers


def review_body(consolidated: ConsolidatedReport, titles: list[dict], tables: dict,
                counted_on: str) -> list[DocSection]:
    """The report's sections as DOCX sections; ``tables`` as ``report_tables`` gives them."""
    blocks = {review.block_key(block): block for block in
              (review.FigureBlock.from_dict(d) for d in consolidated.data.get("figures") or [])}
    # The month-by-month table in the body; the unit-by-unit one (55 rows in a ward, thousands
    # in a city) goes to an appendix (``compliance_annex``).
    attached = {
        review.OPINION_KEY: [_doc_table(t) for t in tables["topics"] if t.rows],
        review.COMPLIANCE_KEY: [_doc_table(t) for t in tables["compliance"][:1]],
    }
    body: list[DocSection] = []
    for section, number in zip(titles, section_numbers(titles), strict=True):
        key = section["key"]
        text = consolidated.sections.get(key, "")
        if section.get("level", 1) == 1:
            heading = f"{number}. {section['title'].upper()}"
        else:
            heading = f"{number}. {section['title']}"
        block = blocks.get(key)
        images = []
        doc_tables = attached.get(key, [])
        if block is not None:
            doc_tables = [_doc_table(t) for t in block.tables]
            images = [DocImage(chart_png(c), WIDTH_MM, f"Biểu đồ: {c.title}")
                      for c in block.charts if any(c.values)]
        body.append(DocSection(heading=heading, text=text, tables=doc_tables, images=images))
    if body:
        body[-1].after = counted_on
    return body
