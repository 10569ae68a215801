"""Checks on an uploaded evidence file before it is stored (pure, no Django).

Units upload their signed implementation plan, minutes of a session or a photo of it. What is
accepted is told by the file's first bytes, not by its name or the browser's content type: PDF,
Word (.docx), Excel (.xlsx), JPEG and PNG. A .docx or .xlsx is a zip: its central directory goes
through the shared zip-bomb guard (``documents.archive.check_archive``) and must hold the part
that makes it a Word or Excel file. The size is capped.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from documents.archive import ArchiveError, check_archive, is_zip

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_NAME = 200

PDF, DOCX, XLSX, JPEG, PNG = "pdf", "docx", "xlsx", "jpeg", "png"
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    JPEG: "image/jpeg",
    PNG: "image/png",
}
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx", JPEG: ".jpg", PNG: ".png"}
ACCEPTED = "PDF, Word (.docx), Excel (.xlsx), ảnh JPEG hoặc PNG"


class FileRefused(ValueError):
    """A file refused before storing; ``message`` is Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: str
    content_type: str
    size: int
    sha256: str


def _office_kind(data: bytes) -> str:
    try:
        check_archive(data)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except ArchiveError as exc:
        raise FileRefused(exc.message) from exc
    except zipfile.BadZipFile as exc:
        raise FileRefused("Tệp nén bị hỏng, không đọc được.") from exc
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    raise FileRefused(f"Tệp nén không phải tệp Word hay Excel. Chỉ nhận {ACCEPTED}.")


def kind_of(data: bytes) -> str:
    if data[:5] == b"%PDF-":
        return PDF
    if data[:3] == b"\xff\xd8\xff":
        return JPEG
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return PNG
    if is_zip(data):
        return _office_kind(data)
    raise FileRefused(f"Loại tệp không được nhận. Chỉ nhận {ACCEPTED}.")


def safe_name(name: str, kind: str) -> str:
    """The name kept for the download: no folders, no control characters, the right ending."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|:*?').strip(" .")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return (stem[:MAX_NAME] or "minh-chung") + EXTENSIONS[kind]


def check_file(name: str, data: bytes) -> CheckedFile:
    """Refuse (``FileRefused``) an empty, too large or unaccepted file; describe a good one."""
    if not data:
        raise FileRefused("Tệp rỗng.")
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(
            f"Tệp lớn {len(data) / (1024 * 1024):.1f} MB, vượt giới hạn"
            f" {MAX_FILE_BYTES // (1024 * 1024)} MB.".replace(".", ",", 1))
    kind = kind_of(data)
    return CheckedFile(name=safe_name(name, kind), kind=kind, content_type=CONTENT_TYPES[kind],
                       size=len(data), sha256=hashlib.sha256(data).hexdigest())
