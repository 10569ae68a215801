"""The weekly brief (Bản tin dư luận) for the Standing Committee: drafted with the figures of the
whole ward frozen into ``Brief.data``, so the archive reads as it was sent.

The figures are read as the office reads them (the whole ward, no "< 3"), through the same
``picture.selectors.picture_for`` as the picture's page, API and command, as of the day after
the period (a weekly brief is drafted on the Monday after its week). Open and overdue issues and
directions are today's state: the past state of an issue is not kept, so a brief drafted late
counts what is overdue on the day it is drafted.

A weekly brief exists once per week (the ``brief_weekly_once`` constraint): drafting it again
returns the one there is, unless the office asks to replace its figures (with the version it
read). A brief for any other period is drafted anew each time.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction

from core import faults, pdf
from core.dates import local_today
from core.errors import ConflictError, ServiceError
from core.models import AuditEntry
from core.services import audit, require_office
from issues.selectors import OPEN_STATUSES, issues_visible_to
from orgs.models import User
from picture.brief_said import said_most
from picture.models import Brief, Direction
from picture.query import read_query
from picture.selectors import counter_for, picture_for
from picture.window import HALF, MONTH, QUARTER, YEAR, Window, WindowError, parse_window, week_of

SCHEMA = 1
TOP_TOPICS = 8
LIST_LIMIT = 10
HISTORY_WEEKS = 12
CHART_TOPICS = 3
DUE_SOON_DAYS = 7
# The office's assessment: about three lines. The charts give way to it (brief_docx.chart_scale) so
# the brief stays on two pages with every list full (LibreOffice renders the worst case in
# picture/tests/test_briefs_demo.py).
NOTES_MAX = 300
LIVE_DIRECTIONS = (Direction.Status.OPEN, Direction.Status.IN_PROGRESS)


# -- the period -----------------------------------------------------------------------------------


def brief_window(start: dt.date, end: dt.date) -> Window:
    """The picture's window for ``start``–``end``: a week, month, quarter, half-year or year when
    the days are exactly one (so "the previous period" is the previous week, month, ...), else a
    range of days."""
    if end < start:
        raise ServiceError("Kỳ bản tin: ngày bắt đầu sau ngày kết thúc.", field="period")
    week = week_of(start)
    if (week.start, week.end) == (start, end):
        return week
    if start.day == 1:
        codes = {
            MONTH: f"{start.year}-{start.month:02d}",
            QUARTER: f"{start.year}-Q{(start.month - 1) // 3 + 1}",
            HALF: f"{start.year}-H{1 if start.month <= 6 else 2}",
            YEAR: f"{start.year}",
        }
        for code in codes.values():
            window = parse_window(code, max(start, end))
            if (window.start, window.end) == (start, end):
                return window
    return Window("range", start, end, f"{start.isoformat()}..{end.isoformat()}")


def period_window(text: str, today: dt.date) -> Window:
    """A period as the office writes it on the page ("2026-W48", "2026-11", a range...)."""
    if not (text or "").strip():
        raise ServiceError("Kỳ bản tin: hãy nhập kỳ, ví dụ 2026-W48 hoặc 2026-11.", field="period")
    try:
        window = parse_window(text, today)
    except WindowError as exc:
        raise ServiceError(str(exc), field="period") from exc
    return brief_window(window.start, window.end)


def brief_title(window: Window) -> str:
    return f"Bản tin dư luận xã hội {window.label}"


def _as_of(window: Window, today: dt.date) -> dt.date:
    """The day the figures are read on: the day after the period, or today if that is sooner."""
    return min(today, window.end + dt.timedelta(days=1))


# -- the frozen figures ---------------------------------------------------------------------------


def office_reader() -> User:
    """The reader the brief is read as: the office, the whole ward (never saved)."""
    return User(username="ban-tin-du-luan", role=User.Role.OFFICE)


def brief_figures(window: Window, *, today: dt.date) -> dict:
    """Everything the brief shows, as JSON-ready values."""
    as_of = _as_of(window, today)
    reader = office_reader()
    query = read_query(reader, {"period": window.code}, today=as_of)
    picture = picture_for(query)
    topics = picture["topics"]
    return {
        "schema": SCHEMA,
        "as_of": as_of.isoformat(),
        "period": picture["period"],
        "totals": picture["totals"],
        "topics": topics[:TOP_TOPICS],
        "rising": picture["rising"],
        "forecast": picture["forecast"],
        "silent_areas": picture["silent_areas"],
        "overdue_issues": overdue_issues(reader, as_of),
        "directions": direction_figures(as_of),
        "weekly": weekly_series(window, as_of, topics, picture["forecast"]),
        "said": said_most(window),
    }


def overdue_issues(reader: User, as_of: dt.date) -> dict:
    """Open issues past their due date on ``as_of``, the longest overdue first."""
    issues = (
        issues_visible_to(reader)
        .filter(merged_into__isnull=True, status__in=OPEN_STATUSES, due_on__lt=as_of)
        .order_by("due_on", "code")
    )
    rows = [
        {
            "id": issue.pk, "code": issue.code, "title": issue.title,
            "unit": issue.owner_unit.name if issue.owner_unit else "",
            "due_on": issue.due_on.isoformat(), "days_overdue": (as_of - issue.due_on).days,
        }
        for issue in issues[:LIST_LIMIT]
    ]
    return {"count": issues.count(), "rows": rows}


def direction_figures(as_of: dt.date) -> dict:
    """Directions open, overdue and due within the week, on ``as_of``.

    Read here from ``picture.models.Direction`` directly: the brief reads the whole ward, so it
    needs no reader's scope."""
    live = Direction.objects.filter(status__in=LIVE_DIRECTIONS).prefetch_related("units")
    overdue = live.filter(due_on__lt=as_of).order_by("due_on", "code")
    due_soon = live.filter(
        due_on__gte=as_of, due_on__lte=as_of + dt.timedelta(days=DUE_SOON_DAYS)
    ).order_by("due_on", "code")
    return {
        "open": live.count(),
        "overdue": overdue.count(),
        "due_soon": due_soon.count(),
        "overdue_rows": [_direction_row(d, as_of) for d in overdue[:LIST_LIMIT]],
        "due_rows": [_direction_row(d, as_of) for d in due_soon[:LIST_LIMIT]],
    }


def _direction_row(direction: Direction, as_of: dt.date) -> dict:
    return {
        "id": direction.pk, "code": direction.code, "text": direction.text[:200],
        "kind": direction.get_kind_display(), "status": direction.get_status_display(),
        "due_on": direction.due_on.isoformat(), "days_left": (direction.due_on - as_of).days,
        "units": ", ".join(unit.name for unit in direction.units.all()),
    }


def weekly_series(window: Window, as_of: dt.date, topics: list[dict],
                  forecast: list[dict]) -> dict:
    """Opinion items received per week over the weeks up to the period's last week: the ward's
    total and the main topics (those forecast, else the period's largest), for the volume chart.

    Items only: the streams of monthly reports are dated by the month's last day, so counted by
    week they would draw a spike at each month's end that nobody heard that week."""
    last = week_of(window.end)
    first = last.start - dt.timedelta(weeks=HISTORY_WEEKS - 1)
    span = f"{first.isoformat()}..{last.end.isoformat()}"
    counter = counter_for(read_query(office_reader(), {"period": span}, today=as_of))
    weeks = [first + dt.timedelta(weeks=i) for i in range(HISTORY_WEEKS)]

    def index(day: dt.date) -> int:
        return (day - first).days // 7

    total = [0] * HISTORY_WEEKS
    for cell in counter.weekly("all", last.end, HISTORY_WEEKS, attitudes=False):
        total[index(cell.day)] += cell.count
    chosen = _chart_topics(topics, forecast)
    by_topic = {code: [0] * HISTORY_WEEKS for code, _ in chosen}
    for cell in counter.weekly("topic", last.end, HISTORY_WEEKS, attitudes=False):
        if cell.key in by_topic:
            by_topic[cell.key][index(cell.day)] += cell.count
    return {
        "weeks": [week.isoformat() for week in weeks],
        "total": total,
        "topics": [{"code": code, "name": name, "counts": by_topic[code]} for code, name in chosen],
    }


def _chart_topics(topics: list[dict], forecast: list[dict]) -> list[tuple[str, str]]:
    source = forecast or [t for t in topics if t.get("code")]  # "" is "not classified"
    return [(str(t["code"]), str(t["name"])) for t in source[:CHART_TOPICS]]


# -- writes ---------------------------------------------------------------------------------------


def draft_brief(
    *,
    start: dt.date,
    end: dt.date,
    weekly: bool,
    user: User | None = None,
    replace: bool = False,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Brief:
    """Draft the brief of ``start``–``end`` with its figures frozen; return it.

    ``user`` None is the scheduler. A weekly brief already drafted is returned as it is, unless
    the office asks to ``replace`` its figures, giving the ``expected_version`` it read.
    """
    if user is not None:
        require_office(user, "lập bản tin dư luận")
    today = today or local_today()
    window = brief_window(start, end)
    if window.start > today:
        raise ServiceError(
            f"Kỳ {window.label} chưa bắt đầu (hôm nay là {today:%d/%m/%Y}).", field="period"
        )
    if weekly and window.kind != "week":
        raise ServiceError("Bản tin hằng tuần phải từ thứ Hai đến Chủ nhật.", field="period")
    existing = _weekly_brief(window) if weekly else None
    if existing is not None and not replace:
        return existing
    if existing is not None:
        require_office(user, "lập lại bản tin dư luận")
        _check_version(existing, expected_version)
    data = brief_figures(window, today=today)
    if existing is not None:
        return _replace_figures(existing, data, user, expected_version)
    try:
        with transaction.atomic():
            return _create(window, weekly, data, user)
    except IntegrityError:
        # Another worker drafted the same week between the check and the insert.
        found = _weekly_brief(window)
        if found is None:
            raise
        return found


def _weekly_brief(window: Window) -> Brief | None:
    return Brief.objects.filter(weekly=True, start=window.start, end=window.end).first()


def _check_version(brief: Brief, expected_version: int | None) -> None:
    if expected_version != brief.version:
        raise ConflictError(
            f"Bản tin đã được thay đổi (phiên bản {brief.version}) sau khi bạn mở"
            f" (phiên bản {expected_version}). Hãy tải lại trang rồi làm lại.",
            field="version",
        )


def _create(window: Window, weekly: bool, data: dict, user: User | None) -> Brief:
    brief = Brief.objects.create(
        start=window.start, end=window.end, weekly=weekly, title=brief_title(window), data=data,
        created_by=user if getattr(user, "pk", None) else None,
    )
    audit(actor=user, action=AuditEntry.Action.GENERATE, obj=brief,
          summary=f"Lập {brief.title}",
          data={"start": window.start.isoformat(), "end": window.end.isoformat(),
                "weekly": weekly, "by": "scheduler" if user is None else "office"})
    faults.pause("picture.brief.before_commit")
    return brief


def _replace_figures(brief: Brief, data: dict, user: User, expected_version: int | None) -> Brief:
    with transaction.atomic():
        current = Brief.objects.select_for_update().get(pk=brief.pk)
        _check_version(current, expected_version)
        current.data = data
        current.version += 1
        current.save(update_fields=["data", "version"])
        audit(actor=user, action=AuditEntry.Action.GENERATE, obj=current,
              summary=f"Lập lại số liệu {current.title}",
              data={"version": current.version})
    return current


def update_notes(*, user: User, brief: Brief, notes: str, expected_version: int) -> Brief:
    """Save the office's assessment (nhận định); refuses a stale ``expected_version``.

    Saving what is already stored changes nothing and keeps the version."""
    require_office(user, "sửa nhận định của bản tin")
    notes = (notes or "").replace("\r\n", "\n").strip()
    if len(notes) > NOTES_MAX:
        raise ServiceError(
            f"Nhận định của văn phòng dài {len(notes)} ký tự; tối đa {NOTES_MAX}.", field="notes"
        )
    with transaction.atomic():
        current = Brief.objects.select_for_update().get(pk=brief.pk)
        _check_version(current, expected_version)
        if current.notes == notes:
            return current
        current.notes = notes
        current.version += 1
        current.save(update_fields=["notes", "version"])
        audit(actor=user, action=AuditEntry.Action.UPDATE, obj=current,
              summary=f"Sửa nhận định {current.title}", data={"version": current.version})
    return current


def export_docx(*, user: User, brief: Brief) -> bytes:
    """The brief as DOCX (Hướng dẫn 36-HD/VPTW); the export is audited."""
    content = _brief_docx(user, brief)
    _audit_export(user, brief, "docx")
    return content


def export_pdf(*, user: User, brief: Brief) -> bytes:
    """The brief as PDF: its DOCX as LibreOffice lays it out (core.pdf), audited once made.

    Raises :class:`core.pdf.PdfError` (nothing audited) when no PDF can be made."""
    content = pdf.convert(_brief_docx(user, brief))
    _audit_export(user, brief, "pdf")
    return content


def _brief_docx(user: User, brief: Brief) -> bytes:
    from picture.brief_docx import render_brief

    if not getattr(user, "sees_everything", False):
        raise ServiceError("Bản tin dư luận dành cho Ban Thường vụ và Ban Xây dựng Đảng.",
                           field="user")
    _set_chart_cache_dir()
    return render_brief(brief)


def _audit_export(user: User, brief: Brief, fmt: str) -> None:
    with transaction.atomic():
        audit(actor=user, action=AuditEntry.Action.EXPORT, obj=brief,
              summary=f"Xuất {fmt.upper()} {brief.title}",
              data={"format": fmt, "version": brief.version})


def _set_chart_cache_dir() -> None:
    """matplotlib's font cache goes to the app's var directory (a service account's home may not
    be writable)."""
    os.environ.setdefault("MPLCONFIGDIR", str(Path(settings.VAR_DIR) / "matplotlib"))
