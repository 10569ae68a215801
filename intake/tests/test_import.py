"""Importing opinion from Excel and CSV: mapping, per-row errors by number, bad files."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pytest
from django.urls import reverse
from openpyxl import Workbook

from core.errors import ServiceError
from core.models import Attitude, AuditEntry, Channel
from intake import services
from intake.models import ImportBatch, OpinionItem
from intake.tests.conftest import client_for

HEADERS = ["STT", "Nội dung ý kiến", "Ngày", "Kênh", "Tổ dân phố", "Chủ đề", "Thái độ"]
MAPPING = {
    "text": "Nội dung ý kiến",
    "received_on": "Ngày",
    "channel": "Kênh",
    "area": "Tổ dân phố",
    "topic": "Chủ đề",
    "attitude": "Thái độ",
}


def xlsx(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD_AND_BAD = [
    [
        1,
        "Rác thải ùn ứ ở chợ",
        dt.date(2025, 11, 1),
        "Khu dân cư",
        "Tổ dân phố 1",
        "Môi trường",
        "Bức xúc",
    ],
    [
        2,
        "hoc phi tang cao qua",
        "02/11/2025",
        "mang xa hoi",
        "to dan pho 1",
        "giao duc",
        "ban khoan",
    ],
    [3, "Đường ngập", "31/02/2025", "", "", "", ""],  # no such day
    [4, None, dt.date(2025, 11, 3), "", "", "", ""],  # no text
    [5, "Ý kiến về khu vui chơi", dt.date(2025, 11, 3), "", "Tổ 99", "", ""],  # unknown area
    [6, "Ý kiến về y tế", dt.date(2025, 11, 3), "Bồ câu đưa thư", "", "", ""],  # unknown channel
    [None, None, None, None, None, None, None],  # a blank line: skipped silently
    [8, "Trạm y tế đông quá", "2025-11-04", "", "", "Y tế", "Phản đối"],
]


def test_xlsx_import_files_good_rows_and_reports_bad_ones_by_number(an, area_1):
    batch = services.start_import(user=an, file_name="y-kien.xlsx", data=xlsx(GOOD_AND_BAD))
    assert batch.headers == HEADERS and batch.rows_total == 8
    batch = services.apply_import(user=an, batch=batch, mapping=MAPPING)
    assert batch.state == ImportBatch.State.DONE and batch.rows_imported == 3
    errors = {e["row"]: e["message"] for e in batch.errors}
    assert set(errors) == {4, 5, 6, 7}  # spreadsheet rows (header is row 1)
    assert "Ngày “31/02/2025” không hợp lệ" in errors[4]
    assert errors[5] == "Thiếu nội dung ý kiến."
    assert "Tổ dân phố “Tổ 99”" in errors[6]
    assert "Kênh “Bồ câu đưa thư”" in errors[7]
    items = list(OpinionItem.objects.order_by("received_on"))
    assert [i.received_on for i in items] == [dt.date(2025, 11, d) for d in (1, 2, 4)]
    first, second, third = items
    assert first.channel == Channel.RESIDENTIAL and first.area == area_1
    assert [t.name for t in first.topics.all()] == ["Môi trường"]
    assert first.attitude == Attitude.AGGRIEVED and first.labels_confirmed
    assert second.channel == Channel.SOCIAL_MEDIA and second.attitude == Attitude.WORRIED
    assert [t.name for t in second.topics.all()] == ["Giáo dục"]
    assert third.channel == Channel.OTHER and third.attitude == Attitude.OPPOSE
    assert batch.file_data is None  # the table is dropped once imported
    per_row = AuditEntry.objects.filter(object_type="intake.opinionitem")
    assert per_row.count() == 3 and {e.data["row"] for e in per_row} == {2, 3, 9}


def test_csv_with_semicolons_and_bom(an):
    data = (
        "\ufeffNội dung;Ngày;Thái độ\n"
        "Đồng tình với việc mở rộng đường;05/11/2025;Đồng tình\n"
        '"Nhiều ý; có dấu chấm phẩy";06/11/2025;\n'
    ).encode()
    batch = services.start_import(user=an, file_name="du-lieu.csv", data=data)
    assert batch.headers == ["Nội dung", "Ngày", "Thái độ"]
    batch = services.apply_import(
        user=an,
        batch=batch,
        default_channel=Channel.FRONT,
        mapping={"text": "Nội dung", "received_on": "Ngày", "attitude": "Thái độ"},
    )
    assert batch.rows_imported == 2 and batch.errors == []
    texts = set(OpinionItem.objects.values_list("text", flat=True))
    assert "Nhiều ý; có dấu chấm phẩy" in texts
    assert set(OpinionItem.objects.values_list("channel", flat=True)) == {Channel.FRONT}


TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: shaped vowels precomposed, tone marks combining."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out.append((base + "".join(c for c in parts if c in TONES)).encode("cp1258"))
    return b"".join(out)


def test_csv_in_windows_1258_is_read(an):
    data = cp1258("Nội dung,Ngày\nDân phấn khởi,01/11/2025\n")
    assert data.decode("cp1258") != "Nội dung,Ngày\nDân phấn khởi,01/11/2025\n"  # decomposed
    batch = services.start_import(user=an, file_name="cu.csv", data=data)
    assert batch.headers == ["Nội dung", "Ngày"]
    services.apply_import(user=an, batch=batch, mapping={"text": "Nội dung", "received_on": "Ngày"})
    assert OpinionItem.objects.get().text == "Dân phấn khởi"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("rong.csv", b"", "Tệp rỗng"),
        ("hong.xlsx", b"PK\x03\x04 not really a zip", "Không đọc được tệp Excel"),
        ("hong.xlsx", b"\x00\x01\x02garbage", "Không đọc được tệp Excel"),
        ("anh.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "không phải văn bản CSV"),
        ("cu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls"),
        ("tieu-de.csv", "Nội dung,Ngày\n".encode(), "chỉ có dòng tiêu đề"),
        ("trang.csv", b"\n\n  \n", "không có dòng tiêu đề"),
    ],
)
def test_malformed_files_are_refused_in_vietnamese(an, name, data, message):
    with pytest.raises(ServiceError) as caught:
        services.start_import(user=an, file_name=name, data=data)
    assert message in caught.value.message
    assert not ImportBatch.objects.exists()


def test_mapping_without_text_column_writes_nothing(an):
    batch = services.start_import(user=an, file_name="a.xlsx", data=xlsx(GOOD_AND_BAD))
    with pytest.raises(ServiceError, match="cột chứa nội dung"):
        services.apply_import(user=an, batch=batch, mapping={"received_on": "Ngày"})
    with pytest.raises(ServiceError, match="không có trong tệp"):
        services.apply_import(user=an, batch=batch, mapping={"text": "Không có"})
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.PENDING and not OpinionItem.objects.exists()


def test_a_batch_is_imported_once(an, area_1):
    batch = services.start_import(user=an, file_name="a.xlsx", data=xlsx(GOOD_AND_BAD))
    services.apply_import(user=an, batch=batch, mapping=MAPPING)
    with pytest.raises(ServiceError, match="đã được nhập"):
        services.apply_import(user=an, batch=ImportBatch.objects.get(), mapping=MAPPING)
    assert OpinionItem.objects.count() == 3


def test_nothing_imported_marks_the_batch_failed(an):
    batch = services.start_import(
        user=an,
        file_name="a.xlsx",
        data=xlsx([[1, None, None, "", "", "", ""], [2, "Ý kiến", "hôm qua", "", "", "", ""]]),
    )
    batch = services.apply_import(user=an, batch=batch, mapping=MAPPING)
    assert batch.state == ImportBatch.State.FAILED and [e["row"] for e in batch.errors] == [2, 3]
    assert not OpinionItem.objects.exists()


def test_collaborators_and_leaders_cannot_import(collab, lanhdao):
    for user in (collab, lanhdao):
        with pytest.raises(ServiceError):
            services.start_import(user=user, file_name="a.csv", data=b"a\nb\n")


def test_import_pages_walk_through_upload_map_result(an, binh, area_1):
    client = client_for(an)
    upload = io.BytesIO(xlsx(GOOD_AND_BAD))
    upload.name = "y-kien.xlsx"
    response = client.post(reverse("import_upload"), {"file": upload})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("import_map", args=[batch.pk])
    page = client.get(response.url).content.decode()
    # Columns are guessed from their headers.
    assert '<option value="Nội dung ý kiến" selected>' in page
    assert client_for(binh).get(response.url).status_code == 404
    data = {f"col_{k}": v for k, v in MAPPING.items()} | {"default_channel": Channel.OTHER}
    done = client.post(response.url, data)
    assert done.status_code == 302
    result = client.get(done.url).content.decode()
    assert "<strong>3</strong> / 8" in result and "Thiếu nội dung ý kiến." in result


def test_bad_upload_shows_the_message(an):
    upload = io.BytesIO(b"\x00\x00binary")
    upload.name = "x.csv"
    response = client_for(an).post(reverse("import_upload"), {"file": upload})
    assert response.status_code == 200
    assert "không phải văn bản CSV" in response.content.decode()
