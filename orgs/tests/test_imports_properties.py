"""Properties of the units and collaborators imports at the service level (issue 10): any file
either creates every row or nothing at all (the counts of units, collaborators and audit entries
unchanged), and every refusal is Vietnamese: a file error, or one error per row naming the row
("Dòng 4, cột Loại: …") within the file's rows."""

from __future__ import annotations

import csv
import io
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from core.models import AuditEntry
from core.tests.fuzzing import assert_vietnamese, fuzz
from orgs import imports
from orgs.models import Collaborator, OrgUnit

pytestmark = pytest.mark.django_db

UNIT_HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Ngày thành lập"]
COLLABORATOR_HEADER = ["Họ và tên", "Mã đơn vị", "Từ ngày", "Đến ngày", "Tổ dân phố",
                       "Lĩnh vực", "Mức phụ cấp", "Kỳ chi trả", "Thư điện tử"]

_junk = st.one_of(st.text(max_size=12), st.sampled_from(["=1+1", "@x", "\ufeff", " ", ""]))
_codes = st.one_of(st.sampled_from(["dang-uy", "chi-bo-1", "chi-bo-2", "moi-1", "moi-2",
                                    "Mới 3", "a" * 41]), _junk)
_kinds = st.one_of(st.sampled_from(["Chi bộ", "chi_bo", "Đảng bộ trực thuộc", "UBND", "Tổ"]),
                   _junk)
_dates = st.one_of(st.sampled_from(["01/07/2025", "31/02/2025", "2025-07-01", "0/0/0000",
                                    "99/99/9999", "01.07.2025", "١٢/٠٧/٢٠٢٥"]), _junk)
_unit_rows = st.lists(st.tuples(_codes, st.one_of(st.just("Chi bộ mới"), _junk), _kinds,
                                _codes, _dates).map(list), min_size=1, max_size=5)
_collaborator_rows = st.lists(
    st.tuples(st.one_of(st.just("Trần Thị Mai"), _junk), _codes, _dates, _dates,
              st.one_of(st.just("Tổ dân phố 1"), st.just("Tổ dân phố 1; không có"), _junk),
              st.one_of(st.just("Môi trường"), _junk),
              st.one_of(st.sampled_from(["500.000", "1,5", "-3", "500.000đ", "9" * 30]), _junk),
              st.one_of(st.sampled_from(["Hằng tháng", "quý"]), _junk),
              st.one_of(st.just("mai@example.vn"), _junk)).map(list),
    min_size=1, max_size=4)


def _csv(header: list[str], rows: list[list[str]], delimiter: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows([header, *rows])
    return out.getvalue().encode("utf-8-sig")


def _counts() -> tuple[int, int, int]:
    return OrgUnit.objects.count(), Collaborator.objects.count(), AuditEntry.objects.count()


def _check(result: imports.ImportResult, before: tuple[int, int, int], rows: int,
           model) -> None:
    after = _counts()
    if result.ok:
        assert result.created == rows
        grown = after[0] - before[0] if model is OrgUnit else after[1] - before[1]
        assert grown == rows and after[2] > before[2]  # audited
        return
    assert result.created == 0
    assert after == before  # nothing half-written
    assert result.file_error or result.errors  # a refusal says why
    if result.file_error:
        assert_vietnamese(result.file_error)
    for error in result.errors:
        line = str(error)
        assert re.match(r"^Dòng \d+(, cột [^:]+)?: ", line), line
        assert 2 <= error.row <= rows + 1
        assert_vietnamese(line)


@fuzz(60, db=True)
@given(_unit_rows, st.sampled_from([",", ";"]), st.booleans())
@example([["moi-1", "Chi bộ mới", "Chi bộ", "dang-uy", "01/07/2025"]], ",", False)
@example([["moi-1", "Chi bộ mới", "Chi bộ", "dang-uy", "31/02/2025"],
          ["moi-2", "Chi bộ hai", "Chi bộ", "moi-1", ""]], ";", False)
def test_a_units_file_is_all_imported_or_nothing_with_rows_named(vanphong, ward, cell_a,
                                                                 rows, delimiter, broken):
    data = _csv(UNIT_HEADER, rows, delimiter)
    if broken:
        data = data[: len(data) // 2]
    before = _counts()
    result = imports.import_units(actor=vanphong, file_name="don-vi.csv", data=data)
    written = [r for r in rows if any(c.strip() for c in r)]
    _check(result, before, len(written), OrgUnit)


@fuzz(50, db=True)
@given(_collaborator_rows, st.sampled_from([",", ";", "\t"]))
@example([["Trần Thị Mai", "chi-bo-1", "01/10/2025", "", "Tổ dân phố 1", "Môi trường",
           "500.000", "Hằng tháng", "mai@example.vn"]], ",")
@example([["Lê Văn Hùng", "chi-bo-1", "01/10/2025", "", "Tổ dân phố 1", "Môi trường",
           "9" * 30, "Hằng tháng", "mai@example.vn"]], ",")  # past a 32-bit column
def test_a_collaborators_file_is_all_imported_or_nothing(vanphong, cell_a, area_1, rows,
                                                          delimiter):
    before = _counts()
    result = imports.import_collaborators(actor=vanphong, file_name="ctv.csv",
                                          data=_csv(COLLABORATOR_HEADER, rows, delimiter))
    written = [r for r in rows if any(c.strip() for c in r)]
    _check(result, before, len(written), Collaborator)


@fuzz(60, db=True)
@given(st.binary(max_size=300), st.sampled_from(["x.csv", "x.xlsx", "x.xls", "x"]))
def test_any_bytes_refused_write_nothing(vanphong, ward, data, name):
    before = _counts()
    result = imports.import_units(actor=vanphong, file_name=name, data=data)
    assert not result.ok  # random bytes have no "Mã đơn vị" column
    assert _counts() == before
    assert_vietnamese(result.file_error or str(result.errors[0]))
