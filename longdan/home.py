"""The home page (``/``) by role: each person lands on what they do.

- a leader of the Standing Committee: the picture of opinion (what residents think);
- a collaborator: the quick report, the opinions they wrote down with what became of them, the
  surveys they collect for;
- a unit (a chi bộ, an agency such as the UBND, the MTTQ or the HĐND, an organisation): what waits
  for it (directions to carry out, issues to handle and answer), then its reporting cycle;
- the office: the reporting cycle's compliance of the month, and the units that have not done
  what the plans ask (plans).

It lives at the top floor because it chooses between apps (reporting below, picture above).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.dates import local_today
from flash.selectors import waiting_for_unit as flash_waiting
from longdan import home_selectors as selectors
from orgs.models import User
from picture.views.picture import render_picture
from plans.views import home_panel as plan_panel
from reporting.views import home as reporting_home
from reporting.views import home_context as reporting_context


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_leader:
        return render_picture(request)
    if user.role == User.Role.COLLABORATOR:
        return collaborator_home(request)
    if user.unit_id and not user.sees_everything:
        return unit_home(request)
    if user.is_office:
        return office_home(request)
    return reporting_home(request)


def office_home(request: HttpRequest) -> HttpResponse:
    context = reporting_context(request.user)
    context["plan_gaps"] = plan_panel(request.user, local_today())
    return render(request, "reporting/home.html", context)


def collaborator_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(request, "longdan/home_collaborator.html", {
        "items": selectors.recent_items(user),
        "month": selectors.month_figures(user),
        "areas": selectors.covered_areas(user),
        "surveys": selectors.surveys_to_collect(user),
        "today": local_today(),
    })


def unit_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = reporting_context(user)
    context.update({
        "directions": selectors.directions_waiting(user),
        "issues": selectors.issues_to_handle(user),
        "reports_owed": selectors.owes_reports(user, context.get("template")),
        "flash_waiting": flash_waiting(user),
        "other_templates": selectors.other_templates(user, context.get("template")),
        "today": local_today(),
    })
    return render(request, "longdan/home_unit.html", context)
