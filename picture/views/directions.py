"""Pages of directions (ý kiến chỉ đạo): the list and its export, the form a leader writes on, a
direction's page with the units' acknowledgement and progress, a unit's directions (a fragment the
unit page loads) and the unit's accountability page.

Thin: reads through ``picture.direction_selectors`` (outside the reader's scope is "not found"),
writes through ``picture.services`` with the refused write's Vietnamese message shown.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.dates import local_today
from core.errors import ServiceError
from core.models import Topic
from core.views import sort_links, xlsx_response
from issues.selectors import get_issue_for, issues_visible_to
from orgs.models import Area, OrgUnit
from orgs.selectors import get_unit_for
from picture import direction_selectors as selectors
from picture import services
from picture.direction_forms import (
    DirectionFilterForm,
    DirectionForm,
    DirectionStatusForm,
    ProgressForm,
)
from picture.models import Direction
from reporting.selectors import get_report_for, reports_visible_to

PAGE_SIZE = 25


# --- list and export ----------------------------------------------------------------------------


def _filters(request: HttpRequest) -> tuple[DirectionFilterForm, selectors.DirectionFilter]:
    form = DirectionFilterForm(request.GET or None,
                               units=selectors.units_for_filter(request.user))
    if not form.is_bound or not form.is_valid():
        return form, selectors.DirectionFilter()
    data = form.cleaned_data
    return form, selectors.DirectionFilter(
        status=data["status"] or "",
        overdue=data["overdue"],
        unit_id=data["unit"].pk if data["unit"] else None,
        kind=data["kind"] or "",
        query=data["q"].strip(),
        sort=data["sort"] or selectors.DEFAULT_SORT,
    )


@login_required
def direction_list(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    directions = selectors.filtered_directions(request.user, filters)
    page = Paginator(directions, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.decorate(request.user, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "picture/direction_list.html", {
        "form": form,
        "page": page,
        "sorts": sort_links(request, selectors.DIRECTION_SORTS, filters.sort),
        "query": query.urlencode(),
        "counts": selectors.direction_counts(request.user),
        "can_direct": services.can_direct(request.user),
        "filtered": any([filters.status, filters.overdue, filters.unit_id, filters.kind,
                         filters.query]),
    })


@login_required
def direction_export(request: HttpRequest) -> HttpResponse:
    _, filters = _filters(request)
    directions = selectors.decorate(
        request.user, selectors.filtered_directions(request.user, filters)
    )
    rows = [
        [d.code, d.get_kind_display(), d.text, d.state_label, "Có" if d.overdue else "",
         d.due_on, d.created_at, str(d.author or ""), d.get_target_display(), _about(d),
         "; ".join(p.unit.name for p in d.shown_parts),
         sum(1 for p in d.shown_parts if p.acknowledged_at),
         sum(1 for p in d.shown_parts if p.status == Direction.Status.DONE)]
        for d in directions
    ]
    headers = [
        "Số", "Loại", "Nội dung", "Trạng thái", "Quá hạn", "Hạn hoàn thành", "Ngày giao",
        "Người chỉ đạo", "Chỉ đạo về", "Đối tượng", "Đơn vị thực hiện", "Số đơn vị đã nhận",
        "Số đơn vị đã hoàn thành",
    ]
    return xlsx_response(
        request=request, filename=f"chi-dao-{local_today():%Y%m%d}.xlsx",
        sheet_title="Ý kiến chỉ đạo", headers=headers, rows=rows,
        object_type="picture.direction",
    )


def _about(direction: Direction) -> str:
    """What the direction is about, in the words every reader may read (codes and names)."""
    if direction.issue_id:
        return direction.issue.code
    if direction.area_id:
        return direction.area.name
    if direction.topic_id:
        return direction.topic.name
    if direction.report_id:
        return f"Báo cáo {direction.report.period}"
    return ""


# --- the form a leader writes on ----------------------------------------------------------------


def _require_director(request: HttpRequest) -> None:
    # Anyone else is told "not found", as for a record outside their scope.
    if not services.can_direct(request.user):
        raise Http404("Không tìm thấy trang.")


def _prefill(request: HttpRequest) -> tuple[dict, dict]:
    """Initial values and the linked records from ?issue=, ?report=, ?area=, ?topic=."""
    source = request.POST if request.method == "POST" else request.GET
    initial: dict = {}
    linked: dict = {}
    issue_id, report_id = source.get("issue", ""), source.get("report", "")
    if issue_id.isdigit():
        issue = get_issue_for(request.user, issue_id)
        linked["issue"] = issue
        initial.update(issue=issue.pk, topic=issue.topic_id, area=issue.area_id)
        if issue.owner_unit_id:
            initial["unit_ids"] = [issue.owner_unit_id]
    if report_id.isdigit():
        report = get_report_for(request.user, report_id)
        linked["report"] = report
        initial.update(report=report.pk, unit_ids=[report.unit_id])
    area_id, topic_id = request.GET.get("area", ""), request.GET.get("topic", "")
    if area_id.isdigit():
        area = Area.objects.filter(pk=area_id).first()
        if area is not None:
            initial["area"] = area.pk
            if area.unit_id and "unit_ids" not in initial:
                initial["unit_ids"] = [area.unit_id]
    if topic_id.isdigit() and Topic.objects.filter(pk=topic_id).exists():
        initial["topic"] = int(topic_id)
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit() and "unit_ids" not in initial:
        initial["unit_ids"] = [int(unit_id)]
    return initial, linked


@login_required
@require_http_methods(["GET", "POST"])
def direction_create(request: HttpRequest) -> HttpResponse:
    _require_director(request)
    initial, linked = _prefill(request)
    units = OrgUnit.objects.filter(pk__in=[u.pk for u in services.addressable_units(
        request.user)]).order_by("sort_key", "name")
    form = DirectionForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            direction = services.create_direction(
                author=request.user, text=data["text"], due_on=data["due_on"],
                unit_ids=[u.pk for u in data["unit_ids"]], kind=data["kind"],
                action=data["action"] or "", issue=linked.get("issue"),
                report=linked.get("report"), area=data["area"], topic=data["topic"],
                social_group=data["social_group"],
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Đã giao {direction.code} cho "
                             f"{direction.assignments.count()} đơn vị.")
            return redirect("picture:direction_detail", pk=direction.pk)
    return render(request, "picture/direction_form.html", {"form": form, **linked})


# --- one direction ------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, direction: Direction) -> dict:
    user = request.user
    parts = selectors.assignments_for(user, direction)
    every = direction.assignments.count()
    closed = direction.status in selectors.CLOSED
    mine = [p for p in parts if not closed and services.can_act_for(user, p.unit_id)]
    for part in mine:
        part.progress_form = ProgressForm(initial={"unit": part.unit_id})
    context = {
        "direction": direction,
        "parts": parts,
        "hidden_units": every - len(parts),
        "my_parts": mine,
        "updates": selectors.updates_for(user, direction),
        "state": selectors.state_of(direction),
        "state_label": selectors.STATE_LABELS[selectors.state_of(direction)],
        "overdue": selectors.is_overdue(direction),
        "today": local_today(),
        "issue_visible": bool(direction.issue_id) and issues_visible_to(user).filter(
            pk=direction.issue_id).exists(),
        "report_visible": bool(direction.report_id) and reports_visible_to(user).filter(
            pk=direction.report_id).exists(),
    }
    if services.can_close(user, direction):
        context["status_form"] = DirectionStatusForm(
            current=direction.status, initial={"version": direction.version}
        )
    return context


@login_required
def direction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    direction = selectors.get_direction_for(request.user, pk)
    return render(request, "picture/direction_detail.html",
                  _detail_context(request, direction))


def _unit_of(request: HttpRequest, direction: Direction) -> OrgUnit:
    # Only a part the reader can see: another unit's part is "not found".
    unit_id = request.POST.get("unit", "")
    part = next((p for p in selectors.assignments_for(request.user, direction)
                 if str(p.unit_id) == unit_id), None)
    if part is None:
        raise Http404("Không tìm thấy đơn vị.")
    return part.unit


@login_required
@require_POST
def direction_ack(request: HttpRequest, pk: int) -> HttpResponse:
    direction = selectors.get_direction_for(request.user, pk)
    unit = _unit_of(request, direction)
    try:
        services.acknowledge(user=request.user, direction=direction, unit=unit)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{unit.name} đã xác nhận nhận {direction.code}.")
    return redirect("picture:direction_detail", pk=direction.pk)


@login_required
@require_POST
def direction_progress(request: HttpRequest, pk: int) -> HttpResponse:
    direction = selectors.get_direction_for(request.user, pk)
    unit = _unit_of(request, direction)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        label = form.fields[field].label if field in form.fields else "Tiến độ"
        messages.error(request, f"{label}: {errors[0]}")
        return redirect("picture:direction_detail", pk=direction.pk)
    try:
        services.report_progress(user=request.user, direction=direction, unit=unit,
                                 note=form.cleaned_data["note"],
                                 status=form.cleaned_data["status"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã ghi tiến độ của {unit.name}.")
    return redirect("picture:direction_detail", pk=direction.pk)


@login_required
@require_POST
def direction_status(request: HttpRequest, pk: int) -> HttpResponse:
    direction = selectors.get_direction_for(request.user, pk)
    form = DirectionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Trạng thái: hãy chọn trạng thái mới.")
        return redirect("picture:direction_detail", pk=direction.pk)
    data = form.cleaned_data
    try:
        changed = services.set_status(user=request.user, direction=direction,
                                      status=data["status"], note=data["note"],
                                      expected_version=data["version"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{changed.code}: {changed.get_status_display()}.")
    return redirect("picture:direction_detail", pk=direction.pk)


# --- the unit's directions (loaded into the unit page) ------------------------------------------


@login_required
def unit_directions(request: HttpRequest, pk: int) -> HttpResponse:
    """Directions addressed to the unit or a unit below it; a fragment for htmx, a whole page
    without (the unit page's fallback link). A unit outside the scope is "not found"."""
    unit = get_unit_for(request.user, pk)
    directions = selectors.unit_directions(request.user, unit)
    fragment = request.headers.get("HX-Request") == "true"
    name = "picture/includes/unit_directions.html" if fragment else "picture/unit_directions.html"
    return render(request, name, {"unit": unit, "directions": directions,
                                  "can_direct": services.can_direct(request.user)})
