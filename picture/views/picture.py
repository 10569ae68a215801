"""The pages of the picture: ``/buc-tranh/`` (also the leaders' home), the drill-down behind every
number, their XLSX exports, and the two writes the picture offers (a task that fills a coverage
gap; the office's decision on a latent-opinion candidate).

Thin: the query is read once (``picture.query``), the figures come from ``picture.selectors``,
the records from ``picture.drilldown``, the arrangement from ``picture.page``. A period or filter
that cannot be read is a 400 with the Vietnamese message above the form, never a 500.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.dates import local_today
from core.errors import ServiceError
from core.views import sort_links, xlsx_download
from picture import drilldown, exports
from picture import page as arrange
from picture.models import LatentCandidate
from picture.press import press_panel
from picture.query import PARAMETERS, QueryError, read_query
from picture.selectors import last_heard_on, picture_for
from picture.services import gaps
from picture.services import latent as latent_services
from picture.window import HELP as WINDOW_HELP

DRILL_PAGE_SIZE = 25
DRILL_PARAMETERS = (*PARAMETERS, "attitude", "source", "latent", "sort")


def _params(request: HttpRequest) -> dict[str, str]:
    """The query string, with a from–to pair read as a range period."""
    params = {key: request.GET.get(key, "") for key in request.GET}
    start, end = params.pop("tu", "").strip(), params.pop("den", "").strip()
    if start or end:
        params["period"] = f"{start or end}..{end or start}"
    return params


def _error_page(request: HttpRequest, error: QueryError, params: dict) -> HttpResponse:
    context = {"error": error, "raw": params, "selected": params,
               "choices": arrange.filter_choices(request.user, params.get("unit", "")),
               "period": arrange.kind_links(local_today()), "period_help": WINDOW_HELP}
    return render(request, "picture/picture.html", context, status=400)


def picture_context(request: HttpRequest, query) -> dict:
    data = picture_for(query)
    link = arrange.Linker(query)
    can_act = gaps.may_fill_gaps(request.user)
    totals = data["totals"]
    empty = totals["heard"] == 0
    return {
        "query": query,
        "data": data,
        "period": arrange.period_choices(query),
        "choices": arrange.filter_choices(request.user, query.params().get("unit", "")),
        "selected": query.params(),
        "headline": arrange.headline(query, totals, link),
        "issue_links": arrange.issue_links(query),
        "topics": arrange.topic_rows(query, data["topics"], link),
        "chart": arrange.chart_data(data["topics"]),
        "heat": arrange.heat_rows(query, data["heat"], link),
        "groups": arrange.group_rows(data["social_groups"], link),
        "channels": arrange.channel_rows(data["channels"], link),
        "areas": arrange.area_rows(data["areas"], link),
        "rising": arrange.rising_rows(query, data["rising"]),
        "gaps": arrange.gaps(data["coverage"], can_act=can_act),
        "can_act": can_act,
        "candidates": arrange.latent_candidates(query),
        "attitudes": arrange.ATTITUDE_COLUMNS,
        "latent_items": link.number(data["latent"]["items"], latent="1", source="item"),
        "latent_streams": link.number(data["latent"]["stream_mentions"], latent="1",
                                      source="stream"),
        "empty": empty,
        "elapsed": _elapsed(query),
        "last_heard": last_heard_on(query) if empty else None,
        "export_query": "?" + urlencode(query.params()),
        "press": press_panel(query),
    }


def _elapsed(query) -> dict | None:
    """A period still running is compared with a whole one: the page says how far it has got."""
    window = query.window
    if window.end <= query.today:
        return None
    return {"days": (query.today - window.start).days + 1, "of": window.days}


def render_picture(request: HttpRequest) -> HttpResponse:
    """The picture for the request's parameters (also the leaders' home page)."""
    params = _params(request)
    try:
        query = read_query(request.user, params)
    except QueryError as error:
        return _error_page(request, error, params)
    return render(request, "picture/picture.html", picture_context(request, query))


DRILL_SORTS = ("day", "area", "channel", "attitude", "unit")
# On a phone the tables become cards without headers, so the sort keys are offered as a bar.
DRILL_SORT_LABELS = {"day": "Ngày", "area": "Tổ dân phố", "channel": "Kênh",
                     "attitude": "Thái độ", "unit": "Đơn vị"}


@login_required
@require_GET
def picture(request: HttpRequest) -> HttpResponse:
    return render_picture(request)


@login_required
@require_GET
def picture_export(request: HttpRequest) -> HttpResponse:
    params = _params(request)
    try:
        query = read_query(request.user, params)
    except QueryError as error:
        return _error_page(request, error, params)
    workbook = exports.picture_workbook(query, picture_for(query))
    exports.audit_export(request, f"buc-tranh-{query.window.code or 'khoang'}.xlsx", "picture")
    return xlsx_download(workbook, f"buc-tranh-{arrange.window_code(query.window)}.xlsx")


# -- the drill-down -----------------------------------------------------------------------------


def _read_drill(request: HttpRequest):
    params = {key: value for key, value in _params(request).items() if key in DRILL_PARAMETERS}
    return drilldown.read_drill(request.user, params), params


@login_required
@require_GET
def drill(request: HttpRequest) -> HttpResponse:
    try:
        spec, params = _read_drill(request)
    except QueryError as error:
        return render(request, "picture/drill.html", {"error": error}, status=400)
    result = drilldown.drill_down(spec)
    items = Paginator(result.items, DRILL_PAGE_SIZE).get_page(request.GET.get("page"))
    streams = Paginator(result.streams, DRILL_PAGE_SIZE).get_page(request.GET.get("spage"))
    back = "?" + urlencode(spec.query.params())
    sorts = sort_links(request, DRILL_SORTS, spec.sort, pages=("page", "spage"))
    return render(request, "picture/drill.html", {
        "result": result, "spec": spec, "items": items, "streams": streams,
        "parts": drilldown.describe(spec), "back": back,
        "export": "?" + urlencode(spec.params()),
        "sorts": sorts,
        "sort_bar": [{"label": label, **sorts[key]} for key, label in DRILL_SORT_LABELS.items()],
    })


@login_required
@require_GET
def drill_export(request: HttpRequest) -> HttpResponse:
    try:
        spec, _ = _read_drill(request)
    except QueryError as error:
        return render(request, "picture/drill.html", {"error": error}, status=400)
    result = drilldown.drill_down(spec)
    if result.refused:
        raise Http404("Số quá nhỏ, không liệt kê.")
    workbook = exports.drill_workbook(result, drilldown.describe(spec))
    exports.audit_export(request, "ho-so-buc-tranh.xlsx", "picture.drill", rows=result.total)
    return xlsx_download(workbook, f"ho-so-{arrange.window_code(spec.query.window)}.xlsx")


# -- writes -------------------------------------------------------------------------------------


def _back_to_picture(request: HttpRequest) -> HttpResponse:
    back = request.POST.get("back", "")
    return redirect(f"/buc-tranh/{back}" if back.startswith("?") or not back else "/buc-tranh/")


@login_required
@require_POST
def gap_task(request: HttpRequest) -> HttpResponse:
    if not gaps.may_fill_gaps(request.user):
        raise Http404("Không tìm thấy trang.")
    back = request.POST.get("back", "")
    try:
        query = read_query(request.user, dict(_split_query(back)))
    except QueryError:
        query = read_query(request.user, {})
    try:
        task = gaps.create_gap_task(
            user=request.user, query=query, gap=request.POST.get("gap", ""),
            target=request.POST.get("target", ""), action=request.POST.get("action", ""),
        )
    except LookupError as exc:
        raise Http404("Không tìm thấy.") from exc
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã giao nhiệm vụ {task.code}, hạn {task.due_on:%d/%m/%Y}.")
    return _back_to_picture(request)


def _split_query(back: str):
    return parse_qsl(back.lstrip("?"))


@login_required
@require_POST
def latent_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    if not request.user.is_office:
        raise Http404("Không tìm thấy trang.")
    candidate = get_object_or_404(LatentCandidate, pk=pk)
    try:
        if decision == "xac-nhan":
            decided = latent_services.confirm_candidate(user=request.user, candidate=candidate)
            messages.success(request, f"Đã mở vấn đề {decided.issue.code} (dư luận tiềm ẩn).")
        elif decision == "bo-qua":
            latent_services.dismiss_candidate(user=request.user, candidate=candidate)
            messages.success(request, "Đã bỏ qua đề xuất.")
        else:
            raise Http404("Không tìm thấy trang.")
    except ServiceError as error:
        messages.error(request, error.message)
    return _back_to_picture(request)

