"""Properties of the social-network export reader (issue 10): any file (CSV, XLSX, JSON, JSON
Lines, or junk) is read into rows, with each refused row named ("Dòng 5: …", "Bản ghi 3: …"), or
refused as a whole with an :class:`ExportError` in Vietnamese, never another exception; a
mapping the office chose is checked against the file's columns the same way."""

from __future__ import annotations

import json
import math
import re
from zoneinfo import ZoneInfo

from hypothesis import example, given
from hypothesis import strategies as st

from core.tests.fuzzing import assert_vietnamese, fuzz
from monitoring.exportfile import FIELDS, ExportError, columns_for, parse_rows, read_sheet

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NAMES = st.sampled_from(["", "posts.csv", "posts.json", "posts.jsonl", "posts.xlsx", "posts.txt"])
HEADERS = ["message", "created_time", "permalink_url", "from_name", "reactions", "Nội dung",
           "Thời gian", "link", "likes", "id"]

_scalar = st.one_of(
    st.none(), st.booleans(), st.text(max_size=20),
    st.integers(min_value=-(10**30), max_value=10**400),  # past a float's range
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["20/11/2026 08:30", "2026-11-20T08:30:00+07:00", "1763600000", "1,2K",
                     "3 tr", "1.234", "https://facebook.com/p/1", "javascript:alert(1)",
                     "=cmd|' /C calc'!A0", "", " ", "31/02/2026", "9" * 40]),
)
_json = st.recursive(
    _scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(HEADERS) | st.text(max_size=6),
                                            inner, max_size=5)),
    max_leaves=25,
)
_records = st.lists(st.dictionaries(st.sampled_from(HEADERS), _scalar, max_size=6), max_size=6)


def _row_label(message: str) -> bool:
    return bool(re.match(r"^(Dòng|Bản ghi) \d+: ", message))


def _read(name: str, data: bytes, column_map: dict | None = None) -> None:
    try:
        sheet = read_sheet(name, data)
        columns, notes = columns_for(sheet.headers, column_map)
    except ExportError as exc:
        assert_vietnamese(exc.message)
        return
    assert set(columns) <= set(FIELDS) and "text" in columns
    assert all(header in sheet.headers for header in columns.values())
    for note in notes:
        assert_vietnamese(note)
    rows, errors = parse_rows(sheet, columns, TZ)
    for message in errors:
        assert _row_label(message), message
        assert_vietnamese(message)
    for row in rows:
        assert row.text and _row_label(f"{row.label}: ")
        assert row.published_at is None or row.published_at.tzinfo is not None
        assert row.reactions is None or row.reactions >= 0
        assert row.link == "" or row.link.startswith(("http://", "https://"))


def _dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, allow_nan=True).encode()


@fuzz(250)
@given(NAMES, st.binary(max_size=400))
@example("posts.json", b"[" * 100_000)  # nested past the recursion limit
@example("posts.json", b'{"data": [{"message": "a"}, 1]}')
@example("posts.json", b'[{"message": "a", "likes": ' + b"9" * 5000 + b"}]")  # fixed
@example("posts.jsonl", b'{"message": "a"}\n{"message": "b", "likes": ' + b"9" * 5000 + b"}")
@example("posts.csv", b"message,likes\r\na," + b"9" * 5000)
def test_any_bytes_are_rows_or_a_vietnamese_refusal(name, data):
    _read(name, data)


@fuzz(250)
@given(_json, st.sampled_from(["posts.json", "", "posts.jsonl"]), st.booleans())
def test_any_json_value_is_rows_or_a_vietnamese_refusal(value, name, lines):
    if lines and isinstance(value, list):
        data = b"\n".join(_dumps(v) for v in value)
    else:
        data = _dumps(value)
    _read(name, data)


@fuzz(300)
@given(_records, st.one_of(st.none(), st.dictionaries(
    st.sampled_from([*FIELDS, "other"]), st.sampled_from([*HEADERS, "", "không có"]),
    max_size=5)))
@example([{"message": "Đường ngập", "created_time": 10**400}], None)
@example([{"message": "Đường ngập", "reactions": math.inf}], None)
@example([{"message": "Đường ngập", "reactions": 10**400}], None)
@example([{"message": "Đường ngập", "created_time": -math.inf}], None)
def test_records_of_odd_values_are_rows_or_named_row_errors(records, column_map):
    _read("posts.json", _dumps({"data": records}), column_map)


@fuzz(150)
@given(st.lists(st.lists(_scalar.map(lambda v: "" if v is None else str(v)), min_size=2,
                         max_size=5), min_size=1, max_size=6),
       st.sampled_from([",", ";", "\t"]))
def test_a_csv_export_is_rows_or_named_row_errors(body, delimiter):
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["Nội dung", "Thời gian", "Đường dẫn", "Tác giả", "Lượt tương tác"])
    writer.writerows(body)
    _read("posts.csv", out.getvalue().encode("utf-8-sig"))


def test_values_the_database_cannot_hold_are_named_row_errors():
    """Found by the properties above: 10**400 as a time raised OverflowError, ∞ reactions too,
    and "99999999999" reactions passed to a 32-bit column."""
    records = [
        {"message": "Một", "created_time": 10**400},
        {"message": "Hai", "reactions": math.inf},
        {"message": "Ba", "reactions": "99999999999"},
        {"message": "Bốn", "reactions": "2147483647"},
    ]
    sheet = read_sheet("posts.json", _dumps(records))
    columns, _ = columns_for(sheet.headers, None)
    rows, errors = parse_rows(sheet, columns, TZ)
    assert [row.reactions for row in rows] == [2_147_483_647]
    assert [e.split(":")[0] for e in errors] == ["Bản ghi 1", "Bản ghi 2", "Bản ghi 3"]
