"""The surveys of a 6-month or annual report (issue 11): each survey answered in the period, its
answers then, and its headline result (the analysis world's hand-computed figures)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from reporting.figures import FigureBlock
from surveys.models import Response
from surveys.report_figures import survey_figures
from surveys.tests.analysis_world import build_world

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
H1 = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))


def test_the_surveys_of_the_half_year_with_their_headline(cell_a, cell_b, vanphong):
    survey = build_world(cell_a)
    survey.weighting_method, survey.weighting_variables = "poststrat", ["gioi_tinh"]
    survey.save()
    Response.objects.filter(survey=survey).update(
        received_at=dt.datetime(2026, 1, 20, 9, tzinfo=HANOI))
    block = survey_figures(*H1)
    assert isinstance(block, FigureBlock) and block.key == "khao_sat"
    # "hai_long = co": 3 men and 2 women, post-stratified by gender: 58.33% (analysis_world);
    # the area, sex and age-group questions come first and are not the headline.
    headline = "Ông/bà có hài lòng với việc chỉnh trang Hòa Bình không?: Có 58,3%"
    assert block.tables[0].rows == (
        (1, "Khảo sát chỉnh trang đô thị Hòa Bình", 10, "Đang thu thập", headline),)
    assert block.lines == ("Tổ chức 1 cuộc khảo sát dư luận, thu 10 phiếu trả lời trong kỳ",
                           f"«Khảo sát chỉnh trang đô thị Hòa Bình»: {headline}")
    # Not in another period; not in the report of a unit that did not run it.
    assert survey_figures(dt.date(2025, 7, 1), dt.date(2025, 12, 31)) is None
    assert survey_figures(*H1, unit_ids={cell_b.pk}) is None
    assert survey_figures(*H1, unit_ids={cell_a.pk}) is not None
