"""Pages of the monthly reporting cycle: home, the report list, drafting, review, compliance.

Views stay thin: read through the scoped selectors (another unit's report is "not found"), write
through the services, and turn a :class:`core.errors.ServiceError` into a form error naming the
field, or into a JSON answer for the editor's autosave.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from openpyxl import Workbook

from core.dates import local_today
from core.errors import ServiceError
from core.models import AuditEntry
from core.services import audit
from core.views import require_office, sort_links, xlsx_download
from documents.xlsx import write_table
from issues.selectors import get_issue_for, issues_visible_to
from orgs.models import User
from orgs.selectors import get_unit_for, units_without_responsible
from reporting import compliance as calc
from reporting import page_selectors as pages
from reporting import services
from reporting import views_approval as approval_views
from reporting import views_proposals as proposal_views
from reporting.approval_selectors import reviews as approval_reviews
from reporting.approval_selectors import waiting_for as approval_waiting_for
from reporting.forms import (
    SECTION_PREFIX,
    ReportFilterForm,
    ReturnForm,
    SectionsForm,
    StartReportForm,
    StreamForm,
    StreamFormSet,
    StreamIssuesForm,
    TemplateForm,
    sections_to_text,
    stream_inputs,
    text_to_sections,
)
from reporting.inbox_selectors import counts as inbox_counts
from reporting.models import OpinionStream, ReportTemplate, ReportVersion, UnitReport
from reporting.periods import parse_period
from reporting.selectors import (
    compliance_for,
    default_template,
    get_report_for,
    reports_visible_to,
    status_of,
    streams_mentioning,
)
from reporting.template_presets import PRESETS, preset_sections
from reporting.views_compliance import compliance_context

PAGE_SIZE = 25
VERSION_ACTIONS = {
    "create": "Tạo bản nháp",
    "save": "Lưu nháp",
    "submit": "Nộp",
    "return": "Trả lại",
    "approve": "Cấp trên duyệt",
    "accept": "Chấp nhận",
    "unlock": "Mở khóa",
}


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value else None


# --- home ----------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "reporting/home.html", home_context(request.user))


def home_context(user) -> dict:
    """The reporting cycle as the home page shows it: the office's compliance of the month due,
    or a unit's report of the period and its recent ones."""
    template = default_template("month")
    context: dict = {"template": template}
    if template is None:
        return context
    if user.sees_everything:
        today = local_today()
        due = pages.default_compliance_month(template, today)
        view = compliance_for(user, template=template, period=due, months=1, today=today)
        context.update(compliance_context(view))
        current = parse_period(f"{today.year}-{today.month}")
        if current != due:
            context["current"] = compliance_for(
                user, template=template, period=current, months=1, today=today
            ).period
        context["without_responsible"] = units_without_responsible(user).count()
        if user.is_office:
            # Keyed for the template (a hyphen cannot be looked up there).
            context["inbox"] = {
                key.replace("-", "_"): count for key, count in inbox_counts(user, today).items()
            }
            context["approval_count"] = approval_waiting_for(user).count()
    elif user.unit_id:
        if approval_reviews(user):
            context["approval_count"] = approval_waiting_for(user).count()
        rows = pages.unit_periods(user.unit, template)
        context["rows"] = rows
        context["now_row"] = rows[0]
    return context


# --- list and export -----------------------------------------------------------------------


def _report_filter(request: HttpRequest) -> tuple[ReportFilterForm, pages.ReportFilter]:
    form = ReportFilterForm(request.GET or None, periods=pages.report_periods(request.user))
    if not form.is_bound or not form.is_valid():
        return form, pages.ReportFilter()
    data = form.cleaned_data
    return form, pages.ReportFilter(
        period=data["period"], unit_query=data["q"].strip(), state=data["state"],
        template_id=data["mau"].pk if data.get("mau") else None,
        sort=data["sort"] or pages.DEFAULT_REPORT_SORT,
    )


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    form, filters = _report_filter(request)
    reports = pages.filtered_reports(request.user, filters)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    template = default_template("month")
    for report in page.object_list:
        report.status = status_of(report, report.template, report.period)
        report.status_label = calc.STATUS_LABELS[report.status]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reporting/report_list.html", {
        "form": form,
        "page": page,
        "filters": filters,
        "filtered": bool(filters.period or filters.unit_query or filters.state),
        "sorts": sort_links(request, pages.REPORT_SORTS, filters.sort),
        "query": query.urlencode(),
        "template": template,
        "can_start": template is not None
        and pages.startable_units(request.user, template).exists(),
    })


@login_required
def report_export(request: HttpRequest) -> HttpResponse:
    _, filters = _report_filter(request)
    reports = pages.filtered_reports(request.user, filters)
    rows = []
    for report in reports:
        status = status_of(report, report.template, report.period)
        rows.append([
            report.period.code, str(report.period), report.unit.name, report.template.name,
            report.get_state_display(), calc.STATUS_LABELS[status], report.version,
            _naive(report.first_submitted_at), _naive(report.submitted_at),
            _naive(report.updated_at),
        ])
    workbook = Workbook()
    write_table(workbook, "Báo cáo đơn vị", [
        "Mã kỳ", "Kỳ", "Đơn vị", "Mẫu báo cáo", "Trạng thái", "Tình trạng nộp", "Phiên bản",
        "Nộp lần đầu", "Nộp lần cuối", "Cập nhật",
    ], rows)
    audit(
        actor=request.user, action=AuditEntry.Action.EXPORT, object_type="reporting.unitreport",
        unit=request.user.unit, summary=f"Xuất danh sách báo cáo đơn vị ({len(rows)} dòng)",
        data={"query": request.GET.urlencode()[:400], "rows": len(rows)},
    )
    return xlsx_download(workbook, f"bao-cao-don-vi-{local_today():%Y%m%d}.xlsx")


def _naive(value: dt.datetime | None) -> dt.datetime | None:
    """openpyxl refuses aware datetimes: write local wall-clock time."""
    return timezone.make_naive(timezone.localtime(value)) if value else None


# --- start, edit, submit, return -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_start(request: HttpRequest) -> HttpResponse:
    # Which monthly template (issue 15: several templates, each for its reporter): ``mau``.
    chosen = (request.POST.get("mau") or request.GET.get("mau") or "").strip()
    template = (ReportTemplate.objects.filter(pk=int(chosen), active=True, period_kind="month")
                .first() if chosen.isdigit() else None) or default_template("month")
    if template is None:
        raise Http404("Chưa có mẫu báo cáo tháng.")
    units = pages.startable_units(request.user, template)
    months = pages.startable_months()
    if not units.exists():
        return render(request, "reporting/report_start.html", {"form": None, "template": template})
    initial = {"period": request.GET.get("period") or months[0].code}
    form = StartReportForm(request.POST or None, initial=initial, months=months, units=units)
    if request.method == "POST" and form.is_valid():
        key, unit = form.period_key(), form.cleaned_data["unit"]
        report = pages.existing_report(template, key, unit)
        if report is None:
            try:
                report = services.save_draft(
                    user=request.user, template=template, period=services.ensure_period(key),
                    unit=unit, sections={}, streams=None, expected_version=None,
                )
            except ServiceError as exc:
                form.add_error("unit" if exc.field == "unit" else "period", exc.message)
            else:
                messages.success(request, f"Đã tạo bản nháp báo cáo {key.label} của {unit}.")
                return redirect("report_edit", pk=report.pk)
        else:
            messages.info(request, f"Báo cáo {key.label} của {unit} đã có; mở bản hiện tại.")
            return redirect("report_edit", pk=report.pk)
    return render(request, "reporting/report_start.html", {"form": form, "template": template})


def _attach_error(
    exc: ServiceError, form: SectionsForm, formset, rows: list[tuple[int, object]]
) -> None:
    """Show a service error beside the field it names, or at the top of the form."""
    field = exc.field or ""
    if field.startswith("streams."):
        _, row, name = (field.split(".") + ["", ""])[:3]
        if row.isdigit() and 0 < int(row) <= len(rows):
            target = formset.forms[rows[int(row) - 1][0]]
            target.add_error(name if name in target.fields else None, exc.message)
            return
    if SECTION_PREFIX + field in form.fields:
        form.add_error(SECTION_PREFIX + field, exc.message)
        return
    form.add_error(None, exc.message)


def _json_error(exc: ServiceError, report: UnitReport, rows) -> JsonResponse:
    current = UnitReport.objects.filter(pk=report.pk).values_list("version", flat=True).first()
    field = exc.field or ""
    if field.startswith("streams."):
        _, row, name = (field.split(".") + ["", ""])[:3]
        if row.isdigit() and 0 < int(row) <= len(rows):
            field = f"streams-{rows[int(row) - 1][0]}-{name}"
    elif field in report.template.section_keys():
        field = SECTION_PREFIX + field
    return JsonResponse(
        {"ok": False, "conflict": exc.status_code == 409, "error": exc.message, "field": field,
         "server_version": current},
        status=exc.status_code,
    )


def _lock_reason(report: UnitReport, user: User) -> str:
    if report.is_accepted:
        return ("Báo cáo đã được Ban Xây dựng Đảng chấp nhận nên bị khóa với mọi người; chỉ Ban"
                " Xây dựng Đảng mở khóa được, có ghi lý do.")
    if report.is_locked:
        when = _local(report.submitted_at)
        at = f" lúc {when:%H:%M ngày %d/%m/%Y}" if when else ""
        return (f"Báo cáo đã nộp{at} nên bị khóa; chỉ sửa được khi Ban Xây dựng Đảng trả lại"
                " để đơn vị bổ sung.")
    if not services.may_write_report(user, report.unit):
        return "Chỉ người phụ trách của đơn vị và Ban Xây dựng Đảng được soạn báo cáo này."
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for(request.user, pk)
    template = report.template
    autosave = request.headers.get("X-Autosave") == "1"
    proposal = request.method == "POST" and not autosave and proposal_views.wants_answer(request)
    if proposal and not proposal_views.has_page_form(request):
        return proposal_views.answer(request, report, proposal_views.version_of(request))
    if request.method == "POST":
        data = request.POST.copy()
        form = SectionsForm(data, template=template)
        formset = StreamFormSet(data, prefix="streams")
        if not (form.is_valid() and formset.is_valid()):
            if autosave:
                return JsonResponse({"ok": False, "conflict": False, "error":
                                     "Có ô nhập chưa hợp lệ; bấm “Lưu nháp” để xem chi tiết."},
                                    status=400)
        else:
            rows = stream_inputs(formset)
            submitting = request.POST.get("action") == "submit" and not autosave
            saved = None
            try:
                report = saved = services.save_draft(
                    user=request.user, template=template, period=report.period, unit=report.unit,
                    sections=form.sections(), streams=[stream for _, stream in rows],
                    expected_version=form.cleaned_data.get("version"),
                )
                if submitting:
                    report = services.submit_report(
                        user=request.user, report=report, expected_version=report.version
                    )
            except ServiceError as exc:
                if autosave:
                    return _json_error(exc, report, rows)
                _attach_error(exc, form, formset, rows)
                if saved is not None:
                    # The draft was saved and only the submit was refused: edit on from it.
                    data["version"] = str(saved.version)
                report.refresh_from_db()
            else:
                if autosave:
                    return JsonResponse({
                        "ok": True, "version": report.version,
                        "saved_at": f"{_local(report.updated_at):%H:%M:%S}",
                    })
                if submitting:
                    messages.success(request, f"Đã nộp báo cáo {report.period} của {report.unit}.")
                    return redirect("report_detail", pk=report.pk)
                if proposal:  # what was typed is saved; now the proposal the user answered
                    return proposal_views.answer(request, report, report.version)
                messages.success(request, f"Đã lưu nháp (phiên bản {report.version}).")
                return redirect("report_edit", pk=report.pk)
    else:
        form = SectionsForm(initial=SectionsForm.initial_for(report), template=template)
        formset = StreamFormSet(
            initial=[StreamForm.initial_for(s) for s in services.streams_of(report)],
            prefix="streams",
        )
    lock_reason = _lock_reason(report, request.user)
    return render(request, "reporting/report_edit.html", {
        "report": report,
        "form": form,
        "formset": formset,
        "locked": bool(lock_reason),
        "lock_reason": lock_reason,
        "status": (status := status_of(report, template, report.period)),
        "status_label": calc.STATUS_LABELS[status],
        "deadline": template.deadline_for(report.period),
        "streams": _streams(report) if lock_reason else [],
        "sections": _sections(report) if lock_reason else [],
        "proposals_url": reverse("report_proposals", args=[report.pk]),
    })


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for(request.user, pk)
    already = report.is_locked
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        report = services.submit_report(user=request.user, report=report, expected_version=version)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("report_edit" if not report.is_locked else "report_detail", pk=report.pk)
    if already:
        messages.info(request, "Báo cáo này đã được nộp trước đó; không cần nộp lại.")
    else:
        messages.success(request, f"Đã nộp báo cáo {report.period} của {report.unit}.")
    return redirect("report_detail", pk=report.pk)


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for(request.user, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Hãy ghi lý do trả lại (tối đa 2.000 ký tự).")
        return redirect("report_detail", pk=report.pk)
    try:
        services.return_report(user=request.user, report=report, reason=form.cleaned_data["reason"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã trả lại báo cáo của {report.unit}; đơn vị đã được báo.")
    return redirect("report_detail", pk=report.pk)


# --- detail --------------------------------------------------------------------------------


def _streams(report: UnitReport) -> list[OpinionStream]:
    return list(
        report.streams.select_related("topic", "area").prefetch_related(
            Prefetch("social_groups"), Prefetch("issues")
        )
    )


def _sections(report: UnitReport) -> list[tuple[str, str]]:
    """Template sections in order, then any text kept from a section the template later dropped."""
    titles = [(s["key"], s["title"]) for s in report.template.sections]
    known = {key for key, _ in titles}
    extra = [(key, f"{key} (phần cũ)") for key in report.sections if key not in known]
    return [(title, report.sections.get(key, "")) for key, title in titles + extra]


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for(request.user, pk)
    # The office opening a report is the office reading it: it leaves the office's inbox.
    services.mark_seen_by_office(user=request.user, report=report)
    versions = ReportVersion.objects.filter(report=report).select_related("by").order_by("-number")
    for version in versions:
        version.action_label = VERSION_ACTIONS.get(version.action, version.action)
    return render(request, "reporting/report_detail.html", {
        "report": report,
        "sections": _sections(report),
        "streams": _streams(report),
        "versions": versions,
        "status": (status := status_of(report, report.template, report.period)),
        "status_label": calc.STATUS_LABELS[status],
        "deadline": report.template.deadline_for(report.period),
        "can_write": (services.may_write_report(request.user, report.unit)
                      and not report.is_locked),
        "return_form": ReturnForm(),
        **approval_views.chain_context(request.user, report),
        **_stream_links(request.user, report),
    })


def _stream_links(user: User, report: UnitReport) -> dict:
    """What the page needs to link the report's streams to issues (issue 3): the office and the
    reporting unit's members may link, to the issues they can see, even after submission,
    because linking annotates the report without changing what the unit reported."""
    can_link = user.is_office or (user.role == User.Role.REPORTER
                                  and user.unit_id == report.unit_id)
    if not can_link:
        return {"can_link_issues": False}
    issues = issues_visible_to(user).filter(merged_into__isnull=True).order_by("-last_seen_on")
    return {"can_link_issues": True, "linkable_issues": list(issues[:300])}


def _fragment_or_page(request: HttpRequest, name: str) -> str:
    """htmx asks for the fragment a page of another app embeds; a plain visit gets a whole page."""
    fragment = request.headers.get("HX-Request") == "true"
    return f"reporting/includes/{name}" if fragment else f"reporting/{name}"


@login_required
@require_POST
def stream_issues(request: HttpRequest, report_pk: int, stream_pk: int) -> HttpResponse:
    report = get_report_for(request.user, report_pk)
    stream = OpinionStream.objects.filter(report=report, pk=stream_pk).first()
    if stream is None:
        raise Http404("Không tìm thấy luồng ý kiến.")
    visible = issues_visible_to(request.user).filter(merged_into__isnull=True)
    form = StreamIssuesForm(request.POST, issues=visible)
    if not form.is_valid():
        messages.error(request, "Vấn đề: có vấn đề không chọn được.")
        return redirect("report_detail", pk=report.pk)
    try:
        services.link_stream_issues(user=request.user, stream=stream,
                                    issues=form.cleaned_data["issues"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã lưu các vấn đề liên kết với luồng ý kiến.")
    return redirect("report_detail", pk=report.pk)


@login_required
def issue_streams(request: HttpRequest, pk: int) -> HttpResponse:
    """The report lines that mention an issue, for the issue page (loaded there by htmx).

    Only lines of reports the reader may see: a unit never sees another unit's report through a
    shared issue. An issue the reader cannot see is "not found". Without htmx (JS off, the
    fallback link) the same list comes as a whole page."""
    issue = get_issue_for(request.user, pk)
    streams = list(streams_mentioning(request.user, issue))
    return render(request, _fragment_or_page(request, "issue_streams.html"),
                  {"issue": issue, "streams": streams})


UNIT_REPORTS_SHOWN = 12


@login_required
def unit_reports(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's recent reports, for the unit page (loaded there by htmx; a whole page without).

    A unit the reader cannot see is "not found"; the reports are those the reader may see."""
    unit = get_unit_for(request.user, pk)
    reports = list(
        reports_visible_to(request.user).filter(unit=unit).order_by("-period__start")[
            :UNIT_REPORTS_SHOWN
        ]
    )
    return render(request, _fragment_or_page(request, "unit_reports.html"),
                  {"unit": unit, "reports": reports})


# --- report templates (office) -------------------------------------------------------------


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    templates = ReportTemplate.objects.order_by("pk").prefetch_related("units")
    return render(request, "reporting/template_list.html", {"templates": templates})


@login_required
@require_http_methods(["GET", "POST"])
def template_create(request: HttpRequest) -> HttpResponse:
    """A new template, started from one of the presets (``?mau=chi-bo|mttq|hdnd|ctv``)."""
    require_office(request.user)
    preset = request.GET.get("mau", "chi-bo")
    if preset not in PRESETS:
        preset = "chi-bo"
    initial = {"name": PRESETS[preset]["name"], "deadline_day": 25, "deadline_rule": "before",
               "remind_days_before": 3, "version": 1,
               "sections_text": sections_to_text(preset_sections(preset))}
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            template = services.create_template(
                user=request.user, name=data["name"], deadline_day=data["deadline_day"],
                remind_days_before=data["remind_days_before"],
                deadline_inclusive=data["deadline_rule"],
                sections=text_to_sections(data["sections_text"]),
                unit_ids=[unit.pk for unit in data["units"]],
                effective_from=data["effective_from"],
            )
        except ServiceError as exc:
            target = {"sections": "sections_text"}.get(exc.field, exc.field)
            form.add_error(target if target in form.fields else None, exc.message)
        else:
            messages.success(request, f"Đã tạo mẫu báo cáo “{template.name}”.")
            return redirect("template_list")
    return render(request, "reporting/template_edit.html", {
        "form": form, "template": None, "presets": PRESETS, "preset": preset})


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    template = ReportTemplate.objects.filter(pk=pk).first()
    if template is None:
        raise Http404("Không tìm thấy mẫu báo cáo.")
    form = TemplateForm(request.POST or None, initial=TemplateForm.initial_for(template))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_template(
                user=request.user, template=template, name=data["name"],
                deadline_day=data["deadline_day"], remind_days_before=data["remind_days_before"],
                deadline_inclusive=data["deadline_rule"],
                sections=text_to_sections(data["sections_text"]),
                unit_ids=[unit.pk for unit in data["units"]],
                expected_version=data["version"],
                effective_from=data["effective_from"],
            )
        except ServiceError as exc:
            target = {"sections": "sections_text", "version": None}.get(exc.field, exc.field)
            form.add_error(target if target in form.fields else None, exc.message)
        else:
            messages.success(request, f"Đã lưu mẫu báo cáo “{data['name']}”.")
            return redirect("template_list")
    return render(request, "reporting/template_edit.html", {"form": form, "template": template})
