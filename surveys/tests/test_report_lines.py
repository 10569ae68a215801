"""The consolidated report names the period's surveys (issue 13: the other channels)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from reporting.periods import parse_period
from reporting.services import consolidation as cs
from surveys.models import Response, Survey
from surveys.report_lines import survey_lines

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def answered(survey: Survey, when: dt.datetime, n: int, start: int = 0) -> None:
    version = survey.versions.get()
    for i in range(start, start + n):
        response = Response.objects.create(survey=survey, form_version=version,
                                           instance_id=f"uuid:{survey.pk}-{i}", data={},
                                           source=Response.Source.WEB)
        Response.objects.filter(pk=response.pk).update(received_at=when)


def test_a_survey_answered_in_the_period_is_named_with_its_counts(open_survey, vanphong):
    answered(open_survey, dt.datetime(2026, 1, 10, 9, tzinfo=HANOI), 1200)
    answered(open_survey, dt.datetime(2025, 12, 20, 9, tzinfo=HANOI), 30, start=5000)
    # Midnight on the first local day of January is January's, though it is December in UTC.
    answered(open_survey, dt.datetime(2026, 1, 1, 0, 30, tzinfo=HANOI), 2, start=9000)
    lines = survey_lines(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert lines == [
        "Khảo sát trong kỳ: «Khảo sát ý kiến nhân dân về chỉnh trang đô thị» (lấy ý kiến về Dự án"
        " chỉnh trang vỉa hè các tuyến phố chính; 1.202 phiếu trong kỳ, 1.232 phiếu từ đầu; đang"
        " thu thập)."
    ]
    assert survey_lines(dt.date(2026, 2, 1), dt.date(2026, 2, 28)) == []
    # A unit's report names only the surveys its units run.
    assert survey_lines(dt.date(2026, 1, 1), dt.date(2026, 1, 31), unit_ids={-1}) == []


def test_the_consolidated_report_carries_the_line_in_section_two(open_survey, vanphong, an,
                                                                   monthly):
    answered(open_survey, dt.datetime(2026, 1, 10, 9, tzinfo=HANOI), 3)
    report = cs.generate_consolidated(user=vanphong, period=parse_period("2026-01"))
    assert "Khảo sát trong kỳ: «Khảo sát ý kiến nhân dân về chỉnh trang đô thị»" in (
        report.sections["du_luan_noi_bat"])
