"""The unit's accountability page (R8) and its XLSX export; scoped like the unit page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.dates import local_today
from core.views import xlsx_response
from orgs.selectors import get_unit_for
from picture.accountability import accountability_for

HEADERS = [
    "Tháng", "Báo cáo nộp muộn", "Báo cáo không nộp", "Vấn đề quá hạn", "Chỉ đạo quá hạn",
    "Vấn đề đã trả lời", "Số ngày trả lời (trung vị)",
]


def _days(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}".replace(".", ",")


@login_required
def unit_accountability(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk)
    figures = accountability_for(request.user, unit)
    return render(request, "picture/accountability.html", {
        "unit": unit,
        "figures": figures,
        "median_days": _days(figures.median_days),
        "rows": [(m, _days(m.median_days)) for m in figures.months],
    })


@login_required
def unit_accountability_export(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk)
    figures = accountability_for(request.user, unit)
    rows = [
        [m.period.label, _count(m.late_reports), _count(m.missing_reports), m.issues_overdue,
         m.directions_overdue, m.answered, _days(m.median_days)]
        for m in figures.months
    ]
    return xlsx_response(
        request=request, filename=f"trach-nhiem-{unit.code}-{local_today():%Y%m%d}.xlsx",
        sheet_title="Trách nhiệm 12 tháng", headers=HEADERS, rows=rows,
        object_type="orgs.orgunit", data={"unit": unit.pk},
    )


def _count(value: int | None) -> int | str:
    return "—" if value is None else value
