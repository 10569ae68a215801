"""Reading response tables, margins and weights files: what is accepted, where refusals point."""

from __future__ import annotations

import numpy as np
import pytest

from surveystats import (
    TableError,
    read_margins,
    read_response_table,
    read_weights,
    write_weights,
)


def _write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_excel_csv_with_bom_semicolons_and_a_multiline_answer(tmp_path):
    path = _write(tmp_path, "r.csv",
                  "\ufeffid;gioi_tinh;y_kien\r\n1;Nam;\"Đồng ý\r\nvì lý do\"\r\n\r\n2;Nữ;Không\r\n")
    table = read_response_table(path)
    assert table.header == ["id", "gioi_tinh", "y_kien"]
    assert table.columns["y_kien"] == ["Đồng ý\r\nvì lý do", "Không"]
    assert table.lines == [2, 5]  # the blank line 4 is skipped, line numbers are physical
    assert table.n_rows == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "Tệp r.csv, dòng 1: tệp trống"),
        ("a,,c\n1,2,3\n", "Tệp r.csv, dòng 1: cột thứ 2 của dòng tiêu đề không có tên"),
        ("a,b,a\n", "Tệp r.csv, dòng 1, cột “a”: tên cột “a” xuất hiện hai lần"),
        ("a,b\n1,2\n3\n", "Tệp r.csv, dòng 3: có 1 ô nhưng dòng tiêu đề có 2 cột"),
        ("a,b\n1,2\n\"3,4\n5,6\n", "Tệp r.csv, dòng 3: không đọc được dòng CSV (dấu nháy"),
        ("a,b\n\"1\"x,2\n", "Tệp r.csv, dòng 2: không đọc được dòng CSV (sau dấu nháy"),
    ],
)
def test_malformed_tables_name_the_line(tmp_path, text, expected):
    with pytest.raises(TableError) as error:
        read_response_table(_write(tmp_path, "r.csv", text))
    assert str(error.value).startswith(expected)


def test_non_utf8_names_the_line(tmp_path):
    path = _write(tmp_path, "r.csv", "a,b\n1,2\nHé,3\n", encoding="latin-1")
    with pytest.raises(TableError, match="dòng 3: tệp không phải văn bản UTF-8"):
        read_response_table(path)


def test_missing_file(tmp_path):
    with pytest.raises(TableError, match="Tệp khong-co.csv: không tìm thấy tệp"):
        read_response_table(tmp_path / "khong-co.csv")


def test_margins(tmp_path):
    path = _write(tmp_path, "m.json", '{"gioi_tinh": {"Nam": 5300, "Nữ": 5700.5}}')
    assert read_margins(path).margins == {"gioi_tinh": {"Nam": 5300.0, "Nữ": 5700.5}}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": {"x": 1,}}', "Tệp m.json, dòng 1: JSON không hợp lệ ở ký tự thứ 15"),
        ('{\n "a": {"x": 1},\n "b": {\n   "u": 0\n }\n}',
         "Tệp m.json, dòng 4: dân số của nhóm “u” (biến “b”) phải là một số dương, đang là 0"),
        ('{"a": {"x": true}}', "đang là true"),
        ('{"a": {"x": 1, "x": 2}}', "Tệp m.json: khóa “x” xuất hiện hai lần"),
        ('[1, 2]', "Tệp m.json, dòng 1: nội dung phải là một đối tượng JSON"),
        ('{\n"a": []}', "Tệp m.json, dòng 2: biên của biến “a”"),
        ('{"a": {"x": ' + "9" * 5000 + "}}", "Tệp m.json: có một số quá lớn"),
    ],
)
def test_malformed_margins(tmp_path, text, expected):
    with pytest.raises(TableError) as error:
        read_margins(_write(tmp_path, "m.json", text))
    assert expected in str(error.value)


def test_weights_round_trip_keeps_every_digit(tmp_path):
    weights = np.array([1 / 3, 2 / 7, 1e-9 + 5])
    path = tmp_path / "w.csv"
    write_weights(path, ["a1", "a2", "a3"], weights, id_column="ma")
    read = read_weights(path)
    assert read.id_column == "ma" and read.ids == ["a1", "a2", "a3"]
    np.testing.assert_array_equal(read.weights, weights)


def test_weights_file_writes_formula_ids_as_text_and_reads_them_back(tmp_path):
    path = tmp_path / "w.csv"
    ids = ["=HYPERLINK(\"http://x\")", "-7", "a3"]
    write_weights(path, ids, np.array([1.0, 2.0, 3.0]), id_column="ma")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("\"'=HYPERLINK(") and lines[2] == "'-7,2"
    assert read_weights(path).ids == ids


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("row,weight\n1,1\n2,abc\n", "dòng 3, cột “weight”: “abc” không phải là số"),
        ("row,weight\n1,1\n2,-1\n", "dòng 3, cột “weight”: trọng số phải là số không âm"),
        ("row,weight\n1,1\n1,2\n", "dòng 3, cột “row”: mã “1” đã có ở dòng 2"),
        ("row,trong_so\n1,1\n", "không có cột “weight”"),
        ("a,b,weight\n1,2,3\n", "phải có đúng hai cột"),
    ],
)
def test_malformed_weights(tmp_path, text, expected):
    with pytest.raises(TableError) as error:
        read_weights(_write(tmp_path, "w.csv", text))
    assert expected in str(error.value)
