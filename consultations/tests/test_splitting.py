"""Splitting real-shaped drafts into chương / điều / khoản / điểm (pure: no database)."""

from __future__ import annotations

import io
import zipfile

import pytest

from consultations.splitting import DraftError, split_blocks, split_docx
from consultations.tests.drafts import docx_bytes, with_chapters, without_chapters


def _article(draft, number):
    return next(a for a in draft.articles if a.number == number)


def test_a_draft_with_chapters_is_split_as_written():
    draft = split_docx(docx_bytes(with_chapters()))
    assert [a.number for a in draft.articles] == ["1", "2", "3", "4", "5"]
    assert [(c.number, c.title) for c in draft.chapters] == [
        ("I", "QUY ĐỊNH CHUNG"), ("II", "TỔ CHỨC THỰC HIỆN")]
    assert [a.chapter for a in draft.articles] == ["I", "I", "I", "II", "II"]
    assert _article(draft, "1").title == "Phạm vi điều chỉnh"
    assert _article(draft, "4").title == "Mức thu phí sử dụng vỉa hè"


def test_an_article_without_clauses_keeps_its_paragraphs_in_text():
    draft = split_docx(docx_bytes(with_chapters()))
    first = _article(draft, "1")
    assert first.clauses == []
    assert first.text == ("Quy chế này quy định việc quản lý trật tự đô thị trên địa bàn phường.\n"
                          "Việc quản lý vỉa hè thực hiện theo quy định riêng của thành phố.")


def test_clauses_and_lettered_points_including_d_with_stroke():
    draft = split_docx(docx_bytes(with_chapters()))
    third = _article(draft, "3")
    assert [c.number for c in third.clauses] == ["1", "2", "3"]
    prohibited = third.clauses[1]
    assert prohibited.text == "Các hành vi bị nghiêm cấm:"
    assert [p.number for p in prohibited.points] == ["a", "b", "c", "d", "đ"]
    assert prohibited.points[4].text.startswith("Các hành vi khác")
    # a paragraph after the points continues the last one; a number inside a word is not khoản
    assert prohibited.points[4].text.endswith("Mức phạt 1.500.000 đồng đối với hành vi tại điểm a.")
    assert third.clauses[2].text == "Xử lý vi phạm kịp thời, đúng pháp luật."
    # the lead-in of an article with clauses
    assert _article(draft, "2").text == "Trong Quy chế này, các từ ngữ dưới đây được hiểu như sau:"


def test_a_table_inside_an_article_stays_in_its_clause_in_order():
    draft = split_docx(docx_bytes(with_chapters()))
    fee = _article(draft, "4").clauses[0]
    assert fee.text.splitlines() == [
        "Mức thu phí theo bảng sau:",
        "Loại đường | Mức thu (đồng/m²/tháng)",
        "Đường loại 1 | 50.000",
        "Đường loại 2 | 30.000",
        "Mức thu được điều chỉnh hằng năm.",
    ]
    # "Mục 1" and its title are headings, not the text of Điều 3
    assert "TRÁCH NHIỆM" not in _article(draft, "3").clauses[2].text


def test_the_heading_bases_and_signature_are_not_articles_text():
    draft = split_docx(docx_bytes(with_chapters()))
    last = _article(draft, "5")
    assert last.text == "Quyết định này có hiệu lực kể từ ngày 01 tháng 01 năm 2027."
    everything = str(draft.as_dict())
    assert "Căn cứ" not in everything and "Nguyễn Văn A" not in everything
    assert "Nơi nhận" not in everything and "CHÍNH PHỦ" not in everything


def test_a_draft_without_chapters():
    draft = split_docx(docx_bytes(without_chapters(4)))
    assert [a.number for a in draft.articles] == ["1", "2", "3", "4"]
    assert all(a.chapter is None for a in draft.articles) and draft.chapters == []
    assert [[p.number for p in c.points] for c in draft.articles[0].clauses] == [[], ["a", "b"]]


def test_numbering_is_believed_only_in_sequence():
    draft = split_blocks([
        "Điều 1. Sửa đổi",
        "1. Sửa đổi khoản 2 như sau:",
        "3. Khoản này được trích dẫn, không phải khoản 2.",
        "2. Khoản hai thật.",
        "c) không phải điểm a.",
        "a) Điểm a.",
        "Điều 5 của Luật này không phải tiêu đề điều.",
    ])
    (article,) = draft.articles
    assert [c.number for c in article.clauses] == ["1", "2"]
    assert "3. Khoản này" in article.clauses[0].text
    assert "c) không phải" in article.clauses[1].text
    assert [p.number for p in article.clauses[1].points] == ["a"]
    assert "Điều 5 của Luật" in article.clauses[1].points[0].text


def test_variants_of_writing_headings():
    draft = split_blocks([
        "CHƯƠNG 1: NHỮNG QUY ĐỊNH CHUNG",
        "\u00d0iều 1 . Phạm vi",  # "Ð" of the old fonts, a space before the dot
        "Nội dung.",
        "Chương II quy định về tổ chức (một câu, không phải tiêu đề chương)",
        "ĐIỀU 2: ĐỐI TƯỢNG ÁP DỤNG",
        "Điều 3.",
        "Nội dung điều 3.",
    ])
    assert [(a.number, a.title, a.chapter) for a in draft.articles] == [
        ("1", "Phạm vi", "1"), ("2", "ĐỐI TƯỢNG ÁP DỤNG", "1"), ("3", "", "1")]
    assert "Chương II quy định" in draft.articles[0].text


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "rỗng"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "Word 97–2003"),
        ("Điều 1. Không phải docx".encode(), "không phải tệp Word"),
        (b"PK\x03\x04" + b"\0" * 50, "hỏng"),
    ],
)
def test_files_that_are_not_drafts_are_refused_in_vietnamese(data, words):
    with pytest.raises(DraftError) as caught:
        split_docx(data)
    assert words in caught.value.message


def test_a_zip_that_is_not_a_word_file_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    with pytest.raises(DraftError, match="hỏng hoặc không phải văn bản Word"):
        split_docx(buffer.getvalue())


def test_a_zip_bomb_is_refused_before_parsing():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (60 * 1024 * 1024))
    with pytest.raises(DraftError, match="bom nén|vượt giới hạn"):
        split_docx(buffer.getvalue())


def test_a_draft_without_any_article_is_refused():
    with pytest.raises(DraftError, match="Không tìm thấy điều nào"):
        split_docx(docx_bytes(["Tờ trình về dự thảo", "Nội dung không chia điều."]))


def test_an_article_number_twice_is_refused():
    with pytest.raises(DraftError, match="Điều 2 xuất hiện hai lần"):
        split_blocks(["Điều 1. A", "Điều 2. B", "Điều 2. C"])
