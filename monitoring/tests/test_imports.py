"""Social-network exports (issue 9): CSV in UTF-8 and Windows-1258, JSON, XLSX; the mapping saved
once per source; an import run twice adds nothing; no raw author name anywhere in the database;
relevance like fetched articles; bad files refused with the column or row named, storing nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
import unicodedata

import pytest
from django.db import connection
from openpyxl import Workbook

from core.errors import ServiceError
from core.models import AuditEntry
from monitoring import exportfile, imports
from monitoring.models import ExportUpload, Mention, Source, Story
from monitoring.tests.test_fetch import AN_LU, PROVINCE
from orgs.models import Area

pytestmark = pytest.mark.django_db

# Names the masker would catch in a text (a surname first) and names it never would: neither
# kind may be stored, since the author column is hashed before anything is written.
AUTHORS = ("Trần Thị Bích Ngọc", "Hoa Hồng Nhỏ", "Tuấn Hưng Official")
WARD_POST = " ".join(AN_LU)
PROVINCE_POST = " ".join(PROVINCE)
STREET_POST = (
    "Phường Hòa Bình vừa khởi công nâng cấp tuyến đường ven sông, bà con liên hệ 0912345678"
    " nếu cần hỗ trợ."
)
POST = "https://www.facebook.com/groups/1/posts/11/"
HEADERS = ["STT", "Nội dung", "Thời gian", "Link", "Tác giả", "Lượt tương tác"]
ROWS = [
    [1, WARD_POST, "20/11/2026 08:30", POST, AUTHORS[0], "1.234"],
    [2, PROVINCE_POST, "20/11/2026 09:00", "", AUTHORS[1], "15"],
    [3, STREET_POST, "2026-11-21T07:00:00+07:00", "", AUTHORS[2], ""],
    # A comment exported with its post's address: a mention of its own, by the same author.
    [4, "Đúng rồi, rác để lâu quá.", "20/11/2026 10:00", POST + "?fbclid=x", AUTHORS[0], "3"],
]


def csv_bytes(rows=ROWS, headers=HEADERS, *, encoding="utf-8-sig", delimiter=",") -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    text = buffer.getvalue()
    if encoding == "cp1258":
        return _cp1258(text)
    return text.encode(encoding)


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters precomposed, tone marks apart."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += base.encode("cp1258") + "".join(c for c in parts if c in tones).encode("cp1258")
    return bytes(out)


def xlsx_bytes(headers, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def ward_areas(db):
    Area.objects.create(name="Tổ dân phố An Lư 3", former_ward="An Lư")


@pytest.fixture
def group(db) -> Source:
    return Source.objects.create(name="Nhóm Cư dân Hòa Bình", kind=Source.Kind.EXPORT)


def database_dump() -> str:
    """Every row of every table, as text (JSON columns on SQLite keep "\\u1ea7" escapes, so the
    caller looks for both spellings)."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            parts.append(repr(cursor.fetchall()))
    return "\n".join(parts).casefold()


def assert_no_author_anywhere(names=AUTHORS) -> None:
    dump = database_dump()
    for name in names:
        for spelling in (name, json.dumps(name)[1:-1], exportfile.normal_name(name)):
            assert spelling.casefold() not in dump, name


def run_import(source: Source, data: bytes, file_name: str = "nhom.csv") -> dict:
    return imports.import_file(actor=None, source_name=source.name, file_name=file_name, data=data)


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_import_twice_adds_nothing_and_keeps_no_author_name(ward_areas, group):
    first = run_import(group, csv_bytes())
    assert (first["new"], first["duplicates"], first["errors"]) == (4, 0, 0)
    assert first["column_map"] == {
        "text": "Nội dung",
        "time": "Thời gian",
        "link": "Link",
        "author": "Tác giả",
        "reactions": "Lượt tương tác",
    }
    count = Mention.objects.count()
    second = run_import(group, csv_bytes())
    assert (second["new"], second["duplicates"], second["errors"]) == (0, 4, 0)
    assert Mention.objects.count() == count == 4
    assert Story.objects.count() == len(set(Mention.objects.values_list("story_id", flat=True)))
    hashes = set(Mention.objects.values_list("author_hash", flat=True))
    assert len(hashes) == 3 and all(len(h) == 64 for h in hashes)  # three voices, four mentions
    assert_no_author_anywhere()


def test_rows_are_judged_masked_and_dated_like_fetched_articles(ward_areas, group):
    run_import(group, csv_bytes())
    post = Mention.objects.get(url=POST)
    assert post.relevance == "ward" and "Tổ dân phố An Lư 3" in post.places
    assert post.published_at == dt.datetime(2026, 11, 20, 1, 30, tzinfo=dt.UTC)  # 08:30 +07
    assert post.reactions == 1234 and post.site == "facebook.com"
    assert post.title.startswith("Người dân tổ dân phố An Lư 3 phản ánh")
    province = Mention.objects.get(text__contains="thủy điện Hòa Bình")
    assert province.relevance == "none"  # the province, not the ward
    assert province.url.startswith(f"export:{group.pk}:") and province.link == ""
    assert province.site == group.name  # no link: the source says where it appeared
    street = Mention.objects.get(text__contains="ven sông")
    assert street.relevance == "ward" and street.reactions is None
    assert "0912345678" not in street.text and "⟨SĐT⟩" in street.text
    comment = Mention.objects.get(text__startswith="Đúng rồi")
    assert comment.url.startswith("export:") and comment.author_hash == post.author_hash


def test_windows_1258_csv_with_semicolons(ward_areas, group):
    data = csv_bytes(encoding="cp1258", delimiter=";")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = run_import(group, data)
    assert (result["new"], result["errors"]) == (4, 0)
    assert Mention.objects.filter(text__contains="rác thải ùn ứ").exists()
    assert run_import(group, data)["new"] == 0
    # The same rows in UTF-8 are the same mentions: the encoding changes nothing.
    assert run_import(group, csv_bytes())["new"] == 0
    assert_no_author_anywhere()


# --- JSON and XLSX -------------------------------------------------------------------------------

GRAPH = {
    "data": [
        {
            "message": WARD_POST,
            "created_time": "2026-11-20T01:30:00+0000",
            "permalink_url": "https://www.facebook.com/groups/1/posts/21/",
            "from": {"name": AUTHORS[1], "id": "100001"},
            "reactions": {"data": [], "summary": {"total_count": 12}},
        },
        {
            "message": "Phường Hòa Bình nên lắp thêm đèn chiếu sáng ở ngõ chợ.",
            "created_time": "2026-11-20T02:00:00+0000",
            "permalink_url": "https://www.facebook.com/groups/1/posts/22/",
            "from": {"name": AUTHORS[2], "id": "100002"},
            "reactions": {"summary": {"total_count": 4}},
        },
    ],
    "paging": {"next": "https://graph.facebook.com/…"},
}


def test_json_export_flattened_from_a_graph_response(ward_areas, group):
    data = json.dumps(GRAPH, ensure_ascii=False).encode()
    result = run_import(group, data, "nhom.json")
    assert (result["new"], result["errors"]) == (2, 0)
    assert result["column_map"] == {
        "text": "message",
        "time": "created_time",
        "link": "permalink_url",
        "author": "from.name",
        "reactions": "reactions.summary.total_count",
    }
    lamp = Mention.objects.get(url="https://www.facebook.com/groups/1/posts/22/")
    assert lamp.relevance == "ward" and lamp.reactions == 4
    assert run_import(group, data, "nhom.json")["duplicates"] == 2
    assert_no_author_anywhere()


def test_json_lines_and_a_bare_list(group):
    records = [
        {"text": "Chợ Hòa Bình đông quá", "author": AUTHORS[0]},
        {"text": "Ý kiến hai"},
        {"author": AUTHORS[1], "likes": 3},  # no text
    ]
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()
    result = run_import(group, lines, "binh-luan.jsonl")
    assert (result["new"], result["errors"]) == (2, 1)
    assert result["messages"] == ["Bản ghi 3: thiếu nội dung (cột “text”)."]
    bare = json.dumps(records, ensure_ascii=False).encode()
    assert run_import(group, bare, "binh-luan.json")["duplicates"] == 2
    assert_no_author_anywhere()


def test_xlsx_export_with_dates_and_numbers(ward_areas, group):
    headers = ["text", "createTimeISO", "webVideoUrl", "authorMeta.name", "diggCount"]
    clip = "https://www.tiktok.com/@x/video/1"
    market = "Video về chợ Hòa Bình, tổ dân phố An Lư 3 họp chợ tạm"
    rows = [
        [STREET_POST, dt.datetime(2026, 11, 22, 19, 0), clip, AUTHORS[1], 87],
        [market, "1763600000", "", AUTHORS[0], None],
    ]
    data = xlsx_bytes(headers, rows)
    result = run_import(group, data, "tiktok.xlsx")
    assert (result["new"], result["errors"]) == (2, 0)
    video = Mention.objects.get(url__endswith="/video/1")  # courlan writes "@" as "%40"
    assert video.reactions == 87 and video.relevance == "ward"
    assert video.published_at == dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)  # 19:00 +07
    other = Mention.objects.exclude(pk=video.pk).get()
    assert other.published_at == dt.datetime.fromtimestamp(1763600000, tz=dt.UTC)
    assert run_import(group, data, "tiktok.xlsx")["new"] == 0
    assert_no_author_anywhere()


# --- the mapping ---------------------------------------------------------------------------------


def test_a_saved_mapping_is_used_instead_of_guesses(group):
    headers = ["Cột A", "Cột B", "Ghi chú"]
    rows = [["Phường Hòa Bình sửa đường", AUTHORS[0], "nội bộ"]]
    with pytest.raises(ServiceError, match="Không tìm thấy cột nội dung") as refused:
        run_import(group, csv_bytes(rows, headers))
    assert "“Cột A”, “Cột B”, “Ghi chú”" in refused.value.message
    group.column_map = {"text": "Cột A", "author": "Cột B"}
    group.save()
    result = run_import(group, csv_bytes(rows, headers))
    assert result["new"] == 1 and result["column_map"] == group.column_map
    assert Mention.objects.get().author_hash == imports.author_hash(AUTHORS[0])
    # A later export without a mapped column is refused, naming it.
    with pytest.raises(ServiceError, match="không có cột “Cột B” \\(cột tác giả"):
        run_import(group, csv_bytes([["Tin khác"]], ["Cột A"]))


def test_guesses_are_saved_for_the_next_import(group):
    run_import(group, csv_bytes())
    group.refresh_from_db()
    assert group.column_map["author"] == "Tác giả"
    assert group.last_success_at is not None and group.last_error == ""


def test_author_hash_is_keyed_and_normalised(settings):
    one = imports.author_hash("Hoa Hồng  Nhỏ")
    assert one == imports.author_hash(" hoa hồng nhỏ ")
    assert one != imports.author_hash("Hoa Hong Nho")  # diacritics kept: maybe someone else
    assert imports.author_hash("") == ""
    settings.SECRET_KEY = "another-installation-" + "x" * 40
    assert imports.author_hash("Hoa Hồng Nhỏ") != one


# --- refusals ------------------------------------------------------------------------------------


def _nothing_stored(source: Source, audits_before: int) -> None:
    assert Mention.objects.count() == 0 and ExportUpload.objects.count() == 0
    assert AuditEntry.objects.count() == audits_before
    source.refresh_from_db()
    assert source.column_map == {} and source.last_success_at is None


def test_no_text_column_is_refused_naming_it_and_stores_nothing(group):
    before = AuditEntry.objects.count()
    data = csv_bytes([[AUTHORS[0], "20/11/2026"]], ["Tác giả", "Thời gian"])
    with pytest.raises(ServiceError) as refused:
        run_import(group, data)
    assert refused.value.message.startswith("Không tìm thấy cột nội dung")
    assert "“nội dung”, “message”, “text”" in refused.value.message
    _nothing_stored(group, before)


def test_oversize_and_overlong_files_are_refused(group, monkeypatch):
    before = AuditEntry.objects.count()
    monkeypatch.setattr("documents.tabular.MAX_BYTES", 1000)
    monkeypatch.setattr("monitoring.exportfile.MAX_BYTES", 1000)
    big = csv_bytes([[i, WARD_POST, "", "", "", ""] for i in range(10)])
    with pytest.raises(ServiceError, match="Tệp quá lớn .*tối đa"):
        run_import(group, big)
    with pytest.raises(ServiceError, match="Tệp quá lớn"):
        run_import(group, json.dumps([{"text": WARD_POST}] * 10).encode(), "a.json")
    monkeypatch.setattr("monitoring.exportfile.MAX_ROWS", 3)
    many = json.dumps([{"text": f"Ý kiến {i}"} for i in range(4)]).encode()
    with pytest.raises(ServiceError, match="quá nhiều bản ghi: 4, vượt giới hạn 3"):
        run_import(group, many, "a.json")
    _nothing_stored(group, before)


@pytest.mark.parametrize(
    "data, name, fragment",
    [
        (b"", "a.csv", "Tệp rỗng"),
        (b'{"data": [1, 2', "a.json", "Tệp JSON không đúng định dạng (dòng 1"),
        (b'{"ok": true}', "a.json", "không chứa danh sách bài đăng"),
        (b"PK\x03\x04 hong", "a.xlsx", "Không đọc được tệp Excel"),
    ],
)
def test_unreadable_files_are_refused_in_vietnamese(group, data, name, fragment):
    with pytest.raises(ServiceError, match=fragment.replace("(", "\\(")):
        run_import(group, data, name)
    assert Mention.objects.count() == 0


def test_bad_rows_are_named_and_the_others_imported(group):
    rows = [
        [1, "Ý kiến tốt về phường", "20/11/2026", "", AUTHORS[0], "5"],
        [2, "   ", "20/11/2026", "", AUTHORS[1], ""],  # no text
        [3, "Ý kiến có ngày sai", AUTHORS[2], "", "", ""],  # the author typed in the time column
        [4, "Ý kiến có lượt sai", "", "", "", "nhiều"],
        [5, "Ý kiến có đường dẫn sai", "", "ftp://x/1", "", ""],
        ["", "", "", "", "", ""],  # a blank line: skipped
    ]
    result = run_import(group, csv_bytes(rows))
    assert (result["new"], result["errors"]) == (1, 4)
    assert result["messages"] == [
        "Dòng 3: thiếu nội dung (cột “Nội dung”).",
        "Dòng 4: cột “Thời gian” không phải thời gian đọc được (ví dụ 20/11/2026 08:30 hoặc"
        " 2026-11-20T08:30:00+07:00).",
        "Dòng 5: cột “Lượt tương tác” không phải một số lượt tương tác.",
        "Dòng 6: cột “Link” không phải địa chỉ http(s).",
    ]
    group.refresh_from_db()
    assert group.last_error.startswith("Lần nhập gần nhất có 4 dòng lỗi, ví dụ: Dòng 3")
    assert_no_author_anywhere()  # a refused row's message never quotes its cells


def test_an_import_is_audited_with_counts_only(group):
    run_import(group, csv_bytes())
    entry = AuditEntry.objects.get(object_type="monitoring.source", object_id=str(group.pk))
    assert entry.data == {"new": 4, "duplicates": 0, "errors": 0, "rows": 4}
    assert entry.summary == (
        f"Nhập tệp xuất vào nguồn {group.name}: 4 tin mới, 0 tin trùng, 0 dòng lỗi"
    )


def test_only_export_sources_take_files(db):
    Source.objects.create(name="Báo", url="https://bao.vn/rss", kind="rss")
    with pytest.raises(ServiceError, match="không phải nguồn tệp xuất"):
        imports.import_file(actor=None, source_name="Báo", file_name="a.csv", data=csv_bytes())
    with pytest.raises(ServiceError, match="Không có nguồn tin tên 'Nhóm'"):
        imports.import_file(actor=None, source_name="Nhóm", file_name="a.csv", data=csv_bytes())


def test_guessing_reads_common_exports():
    assert exportfile.guess_columns(["Name", "Profile URL", "Comment", "Date", "Likes"]) == {
        "text": "Comment",
        "time": "Date",
        "author": "Name",
        "reactions": "Likes",
    }
    assert exportfile.guess_columns(
        ["textOriginal", "authorDisplayName", "publishedAt", "likeCount"]
    ) == {
        "text": "textOriginal",
        "time": "publishedAt",
        "author": "authorDisplayName",
        "reactions": "likeCount",
    }
    assert exportfile.guess_columns(["Nội dung bài viết", "Ngày đăng bài", "Người đăng"]) == {
        "text": "Nội dung bài viết",
        "time": "Ngày đăng bài",
        "author": "Người đăng",
    }


@pytest.mark.parametrize(
    "cell, count",
    [(1234, 1234), ("1.234", 1234), ("1,234", 1234), ("12.0", 12), ("1,2K", 1200),
     ("3 tr", 3_000_000), ("2 nghìn", 2000)],
)  # fmt: skip
def test_reaction_counts(cell, count):
    assert exportfile.parse_count(cell) == count
