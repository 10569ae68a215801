"""Pages of the intake app: quick report, item list and detail, meetings, public form, import.

Thin views: read through the scoped selectors (another unit's item is "not found"), write through
the services, and show a :class:`core.errors.ServiceError` beside the field it names.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ServiceError
from core.models import Attitude, Channel
from core.request import client_address
from core.views import xlsx_response
from intake import selectors, services
from intake.forms import (
    ImportMapForm,
    ImportUploadForm,
    ItemFilterForm,
    LabelsForm,
    MeetingForm,
    PointForm,
    PublicFeedbackForm,
    QuickItemForm,
)
from intake.models import ImportBatch, OpinionItem
from orgs.models import Area, Collaborator, User
from textops import selectors as textops

PAGE_SIZE = 30
SUGGEST_MAX_CHARS = textops.SUGGEST_MAX_CHARS
ATTITUDE_LABELS = dict(Attitude.choices)


def _form_error(form, exc: ServiceError) -> None:
    name = exc.field if exc.field in form.fields else None
    form.add_error(name, exc.message)


# --- suggestion while typing -----------------------------------------------------------------


@login_required
@require_POST
def item_suggest(request: HttpRequest) -> JsonResponse:
    text = request.POST.get("text", "")
    if not text.strip():
        return JsonResponse({"topic_id": None, "attitude": "", "cues": [], "masked_kinds": []})
    return JsonResponse(textops.suggestion_payload(text[:SUGGEST_MAX_CHARS]))


# --- quick report ----------------------------------------------------------------------------


def _quick_initial(request: HttpRequest) -> dict:
    user: User = request.user
    default_channel = (
        Channel.COLLABORATOR if user.role == User.Role.COLLABORATOR else Channel.RESIDENTIAL
    )
    # The last area and channel are kept: a collaborator usually files several from one place.
    last = request.session.get("intake_last", {})
    return {
        "channel": last.get("channel", default_channel),
        "area": last["area"] if "area" in last else _own_area_id(user),
        "received_on": timezone.localdate(),
    }


def _own_area_id(user: User) -> int | None:
    """The one area the person covers (a collaborator's, else the unit's), or None if several."""
    record = Collaborator.objects.filter(user=user).first()
    if record is not None:
        ids = list(record.areas.values_list("pk", flat=True)[:2])
    elif user.unit_id:
        ids = list(Area.objects.filter(unit_id=user.unit_id).values_list("pk", flat=True)[:2])
    else:
        ids = []
    return ids[0] if len(ids) == 1 else None


@login_required
@require_http_methods(["GET", "POST"])
def item_quick(request: HttpRequest) -> HttpResponse:
    if not services.can_file(request.user):
        raise Http404("Không tìm thấy trang.")
    form = QuickItemForm(request.POST or None, initial=_quick_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.file_item(
                user=request.user,
                text=data["text"],
                channel=data["channel"],
                received_on=data["received_on"],
                area=data["area"],
                unit=None,
                social_group_ids=[g.pk for g in data["social_groups"]],
                topic_ids=[data["topic"].pk] if data["topic"] else [],
                attitude=data["attitude"],
                reach=data["reach"],
                latent=data["latent"],
                sensitivity=data["sensitivity"],
                source_link=data["source_link"],
            )
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            request.session["intake_last"] = {
                "channel": data["channel"],
                "area": data["area"].pk if data["area"] else None,
            }
            note = " (đã che thông tin cá nhân)" if item.masked_kinds else ""
            messages.success(
                request, f"Đã ghi nhận ý kiến #{item.pk}{note}. Có thể nhập ý kiến tiếp."
            )
            return redirect("item_quick")
    return render(request, "intake/item_quick.html", {"form": form})


# --- list, export, detail, labels ------------------------------------------------------------


def _item_filter(request: HttpRequest) -> tuple[ItemFilterForm, selectors.ItemFilter]:
    form = ItemFilterForm(request.GET or None)
    if not form.is_bound or not form.is_valid():
        return form, selectors.ItemFilter()
    data = form.cleaned_data
    return form, selectors.ItemFilter(
        q=data["q"],
        topic_id=data["topic"].pk if data["topic"] else None,
        attitude=data["attitude"],
        area_id=data["area"].pk if data["area"] else None,
        channel=data["channel"],
        date_from=data["date_from"],
        date_to=data["date_to"],
        issue_status=data["status"],
    )


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    form, filters = _item_filter(request)
    items = selectors.filtered_items(request.user, filters).prefetch_related("topics")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # the labels below stay on these very objects
    for item in page.object_list:
        item.suggested_attitude_label = ATTITUDE_LABELS.get(item.suggested_attitude, "")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "intake/item_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": filters != selectors.ItemFilter(),
            "can_file": services.can_file(request.user),
            "can_import": services.can_import(request.user),
        },
    )


def _naive(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.make_naive(timezone.localtime(value)) if value else None


@login_required
def item_export(request: HttpRequest) -> HttpResponse:
    _, filters = _item_filter(request)
    items = list(selectors.filtered_items(request.user, filters).prefetch_related("topics"))
    contacts = selectors.contacts_for(
        request.user, [i.pk for i in items], where="xuất tệp ý kiến", query=request.GET.urlencode()
    )
    headers = [
        "Mã",
        "Ngày tiếp nhận",
        "Kênh",
        "Tổ dân phố",
        "Đơn vị tiếp nhận",
        "Chủ đề",
        "Chủ đề gợi ý",
        "Thái độ",
        "Mức độ",
        "Tiềm ẩn",
        "Độ nhạy cảm",
        "Nội dung",
        "Vấn đề",
        "Trạng thái vấn đề",
        "Nhãn đã xác nhận",
        "Ghi nhận lúc",
    ]
    show_contact = request.user.is_office
    if show_contact:
        headers += ["Muốn được trả lời", "Họ tên người dân", "Điện thoại", "Thư điện tử", "Địa chỉ"]
    rows = []
    for item in items:
        row = [
            item.pk,
            item.received_on,
            item.get_channel_display(),
            item.area.name if item.area else "",
            item.unit.name if item.unit else "",
            "; ".join(t.name for t in item.topics.all()),
            item.suggested_topic.name if item.suggested_topic else "",
            item.get_attitude_display() if item.attitude else "",
            item.get_reach_display() if item.reach else "",
            "có" if item.latent else "",
            item.get_sensitivity_display(),
            item.text,
            item.issue.code if item.issue else "",
            item.issue.get_status_display() if item.issue else "",
            "có" if item.labels_confirmed else "",
            _naive(item.created_at),
        ]
        if show_contact:
            contact = contacts.get(item.pk)
            row += ["có" if item.wants_reply else ""] + (
                [contact.name, contact.phone, contact.email, contact.address]
                if contact
                else ["", "", "", ""]
            )
        rows.append(row)
    return xlsx_response(
        request=request,
        filename=f"y-kien-{timezone.localdate():%Y%m%d}.xlsx",
        sheet_title="Ý kiến",
        headers=headers,
        rows=rows,
        object_type="intake.opinionitem",
        # An export with contact details holds personal data: the audit log's filter finds it.
        data={"contact_columns": show_contact, "personal": show_contact,
              "contact_rows": sum(1 for c in contacts.values() if not c.is_empty)},
    )


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_item_for(request.user, pk)
    return render(
        request,
        "intake/item_detail.html",
        {
            "item": item,
            "topics": list(item.topics.all()),
            "social_groups": list(item.social_groups.all()),
            "contact": selectors.contact_for(request.user, item, where="trang ý kiến"),
            "can_edit": services.can_edit_labels(request.user, item),
            "suggested_attitude_label": ATTITUDE_LABELS.get(item.suggested_attitude, ""),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_item_for(request.user, pk)
    if not services.can_edit_labels(request.user, item):
        messages.error(request, "Bạn không có quyền sửa nhãn của ý kiến này.")
        return redirect("item_detail", pk=item.pk)
    topics = list(item.topics.all())
    initial = {
        "topics": topics or ([item.suggested_topic] if item.suggested_topic else []),
        "attitude": item.attitude or item.suggested_attitude,
        "version": item.version,
    }
    form = LabelsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.confirm_labels(
                user=request.user,
                item=item,
                topic_ids=[t.pk for t in data["topics"]],
                attitude=data["attitude"],
                expected_version=data["version"],
            )
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"Đã xác nhận nhãn của ý kiến #{item.pk}.")
            return redirect("item_detail", pk=item.pk)
    return render(request, "intake/item_edit.html", {"item": item, "form": form})


# --- meetings --------------------------------------------------------------------------------


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = selectors.meetings_visible_to(request.user)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "intake/meeting_list.html",
        {
            "page": page,
            "can_file": services.can_file(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    if not services.can_file(request.user):
        raise Http404("Không tìm thấy trang.")
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.file_meeting(
                user=request.user,
                kind=data["kind"],
                title=data["title"],
                held_on=data["held_on"],
                place=data["place"],
                delegates=data["delegates"],
                unit=None,
                area=data["area"],
                notes=data["notes"],
                points=[services.PointInput(text) for text in form.point_texts()],
            )
        except ServiceError as exc:
            form.add_error(
                "points"
                if (exc.field or "").startswith("points")
                else (exc.field if exc.field in form.fields else None),
                exc.message,
            )
        else:
            messages.success(request, f"Đã ghi biên bản với {meeting.points.count()} ý kiến.")
            return redirect("meeting_detail", pk=meeting.pk)
    return render(request, "intake/meeting_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, pk)
    form = PointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.add_meeting_point(
                user=request.user,
                meeting=meeting,
                text=data["text"],
                topic_ids=[data["topic"].pk] if data["topic"] else [],
                attitude=data["attitude"],
            )
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"Đã thêm ý kiến #{item.pk} vào biên bản.")
            return redirect("meeting_detail", pk=meeting.pk)
    points = (
        selectors.items_visible_to(request.user)
        .filter(meeting=meeting)
        .prefetch_related("topics")
        .order_by("pk")
    )
    return render(
        request,
        "intake/meeting_detail.html",
        {
            "meeting": meeting,
            "points": points,
            "form": form,
            "can_file": services.can_file(request.user),
        },
    )


# --- public feedback -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def public_feedback(request: HttpRequest) -> HttpResponse:
    form = PublicFeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                code = services.submit_public_feedback(
                    text=data["text"],
                    area_id=data["area"].pk if data["area"] else None,
                    wants_reply=data["wants_reply"],
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    address=data["address"],
                    consent=data["consent"],
                    client_ip=client_address(request),
                )
            except ServiceError as exc:
                _form_error(form, exc)
                status = exc.status_code
            else:
                return render(request, "intake/public_thanks.html", {"code": code})
        else:
            status = 400
    # The minimum fill time counts from the first time the form was shown: a resident who fixes
    # one field after an error and sends again at once is not "too fast". The stamp is signed
    # afresh on every render, so a long correction does not expire it.
    if form.is_bound:
        form.data = form.data.copy()
        form.data["started"] = PublicFeedbackForm.stamp(
            PublicFeedbackForm.started_at(form.data.get("started"))
        )
    else:
        form.initial["started"] = PublicFeedbackForm.stamp()
    return render(request, "intake/public_feedback.html", {
        "form": form, "retention_days": settings.LONGDAN_CONTACT_RETENTION_DAYS,
        "max_days": settings.LONGDAN_CONTACT_MAX_DAYS,
    }, status=status)


# --- residents' erasure requests (issue 10) -------------------------------------------------


@login_required
def erasure_requests(request: HttpRequest) -> HttpResponse:
    """Residents' requests to erase their contact details: the office sees and completes them."""
    page = Paginator(selectors.erasure_requests_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "intake/erasure_requests.html", {"page": page})


@login_required
@require_POST
def erasure_request_complete(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.erasure_requests_for(request.user)  # anyone but the office: not found
    try:
        done = services.complete_erasure_request(user=request.user, request_id=pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã xóa thông tin liên hệ của ý kiến #{done.item_id}.")
    return redirect("erasure_requests")


# --- import ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    if not services.can_import(request.user):
        raise Http404("Không tìm thấy trang.")
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            form.add_error("file", "Tệp quá lớn (tối đa 10 MB).")
        else:
            try:
                batch = services.start_import(
                    user=request.user, file_name=upload.name, data=upload.read()
                )
            except ServiceError as exc:
                form.add_error("file", exc.message)
            else:
                return redirect("import_map", pk=batch.pk)
    recent = selectors.imports_visible_to(request.user)[:10]
    return render(request, "intake/import_upload.html", {"form": form, "recent": recent})


@login_required
@require_http_methods(["GET", "POST"])
def import_map(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.get_import_for(request.user, pk)
    if batch.state != ImportBatch.State.PENDING:
        return redirect("import_result", pk=batch.pk)
    form = ImportMapForm(request.POST or None, headers=batch.headers)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.apply_import(
                user=request.user,
                batch=batch,
                mapping=form.mapping(),
                default_channel=form.cleaned_data["default_channel"],
            )
        except ServiceError as exc:
            name = f"col_{exc.field}" if f"col_{exc.field}" in form.fields else None
            form.add_error(name, exc.message)
        else:
            return redirect("import_result", pk=batch.pk)
    return render(
        request,
        "intake/import_map.html",
        {
            "batch": batch,
            "form": form,
            "preview": selectors.import_preview(batch),
        },
    )


@login_required
def import_result(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.get_import_for(request.user, pk)
    if batch.state == ImportBatch.State.PENDING:
        return redirect("import_map", pk=batch.pk)
    return render(request, "intake/import_result.html", {"batch": batch})


# --- text models -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def model_status(request: HttpRequest) -> HttpResponse:
    if not request.user.is_office:
        raise Http404("Không tìm thấy trang.")
    from intake.tasks import MIN_NEW_LABELS, retrain_models

    if request.method == "POST":
        retrain_models.enqueue(force=request.POST.get("force") == "1")
        messages.success(request, "Đã yêu cầu huấn luyện lại mô hình; kết quả hiện ở đây khi xong.")
        return redirect("model_status")
    versions = selectors.model_versions()
    counts = selectors.confirmed_label_counts()
    progress = selectors.retraining_in_progress()
    kinds = []
    for kind, title in (("topic", "Chủ đề"), ("attitude", "Thái độ")):
        current = next((v for v in versions[kind] if v.current), None)
        trained_on = current.training_size if current else 0
        kinds.append(
            {
                "kind": kind,
                "title": title,
                "versions": versions[kind],
                "current": current,
                "confirmed": counts[kind],
                "new_labels": max(counts[kind] - trained_on, 0),
            }
        )
    return render(
        request,
        "intake/model_status.html",
        {
            "kinds": kinds,
            "progress": progress,
            "min_new_labels": MIN_NEW_LABELS,
            "engine_version": textops.suggester()[1],
            "unconfirmed": OpinionItem.objects.filter(labels_confirmed=False).count(),
        },
    )
