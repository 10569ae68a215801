"""Open the generated DOCX again and check the layout of Hướng dẫn 36-HD/VPTW."""

import datetime as dt
import io

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from documents.docx_layout import (
    DocSection,
    DocTable,
    PartyDocument,
    date_line,
    number_line,
    render_docx,
)
from documents.docx_widths import TEXT_WIDTH_MM, column_widths, text_mm


def sample(**overrides) -> PartyDocument:
    values = dict(
        superior_body="ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG",
        issuing_body="ĐẢNG ỦY PHƯỜNG HÒA BÌNH",
        number="12",
        place="Hòa Bình",
        date=dt.date(2026, 11, 27),
        title="Tình hình tư tưởng và dư luận xã hội tháng 11/2025",
        sections=[
            DocSection("I. TÌNH HÌNH TƯ TƯỞNG", "Nhân dân phấn khởi.\nĐời sống ổn định."),
            DocSection(
                "II. DƯ LUẬN NỔI BẬT",
                "Dư luận nổi bật: 12/55 đơn vị phản ánh về Môi trường, chủ yếu bức xúc.",
                [DocTable("Luồng ý kiến theo lĩnh vực", ["STT", "Lĩnh vực", "Số đơn vị"],
                          [[1, "Môi trường", 12], [2, "Y tế", 3]])],
            ),
        ],
        recipients=["- Ban Thường vụ Thành ủy (để báo cáo),", "- Lưu Văn phòng Đảng ủy."],
        signer_title="BÍ THƯ",
        signer_name="Nguyễn Văn Hùng",
    )
    values.update(overrides)
    return PartyDocument(**values)


@pytest.fixture
def opened():
    buffer = io.BytesIO()
    render_docx(sample(), buffer)
    buffer.seek(0)
    return docx.Document(buffer)


def runs_with(document, text):
    """Every run in body paragraphs and table cells whose text equals ``text``."""
    found = []
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += cell.paragraphs
    for paragraph in paragraphs:
        found += [run for run in paragraph.runs if run.text == text]
    return found


def one_run(document, text):
    runs = runs_with(document, text)
    assert runs, f"không thấy '{text}' trong văn bản"
    return runs[0]


def test_page_is_a4_with_the_prescribed_margins(opened):
    section = opened.sections[0]
    assert section.page_width.mm == pytest.approx(210, abs=0.1)
    assert section.page_height.mm == pytest.approx(297, abs=0.1)
    assert section.top_margin.mm == pytest.approx(20, abs=0.1)
    assert section.bottom_margin.mm == pytest.approx(20, abs=0.1)
    assert section.left_margin.mm == pytest.approx(30, abs=0.1)
    assert section.right_margin.mm == pytest.approx(15, abs=0.1)


def test_times_new_roman_on_every_run_and_style_in_every_script_slot(opened):
    body = opened.element.body
    runs = body.iter(qn("w:r"))
    count = 0
    for run in runs:
        if not run.findall(qn("w:t")):
            continue
        fonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            assert fonts.get(qn(slot)) == "Times New Roman"
        count += 1
    assert count > 20
    normal = opened.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    for style in opened.styles:
        if style.type == WD_STYLE_TYPE.LIST:
            continue
        fonts = style.element.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == "Times New Roman", style.name
        assert fonts.get(qn("w:asciiTheme")) is None, style.name
    defaults = opened.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert defaults.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:ascii")) == "Times New Roman"


def test_body_text_is_13_to_14_points(opened):
    run = one_run(opened, "Nhân dân phấn khởi.")
    assert Pt(13) <= run.font.size <= Pt(14)


def test_header_block_is_a_borderless_two_column_table(opened):
    header = opened.tables[0]
    left, right = header.rows[0].cells
    assert [p.text for p in left.paragraphs] == [
        "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG", "ĐẢNG ỦY PHƯỜNG HÒA BÌNH", "*", "Số 12-BC/ĐU"
    ]
    assert right.paragraphs[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert right.paragraphs[-1].text == "Hòa Bình, ngày 27 tháng 11 năm 2026"
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}


def test_header_emphasis(opened):
    issuing = one_run(opened, "ĐẢNG ỦY PHƯỜNG HÒA BÌNH")
    assert issuing.bold
    superior = one_run(opened, "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG")
    assert not superior.bold
    party = one_run(opened, "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert party.bold and party.underline
    date = one_run(opened, "Hòa Bình, ngày 27 tháng 11 năm 2026")
    assert date.italic and not date.bold


def test_document_type_and_title_bold_and_centered(opened):
    texts = [p.text for p in opened.paragraphs]
    kind = opened.paragraphs[texts.index("BÁO CÁO")]
    title = opened.paragraphs[texts.index("Tình hình tư tưởng và dư luận xã hội tháng 11/2025")]
    for paragraph in (kind, title):
        assert paragraph.alignment == 1  # WD_ALIGN_PARAGRAPH.CENTER
        assert all(run.bold for run in paragraph.runs)
    assert texts.index("BÁO CÁO") < texts.index("I. TÌNH HÌNH TƯ TƯỞNG")


def test_data_tables_have_borders_and_bold_headers(opened):
    table = opened.tables[1]
    assert [c.text for c in table.rows[0].cells] == ["STT", "Lĩnh vực", "Số đơn vị"]
    assert [c.text for c in table.rows[1].cells] == ["1", "Môi trường", "12"]
    assert all(run.bold for c in table.rows[0].cells for run in c.paragraphs[0].runs)
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"single"}


def test_recipients_bottom_left_and_signature_bottom_right(opened):
    closing = opened.tables[-1]
    left, right = closing.rows[0].cells
    label = left.paragraphs[0].runs[0]
    # Party documents underline "Nơi nhận:", upright 14 pt (bold italics are the State style).
    assert label.text == "Nơi nhận:" and label.underline
    assert not label.bold and not label.italic and label.font.size == Pt(14)
    recipient = one_run(opened, "- Lưu Văn phòng Đảng ủy.")
    assert recipient.font.size == Pt(12)
    assert right.paragraphs[0].text == "T/M BAN THƯỜNG VỤ"
    assert right.paragraphs[0].runs[0].bold
    assert right.paragraphs[1].text == "BÍ THƯ"
    assert not right.paragraphs[1].runs[0].bold  # the office held: upright, not bold
    assert right.paragraphs[-1].text == "Nguyễn Văn Hùng"
    assert right.paragraphs[-1].runs[0].bold
    assert right.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_blank_number_leaves_room_to_write_it(tmp_path):
    path = tmp_path / "bao-cao.docx"
    render_docx(sample(number=""), path)
    document = docx.Document(str(path))
    assert document.tables[0].rows[0].cells[0].paragraphs[-1].text == "Số     -BC/ĐU"


def test_number_and_date_lines():
    assert number_line("12") == "Số 12-BC/ĐU"
    assert number_line("Số 12-BC/ĐU") == "Số 12-BC/ĐU"
    assert number_line("  ") == "Số     -BC/ĐU"
    assert date_line("Hòa Bình", dt.date(2026, 1, 5)) == "Hòa Bình, ngày 05 tháng 01 năm 2026"


# --- what the visual check of a 55-unit report found -------------------------------------------

UNITS = [f"Chi bộ Tổ dân phố {i}" for i in range(1, 56)]
WIDE = DocTable(
    "Luồng ý kiến theo lĩnh vực và thái độ",
    ["STT", "Lĩnh vực", "Số đơn vị phản ánh", "Số luồng ý kiến", "Đồng tình", "Băn khoăn",
     "Bức xúc", "Phản đối", "Tiềm ẩn"],
    [[1, "Mặt trận Tổ quốc và các tổ chức chính trị - xã hội", 23, 28, 4, 12, 6, 6, 6],
     [2, "Quốc phòng - an ninh", 17, 21, 3, 10, 5, 3, 2]],
)
RATES = DocTable(
    "Tình hình nộp báo cáo",
    ["Kỳ", "Phải nộp", "Đã nộp", "Đúng hạn", "Muộn", "Bị trả lại", "Chưa nộp", "Tỷ lệ nộp",
     "Tỷ lệ đúng hạn"],
    [["Tháng 11/2025", 55, 42, 39, 3, 6, 7, "76,4%", "70,9%"]],
)
UNIT_TABLE = DocTable("Tình hình nộp báo cáo của từng đơn vị", ["STT", "Đơn vị", "Tình trạng"],
                      [[i, name, "Nộp đúng hạn"] for i, name in enumerate(UNITS, start=1)])


def grid_mm(table) -> list[float]:
    return [col.w.mm for col in table._tbl.tblGrid.gridCol_lst]


@pytest.fixture
def report_55():
    document = sample(sections=[
        DocSection("II. DƯ LUẬN NỔI BẬT", "Dư luận nổi bật.", [WIDE]),
        DocSection("V. TÌNH HÌNH NỘP BÁO CÁO", "55 đơn vị.", [RATES, UNIT_TABLE]),
    ])
    buffer = io.BytesIO(render_docx(document))
    return docx.Document(buffer)


def test_every_table_fits_between_the_margins(report_55):
    # 210 mm less 30 + 15 mm of margins: a wider table runs off the page on print.
    assert TEXT_WIDTH_MM == 165
    for table in report_55.tables:
        assert sum(grid_mm(table)) <= 165.1
        width = table._tbl.tblPr.find(qn("w:tblW"))
        assert width.get(qn("w:type")) == "dxa"
        assert int(width.get(qn("w:w"))) / 56.7 <= 165.1  # twips to mm
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_data_tables_span_the_text_block(report_55):
    for table in report_55.tables[1:-1]:
        assert sum(grid_mm(table)) == pytest.approx(165, abs=0.5)


def test_given_widths_wider_than_the_page_are_scaled_down():
    document = sample(sections=[DocSection("I. BẢNG", "", [
        DocTable("Bảng rộng", ["A", "B"], [["x", "y"]], widths_mm=[150, 150])
    ])])
    table = docx.Document(io.BytesIO(render_docx(document))).tables[1]
    assert grid_mm(table) == pytest.approx([82.5, 82.5], abs=0.2)


def test_columns_follow_their_content_not_equal_shares(report_55):
    topics, rates, units = report_55.tables[1:4]
    stt, topic, *numbers = grid_mm(topics)
    # Equal shares gave "STT" as much room as the topic names, which then broke every few words.
    assert stt < 17 and topic > 35
    assert topic > max(numbers)
    number, unit, status = grid_mm(units)
    assert number < unit and number < status
    assert unit >= text_mm("Chi bộ Tổ dân phố 55") + 4


def test_no_header_word_is_narrower_than_its_column(report_55):
    """A column is at least as wide as its longest header word: "Muộn" no longer breaks as
    "Muộ/n", nor "STT" as "ST/T" (seen in LibreOffice before)."""
    for table in report_55.tables[1:-1]:
        for cell, width in zip(table.rows[0].cells, grid_mm(table), strict=True):
            longest = max(text_mm(word, bold=True) for word in cell.text.split())
            assert width >= longest + 3.8, cell.text


def test_column_widths_when_nothing_fits_on_one_line():
    widths = column_widths(["STT", "Nội dung"], [[1, "Nhân dân đề nghị sửa đường. " * 30]])
    assert sum(widths) == pytest.approx(TEXT_WIDTH_MM)
    assert widths[0] < 20
    assert column_widths([], []) == []


def test_rates_and_counts_centred_words_left(report_55):
    rates = report_55.tables[2]
    cells = rates.rows[1].cells
    assert cells[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT  # "Tháng 11/2025"
    assert cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER  # 55
    assert cells[7].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER  # "76,4%"


def test_long_tables_repeat_their_header_and_keep_rows_whole(report_55):
    units = report_55.tables[3]
    assert len(units.rows) == 56
    header = units.rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None
    for row in units.rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None


def test_headings_and_captions_stay_with_what_follows(report_55):
    texts = {p.text: p for p in report_55.paragraphs}
    for text in ("BÁO CÁO", "II. DƯ LUẬN NỔI BẬT", "Luồng ý kiến theo lĩnh vực và thái độ",
                 "Tình hình nộp báo cáo của từng đơn vị"):
        assert texts[text].paragraph_format.keep_with_next, text


def test_body_paragraphs_justified_indented_and_spaced(opened):
    texts = {p.text: p for p in opened.paragraphs}
    body = texts["Nhân dân phấn khởi."]
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body.paragraph_format.first_line_indent.mm == pytest.approx(10, abs=0.1)
    assert body.paragraph_format.space_after >= Pt(6)


def test_header_block_column_holds_the_superior_body_on_one_line(opened):
    left, right = grid_mm(opened.tables[0])
    assert left + right == pytest.approx(165, abs=0.2)
    # Estimated at 14 pt (the table estimate is for 12 pt): it broke before "PHÒNG" at 75 mm.
    assert left >= text_mm("ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG") * 14 / 12
    assert right >= 75  # the 15 pt bold title measures about 73 mm in the rendered page
    margins = opened.tables[0]._tbl.tblPr.find(qn("w:tblCellMar"))
    assert {edge.get(qn("w:w")) for edge in margins} == {"0"}


def test_wrapped_recipient_hangs_under_its_text(opened):
    recipient = one_run(opened, "- Ban Thường vụ Thành ủy (để báo cáo),")
    fmt = recipient._parent.paragraph_format
    assert fmt.left_indent.mm > 0
    assert fmt.first_line_indent.mm == pytest.approx(-fmt.left_indent.mm)


def test_annex_after_the_signature_on_a_new_page_with_rows_that_may_split():
    text = "Câu thứ nhất của chi bộ. " * 200
    data = sample(annex=[DocSection("TOÀN VĂN BÁO CÁO CỦA CÁC ĐƠN VỊ", "(Kèm theo Báo cáo)", [
        DocTable("", ["STT", "Đơn vị", "Nội dung"], [[1, "Chi bộ 1", text]], split_rows=True),
    ])])
    document = docx.Document(io.BytesIO(render_docx(data)))
    texts = [p.text for p in document.paragraphs]
    at = texts.index("PHỤ LỤC")
    assert document.paragraphs[at].paragraph_format.page_break_before
    assert texts[at + 1] == "TOÀN VĂN BÁO CÁO CỦA CÁC ĐƠN VỊ"
    # The signature block comes before the annex, the annex table last.
    closing, annex = document.tables[-2], document.tables[-1]
    assert "Nơi nhận:" in closing.rows[0].cells[0].text
    assert annex.rows[1].cells[2].text == text
    assert annex.rows[1]._tr.trPr is None or annex.rows[1]._tr.trPr.find(qn("w:cantSplit")) is None
    assert annex.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
