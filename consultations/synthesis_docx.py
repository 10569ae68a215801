"""The Bản tổng hợp, tiếp thu, giải trình ý kiến góp ý as DOCX (pure: documents.docx_layout).

The usual table, on A4 turned sideways (Hướng dẫn 36-HD/VPTW's fonts, margins and blocks through
``documents.docx_layout``): số TT, điều/khoản, nội dung góp ý, đơn vị/cá nhân góp ý, ý kiến tiếp
thu, giải trình. Residents are a count ("12 ý kiến người dân"), never names; units and named
organisations are listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from documents.archive import vn_int
from documents.docx_layout import DocSection, DocTable, PartyDocument, render_docx

HEADERS = ("Số TT", "Điều, khoản", "Nội dung góp ý", "Đơn vị, cá nhân góp ý",
           "Ý kiến tiếp thu, giải trình")
# Of the 252 mm between the margins: the two text columns get most of it.
WIDTHS_MM = (14, 26, 92, 44, 76)
RESPONSES = {"tiep_thu": "Tiếp thu", "giai_trinh": "Giải trình",
             "khong_tiep_thu": "Không tiếp thu"}
UNANSWERED = "Chưa có ý kiến tiếp thu, giải trình"


@dataclass(frozen=True)
class SynthesisRow:
    """One group of near-identical comments on one provision."""

    provision: str  # "Khoản 2 Điều 3"
    text: str  # the group's typical comment
    size: int  # comments in the group
    units: Sequence[str]  # names of the units that commented
    organisations: Sequence[str]  # names of the organisations that commented
    residents: int  # comments of residents: a count, never a name
    response: str  # "tiep_thu", "giai_trinh", "khong_tiep_thu" or ""
    reason: str


def contributors(row: SynthesisRow) -> str:
    names = [*row.units, *row.organisations]
    if row.residents:
        names.append(f"{vn_int(row.residents)} ý kiến người dân")
    return "; ".join(names)


def comment_cell(row: SynthesisRow) -> str:
    if row.size > 1:
        return f"{row.text}\n({vn_int(row.size)} ý kiến cùng nội dung)"
    return row.text


def response_cell(row: SynthesisRow) -> str:
    if not row.response:
        return UNANSWERED
    label = RESPONSES[row.response]
    return f"{label}: {row.reason}" if row.reason else f"{label}."


def table_rows(rows: Sequence[SynthesisRow]) -> list[list[str]]:
    return [
        [str(number), row.provision, comment_cell(row), contributors(row), response_cell(row)]
        for number, row in enumerate(rows, start=1)
    ]


def summary_line(rows: Sequence[SynthesisRow]) -> str:
    comments = sum(row.size for row in rows)
    answered = sum(1 for row in rows if row.response)
    provisions = len({row.provision for row in rows})
    return (f"Tổng số {vn_int(comments)} ý kiến góp ý vào {vn_int(provisions)} điều, khoản, gộp"
            f" thành {vn_int(len(rows))} nội dung; đã tiếp thu, giải trình {vn_int(answered)}"
            f"/{vn_int(len(rows))} nội dung.")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def draft_heading(title: str) -> str:
    """ "Quy chế trật tự đô thị" -> "Dự thảo Quy chế trật tự đô thị" (said once)."""
    title = title.strip()
    if title.lower().startswith("dự thảo"):
        return "Dự thảo" + title[len("dự thảo"):]
    return f"Dự thảo {title}"


def synthesis_document(
    *,
    draft_title: str,
    drafting_body: str,
    superior_body: str,
    place: str,
    day: dt.date,
    window: tuple[dt.date, dt.date],
    rows: Sequence[SynthesisRow],
    generated_at: dt.datetime | None = None,
) -> PartyDocument:
    start, end = window
    intro = (f"Thực hiện việc lấy ý kiến góp ý đối với {_lower_first(draft_heading(draft_title))},"
             f" từ ngày"
             f" {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}, {drafting_body} đã nhận được các ý"
             f" kiến góp ý. {summary_line(rows)} Kết quả tổng hợp, tiếp thu, giải trình như sau:")
    table = DocTable(title="", headers=HEADERS, rows=table_rows(rows), widths_mm=WIDTHS_MM,
                     split_rows=True)
    return PartyDocument(
        superior_body=superior_body,
        issuing_body=drafting_body,
        number="",
        symbol="BTH",
        place=place,
        date=day,
        doc_type="BẢN TỔNG HỢP, TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý",
        title=draft_heading(draft_title),
        # A line after the table: LibreOffice cannot keep a long table's last rows with the
        # signature, so without it the signature stood alone on the last page.
        sections=[DocSection(heading="", text=intro, tables=[table],
                             after=f"Trên đây là bản tổng hợp, tiếp thu, giải trình ý kiến góp ý"
                                   f" đối với {_lower_first(draft_heading(draft_title))}.")],
        recipients=["- Như trên;", "- Lưu."],
        on_behalf=f"T/M {drafting_body}",
        signer_title="",
        generated_at=generated_at,
        landscape=True,
    )


def render_synthesis(**kwargs) -> bytes:
    return render_docx(synthesis_document(**kwargs))
