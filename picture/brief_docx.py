"""The brief as DOCX, laid out per Hướng dẫn 36-HD/VPTW like the house's other documents.

The header block, national motto, number and date line, title, body tables, "Nơi nhận" and the
signature come from :mod:`documents.docx_layout`; this module decides what the brief says (from
its frozen figures, never from today's data) and places the two charts of
:mod:`picture.brief_charts` under the charts' heading. It is meant to fit on one or two pages:
lists are cut to their first few rows, each cut saying how many more there are.
"""

from __future__ import annotations

import datetime as dt
import io

from django.conf import settings
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from documents.docx_layout import (
    DocSection,
    DocTable,
    PartyDocument,
    build_document,
)
from documents.docx_widths import TEXT_WIDTH_MM
from picture import brief_charts
from picture.models import Brief

DOC_TYPE = "BẢN TIN DƯ LUẬN XÃ HỘI"
SYMBOL = "BT/BXDĐ"
ISSUING_BODY = "BAN XÂY DỰNG ĐẢNG"
RECIPIENTS = [
    "- Thường trực Đảng ủy (để báo cáo),",
    "- Các đồng chí Ủy viên BTV Đảng ủy,",
    "- Lưu Ban Xây dựng Đảng.",
]
CHARTS_HEADING = "II. DIỄN BIẾN QUA BIỂU ĐỒ"
# The brief must stay within two pages: each list shows its first rows, each cell's text is cut,
# and the rest is on the brief's page (measured with LibreOffice on a worst case: see tests).
SHOWN_ROWS = 3
SHOWN_AREAS = 3
CELL_CHARS = 90
NO_NOTES = "(Ban Xây dựng Đảng bổ sung nhận định, đề xuất.)"


# -- numbers as the brief writes them -------------------------------------------------------------


def pct(share) -> str:
    if share is None or isinstance(share, str):
        return "—"
    return f"{share * 100:.1f}%".replace(".", ",")


def signed(value) -> str:
    if value is None or isinstance(value, str):
        return "—"
    return f"+{value}" if value > 0 else ("0" if value == 0 else f"−{-value}")


def points(now, before) -> str:
    """The change of a share, in percentage points."""
    if not isinstance(now, int | float) or not isinstance(before, int | float):
        return "—"
    change = (now - before) * 100
    if abs(change) < 0.05:
        return "0"
    text = f"{abs(change):.1f}".replace(".", ",")
    return f"{'+' if change > 0 else '−'}{text} điểm %"


def cut(text: object, limit: int = CELL_CHARS) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def below(total: int, shown: int, what: str) -> str:
    """" (3 ... dưới đây)" when the table shows only part of the list (the page has it all)."""
    return f" ({shown} {what} dưới đây)" if total > shown else ""


def short_day(text: str) -> str:
    return dt.date.fromisoformat(text).strftime("%d/%m/%y")


# -- the content ----------------------------------------------------------------------------------


def headline_rows(data: dict) -> list[list[object]]:
    """Rows of the headline table: figure, this period, the previous one, the change."""
    totals = data.get("totals") or {}
    before = totals.get("previous") or {}
    change = totals.get("change") or {}
    rows: list[list[object]] = [
        ["Ý kiến tiếp nhận qua các kênh", totals.get("items"), before.get("items"),
         signed(change.get("items"))],
        ["Luồng ý kiến trong báo cáo đơn vị", totals.get("stream_mentions"),
         before.get("stream_mentions"), signed(change.get("stream_mentions"))],
        ["Tổng số ý kiến", totals.get("heard"), before.get("heard"), signed(change.get("heard"))],
        ["Tỷ lệ lo lắng, bức xúc, phản đối", pct(totals.get("concerned_share")),
         pct(before.get("concerned_share")),
         points(totals.get("concerned_share"), before.get("concerned_share"))],
        ["Tỷ lệ bức xúc, phản đối", pct(totals.get("aggrieved_share")),
         pct(before.get("aggrieved_share")),
         points(totals.get("aggrieved_share"), before.get("aggrieved_share"))],
        ["Vấn đề: đang xử lý / quá hạn / đã trả lời",
         f"{totals.get('issues_open', 0)} / {totals.get('issues_overdue', 0)}"
         f" / {totals.get('issues_answered', 0)}", "—", "—"],
    ]
    on_time = totals.get("on_time_rate")
    if on_time:
        rows.append([f"Báo cáo đúng hạn ({on_time.get('label', '')})",
                     f"{on_time.get('on_time', 0)}/{on_time.get('expected', 0)}"
                     f" ({pct(on_time.get('rate'))})", "—", "—"])
    return rows


def summary_text(data: dict) -> str:
    totals = data.get("totals") or {}
    topics = [t for t in data.get("topics") or [] if t.get("code")][:3]
    lines = [
        f"Trong kỳ, toàn phường ghi nhận {totals.get('heard', 0)} ý kiến"
        f" ({signed((totals.get('change') or {}).get('heard'))} so với kỳ trước);"
        f" tỷ lệ ý kiến bức xúc, phản đối {pct(totals.get('aggrieved_share'))}."
    ]
    said = data.get("said") or []
    if said:
        # What residents said most, in their words; the topics' counts are the chart below.
        lines[0] += " Ý kiến nhân dân nêu nhiều nhất: " + "; ".join(
            f"“{s['text']}” ({s['count']} ý kiến{', ' + s['topic'] if s.get('topic') else ''})"
            for s in said
        ) + "."
    elif topics:
        named = ", ".join(f"{t['name']} ({t['count']})" for t in topics)
        lines[0] += f" Lĩnh vực được quan tâm nhiều nhất: {named}."
    return "\n".join(lines)


def rising_section(data: dict) -> DocSection:
    rising = data.get("rising") or []
    heading = "III. DƯ LUẬN ĐANG NÓNG LÊN"
    if not rising:
        return DocSection(heading, "Không có chủ đề, vấn đề hay địa bàn nào tăng vượt mức"
                                   " bình thường trong kỳ.")
    rows = [
        [i, cut(r.get("name", ""), 50), r.get("count", ""),
         f"{r.get('expected_low', '')}–{r.get('expected_high', '')}", cut(r.get("reason", ""), 64)]
        for i, r in enumerate(rising[:SHOWN_ROWS], start=1)
    ]
    text = (f"{len(rising)} chủ đề, vấn đề, địa bàn có số ý kiến tăng vượt mức bình thường"
            f"{below(len(rising), len(rows), 'mục nổi bật')}.")
    return DocSection(heading, text, tables=[DocTable(
        "", ["STT", "Chủ đề, vấn đề, địa bàn", "Số ý kiến", "Bình thường", "Lý do"], rows,
        widths_mm=[12, 50, 18, 22, 63])])


def silent_text(data: dict) -> str:
    areas = data.get("silent_areas") or []
    if not areas:
        return "Mọi tổ dân phố đều có ý kiến được ghi nhận trong các tuần gần đây."
    named = "; ".join(a["name"] for a in areas[:SHOWN_AREAS])
    people = sum(a.get("population") or 0 for a in areas)
    more = len(areas) - SHOWN_AREAS
    tail = f" và {more} tổ khác" if more > 0 else ""
    return (f"{len(areas)} tổ dân phố ({people} dân) chưa có ý kiến nào qua mọi kênh trong các tuần"
            f" gần đây: {named}{tail}. Đề nghị phân công cộng tác viên nắm tình hình.")


def overdue_section(data: dict) -> DocSection:
    issues = data.get("overdue_issues") or {"count": 0, "rows": []}
    heading = "V. VẤN ĐỀ QUÁ HẠN XỬ LÝ"
    if not issues.get("count"):
        return DocSection(heading, "Không có vấn đề nào quá hạn xử lý.")
    shown = min(SHOWN_ROWS, len(issues["rows"]))
    text = (f"Có {issues['count']} vấn đề quá hạn xử lý"
            f"{below(issues['count'], shown, 'vấn đề quá hạn lâu nhất')}.")
    return DocSection(heading, text, tables=[DocTable(
        "", ["Mã", "Vấn đề", "Đơn vị xử lý", "Quá hạn"],
        [[r["code"], cut(r["title"], 80), cut(r.get("unit") or "—", 32),
          f"{r['days_overdue']} ngày"]
         for r in issues["rows"][:SHOWN_ROWS]],
        widths_mm=[30, 80, 33, 22],
    )])


def directions_section(data: dict) -> DocSection:
    directions = data.get("directions") or {}
    heading = "VI. Ý KIẾN CHỈ ĐẠO QUÁ HẠN, ĐẾN HẠN"
    due = [*(directions.get("overdue_rows") or []), *(directions.get("due_rows") or [])]
    if not due:
        return DocSection(heading, f"{directions.get('open', 0)} ý kiến chỉ đạo đang thực hiện;"
                                   " không có ý kiến nào quá hạn hoặc đến hạn trong 7 ngày tới.")
    total = directions.get("overdue", 0) + directions.get("due_soon", 0)
    text = (f"{directions.get('open', 0)} chỉ đạo đang làm: "
            f"{directions.get('overdue', 0)} quá hạn, {directions.get('due_soon', 0)} đến hạn"
            f" trong 7 ngày{below(total, min(SHOWN_ROWS, len(due)), 'mục')}.")
    return DocSection(heading, text, tables=[DocTable(
        "", ["Số", "Nội dung chỉ đạo", "Đơn vị thực hiện", "Hạn"],
        [[r["code"], cut(r["text"], 80), cut(r.get("units") or "—", 32),
          short_day(r["due_on"]) + ("\nquá hạn" if r["days_left"] < 0 else "")]
         for r in due[:SHOWN_ROWS]],
        widths_mm=[29, 80, 35, 21],
    )])


def brief_document(brief: Brief) -> PartyDocument:
    data = brief.data or {}
    sections = [
        DocSection("I. TÌNH HÌNH CHUNG", summary_text(data), tables=[DocTable(
            "", ["Chỉ số", "Kỳ này", "Kỳ trước", "Thay đổi"], headline_rows(data),
        widths_mm=[76, 33, 26, 30])]),
        DocSection(CHARTS_HEADING),
        rising_section(data),
        DocSection("IV. ĐỊA BÀN CHƯA NGHE ĐƯỢC Ý KIẾN", silent_text(data)),
        overdue_section(data),
        directions_section(data),
        DocSection("VII. NHẬN ĐỊNH, ĐỀ XUẤT", brief.notes or NO_NOTES),
    ]
    period = (data.get("period") or {}).get("label", "")
    return PartyDocument(
        superior_body=settings.LONGDAN_ISSUING_BODY,
        issuing_body=ISSUING_BODY,
        number=brief.number,
        place=settings.LONGDAN_PLACE,
        date=timezone.localdate(brief.created_at) if brief.created_at else timezone.localdate(),
        title=period[:1].upper() + period[1:],
        sections=sections,
        recipients=RECIPIENTS,
        doc_type=DOC_TYPE,
        symbol=SYMBOL,
        on_behalf="TRƯỞNG BAN",
        signer_title="",
    )


def chart_pngs(brief: Brief) -> list[bytes]:
    """The brief's two charts, drawn from its frozen figures."""
    data = brief.data or {}
    return [
        brief_charts.topics_by_attitude_png(data.get("topics") or []),
        brief_charts.weekly_volume_png(data.get("weekly") or {}, data.get("forecast") or []),
    ]


def chart_scale(notes: str, said: list[dict] | None = None) -> float:
    """The charts give way to a long assessment: up to a quarter smaller at NOTES_MAX characters,
    so the brief stays on two pages (each line of notes costs about what 4% of the charts do);
    and to the residents' words quoted in section I (up to 15% more for a twenty-word quotation,
    about two lines)."""
    extra = max(0, len(notes or "") - 100)
    quoted = sum(len(s.get("text", "")) for s in said or [])
    return 1.0 - 0.25 * min(1.0, extra / 200) - 0.15 * min(1.0, quoted / 120)


def _insert_after_heading(
    document, heading: str, pictures: list[bytes], scale: float = 1.0
) -> int:
    """Place the pictures side by side, in a borderless row right under the paragraph reading
    ``heading`` (one under the other would take a third of a page the brief does not have)."""
    for element in document.element.body.iterchildren():
        if element.tag != qn("w:p"):
            continue
        if "".join(t.text or "" for t in element.iter(qn("w:t"))) != heading:
            continue
        width = TEXT_WIDTH_MM / max(1, len(pictures))
        table = document.add_table(rows=1, cols=max(1, len(pictures)))  # no style: no borders
        for cell, png in zip(table.rows[0].cells, pictures, strict=False):
            cell.width = Mm(width)
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run().add_picture(io.BytesIO(png), width=Mm((width - 3) * scale))
        element.addnext(table._tbl)
        return len(pictures)
    return 0


def _tighten_after_tables(document) -> None:
    """The layout leaves a blank 14 pt line under each table; a 4 pt one does the same work and
    gives the brief back the lines it needs to stay within two pages."""
    for element in document.element.body.iterchildren():
        if element.tag != qn("w:tbl"):
            continue
        following = element.getnext()
        if following is None or following.tag != qn("w:p"):
            continue
        if "".join(t.text or "" for t in following.iter(qn("w:t"))):
            continue
        paragraph = Paragraph(following, document._body)
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        paragraph.paragraph_format.line_spacing = Pt(4)


def render_brief(brief: Brief) -> bytes:
    document = build_document(brief_document(brief))
    _tighten_after_tables(document)
    _insert_after_heading(document, CHARTS_HEADING, chart_pngs(brief),
                          chart_scale(brief.notes, (brief.data or {}).get("said")))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
