"""The evaluation pages: the scorecards table (office and leaders), a unit's card with its
drill-down (the office, the leaders and the unit itself), the criteria sets and their editor
(office). Thin: reads through ``evaluation.selectors``, writes through ``evaluation.services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.dates import local_today
from core.errors import ServiceError
from core.models import AuditEntry
from core.services import audit
from core.views import require_office, sort_links, xlsx_download
from evaluation import exports, scoring, selectors, services
from evaluation import incidents as incident_selectors
from evaluation.models import CriteriaSet, Criterion
from orgs.models import OrgUnit
from plans import files as plan_files
from plans import services as plan_services
from reporting.periods import PeriodError, PeriodKey, parse_period

PAGE_SIZE = 50
SORT_LABELS = {"rank": "Hạng", "name": "Đơn vị", "total": "Tổng điểm", "months": "Số tháng"}
SORTS = tuple(SORT_LABELS)
EXTRA_ROWS = 3
ROW_FIELDS = ("code", "name", "weight", "measure", "target", "floor", "missing")


def _period(request: HttpRequest) -> tuple[PeriodKey, str]:
    """The period asked for (``ky``), or this year; a wrong code is said, not guessed."""
    code = (request.GET.get("ky") or request.POST.get("ky") or "").strip()
    if code:
        try:
            return parse_period(code), ""
        except PeriodError as exc:
            return parse_period(str(local_today().year)), str(exc)
    return parse_period(str(local_today().year)), ""


def _card_url(unit_pk: int, key: PeriodKey) -> str:
    return f"{reverse('evaluation:card', kwargs={'pk': unit_pk})}?ky={key.code}"


def _subtree(request: HttpRequest) -> OrgUnit | None:
    raw = request.GET.get("don_vi") or ""
    if not raw.isdigit():
        return None
    return OrgUnit.objects.filter(pk=int(raw)).first()


def _sorted(rows: list, sort: str) -> list:
    key = sort.lstrip("-")
    descending = sort.startswith("-")
    if key == "name":
        rows = sorted(rows, key=lambda r: r[1].name)
    elif key == "total":
        rows = sorted(rows, key=lambda r: (r[0].total is None, r[0].total or 0))
    elif key == "months":
        rows = sorted(rows, key=lambda r: r[0].months)
    if descending:
        rows = list(reversed(rows))
    return rows


@login_required
def board(request: HttpRequest) -> HttpResponse:
    if not request.user.sees_everything:
        # A unit's people read their own card only: the table would name the other units.
        if request.user.unit_id is None:
            raise Http404(selectors.NOT_FOUND)
        key, _ = _period(request)
        return redirect(_card_url(request.user.unit_id, key))
    key, period_error = _period(request)
    subtree = _subtree(request)
    result = selectors.board_for(request.user, key, subtree=subtree)
    sort = request.GET.get("sort") or "rank"
    if sort.lstrip("-") not in SORTS:
        sort = "rank"
    rows = _sorted(result.rows(), sort)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    final = sum(1 for r in result.records.values() if r.is_final)
    counts = {label: 0 for label in [*scoring.CLASS_LABELS.values(), scoring.NO_CLASS_LABEL]}
    for card in result.cards:
        counts[card.classification_label] += 1
    return render(request, "evaluation/board.html", {
        "key": key, "period_error": period_error, "board": result, "page": page,
        "sorts": (sorts := sort_links(request, SORTS, sort)), "subtree": subtree,
        "sort_bar": [{"label": label, **sorts[key]} for key, label in SORT_LABELS.items()],
        "parents": OrgUnit.objects.filter(children__isnull=False).distinct().order_by("sort_key"),
        "final_count": final, "counts": [(k, n) for k, n in counts.items() if n],
        "specs": result.criteria_set.specs() if result.criteria_set else [],
        "query": request.GET.urlencode(),
    })


@login_required
def board_export(request: HttpRequest) -> HttpResponse:
    key, _ = _period(request)
    result = selectors.board_for(request.user, key, subtree=_subtree(request))
    if result.criteria_set is None:
        raise Http404("Chưa có bộ tiêu chí áp dụng cho kỳ này.")
    filename = f"danh-gia-don-vi-{key.code}.xlsx"
    audit(actor=request.user, action=AuditEntry.Action.EXPORT, object_type="evaluation.scorecard",
          unit=request.user.unit, summary=f"Xuất tệp {filename} ({len(result.cards)} dòng)",
          data={"period": key.code, "rows": len(result.cards)})
    return xlsx_download(exports.board_workbook(result), filename)


def _card_lines(view: selectors.CardView) -> list[dict]:
    if view.card is None:
        return []
    lines = []
    for line in view.card.lines:
        code = line.criterion.code
        lines.append({
            "line": line, "value": exports.format_value(line),
            "points": exports.format_points(line.points),
            "evidence": view.evidence.get(line.criterion.measure, []),
            "entry": view.entries.get(code),
            "entered": line.criterion.measure == Criterion.Measure.ENTERED,
        })
    return lines


@login_required
def card(request: HttpRequest, pk: int) -> HttpResponse:
    key, period_error = _period(request)
    view = selectors.card_for(request.user, pk, key)
    may_comment = not view.is_final and (
        request.user.is_office
        or (request.user.unit_id == view.unit.pk and request.user.role == "reporter"))
    return render(request, "evaluation/card.html", {
        "view": view, "key": key, "period_error": period_error, "lines": _card_lines(view),
        "incidents": incident_selectors.incidents_of_unit(view.unit, key),
        "may_comment": may_comment, "is_office": request.user.is_office,
        "criteria": {c.code: c for c in view.criteria_set.criteria.all()}
        if view.criteria_set else {},
    })


@login_required
@require_POST
def card_comment(request: HttpRequest, pk: int) -> HttpResponse:
    key, _ = _period(request)
    view = selectors.card_for(request.user, pk, key)
    try:
        services.comment_card(actor=request.user, unit=view.unit, period=key,
                              comment=request.POST.get("comment", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã ghi ý kiến của đơn vị vào phiếu đánh giá.")
    return redirect(_card_url(view.unit.pk, key))


@login_required
@require_POST
def card_enter(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    key, _ = _period(request)
    view = selectors.card_for(request.user, pk, key)
    criterion = None
    if view.criteria_set is not None:
        criterion = view.criteria_set.criteria.filter(code=request.POST.get("criterion")).first()
    if criterion is None:
        messages.error(request, "Tiêu chí: không có trong bộ tiêu chí áp dụng cho kỳ này.")
        return redirect(_card_url(view.unit.pk, key))
    try:
        services.enter_score(
            actor=request.user, criterion=criterion, unit=view.unit, period=key,
            value=request.POST.get("value", ""), evidence=request.POST.get("evidence", ""),
            evidence_ref=request.POST.get("evidence_ref", ""), upload=_evidence_file(request),
        )
    except ServiceError as exc:
        messages.error(request, f"{criterion.name}: {exc.message}")
    else:
        messages.success(request, f"Đã chấm tiêu chí '{criterion.name}'.")
    return redirect(_card_url(view.unit.pk, key))


def _evidence_file(request: HttpRequest) -> plan_services.Upload | None:
    upload = request.FILES.get("file")
    if upload is None:
        return None
    if upload.size > plan_files.MAX_FILE_BYTES:
        raise ServiceError(f"Tệp “{upload.name[:80]}” lớn quá"
                           f" {plan_files.MAX_FILE_BYTES // (1024 * 1024)} MB.", field="file")
    return plan_services.Upload(name=upload.name, data=upload.read())


@login_required
@require_POST
def finalise(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    key, error = _period(request)
    if error:
        messages.error(request, error)
        return redirect("evaluation:board")
    raw = request.POST.get("unit") or ""
    unit_ids = [int(raw)] if raw.isdigit() else None
    try:
        count = services.finalise_cards(actor=request.user, period=key, unit_ids=unit_ids)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã chốt {count} phiếu đánh giá {key.label}."
                         if count else "Không còn phiếu nào chưa chốt.")
    if unit_ids:
        return redirect(_card_url(unit_ids[0], key))
    return redirect(f"{reverse('evaluation:board')}?ky={key.code}")


# --- criteria sets -------------------------------------------------------------------------------


@login_required
def criteria_list(request: HttpRequest) -> HttpResponse:
    if not request.user.sees_everything:
        raise Http404(selectors.NOT_FOUND)
    return render(request, "evaluation/criteria_list.html", {
        "sets": selectors.criteria_sets(), "is_office": request.user.is_office,
    })


def _posted_rows(data) -> list[dict]:
    rows = []
    for index in range(int(data.get("rows") or 0) if str(data.get("rows", "")).isdigit() else 0):
        row = {name: (data.get(f"row-{index}-{name}") or "").strip() for name in ROW_FIELDS}
        if any(row[name] for name in ("code", "name", "weight", "target")):
            rows.append(row)
    return rows


def _rows_from(criteria_set: CriteriaSet | None) -> list[dict]:
    if criteria_set is None:
        return []
    return [
        {"code": c.code, "name": c.name, "weight": f"{c.weight:g}", "measure": c.measure,
         "target": f"{c.target:g}", "floor": f"{c.floor:g}", "missing": c.missing}
        for c in criteria_set.criteria.all()
    ]


@login_required
@require_http_methods(["GET", "POST"])
def criteria_new(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    base_pk = request.GET.get("tu") or ""
    base = CriteriaSet.objects.filter(pk=int(base_pk)).first() if base_pk.isdigit() else None
    base = base or CriteriaSet.objects.order_by("-year", "-version").first()
    error = ""
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in
                  ("year", "name", "excellent_min", "good_min", "pass_min", "note")}
        rows = _posted_rows(request.POST)
        try:
            created = services.create_criteria_set(actor=request.user, criteria=rows, **values)
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, f"Đã lập {created}.")
            return redirect("evaluation:criteria_list")
    else:
        year = local_today().year
        values = {"year": year, "name": base.name if base else "", "note": "",
                  "excellent_min": f"{base.excellent_min:g}" if base else "90",
                  "good_min": f"{base.good_min:g}" if base else "75",
                  "pass_min": f"{base.pass_min:g}" if base else "50"}
        rows = _rows_from(base)
    rows = rows + [dict.fromkeys(ROW_FIELDS, "") for _ in range(EXTRA_ROWS)]
    return render(request, "evaluation/criteria_form.html", {
        "values": values, "rows": rows, "row_count": len(rows), "error": error, "base": base,
        "measures": Criterion.Measure.choices, "missing_rules": Criterion.Missing.choices,
    })
