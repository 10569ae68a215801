"""The monitoring pages the office and the leaders read: the newest mentions (filters, search
without diacritics, sorting, pages, XLSX export), stories by spread, a story, a mention, and the
sources with their health; the office keeps the sources' register here (add, edit, stop).

A unit's account gets "not found"; a leader who posts to the office's forms gets a 403 that says
why (``core.views.require_office``)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.timezone import localdate
from django.views.decorators.http import require_http_methods, require_POST

from core.dates import local_today
from core.errors import ServiceError
from core.models import Topic
from core.views import require_office, sort_links, xlsx_response
from monitoring import page_selectors as pages
from monitoring import services
from monitoring.forms import RANGES, MentionFilterForm, SourceForm
from monitoring.models import Mention, Source, Story

PAGE_SIZE = 30
STORIES_PAGE_SIZE = 20
SORT_LABELS = {
    "time": "Thời điểm đăng",
    "score": "Điểm liên quan",
    "spread": "Số trang đăng",
    "reactions": "Lượt tương tác",
}
WRITE_REFUSAL = "Chỉ Ban Xây dựng Đảng cập nhật bàn theo dõi báo chí; lãnh đạo xem được."


def _reader(request: HttpRequest) -> None:
    if not pages.can_read(request.user):
        raise Http404("Không tìm thấy trang.")


def _office(request: HttpRequest) -> None:
    require_office(request.user, refusal=WRITE_REFUSAL, hide_from_units=True)


def _filters(request: HttpRequest) -> tuple[MentionFilterForm, pages.MentionFilters]:
    form = MentionFilterForm(
        request.GET or None,
        sources=Source.objects.order_by("name"),
        topics=Topic.objects.order_by("name"),
    )
    # A wrong filter is named on the page and left out; the valid ones still apply.
    if form.is_bound:
        form.is_valid()  # fills cleaned_data with the valid fields
    data = getattr(form, "cleaned_data", {})
    relevance = data.get("relevance") or "ward"
    since = data.get("since")
    if data.get("range") in RANGES and not since:
        since = local_today() - dt.timedelta(days=RANGES[data["range"]] - 1)
    sort = data.get("sort") or pages.DEFAULT_SORT
    if sort.lstrip("-") not in pages.MENTION_SORTS:
        sort = pages.DEFAULT_SORT
    filters = pages.MentionFilters(
        relevance="" if relevance == "all" else relevance,
        source_id=data.get("source"),
        topic_id=data.get("topic"),
        attitude=data.get("attitude") or "",
        since=since,
        until=data.get("until"),
        q=(data.get("q") or "").strip(),
        sort=sort,
    )
    return form, filters


def _query(request: HttpRequest, *drop: str) -> str:
    query = request.GET.copy()
    for name in ("page", *drop):
        query.pop(name, None)
    return query.urlencode()


@login_required
@require_http_methods(["GET"])
def mention_list(request: HttpRequest) -> HttpResponse:
    _reader(request)
    form, filters = _filters(request)
    page = Paginator(pages.filtered_mentions(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = pages.for_page(page.object_list)
    sorts = sort_links(request, pages.MENTION_SORTS, filters.sort)
    return render(
        request,
        "monitoring/list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "sorts": sorts,
            "sort_bar": [sorts[k] | {"label": label} for k, label in SORT_LABELS.items()],
            "query": _query(request),
            "has_mentions": Mention.objects.exists(),
            "has_sources": Source.objects.exists(),
        },
    )


@login_required
@require_http_methods(["GET"])
def mention_export(request: HttpRequest) -> HttpResponse:
    """The filtered mentions as XLSX (every page, not only the one shown); audited."""
    _reader(request)
    _form, filters = _filters(request)
    return xlsx_response(
        request=request,
        filename=f"bao-chi-mang-xa-hoi-{local_today():%Y%m%d}.xlsx",
        sheet_title="Tin, bài",
        headers=pages.EXPORT_HEADERS,
        rows=pages.export_rows(filters),
        object_type="monitoring.mention",
        # Posts' text and links can lead to their authors: personal data (docs/PRIVACY.md).
        data={"personal": True},
    )


@login_required
@require_http_methods(["GET"])
def mention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    mention = pages.mention(pk)
    if mention is None:
        raise Http404("Không tìm thấy tin này.")
    return render(request, "monitoring/mention_detail.html", {"mention": mention})


# --- stories ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def story_list(request: HttpRequest) -> HttpResponse:
    _reader(request)
    form, filters = _filters(request)
    page = Paginator(pages.stories_by_spread(filters), STORIES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for story in page.object_list:
        last = story.last_seen_at or story.first_seen_at
        story.span_days = (localdate(last) - localdate(story.first_seen_at)).days + 1
    return render(
        request,
        "monitoring/story_list.html",
        {"form": form, "filters": filters, "page": page, "query": _query(request, "sort")},
    )


@login_required
@require_http_methods(["GET"])
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    story = get_object_or_404(Story.objects.select_related("first_mention__source"), pk=pk)
    days = pages.story_days(story)
    mentions = pages.story_mentions(story)
    shown = pages.story_finding(story)
    volume = pages.misinformation_volume(shown) if shown else None
    return render(
        request,
        "monitoring/story_detail.html",
        {
            "story": story,
            "mentions": mentions,
            "voices": pages.story_voices({story.pk}).get(story.pk, 0),
            "days": days,
            "chart": {"days": [{"day": d.day.isoformat(), "mentions": d.mentions} for d in days]},
            "finding": shown,
            "volume": volume,
        },
    )


# --- sources ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def source_list(request: HttpRequest) -> HttpResponse:
    """The sources' health, and (for the office) the form that adds one."""
    _reader(request)
    form = SourceForm(request.POST or None)
    error = ""
    if request.method == "POST":
        _office(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                source = services.add_source(
                    actor=request.user,
                    name=data["name"],
                    url=data["url"],
                    kind=data["kind"] or None,
                    fetch_interval_minutes=data["fetch_interval_minutes"],
                )
            except ServiceError as exc:
                error = exc.message
            else:
                messages.success(
                    request, f"Đã thêm nguồn tin “{source.name}” ({source.get_kind_display()})."
                )
                return redirect("monitoring_sources")
    return render(
        request,
        "monitoring/sources.html",
        {"sources": pages.sources_with_health(), "form": form, "error": error},
    )


@login_required
@require_http_methods(["GET", "POST"])
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _office(request)
    source = get_object_or_404(Source, pk=pk)
    initial = {
        "name": source.name,
        "kind": source.kind,
        "url": source.url,
        "fetch_interval_minutes": source.fetch_interval_minutes,
        "active": source.active,
    }
    form = SourceForm(request.POST or None, initial=initial, editing=True)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_source(
                actor=request.user,
                source_id=source.pk,
                name=data["name"],
                url=data["url"],
                kind=data["kind"],
                fetch_interval_minutes=data["fetch_interval_minutes"],
                active=data["active"],
            )
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, "Đã lưu nguồn tin.")
            return redirect("monitoring_sources")
    return render(
        request, "monitoring/source_edit.html", {"source": source, "form": form, "error": error}
    )


@login_required
@require_POST
def source_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop following a source, or follow it again (one button on the sources' page)."""
    _office(request)
    source = get_object_or_404(Source, pk=pk)
    source = services.set_source_active(
        actor=request.user, source_id=source.pk, active=not source.active
    )
    verb = "Tiếp tục theo dõi" if source.active else "Đã ngừng theo dõi"
    messages.success(request, f"{verb} nguồn tin “{source.name}”.")
    return redirect("monitoring_sources")
