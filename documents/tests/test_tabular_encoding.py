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


# --- single-byte files: Windows-1258 (Vietnamese) or a Western code page (issue 18, finding 6) --


def cp1258(text: str) -> bytes:
    """``text`` as Windows writes it in Windows-1258: â ê ô ơ ư ă đ precomposed, tones apart."""
    import unicodedata

    tones = {"\u0300", "\u0309", "\u0303", "\u0301", "\u0323"}
    out = ""
    for char in unicodedata.normalize("NFD", text):
        if char not in tones and unicodedata.combining(char) and out:
            out = out[:-1] + unicodedata.normalize("NFC", out[-1] + char)
        else:
            out += char
    return out.encode("cp1258")


def test_vietnamese_windows_1258_file_is_read():
    table = read_table("ds.csv", cp1258("Họ tên;Ghi chú\r\nNguyễn Văn Đức;Đường ở ngõ 5\r\n"))
    assert table.headers == ["Họ tên", "Ghi chú"]
    assert list(table.rows[0]) == ["Nguyễn Văn Đức", "Đường ở ngõ 5"]


@pytest.mark.parametrize("text", [
    "Name;Lokal;Anrede\r\nMüller;Café;Señor\r\n",
    "Nome;Città;Note\r\nJoão;São Paulo;Così così, più tardi\r\n",
])
def test_western_latin1_file_is_read_as_written(text):
    table = read_table("ds.csv", text.encode("latin-1"))
    rows = [table.headers] + [list(r) for r in table.rows]
    assert rows == [line.split(";") for line in text.strip().split("\r\n")]


def test_mixed_single_byte_file_is_refused_with_the_encodings_accepted():
    data = cp1258("Họ tên;Ghi chú\r\nNguyễn Văn Đức;") + "Così".encode("latin-1") + b"\r\n"
    with pytest.raises(TableError) as caught:
        read_table("ds.csv", data)
    message = caught.value.message
    assert "UTF-8" in message and "UTF-16" in message and "Windows-1258" in message
