"""PDF copies of DOCX documents, laid out by LibreOffice (pure, no Django).

The PDF is the DOCX as LibreOffice lays it out (``soffice --headless --convert-to pdf``): the same
A4 pages, margins, fonts and page numbers as the Hướng dẫn 36-HD/VPTW layout of
:mod:`documents.docx_layout`, with no second layout to keep in step.

Each conversion runs in a throw-away folder with a user profile of its own
(``-env:UserInstallation``): two conversions at once never wait on one profile's lock, and the
settings of a LibreOffice someone uses on the machine never change the pages. A conversion that
takes longer than ``timeout`` seconds is killed together with every process it started (soffice
starts soffice.bin in the same session). LibreOffice reads the one file it is given: a DOCX that
refers to content outside itself (a linked picture, template or object, which LibreOffice would
fetch) is refused before it starts, so a conversion never reaches the network.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

from documents import docx_layout, docx_widths
from documents.docx_layout import PartyDocument

# Bumped when the conversion changes what it makes (a new option), so cached copies are not reused.
FORMAT = "pdf-1"
INSTALL_HINT = (
    "Người quản trị cài LibreOffice trên máy chủ (Debian/Ubuntu: apt-get install"
    " libreoffice-writer-nogui fonts-liberation2) hoặc đặt biến LONGDAN_SOFFICE là đường dẫn"
    " tới lệnh soffice."
)
# Parts whose changes do not change the pages: when the file was made (docProps/core.xml).
_NOT_LAID_OUT = frozenset({"docProps/core.xml"})
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>")
_EXTERNAL = re.compile(rb'TargetMode\s*=\s*"External"')
_TYPE = re.compile(rb'Type\s*=\s*"([^"]*)"')
_TARGET = re.compile(rb'Target\s*=\s*"([^"]*)"')
_STDERR_TAIL = 300  # characters of LibreOffice's own words kept in the message


class PdfError(Exception):
    """No PDF could be made; ``message`` says why, in Vietnamese, for the reader."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ConverterMissing(PdfError):
    """LibreOffice is not installed (or not where the settings say)."""


class ConversionFailed(PdfError):
    """LibreOffice ran but made no PDF: it failed, or took longer than allowed."""


def find_converter(command: str) -> str:
    """The full path of LibreOffice's ``soffice`` (a name looked up on PATH, or a path)."""
    found = shutil.which(command) if command else None
    if found is None:
        raise ConverterMissing(
            f"Máy chủ chưa có LibreOffice (không tìm thấy lệnh “{command or 'soffice'}”) nên"
            f" chưa tạo được bản PDF. {INSTALL_HINT}"
        )
    return found


def content_key(docx: bytes) -> str:
    """A fingerprint of what the pages show: the same for two DOCX files that differ only in when
    they were made (their zip dates and created/modified properties), different otherwise."""
    digest = hashlib.sha256(FORMAT.encode())
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        for name in sorted(archive.namelist()):
            if name in _NOT_LAID_OUT:
                continue
            data = archive.read(name)
            digest.update(f"{name}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def document_key(document: PartyDocument) -> str:
    """A fingerprint of what a :class:`PartyDocument`'s pages show, without laying it out: its
    data (when it was made aside) and the layout code that lays it out, so a deployment that
    changes the layout never reuses a copy made by the old one."""
    data = dataclasses.replace(document, generated_at=None)
    return hashlib.sha256(f"{FORMAT}\0{_layout_code()}\0{data!r}".encode()).hexdigest()


@functools.cache
def _layout_code() -> str:
    """A hash of the layout's code: a new release that lays documents out anew makes new PDFs."""
    digest = hashlib.sha256()
    for module in (docx_layout, docx_widths):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


def external_references(docx: bytes) -> list[str]:
    """Targets outside the file that LibreOffice would load (links a reader clicks excepted)."""
    found = []
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        for name in archive.namelist():
            if not name.endswith(".rels"):
                continue
            for element in _RELATIONSHIP.findall(archive.read(name)):
                kind = _TYPE.search(element)
                clicked = kind is not None and kind.group(1).endswith(b"/hyperlink")
                if clicked or not _EXTERNAL.search(element):
                    continue
                target = _TARGET.search(element)
                found.append(target.group(1).decode("utf-8", "replace") if target else "?")
    return found


def docx_to_pdf(docx: bytes, *, soffice: str, timeout: float) -> bytes:
    """The PDF LibreOffice makes of ``docx``; raises :class:`PdfError` with the reason."""
    try:
        outside = external_references(docx)
    except zipfile.BadZipFile as exc:
        raise ConversionFailed("Tệp DOCX bị hỏng nên không chuyển được sang PDF.") from exc
    if outside:
        raise ConversionFailed(
            "Tệp DOCX dẫn tới nội dung bên ngoài (" + ", ".join(outside[:3]) + "): không chuyển"
            " sang PDF để LibreOffice không phải tải gì từ mạng."
        )
    with tempfile.TemporaryDirectory(prefix="longdan-pdf-") as folder:
        work = Path(folder)
        source = work / "document.docx"
        source.write_bytes(docx)
        command = [
            soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(work / "out"), str(source),
        ]
        stderr = _run(command, cwd=work, timeout=timeout)
        made = work / "out" / "document.pdf"
        pdf = made.read_bytes() if made.exists() else b""
    if not pdf.startswith(b"%PDF-"):
        said = stderr.strip()[-_STDERR_TAIL:]
        raise ConversionFailed(
            "LibreOffice không tạo được bản PDF của tài liệu" + (f" ({said})." if said else ".")
        )
    return pdf


def _run(command: list[str], *, cwd: Path, timeout: float) -> str:
    """Run LibreOffice in a session of its own; on timeout kill the whole session."""
    # HOME in the throw-away folder too: a service account's home may not be writable, and
    # nothing of a conversion should stay behind.
    env = {**os.environ, "HOME": str(cwd), "TMPDIR": str(cwd)}
    try:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, start_new_session=True,
        )
    except OSError as exc:  # on PATH a moment ago, gone or not executable now
        raise ConverterMissing(
            f"Không chạy được LibreOffice ({command[0]}: {exc.strerror}). {INSTALL_HINT}"
        ) from exc
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _kill_session(process)
        process.communicate()
        raise ConversionFailed(
            f"LibreOffice chưa chuyển xong tài liệu sang PDF sau {timeout:g} giây nên đã dừng."
            " Hãy thử lại sau ít phút, hoặc tải bản DOCX."
        ) from exc
    return stderr.decode("utf-8", "replace")


def _kill_session(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
