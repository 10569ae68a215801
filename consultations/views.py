"""Pages of the consultations app: the drafts, a draft's structure, commenting on a provision,
the office's synthesis (groups and answers) and its DOCX."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from consultations import selectors, services
from consultations.forms import AnswerForm, CommentForm, DraftUploadForm, PublicCommentForm
from core.dates import local_today
from core.errors import ServiceError
from core.mime import DOCX_TYPE
from core.request import client_address
from core.views import require_office
from intake.forms import PublicFeedbackForm


def _form_error(form, exc: ServiceError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _flash_errors(request: HttpRequest, form, prefix: str = "") -> None:
    """A posted form's errors as messages, one per field (a page that redirects back)."""
    for errors in form.errors.values():
        messages.error(request, f"{prefix}{' '.join(errors)}")


@login_required
@require_http_methods(["GET"])
def draft_list(request: HttpRequest) -> HttpResponse:
    return render(request, "consultations/draft_list.html", {
        "drafts": selectors.drafts_for(request.user), "today": local_today(),
        "can_upload": request.user.is_office,
    })


@login_required
@require_http_methods(["GET", "POST"])
def draft_upload(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    form = DraftUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                draft = services.upload_draft(
                    user=request.user, title=data["title"], issuing_body=data["issuing_body"],
                    opens_on=data["opens_on"], closes_on=data["closes_on"],
                    file_name=data["file"].name, data=data["file"].read())
            except ServiceError as exc:
                _form_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, "Đã đưa dự thảo ra lấy ý kiến.")
                return redirect("consult_draft_detail", pk=draft.pk)
        else:
            status = 400
    return render(request, "consultations/draft_upload.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET"])
def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = selectors.draft_for(request.user, pk)
    return render(request, "consultations/draft_detail.html", {
        "draft": draft, "provisions": selectors.provisions_with_counts(request.user, draft),
        "open": draft.is_open_on(local_today()), "is_office": request.user.is_office,
    })


@login_required
@require_http_methods(["GET", "POST"])
def provision_detail(request: HttpRequest, pk: int, provision_pk: int) -> HttpResponse:
    draft = selectors.draft_for(request.user, pk)
    provision = selectors.provision_for(request.user, draft, provision_pk)
    sources = services.sources_for(request.user)
    form = CommentForm(request.POST or None, sources=sources) if sources else None
    status = 200
    if request.method == "POST":
        if form is None:
            form = CommentForm(request.POST, sources=[])
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_comment(user=request.user, provision=provision,
                                     source=data["source"], text=data["text"],
                                     organisation=data["organisation"])
            except ServiceError as exc:
                _form_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, f"Đã ghi ý kiến góp ý {provision.label}.")
                return redirect("consult_provision", pk=draft.pk, provision_pk=provision.pk)
        else:
            status = 400
    return render(request, "consultations/provision_detail.html", {
        "draft": draft, "provision": provision, "form": form,
        "comments": selectors.provision_comments(request.user, provision),
        "open": draft.is_open_on(local_today()),
    }, status=status)


@login_required
@require_http_methods(["GET"])
def synthesis(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    draft = selectors.draft_for(request.user, pk)
    rows = services.synthesis_rows(draft)
    groups = list(selectors.groups_for_office(request.user, draft))
    return render(request, "consultations/synthesis.html", {
        "draft": draft, "entries": list(zip(groups, rows, strict=True)),
        "answer_form": AnswerForm(),
        "answered": sum(1 for g in groups if g.response),
    })


@login_required
@require_POST
def answer(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    require_office(request.user)
    draft = selectors.draft_for(request.user, pk)
    group = selectors.group_for_office(request.user, draft, group_pk)
    form = AnswerForm(request.POST)
    target = reverse("consult_synthesis", kwargs={"pk": draft.pk}) + f"#nhom-{group.pk}"
    if not form.is_valid():
        _flash_errors(request, form, prefix=f"{group.provision.label}: ")
        return redirect(target)
    try:
        services.answer_group(user=request.user, group=group,
                              response=form.cleaned_data["response"],
                              reason=form.cleaned_data["reason"])
    except ServiceError as exc:
        messages.error(request, f"{group.provision.label}: {exc.message}")
    else:
        messages.success(request, f"Đã ghi ý kiến tiếp thu, giải trình {group.provision.label}.")
    return redirect(target)


@login_required
@require_http_methods(["GET"])
def synthesis_docx(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    draft = selectors.draft_for(request.user, pk)
    content = services.export_synthesis(user=request.user, draft=draft)
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="tong-hop-gop-y-{draft.pk}.docx"'
    return response


@require_http_methods(["GET", "POST"])
def public_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft's text for residents and their comment on a provision (no login, no name)."""
    draft = selectors.draft_for(None, pk)
    form = PublicCommentForm(request.POST or None, draft=draft)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.add_public_comment(provision=form.cleaned_data["provision"],
                                            text=form.cleaned_data["text"],
                                            client_ip=client_address(request))
            except ServiceError as exc:
                _form_error(form, exc)
                status = exc.status_code
            else:
                return render(request, "consultations/public_thanks.html", {"draft": draft})
        else:
            status = 400
    # The minimum fill time counts from the first time the form was shown (as the public form).
    if form.is_bound:
        form.data = form.data.copy()
        form.data["started"] = PublicFeedbackForm.stamp(
            PublicFeedbackForm.started_at(form.data.get("started")))
    else:
        form.initial["started"] = PublicFeedbackForm.stamp()
    return render(request, "consultations/public_draft.html", {
        "draft": draft, "form": form, "open": draft.is_open_on(local_today()),
        "provisions": draft.provisions.order_by("position"),
    }, status=status)
