"""The office's page of its collaborators' work (R5, R6): activity per collaborator and month,
the mark on those inactive for two months, and what no working collaborator covers. The office
only (its own staff); anyone else is "not found"."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.dates import local_today
from core.views import require_office
from evaluation import collaborators as selectors
from evaluation.views import _period
from orgs.models import OrgUnit
from reporting.periods import parse_period

PAGE_SIZE = 50


@login_required
def collaborator_activity(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    today = local_today()
    if request.GET.get("ky"):
        key, period_error = _period(request)
    else:  # the half-year of last month: whole months to look at, even on the 1st of January
        last = selectors.inactivity_window(today)[1]
        key, period_error = parse_period(f"{last.year}-H{1 if last.number <= 6 else 2}"), ""
    unit_raw = request.GET.get("don_vi") or ""
    recent = selectors.recent_work(today)  # shared by the activity and the coverage
    result = selectors.activity(key, unit_id=int(unit_raw) if unit_raw.isdigit() else None,
                                today=today, recent=recent)
    rows = result.inactive if request.GET.get("khong_hoat_dong") else result.rows
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.cells = [(m, row.months[m.code]) for m in result.months]
    return render(request, "evaluation/collaborator_activity.html", {
        "key": key, "period_error": period_error, "activity": result, "page": page,
        "coverage": selectors.coverage(today=today, recent=recent), "unit_raw": unit_raw,
        "only_inactive": bool(request.GET.get("khong_hoat_dong")),
        "units": OrgUnit.objects.filter(collaborators__isnull=False).distinct()
        .order_by("sort_key"),
        "query": request.GET.urlencode(),
    })
