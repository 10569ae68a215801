"""Page numbers, the signature kept with the text before it, no blank last page, the file's own
properties (issue 17), in the XML and as LibreOffice lays the pages out."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from documents.docx_layout import KEEP_BEFORE_SIGNATURE, DocSection, DocTable, render_docx
from documents.tests.test_docx_layout import sample

LINE = "Nhân dân trên địa bàn phấn khởi trước kết quả phát triển kinh tế, đời sống ổn định."


def _opened(data) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(data)))


def test_core_properties_are_the_documents_own():
    made = dt.datetime(2026, 12, 27, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    props = _opened(sample(generated_at=made)).core_properties
    assert props.title == "Tình hình tư tưởng và dư luận xã hội tháng 11/2025"
    assert props.author == "ĐẢNG ỦY PHƯỜNG HÒA BÌNH"
    assert props.last_modified_by == "ĐẢNG ỦY PHƯỜNG HÒA BÌNH"
    # Stored in UTC: 09:30 in Hà Nội is 02:30 UTC.
    assert props.created.replace(tzinfo=None) == dt.datetime(2026, 12, 27, 2, 30)
    assert props.modified == props.created
    assert props.revision == 1 and "python-docx" not in (props.comments + props.author)


def test_core_properties_default_to_now():
    before = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    created = _opened(sample()).core_properties.created.replace(tzinfo=None)
    assert before <= created <= before + dt.timedelta(minutes=1)


def test_page_number_field_in_the_header_not_on_the_first_page():
    section = _opened(sample()).sections[0]
    assert section.different_first_page_header_footer
    header = section.header._element
    instructions = [t.text.strip() for t in header.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    assert [c.get(qn("w:fldCharType")) for c in header.iter(qn("w:fldChar"))] == [
        "begin",
        "separate",
        "end",
    ]
    assert header.find(f".//{qn('w:jc')}").get(qn("w:val")) == "center"
    first = section.first_page_header._element
    assert not list(first.iter(qn("w:instrText")))  # HD 36: the first page has no number


def _body_paragraphs_before_signature(document):
    body = list(document.element.body.iterchildren())
    signature = next(
        i
        for i, el in enumerate(body)
        if el.tag == qn("w:tbl") and "BÍ THƯ" in "".join(el.itertext())
    )
    return body[:signature]


def _keeps(p) -> bool:
    p_pr = p.find(qn("w:pPr"))
    return p_pr is not None and p_pr.find(qn("w:keepNext")) is not None


def test_the_last_lines_of_the_body_keep_with_the_signature():
    text = "\n".join(f"Đoạn {i}. {LINE}" for i in range(1, 6))
    before = _body_paragraphs_before_signature(_opened(sample(sections=[DocSection("I.", text)])))
    with_text = [p for p in before if p.tag == qn("w:p") and "".join(p.itertext()).strip()]
    assert all(_keeps(p) for p in with_text[-KEEP_BEFORE_SIGNATURE:])
    assert not _keeps(with_text[-KEEP_BEFORE_SIGNATURE - 1])  # only the last lines, not all
    assert all(_keeps(p) for p in before[-1:])  # the blank line above the block too


def test_a_table_ending_the_body_keeps_its_last_rows_with_the_signature():
    rows = [[i, f"Chi bộ Tổ dân phố {i}", "Nộp đúng hạn"] for i in range(1, 9)]
    data = sample(
        sections=[
            DocSection("I.", "Một đoạn.", [DocTable("Bảng", ["STT", "Đơn vị", "Tình trạng"], rows)])
        ]
    )
    before = _body_paragraphs_before_signature(_opened(data))
    table = next(el for el in reversed(before) if el.tag == qn("w:tbl"))
    trs = list(table.iterchildren(qn("w:tr")))
    assert all(_keeps(p) for tr in trs[-KEEP_BEFORE_SIGNATURE:] for p in tr.iter(qn("w:p")))
    assert not any(_keeps(p) for p in trs[-KEEP_BEFORE_SIGNATURE - 1].iter(qn("w:p")))


# --- as LibreOffice lays it out ------------------------------------------------------------------


def _pdf_pages(paths: list[Path], folder: Path) -> dict[str, list[str]]:
    """The text of each page of each document, converted in one LibreOffice run."""
    subprocess.run(
        [
            shutil.which("soffice"),
            "--headless",
            f"-env:UserInstallation=file://{folder}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pages = {}
    for path in paths:
        text = subprocess.run(
            ["pdftotext", "-layout", str(path.with_suffix(".pdf")), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        pages[path.stem] = text.rstrip("\f").split("\f")
    return pages


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or pdftotext is not installed: the pages cannot"
    " be laid out (apt-get install libreoffice-writer-nogui poppler-utils)",
)
def test_libreoffice_never_leaves_the_signature_alone_nor_a_blank_page(tmp_path):
    """Bodies of 8 to 15 paragraphs and of tables of many lengths: across them the signature block
    reaches the foot of the first page and has to move. Whatever the length, the last page holds
    body text above the signature, every page has text, and pages after the first are numbered."""
    paths = []
    for count in range(8, 16):
        text = "\n".join(f"Đoạn {i}. {LINE}" for i in range(1, count + 1))
        path = tmp_path / f"p{count}.docx"
        path.write_bytes(render_docx(sample(sections=[DocSection("I. TÌNH HÌNH", text)])))
        paths.append(path)
    # 16-30 rows: a table on the first page; 62-70: one continued from the first page, which
    # LibreOffice will not split again for the signature (the line of text after it moves).
    for count in [*range(16, 31, 2), *range(62, 71, 2)]:
        rows = [[i, f"Chi bộ Tổ dân phố {i}", "Nộp đúng hạn"] for i in range(1, count + 1)]
        table = DocTable("Tình hình nộp báo cáo", ["STT", "Đơn vị", "Tình trạng"], rows)
        path = tmp_path / f"t{count}.docx"
        section = DocSection("I. TÌNH HÌNH", "Một đoạn.", [table], after="Số liệu tính đến nay.")
        path.write_bytes(render_docx(sample(sections=[section])))
        paths.append(path)
    moved = 0
    for name, pages in _pdf_pages(paths, tmp_path).items():
        assert all(page.strip() for page in pages), f"{name}: a blank page"
        last = pages[-1]
        assert "Nguyễn Văn Hùng" in last, name
        body = "Đoạn" if name.startswith("p") else "Số liệu tính đến nay."
        assert body in last.split("Nơi nhận")[0], f"{name}: the signature is alone on its page"
        for number, page in enumerate(pages[1:], start=2):
            assert page.strip().splitlines()[0].strip() == str(number), f"{name}: page number"
        assert not pages[0].strip().splitlines()[0].strip().isdigit()
        moved += len(pages) > 1
    assert moved  # the range did reach the foot of the page
