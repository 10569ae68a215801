"""The scorecards' summary and the collaborators' activity in the 6-month report (issue 11), on
the constructed half-year of conftest (scores hand-computed in test_scorecards: Chi bộ Khu đô
thị mới 100, Chi bộ Tổ dân phố 1 42.9, Chi bộ Tổ dân phố 2 and Chi bộ An Lư cũ 0)."""

import io

import docx

from evaluation.report_figures import collaborator_figures, scorecard_figures
from reporting.periods import parse_period
from reporting.services import consolidation as cs

KEY = parse_period("2025-H2")
FAILED = "Không hoàn thành nhiệm vụ"
EXCELLENT = "Hoàn thành xuất sắc nhiệm vụ"


def test_the_classification_counts_and_the_ranking(half_year):
    block = scorecard_figures(KEY.start, KEY.end)
    counts, ranked = block.tables
    assert counts.rows == (
        (EXCELLENT, 1, "25%"), ("Hoàn thành tốt nhiệm vụ", 0, "0%"),
        ("Hoàn thành nhiệm vụ", 0, "0%"), (FAILED, 3, "75%"), ("Chưa đủ số liệu", 0, "0%"),
        ("Cộng", 4, "100%"))
    assert ranked.rows == (
        (1, "Chi bộ Khu đô thị mới", "100,0", EXCELLENT),
        (2, "Chi bộ Tổ dân phố 1", "42,9", FAILED),
        (3, "Chi bộ An Lư cũ", "0,0", FAILED),
        (3, "Chi bộ Tổ dân phố 2", "0,0", FAILED))
    assert block.shortcomings == (
        "3 đơn vị không hoàn thành nhiệm vụ theo bộ tiêu chí đánh giá: Chi bộ Tổ dân phố 1,"
        " Chi bộ An Lư cũ, Chi bộ Tổ dân phố 2",)
    assert block.charts[0].values == (1, 0, 0, 3, 0)


def test_a_subtree_ranks_its_own_units(half_year, cell_new):
    block = scorecard_figures(KEY.start, KEY.end, {cell_new.pk})
    assert block.tables[1].rows == ((1, "Chi bộ Khu đô thị mới", "100,0", EXCELLENT),)
    assert block.shortcomings == ()


def test_the_collaborators_activity(half_year, cell_a, cell_new):
    block = collaborator_figures(KEY.start, KEY.end)
    assert block.tables[0].rows == (("Chi bộ Khu đô thị mới", 1, 1, 6, 0, 0),
                                    ("Cộng", 1, 1, 6, 0, 0))
    assert block.lines == ("1 cộng tác viên, 1 người có hoạt động trong kỳ: phản ánh 6 ý kiến,"
                           " thực hiện 0 phiếu phỏng vấn, ghi 0 biên bản hội nghị",)
    assert block.shortcomings == ()  # active in the half-year
    assert collaborator_figures(KEY.start, KEY.end, {cell_a.pk}) is None


def test_the_half_year_report_carries_both(half_year, vanphong):
    report = cs.generate_consolidated(user=vanphong, period=KEY)
    out = io.BytesIO()
    cs.export_docx(user=vanphong, consolidated=report, out=out)
    document = docx.Document(io.BytesIO(out.getvalue()))
    headers = [tuple(c.text for c in t.rows[0].cells) for t in document.tables]
    assert ("Xếp loại", "Số đơn vị", "Tỷ lệ") in headers
    assert ("Đơn vị", "Số cộng tác viên", "Có hoạt động", "Ý kiến phản ánh", "Phiếu phỏng vấn",
            "Biên bản hội nghị") in headers
    assert "Chi bộ Tổ dân phố 1, Chi bộ An Lư cũ" in report.sections["han_che"]


def test_a_collaborator_with_nothing_in_the_period_is_a_shortcoming(half_year, cell_a):
    import datetime as dt

    from orgs.models import Collaborator

    Collaborator.objects.create(full_name="Trần Văn Lặng", unit=cell_a,
                                started_on=dt.date(2025, 7, 1))
    block = collaborator_figures(KEY.start, KEY.end)
    assert block.shortcomings == (
        "1/2 cộng tác viên không có hoạt động nào trong kỳ (Trần Văn Lặng)",)
    # The most active unit first.
    assert [row[0] for row in block.tables[0].rows] == [
        "Chi bộ Khu đô thị mới", "Chi bộ Tổ dân phố 1", "Cộng"]
    assert block.tables[0].rows[1] == ("Chi bộ Tổ dân phố 1", 1, 0, 0, 0, 0)
