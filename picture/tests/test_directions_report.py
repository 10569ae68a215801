"""The consolidated report carries "Ý kiến chỉ đạo của Ban Thường vụ" (registered by picture)."""

import datetime as dt
import io

import docx

from picture import services
from picture.direction_report import SECTION_KEY, SECTION_TITLE, direction_lines
from picture.models import Direction
from reporting.periods import parse_period
from reporting.services import consolidation as cs


def test_the_directions_of_the_month_appear_in_the_consolidated_report(
    give, clock, vanphong, an, cell_a, cell_b, monthly
):
    direction = give([cell_a, cell_b], "Tổ chức đối thoại với tiểu thương chợ Hòa Bình.")
    give([cell_a], "Khảo sát nhanh hộ dân ven sông.", kind=Direction.Kind.TASK)
    services.report_progress(user=an, direction=direction, unit=cell_a, note="Đã đối thoại.",
                             status=Direction.Status.DONE)
    report = cs.generate_consolidated(user=vanphong, period=parse_period("2026-01"))
    text = report.sections[SECTION_KEY]
    assert direction.code in text and "đối thoại với tiểu thương" in text
    assert "Chi bộ Tổ dân phố 1, Chi bộ Tổ dân phố 2" in text
    assert "1/2 đơn vị đã hoàn thành" in text
    assert "Khảo sát nhanh" not in text  # a gap-filling task is not a direction of the committee
    out = io.BytesIO()
    cs.export_docx(user=vanphong, consolidated=report, out=out)
    body = "\n".join(p.text for p in docx.Document(io.BytesIO(out.getvalue())).paragraphs)
    assert SECTION_TITLE.upper() in body and direction.code in body


def test_a_month_without_directions_has_none(give, clock, cell_a):
    give([cell_a])
    assert direction_lines(dt.date(2025, 11, 1), dt.date(2025, 11, 30)) == []
    assert len(direction_lines(dt.date(2026, 1, 1), dt.date(2026, 1, 31))) == 1
    assert direction_lines(dt.date(2026, 1, 1), dt.date(2026, 1, 31), {cell_a.pk + 999}) == []
