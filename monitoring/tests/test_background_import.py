"""A large export is imported by the background worker (``monitoring.tasks.import_upload``): the
request only queues it, the preview page follows its progress, the counts stay when it is done.
(The tests' task backend runs a task on the spot; the worker's claim makes a second run a no-op.)"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEntry
from monitoring import imports
from monitoring.models import ExportUpload, Mention, Source

pytestmark = pytest.mark.django_db
ROWS = imports.BACKGROUND_ROWS + 50


def big_csv(rows: int = ROWS) -> bytes:
    lines = ["nội dung,thời gian,tác giả"]
    for n in range(rows):
        lines.append(
            f"Bài {n}: rác thải ùn ứ ở ngõ {n} phường Hòa Bình lần {n},"
            f"2026-11-{1 + n % 28:02d} 08:{n % 60:02d},Người viết {n % 17}"
        )
    return ("\r\n".join(lines) + "\r\n").encode()


def _upload(client) -> ExportUpload:
    response = client.post(reverse("monitoring_import"), {
        "new_source": "Nhóm lớn", "file": SimpleUploadedFile("lon.csv", big_csv())})
    assert response.status_code == 302
    return ExportUpload.objects.get()


def test_a_large_file_is_imported_in_the_background_with_its_progress(client, vanphong):
    client.force_login(vanphong)
    pending = _upload(client)
    response = client.post(reverse("monitoring_import_preview"), {"upload": pending.pk})
    assert response["Location"] == reverse("monitoring_import_preview")
    pending.refresh_from_db()
    assert pending.state == "done" and pending.total == ROWS and pending.done == ROWS
    assert pending.rows == [] and pending.result == {"new": ROWS, "duplicates": 0, "errors": 0}
    assert Mention.objects.filter(source__name="Nhóm lớn").count() == ROWS
    entry = AuditEntry.objects.filter(object_type="monitoring.source").latest("pk")
    assert entry.actor == vanphong and entry.data["new"] == ROWS
    body = client.get(response["Location"]).content.decode()
    assert f"Đã nhập xong tệp vào nguồn “Nhóm lớn”: {ROWS} tin mới" in body
    assert 'hx-trigger="every 2s"' not in body  # done: no more polling
    # a second click, or a second run of the task, adds nothing
    again = client.post(reverse("monitoring_import_preview"), {"upload": pending.pk})
    assert again.status_code == 302 and again["Location"] == reverse("monitoring_import")
    assert imports.run_upload(pending.pk) == {}
    assert Mention.objects.count() == ROWS


def test_the_page_follows_a_running_import(client, vanphong):
    client.force_login(vanphong)
    pending = _upload(client)
    ExportUpload.objects.filter(pk=pending.pk).update(state="running", total=ROWS, done=100)
    body = client.get(reverse("monitoring_import_preview")).content.decode()
    assert f"Đang nhập: 100 / {ROWS} dòng (40%)" in body
    assert 'hx-trigger="every 2s"' in body and "?partial=1" in body
    page = client.get(reverse("monitoring_import")).content.decode()
    assert f"đang được nhập ở nền (100 / {ROWS} dòng)" in page and "Xem tiến độ" in page
    fragment = client.get(reverse("monitoring_import_preview"), {"partial": "1"}).content
    assert fragment.decode().strip().startswith("<section") and b"<html" not in fragment
    # a new upload meanwhile keeps the running one
    client.post(reverse("monitoring_import"), {
        "source": str(Source.objects.get(name="Nhóm lớn").pk),
        "file": SimpleUploadedFile("nho.csv", big_csv(3))})
    assert set(ExportUpload.objects.values_list("state", flat=True)) == {"running", "preview"}


def test_progress_is_written_as_rows_go_and_a_failure_is_said(vanphong, monkeypatch):
    source = Source.objects.create(name="Nhóm", kind="export")
    reading = imports.read_export("lon.csv", big_csv())
    upload = ExportUpload.objects.create(
        source=source, created_by=vanphong, headers=reading.headers,
        column_map=reading.column_map, rows=reading.rows, state="queued", total=ROWS)
    seen = []
    real = imports.save_mention

    def save(**kwargs):
        seen.append(ExportUpload.objects.get(pk=upload.pk).done)
        if len(seen) == 120:
            raise RuntimeError("hỏng")
        return real(**kwargs)

    monkeypatch.setattr(imports, "save_mention", save)
    result = imports.run_upload(upload.pk)
    upload.refresh_from_db()
    assert seen[49] == 0 and seen[50] == 50 and seen[100] == 100  # every 50 rows
    assert upload.state == "failed" and "lỗi không mong đợi (RuntimeError)" in result["error"]
    assert upload.result == result and upload.rows == []
    assert Mention.objects.count() == 119  # the rows before stay whole


def test_an_import_whose_worker_died_is_resumed_by_the_task_run_again(client, vanphong):
    """A worker killed mid-import leaves the upload RUNNING with some rows stored; the queue
    runs the task again (its second attempt), which takes the upload again and adds the rest."""
    client.force_login(vanphong)
    pending = _upload(client)
    reading = imports.Reading(pending.headers, pending.column_map, pending.rows[:40],
                              pending.errors)
    imports.import_rows(actor=vanphong, source=pending.source, reading=reading)
    ExportUpload.objects.filter(pk=pending.pk).update(state="running", done=40)
    assert Mention.objects.count() == 40
    assert imports.run_upload(pending.pk) == {}  # a first attempt never takes a running one
    result = imports.run_upload(pending.pk, resume=True)
    assert result == {"new": ROWS - 40, "duplicates": 40, "errors": 0}
    assert Mention.objects.count() == ROWS
    pending.refresh_from_db()
    assert pending.state == "done" and pending.rows == []
