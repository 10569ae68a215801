"""Inspections and supervisions of the plan's carrying out (kiểm tra, giám sát): the list
(scoped to the inspected unit), recording one and its follow-up (the office)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.dates import local_today
from core.errors import ServiceError
from core.views import require_office, xlsx_response
from orgs.models import OrgUnit
from plans import selectors, services
from plans.models import Inspection
from plans.views import _date, _int

PAGE_SIZE = 25


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    query, kind = request.GET.get("q", ""), request.GET.get("loai", "")
    follow_up = request.GET.get("khac_phuc", "")
    rows = selectors.search_inspections(request.user, query=query, kind=kind,
                                        follow_up=follow_up)
    sort = request.GET.get("sort", "-ngay")
    rows = rows.order_by(*(("held_on", "pk") if sort == "ngay" else ("-held_on", "-pk")))
    if request.GET.get("xuat") == "xlsx":
        return xlsx_response(
            request=request, filename="kiem-tra-giam-sat.xlsx", sheet_title="Kiểm tra, giám sát",
            object_type="plans.inspection",
            headers=["Ngày", "Hình thức", "Đơn vị kiểm tra", "Đơn vị được kiểm tra",
                     "Kế hoạch", "Kết quả, hạn chế", "Kiến nghị", "Khắc phục"],
            rows=[[r.held_on, r.get_kind_display(), r.inspecting_unit.name,
                   r.inspected_unit.name, r.plan.number if r.plan else "", r.findings,
                   r.recommendations, r.get_follow_up_display()] for r in rows])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    export = request.GET.copy()
    export["xuat"] = "xlsx"
    return render(request, "plans/inspection_list.html", {
        "page": page, "query": query, "kind": kind, "follow_up": follow_up, "sort": sort,
        "kinds": Inspection.Kind.choices, "follow_ups": Inspection.FollowUp.choices,
        "is_office": request.user.is_office, "export_query": export.urlencode(),
        "filtered": bool(query or kind or follow_up),
    })


@login_required
@require_http_methods(["GET", "POST"])
def inspection_new(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    data = request.POST if request.method == "POST" else {
        "held_on": local_today().isoformat(),
        "inspected_unit": request.GET.get("don_vi", "")}
    error = None
    if request.method == "POST":
        def unit(name: str) -> OrgUnit | None:
            return OrgUnit.objects.filter(pk=_int(data.get(name)) or 0).first()

        plan = selectors.plans_visible_to(request.user).filter(
            pk=_int(data.get("plan")) or 0).first()
        try:
            row = services.record_inspection(
                actor=request.user, kind=data.get("kind", ""),
                inspecting_unit=unit("inspecting_unit"), inspected_unit=unit("inspected_unit"),
                held_on=_date(data.get("held_on")), findings=data.get("findings", ""),
                recommendations=data.get("recommendations", ""), plan=plan)
        except ServiceError as exc:
            error = exc
        else:
            messages.success(request, f"Đã ghi {row.get_kind_display().lower()}"
                                      f" {row.inspected_unit.name}.")
            return redirect("plans:inspection_detail", pk=row.pk)
    return render(request, "plans/inspection_form.html", {
        "data": data, "error": error, "kinds": Inspection.Kind.choices,
        "plans": selectors.plans_visible_to(request.user),
        "units": OrgUnit.objects.filter(closed_on__isnull=True).order_by("sort_key"),
    }, status=400 if error else 200)


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.get_inspection(request.user, pk)
    return render(request, "plans/inspection_detail.html", {
        "row": row, "is_office": request.user.is_office,
        "follow_ups": Inspection.FollowUp.choices,
    })


@login_required
@require_POST
def inspection_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    row = selectors.get_inspection(request.user, pk)
    try:
        services.update_follow_up(
            actor=request.user, inspection=row, follow_up=request.POST.get("follow_up", ""),
            note=request.POST.get("note", ""),
            expected_version=_int(request.POST.get("version")))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã ghi kết quả khắc phục.")
    return redirect("plans:inspection_detail", pk=row.pk)
