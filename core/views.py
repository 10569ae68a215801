"""Pages shared by every app: the audit log (office and leaders), the reader's notifications,
the XLSX list export, and the office-only guard of views."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook

from core.audit_labels import object_type_label
from core.errors import ServiceError
from core.mime import XLSX_TYPE
from core.models import AuditEntry
from core.selectors import (
    AuditFilter,
    audit_entries_for,
    audit_object_types,
    notifications_for,
)
from core.services import audit, mark_notifications_read
from documents.xlsx import save_workbook, write_table

logger = logging.getLogger(__name__)

AUDIT_PAGE_SIZE = 50
NOTIFICATION_PAGE_SIZE = 50


# --- the office-only guard -----------------------------------------------------------------


def require_office(user: Any, *, refusal: str = "", hide_from_units: bool = False) -> None:
    """Let only the office through.

    Anyone else gets "not found" (404), as for a record outside their scope; or, when ``refusal``
    is given, a 403 carrying that Vietnamese sentence. With ``hide_from_units`` the 403 is only
    for readers who see the whole ward (the leaders): unit readers still get "not found"."""
    if getattr(user, "is_office", False):
        return
    if refusal and not (hide_from_units and not getattr(user, "sees_everything", False)):
        raise PermissionDenied(refusal)
    raise Http404("Không tìm thấy trang.")


# --- XLSX export, shared by every list page ------------------------------------------------


def sort_links(
    request: HttpRequest, keys: Iterable[str], current: str, *, pages: Sequence[str] = ("page",)
) -> dict[str, dict]:
    """For each sortable column: the URL that sorts by it (a second click reverses it) and its
    arrow. The other parameters stay; the page numbers (``pages``) go back to the first page."""
    links = {}
    for key in keys:
        query = request.GET.copy()
        for name in pages:
            query.pop(name, None)
        active = current.lstrip("-") == key
        descending = current.startswith("-")
        query["sort"] = key if active and descending else f"-{key}" if active else key
        arrow = ("▼" if descending else "▲") if active else ""
        links[key] = {"url": "?" + query.urlencode(), "arrow": arrow}
    return links


def _cell(value: Any) -> Any:
    """openpyxl refuses aware datetimes: write them as local wall-clock time."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.make_naive(timezone.localtime(value))
    if value is None:
        return ""
    return value


def xlsx_download(workbook: Workbook, filename: str) -> HttpResponse:
    """The workbook as a file download."""
    response = HttpResponse(save_workbook(workbook), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(
    *,
    request: HttpRequest,
    filename: str,
    sheet_title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    object_type: str,
    data: dict | None = None,
) -> HttpResponse:
    """A one-sheet list export (see ``documents.xlsx.write_table``), written to the audit log."""
    table = [[_cell(value) for value in row] for row in rows]
    workbook = Workbook()
    write_table(workbook, sheet_title, headers, table)
    audit(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        object_type=object_type,
        unit=getattr(request.user, "unit", None),
        summary=f"Xuất tệp {filename} ({len(table)} dòng)",
        data={"query": request.GET.urlencode()[:400], "rows": len(table), **(data or {})},
    )
    return xlsx_download(workbook, filename)


# --- the audit log -------------------------------------------------------------------------


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label="Thao tác",
        required=False,
        choices=[("", "Tất cả")] + list(AuditEntry.Action.choices),
    )
    actor = forms.CharField(label="Người thực hiện (tên đăng nhập)", required=False, max_length=150)
    object_type = forms.ChoiceField(label="Loại đối tượng", required=False)
    personal = forms.BooleanField(
        label="Chỉ thông tin cá nhân (xem, xuất, xóa)", required=False
    )
    date_from = forms.DateField(
        label="Từ ngày", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="Đến ngày", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, object_types: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "Tất cả")] + [
            (label, object_type_label(label)) for label in object_types
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "Ngày kết thúc không được trước ngày bắt đầu.")
        return cleaned

    def to_filter(self) -> AuditFilter:
        if not self.is_valid():
            return AuditFilter()
        data = self.cleaned_data
        return AuditFilter(
            action=data["action"] or "",
            actor=data["actor"] or "",
            object_type=data["object_type"] or "",
            personal=bool(data["personal"]),
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


def _audit_filter(request: HttpRequest) -> tuple[AuditFilterForm, AuditFilter]:
    # audit_object_types raises 404 first for a reader who may not see the log.
    form = AuditFilterForm(request.GET or None, object_types=audit_object_types(request.user))
    return form, form.to_filter() if request.GET else AuditFilter()


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    form, filters = _audit_filter(request)
    entries = audit_entries_for(request.user, filters)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.object_type_label = object_type_label(entry.object_type)
    return render(
        request,
        "core/audit_log.html",
        {"form": form, "page": page, "total": page.paginator.count},
    )


@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    _, filters = _audit_filter(request)
    entries = audit_entries_for(request.user, filters)
    labels: dict[str, str] = {}
    rows = (
        (
            entry.at,
            entry.actor.username if entry.actor else "",
            entry.get_action_display(),
            labels.setdefault(entry.object_type, object_type_label(entry.object_type)),
            entry.object_id,
            entry.unit.name if entry.unit else "",
            entry.summary,
        )
        for entry in entries.iterator(chunk_size=2000)
    )
    return xlsx_response(
        request=request,
        filename="nhat-ky.xlsx",
        sheet_title="Nhật ký",
        headers=[
            "Thời điểm (giờ Việt Nam)",
            "Người thực hiện",
            "Thao tác",
            "Loại đối tượng",
            "Mã đối tượng",
            "Đơn vị",
            "Nội dung",
        ],
        rows=rows,
        object_type="core.auditentry",
        data={"personal": True},  # who did what, by account name
    )


# --- the reader's notifications ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        ids = None
        if request.POST.get("id", "").isdigit():
            ids = [int(request.POST["id"])]
        count = mark_notifications_read(user=request.user, ids=ids)
        if count:
            messages.success(request, f"Đã đánh dấu {count} thông báo là đã đọc.")
        return redirect("notifications")
    page = Paginator(notifications_for(request.user), NOTIFICATION_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "core/notifications.html", {"page": page})


# --- the system page: workers, stuck tasks, the e-mail outbox (issue 16, findings 6 and 7) ------

OUTBOX_ROWS = 50
HEALTH_LABELS = (("database", "Cơ sở dữ liệu"), ("workers", "Tiến trình nền"),
                 ("queue", "Hàng đợi tác vụ"), ("backup", "Sao lưu"))


@login_required
def system_health(request: HttpRequest) -> HttpResponse:
    from django_tasks_db.models import DBTaskResult

    from core import backup_crypto, backup_runs
    from core.health import report
    from core.models import OutgoingEmail, WorkerBeat
    from core.worker import live_worker_ids, stale_after, stuck_tasks

    require_office(request.user)
    now = timezone.now()
    live = live_worker_ids(now)
    workers = list(WorkerBeat.objects.order_by("-beat_at")[:20])
    for worker in workers:
        worker.alive = worker.worker_id in live
    stuck = stuck_tasks(now)
    for row in stuck:
        row.worker = row.worker_ids[-1] if row.worker_ids else ""
    states = dict(OutgoingEmail.objects.values_list("state").annotate(n=Count("pk")))
    health = report(now)
    return render(request, "core/system_health.html", {
        "workers": workers,
        "live_count": len(live),
        "stuck": stuck,
        "timeout_seconds": int(stale_after().total_seconds()),
        "running": DBTaskResult.objects.running().count(),
        "ready": DBTaskResult.objects.ready().count(),
        "emails": OutgoingEmail.objects.all()[:OUTBOX_ROWS],
        "pending": states.get(OutgoingEmail.State.PENDING, 0),
        "failed": states.get(OutgoingEmail.State.FAILED, 0),
        "sent": states.get(OutgoingEmail.State.SENT, 0),
        "health": health,
        "health_rows": [(label, health["checks"][name]) for name, label in HEALTH_LABELS],
        "backups": backup_runs.recent(),
        "backup_dir": backup_runs.backup_dir(),
        "backup_nightly": settings.LONGDAN_BACKUP_NIGHTLY,
        "backup_hour": settings.LONGDAN_BACKUP_HOUR,
        "backup_keep": settings.LONGDAN_BACKUP_KEEP,
        "backup_key_set": _backup_key_state(backup_crypto),
    })


def _backup_key_state(backup_crypto) -> str:
    """"set", "unset" or the refusal (a key too short, a key file that cannot be read)."""
    try:
        return "set" if backup_crypto.configured_secret() else "unset"
    except ServiceError as exc:
        return exc.message


# --- the health endpoint for the monitoring system (issue 10) -----------------------------------


@never_cache
@require_http_methods(["GET", "HEAD"])
def health(request: HttpRequest) -> HttpResponse:
    """``core.health.report`` as JSON: 200 when every check holds, 503 naming those that fail.
    Open without login (counts and ages only), or behind ``LONGDAN_HEALTH_TOKEN``."""
    from core.health import report

    token = settings.LONGDAN_HEALTH_TOKEN
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not constant_time_compare(given, token):
            return JsonResponse({"detail": "Cần mã kiểm tra sức khỏe: gửi tiêu đề"
                                 " 'Authorization: Bearer <LONGDAN_HEALTH_TOKEN>'."}, status=401,
                                json_dumps_params={"ensure_ascii": False})
    result = report()
    return JsonResponse(result, status=200 if result["status"] == "ok" else 503,
                        json_dumps_params={"ensure_ascii": False, "indent": 2})


# --- the CSRF failure page (settings.CSRF_FAILURE_VIEW) --------------------------------------


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form post: an expired session or a stale form, told in Vietnamese.

    ``reason`` is Django's English diagnosis; it goes to the log, never to the reader."""
    logger.warning("CSRF failure on %s: %s", request.path, reason)
    message = (
        "Phiên làm việc đã hết hạn hoặc biểu mẫu đã cũ. Hãy tải lại trang rồi gửi lại,"
        " hoặc đăng nhập lại."
    )
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "field": None}, status=403)
    login_url = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.path})}"
    return render(request, "errors/csrf.html", {"login_url": login_url}, status=403)
