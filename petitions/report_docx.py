"""The two reports of a round of voter contact as DOCX (pure: documents.docx_layout, HD 36).

- *Báo cáo tổng hợp ý kiến, kiến nghị của cử tri*: the points grouped by field (one table a
  field: số TT, nội dung, nơi kiến nghị, cơ quan trả lời, hình thức xử lý), then by the agency that
  must answer (how many points, which numbers of the first part, the earliest due date).
- *Báo cáo kết quả giải quyết, trả lời ý kiến, kiến nghị của cử tri*: per agency, what was done
  with each point (the answer at the meeting and by whom, the agency's reply and its date, the
  issue it became) and whether it is still waiting; then the answer rate per agency.

Residents are never named: a point says where it was raised (the meeting), not who raised it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from documents.archive import vn_int
from documents.docx_layout import DocSection, DocTable, PartyDocument, render_docx

NO_AGENCY = "Chưa xác định cơ quan trả lời"
AT_MEETING = "Đã trả lời tại hội nghị"  # the group of points no agency has to answer
UNCLASSIFIED = "Chưa phân loại lĩnh vực"  # the field of a point nobody has marked yet
COMPILE_HEADERS = ("Số TT", "Nội dung ý kiến, kiến nghị", "Nơi kiến nghị", "Cơ quan trả lời",
                   "Hình thức xử lý")
COMPILE_WIDTHS = (14, 110, 46, 42, 40)
AGENCY_HEADERS = ("Số TT", "Cơ quan phải trả lời", "Số kiến nghị", "Kiến nghị số (mục II)",
                  "Hạn trả lời sớm nhất")
AGENCY_WIDTHS = (14, 90, 30, 78, 40)
RESULT_HEADERS = ("Số TT", "Nội dung ý kiến, kiến nghị", "Lĩnh vực",
                  "Kết quả giải quyết, trả lời", "Tình trạng")
RESULT_WIDTHS = (14, 88, 34, 86, 30)
RATE_HEADERS = ("Số TT", "Cơ quan", "Số kiến nghị", "Đã trả lời", "Chưa trả lời", "Quá hạn",
                "Tỷ lệ trả lời")
RATE_WIDTHS = (14, 88, 30, 30, 30, 30, 30)


@dataclass(frozen=True)
class ReportPoint:
    """One point as the reports print it (plain strings and dates)."""

    text: str
    field: str  # the field's label
    field_order: int  # the field's place in the vocabulary
    place: str  # "Tổ dân phố 3, ngày 05/12/2026"
    agency: str  # "" when not known
    disposition: str  # its label, or "" when not marked
    result: str  # what was done, in words
    state: str  # rules' state label
    answered: bool
    overdue: bool
    due_on: dt.date | None = None
    at_meeting: bool = False  # answered at the meeting: no agency has to answer it


@dataclass(frozen=True)
class RoundFacts:
    title: str  # the round's name
    timing: str  # "trước" / "sau" (the session's name says "kỳ họp …")
    session_name: str
    session_on: dt.date
    starts_on: dt.date
    ends_on: dt.date
    council: str
    meetings: int
    groups: int


def _agency(point: ReportPoint) -> str:
    if point.agency:
        return point.agency
    return AT_MEETING if point.at_meeting else NO_AGENCY


def _agency_key(name: str) -> tuple[int, str]:
    """Agencies by name, then the points answered at the meeting, then those without one."""
    return ({AT_MEETING: 1, NO_AGENCY: 2}.get(name, 0), name)


def by_field(points: Sequence[ReportPoint]) -> list[tuple[str, list[tuple[int, ReportPoint]]]]:
    """The fields in the vocabulary's order, each with its points numbered through the report
    (within a field: by agency, then as raised)."""
    fields: dict[str, list[ReportPoint]] = {}
    order: dict[str, int] = {}
    for point in points:
        fields.setdefault(point.field, []).append(point)
        order[point.field] = point.field_order
    grouped, number = [], 0
    for name in sorted(fields, key=lambda f: (order[f], f)):
        rows = []
        # stable: points of one agency together, in the order they were raised
        for point in sorted(fields[name], key=lambda p: _agency_key(_agency(p))):
            number += 1
            rows.append((number, point))
        grouped.append((name, rows))
    return grouped


def by_agency(points: Sequence[ReportPoint]) -> list[tuple[str, list[ReportPoint]]]:
    agencies: dict[str, list[ReportPoint]] = {}
    for point in points:
        agencies.setdefault(_agency(point), []).append(point)
    return sorted(agencies.items(), key=lambda kv: _agency_key(kv[0]))


def _numbers(numbers: Sequence[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _intro(facts: RoundFacts, points: Sequence[ReportPoint]) -> str:
    return (f"Thực hiện chương trình tiếp xúc cử tri {facts.timing} {facts.session_name}, từ ngày"
            f" {facts.starts_on:%d/%m/%Y} đến ngày {facts.ends_on:%d/%m/%Y}, các tổ đại biểu"
            f" ({vn_int(facts.groups)} tổ) đã tổ chức {vn_int(facts.meetings)} buổi tiếp xúc cử"
            f" tri. Cử tri đã nêu {vn_int(len(points))} ý kiến, kiến nghị;"
            f" {facts.council} tổng hợp như sau.")


def compile_document(*, facts: RoundFacts, points: Sequence[ReportPoint], superior_body: str,
                     place: str, day: dt.date,
                     generated_at: dt.datetime | None = None) -> PartyDocument:
    grouped = by_field(points)
    field_tables = [
        DocTable(title=f"{index}. {name} ({vn_int(len(rows))} ý kiến, kiến nghị)",
                 headers=COMPILE_HEADERS, widths_mm=COMPILE_WIDTHS, split_rows=True,
                 rows=[[str(n), p.text, p.place, _agency(p),
                        p.disposition or "Chưa phân loại"] for n, p in rows])
        for index, (name, rows) in enumerate(grouped, start=1)
    ]
    numbers: dict[int, int] = {}
    for _name, rows in grouped:
        for n, p in rows:
            numbers[id(p)] = n
    agency_rows = []
    for index, (agency, items) in enumerate(by_agency(points), start=1):
        dues = [p.due_on for p in items if p.due_on]
        agency_rows.append([str(index), agency, vn_int(len(items)),
                            _numbers(sorted(numbers[id(p)] for p in items)),
                            f"{min(dues):%d/%m/%Y}" if dues else "—"])
    sections = [
        DocSection(heading="I. TÌNH HÌNH TỔ CHỨC TIẾP XÚC CỬ TRI", text=_intro(facts, points)),
        DocSection(heading="II. Ý KIẾN, KIẾN NGHỊ CỦA CỬ TRI THEO LĨNH VỰC",
                   text="" if points else "Trong đợt không có ý kiến, kiến nghị nào.",
                   tables=field_tables),
        DocSection(heading="III. TỔNG HỢP THEO CƠ QUAN PHẢI TRẢ LỜI",
                   tables=[DocTable(title="", headers=AGENCY_HEADERS, rows=agency_rows,
                                    widths_mm=AGENCY_WIDTHS)] if agency_rows else (),
                   after=f"Trên đây là báo cáo tổng hợp ý kiến, kiến nghị của cử tri {facts.timing}"
                         f" {facts.session_name}, đề nghị các cơ quan xem xét, trả lời cử tri"
                         f" theo quy định."),
    ]
    return PartyDocument(
        superior_body=superior_body, issuing_body=facts.council, number="", symbol="BC",
        place=place, date=day,
        doc_type="BÁO CÁO",
        title=f"Tổng hợp ý kiến, kiến nghị của cử tri {facts.timing} {facts.session_name}",
        sections=sections, recipients=["- Thường trực Đảng ủy;", "- Các cơ quan liên quan;",
                                       "- Lưu."],
        on_behalf=f"T/M {facts.council.upper()}", signer_title="", generated_at=generated_at,
        landscape=True)


def result_document(*, facts: RoundFacts, points: Sequence[ReportPoint], superior_body: str,
                    place: str, day: dt.date,
                    generated_at: dt.datetime | None = None) -> PartyDocument:
    agencies = by_agency(points)
    answered = sum(p.answered for p in points)
    overdue = sum(p.overdue for p in points)
    rate = f"{answered * 100 / len(points):.0f}%" if points else "—"
    intro = (f"Tổng số {vn_int(len(points))} ý kiến, kiến nghị của cử tri {facts.timing}"
             f" {facts.session_name} ({vn_int(facts.meetings)} buổi tiếp xúc); đến ngày"
             f" {day:%d/%m/%Y} đã trả lời {vn_int(answered)} ý kiến, kiến nghị (tỷ lệ {rate}),"
             f" còn {vn_int(len(points) - answered)} ý kiến, kiến nghị chưa được trả lời, trong"
             f" đó {vn_int(overdue)} ý kiến, kiến nghị đã quá hạn.")
    tables = [
        DocTable(title=f"{index}. {agency}", headers=RESULT_HEADERS, widths_mm=RESULT_WIDTHS,
                 split_rows=True,
                 rows=[[str(n), p.text, p.field, p.result, p.state]
                       for n, p in enumerate(items, start=1)])
        for index, (agency, items) in enumerate(agencies, start=1)
    ]
    rate_rows = []
    for index, (agency, items) in enumerate(agencies, start=1):
        done = sum(p.answered for p in items)
        rate_rows.append([str(index), agency, vn_int(len(items)), vn_int(done),
                          vn_int(len(items) - done), vn_int(sum(p.overdue for p in items)),
                          f"{done * 100 / len(items):.0f}%"])
    sections = [
        DocSection(heading="I. KẾT QUẢ CHUNG", text=intro),
        DocSection(heading="II. KẾT QUẢ GIẢI QUYẾT, TRẢ LỜI THEO CƠ QUAN",
                   text="" if points else "Trong đợt không có ý kiến, kiến nghị nào.",
                   tables=tables),
        DocSection(heading="III. TỶ LỆ TRẢ LỜI THEO CƠ QUAN",
                   tables=[DocTable(title="", headers=RATE_HEADERS, rows=rate_rows,
                                    widths_mm=RATE_WIDTHS)] if rate_rows else (),
                   after="Đề nghị các cơ quan chưa trả lời khẩn trương giải quyết, trả lời cử tri"
                         " và báo cáo kết quả về Thường trực HĐND phường."),
    ]
    return PartyDocument(
        superior_body=superior_body, issuing_body=facts.council, number="", symbol="BC",
        place=place, date=day, doc_type="BÁO CÁO",
        title=(f"Kết quả giải quyết, trả lời ý kiến, kiến nghị của cử tri {facts.timing}"
               f" {facts.session_name}"),
        sections=sections, recipients=["- Thường trực Đảng ủy;", "- Các cơ quan liên quan;",
                                       "- Lưu."],
        on_behalf=f"T/M {facts.council.upper()}", signer_title="", generated_at=generated_at,
        landscape=True)


def render_compilation(**kwargs) -> bytes:
    return render_docx(compile_document(**kwargs))


def render_result(**kwargs) -> bytes:
    return render_docx(result_document(**kwargs))
