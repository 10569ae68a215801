"""Pages of the voters' petitions (thin: reads through ``selectors``, writes through
``services``)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.dates import local_today
from core.errors import ServiceError
from core.mime import DOCX_TYPE
from core.views import require_office, xlsx_response
from intake.selectors import get_item_for
from petitions import reports, rules, selectors, services
from petitions.forms import (
    AttachForm,
    DelegateGroupForm,
    LinkForm,
    MarkForm,
    PointFilterForm,
    ReplyForm,
    RoundFilterForm,
    RoundForm,
)
from petitions.models import Point

PAGE_SIZE = 25
MONTHS = ("Tháng 1", "Tháng 2", "Tháng 3", "Tháng 4", "Tháng 5", "Tháng 6", "Tháng 7",
          "Tháng 8", "Tháng 9", "Tháng 10", "Tháng 11", "Tháng 12")


def _flash(request: HttpRequest, form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


def _form_error(form, exc: ServiceError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


# --- rounds -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def round_list(request: HttpRequest) -> HttpResponse:
    form = RoundFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rounds = selectors.rounds_for(request.user, q=data.get("q", ""), sort=data.get("sort", ""))
    page = Paginator(rounds, PAGE_SIZE).get_page(request.GET.get("page"))
    tallies = selectors.tallies_of_rounds(request.user, list(page.object_list), local_today())
    rows = [(r, tallies[r.pk]) for r in page.object_list]
    return render(request, "petitions/round_list.html", {
        "form": form, "page": page, "rows": rows, "filtered": bool(data.get("q")),
        "can_manage": request.user.is_office,
    })


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    form = RoundForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                round_ = services.create_round(user=request.user,
                                               data=services.RoundInput(**form.cleaned_data))
            except ServiceError as exc:
                _form_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, f"Đã tạo “{round_.title}”.")
                return redirect("petition_round", pk=round_.pk)
        else:
            status = 400
    return render(request, "petitions/round_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET"])
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_for(request.user, pk)
    today = local_today()
    stats = selectors.round_stats(request.user, round_, today)
    candidates = list(selectors.attachable_meetings(request.user, round_)[:50])
    return render(request, "petitions/round_detail.html", {
        "round": round_, "stats": stats, "candidates": candidates,
        "attach_form": AttachForm(auto_id=False), "can_attach": any(
            services.can_mark(request.user, m) for m in candidates),
        "can_export": request.user.sees_everything,
        "overdue_url": reverse("petition_points") + f"?dot={round_.pk}&tinh_trang=overdue",
        "waiting_url": reverse("petition_points") + f"?dot={round_.pk}&tinh_trang=waiting",
    })


@login_required
@require_POST
def round_attach(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_for(request.user, pk)
    form = AttachForm(request.POST)
    if not form.is_valid():
        _flash(request, form)
        return redirect("petition_round", pk=round_.pk)
    meeting = selectors.meeting_for(request.user, form.cleaned_data["meeting"])
    link = getattr(meeting, "petition_link", None)
    try:
        services.link_meeting(user=request.user, meeting=meeting, round_=round_,
                              delegate_group=form.cleaned_data["delegate_group"],
                              leader=link.leader if link else None)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã gắn buổi “{meeting.title}” vào đợt.")
    return redirect("petition_round", pk=round_.pk)


def _docx(request: HttpRequest, pk: int, kind: str, filename: str) -> HttpResponse:
    if not request.user.sees_everything:
        raise Http404("Không tìm thấy trang.")
    round_ = selectors.round_for(request.user, pk)
    content = reports.export_report(user=request.user, round_=round_, kind=kind)
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}-{round_.pk}.docx"'
    return response


@login_required
@require_http_methods(["GET"])
def round_compilation_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _docx(request, pk, "tong-hop", "tong-hop-kien-nghi-cu-tri")


@login_required
@require_http_methods(["GET"])
def round_result_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _docx(request, pk, "ket-qua", "ket-qua-tra-loi-cu-tri")


@login_required
@require_http_methods(["GET", "POST"])
def delegate_groups(request: HttpRequest) -> HttpResponse:
    form = DelegateGroupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        require_office(request.user)
        if form.is_valid():
            try:
                group = services.create_delegate_group(user=request.user, **form.cleaned_data)
            except ServiceError as exc:
                _form_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, f"Đã tạo {group.name}.")
                return redirect("petition_groups")
        else:
            status = 400
    return render(request, "petitions/groups.html", {
        "groups": selectors.delegate_groups(), "form": form,
        "can_manage": request.user.is_office}, status=status)


# --- a meeting's points ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def meeting_points(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    today = local_today()
    items = list(selectors.points_visible_to(request.user).filter(meeting=meeting)
                 .prefetch_related("topics").order_by("pk"))
    can_mark = services.can_mark(request.user, meeting)
    rows = []
    for item in items:
        state = selectors.state_of(item, today)
        point = getattr(item, "petition", None)
        rows.append({
            "item": item, "point": point, "state": state,
            "state_label": rules.STATE_LABELS[state], "result": reports.result_text(point),
            "agency": reports.agency_of(point),
            "form": MarkForm.for_point(item, request.user) if can_mark else None,
            "reply_form": ReplyForm(initial={"version": point.version, "replied_on": today},
                                    auto_id=f"id_r{item.pk}_%s")
            if can_mark and point and point.disposition == Point.Disposition.REFERRED else None,
        })
    link = getattr(meeting, "petition_link", None)
    return render(request, "petitions/meeting_points.html", {
        "meeting": meeting, "link": link, "rows": rows, "can_mark": can_mark,
        "tally": rules.tally(r["state"] for r in rows),
        "link_form": LinkForm(initial={
            "round": link.round_id if link else None,
            "delegate_group": link.delegate_group_id if link else None,
            "leader": link.leader_id if link else None}) if can_mark else None,
    })


@login_required
@require_POST
def meeting_link(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    form = LinkForm(request.POST)
    if not form.is_valid():
        _flash(request, form)
        return redirect("petition_meeting", pk=meeting.pk)
    try:
        services.link_meeting(user=request.user, meeting=meeting,
                              round_=form.cleaned_data["round"],
                              delegate_group=form.cleaned_data["delegate_group"],
                              leader=form.cleaned_data["leader"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã lưu đợt, tổ đại biểu và lãnh đạo chủ trì của buổi.")
    return redirect("petition_meeting", pk=meeting.pk)


def _point_item(request: HttpRequest, pk: int):
    item = get_item_for(request.user, pk)
    if item.meeting_id is None:
        raise Http404("Không tìm thấy ý kiến.")
    selectors.meeting_for(request.user, item.meeting_id)  # a resident meeting in scope
    return item


@login_required
@require_POST
def point_mark(request: HttpRequest, pk: int) -> HttpResponse:
    item = _point_item(request, pk)
    back = reverse("petition_meeting", kwargs={"pk": item.meeting_id}) + f"#y-kien-{item.pk}"
    form = MarkForm(request.POST, prefix_id=item.pk, user=request.user)
    if not form.is_valid():
        _flash(request, form)
        return redirect(back)
    data = form.cleaned_data
    try:
        services.mark_point(
            user=request.user, item=item, expected_version=data["version"],
            data=services.MarkInput(
                disposition=data["disposition"], field=data["field"], agency=data["agency"],
                agency_name=data["agency_name"], answered_by=data["answered_by"],
                answer=data["answer"], due_on=data["due_on"]))
    except ServiceError as exc:
        messages.error(request, f"Ý kiến #{item.pk}: {exc.message}")
    else:
        messages.success(request, f"Đã cập nhật ý kiến #{item.pk}.")
    return redirect(back)


@login_required
@require_POST
def point_reply(request: HttpRequest, pk: int) -> HttpResponse:
    item = _point_item(request, pk)
    back = reverse("petition_meeting", kwargs={"pk": item.meeting_id}) + f"#y-kien-{item.pk}"
    point = getattr(item, "petition", None)
    if point is None:
        messages.error(request, f"Ý kiến #{item.pk} chưa được phân loại.")
        return redirect(back)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        _flash(request, form)
        return redirect(back)
    try:
        services.record_reply(user=request.user, point=point, reply=form.cleaned_data["reply"],
                              replied_on=form.cleaned_data["replied_on"],
                              expected_version=form.cleaned_data["version"])
    except ServiceError as exc:
        messages.error(request, f"Ý kiến #{item.pk}: {exc.message}")
    else:
        messages.success(request, f"Đã ghi trả lời của cơ quan cho ý kiến #{item.pk}.")
    return redirect(back)


# --- the points still waiting ------------------------------------------------------------------


def _filtered_points(request: HttpRequest):
    form = PointFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = selectors.PointFilter(
        q=data.get("q", ""), round_id=data["dot"].pk if data.get("dot") else None,
        state=data.get("tinh_trang", ""), field=data.get("linh_vuc", ""),
        disposition=data.get("xu_ly", ""), sort=data.get("sort", ""))
    today = local_today()
    return form, filters, selectors.filter_points(request.user, filters, today), today


@login_required
@require_http_methods(["GET"])
def point_list(request: HttpRequest) -> HttpResponse:
    form, filters, points, today = _filtered_points(request)
    page = Paginator(points, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for item in page.object_list:
        point = getattr(item, "petition", None)
        state = selectors.state_of(item, today)
        rows.append({"item": item, "point": point, "state": state,
                     "state_label": rules.STATE_LABELS[state],
                     "agency": reports.agency_of(point)})
    filtered = any([filters.q, filters.round_id, filters.state, filters.field,
                    filters.disposition])
    return render(request, "petitions/point_list.html", {
        "form": form, "page": page, "rows": rows, "filtered": filtered,
        "export_url": reverse("petition_points_xlsx") + "?" + request.GET.urlencode(),
    })


@login_required
@require_http_methods(["GET"])
def point_export(request: HttpRequest) -> HttpResponse:
    _form, _filters, points, today = _filtered_points(request)
    rows = []
    for item in points:
        point = getattr(item, "petition", None)
        link = getattr(item.meeting, "petition_link", None)
        rows.append([
            item.pk, item.meeting.held_on, item.meeting.title,
            link.round.title if link and link.round else "",
            link.delegate_group.name if link and link.delegate_group else "",
            item.text, point.get_field_display() if point else "",
            point.get_disposition_display() if point else "", reports.agency_of(point),
            point.due_on if point else None, reports.result_text(point),
            rules.STATE_LABELS[selectors.state_of(item, today)],
        ])
    return xlsx_response(
        request=request, filename="kien-nghi-cu-tri.xlsx", sheet_title="Kiến nghị cử tri",
        headers=["Mã ý kiến", "Ngày tiếp xúc", "Buổi", "Đợt", "Tổ đại biểu", "Nội dung",
                 "Lĩnh vực", "Xử lý", "Cơ quan trả lời", "Hạn trả lời", "Kết quả", "Tình trạng"],
        rows=rows, object_type="petitions.point")


# --- the leaders' calendar ---------------------------------------------------------------------


def _month(value: str | None, today: dt.date) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        dt.date(year, month, 1)
        if not 2000 <= year <= 2100:
            raise ValueError
        return year, month
    except (ValueError, TypeError):
        return today.year, today.month


@login_required
@require_http_methods(["GET"])
def leader_calendar(request: HttpRequest) -> HttpResponse:
    today = local_today()
    year, month = _month(request.GET.get("thang"), today)
    leaders = list(selectors.leaders())
    try:
        leader_id = int(request.GET.get("lanh-dao") or 0) or None
    except ValueError:
        leader_id = None
    meetings = selectors.calendar_meetings(request.user, year=year, month=month,
                                           leader_id=leader_id)
    previous = dt.date(year, month, 1) - dt.timedelta(days=1)
    following = dt.date(year, month, 28) + dt.timedelta(days=5)
    view = "danh-sach" if request.GET.get("xem") == "danh-sach" else "thang"
    return render(request, "petitions/calendar.html", {
        "meetings": meetings, "weeks": selectors.month_grid(year, month, meetings),
        "month_label": f"{MONTHS[month - 1]} năm {year}", "today": today,
        "previous": f"{previous:%Y-%m}", "following": f"{following:%Y-%m}",
        "current": f"{year:04d}-{month:02d}", "leaders": leaders, "leader_id": leader_id,
        "view": view, "points_total": sum(len(m.points_shown) for m in meetings),
    })
