"""The consolidated report's section on carrying out the plan: dissemination sessions held and
inspections made in the period, for the ward or a subtree (registered in ``apps.py`` through
``reporting.extensions``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from plans.models import Inspection
from plans.selectors import plan_figures

SECTION_KEY = "quan_triet_kiem_tra"
SECTION_TITLE = "Quán triệt, triển khai kế hoạch; kiểm tra, giám sát"


def plan_lines(start: dt.date, end: dt.date, unit_ids: set[int] | None) -> Iterable[str]:
    figures = plan_figures(start, end, unit_ids)
    lines = []
    if figures["sessions"]:
        share = ""
        if figures["expected"]:
            share = f" (đạt {round(100 * figures['attendance'] / figures['expected'])}% số" \
                    " người phải dự ở các buổi có ghi số phải dự)"
        lines.append(
            f"Trong kỳ, {figures['session_units']} đơn vị tổ chức {figures['sessions']} buổi"
            f" quán triệt, triển khai với {figures['attendance']} lượt người dự{share}.")
    if figures["inspections"] or figures["supervisions"]:
        lines.append(
            f"Tiến hành {figures['inspections']} cuộc kiểm tra,"
            f" {figures['supervisions']} cuộc giám sát việc thực hiện;"
            f" {figures['follow_up_open']} cuộc còn kiến nghị chưa khắc phục xong.")
        found = Inspection.objects.filter(held_on__gte=start, held_on__lte=end)
        if unit_ids is not None:
            found = found.filter(inspected_unit_id__in=unit_ids)
        for row in found.select_related("inspected_unit").order_by("held_on", "pk")[:20]:
            lines.append(f"- {row.get_kind_display()} {row.inspected_unit.name}"
                         f" ({row.held_on:%d/%m/%Y}): {row.findings}")
    return lines
