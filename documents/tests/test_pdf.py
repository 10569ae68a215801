"""The PDF converter (documents.pdf): LibreOffice's pages keep the DOCX's layout; a missing,
failing or hanging converter is a clear message, never a crash or a process left running."""

from __future__ import annotations

import io
import os
import stat
import time
import zipfile
from pathlib import Path

import pytest

from documents import pdf
from documents.docx_layout import DocSection, render_docx
from documents.tests import pdfpages
from documents.tests.test_docx_layout import sample

LINE = "Nhân dân trên địa bàn phấn khởi trước kết quả phát triển kinh tế, đời sống ổn định."
needs_tools = pytest.mark.skipif(bool(pdfpages.tools_missing()), reason=pdfpages.tools_missing())


def _fake_soffice(folder: Path, script: str) -> str:
    path = folder / "soffice"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@needs_tools
def test_the_pdf_has_the_docx_pages_size_and_margins():
    text = "\n".join(f"Đoạn {i}. {LINE}" for i in range(1, 40))  # two pages at least
    content = render_docx(sample(sections=[DocSection("I. TÌNH HÌNH", text)]))
    made = pdf.docx_to_pdf(content, soffice=pdf.find_converter("soffice"), timeout=120)
    read = pdfpages.pages(made)
    assert len(read) >= 2
    assert pdfpages.layout_problems(made, content) == []
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in pdfpages.text_of(read[0])
    # Page 2 is numbered in the top margin, centred between the margins (Hướng dẫn 36).
    number = [b for w, b in read[1].words if w == "2" and b.bottom < 56.7]
    assert number and abs((number[0].left + number[0].right) / 2 - (85.04 + 552.76) / 2) < 6


def _with_margins(content: bytes, **margins_mm: float) -> bytes:
    import docx
    from docx.shared import Mm

    document = docx.Document(io.BytesIO(content))
    for name, value in margins_mm.items():
        setattr(document.sections[0], f"{name}_margin", Mm(value))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@needs_tools
def test_the_check_sees_a_pdf_that_departs_from_the_docx():
    content = render_docx(sample())
    made = pdf.docx_to_pdf(content, soffice=pdf.find_converter("soffice"), timeout=120)
    assert pdfpages.layout_problems(made, content) == []
    problems = pdfpages.layout_problems(made, _with_margins(content, left=20, top=30, right=40))
    said = "\n".join(problems)
    assert "the DOCX's left margin is 56.7" in said
    assert "the DOCX's top margin is 85.0" in said
    assert "outside the margins" in said and "from the right edge, the margin is 113.4" in said


@needs_tools
def test_two_conversions_at_once_each_have_their_own_profile():
    from concurrent.futures import ThreadPoolExecutor

    soffice = pdf.find_converter("soffice")
    documents = [render_docx(sample(title=f"Báo cáo số {n}")) for n in (1, 2)]
    with ThreadPoolExecutor(2) as pool:
        made = list(pool.map(lambda d: pdf.docx_to_pdf(d, soffice=soffice, timeout=120),
                             documents))
    assert ["Báo cáo số 1" in pdfpages.text_of(pdfpages.pages(m)[0]) for m in made] == [True, False]
    assert "Báo cáo số 2" in pdfpages.text_of(pdfpages.pages(made[1])[0])


def test_a_missing_converter_is_named_in_vietnamese():
    with pytest.raises(pdf.ConverterMissing) as caught:
        pdf.find_converter("/khong/co/soffice")
    assert "Máy chủ chưa có LibreOffice" in caught.value.message
    assert "“/khong/co/soffice”" in caught.value.message
    assert "libreoffice-writer-nogui" in caught.value.message


def test_a_failing_converter_says_what_it_said(tmp_path):
    soffice = _fake_soffice(tmp_path, 'echo "Error: source file could not be loaded" >&2\nexit 1\n')
    with pytest.raises(pdf.ConversionFailed) as caught:
        pdf.docx_to_pdf(render_docx(sample()), soffice=soffice, timeout=30)
    assert caught.value.message == ("LibreOffice không tạo được bản PDF của tài liệu"
                                    " (Error: source file could not be loaded).")


def test_a_hanging_converter_is_stopped_with_everything_it_started(tmp_path):
    # Like soffice, the script starts a second process that does the work.
    child = tmp_path / "child.pid"
    soffice = _fake_soffice(tmp_path, f"sleep 60 &\necho $! > {child}\nwait\n")
    started = time.monotonic()
    with pytest.raises(pdf.ConversionFailed) as caught:
        pdf.docx_to_pdf(render_docx(sample()), soffice=soffice, timeout=1)
    assert time.monotonic() - started < 10
    assert "sau 1 giây nên đã dừng" in caught.value.message
    pid = int(child.read_text())
    deadline = time.monotonic() + 5
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(pid), "the converter's child process outlived the timeout"


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has ended; only its parent's wait is missing


def test_the_converter_runs_in_a_throw_away_folder_with_its_own_profile(tmp_path):
    seen = tmp_path / "seen.txt"
    script = f'echo "$@" > {seen}\necho "HOME=$HOME" >> {seen}\nexit 0\n'
    with pytest.raises(pdf.ConversionFailed):  # the fake makes no PDF
        pdf.docx_to_pdf(render_docx(sample()), soffice=_fake_soffice(tmp_path, script), timeout=30)
    args, home = seen.read_text().splitlines()
    folder = home.removeprefix("HOME=")
    assert f"-env:UserInstallation=file://{folder}/profile" in args
    assert "--headless" in args and "--convert-to pdf:writer_pdf_Export" in args
    assert not os.path.exists(folder)  # gone with everything in it


def _with_relationship(content: bytes, element: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", element.encode() + b"</Relationships>")
            target.writestr(item, data)
    return out.getvalue()


def test_a_docx_that_loads_outside_content_is_refused_before_libreoffice_runs():
    linked = _with_relationship(render_docx(sample()), (
        '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/image" Target="http://example.invalid/a.png" TargetMode="External"/>'))
    assert pdf.external_references(linked) == ["http://example.invalid/a.png"]
    with pytest.raises(pdf.ConversionFailed) as caught:
        # A converter that does not exist: reaching it would be ConverterMissing instead.
        pdf.docx_to_pdf(linked, soffice="/khong/co/soffice", timeout=30)
    assert "nội dung bên ngoài (http://example.invalid/a.png)" in caught.value.message


def test_a_link_a_reader_clicks_is_not_outside_content():
    linked = _with_relationship(render_docx(sample()), (
        '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/hyperlink" Target="https://example.invalid/" TargetMode="External"/>'))
    assert pdf.external_references(linked) == []


def test_the_document_key_ignores_when_it_was_made_but_not_what_it_says():
    import datetime as dt

    one = pdf.document_key(sample(generated_at=dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.UTC)))
    assert one == pdf.document_key(sample())
    assert one != pdf.document_key(sample(date=dt.date(2026, 11, 28)))
    assert one != pdf.document_key(sample(sections=[DocSection("I. TÌNH HÌNH", "Một câu khác.")]))


def test_the_content_key_ignores_when_the_file_was_made_but_not_what_it_says():
    import datetime as dt

    one = render_docx(sample(generated_at=dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.UTC)))
    time.sleep(2.1)  # a zip entry's time has a two-second resolution
    two = render_docx(sample(generated_at=dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.UTC)))
    assert one != two
    assert pdf.content_key(one) == pdf.content_key(two)
    other = render_docx(sample(title="Một trích yếu khác"))
    assert pdf.content_key(other) != pdf.content_key(one)
