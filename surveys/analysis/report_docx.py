"""The survey report as DOCX, laid out per Hướng dẫn 36-HD/VPTW like the other reports.

The text, tables and layout come from :mod:`documents.docx_layout` (header block, title, body,
"Nơi nhận" and signature); this module decides what the report says and adds a bar chart under
each question's table. Charts are drawn server-side with matplotlib's Agg canvas (no display,
no pyplot global state, so it is safe in a threaded worker) in DejaVu Sans, which matplotlib
ships and which has every Vietnamese letter.
"""

from __future__ import annotations

import io
import math
import os
import textwrap
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm

from documents.docx_layout import DocSection, DocTable, PartyDocument, build_document
from surveys.analysis.consensus import consensus_result, group_labels_for
from surveys.analysis.open_answers import open_answers
from surveys.analysis.results import QuestionResult, SurveyAnalysis
from surveys.analysis.vocabulary import AREA, CATEGORICAL, MULTIPLE, NUMERIC, TEXT
from surveys.models import PolicyStage, Response

CHART_WIDTH_MM = 150
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII"]
DEFAULT_RECIPIENTS = [
    "- Ban Thường vụ Đảng ủy (để báo cáo),",
    "- Ban Tuyên giáo và Dân vận Thành ủy (để báo cáo),",
    "- Các chi bộ, đảng bộ trực thuộc,",
    "- Lưu Văn phòng Đảng ủy.",
]


def pct(value: float | None, decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:.{decimals}f}".replace(".", ",")


# --- charts ----------------------------------------------------------------------------------


def bar_chart_png(labels: Sequence[str], values: Sequence[float | None], *,
                  unit: str = "%") -> bytes:
    """A horizontal bar chart (largest share readable at a glance) as PNG bytes."""
    # matplotlib keeps its font cache in MPLCONFIGDIR; a service account's home may not be
    # writable, the app's var directory is.
    os.environ.setdefault("MPLCONFIGDIR", str(Path(settings.VAR_DIR) / "matplotlib"))
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    shown = [(textwrap.fill(str(label), 38), 0.0 if v is None else float(v))
             for label, v in zip(labels, values, strict=True)]
    height = 0.9 + 0.42 * max(1, len(shown))
    figure = Figure(figsize=(6.3, height), dpi=150)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    names = [name for name, _ in shown][::-1]
    numbers = [value for _, value in shown][::-1]
    bars = axes.barh(range(len(numbers)), numbers, color="#0b4f9c", height=0.6)
    axes.set_yticks(range(len(names)), labels=names, fontsize=8, fontfamily="DejaVu Sans")
    top = max(numbers + [1.0])
    axes.set_xlim(0, top * 1.18 if unit != "%" else min(100.0, top * 1.18) or 100.0)
    for bar, value in zip(bars, numbers, strict=True):
        axes.text(bar.get_width() + top * 0.01, bar.get_y() + bar.get_height() / 2,
                  f"{pct(value)}{unit}", va="center", fontsize=8, fontfamily="DejaVu Sans")
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(axis="x", labelsize=7)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _insert_charts(document, charts: dict[str, bytes]) -> int:
    """Put each chart right under the table whose caption names it; returns how many."""
    body = document.element.body
    placed = 0
    previous_text = ""
    for element in list(body.iterchildren()):
        if element.tag == qn("w:p"):
            previous_text = "".join(t.text or "" for t in element.iter(qn("w:t")))
            continue
        if element.tag == qn("w:tbl") and previous_text in charts:
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run().add_picture(io.BytesIO(charts[previous_text]),
                                            width=Mm(CHART_WIDTH_MM))
            element.addnext(paragraph._p)
            placed += 1
        previous_text = ""
    return placed


# --- the content -----------------------------------------------------------------------------


def _date(day) -> str:
    return day.strftime("%d/%m/%Y") if day else "…"


def _method_section(analysis: SurveyAnalysis) -> DocSection:
    survey = analysis.survey
    lines = []
    if survey.purpose:
        lines.append(f"Mục đích: {survey.purpose.strip()}")
    lines.append(f"Thời gian khảo sát: từ ngày {_date(survey.starts_on)} đến ngày"
                 f" {_date(survey.ends_on)}.")
    areas = ", ".join(a.name for a in survey.target_areas.all()) or "toàn phường"
    target = survey.target_population or "nhân dân trên địa bàn"
    lines.append(f"Đối tượng khảo sát: {target}; địa bàn: {areas}.")
    if survey.policy_title:
        stage = dict(PolicyStage.choices).get(survey.policy_stage, "")
        lines.append(f"Chủ trương, chính sách được lấy ý kiến: {survey.policy_title}"
                     f"{f' ({stage.lower()})' if stage else ''}.")
    sources = Counter(analysis.table.source[analysis.mask].tolist())
    by_source = ", ".join(f"{dict(Response.Source.choices).get(k, k)} {v}"
                          for k, v in sources.most_common())
    planned = f" (dự kiến {survey.sample_size})" if survey.sample_size else ""
    lines.append(f"Số phiếu được tính: {analysis.n}{planned}"
                 f"{f'; theo nguồn: {by_source}' if by_source else ''}.")
    words = analysis.filter_words()
    if words:
        lines.append(f"Số liệu trong báo cáo chỉ tính các phiếu: {'; '.join(words)}.")
    weighting = analysis.weighting
    if analysis.weights is not None:
        deff = weighting.summary.deff_kish if weighting.summary else 1.0
        moe = 100 * 1.96 * math.sqrt(0.25 * deff / max(analysis.n, 1))
        lines.append(
            f"Kết quả được gia quyền theo {', '.join(weighting.variable_labels).lower()} bằng"
            f" phương pháp {weighting.method_label.lower()} để phản ánh đúng cơ cấu dân số;"
            f" sai số tối đa khoảng ±{pct(moe)} điểm phần trăm ở độ tin cậy 95%."
        )
    else:
        reason = weighting.error or "theo lựa chọn khi xuất báo cáo"
        moe = 100 * 1.96 * math.sqrt(0.25 / max(analysis.n, 1))
        lines.append(f"Kết quả chưa gia quyền ({reason.rstrip('.')}); sai số tối đa khoảng"
                     f" ±{pct(moe)} điểm phần trăm ở độ tin cậy 95%.")
    return DocSection(heading="", text="\n".join(lines))


def _summary_sentence(result: QuestionResult, weighted: bool) -> str:
    if not result.rows or result.respondents == 0:
        return "Chưa có người trả lời câu hỏi này."
    key = (lambda r: r.weighted_percent or 0.0) if weighted else (lambda r: r.percent)
    best = max(result.rows, key=key)
    share = key(best)
    if result.kind == MULTIPLE:
        return (f"Có {result.respondents} người trả lời; phương án được chọn nhiều nhất là"
                f" “{best.label}” ({pct(share)}% số người trả lời).")
    reach = ("tuyệt đại đa số" if share >= 80 else "đa số" if share > 50
             else "nhiều ý kiến" if share >= 30 else "một số ý kiến")
    return (f"Có {result.respondents} người trả lời; {reach} ({pct(share)}%) chọn"
            f" “{best.label}”.")


def _question_sections(analysis: SurveyAnalysis, charts: dict[str, bytes]
                       ) -> list[DocSection]:
    weighted = analysis.weights is not None
    sections: list[DocSection] = []
    number = 0
    for result in analysis.frequencies():
        question = result.question
        if result.kind in (CATEGORICAL, MULTIPLE) and result.rows:
            number += 1
            caption = f"Bảng {number}. {question.label}"
            headers = ["STT", "Phương án", "Số phiếu", "Tỷ lệ (%)"]
            if weighted:
                headers += ["Tỷ lệ gia quyền (%)"]
            headers += ["Khoảng tin cậy 95%"]
            rows = []
            for index, row in enumerate(result.rows, start=1):
                cells = [index, row.label, row.n, pct(row.percent)]
                if weighted:
                    cells.append(pct(row.weighted_percent))
                cells.append(f"{pct(row.ci_low)}–{pct(row.ci_high)}")
                rows.append(cells)
            sections.append(DocSection(
                heading=f"{number}. {question.label}",
                text=_summary_sentence(result, weighted) + (
                    f"\n{result.note}" if result.note else ""),
                tables=[DocTable(caption, headers, rows)],
            ))
            values = [r.weighted_percent if weighted else r.percent for r in result.rows]
            charts[caption] = bar_chart_png([r.label for r in result.rows], values)
        elif result.kind == NUMERIC and result.mean is not None:
            number += 1
            mean = result.mean
            shown = mean.weighted_mean if weighted and mean.weighted_mean is not None \
                else mean.mean
            caption = f"Bảng {number}. {question.label}"
            sections.append(DocSection(
                heading=f"{number}. {question.label}",
                text=f"Có {mean.n} người trả lời; giá trị trung bình {pct(shown, 2)}.",
                tables=[DocTable(caption, ["Chỉ tiêu", "Giá trị"], [
                    ["Số người trả lời", mean.n],
                    ["Trung bình" + (" (gia quyền)" if weighted else ""), pct(shown, 2)],
                    ["Khoảng tin cậy 95%", f"{pct(mean.ci_low, 2)}–{pct(mean.ci_high, 2)}"],
                ])],
            ))
    return sections


def _consensus_section(analysis: SurveyAnalysis) -> tuple[DocSection | None, list[str]]:
    labels = analysis.choice_labels
    groups = group_labels_for(analysis.table, AREA, labels)
    ranked = consensus_result(analysis.table, analysis.questions, groups,
                              analysis.weights, analysis.mask)
    if not ranked:
        return None, []
    rows = [[i, r.question.label, pct(r.agree_share), pct(r.disagree_share),
             pct(r.consensus, 3)] for i, r in enumerate(ranked, start=1)]
    text = (
        "Chỉ số đồng thuận giữa các địa bàn là tích qua các tổ dân phố của tỷ lệ đồng ý (đã"
        " hiệu chỉnh (số đồng ý + 1)/(số trả lời + 2), theo cách của Pol.is): nhận định chỉ"
        " có chỉ số cao khi mọi địa bàn cùng đồng ý; chỉ số là xác suất từ 0 đến 1, dùng để so"
        " sánh các nhận định với nhau."
    )
    notes = []
    top = ranked[0]
    notes.append(f"Nhận định được đồng thuận rộng nhất giữa các địa bàn: “{top.question.label}”"
                 f" (đồng ý {pct(top.agree_share)}%).")
    split = max(ranked, key=lambda r: r.disagree_share if not math.isnan(r.disagree_share)
                else -1)
    if split.disagree_share >= 30:
        notes.append(f"Nhận định có nhiều ý kiến không đồng ý nhất: “{split.question.label}”"
                     f" ({pct(split.disagree_share)}% không đồng ý) — cần giải thích, đối thoại"
                     " thêm.")
    return DocSection(heading="", text=text, tables=[DocTable(
        "Bảng. Mức độ đồng thuận với các nhận định",
        ["STT", "Nhận định", "Đồng ý (%)", "Không đồng ý (%)", "Chỉ số đồng thuận (0–1)"], rows,
    )]), notes


def _open_sections(analysis: SurveyAnalysis) -> list[DocSection]:
    sections = []
    for question in analysis.questions:
        if question.kind != TEXT:
            continue
        result = open_answers(analysis.table, question, analysis.mask)
        if not result.answered:
            continue
        tables = [DocTable(
            f"Ý kiến theo lĩnh vực — {question.label}", ["STT", "Lĩnh vực", "Số ý kiến"],
            [[i, name, count] for i, (name, count) in enumerate(result.topics[:10], start=1)],
        )]
        if result.groups:
            tables.append(DocTable(
                f"Nhóm ý kiến giống nhau — {question.label}",
                ["STT", "Ý kiến tiêu biểu", "Số ý kiến", "Thái độ"],
                [[i, g.examples[0] if g.examples else "", g.size, g.attitude]
                 for i, g in enumerate(result.groups[:10], start=1)],
            ))
        sections.append(DocSection(
            heading=question.label,
            text=f"Có {result.answered} ý kiến; thông tin cá nhân trong ý kiến đã được che.",
            tables=tables,
        ))
    return sections


def survey_report(analysis: SurveyAnalysis) -> tuple[PartyDocument, dict[str, bytes]]:
    """The report's content and the charts to place under its tables (keyed by caption)."""
    charts: dict[str, bytes] = {}
    body: list[DocSection] = []
    method = _method_section(analysis)
    body.append(DocSection(heading=f"{_ROMAN[0]}. MỤC ĐÍCH, ĐỐI TƯỢNG VÀ PHƯƠNG PHÁP",
                           text=method.text))
    questions = _question_sections(analysis, charts)
    body.append(DocSection(
        heading=f"{_ROMAN[1]}. KẾT QUẢ KHẢO SÁT",
        text="" if questions else "Chưa có phiếu trả lời nào.",
    ))
    body += questions
    consensus, notes = _consensus_section(analysis)
    index = 2
    if consensus is not None:
        body.append(DocSection(heading=f"{_ROMAN[index]}. MỨC ĐỘ ĐỒNG THUẬN",
                               text=consensus.text, tables=consensus.tables))
        index += 1
    opens = _open_sections(analysis)
    if opens:
        body.append(DocSection(heading=f"{_ROMAN[index]}. Ý KIẾN, KIẾN NGHỊ CỦA NHÂN DÂN"))
        body += opens
        index += 1
    body.append(DocSection(
        heading=f"{_ROMAN[index]}. NHẬN XÉT VÀ ĐỀ XUẤT",
        text="\n".join([*notes, "(Ban Xây dựng Đảng bổ sung nhận xét, đánh giá và đề xuất.)"]),
    ))
    survey = analysis.survey
    document = PartyDocument(
        superior_body=settings.LONGDAN_SUPERIOR_BODY,
        issuing_body=settings.LONGDAN_ISSUING_BODY,
        number="",
        place=settings.LONGDAN_PLACE,
        date=timezone.localdate(),
        title=f"Kết quả khảo sát dư luận xã hội: {survey.title}",
        sections=body,
        recipients=DEFAULT_RECIPIENTS,
    )
    return document, charts


def render_survey_report(analysis: SurveyAnalysis) -> bytes:
    data, charts = survey_report(analysis)
    document = build_document(data)
    _insert_charts(document, charts)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
