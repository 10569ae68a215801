"""Pages of the office's findings of distorted or false information (R9): the list, marking a
mention, a story or an issue (``?tin=``, ``?cau-chuyen=``, ``?van-de=`` or an issue's code typed
on the list), a finding with its correction and the volume before and after it, withdrawing.

Leaders read them; only the office writes (a leader's POST: 403, a unit's account: 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ServiceError
from issues.models import Issue
from monitoring import misinformation
from monitoring import page_selectors as pages
from monitoring.forms import MisinformationForm
from monitoring.models import Mention, Misinformation, Story
from monitoring.reading_views import _office, _reader

TARGETS = {"tin": "mention_id", "cau-chuyen": "story_id", "van-de": "issue_id"}


@login_required
@require_http_methods(["GET"])
def finding_list(request: HttpRequest) -> HttpResponse:
    _reader(request)
    rows = pages.findings()
    for finding in rows:
        finding.volume = pages.misinformation_volume(finding)
    return render(
        request,
        "monitoring/misinfo_list.html",
        {"findings": rows, "code": request.GET.get("ma", "").strip()[:20]},
    )


def _target(request: HttpRequest) -> tuple[dict, object]:
    """The object to mark, from the query string (the form posts back to the same address):
    ``{"mention_id": 5}`` and the mention."""
    source = request.GET
    code = source.get("ma", "").strip()
    if code:
        issue = Issue.objects.filter(code__iexact=code).first()
        if issue is None:
            return {}, None
        return {"issue_id": issue.pk}, issue
    for key, arg in TARGETS.items():
        value = source.get(key, "")
        if value.isdigit():
            model = {"mention_id": Mention, "story_id": Story, "issue_id": Issue}[arg]
            obj = get_object_or_404(model, pk=int(value))
            return {arg: obj.pk}, obj
    return {}, None


@login_required
@require_http_methods(["GET", "POST"])
def finding_new(request: HttpRequest) -> HttpResponse:
    _office(request)
    target, obj = _target(request)
    if obj is None:
        messages.error(
            request,
            "Không tìm thấy vấn đề có mã này."
            if request.GET.get("ma")
            else "Hãy chọn tin, câu chuyện hoặc vấn đề cần đánh dấu.",
        )
        return redirect("monitoring_findings")
    existing = Misinformation.objects.filter(
        **{k.removesuffix("_id"): v for k, v in target.items()}
    ).first()
    if existing:
        messages.info(request, "Mục này đã được đánh dấu; bạn có thể sửa đánh giá ở đây.")
        return redirect("monitoring_finding", existing.pk)
    form = MisinformationForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            finding = misinformation.mark(actor=request.user, **target, **form.cleaned_data)
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, f"Đã đánh dấu: {finding.target_label}.")
            return redirect("monitoring_finding", finding.pk)
    return render(
        request,
        "monitoring/misinfo_form.html",
        {"form": form, "error": error, "target": obj, "target_kind": next(iter(target))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A finding, its correction, the volume before and after it; the office edits it here."""
    _reader(request)
    finding = get_object_or_404(
        Misinformation.objects.select_related("mention", "story", "issue", "created_by"), pk=pk
    )
    initial = {
        "verdict": finding.verdict,
        "note": finding.note,
        "correction_url": finding.correction_url,
        "correction_text": finding.correction_text,
        "corrected_on": finding.corrected_on,
    }
    form = MisinformationForm(request.POST or None, initial=initial)
    error = ""
    if request.method == "POST":
        _office(request)
        if form.is_valid():
            try:
                misinformation.update(
                    actor=request.user, finding_id=finding.pk, **form.cleaned_data
                )
            except ServiceError as exc:
                error = exc.message
            else:
                messages.success(request, "Đã lưu đánh giá và bài đính chính.")
                return redirect("monitoring_finding", finding.pk)
    volume = pages.misinformation_volume(finding)
    return render(
        request,
        "monitoring/misinfo_detail.html",
        {
            "finding": finding,
            "volume": volume,
            "chart": volume.chart(),
            "form": form,
            "error": error,
            "reference": pages.reference_day(finding),
        },
    )


@login_required
@require_POST
def finding_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    _office(request)
    finding = get_object_or_404(Misinformation, pk=pk)
    label = finding.target_label
    misinformation.withdraw(actor=request.user, finding_id=finding.pk)
    messages.success(request, f"Đã bỏ đánh dấu: {label}.")
    return redirect(reverse("monitoring_findings"))
