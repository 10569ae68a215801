"""Pages of the org registry: the unit tree (R1), areas, collaborators (R5).

Reads go through ``orgs.selectors`` (scoped to the reader: another unit is "not found"); writes go
through ``orgs.services``; only the office sees the edit pages and collaborators' contact details.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core import lockout, twofactor
from core.errors import ServiceError
from core.text import fold
from core.views import require_office, xlsx_response
from orgs import services
from orgs.forms import (
    AreaFilterForm,
    AreaForm,
    CollaboratorFilterForm,
    CollaboratorForm,
    UnitCreateForm,
    UnitFilterForm,
    UnitForm,
    attach_error,
)
from orgs.models import Area, Collaborator, OrgUnit, User
from orgs.selectors import (
    can_see_contact_details,
    collaborators_visible_to,
    get_unit_for,
    search_units,
    units_visible_to,
    units_without_responsible,
    visible_unit_ids,
)

PAGE_SIZE = 50


REFUSAL = "Chỉ Ban Xây dựng Đảng được sửa danh mục này."


# --- the unit tree -------------------------------------------------------------------------


@dataclass
class TreeRow:
    unit: OrgUnit
    depth: int


def _tree_order() -> tuple[list[int], dict[int, int]]:
    """Every unit id in depth-first order (siblings in natural order), and each unit's depth."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in OrgUnit.objects.order_by("sort_key", "name", "pk").values_list(
        "pk", "parent_id"
    ):
        children.setdefault(parent_id, []).append(pk)
    known = {pk for ids in children.values() for pk in ids}
    # A parent outside the table cannot happen (PROTECT), but a broken tree must still list all.
    roots = children.get(None, []) + [
        pk for parent, ids in children.items() if parent is not None and parent not in known
        for pk in ids
    ]
    order, depth = [], {}
    stack = [(pk, 0) for pk in reversed(roots)]
    while stack:
        pk, level = stack.pop()
        if pk in depth:
            continue
        depth[pk] = level
        order.append(pk)
        stack.extend((child, level + 1) for child in reversed(children.get(pk, [])))
    return order, depth


def _tree_rows(units: QuerySet[OrgUnit]) -> list[TreeRow]:
    order, depth = _tree_order()
    by_pk = {unit.pk: unit for unit in units}
    rows = [TreeRow(by_pk[pk], depth[pk]) for pk in order if pk in by_pk]
    shallowest = min((row.depth for row in rows), default=0)
    for row in rows:
        row.depth -= shallowest
    return rows


def _filtered_units(request: HttpRequest) -> tuple[UnitFilterForm, QuerySet[OrgUnit]]:
    form = UnitFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    units = search_units(request.user, data.get("q", ""))
    if data.get("kind"):
        units = units.filter(kind=data["kind"])
    today = timezone.localdate()
    if data.get("state") == "open":
        units = units.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=today))
    elif data.get("state") == "closed":
        units = units.filter(closed_on__lt=today)
    if data.get("khong_phu_trach"):
        units = units.filter(pk__in=units_without_responsible(request.user).values("pk"))
    return form, units


UNIT_SEARCH_LIMIT = 30


@login_required
@require_GET
def unit_search(request: HttpRequest) -> JsonResponse:
    """Units in the reader's scope whose name (typed without diacritics or with) or code matches
    ``q``: the pickers a city's thousands of units do not fit in (static/js/unit_picker.js)."""
    text = request.GET.get("q", "").strip()[:100]
    units = units_visible_to(request.user)
    if text:
        units = units.filter(Q(name_folded__contains=fold(text)) | Q(code__istartswith=text))
    rows = units.order_by("sort_key", "name")[:UNIT_SEARCH_LIMIT]
    return JsonResponse({"results": [
        {"code": u.code, "name": u.name, "parent": u.parent.name if u.parent else ""}
        for u in rows
    ]})


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    form, units = _filtered_units(request)
    only_missing = form.is_valid() and bool(form.cleaned_data.get("khong_phu_trach"))
    rows = _tree_rows(units)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/unit_list.html",
        {
            "form": form,
            "page": page,
            "total": len(rows),
            "missing_count": units_without_responsible(request.user).count(),
            "only_missing": only_missing,
            "today": timezone.localdate(),
        },
    )


@login_required
def unit_export(request: HttpRequest) -> HttpResponse:
    _, units = _filtered_units(request)
    rows = (
        (
            "    " * row.depth + row.unit.name,
            row.unit.code,
            row.unit.get_kind_display(),
            row.unit.parent.name if row.unit.parent else "",
            str(row.unit.responsible_person or ""),
            row.unit.opened_on,
            row.unit.closed_on,
        )
        for row in _tree_rows(units)
    )
    return xlsx_response(
        request=request,
        filename="don-vi.xlsx",
        sheet_title="Đơn vị",
        headers=[
            "Tên đơn vị", "Mã", "Loại", "Đơn vị cấp trên", "Người phụ trách DLXH",
            "Ngày thành lập", "Ngày giải thể/sáp nhập",
        ],
        rows=rows,
        object_type="orgs.orgunit",
        data={"personal": True},  # names the person responsible in each unit
    )


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk)
    visible = units_visible_to(request.user)
    context = {
        "unit": unit,
        "children": visible.filter(parent=unit).order_by("sort_key", "name"),
        "areas": unit.areas.order_by("sort_key", "name"),
        "members": unit.members.filter(is_active=True).order_by("full_name", "username"),
        # who has two-factor sign-in on (the office may reset it for a lost phone)
        "otp_ids": twofactor.enrolled_ids(unit.members.filter(is_active=True))
        if request.user.is_office else set(),
        "collaborators": collaborators_visible_to(request.user).filter(unit=unit),
        "lacks_responsible": units_without_responsible(request.user).filter(pk=unit.pk).exists(),
    }
    return render(request, "orgs/unit_detail.html", context)


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk)
    require_office(request.user, refusal=REFUSAL)
    form = UnitForm(request.POST or None, initial=UnitForm.initial_for(unit))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_unit(actor=request.user, unit=unit, **form.cleaned_data)
        except ServiceError as error:
            attach_error(form, error)
        else:
            messages.success(request, f"Đã lưu đơn vị {unit.name}.")
            return redirect("unit_detail", pk=unit.pk)
    return render(request, "orgs/unit_form.html", {"form": form, "unit": unit})


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    require_office(request.user, refusal=REFUSAL)
    form = UnitCreateForm(request.POST or None, initial={"opened_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_unit(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            attach_error(form, error)
        else:
            messages.success(request, f"Đã tạo đơn vị {unit.name}.")
            return redirect("unit_detail", pk=unit.pk)
    return render(request, "orgs/unit_form.html", {"form": form, "unit": None})


# --- areas ---------------------------------------------------------------------------------


def _areas_visible_to(user: User) -> QuerySet[Area]:
    ids = visible_unit_ids(user)
    areas = Area.objects.select_related("unit").order_by("name_folded", "pk")
    return areas if ids is None else areas.filter(unit_id__in=ids)


@login_required
def area_list(request: HttpRequest) -> HttpResponse:
    units = units_visible_to(request.user).order_by("sort_key", "name")
    form = AreaFilterForm(request.GET or None, units=units)
    areas = _areas_visible_to(request.user)
    if form.is_valid():
        if form.cleaned_data["q"]:
            areas = areas.filter(name_folded__contains=fold(form.cleaned_data["q"]))
        if form.cleaned_data["unit"]:
            areas = areas.filter(unit=form.cleaned_data["unit"])
    totals = areas.aggregate(
        count=Count("pk"), population=Sum("population"), households=Sum("households")
    )
    by_former_ward = (
        areas.order_by().values("former_ward")
        .annotate(count=Count("pk"), population=Sum("population"))
        .order_by("former_ward")
    )
    page = Paginator(areas, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/area_list.html",
        {"form": form, "page": page, "totals": totals, "by_former_ward": by_former_ward},
    )


def _get_area_for(user: User, pk: int) -> Area:
    try:
        return _areas_visible_to(user).get(pk=pk)
    except Area.DoesNotExist as exc:
        raise Http404("Không tìm thấy tổ dân phố.") from exc


@login_required
def area_create(request: HttpRequest) -> HttpResponse:
    require_office(request.user, refusal=REFUSAL)
    return _area_form(request, None)


@login_required
def area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    area = _get_area_for(request.user, pk)
    require_office(request.user, refusal=REFUSAL)
    return _area_form(request, area)


def _area_form(request: HttpRequest, area: Area | None) -> HttpResponse:
    initial = AreaForm.initial_for(area) if area else None
    form = AreaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if area is None:
                area = services.create_area(actor=request.user, **form.cleaned_data)
            else:
                services.update_area(actor=request.user, area=area, **form.cleaned_data)
        except ServiceError as error:
            attach_error(form, error)
        else:
            messages.success(request, f"Đã lưu tổ dân phố {area.name}.")
            return redirect("area_list")
    return render(request, "orgs/area_form.html", {"form": form, "area": area})


# --- collaborators -------------------------------------------------------------------------


def _filtered_collaborators(
    request: HttpRequest,
) -> tuple[CollaboratorFilterForm, QuerySet[Collaborator]]:
    form = CollaboratorFilterForm(
        request.GET or None, units=units_visible_to(request.user).order_by("sort_key", "name")
    )
    data = form.cleaned_data if form.is_valid() else {}
    collaborators = collaborators_visible_to(request.user, data.get("q", ""))
    if data.get("status"):
        collaborators = collaborators.filter(status=data["status"])
    if data.get("unit"):
        collaborators = collaborators.filter(unit=data["unit"])
    return form, collaborators.order_by("name_folded", "pk")


@login_required
def collaborator_list(request: HttpRequest) -> HttpResponse:
    form, collaborators = _filtered_collaborators(request)
    page = Paginator(collaborators, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/collaborator_list.html",
        {
            "form": form,
            "page": page,
            "total": page.paginator.count,
            "show_contact": can_see_contact_details(request.user),
        },
    )


@login_required
def collaborator_export(request: HttpRequest) -> HttpResponse:
    _, collaborators = _filtered_collaborators(request)
    show_contact = can_see_contact_details(request.user)
    headers = ["Họ và tên", "Đơn vị", "Địa bàn phụ trách", "Lĩnh vực theo dõi", "Từ ngày",
               "Đến ngày", "Trạng thái"]
    if show_contact:
        headers += ["Điện thoại", "Thư điện tử"]

    def rows():
        for item in collaborators:
            row = [
                item.full_name,
                item.unit.name,
                ", ".join(area.name for area in item.areas.all()),
                ", ".join(topic.name for topic in item.topics.all()),
                item.started_on,
                item.ended_on,
                item.get_status_display(),
            ]
            # Contact details leave the office only through the office's own export.
            yield row + [item.phone, item.email] if show_contact else row

    return xlsx_response(
        request=request,
        filename="cong-tac-vien.xlsx",
        sheet_title="Cộng tác viên",
        headers=headers,
        rows=rows(),
        object_type="orgs.collaborator",
        # Names of people (and contacts for the office): the audit log's "personal data" filter
        # finds it (docs/PRIVACY.md, "Xuất tệp có dữ liệu cá nhân").
        data={"personal": True, "contact_columns": show_contact},
    )


@login_required
def collaborator_create(request: HttpRequest) -> HttpResponse:
    require_office(request.user, refusal=REFUSAL)
    form = CollaboratorForm(
        request.POST or None,
        initial={"started_on": timezone.localdate(), "status": Collaborator.Status.ACTIVE},
    )
    if request.method == "POST" and form.is_valid():
        try:
            collaborator = services.create_collaborator(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            attach_error(form, error)
        else:
            messages.success(request, f"Đã thêm cộng tác viên {collaborator.full_name}.")
            return redirect("collaborator_list")
    return render(request, "orgs/collaborator_form.html", {"form": form, "collaborator": None})


@login_required
def collaborator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The office edits; anyone else who may see the collaborator gets a read-only card."""
    try:
        collaborator = collaborators_visible_to(request.user).get(pk=pk)
    except Collaborator.DoesNotExist as exc:
        raise Http404("Không tìm thấy cộng tác viên.") from exc
    if not request.user.is_office:
        if request.method == "POST":
            raise PermissionDenied("Chỉ Ban Xây dựng Đảng được sửa thông tin cộng tác viên.")
        return render(
            request, "orgs/collaborator_detail.html",
            {"collaborator": collaborator,
             "show_contact": can_see_contact_details(request.user)},
        )
    initial = CollaboratorForm.initial_for(collaborator)
    form = CollaboratorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_collaborator(
                actor=request.user, collaborator=collaborator, **form.cleaned_data
            )
        except ServiceError as error:
            attach_error(form, error)
        else:
            messages.success(request, f"Đã lưu cộng tác viên {collaborator.full_name}.")
            return redirect("collaborator_list")
    return render(
        request, "orgs/collaborator_form.html", {"form": form, "collaborator": collaborator}
    )


# --- passwords ----------------------------------------------------------------------------


@login_required
@require_http_methods(["POST"])
def user_password_reset(request: HttpRequest) -> HttpResponse:
    """The office sets a temporary password, shown on this answer only (never stored in clear).

    The person must change it at their next login (core.accounts.MustChangePasswordMiddleware).
    """
    require_office(request.user, refusal="Chỉ Ban Xây dựng Đảng được đặt lại mật khẩu.")
    try:
        target = User.objects.select_related("unit").get(
            pk=int(request.POST.get("user", "")), is_active=True
        )
    except (User.DoesNotExist, ValueError) as exc:
        raise Http404("Không tìm thấy người dùng.") from exc
    try:
        temporary = services.reset_password(actor=request.user, user=target)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("unit_detail", pk=target.unit_id) if target.unit_id else redirect("home")
    return render(
        request, "orgs/password_reset_done.html", {"target": target, "temporary": temporary}
    )


@login_required
@require_http_methods(["POST"])
def user_otp_reset(request: HttpRequest) -> HttpResponse:
    """The office removes a person's two-factor app and recovery codes (a lost phone); audited.

    A role that requires it sets up a new app at the next sign-in (core.twofactor)."""
    require_office(request.user, refusal="Chỉ Ban Xây dựng Đảng được đặt lại xác thực hai bước.")
    try:
        target = User.objects.get(pk=int(request.POST.get("user", "")), is_active=True)
    except (User.DoesNotExist, ValueError) as exc:
        raise Http404("Không tìm thấy người dùng.") from exc
    twofactor.disable(user=target, actor=request.user)
    messages.success(
        request,
        f"Đã đặt lại xác thực hai bước của {target.username}: lần đăng nhập sau, người này bật"
        " lại với điện thoại mới" + (" (bắt buộc với vai trò này)." if twofactor.required(target)
                                     else "."),
    )
    return redirect("unit_detail", pk=target.unit_id) if target.unit_id else redirect("home")


# --- locked logins -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def login_lockouts(request: HttpRequest) -> HttpResponse:
    """The accounts and addresses locked out for failed logins; the office can unlock them."""
    require_office(request.user, refusal="Chỉ Ban Xây dựng Đảng được mở khóa đăng nhập.")
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        value = request.POST.get("value", "").strip()[:150]
        if kind in ("username", "ip_address") and value:
            lockout.unlock(actor=request.user, kind=kind, value=value)
            label = "tài khoản" if kind == "username" else "địa chỉ"
            messages.success(request, f"Đã mở khóa đăng nhập cho {label} {value}.")
        else:
            messages.error(request, "Không rõ cần mở khóa tài khoản hay địa chỉ nào.")
        return redirect("login_lockouts")
    return render(
        request,
        "orgs/login_lockouts.html",
        {
            "lockouts": lockout.current_lockouts(),
            "limit": settings.AXES_FAILURE_LIMIT,
            "minutes": lockout.cool_off_minutes(),
        },
    )
