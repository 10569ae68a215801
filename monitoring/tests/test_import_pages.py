"""Importing an export from the office's page (upload → map → preview → import) and from the
command line (``longdan monitor import FILE --source NAME [--json]``)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEntry
from longdan.commands import main
from monitoring.models import ExportUpload, Mention, Source
from monitoring.tests.test_imports import (
    AUTHORS,
    assert_no_author_anywhere,
    csv_bytes,
)
from orgs.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward_areas(db):
    Area.objects.create(name="Tổ dân phố An Lư 3", former_ward="An Lư")


def upload(client, data: bytes, name: str = "nhom.csv", **fields):
    fields["file"] = SimpleUploadedFile(name, data)
    return client.post(reverse("monitoring_import"), fields)


# --- the page ------------------------------------------------------------------------------------


def test_upload_preview_import_then_the_same_file_adds_nothing(client, vanphong, ward_areas):
    client.force_login(vanphong)
    assert client.get(reverse("monitoring_import")).status_code == 200
    response = upload(client, csv_bytes(), new_source="Nhóm Cư dân Hòa Bình")
    assert response.status_code == 302 and response["Location"] == reverse(
        "monitoring_import_preview"
    )
    source = Source.objects.get(name="Nhóm Cư dân Hòa Bình")
    assert source.kind == "export" and Mention.objects.count() == 0  # previewed, not stored
    body = client.get(reverse("monitoring_import_preview")).content.decode()
    assert "4 dòng đọc được" in body and "Người dân tổ dân phố An Lư 3" in body
    assert "⟨SĐT⟩" in body and "0912345678" not in body  # masked in the preview too
    assert all(name not in body for name in AUTHORS)
    assert_no_author_anywhere()  # the pending upload holds hashes, not names

    pending = ExportUpload.objects.get()
    response = client.post(reverse("monitoring_import_preview"), {"upload": pending.pk})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?relevance=all&source={source.pk}")
    body = client.get(response["Location"]).content.decode()
    assert "4 tin mới, 0 tin đã có (không nhập lại), 0 dòng lỗi" in body
    assert Mention.objects.count() == 4 and ExportUpload.objects.count() == 0
    source.refresh_from_db()
    assert source.column_map["text"] == "Nội dung"  # mapped once, for the next file
    entry = AuditEntry.objects.filter(object_type="monitoring.source").latest("pk")
    assert entry.data == {"new": 4, "duplicates": 0, "errors": 0, "rows": 4}
    assert entry.actor == vanphong

    # A second click on the same preview imports nothing more.
    client.post(reverse("monitoring_import_preview"), {"upload": pending.pk})
    assert Mention.objects.count() == 4

    upload(client, csv_bytes(), source=str(source.pk))
    body = client.get(reverse("monitoring_import_preview")).content.decode()
    assert "trong đó 4 dòng đã có trong hệ thống" in body
    pending = ExportUpload.objects.get()
    response = client.post(reverse("monitoring_import_preview"), {"upload": pending.pk})
    body = client.get(response["Location"]).content.decode()
    assert "0 tin mới, 4 tin đã có" in body and Mention.objects.count() == 4
    assert_no_author_anywhere()


def test_columns_chosen_on_the_page_when_none_is_found(client, vanphong):
    client.force_login(vanphong)
    source = Source.objects.create(name="Đơn vị theo dõi", kind=Source.Kind.EXPORT)
    headers = ["Bài", "Người", "Lúc"]
    rows = [["Phường Hòa Bình sửa đường ven sông", AUTHORS[1], "21/11/2026"]]
    response = upload(client, csv_bytes(rows, headers), source=str(source.pk))
    body = response.content.decode()
    assert response.status_code == 200 and "Không tìm thấy cột nội dung" in body
    assert 'name="col_text"' in body and '<option value="Người">' in body
    assert ExportUpload.objects.count() == 0 and Mention.objects.count() == 0

    response = upload(
        client,
        csv_bytes(rows, headers),
        source=str(source.pk),
        headers=headers,
        col_text="Bài",
        col_author="Người",
        col_time="Lúc",
    )
    assert response.status_code == 302
    pending = ExportUpload.objects.get()
    assert pending.column_map == {"text": "Bài", "time": "Lúc", "author": "Người"}
    # Change the mapping: the page offers the selects over the same columns.
    body = client.get(reverse("monitoring_import") + "?doi-cot=1").content.decode()
    assert '<option value="Lúc" selected>' in body
    client.post(reverse("monitoring_import_preview"), {"upload": pending.pk})
    source.refresh_from_db()
    assert source.column_map == {"text": "Bài", "time": "Lúc", "author": "Người"}
    assert Mention.objects.get().author_hash


def test_refused_file_on_the_page_stores_nothing(client, vanphong, monkeypatch):
    client.force_login(vanphong)
    audits = AuditEntry.objects.count()  # the login's
    # The view first: importing it after the patch would copy the patched limit for good.
    monkeypatch.setattr("monitoring.views.MAX_BYTES", 500)
    monkeypatch.setattr("documents.tabular.MAX_BYTES", 500)
    response = upload(client, csv_bytes(), new_source="Nhóm mới")
    assert "Tệp quá lớn" in response.content.decode()
    assert not Source.objects.filter(name="Nhóm mới").exists()
    assert ExportUpload.objects.count() == 0 and AuditEntry.objects.count() == audits


def test_cancel_drops_the_preview(client, vanphong):
    client.force_login(vanphong)
    upload(client, csv_bytes(), new_source="Nhóm")
    client.post(reverse("monitoring_import_preview"), {"action": "cancel"})
    assert ExportUpload.objects.count() == 0 and Mention.objects.count() == 0
    assert client.get(reverse("monitoring_import_preview")).status_code == 302


def test_other_roles_are_refused(client, an, lanhdao, vanphong):
    source = Source.objects.create(name="Nhóm", kind=Source.Kind.EXPORT)
    client.force_login(vanphong)
    upload(client, csv_bytes(), source=str(source.pk))
    pending = ExportUpload.objects.get()
    for user in (an, lanhdao):
        client.force_login(user)
        assert client.get(reverse("monitoring_import")).status_code == 404
        assert upload(client, csv_bytes(), source=str(source.pk)).status_code == 404
        assert client.get(reverse("monitoring_import_preview")).status_code == 404
        response = client.post(reverse("monitoring_import_preview"), {"upload": pending.pk})
        assert response.status_code == 404
    assert Mention.objects.count() == 0 and ExportUpload.objects.count() == 1


def test_list_counts_voices_and_keeps_made_up_addresses_unlinked(client, vanphong, ward_areas):
    source = Source.objects.create(name="Nhóm", kind=Source.Kind.EXPORT)
    from monitoring import imports

    imports.import_file(actor=None, source_name="Nhóm", file_name="a.csv", data=csv_bytes())
    client.force_login(vanphong)
    body = client.get(reverse("monitoring_list"), {"relevance": "all"}).content.decode()
    assert 'href="export:' not in body
    body = client.get(reverse("monitoring_sources")).content.decode()
    count = Mention.objects.filter(source=source).count()
    assert f'&amp;source={source.pk}">{count}</a></td>' in body
    assert '<td class="num" data-label="Số người viết">3</td>' in body  # three distinct voices


# --- the command line ----------------------------------------------------------------------------


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_adds_an_export_source_and_imports_twice(capsys, tmp_path, ward_areas):
    code, out, err = run(capsys, "monitor", "source", "add", "--name", "Nhóm", "--kind", "export")
    assert code == 0, err
    assert "Đã thêm nguồn tin 'Nhóm' (Tệp xuất từ mạng xã hội)." in out
    path = tmp_path / "nhom.csv"
    path.write_bytes(csv_bytes())
    code, out, err = run(capsys, "monitor", "import", str(path), "--source", "Nhóm", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert (result["new"], result["duplicates"], result["errors"]) == (4, 0, 0)
    assert result["column_map"]["author"] == "Tác giả"
    code, out, err = run(capsys, "monitor", "import", str(path), "--source", "Nhóm")
    assert code == 0, err
    assert out.strip().endswith("Nguồn Nhóm: 0 tin mới, 4 tin trùng, 0 dòng lỗi.")
    assert_no_author_anywhere()


def test_cli_says_which_column_it_could_not_find(capsys, tmp_path):
    Source.objects.create(name="Nhóm", kind=Source.Kind.EXPORT)
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes([["x", AUTHORS[0]]], ["Cột 1", "Tác giả"]))
    code, _out, err = run(capsys, "monitor", "import", str(path), "--source", "Nhóm")
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1
    assert lines[0].startswith("Lỗi: Không tìm thấy cột nội dung: tệp không có cột nào tên")
    path.write_bytes(csv_bytes([["Ý kiến", ""]], ["message", "Ghi chú"]))
    code, out, _err = run(capsys, "monitor", "import", str(path), "--source", "Nhóm")
    assert code == 0
    assert "Lưu ý: Không tìm thấy cột tác giả" in out and "không đếm được số người viết" in out


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["monitor", "import", "khong-co.csv", "--source", "Nhóm"], "không có tệp"),
        (["monitor", "source", "add", "--name", "X"], "cần --url"),
    ],
)
def test_cli_bad_input_is_one_vietnamese_line(capsys, argv, fragment):
    code, _out, err = run(capsys, *argv)
    assert code == 2 and err.startswith("Lỗi: ") and fragment in err, err


def test_cli_unknown_source(capsys, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes())
    code, _out, err = run(capsys, "monitor", "import", str(path), "--source", "Không có")
    assert code == 2 and "Không có nguồn tin tên 'Không có'" in err and "--kind export" in err
