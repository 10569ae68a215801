"""Pages of issues, alerts and answers, and the public pages residents use without logging in.

Views stay thin: read through ``issues.selectors`` (another unit's issue is "not found"), write
through ``issues.services`` and show a refused write's Vietnamese message. Public pages show
answers, issue codes, titles and statuses only: never an item's text or a resident's details.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from core.dates import local_today
from core.errors import ServiceError
from core.request import client_address
from core.views import require_office, sort_links, xlsx_response
from intake import selectors as intake_selectors
from intake import services as intake_services
from issues import selectors, services
from issues.forms import (
    AnswerForm,
    AssignForm,
    IssueFilterForm,
    MergeForm,
    RenameForm,
    SplitForm,
    StatusForm,
    TrackForm,
)
from issues.models import Issue
from orgs.selectors import descendant_ids, units_visible_to

PAGE_SIZE = 25
ITEMS_SHOWN = 200
TRACK_LIMIT, TRACK_WINDOW = 20, 600  # lookups per address per 10 minutes: codes are not guessed


# --- list and export ----------------------------------------------------------------------------


def _filters(request: HttpRequest) -> tuple[IssueFilterForm, selectors.IssueFilter]:
    form = IssueFilterForm(request.GET or None, owners=selectors.owner_units_for(request.user),
                           units=units_visible_to(request.user))
    if not form.is_bound or not form.is_valid():
        return form, selectors.IssueFilter()
    data = form.cleaned_data
    return form, selectors.IssueFilter(
        status=data["status"] or "",
        topic_id=data["topic"].pk if data["topic"] else None,
        owner_id=data["owner"].pk if data["owner"] else None,
        unit_ids=frozenset(descendant_ids(data["unit"].pk)) if data["unit"] else None,
        area_id=data["area"].pk if data["area"] else None,
        overdue=data["overdue"],
        query=data["q"].strip(),
        sort=data["sort"] or selectors.DEFAULT_ISSUE_SORT,
    )


@login_required
def issue_list(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    issues = selectors.filtered_issues(request.user, filters)
    page = Paginator(issues, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "issues/issue_list.html", {
        "form": form,
        "page": page,
        "filters": filters,
        "sorts": sort_links(request, selectors.ISSUE_SORTS, filters.sort),
        "query": query.urlencode(),
        "today": local_today(),
        "filtered": any([filters.status, filters.topic_id, filters.owner_id, filters.overdue,
                         filters.query, filters.unit_ids is not None, filters.area_id]),
        "proposals_open": selectors.open_proposals(request.user).count(),
    })


@login_required
def issue_export(request: HttpRequest) -> HttpResponse:
    _, filters = _filters(request)
    issues = selectors.filtered_issues(request.user, filters)
    rows = [
        [i.code, i.title, i.get_status_display(), str(i.topic or ""), str(i.area or ""),
         str(i.owner_unit or ""), i.due_on, i.first_seen_on, i.last_seen_on, i.item_count,
         "Có" if i.latent else ""]
        for i in issues
    ]
    headers = [
        "Mã", "Tên vấn đề", "Trạng thái", "Chủ đề", "Địa bàn chính", "Đơn vị chịu trách nhiệm",
        "Hạn xử lý", "Lần đầu ghi nhận", "Lần gần nhất", "Số ý kiến", "Tiềm ẩn",
    ]
    return xlsx_response(
        request=request,
        filename=f"van-de-{local_today():%Y%m%d}.xlsx",
        sheet_title="Vấn đề dư luận",
        headers=headers,
        rows=rows,
        object_type="issues.issue",
    )


# --- detail and the office's actions ------------------------------------------------------------


def _detail_context(request: HttpRequest, issue: Issue) -> dict:
    user = request.user
    items = list(selectors.items_of(user, issue)[:ITEMS_SHOWN])
    stats = selectors.issue_stats(issue)
    allowed = services.allowed_next(issue, user) if not issue.merged_into_id else []
    office = user.is_office and not issue.merged_into_id
    context = {
        "issue": issue,
        "items": items,
        "items_total": selectors.items_of(user, issue).count(),
        "stats": stats,
        "chart": stats.chart(),
        "events": issue.events.select_related("actor").order_by("-at", "-id"),
        "answers": selectors.published_answers().filter(issues=issue),
        "aliases": issue.aliases.order_by("code"),
        "alerts": issue.alerts.order_by("-detected_on")[:5],
        "press": selectors.press_stories(user, issue),
        "office": office,
        "today": local_today(),
    }
    if allowed:
        context["status_form"] = StatusForm(allowed=allowed, initial={"version": issue.version})
    if office:
        context["assign_form"] = AssignForm(initial={
            "owner_unit": issue.owner_unit_id, "due_on": issue.due_on, "version": issue.version})
        context["rename_form"] = RenameForm(initial={"title": issue.title,
                                                      "version": issue.version})
        context["merge_form"] = MergeForm()
        if len(items) > 1:
            context["split_form"] = SplitForm(item_choices=_item_choices(items))
    return context


def _item_choices(items) -> list[tuple[int, str]]:
    return [(i.pk, f"#{i.pk} · {i.received_on:%d/%m/%Y} · {i.text[:90]}") for i in items]


@login_required
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.get_issue_for(request.user, pk)
    return render(request, "issues/issue_detail.html", _detail_context(request, issue))


def _refused(request: HttpRequest, issue: Issue, exc: ServiceError) -> HttpResponse:
    messages.error(request, exc.message)
    return redirect("issue_detail", pk=issue.pk)


@login_required
@require_POST
def issue_status(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.get_issue_for(request.user, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Trạng thái: hãy chọn trạng thái mới.")
        return redirect("issue_detail", pk=issue.pk)
    data = form.cleaned_data
    try:
        services.change_status(user=request.user, issue=issue, to_status=data["status"],
                               note=data["note"], expected_version=data["version"])
    except ServiceError as exc:
        return _refused(request, issue, exc)
    label = dict(Issue.Status.choices)[data["status"]]
    messages.success(request, f"Đã chuyển {issue.code} sang “{label}”.")
    return redirect("issue_detail", pk=issue.pk)


@login_required
@require_POST
def issue_assign(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.get_issue_for(request.user, pk)
    require_office(request.user)
    form = AssignForm(request.POST)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label or 'Giao xử lý'}: {errors[0]}")
        return redirect("issue_detail", pk=issue.pk)
    data = form.cleaned_data
    try:
        services.assign(user=request.user, issue=issue, owner_unit=data["owner_unit"],
                        due_on=data["due_on"], expected_version=data["version"])
    except ServiceError as exc:
        return _refused(request, issue, exc)
    messages.success(request, f"Đã giao {issue.code} cho {data['owner_unit']}.")
    return redirect("issue_detail", pk=issue.pk)


@login_required
@require_POST
def issue_rename(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.get_issue_for(request.user, pk)
    require_office(request.user)
    form = RenameForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tên vấn đề: hãy nhập tên mới.")
        return redirect("issue_detail", pk=issue.pk)
    data = form.cleaned_data
    try:
        renamed = services.rename(user=request.user, issue=issue, title=data["title"],
                                  expected_version=data["version"])
    except ServiceError as exc:
        return _refused(request, issue, exc)
    messages.success(request, f"Đã đổi tên {issue.code} thành “{renamed.title}”.")
    return redirect("issue_detail", pk=issue.pk)


@login_required
@require_POST
def issue_merge(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.get_issue_for(request.user, pk)
    require_office(request.user)
    form = MergeForm(request.POST)
    other = None
    if form.is_valid():
        other = Issue.objects.filter(code=form.cleaned_data["other"]).first()
    if other is None:
        messages.error(request, "Mã vấn đề gộp vào: không tìm thấy vấn đề có mã đó.")
        return redirect("issue_detail", pk=issue.pk)
    try:
        services.merge_issues(user=request.user, keep=issue, other=other)
    except ServiceError as exc:
        return _refused(request, issue, exc)
    messages.success(request, f"Đã gộp {other.code} vào {issue.code}.")
    return redirect("issue_detail", pk=issue.pk)


@login_required
@require_POST
def issue_split(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.get_issue_for(request.user, pk)
    require_office(request.user)
    items = list(selectors.items_of(request.user, issue)[:ITEMS_SHOWN])
    form = SplitForm(request.POST, item_choices=_item_choices(items))
    if not form.is_valid():
        messages.error(request, "Tách vấn đề: hãy chọn ý kiến tách ra và đặt tên vấn đề mới.")
        return redirect("issue_detail", pk=issue.pk)
    try:
        created = services.split_issue(user=request.user, issue=issue,
                                       item_ids=form.item_ids(), title=form.cleaned_data["title"])
    except ServiceError as exc:
        return _refused(request, issue, exc)
    messages.success(request, f"Đã tách {len(form.item_ids())} ý kiến thành {created.code}.")
    return redirect("issue_detail", pk=created.pk)


@login_required
def issue_overdue(request: HttpRequest) -> HttpResponse:
    today = local_today()
    issues = list(selectors.overdue_issues(request.user, today=today))
    for issue in issues:
        issue.days_overdue = (today - issue.due_on).days
    return render(request, "issues/issue_overdue.html", {"issues": issues, "today": today})


# --- merge proposals (the office's) -------------------------------------------------------------


@login_required
def merge_proposals(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    page = Paginator(selectors.open_proposals(request.user), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "issues/merge_proposals.html", {"page": page})


def _decided(request: HttpRequest, pk: int, decide) -> HttpResponse:
    require_office(request.user)
    proposal = selectors.get_open_proposal_for(request.user, pk)
    try:
        message = decide(proposal)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, message)
    return redirect("merge_proposals")


@login_required
@require_POST
def merge_proposal_accept(request: HttpRequest, pk: int) -> HttpResponse:
    def accept(proposal) -> str:
        services.accept_proposal(user=request.user, proposal=proposal)
        return f"Đã gộp {proposal.other.code} vào {proposal.keep.code}."

    return _decided(request, pk, accept)


@login_required
@require_POST
def merge_proposal_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    def dismiss(proposal) -> str:
        services.dismiss_proposal(user=request.user, proposal=proposal)
        return (f"Đã ghi nhận {proposal.other.code} và {proposal.keep.code} là hai vấn đề khác "
                "nhau; máy sẽ không đề xuất gộp cặp này nữa.")

    return _decided(request, pk, dismiss)


# --- alerts -------------------------------------------------------------------------------------


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    alerts = selectors.alerts_visible_to(request.user)
    if request.GET.get("chua_xem"):
        alerts = alerts.filter(acknowledged_at__isnull=True)
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "issues/alert_list.html", {
        "page": page, "only_new": bool(request.GET.get("chua_xem")),
    })


@login_required
@require_POST
def alert_ack(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    alert = selectors.alerts_visible_to(request.user).filter(pk=pk).first()
    if alert is None:
        raise Http404("Không tìm thấy cảnh báo.")
    services.acknowledge_alert(user=request.user, alert=alert)
    messages.success(request, "Đã đánh dấu cảnh báo là đã xem.")
    return redirect("alert_list")


# --- answers ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def answer_create(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    issues = selectors.issues_visible_to(request.user).filter(merged_into__isnull=True).order_by(
        "-last_seen_on", "-id")
    initial = {}
    if request.GET.get("issue", "").isdigit():
        initial["issues"] = [int(request.GET["issue"])]
    form = AnswerForm(request.POST or None, issues=issues, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            answer = services.publish_answer(
                user=request.user, title=data["title"], body=data["body"], kind=data["kind"],
                issue_ids=[i.pk for i in data["issues"]], item_ids=data["item_ids"],
                answering_unit=data["answering_unit"],
            )
        except ServiceError as exc:
            target = exc.field if exc.field in form.fields else None
            form.add_error(target, exc.message)
        else:
            messages.success(request, f"Đã công bố “{answer.title}”.")
            return redirect("public_answer", pk=answer.pk)
    return render(request, "issues/answer_form.html", {"form": form})


# --- public pages (no login) --------------------------------------------------------------------


def public_answers(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.published_answers(), 20).get_page(request.GET.get("page"))
    return render(request, "issues/public_answers.html", {"page": page})


def public_answer(request: HttpRequest, pk: int) -> HttpResponse:
    answer = selectors.get_published_answer(pk)
    return render(request, "issues/public_answer.html", {
        "answer": answer, "issues": answer.issues.order_by("code"),
    })


def _track_allowed(request: HttpRequest) -> bool:
    # Counted in the database cache, which every server process shares.
    cache = caches["throttle"]
    key = f"track:{client_address(request)}"
    cache.add(key, 0, TRACK_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, TRACK_WINDOW)
        count = 1
    return count <= TRACK_LIMIT


def _form_error(form: TrackForm) -> str:
    """The tracking form's error, naming the field, for the page's error line."""
    field, errors = next(iter(form.errors.items()))
    label = form.fields[field].label if field in form.fields else ""
    return f"{label}: {errors[0]}" if label else errors[0]


def public_track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    context: dict = {"form": form, "searched": False}
    if form.is_bound and not form.is_valid():
        context["error"] = _form_error(form)
        return render(request, "issues/public_track.html", context, status=400)
    if form.is_bound:
        if not _track_allowed(request):
            context["error"] = "Bạn đã tra cứu quá nhiều lần; hãy thử lại sau ít phút."
            return render(request, "issues/public_track.html", context, status=429)
        context["searched"] = True
        context["result"] = selectors.track(form.cleaned_data["ma"])
    return render(request, "issues/public_track.html", context)


@require_POST
def public_erasure_request(request: HttpRequest) -> HttpResponse:
    """A resident asks, with their tracking code, for their contact details to be erased
    (issue 10); the office completes it (intake's erasure requests page)."""
    form = TrackForm(request.POST)
    if not form.is_valid():
        context = {"form": form, "searched": False, "error": _form_error(form)}
        return render(request, "issues/public_track.html", context, status=400)
    code = intake_selectors.clean_tracking_code(form.cleaned_data["ma"])
    context: dict = {"form": TrackForm({"ma": code}), "searched": True}
    if not _track_allowed(request):
        context["error"] = "Bạn đã tra cứu quá nhiều lần; hãy thử lại sau ít phút."
        return render(request, "issues/public_track.html", context, status=429)
    try:
        intake_services.request_erasure(code=code)
    except ServiceError as exc:
        context["error"] = exc.message
        context["result"] = selectors.track(code)
        return render(request, "issues/public_track.html", context, status=exc.status_code)
    messages.success(request, "Đã gửi yêu cầu xóa thông tin liên hệ. Ban Xây dựng Đảng sẽ xử lý"
                     " và trang này sẽ cho biết khi đã xóa.")
    return redirect(f"{reverse('public_track')}?{urlencode({'ma': code})}")
