"""Properties of the survey response import (issue 10, "faults survived").

Any CSV or XLSX table uploaded as responses of the standard questionnaire either stores each
valid row as one response and names every other by row and column in Vietnamese, or is refused
whole with a Vietnamese ServiceError and nothing stored — never another exception (huge
integers, "nan", impossible dates, superscript digits, control characters, long ids).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core.errors import ServiceError
from core.models import AuditEntry
from core.tests.fuzzing import assert_vietnamese, fuzz
from odk import openrosa
from surveys.collect.imports import _import_value, _RowError, import_responses
from surveys.models import Response

pytestmark = pytest.mark.django_db

REQUIRED = ["khu_vuc", "gioi_tinh", "nhom_tuoi", "hai_long_chung"]
OPTIONAL = ["so_nhan_khau", "ngay_phong_van", "y_kien_khac", "van_de", "instanceID",
            "_submission_time", "meta/instanceID", "dong_y_1"]

_odd = st.sampled_from([
    "", " ", "to_1", "Tổ dân phố 2", "nam", "Nữ", "18_29", "60+", "hai_long", "Rất hài lòng",
    "rac_thai giao_thong", "3", "-0", "+7", "²", "٣", "１２", "9" * 5000, "1e309", "nan", "inf",
    "-inf", "1_000", "3,5", "31/02/2025", "0001-01-01", "9999-12-31", "29/02/2024", "=1+1",
    "uuid:x", "uuid:" + "x" * 150, "a\tb", "\x01\x02", "SĐT 0912345678", "khac other",
])
_cell = st.one_of(_odd, st.text(max_size=12))
_header = st.one_of(st.sampled_from(REQUIRED + OPTIONAL), st.text(max_size=6))


def _csv(headers: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _check(survey, user, name: str, data: bytes) -> None:
    before = Response.objects.count(), AuditEntry.objects.count()
    try:
        report = import_responses(survey=survey, user=user, file_name=name, data=data)
    except ServiceError as exc:
        assert_vietnamese(exc.message)
        assert (Response.objects.count(), AuditEntry.objects.count()) == before
        return
    assert Response.objects.count() == before[0] + report.created
    for error in report.errors:
        assert error["row"] >= 2 and error["column"]
        assert_vietnamese(error["message"])
    for response in Response.objects.order_by("-id")[: report.created]:
        assert set(response.data) <= set(REQUIRED + OPTIONAL)
        assert len(response.instance_id) <= 100


@fuzz(80, db=True)
@given(st.lists(_header, max_size=4, unique=True),
       st.lists(st.lists(_cell, min_size=12, max_size=12), min_size=1, max_size=4))
@example(["so_nhan_khau"], [["to_1", "nam", "18_29", "hai_long", "9" * 5000] + [""] * 7])
@example(["so_nhan_khau"], [["to_1", "nam", "18_29", "hai_long", "²"] + [""] * 7])
@example(["instanceID"], [["to_1", "nam", "18_29", "hai_long", "uuid:" + "x" * 150] + [""] * 7])
def test_any_csv_stores_valid_rows_and_names_the_others(open_survey, survey_areas, vanphong,
                                                        extra, rows):
    headers = REQUIRED + [h for h in extra if h not in REQUIRED]
    _check(open_survey, vanphong, "phieu.csv",
           _csv(headers, [row[: len(headers)] for row in rows]))


_typed = st.one_of(
    _cell.map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text)),  # what a worksheet can hold
    st.integers(-(10 ** 20), 10 ** 20), st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1)), st.booleans(), st.none(),
)


@fuzz(40, db=True)
@given(st.lists(st.lists(_typed, min_size=7, max_size=7), min_size=1, max_size=3))
@example([["to_1", "nam", "18_29", "hai_long", 10 ** 19, dt.date(2026, 1, 1), True]])
@example([["to_1", "nam", "18_29", "hai_long", 2.5, dt.datetime(1900, 1, 1), None]])
def test_any_typed_xlsx_stores_valid_rows_and_names_the_others(open_survey, survey_areas,
                                                               vanphong, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(REQUIRED + ["so_nhan_khau", "ngay_phong_van", "y_kien_khac"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    _check(open_survey, vanphong, "phieu.xlsx", buffer.getvalue())


# --- escapes found, pinned ---------------------------------------------------------------------


def _field(kind: str) -> openrosa.Field:
    return openrosa.Field(path=f"q_{kind}", name=f"q_{kind}", kind=kind)


@pytest.mark.parametrize("kind, cell, words", [
    ("integer", "9" * 5000, "không phải số nguyên"),  # int() refused past 4,300 digits: 500
    ("integer", "2147483648", "vượt giới hạn số nguyên"),
    ("integer", 10 ** 19, "vượt giới hạn số nguyên"),
    ("integer", "²", "không phải số nguyên"),
    ("decimal", "nan", "không phải số hữu hạn"),
    ("decimal", "1e309", "không phải số hữu hạn"),
])
def test_a_number_odk_cannot_hold_is_a_row_error(kind, cell, words):
    with pytest.raises(_RowError) as caught:
        _import_value(_field(kind), cell, "cot")
    assert words in caught.value.message and len(caught.value.message) < 200


def test_integers_in_range_are_kept():
    assert _import_value(_field("integer"), "-2147483648", "cot") == "-2147483648"
    assert _import_value(_field("integer"), 12.0, "cot") == "12"
    assert _import_value(_field("decimal"), "3,5", "cot") == "3.5"


def test_an_instance_id_longer_than_odk_keeps_is_a_row_error(open_survey, survey_areas,
                                                              vanphong):
    data = _csv(REQUIRED + ["instanceID"], [["to_1", "nam", "18_29", "hai_long", "u" * 101],
                                            ["to_1", "nam", "18_29", "hai_long", "u" * 100]])
    report = import_responses(survey=open_survey, user=vanphong, file_name="p.csv", data=data)
    assert report.created == 1
    assert [(e["row"], e["column"]) for e in report.errors] == [(2, "instanceID")]
    assert Response.objects.get().instance_id == "u" * 100
