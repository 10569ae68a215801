"""The office's ways in for mentions: the "paste a link" form (fetch, show, confirm, store),
importing a social-network export (upload, map the columns, preview, import), and the watch-list
of topics and keywords. The pages that read the desk are ``monitoring.reading_views`` and
``monitoring.misinfo_views``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.errors import ServiceError
from documents.archive import vn_int
from documents.tabular import MAX_BYTES
from monitoring import imports, selectors, services, watch
from monitoring.exportfile import FIELDS, guess_columns
from monitoring.forms import ExportUploadForm, WatchTermForm
from monitoring.models import ExportUpload

PREVIEW_ROWS = 10
PREVIEW_ERRORS = 50


def _office(request: HttpRequest) -> None:
    if not request.user.is_office:
        raise Http404("Không tìm thấy trang.")


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


# --- a social-network export ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload an export; its columns are mapped with the source's saved mapping or the guesses,
    and shown as selects when the file's columns are known (changing them, or none found)."""
    _office(request)
    pending = selectors.pending_upload(request.user) if "doi-cot" in request.GET else None
    headers = pending.headers if pending else request.POST.getlist("headers")
    initial = {}
    if pending:
        initial = {"source": str(pending.source_id)}
        initial |= {f"col_{f}": h for f, h in pending.column_map.items()}
    form = ExportUploadForm(
        request.POST or None, request.FILES or None, headers=headers, initial=initial
    )
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            upload = form.cleaned_data["file"]
            if upload.size > MAX_BYTES:
                raise ServiceError(
                    f"Tệp quá lớn ({vn_int(upload.size // 1024)} KB; tối đa"
                    f" {MAX_BYTES // (1024 * 1024)} MB).",
                    field="file",
                )
            imports.start_upload(
                user=request.user,
                file_name=upload.name,
                data=upload.read(),
                source_id=int(form.cleaned_data["source"] or 0) or None,
                new_source=form.cleaned_data["new_source"],
                column_map=form.column_map(),
            )
        except imports.ColumnError as exc:
            error = exc.message
            form = _with_columns(request, exc.headers, form.column_map())
        except ServiceError as exc:
            error = exc.message
        else:
            return redirect("monitoring_import_preview")
    latest = selectors.pending_upload(request.user)
    working = [ExportUpload.State.QUEUED, ExportUpload.State.RUNNING]
    return render(
        request,
        "monitoring/import.html",
        {
            "form": form,
            "error": error,
            "pending": pending,
            "headers": form.headers,
            "working": latest if latest and latest.state in working else None,
        },
    )


def _with_columns(
    request: HttpRequest, headers: list[str], chosen: dict | None
) -> ExportUploadForm:
    """The form again with one select per field over the file's columns: what the office chose,
    else the guesses. The file must be chosen again (a browser does not keep it)."""
    columns = {f: h for f, h in (chosen or guess_columns(headers)).items() if h in headers}
    initial = {
        "source": request.POST.get("source", ""),
        "new_source": request.POST.get("new_source", ""),
    } | {f"col_{f}": h for f, h in columns.items()}
    return ExportUploadForm(headers=headers, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest) -> HttpResponse:
    """The first rows of the office member's uploaded export (masked, authors as short codes),
    the refused rows, and the buttons to import or cancel."""
    _office(request)
    if request.method == "POST":
        return _import_decision(request)
    upload = selectors.pending_upload(request.user)
    if upload is None:
        return redirect("monitoring_import")
    if upload.state != ExportUpload.State.PREVIEW:
        return _import_progress(request, upload)
    rows = [
        row
        | {
            "time": dt.datetime.fromisoformat(row["time"]) if row["time"] else None,
            "author": f"#{row['author'][:6]}" if row["author"] else "",
        }
        for row in upload.rows[:PREVIEW_ROWS]
    ]
    return render(
        request,
        "monitoring/import_preview.html",
        {
            "upload": upload,
            "rows": rows,
            "mapping": [(label, upload.column_map.get(f, "")) for f, label in FIELDS.items()],
            "stored": selectors.already_stored(upload),
            "errors": upload.errors[:PREVIEW_ERRORS],
        },
    )


def _import_decision(request: HttpRequest) -> HttpResponse:
    if request.POST.get("action") == "cancel":
        imports.cancel_upload(user=request.user)
        messages.info(request, "Đã hủy tệp xem trước; không có tin nào được nhập.")
        return redirect("monitoring_import")
    upload_id = request.POST.get("upload", "")
    try:
        source, tally = imports.confirm_upload(
            user=request.user, upload_id=int(upload_id) if upload_id.isdigit() else 0
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("monitoring_import")
    if tally is None:  # a large file: the worker imports it, this page follows it
        return redirect("monitoring_import_preview")
    messages.success(
        request,
        f"Đã nhập tệp vào nguồn “{source.name}”: {tally.new} tin mới, {tally.duplicates} tin đã"
        f" có (không nhập lại), {tally.errors} dòng lỗi.",
    )
    return redirect(f"{reverse('monitoring_list')}?relevance=all&source={source.pk}")


def _import_progress(request: HttpRequest, upload: ExportUpload) -> HttpResponse:
    """A large file being imported by the worker: how far it got, refreshed every two seconds
    (htmx asks for the fragment alone) until it is done."""
    template = "monitoring/_import_progress.html" if request.GET.get("partial") else None
    context = {
        "upload": upload,
        "percent": int(100 * upload.done / upload.total) if upload.total else 0,
        "working": upload.state in (ExportUpload.State.QUEUED, ExportUpload.State.RUNNING),
    }
    return render(request, template or "monitoring/import_progress.html", context)


# --- the watch-list ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def watch_list(request: HttpRequest) -> HttpResponse:
    """The watch-list: add a topic or keyword (POST ``action=add``), stop watching one
    (``action=deactivate``, ``term``), and the newest matches."""
    _office(request)
    form = WatchTermForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "deactivate":
                return _deactivate(request)
            if form.is_valid():
                term = watch.add_watch_term(
                    user=request.user,
                    kind=form.cleaned_data["kind"],
                    phrase=form.cleaned_data["phrase"],
                    topic=form.cleaned_data["topic"],
                )
                messages.success(request, f"Đã thêm vào danh sách theo dõi: {term}.")
                return redirect("monitoring_watch")
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return render(
        request,
        "monitoring/watch.html",
        {
            "form": form,
            "terms": selectors.watch_terms(),
            "hits": selectors.recent_watch_hits(),
            "is_office": True,  # the desk's tabs show the office's ways in
        },
    )


def _deactivate(request: HttpRequest) -> HttpResponse:
    term_id = request.POST.get("term", "")
    try:
        term = watch.deactivate_watch_term(
            user=request.user, term_id=int(term_id) if term_id.isdigit() else 0
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã ngừng theo dõi: {term}.")
    return redirect("monitoring_watch")
