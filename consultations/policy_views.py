"""Pages of the policy register: the list, a policy's page with its consultation file, and the
office's and the leader's writes on it (thin: reads through ``policy_selectors``, writes
through ``policy_services``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from consultations import policy_selectors as selectors
from consultations import policy_services as services
from consultations.models import ConsultationLink, Moment, Policy
from consultations.policy_forms import (
    DifficultyForm,
    LinkForm,
    PolicyFilterForm,
    PolicyForm,
    StageForm,
    WaiverForm,
)
from consultations.views import _flash_errors, _form_error
from core.errors import ServiceError
from core.views import require_office

PAGE_SIZE = 25


@login_required
@require_http_methods(["GET"])
def policy_list(request: HttpRequest) -> HttpResponse:
    form = PolicyFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    policies = selectors.filter_policies(
        request.user, q=data.get("q", ""), stage=data.get("stage", ""),
        kind=data.get("kind", ""), required=data.get("required", ""), sort=data.get("sort", ""))
    page = Paginator(policies, PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = any(data.get(k) for k in ("q", "stage", "kind", "required"))
    return render(request, "consultations/policy_list.html", {
        "form": form, "page": page, "filtered": filtered, "can_manage": request.user.is_office,
    })


@login_required
@require_http_methods(["GET", "POST"])
def policy_create(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    form = PolicyForm(request.POST or None, initial={"level": Policy.Level.WARD})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                policy = services.create_policy(user=request.user, data=form.to_input())
            except ServiceError as exc:
                _form_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, f"Đã ghi “{policy.title}” vào danh mục.")
                return redirect("consult_policy_detail", pk=policy.pk)
        else:
            status = 400
    return render(request, "consultations/policy_form.html", {"form": form, "policy": None},
                  status=status)


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    policy = selectors.policy_for(request.user, pk)
    form = PolicyForm(request.POST or None, initial=PolicyForm.initial_for(policy))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                policy = services.update_policy(
                    user=request.user, policy=policy, data=form.to_input(),
                    expected_version=form.cleaned_data.get("version"))
            except ServiceError as exc:
                _form_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, "Đã lưu thay đổi.")
                return redirect("consult_policy_detail", pk=policy.pk)
        else:
            status = 400
    return render(request, "consultations/policy_form.html", {"form": form, "policy": policy},
                  status=status)


@login_required
@require_http_methods(["GET"])
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    policy = selectors.policy_for(request.user, pk)
    user = request.user
    context = {
        "policy": policy, "reasons": selectors.reasons_of(policy),
        "files": selectors.consultation_file(user, policy),
        "before_on_record": selectors.before_on_record(policy),
        "waiver": getattr(policy, "waiver", None),
        "is_office": user.is_office, "is_leader": user.is_leader,
        "stage_form": StageForm(initial={"stage": _next_stage(policy),
                                         "version": policy.version}),
        "waiver_form": WaiverForm(), "difficulty_form": DifficultyForm(),
    }
    if user.is_office:
        source = request.GET.get("nguon") or ConsultationLink.Source.SURVEY
        if source not in ConsultationLink.Source.values:
            source = ConsultationLink.Source.SURVEY
        q = (request.GET.get("tim") or "")[:200]
        moment = request.GET.get("thoi-diem") or Moment.BEFORE
        context.update({
            "link_form": LinkForm(initial={"source": source, "moment": moment}),
            "source": source, "q": q, "sources": ConsultationLink.Source.choices,
            "moments": Moment.choices, "moment": moment,
            "candidates": selectors.candidates(policy, source, q),
        })
    return render(request, "consultations/policy_detail.html", context)


def _next_stage(policy: Policy) -> str:
    stages = Policy.Stage.values
    at = stages.index(policy.stage)
    return stages[min(at + 1, len(stages) - 1)]


def _back(policy: Policy, anchor: str = "") -> str:
    return reverse("consult_policy_detail", kwargs={"pk": policy.pk}) + anchor


@login_required
@require_POST
def policy_stage(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    policy = selectors.policy_for(request.user, pk)
    form = StageForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form)
        return redirect(_back(policy, "#giai-doan"))
    try:
        policy = services.change_stage(user=request.user, policy=policy,
                                       stage=form.cleaned_data["stage"],
                                       expected_version=form.cleaned_data.get("version"))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã chuyển sang giai đoạn “{policy.get_stage_display()}”.")
    return redirect(_back(policy, "#giai-doan"))


@login_required
@require_POST
def policy_waiver(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_leader:
        raise Http404("Không tìm thấy trang.")
    policy = selectors.policy_for(request.user, pk)
    form = WaiverForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form)
        return redirect(_back(policy, "#mien"))
    try:
        services.grant_waiver(user=request.user, policy=policy,
                              reason=form.cleaned_data["reason"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã ghi quyết định miễn lấy ý kiến trước khi ban hành.")
    return redirect(_back(policy, "#mien"))


@login_required
@require_POST
def policy_link(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    policy = selectors.policy_for(request.user, pk)
    form = LinkForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form)
        return redirect(_back(policy, "#gan-nguon"))
    moment = form.cleaned_data["moment"]
    try:
        fresh = services.link_sources(user=request.user, policy=policy, moment=moment,
                                      source=form.cleaned_data["source"],
                                      ids=request.POST.getlist("ids"))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã gắn {len(fresh)} nguồn vào thời điểm"
                                  f" “{Moment(moment).label}”." if fresh else
                         "Các nguồn đã chọn đều đã có ở thời điểm này.")
    return redirect(_back(policy, f"#thoi-diem-{moment}"))


@login_required
@require_POST
def policy_unlink(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    require_office(request.user)
    policy = selectors.policy_for(request.user, pk)
    link = get_object_or_404(ConsultationLink, pk=link_pk, policy=policy)
    try:
        services.unlink_source(user=request.user, link=link)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã bỏ nguồn khỏi hồ sơ.")
    return redirect(_back(policy, f"#thoi-diem-{link.moment}"))


@login_required
@require_POST
def policy_difficulty(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    policy = selectors.policy_for(request.user, pk)
    form = DifficultyForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form)
        return redirect(_back(policy, "#kho-khan"))
    try:
        services.add_difficulty(user=request.user, policy=policy,
                                moment=form.cleaned_data["moment"],
                                text=form.cleaned_data["text"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã ghi khó khăn, vướng mắc.")
    return redirect(_back(policy, f"#thoi-diem-{form.cleaned_data['moment']}"))
