"""The incidents' pages (R8): the list (the office and the leaders: every unit's, with the
candidates the data suggest for the office to confirm; a unit's people: their own unit's),
recording one (office), an incident and its review (the office concludes). Thin: reads through
``evaluation.incidents``, writes through ``evaluation.incident_services``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.dates import local_today
from core.errors import ServiceError
from core.views import require_office
from evaluation import incident_services
from evaluation import incidents as selectors
from evaluation.models import Incident
from evaluation.views import _period
from orgs.models import OrgUnit

PAGE_SIZE = 50


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    key, period_error = _period(request)
    of_period = selectors.incidents_visible_to(request.user).filter(
        occurred_on__gte=key.start, occurred_on__lte=key.end)
    rows = of_period
    unit_raw = request.GET.get("don_vi") or ""
    if unit_raw.isdigit():
        rows = rows.filter(unit_id=int(unit_raw))
    outcome = request.GET.get("ket_qua")
    if outcome == "cho":
        rows = rows.filter(outcome="")
    elif outcome in Incident.Outcome.values:
        rows = rows.filter(outcome=outcome)
    page = Paginator(rows.order_by("-occurred_on", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    candidates = selectors.candidates(key) if request.user.is_office else []
    # The dropdown lists every unit of the period, not only the one chosen.
    units = (OrgUnit.objects.filter(pk__in=of_period.values("unit_id")).order_by("sort_key")
             if request.user.sees_everything else [])
    return render(request, "evaluation/incident_list.html", {
        "key": key, "period_error": period_error, "page": page, "candidates": candidates,
        "is_office": request.user.is_office, "units": units, "unit_raw": unit_raw,
        "outcome": outcome or "", "outcomes": Incident.Outcome.choices[1:],
    })


def _initial(request: HttpRequest) -> dict:
    data = request.POST if request.method == "POST" else request.GET
    return {
        "unit": data.get("don_vi", ""), "kind": data.get("loai", ""),
        "occurred_on": data.get("ngay", "") or local_today().isoformat(),
        "description": data.get("mo_ta", ""), "source": data.get("nguon", "other"),
        "source_pk": data.get("ma", ""), "source_label": data.get("can_cu", ""),
    }


@login_required
@require_http_methods(["GET", "POST"])
def incident_new(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    values = _initial(request)
    error = ""
    if request.method == "POST":
        unit = OrgUnit.objects.filter(pk=int(values["unit"])).first() \
            if values["unit"].isdigit() else None
        try:
            incident = incident_services.record_incident(
                actor=request.user, unit=unit, kind=values["kind"],
                occurred_on=_date(values["occurred_on"]), description=values["description"],
                source=values["source"],
                source_pk=int(values["source_pk"]) if values["source_pk"].isdigit() else None,
                source_label=values["source_label"],
            )
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, f"Đã ghi nhận vụ việc của {incident.unit.name}.")
            return redirect("evaluation:incident_detail", pk=incident.pk)
    return render(request, "evaluation/incident_form.html", {
        "values": values, "error": error, "kinds": Incident.Kind.choices,
        "sources": Incident.Source.choices,
        "units": OrgUnit.objects.exclude(kind__in=[OrgUnit.Kind.WARD_COMMITTEE,
                                                   OrgUnit.Kind.OFFICE]).order_by("sort_key"),
    })


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = selectors.get_incident_for(request.user, pk)
    return render(request, "evaluation/incident_detail.html", {
        "incident": incident, "is_office": request.user.is_office,
        "outcomes": Incident.Outcome.choices[1:], "today": local_today(),
    })


@login_required
@require_POST
def incident_review(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    incident = selectors.get_incident_for(request.user, pk)
    try:
        incident_services.review_incident(
            actor=request.user, incident=incident, outcome=request.POST.get("outcome", ""),
            review=request.POST.get("review", ""),
            decided_on=_date(request.POST.get("decided_on", "")),
            decision_ref=request.POST.get("decision_ref", ""),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã ghi kết luận: {incident.get_outcome_display().lower()}.")
    return redirect(reverse("evaluation:incident_detail", kwargs={"pk": incident.pk}))


@login_required
@require_POST
def candidate_dismiss(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    data = request.POST
    unit = OrgUnit.objects.filter(pk=int(data["don_vi"])).first() \
        if (data.get("don_vi") or "").isdigit() else None
    source_pk = data.get("ma") or ""
    try:
        incident_services.dismiss_candidate(
            actor=request.user, unit=unit, source=data.get("nguon", ""),
            source_pk=int(source_pk) if source_pk.isdigit() else None,
            reason=data.get("ly_do", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã bỏ qua dấu hiệu của {unit.name}.")
    return redirect(f"{reverse('evaluation:incident_list')}?ky={data.get('ky', '')}")
