"""Zip bombs and oversized sheets are refused before anything is parsed, fast and light."""

import io
import resource
import time
import zipfile

import pytest

from documents import tabular
from documents.archive import (
    MAX_ENTRIES,
    MAX_UNCOMPRESSED_BYTES,
    ArchiveError,
    check_archive,
)
from documents.tests.bombs import long_sheet, many_entries, zip_bomb


def peak_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


@pytest.fixture(scope="module")
def bomb() -> bytes:
    # A real workbook whose sheet is replaced by 200 MB of zeros (about 200 KB compressed).
    return zip_bomb(200, base=long_sheet(3))


def test_the_bomb_is_small_on_disk_and_huge_expanded(bomb):
    assert len(bomb) < 1024 * 1024
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert sum(i.file_size for i in archive.infolist()) > 200 * 1024 * 1024


def test_check_archive_refuses_the_bomb_by_its_ratio(bomb):
    with pytest.raises(ArchiveError) as caught:
        check_archive(bomb)
    assert "bom nén" in caught.value.message
    assert "xl/worksheets/sheet1.xml" in caught.value.message


def test_check_archive_refuses_too_much_data_even_at_a_sane_ratio():
    # 60 entries of 1 MB each: too small for their ratio to be judged, too much together.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for index in range(60):
            out.writestr(f"xl/worksheets/sheet{index}.xml", b"\0" * (1024 * 1024))
    with pytest.raises(ArchiveError) as caught:
        check_archive(buffer.getvalue())
    message = caught.value.message
    assert "60 MB" in message and f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB" in message


def test_check_archive_refuses_too_many_entries():
    with pytest.raises(ArchiveError) as caught:
        check_archive(many_entries(MAX_ENTRIES + 1))
    assert "1.001 thành phần" in caught.value.message and "1.000" in caught.value.message


def test_check_archive_accepts_an_ordinary_workbook():
    assert check_archive(long_sheet(100)) > 0


def test_read_table_refuses_the_bomb_fast_with_bounded_memory(bomb):
    before, started = peak_rss_kb(), time.perf_counter()
    with pytest.raises(tabular.TableError) as caught:
        tabular.read_table("y-kien.xlsx", bomb)
    elapsed = time.perf_counter() - started
    assert "bom nén" in caught.value.message
    assert elapsed < 1.0
    assert peak_rss_kb() - before < 50 * 1024  # less than 50 MB more at peak


def test_read_table_refuses_too_many_rows_naming_the_limit_and_the_count(monkeypatch):
    # A sheet that declares its size is refused from the declaration, before any row is read.
    monkeypatch.setattr(tabular, "MAX_ROWS", 2_000)
    data = long_sheet(3_005, write_only=False, header=("a", "b", "c"))
    started = time.perf_counter()
    with pytest.raises(tabular.TableError) as caught:
        tabular.read_table("y-kien.xlsx", data)
    assert time.perf_counter() - started < 0.5
    assert "3.005 dòng dữ liệu" in caught.value.message
    assert "giới hạn 2.000 dòng" in caught.value.message


def test_read_table_counts_rows_of_a_sheet_without_a_declared_size(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 2_000)
    data = long_sheet(3_005, header=("a", "b", "c"))
    with pytest.raises(tabular.TableError) as caught:
        tabular.read_table("y-kien.xlsx", data)
    # Counted before openpyxl parses the sheet (it would parse it whole to learn its size).
    assert "3.005 dòng dữ liệu, vượt giới hạn 2.000 dòng" in caught.value.message


def test_read_table_refuses_too_many_csv_rows():
    data = ("a,b\n" + "x,y\n" * (tabular.MAX_ROWS + 1)).encode()
    with pytest.raises(tabular.TableError) as caught:
        tabular.read_table("y-kien.csv", data)
    assert "vượt giới hạn 20.000 dòng" in caught.value.message


# --- sheets that do not declare their size (issue 16) ---------------------------------------------


def test_a_sheet_without_its_size_is_counted_before_openpyxl_parses_it():
    from documents.archive import ArchiveError, check_sheet_sizes
    from documents.tests.bombs import undeclared_sheet

    check_sheet_sizes(undeclared_sheet(500), max_rows=1_000, max_cells=10_000)  # within limits
    for data in (undeclared_sheet(2_000), undeclared_sheet(2_000, prefix="x:"),
                 undeclared_sheet(2_000, declared="A1:B2")):  # a size that lies is no escape
        with pytest.raises(ArchiveError, match="có 2.000 dòng dữ liệu, vượt giới hạn 999 dòng"):
            check_sheet_sizes(data, max_rows=1_000, max_cells=1_000_000, header_rows=1)
    with pytest.raises(ArchiveError, match="có 20.002 ô có dữ liệu, vượt giới hạn 10.000 ô"):
        check_sheet_sizes(undeclared_sheet(100, cells_per_row=200), max_rows=1_000,
                          max_cells=10_000)


def test_an_import_refuses_a_long_undeclared_sheet_and_reads_a_short_one():
    from documents.tabular import MAX_ROWS, TableError, read_table
    from documents.tests.bombs import undeclared_sheet

    with pytest.raises(TableError, match=f"vượt giới hạn {MAX_ROWS:,} dòng".replace(",", ".")):
        read_table("y-kien.xlsx", undeclared_sheet(MAX_ROWS + 5))
    table = read_table("y-kien.xlsx", undeclared_sheet(3))
    assert len(table.rows) == 3
