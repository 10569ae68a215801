"""The monitoring page (the office's): newest mentions with filters, sources' health, and the
"paste a link" form (fetch, show, confirm, store)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.errors import ServiceError
from monitoring import selectors, services
from monitoring.models import Mention


def _office(request: HttpRequest) -> None:
    if not request.user.is_office:
        raise Http404("Không tìm thấy trang.")


@login_required
@require_http_methods(["GET"])
def mention_list(request: HttpRequest) -> HttpResponse:
    _office(request)
    relevance = request.GET.get("relevance", "ward")
    if relevance not in Mention.Relevance.values:
        relevance = ""
    source = request.GET.get("source", "")
    q = request.GET.get("q", "").strip()[:200]
    sources = selectors.sources_with_health()
    mentions = selectors.mentions_for_office(
        relevance=relevance, source_id=int(source) if source.isdigit() else None, q=q
    )
    return render(
        request,
        "monitoring/list.html",
        {
            "mentions": mentions,
            "sources": sources,
            "relevance": relevance,
            "source": source,
            "q": q,
            "relevances": Mention.Relevance.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def paste_link(request: HttpRequest) -> HttpResponse:
    _office(request)
    context: dict = {"url": request.POST.get("url", "").strip()}
    if request.method == "POST":
        try:
            if request.POST.get("confirm") == "1":
                mention = services.paste_link(user=request.user, url=context["url"])
                messages.success(request, f"Đã lưu tin: {mention.title or mention.url}")
                return redirect("monitoring_list")
            context["preview"] = services.preview_link(user=request.user, url=context["url"])
        except ServiceError as exc:
            context["error"] = exc.message
    return render(request, "monitoring/paste.html", context)
