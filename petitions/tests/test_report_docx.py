"""The two reports' layout (petitions.report_docx): grouping by field and by agency, the tables'
columns, read back with python-docx."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.section import WD_ORIENT

from petitions import report_docx as r

FACTS = r.RoundFacts(title="Đợt trước kỳ họp", timing="trước",
                     session_name="kỳ họp cuối năm 2026 HĐND phường",
                     session_on=dt.date(2026, 12, 18), starts_on=dt.date(2026, 11, 16),
                     ends_on=dt.date(2026, 12, 12), council="Thường trực HĐND phường",
                     meetings=3, groups=2)


def _p(text, field, order, agency, *, answered=False, overdue=False, due=None, result="",
       disposition="Chuyển cơ quan giải quyết", at_meeting=False):
    return r.ReportPoint(text=text, field=field, field_order=order, place="Buổi 1, ngày 18/11/2026",
                         agency=agency, disposition=disposition, result=result or "Chưa có.",
                         state="Đã trả lời" if answered else "Quá hạn" if overdue else "Đang chờ",
                         answered=answered, overdue=overdue, due_on=due, at_meeting=at_meeting)


POINTS = [
    _p("Đường ngõ 5 xuống cấp", "Giao thông, hạ tầng đô thị", 1, "Ủy ban nhân dân phường",
       due=dt.date(2026, 12, 20)),
    _p("Cấp sổ đỏ chậm", "Đất đai, quy hoạch, xây dựng", 0, "", answered=True,
       disposition="Đã trả lời tại hội nghị", result="Đã trả lời tại hội nghị (Chủ tịch): rõ.",
       at_meeting=True),
    _p("Đèn đường hỏng", "Giao thông, hạ tầng đô thị", 1, "Công ty Điện lực", overdue=True,
       due=dt.date(2026, 12, 1)),
    _p("Ngập khi mưa", "Giao thông, hạ tầng đô thị", 1, "Ủy ban nhân dân phường", answered=True,
       due=dt.date(2026, 12, 10)),
]


def _tables(content: bytes):
    document = Document(io.BytesIO(content))
    rows = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    return document, rows


def _body_text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def test_grouping_by_field_numbers_through_the_report():
    grouped = r.by_field(POINTS)
    assert [name for name, _ in grouped] == ["Đất đai, quy hoạch, xây dựng",
                                             "Giao thông, hạ tầng đô thị"]
    traffic = grouped[1][1]
    # numbered after the land field's point; within a field, points of one agency together
    assert [n for n, _ in traffic] == [2, 3, 4]
    assert [p.agency for _, p in traffic] == ["Công ty Điện lực", "Ủy ban nhân dân phường",
                                              "Ủy ban nhân dân phường"]


def test_the_compilation_table_per_field_and_per_agency():
    content = r.render_compilation(facts=FACTS, points=POINTS, superior_body="ĐẢNG BỘ",
                                   place="Hòa Bình", day=dt.date(2026, 12, 5))
    document, tables = _tables(content)
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    text = _body_text(document)
    assert "TỔNG HỢP Ý KIẾN, KIẾN NGHỊ CỦA CỬ TRI" in text.upper()
    assert "1. Đất đai, quy hoạch, xây dựng (1 ý kiến, kiến nghị)" in text
    assert "2. Giao thông, hạ tầng đô thị (3 ý kiến, kiến nghị)" in text
    field_tables = [t for t in tables if t[0][:2] == list(r.COMPILE_HEADERS[:2])]
    assert len(field_tables) == 2
    assert field_tables[0][0] == list(r.COMPILE_HEADERS)
    assert [row[0] for row in field_tables[1][1:]] == ["2", "3", "4"]
    assert field_tables[1][1][3] == "Công ty Điện lực"
    agency = next(t for t in tables if t[0] == list(r.AGENCY_HEADERS))
    # agencies alphabetically, "not known" last; the numbers of part II, the earliest due date
    assert agency[1][1:] == ["Công ty Điện lực", "1", "2", "01/12/2026"]
    assert agency[2][1:] == ["Ủy ban nhân dân phường", "2", "3, 4", "10/12/2026"]
    assert agency[3][1:] == [r.AT_MEETING, "1", "1", "—"]
    assert "cử tri trước kỳ họp cuối năm 2026 HĐND phường" in text
    assert "kỳ họp kỳ họp" not in text


def test_the_result_report_per_agency_with_its_rate():
    content = r.render_result(facts=FACTS, points=POINTS, superior_body="ĐẢNG BỘ",
                              place="Hòa Bình", day=dt.date(2026, 12, 5))
    document, tables = _tables(content)
    text = _body_text(document)
    assert "đã trả lời 2 ý kiến, kiến nghị (tỷ lệ 50%)" in text
    assert "trong đó 1 ý kiến, kiến nghị đã quá hạn" in text
    results = [t for t in tables if t[0] == list(r.RESULT_HEADERS)]
    assert len(results) == 3  # one per agency
    assert results[1][1][1:] == ["Đường ngõ 5 xuống cấp", "Giao thông, hạ tầng đô thị",
                                 "Chưa có.", "Đang chờ"]
    rates = next(t for t in tables if t[0] == list(r.RATE_HEADERS))
    assert rates[1][1:] == ["Công ty Điện lực", "1", "0", "1", "1", "0%"]
    assert rates[2][1:] == ["Ủy ban nhân dân phường", "2", "1", "1", "0", "50%"]


def test_an_empty_round_says_so():
    content = r.render_compilation(facts=FACTS, points=[], superior_body="ĐẢNG BỘ",
                                   place="Hòa Bình", day=dt.date(2026, 12, 5))
    document, tables = _tables(content)
    assert "Trong đợt không có ý kiến, kiến nghị nào." in _body_text(document)


def test_points_without_an_agency_come_last():
    unknown = _p("Chưa rõ", "Chưa phân loại lĩnh vực", 99, "")
    grouped = r.by_agency([unknown, *POINTS])
    assert [name for name, _ in grouped] == ["Công ty Điện lực", "Ủy ban nhân dân phường",
                                             r.AT_MEETING, r.NO_AGENCY]
    assert r.by_field([unknown, *POINTS])[-1][0] == "Chưa phân loại lĩnh vực"
