"""The office's inbox (``/hop-thu/``, issue 17): one page of what waits for the office.

The overview shows each section's first rows and its count; ``?muc=<section>`` shows one section
whole, paginated. Reads come from ``reporting.inbox_selectors``; the one write, "Nhắc đơn vị",
goes through ``reporting.services.remind_unit``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.dates import local_today
from core.errors import ServiceError
from core.views import require_office
from orgs.selectors import get_unit_for
from reporting import inbox_selectors as inbox
from reporting import services
from reporting.models import ReportTemplate
from reporting.periods import PeriodError, parse_period

REFUSAL = "Chỉ Ban Xây dựng Đảng xem được hộp thư công việc."
PREVIEW = 5  # rows of each section on the overview
PAGE_SIZE = 25  # rows of one section shown whole
TEXT_PREVIEW = 160

EMPTY = {
    inbox.TO_READ: "Không có báo cáo nào mới nộp mà chưa xem. Báo cáo đơn vị nộp (hoặc nộp lại)"
    " sẽ hiện ở đây cho đến khi đồng chí mở xem.",
    inbox.RETURNED: "Không có báo cáo nào đang chờ đơn vị sửa. Khi trả lại một báo cáo, nó sẽ"
    " hiện ở đây đến khi đơn vị nộp lại; có thể bấm “Nhắc đơn vị” để đôn đốc.",
    inbox.MISSING: "Mọi đơn vị đã nộp báo cáo tháng vừa hết hạn. Xem tình hình cả năm ở trang"
    " Tỷ lệ nộp.",
    inbox.PUBLIC: "Không có góp ý trực tuyến nào cần phân loại. Góp ý người dân gửi qua trang"
    " góp ý sẽ hiện ở đây đến khi được xác nhận nhãn và gắn vào một vấn đề.",
    inbox.COLLABORATORS: "Không có ý kiến nào của cộng tác viên chờ phân loại. Ý kiến cộng tác"
    " viên ghi sẽ hiện ở đây đến khi được xác nhận chủ đề, thái độ.",
}


@dataclass
class Row:
    """One line of a section: what, when, which unit, where to go, and the reminder button."""

    title: str
    url: str
    unit: str
    day: dt.date | None
    when: str  # how the date reads: "nộp 03/12/2026"
    tags: list[str] = field(default_factory=list)
    text: str = ""
    remind: dict | None = None  # {"unit": pk, "template": pk, "period": code} or None
    reminded_today: bool = False


@dataclass
class Section:
    key: str
    title: str
    count: int
    rows: list[Row]
    empty: str
    page: object = None  # the Paginator page when the section is shown whole


def _local_day(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value else None


def _report_rows(reports, today: dt.date) -> list[Row]:
    rows = []
    for report in reports:
        resubmitted = inbox.is_resubmission(report)
        day = _local_day(report.submitted_at)
        rows.append(
            Row(
                title=f"Báo cáo {report.period.key.label.lower()}",
                url=reverse("report_detail", kwargs={"pk": report.pk}),
                unit=report.unit.name,
                day=day,
                when=f"{'nộp lại' if resubmitted else 'nộp'} {day:%d/%m/%Y}" if day else "",
                tags=["nộp lại" if resubmitted else "mới"],
            )
        )
    return rows


def _returned_rows(reports, today: dt.date) -> list[Row]:
    reports = list(reports)
    reminded = _reminded(reports, today)
    rows = []
    for report in reports:
        day = _local_day(report.returned_at)
        waiting = inbox.days_waiting(report.returned_at, today)
        rows.append(
            Row(
                title=f"Báo cáo {report.period.key.label.lower()}",
                url=reverse("report_detail", kwargs={"pk": report.pk}),
                unit=report.unit.name,
                day=day,
                when=f"trả lại {day:%d/%m/%Y}" if day else "",
                tags=[f"chờ {waiting} ngày"],
                text=report.return_reason[:TEXT_PREVIEW],
                remind={
                    "unit": report.unit_id,
                    "template": report.template_id,
                    "period": report.period.code,
                },
                reminded_today=(report.template_id, report.period.code, report.unit_id) in reminded,
            )
        )
    return rows


def _reminded(reports, today: dt.date) -> set[tuple[int, str, int]]:
    by_key: dict[tuple, list[int]] = {}
    for report in reports:
        by_key.setdefault((report.template, report.period.key), []).append(report.unit_id)
    done = set()
    for (template, key), unit_ids in by_key.items():
        for unit_id in inbox.reminded_today(template, key, unit_ids, today):
            done.add((template.pk, key.code, unit_id))
    return done


def _missing_rows(month: inbox.MissingMonth | None, units, today: dt.date) -> list[Row]:
    if month is None:
        return []
    units = list(units)
    reminded = inbox.reminded_today(month.template, month.key, [u.unit_id for u in units], today)
    late = (today - month.deadline).days
    return [
        Row(
            title=f"Báo cáo {month.key.label.lower()}",
            url=(
                reverse("report_detail", kwargs={"pk": u.report_id})
                if u.report_id
                else reverse("unit_reports", kwargs={"pk": u.unit_id})
            ),
            unit=u.name,
            day=month.deadline,
            when=f"hạn {month.deadline:%d/%m/%Y}",
            tags=[f"quá hạn {late} ngày", "đang soạn" if u.report_id else "chưa bắt đầu"],
            remind={"unit": u.unit_id, "template": month.template.pk, "period": month.key.code},
            reminded_today=u.unit_id in reminded,
        )
        for u in units
    ]


def _item_rows(items, *, public: bool) -> list[Row]:
    rows = []
    for item in items:
        tags = []
        if not item.labels_confirmed:
            tags.append("chưa xác nhận nhãn")
        if public and item.issue_id is None:
            tags.append("chưa thuộc vấn đề nào")
        if not public and item.created_by is not None:
            tags.append(f"CTV {item.created_by.full_name or item.created_by.username}")
        rows.append(
            Row(
                title=f"Ý kiến #{item.pk}",
                url=reverse("item_detail", kwargs={"pk": item.pk}),
                unit=item.unit.name if item.unit else "Chưa rõ đơn vị",
                day=item.received_on,
                when=f"nhận {item.received_on:%d/%m/%Y}",
                tags=tags,
                text=item.text[:TEXT_PREVIEW],
            )
        )
    return rows


def _sources(user, today: dt.date) -> dict:
    """Each section: its whole list (a queryset or a list) and how its rows are made."""
    month = inbox.missing_month(user, today)
    return {
        inbox.TO_READ: (inbox.reports_to_read(user), lambda rs: _report_rows(rs, today)),
        inbox.RETURNED: (inbox.reports_returned(user), lambda rs: _returned_rows(rs, today)),
        inbox.MISSING: (month.units if month else [], lambda us: _missing_rows(month, us, today)),
        inbox.PUBLIC: (
            inbox.public_to_triage(user).select_related("unit"),
            lambda items: _item_rows(items, public=True),
        ),
        inbox.COLLABORATORS: (
            inbox.collaborators_to_classify(user).select_related("unit"),
            lambda items: _item_rows(items, public=False),
        ),
    }


@login_required
def office_inbox(request: HttpRequest) -> HttpResponse:
    require_office(request.user, refusal=REFUSAL)
    today = local_today()
    sources = _sources(request.user, today)
    shown = request.GET.get("muc", "")
    sections = []
    for key, (rows, make) in sources.items():
        if shown in inbox.SECTIONS and key != shown:
            continue
        if shown == key:
            page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
            sections.append(
                Section(
                    key,
                    inbox.SECTIONS[key],
                    page.paginator.count,
                    make(page.object_list),
                    EMPTY[key],
                    page,
                )
            )
        else:
            count = len(rows) if isinstance(rows, list) else rows.count()
            sections.append(
                Section(key, inbox.SECTIONS[key], count, make(rows[:PREVIEW]), EMPTY[key])
            )
    return render(
        request,
        "reporting/inbox.html",
        {
            "sections": sections,
            "shown": shown if shown in inbox.SECTIONS else "",
            "query": f"muc={shown}" if shown in inbox.SECTIONS else "",
            "preview": PREVIEW,
            "total": sum(section.count for section in sections),
            "here": request.get_full_path(),
        },
    )


@login_required
@require_POST
def office_inbox_remind(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Nhắc đơn vị": remind unit ``pk`` about the report of the template and period posted."""
    require_office(request.user, refusal=REFUSAL)
    unit = get_unit_for(request.user, pk)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("office_inbox")
    template = ReportTemplate.objects.filter(pk=_int(request.POST.get("template"))).first()
    try:
        key = parse_period(request.POST.get("period", ""))
    except PeriodError:
        key = None
    if template is None or key is None:
        messages.error(request, "Thiếu mẫu báo cáo hoặc kỳ báo cáo cần nhắc; hãy tải lại trang.")
        return redirect(back)
    try:
        reminder = services.remind_unit(user=request.user, template=template, key=key, unit=unit)
    except services.AlreadyRemindedError as exc:
        messages.warning(request, exc.message)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        people = len(reminder.recipients)
        messages.success(
            request, f"Đã nhắc {unit.name} nộp báo cáo {key.label.lower()} ({people} người nhận)."
        )
    return redirect(back)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
