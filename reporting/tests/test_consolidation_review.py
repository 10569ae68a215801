"""The 6-month and annual reports on the whole work (issue 11): the office's own figures beside
the units', in "Kết quả đạt được", "Hạn chế, nguyên nhân", "Phương hướng, nhiệm vụ thời gian
tới" and "Kiến nghị, đề xuất", with their tables and charts in the DOCX and the XLSX, scoped to
the report's unit (a đảng bộ's report counts its subtree only).

The constructed world (2025-H2; the clock on 10 January 2026):

- Đảng bộ Khối Bắc holds cell_a; cell_b is directly under the ward.
- Opinion items in 2025-H2: cell_a 5 × Môi trường through "Khu dân cư" (2 bức xúc) and 1 × Y tế
  through "Đối thoại" whose sender asked for an answer (none given); cell_b 2 × Y tế through
  "Cộng tác viên". One Môi trường item of cell_a in June (2025-H1), one of cell_b in January 2026.
- Meetings: cell_a a dialogue on 1 October (the Y tế item is its minute), cell_b a voter
  meeting on 5 November.
- Issues: VD-1 (cell_a, seen 1 Aug, due 1 Oct, still assigned: overdue), VD-2 (cell_b, seen
  1 Sep, answered 20 Sep), VD-3 (cell_b, seen 15 Oct, due 1 Nov, detected: overdue).
- Answers: one "Trả lời kiến nghị" by cell_b (20 Sep, on VD-2) and one "Đính chính" of the
  ward's (1 Dec).
- The press: two articles about the ward in October, one bức xúc; one false story marked, not
  corrected.
"""

import datetime as dt
import io
import re
import zoneinfo

import docx
import pytest
import time_machine
from openpyxl import load_workbook

from conftest import _user
from core.models import Attitude, AuditEntry, Channel, Topic
from intake.models import Meeting, OpinionItem
from issues.models import Answer, Issue, IssueEvent
from longdan.commands import main
from monitoring.models import Mention, Misinformation
from orgs.models import OrgUnit, User
from reporting import extensions, figures, services
from reporting.figures import FigureBlock, FigureTable
from reporting.periods import parse_period
from reporting.services import consolidation as cs

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
H2 = parse_period("2025-H2")
YEAR = parse_period("2025")
FOUR = ["I. KẾT QUẢ ĐẠT ĐƯỢC", "II. HẠN CHẾ, NGUYÊN NHÂN",
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", "IV. KIẾN NGHỊ, ĐỀ XUẤT"]


def at(day, month, year=2025):
    return dt.datetime(year, month, day, 9, 0, tzinfo=TZ)


@pytest.fixture
def clock():
    with time_machine.travel(at(10, 1, 2026), tick=False):
        yield


@pytest.fixture
def party(ward, cell_a) -> OrgUnit:
    unit = OrgUnit.objects.create(code="dang-bo-1", name="Đảng bộ Khối Bắc",
                                  kind=OrgUnit.Kind.PARTY_COMMITTEE, parent=ward)
    cell_a.parent = unit
    cell_a.save()
    return unit


def item(unit, day, channel, topic, attitude="", **extra):
    row = OpinionItem.objects.create(text=f"Ý kiến {topic} ngày {day:%d/%m}", channel=channel,
                                     unit=unit, received_on=day, attitude=attitude, **extra)
    row.topics.set([Topic.objects.get(name=topic)])
    return row


def issue(code, owner, seen, status, due=None):
    return Issue.objects.create(code=code, title=f"Vấn đề {code}", owner_unit=owner,
                                first_seen_on=seen, last_seen_on=seen, due_on=due, status=status)


@pytest.fixture
def world(clock, party, cell_a, cell_b, an, binh, vanphong, monthly, full_sections, stream):
    env, health = "Môi trường", "Y tế"
    for day in range(1, 6):
        item(cell_a, dt.date(2025, 8, day), Channel.RESIDENTIAL, env,
             Attitude.AGGRIEVED if day <= 2 else "")
    dialogue = Meeting.objects.create(kind=Meeting.Kind.DIALOGUE, title="Đối thoại tháng 10",
                                      held_on=dt.date(2025, 10, 1), place="Nhà văn hóa",
                                      unit=cell_a)
    item(cell_a, dt.date(2025, 10, 1), Channel.DIALOGUE, health, wants_reply=True,
         meeting=dialogue)
    for day in (3, 4):
        item(cell_b, dt.date(2025, 9, day), Channel.COLLABORATOR, health)
    item(cell_a, dt.date(2025, 6, 10), Channel.RESIDENTIAL, env)  # 2025-H1
    item(cell_b, dt.date(2026, 1, 5), Channel.RESIDENTIAL, env)  # after the year
    Meeting.objects.create(kind=Meeting.Kind.VOTER_MEETING, title="Tiếp xúc cử tri",
                           held_on=dt.date(2025, 11, 5), place="Hội trường", unit=cell_b)
    issue("VD-1", cell_a, dt.date(2025, 8, 1), Issue.Status.ASSIGNED, dt.date(2025, 10, 1))
    answered = issue("VD-2", cell_b, dt.date(2025, 9, 1), Issue.Status.ANSWERED)
    event = IssueEvent.objects.create(issue=answered, kind=IssueEvent.Kind.ANSWER,
                                      to_value="Trả lời")
    IssueEvent.objects.filter(pk=event.pk).update(at=at(20, 9))
    issue("VD-3", cell_b, dt.date(2025, 10, 15), Issue.Status.DETECTED, dt.date(2025, 11, 1))
    reply = Answer.objects.create(kind=Answer.Kind.ANSWER, title="Trả lời về VD-2", body="…",
                                  answering_unit=cell_b, published_at=at(20, 9))
    reply.issues.set([answered])
    Answer.objects.create(kind=Answer.Kind.CORRECTION, title="Đính chính", body="…",
                          published_at=at(1, 12))
    for n, attitude in ((1, Attitude.AGGRIEVED), (2, "")):
        mention = Mention.objects.create(url=f"https://bao.vn/{n}", site="bao.vn",
                                         title=f"Bài {n}", text="…", attitude=attitude,
                                         relevance=Mention.Relevance.WARD,
                                         published_at=at(10 + n, 10))
    finding = Misinformation.objects.create(verdict=Misinformation.Verdict.FALSE,
                                            mention=mention, note="Sai sự thật.")
    Misinformation.objects.filter(pk=finding.pk).update(created_at=at(15, 10))
    sections = {**full_sections, "kien_nghi": "Đề nghị UBND thu gom rác đúng giờ."}
    for user, code in ((an, "2025-11"), (binh, "2025-10")):
        period = services.ensure_period(parse_period(code))
        report = services.save_draft(user=user, template=monthly, period=period, unit=user.unit,
                                     sections=sections, streams=[stream], expected_version=None)
        services.submit_report(user=user, report=report, expected_version=report.version)


def _table(document, headers):
    for table in document.tables:
        if tuple(c.text for c in table.rows[0].cells) == tuple(headers):
            return [[c.text for c in row.cells] for row in table.rows[1:]]
    raise AssertionError(f"no table {headers}")


def _bold_paragraphs(document):
    return [p.text for p in document.paragraphs
            if p.text and p.runs and all(r.bold for r in p.runs if r.text.strip())]


def _docx(report):
    out = io.BytesIO()
    cs.export_docx(user=None, consolidated=report, out=out)
    out.seek(0)
    return docx.Document(out)


# --- the 6-month report -------------------------------------------------------------------------


def test_the_half_year_report_has_the_four_parts_and_the_office_figures(world, vanphong):
    report = cs.generate_consolidated(user=vanphong, period=H2)
    assert report.title == ("Kết quả công tác nắm bắt, định hướng dư luận xã hội 6 tháng cuối"
                            " năm 2025")
    top = [s["title"] for s in cs.section_titles(report) if s["level"] == 1]
    assert top == list(figures.REVIEW_TITLES.values())
    document = _docx(report)
    bold = _bold_paragraphs(document)
    assert [h for h in bold if h in FOUR] == FOUR
    # The points of "Kết quả đạt được", numbered, in order, before part II.
    points = [p for p in bold[bold.index(FOUR[0]) + 1: bold.index(FOUR[1])]
              if re.match(r"\d+\. ", p)]  # the tables' captions are bold too
    assert [p.split(". ", 1)[0] for p in points] == [str(n) for n in range(1, len(points) + 1)]
    titles = [p.split(". ", 1)[1] for p in points]
    assert titles[:6] == [
        "Tình hình dư luận xã hội qua báo cáo của các đơn vị", "Dư luận tiềm ẩn, dự báo",
        "Tiếp nhận ý kiến nhân dân qua các kênh", "Tiếp xúc cử tri, đối thoại với nhân dân",
        "Theo dõi, giải quyết vấn đề dư luận", "Trả lời, thông tin, giải thích cho nhân dân"]
    assert "Theo dõi báo chí, mạng xã hội" in titles
    assert points[-1].endswith("Tình hình nộp báo cáo của các đơn vị")

    # Opinions by channel: 5 + 1 of cell_a and 2 of cell_b in the half-year (62.5% rounds to 62).
    assert _table(document, ("STT", "Kênh", "Số ý kiến", "Tỷ lệ")) == [
        ["1", "Khu dân cư", "5", "62%"], ["2", "Cộng tác viên", "2", "25%"],
        ["3", "Đối thoại", "1", "12%"], ["", "Cộng", "8", "100%"]]
    # By topic, with the half-year before (June's item) and the aggrieved ones.
    assert _table(document, ("STT", "Lĩnh vực", "Số ý kiến", "Kỳ trước",
                             "Bức xúc, phản đối")) == [
        ["1", "Môi trường", "5", "1", "2"], ["2", "Y tế", "3", "0", "0"]]
    assert _table(document, ("Hình thức", "Số cuộc", "Ý kiến ghi nhận")) == [
        ["Tiếp xúc cử tri", "1", "0"], ["Đối thoại", "1", "1"],
        ["Tiếp công dân", "0", "0"], ["Cộng", "2", "1"]]
    assert _table(document, ("Chỉ tiêu", "Số vấn đề")) == [
        ["Phát hiện mới trong kỳ", "3"], ["Đã trả lời, giải quyết trong kỳ", "1"],
        ["Đang theo dõi, xử lý", "2"], ["Quá hạn xử lý", "2"]]
    overdue = _table(document, ("STT", "Mã", "Vấn đề", "Đơn vị chủ trì", "Hạn xử lý"))
    assert [row[1] for row in overdue] == ["VD-1", "VD-3"]
    assert overdue[0][3:] == ["Chi bộ Tổ dân phố 1", "01/10/2025"]
    assert _table(document, ("Loại", "Số văn bản")) == [
        ["Trả lời kiến nghị", "1"], ["Thông tin, giải thích chính sách", "0"],
        ["Đính chính thông tin sai lệch", "1"], ["Cộng", "2"]]
    press = dict(_table(document, ("Chỉ tiêu", "Số lượng")))
    assert press["Tin, bài về địa bàn"] == "2" and press["Tin, bài bức xúc, phản đối"] == "1"
    assert press["Thông tin sai sự thật"] == "1"
    assert press["Thông tin sai lệch đã đính chính"] == "0"
    # The units' reporting unit by unit is the appendix, after the signature; the units' complete
    # texts of every month (the monthly reports' appendix) are not repeated in a review.
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[paragraphs.index("PHỤ LỤC") + 1] == (
        "TÌNH HÌNH NỘP BÁO CÁO CỦA TỪNG ĐƠN VỊ")
    assert "TOÀN VĂN BÁO CÁO CỦA CÁC ĐƠN VỊ" not in paragraphs
    # The chart of opinions by topic is in the document.
    assert len(document.inline_shapes) >= 1
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Biểu đồ: Ý kiến nhân dân theo lĩnh vực" in text

    # Part II drafted from the data; part III from what rose and what is overdue.
    shortcomings = report.sections[figures.HAN_CHE]
    assert "2 vấn đề dư luận quá hạn xử lý chưa có kết quả (VD-1, VD-3)" in shortcomings
    assert "1 ý kiến, kiến nghị người dân đề nghị được trả lời chưa được trả lời" in shortcomings
    assert "1 thông tin sai sự thật, xuyên tạc chưa được đính chính" in shortcomings
    assert "Các đơn vị mới nộp 2/" in shortcomings  # two reports of the months owed
    direction = report.sections[figures.PHUONG_HUONG]
    assert "Theo dõi sát dư luận về Môi trường (tăng so với kỳ trước)" in direction
    assert "giải quyết dứt điểm 2 vấn đề quá hạn" in direction
    assert "- Thu gom rác đúng giờ — 2 đơn vị." in report.sections[figures.KIEN_NGHI]
    assert "Tăng nhiều so với kỳ trước: Môi trường (từ 1 lên 5 ý kiến)" in report.sections[
        figures.block_key(FigureBlock("y_kien", ""))]


def test_the_office_edits_a_drafted_part_and_a_refresh_keeps_it(world, vanphong):
    report = cs.generate_consolidated(user=vanphong, period=H2)
    edited = "1. Hạn chế\n- Ban đã viết lại phần này."
    cs.update_consolidated(user=vanphong, consolidated=report,
                           sections={figures.HAN_CHE: edited}, number="12", title=report.title,
                           recipients=report.recipients, signer_name="",
                           expected_version=report.version)
    again = cs.generate_consolidated(user=vanphong, period=H2)
    assert again.sections[figures.HAN_CHE] == edited
    assert cs.edited_sections(again) == [figures.HAN_CHE]
    assert "Ban đã viết lại phần này." in "\n".join(p.text for p in _docx(again).paragraphs)


def test_the_xlsx_has_a_sheet_per_figure_table(world, vanphong):
    report = cs.generate_consolidated(user=vanphong, period=H2)
    out = io.BytesIO()
    cs.export_xlsx(user=None, consolidated=report, out=out)
    workbook = load_workbook(io.BytesIO(out.getvalue()))
    rows = [[c.value for c in r] for r in workbook["Ý kiến theo kênh"].iter_rows()]
    assert rows[0] == ["STT", "Kênh", "Số ý kiến", "Tỷ lệ"]
    assert rows[1] == [1, "Khu dân cư", 5, "62%"] and rows[-1] == [None, "Cộng", 8, "100%"]
    issues = [[c.value for c in r] for r in workbook["Vấn đề dư luận"].iter_rows()]
    assert issues[1:] == [["Phát hiện mới trong kỳ", 3], ["Đã trả lời, giải quyết trong kỳ", 1],
                          ["Đang theo dõi, xử lý", 2], ["Quá hạn xử lý", 2]]
    assert {"Hội nghị, đối thoại", "Trả lời, giải thích", "Báo chí, mạng xã hội",
            "Vấn đề quá hạn", "Ý kiến theo lĩnh vực"} <= set(workbook.sheetnames)


# --- scoping -------------------------------------------------------------------------------------


def test_a_party_committee_report_counts_its_subtree_only(world, party, vanphong):
    chu = _user("chu", User.Role.REPORTER, party, "Hoàng Văn Chư")
    report = cs.generate_consolidated(user=chu, period=H2, unit=party)
    document = _docx(report)
    # cell_a's items only: none of cell_b's "Cộng tác viên" ones.
    assert _table(document, ("STT", "Kênh", "Số ý kiến", "Tỷ lệ")) == [
        ["1", "Khu dân cư", "5", "83%"], ["2", "Đối thoại", "1", "17%"],
        ["", "Cộng", "6", "100%"]]
    assert _table(document, ("Hình thức", "Số cuộc", "Ý kiến ghi nhận")) == [
        ["Tiếp xúc cử tri", "0", "0"], ["Đối thoại", "1", "1"], ["Tiếp công dân", "0", "0"],
        ["Cộng", "1", "1"]]
    # VD-1 only (cell_a's); VD-2 and VD-3 are cell_b's.
    assert _table(document, ("Chỉ tiêu", "Số vấn đề")) == [
        ["Phát hiện mới trong kỳ", "1"], ["Đã trả lời, giải quyết trong kỳ", "0"],
        ["Đang theo dõi, xử lý", "1"], ["Quá hạn xử lý", "1"]]
    keys = [block["key"] for block in report.data["figures"]]
    # No answer of its own; the press is the ward's. The scorecards rank its own units only.
    assert keys[:3] == ["y_kien", "hoi_nghi", "van_de"] and "tra_loi" not in keys
    assert "bao_chi" not in keys
    scored = next(b for b in report.data["figures"] if b["key"] == "danh_gia")
    ranked = scored["tables"][1]["rows"]
    assert {row[1] for row in ranked} <= {"Đảng bộ Khối Bắc", "Chi bộ Tổ dân phố 1"}
    everything = "\n".join([p.text for p in document.paragraphs]
                           + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert "VD-3" not in everything and "Cộng tác viên" not in everything
    assert "Chi bộ Tổ dân phố 2" not in everything
    assert report.sections[figures.HAN_CHE].count("quá hạn xử lý chưa có kết quả (VD-1)") == 1


def test_a_provider_gets_the_report_scope_and_its_block_slots_in(world, party, cell_a, vanphong):
    """The contract another app (the plan's tasks) fills: a block per period and scope."""
    seen = []

    def plan_tasks(start, end, unit_ids):
        seen.append((start, end, unit_ids))
        return FigureBlock(
            key="ke_hoach", title="Thực hiện kế hoạch", order=65,
            lines=("Hoàn thành 3/4 nhiệm vụ của kế hoạch",),
            tables=(FigureTable("Nhiệm vụ của kế hoạch", ("Nhiệm vụ", "Tình trạng"),
                                (("Tuyên truyền Chỉ thị 47", "Đã xong"),), "Kế hoạch"),),
            shortcomings=("1 nhiệm vụ chậm tiến độ",),
            proposals=("Đề nghị Thành ủy hỗ trợ kinh phí tuyên truyền",),
        )

    extensions.register_figures("ke_hoach", plan_tasks)
    try:
        ward_report = cs.generate_consolidated(user=vanphong, period=H2)
        cs.generate_consolidated(user=vanphong, period=H2, unit=party)
    finally:
        extensions.unregister_figures("ke_hoach")
    assert seen[0] == (H2.start, H2.end, None)
    assert seen[1] == (H2.start, H2.end, {party.pk, cell_a.pk})
    assert "- 1 nhiệm vụ chậm tiến độ." in ward_report.sections[figures.HAN_CHE]
    assert "- Đề nghị Thành ủy hỗ trợ kinh phí tuyên truyền." in ward_report.sections[
        figures.KIEN_NGHI]
    document = _docx(ward_report)
    assert _table(document, ("Nhiệm vụ", "Tình trạng")) == [["Tuyên truyền Chỉ thị 47",
                                                             "Đã xong"]]


# --- the annual report and the command line ------------------------------------------------------


def test_the_annual_report_counts_the_whole_year(world, vanphong):
    report = cs.generate_consolidated(user=vanphong, period=YEAR)
    assert report.title.endswith("năm 2025")
    document = _docx(report)
    assert [h for h in _bold_paragraphs(document) if h in FOUR] == FOUR
    # June's item joins the half-year's eight; January 2026's stays out.
    assert _table(document, ("STT", "Kênh", "Số ý kiến", "Tỷ lệ"))[-1] == ["", "Cộng", "9",
                                                                         "100%"]
    assert _table(document, ("STT", "Lĩnh vực", "Số ý kiến", "Kỳ trước",
                             "Bức xúc, phản đối"))[0] == ["1", "Môi trường", "6", "0", "2"]


def test_the_monthly_report_keeps_its_layout(world, vanphong):
    report = cs.generate_consolidated(user=vanphong, period=parse_period("2025-11"))
    assert report.data["figures"] is None
    assert [s["key"] for s in cs.section_titles(report)][:4] == [
        "tu_tuong", "du_luan_noi_bat", "du_luan_tiem_an", "kien_nghi"]


@pytest.mark.parametrize("code", ["2025-H2", "2025"])
def test_cli_writes_the_review_docx_and_xlsx(world, capsys, tmp_path, code):
    out, sheet = tmp_path / f"{code}.docx", tmp_path / f"{code}.xlsx"
    status = main(["consolidate", "--period", code, "--out", str(out), "--xlsx", str(sheet)])
    stdout, err = capsys.readouterr()
    assert status == 0, err
    assert str(out) in stdout and str(sheet) in stdout
    document = docx.Document(out)
    assert [h for h in _bold_paragraphs(document) if h in FOUR] == FOUR
    workbook = load_workbook(sheet)
    total = 8 if code == "2025-H2" else 9
    assert [c.value for c in list(workbook["Ý kiến theo kênh"].iter_rows())[-1]] == [
        None, "Cộng", total, "100%"]
    assert AuditEntry.objects.filter(action="export", actor=None).count() == 2
