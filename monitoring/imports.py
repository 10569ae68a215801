"""Writes of the monitoring desk for social-network exports (issue 9): a file of posts and
comments read into stored form, previewed by the office, imported as mentions.

Reading (:func:`read_export`) happens in memory: each text is masked and each author's name
becomes ``author_hash`` (HMAC-SHA256 under a key derived from the installation's SECRET_KEY) at
once, so neither a raw name nor an unmasked text reaches the database, not even the preview's
pending row (``ExportUpload``). A file refused as a whole stores nothing.

Each row is stored through ``services.save_mention`` like a fetched article (relevance to the ward,
story, topic, attitude). Its identity is its link; a row without one, or whose link already holds
another text (the comments exported with their post's address), gets
``exportfile.synthetic_url``: the same export imported again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core.errors import ServiceError
from core.models import AuditEntry
from core.services import audit, require_office
from monitoring import exportfile
from monitoring.addresses import site_of
from monitoring.exportfile import ExportError
from monitoring.models import ExportUpload, Mention, Source
from monitoring.selectors import gazetteer
from monitoring.services import Tally, add_source, save_mention
from textops.services import analyse_many, mask_everything

# The purpose the author key is derived for: a hash made for this and nothing else.
AUTHOR_KEY_SALT = "longdan.monitoring.author"
PENDING_FOR = dt.timedelta(days=1)
BACKGROUND_ROWS = 200  # a file with more rows is imported by the worker, its progress shown
PROGRESS_EVERY = 50
TITLE_LENGTH = 120
logger = logging.getLogger(__name__)


class ColumnError(ServiceError):
    """A file whose columns could not be mapped; ``headers`` are its columns, to choose from."""

    def __init__(self, message: str, headers: list[str]):
        super().__init__(message, field="text")
        self.headers = headers


def author_hash(name: str) -> str:
    """The keyed hash of an author's name ("" for none): equal names give equal hashes within
    the installation, and without its SECRET_KEY a name cannot be tried against a hash."""
    name = exportfile.normal_name(name)
    if not name:
        return ""
    return salted_hmac(AUTHOR_KEY_SALT, name, algorithm="sha256").hexdigest()


@dataclass
class Reading:
    headers: list[str]
    column_map: dict[str, str]
    # One dict per row in stored form: {"row": "Dòng 5", "text": masked, "time": ISO or None,
    # "link": canonical or "", "author": hash or "", "reactions": int or None}.
    rows: list[dict]
    errors: list[str] = field(default_factory=list)  # one per refused row, naming it
    notes: list[str] = field(default_factory=list)  # optional columns not found


def read_export(file_name: str, data: bytes, column_map: dict | None = None) -> Reading:
    """Read an export with ``column_map`` (or guessed columns) into stored form; nothing is
    stored. A file refused as a whole raises ServiceError (ColumnError for its columns)."""
    try:
        sheet = exportfile.read_sheet(file_name, data)
        columns, notes = exportfile.columns_for(sheet.headers, column_map)
    except ExportError as exc:
        if exc.headers:
            raise ColumnError(exc.message, exc.headers) from exc
        raise ServiceError(exc.message, field="file") from exc
    rows, errors = exportfile.parse_rows(sheet, columns, timezone.get_current_timezone())
    return Reading(sheet.headers, columns, [_stored(row) for row in rows], errors, notes)


def _stored(row: exportfile.Row) -> dict:
    text, _kinds = mask_everything(row.text)
    return {
        "row": row.label,
        "text": text,
        "time": row.published_at.isoformat() if row.published_at else None,
        "link": row.link,
        "author": author_hash(row.author),
        "reactions": row.reactions,
    }


# --- importing ---------------------------------------------------------------------------------


def identity(source: Source, row: dict, text: str) -> str | None:
    """The address a row whose stored text is ``text`` goes under; None when it is there."""
    if row["link"]:
        stored = Mention.objects.filter(url=row["link"]).values_list("text", flat=True).first()
        if stored is None:
            return row["link"]
        if stored == text:
            return None
    return exportfile.synthetic_url(source.pk, text, row["time"] or "", row["link"])


def _title(text: str) -> str:
    """The first line of a (masked) post, cut at a word: posts have no title of their own."""
    line = text.strip().split("\n", 1)[0]
    if len(line) <= TITLE_LENGTH:
        return line
    return line[:TITLE_LENGTH].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def import_rows(
    *, actor, source: Source, reading: Reading, progress: Callable[[int], None] | None = None
) -> Tally:
    """Store the rows of a reading on ``source``, save its mapping there, audit the counts.

    Each row is its own transaction (``save_mention``): a crash midway leaves whole mentions,
    and importing the file again adds only the rest. ``progress(rows handled)`` is called every
    ``PROGRESS_EVERY`` rows (the background import shows it)."""
    tally = Tally(errors=len(reading.errors), messages=list(reading.errors))
    gaz = gazetteer()
    fallback_site = site_of(source.url) if source.url else source.name
    analyses = analyse_many([row["text"] for row in reading.rows], cleaned=True)
    for number, (row, analysis) in enumerate(zip(reading.rows, analyses, strict=True), start=1):
        url = identity(source, row, analysis.normalised)
        try:
            mention = url and save_mention(
                url=url,
                title=_title(analysis.normalised),
                text=analysis.normalised,
                published_at=dt.datetime.fromisoformat(row["time"]) if row["time"] else None,
                source=source,
                gaz=gaz,
                analysis=analysis,
                site="" if row["link"] else fallback_site,
                author_hash=row["author"],
                reactions=row["reactions"],
            )
        except IntegrityError:  # the same row, imported by someone else a moment ago
            mention = None
        if mention:
            tally.new += 1
        else:
            tally.duplicates += 1
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number)
    _finish(actor, source, reading, tally)
    return tally


def _finish(actor, source: Source, reading: Reading, tally: Tally) -> None:
    now = timezone.now()
    error = ""
    if tally.errors:
        error = f"Lần nhập gần nhất có {tally.errors} dòng lỗi, ví dụ: {tally.messages[0]}"
    with transaction.atomic():
        Source.objects.filter(pk=source.pk).update(
            column_map=reading.column_map,
            last_success_at=now,
            last_error=error[:500],
            last_error_at=now if error else None,
        )
        audit(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=source,
            summary=f"Nhập tệp xuất vào nguồn {source.name}: {tally.new} tin mới,"
            f" {tally.duplicates} tin trùng, {tally.errors} dòng lỗi",
            data=tally.as_dict() | {"rows": len(reading.rows) + len(reading.errors)},
        )


def export_source(name: str) -> Source:
    source = Source.objects.filter(name=(name or "").strip()).first()
    if source is None:
        raise ServiceError(
            f"Không có nguồn tin tên '{name}'. Thêm nguồn bằng: longdan monitor source add"
            f' --name "{name}" --kind export',
            field="source",
        )
    if source.kind != Source.Kind.EXPORT:
        raise ServiceError(
            f"Nguồn tin '{source.name}' là nguồn {source.get_kind_display()}, không phải nguồn"
            " tệp xuất từ mạng xã hội.",
            field="source",
        )
    return source


def import_file(*, actor, source_name: str, file_name: str, data: bytes) -> dict:
    """``longdan monitor import``: read with the source's saved mapping (or guessed columns) and
    import; ``{"new", "duplicates", "errors", "rows", "column_map", "messages", "notes"}``."""
    source = export_source(source_name)
    reading = read_export(file_name, data, source.column_map or None)
    tally = import_rows(actor=actor, source=source, reading=reading)
    return tally.as_dict() | {
        "rows": len(reading.rows) + len(reading.errors),
        "column_map": reading.column_map,
        "messages": tally.messages,
        "notes": reading.notes,
    }


# --- the office's page: upload, preview, import ------------------------------------------------


def start_upload(
    *,
    user,
    file_name: str,
    data: bytes,
    source_id: int | None = None,
    new_source: str = "",
    column_map: dict | None = None,
) -> ExportUpload:
    """Read an export for the office's preview, keeping its rows in stored form.

    The source is an export source or a new one named ``new_source``, created only when the file
    is read. ``column_map`` (chosen on the page) replaces the source's saved mapping; without it
    the saved one is used, or the columns are guessed."""
    require_office(user, "nhập tệp xuất từ mạng xã hội")
    new_source = (new_source or "").strip()
    source = None
    if new_source:
        if Source.objects.filter(name=new_source).exists():
            raise ServiceError(f"Tên nguồn: đã có nguồn tên '{new_source}'.", field="new_source")
    else:
        source = Source.objects.filter(pk=source_id, kind=Source.Kind.EXPORT).first()
        if source is None:
            raise ServiceError(
                "Hãy chọn nguồn tin của tệp, hoặc đặt tên cho nguồn mới.", field="source"
            )
    reading = read_export(file_name, data, column_map or (source.column_map if source else None))
    with transaction.atomic():
        if source is None:
            source = add_source(actor=user, name=new_source, url="", kind=Source.Kind.EXPORT)
        working = [ExportUpload.State.QUEUED, ExportUpload.State.RUNNING]
        ExportUpload.objects.filter(created_by=user).exclude(state__in=working).delete()
        ExportUpload.objects.filter(created_at__lt=timezone.now() - PENDING_FOR).delete()
        return ExportUpload.objects.create(
            source=source,
            created_by=user,
            headers=reading.headers,
            column_map=reading.column_map,
            rows=reading.rows,
            errors=reading.errors,
        )


def confirm_upload(*, user, upload_id: int) -> tuple[Source, Tally | None]:
    """Import the office member's previewed file (once: a second click finds it gone).

    A file of more than ``BACKGROUND_ROWS`` rows goes to the background worker instead: the
    tally is then None and the upload's ``state``, ``done`` and ``result`` tell its progress."""
    require_office(user, "nhập tệp xuất từ mạng xã hội")
    with transaction.atomic():
        upload = (
            ExportUpload.objects.select_for_update(of=("self",))
            .select_related("source")
            .filter(pk=upload_id, created_by=user, state=ExportUpload.State.PREVIEW)
            .first()
        )
        if upload is None:
            raise ServiceError(
                "Tệp xem trước không còn (đã nhập, đã hủy hoặc đã được thay bằng tệp khác):"
                " hãy tải tệp lên lại.",
                field="file",
            )
        source = upload.source
        background = len(upload.rows) > BACKGROUND_ROWS
        if background:
            upload.state = ExportUpload.State.QUEUED
            upload.total = len(upload.rows)
            upload.save(update_fields=["state", "total"])
        else:
            reading = Reading(upload.headers, upload.column_map, upload.rows, upload.errors)
            upload.delete()
    if background:
        from monitoring.tasks import import_upload  # the task module imports this one

        import_upload.enqueue(upload_id=upload.pk)  # after the commit: the worker sees it
        return source, None
    return source, import_rows(actor=user, source=source, reading=reading)


def run_upload(upload_id: int, *, resume: bool = False) -> dict:
    """The worker's import of a queued upload (``monitoring.tasks.import_upload``): claimed
    once, its progress written as it goes, its rows emptied when done (the counts stay).

    ``resume``: this is the same task run again after its worker died mid-import (the queue's
    reaper put it back), so an upload left RUNNING is taken again; the rows already imported
    are found stored (one mention per address or per text and author) and only the rest is
    added (issue 10)."""
    states = [ExportUpload.State.QUEUED] + ([ExportUpload.State.RUNNING] if resume else [])
    claimed = ExportUpload.objects.filter(pk=upload_id, state__in=states).update(
        state=ExportUpload.State.RUNNING
    )
    if not claimed:
        return {}
    upload = ExportUpload.objects.select_related("source", "created_by").get(pk=upload_id)
    rows = ExportUpload.objects.filter(pk=upload_id)
    reading = Reading(upload.headers, upload.column_map, upload.rows, upload.errors)
    try:
        tally = import_rows(
            actor=upload.created_by,
            source=upload.source,
            reading=reading,
            progress=lambda done: rows.update(done=done),
        )
    except Exception as exc:  # noqa: BLE001 - the page must say it stopped, not wait for ever
        logger.exception("monitoring: background import of upload %s failed", upload_id)
        message = (
            f"Nhập tệp bị dừng vì lỗi không mong đợi ({type(exc).__name__}). Các tin đã nhập"
            " được giữ; tải tệp lên và nhập lại thì chỉ thêm phần còn lại."
        )
        rows.update(state=ExportUpload.State.FAILED, result={"error": message}, rows=[])
        return {"error": message}
    result = tally.as_dict()
    rows.update(state=ExportUpload.State.DONE, done=len(reading.rows), result=result, rows=[])
    return result


def cancel_upload(*, user) -> None:
    require_office(user, "nhập tệp xuất từ mạng xã hội")
    ExportUpload.objects.filter(created_by=user).delete()
