"""The plan's pages (/ke-hoach/): the plans, a plan's tasks, a task unit by unit, a unit's page
of what it owes (with its implementation plan and sessions), the list of units that have not
done what the plan asks, the files. Thin: reads through ``plans.selectors``, writes through
``plans.services``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.dates import local_today
from core.errors import ServiceError
from core.text import fold
from core.views import require_office, sort_links, xlsx_response
from orgs.models import OrgUnit
from orgs.selectors import get_unit_for, visible_unit_ids
from plans import selectors, services
from plans.models import PlanTask, TaskStatus
from reporting.periods import PeriodError, parse_period

PAGE_SIZE = 25
MAX_UPLOAD = 12 * 1024 * 1024  # the service refuses past 10 MB with its message


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() else None


def _upload(request: HttpRequest) -> services.Upload | None:
    upload = request.FILES.get("file")
    if upload is None:
        return None
    if upload.size > MAX_UPLOAD:
        raise ServiceError(f"Tệp “{upload.name[:80]}” lớn quá 10 MB.", field="file")
    return services.Upload(name=upload.name, data=upload.read())


def owner_label(task: PlanTask) -> str:
    if task.owner_unit_id:
        return task.owner_unit.name
    return f"Mọi {OrgUnit.Kind(task.owner_kind).label.lower()}"


# --- plans -------------------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    sort = request.GET.get("sort", "-ngay")
    order = {"ngay": ["issued_on", "pk"], "so": ["number", "pk"]}
    fields = order.get(sort.lstrip("-"), order["ngay"])
    if sort.startswith("-"):
        fields = [f"-{name}" for name in fields]
    plans = selectors.search_plans(request.user, query).order_by(*fields)
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    today = local_today()
    for plan in page.object_list:
        plan.rows = selectors.task_rows(request.user, list(
            selectors.tasks_visible_to(request.user).filter(plan=plan)), today)
        plan.done = sum(1 for r in plan.rows if r.status == TaskStatus.DONE)
        plan.late = sum(1 for r in plan.rows if r.status == selectors.OVERDUE)
    return render(request, "plans/plan_list.html", {
        "page": page, "query": query, "is_office": request.user.is_office,
        "sorts": sort_links(request, ["ngay", "so"], sort),
        "gap_count": len({g.unit.pk for g in selectors.gaps(request.user, today)}),
    })


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    data = request.POST if request.method == "POST" else {}
    error = None
    if request.method == "POST":
        issuing = OrgUnit.objects.filter(pk=_int(data.get("issuing_unit")) or 0).first()
        try:
            plan = services.create_plan(
                actor=request.user, number=data.get("number", ""), title=data.get("title", ""),
                issuing_unit=issuing, issued_on=_date(data.get("issued_on")),
                based_on=data.get("based_on", ""),
                unit_plan_due=_date(data.get("unit_plan_due")),
                dissemination_due=_date(data.get("dissemination_due")),
                unit_kinds=data.getlist("unit_kinds"))
        except ServiceError as exc:
            error = exc
        else:
            messages.success(request, f"Đã ghi Kế hoạch số {plan.number}. Thêm các nhiệm vụ.")
            return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {
        "data": data, "error": error, "kinds": OrgUnit.Kind.choices,
        "chosen_kinds": data.getlist("unit_kinds") if data else ["chi_bo", "dang_bo"],
        "units": OrgUnit.objects.filter(kind__in=[OrgUnit.Kind.WARD_COMMITTEE,
                                                  OrgUnit.Kind.OFFICE]).order_by("sort_key"),
    }, status=400 if error else 200)


def _task_filters(request: HttpRequest) -> dict:
    status = request.GET.get("tinh_trang", "")
    return {"query": request.GET.get("q", ""),
            "status": status if status in selectors.STATUS_LABELS else "",
            "sort": request.GET.get("sort", selectors.DEFAULT_TASK_SORT)}


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan(request.user, pk)
    today = local_today()
    filters = _task_filters(request)
    rows = selectors.filter_tasks(request.user, plan, today=today, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.owner = owner_label(row.task)
    ids = visible_unit_ids(request.user)
    required = selectors.required_units(plan, today, ids)
    with_plan = set(plan.unit_plans.values_list("unit_id", flat=True))
    with_session = set(plan.sessions.values_list("unit_id", flat=True))
    return render(request, "plans/plan_detail.html", {
        "plan": plan, "page": page, "filters": filters, "today": today,
        "filtered": bool(filters["query"] or filters["status"]),
        "statuses": list(selectors.STATUS_LABELS.items()),
        "sorts": sort_links(request, selectors.TASK_SORTS, filters["sort"]),
        "is_office": request.user.is_office,
        "required": len(required),
        "with_plan": sum(1 for u in required if u.pk in with_plan),
        "with_session": sum(1 for u in required if u.pk in with_session),
        "kinds": ", ".join(OrgUnit.Kind(k).label for k in plan.unit_kinds),
        "own_unit": request.user.unit if request.user.unit_id and not
        request.user.sees_everything else None,
    })


@login_required
def task_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan(request.user, pk)
    rows = selectors.filter_tasks(request.user, plan, today=local_today(),
                                  **_task_filters(request))
    table = []
    for row in rows:
        for entry in row.units or [None]:
            table.append([
                row.task.position, row.task.section, row.task.text, owner_label(row.task),
                row.task.due_on, entry.unit.name if entry else "",
                entry.label if entry else row.label,
                entry.progress.done_on if entry and entry.progress else None,
                entry.progress.evidence_note if entry and entry.progress else "",
            ])
    return xlsx_response(
        request=request, filename=f"nhiem-vu-{plan.number.replace('/', '-')}.xlsx",
        sheet_title="Nhiệm vụ", object_type="plans.plantask",
        headers=["STT", "Mục", "Nhiệm vụ", "Chủ trì", "Thời hạn", "Đơn vị", "Tình trạng",
                 "Ngày hoàn thành", "Minh chứng"],
        rows=table, data={"plan": plan.number})


@login_required
@require_http_methods(["GET", "POST"])
def task_new(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    plan = selectors.get_plan(request.user, pk)
    data = request.POST if request.method == "POST" else {}
    error = None
    if request.method == "POST":
        owner = data.get("owner", "")
        unit = OrgUnit.objects.filter(pk=_int(owner[5:]) or 0).first() \
            if owner.startswith("unit:") else None
        kind = owner[5:] if owner.startswith("kind:") else ""
        try:
            task = services.add_task(
                actor=request.user, plan=plan, text=data.get("text", ""), owner_unit=unit,
                owner_kind=kind, due_on=_date(data.get("due_on")),
                section=data.get("section", ""))
        except ServiceError as exc:
            error = exc
        else:
            messages.success(request, f"Đã thêm nhiệm vụ {task.position}.")
            return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "plans/task_form.html", {
        "plan": plan, "data": data, "error": error, "task": None,
        "kinds": OrgUnit.Kind.choices,
        "units": OrgUnit.objects.filter(closed_on__isnull=True).order_by("sort_key"),
    }, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    task = selectors.get_task(request.user, pk)
    data = request.POST if request.method == "POST" else {
        "text": task.text, "due_on": task.due_on.isoformat() if task.due_on else "",
        "version": task.version}
    error = None
    if request.method == "POST":
        try:
            services.update_task(actor=request.user, task=task, text=data.get("text", ""),
                                 due_on=_date(data.get("due_on")),
                                 expected_version=_int(data.get("version")))
        except ServiceError as exc:
            error = exc
        else:
            messages.success(request, "Đã sửa nhiệm vụ.")
            return redirect("plans:task_detail", pk=task.pk)
    return render(request, "plans/task_form.html", {
        "plan": task.plan, "data": data, "error": error, "task": task,
    }, status=error.status_code if error else 200)


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.get_task(request.user, pk)
    today = local_today()
    row = selectors.task_rows(request.user, [task], today)[0]
    query = request.GET.get("q", "")
    units = [u for u in row.units if not query or fold(query) in u.unit.name_folded]
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    writable = [u for u in row.units if services.can_write_for(request.user, u.unit)]
    return render(request, "plans/task_detail.html", {
        "task": task, "row": row, "owner": owner_label(task), "page": page, "query": query,
        "writable": writable, "statuses": TaskStatus.choices, "today": today,
        "is_office": request.user.is_office,
    })


@login_required
@require_POST
def task_progress(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.get_task(request.user, pk)
    unit = get_unit_for(request.user, _int(request.POST.get("unit")) or 0)
    try:
        services.report_progress(
            actor=request.user, task=task, unit=unit, status=request.POST.get("status", ""),
            done_on=_date(request.POST.get("done_on")),
            evidence_note=request.POST.get("evidence_note", ""), upload=_upload(request),
            expected_version=_int(request.POST.get("version")))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã ghi tiến độ của {unit.name}.")
    return redirect("plans:task_detail", pk=task.pk)


# --- a unit's page -----------------------------------------------------------------------------


@login_required
def unit_page(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk)
    today = local_today()
    return render(request, "plans/unit_page.html", {
        "unit": unit, "plans": selectors.owed_by(request.user, unit, today), "today": today,
        "can_write": services.can_write_for(request.user, unit),
        "inspections": selectors.inspections_visible_to(request.user).filter(
            inspected_unit=unit)[:20],
    })


@login_required
@require_POST
def unit_plan(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk)
    plan = selectors.get_plan(request.user, _int(request.POST.get("plan")) or 0)
    try:
        services.record_unit_plan(
            actor=request.user, plan=plan, unit=unit, number=request.POST.get("number", ""),
            issued_on=_date(request.POST.get("issued_on")), note=request.POST.get("note", ""),
            upload=_upload(request), expected_version=_int(request.POST.get("version")))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã ghi kế hoạch thực hiện của {unit.name}.")
    return redirect("plans:unit_page", pk=unit.pk)


@login_required
@require_POST
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk)
    plan = selectors.get_plan(request.user, _int(request.POST.get("plan")) or 0)
    try:
        services.record_session(
            actor=request.user, plan=plan, unit=unit, held_on=_date(request.POST.get("held_on")),
            attendance=_int(request.POST.get("attendance")),
            expected=_int(request.POST.get("expected")), content=request.POST.get("content", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã ghi buổi quán triệt của {unit.name}.")
    return redirect("plans:unit_page", pk=unit.pk)


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.get_session(request.user, pk)
    if not services.can_write_for(request.user, session.unit):
        return redirect("plans:unit_page", pk=session.unit_id)
    data = request.POST if request.method == "POST" else {
        "held_on": session.held_on.isoformat(), "attendance": session.attendance,
        "expected": session.expected or "", "content": session.content,
        "version": session.version}
    error = None
    if request.method == "POST":
        try:
            services.update_session(
                actor=request.user, session=session, held_on=_date(data.get("held_on")),
                attendance=_int(data.get("attendance")), expected=_int(data.get("expected")),
                content=data.get("content", ""), expected_version=_int(data.get("version")))
        except ServiceError as exc:
            error = exc
        else:
            messages.success(request, "Đã sửa buổi quán triệt.")
            return redirect("plans:unit_page", pk=session.unit_id)
    return render(request, "plans/session_form.html", {
        "session": session, "data": data, "error": error,
    }, status=error.status_code if error else 200)


@login_required
def file_download(request: HttpRequest, pk: int) -> HttpResponse:
    stored = selectors.get_file(request.user, pk)
    response = HttpResponse(bytes(stored.data), content_type=stored.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(stored.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


# --- the units that have not done what the plan asks ------------------------------------------


def _gap_filters(request: HttpRequest) -> tuple[dict, str]:
    error = ""
    window = None
    code = (request.GET.get("ky") or "").strip()
    if code:
        try:
            key = parse_period(code)
            window = (key.start, key.end)
        except PeriodError as exc:
            error = str(exc)
    plan_pk = _int(request.GET.get("ke_hoach"))
    plans = selectors.plans_visible_to(request.user)
    if plan_pk:
        plans = plans.filter(pk=plan_pk)
    return {"plans": list(plans), "window": window, "query": request.GET.get("q", "")}, error


@login_required
def gap_list(request: HttpRequest) -> HttpResponse:
    filters, error = _gap_filters(request)
    rows = selectors.gaps(request.user, local_today(), **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "plans/gap_list.html", {
        "page": page, "error": error, "plans": selectors.plans_visible_to(request.user),
        "query": filters["query"], "ky": request.GET.get("ky", ""),
        "plan_pk": _int(request.GET.get("ke_hoach")), "total": len(rows),
    })


def gap_reasons(gap: selectors.Gap) -> list[str]:
    reasons = []
    if gap.overdue_tasks:
        reasons.append(f"{len(gap.overdue_tasks)} nhiệm vụ quá hạn chưa hoàn thành")
    if gap.missing_unit_plan:
        reasons.append("chưa ban hành kế hoạch thực hiện")
    if gap.missing_session:
        reasons.append("chưa tổ chức quán triệt")
    return reasons


@login_required
def gap_export(request: HttpRequest) -> HttpResponse:
    filters, _ = _gap_filters(request)
    rows = selectors.gaps(request.user, local_today(), **filters)
    return xlsx_response(
        request=request, filename=f"don-vi-chua-thuc-hien-{local_today():%Y%m%d}.xlsx",
        sheet_title="Chưa thực hiện", object_type="plans.plan",
        headers=["Đơn vị", "Kế hoạch", "Nhiệm vụ quá hạn", "Chưa có kế hoạch thực hiện",
                 "Chưa quán triệt", "Nhiệm vụ quá hạn (nội dung)"],
        rows=[[g.unit.name, g.plan.number, len(g.overdue_tasks),
               "Có" if g.missing_unit_plan else "", "Có" if g.missing_session else "",
               "; ".join(f"{t.position}. {t.text[:120]}" for t in g.overdue_tasks)]
              for g in rows])


def home_panel(user, today: dt.date) -> dict:
    """The office's first screen: the units that have not done what the plans ask."""
    rows = selectors.gaps(user, today)
    units = {}
    for gap in rows:
        units.setdefault(gap.unit.pk, {"unit": gap.unit, "reasons": []})["reasons"].extend(
            f"{gap.plan.number}: {reason}" for reason in gap_reasons(gap))
    return {
        "units": list(units.values())[:8], "count": len(units),
        "overdue": len({g.unit.pk for g in rows if g.overdue_tasks}),
        "missing_plan": len({g.unit.pk for g in rows if g.missing_unit_plan}),
        "missing_session": len({g.unit.pk for g in rows if g.missing_session}),
        "plans": selectors.plans_visible_to(user).count(),
    }
