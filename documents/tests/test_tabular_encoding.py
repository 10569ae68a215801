"""Excel's "Unicode Text" (UTF-16 with a BOM, tab-separated) is read, not refused as binary."""

import codecs

import pytest

from documents.tabular import TableError, read_table

TEXT = "Họ tên\tTổ dân phố\r\nNguyễn Văn Á\tTổ 3\r\nTrần Thị Bình\tTổ 5\r\n"


@pytest.mark.parametrize("bom, encoding", [
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
])
def test_utf16_unicode_text_is_read(bom, encoding):
    table = read_table("danh-sach.txt", bom + TEXT.encode(encoding))
    assert table.headers == ["Họ tên", "Tổ dân phố"]
    assert [list(row) for row in table.rows] == [
        ["Nguyễn Văn Á", "Tổ 3"], ["Trần Thị Bình", "Tổ 5"],
    ]


def test_binary_without_bom_is_still_refused():
    with pytest.raises(TableError, match="nhị phân"):
        read_table("x.csv", b"abc\x00\x01\x02def")
