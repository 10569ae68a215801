"""Open the generated DOCX again and check the layout of Hướng dẫn 36-HD/VPTW."""

import datetime as dt
import io

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
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
    assert label.text == "Nơi nhận:" and label.bold and label.italic
    recipient = one_run(opened, "- Lưu Văn phòng Đảng ủy.")
    assert recipient.font.size == Pt(12)
    assert right.paragraphs[0].text == "T/M BAN THƯỜNG VỤ"
    assert right.paragraphs[0].runs[0].bold
    assert right.paragraphs[1].text == "BÍ THƯ"
    assert right.paragraphs[-1].text == "Nguyễn Văn Hùng"
    assert right.paragraphs[-1].runs[0].bold


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
