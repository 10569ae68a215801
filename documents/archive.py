"""Refusing zip bombs before a zip-based upload (.xlsx, .docx) is parsed (pure, no Django).

An ``.xlsx`` is a zip archive: 400 KB of upload can expand to 400 MB of XML that openpyxl or
pyxform would then hold in memory. :func:`check_archive` reads only the archive's central
directory (a few KB, whatever the entries hold) and refuses, with a Vietnamese message naming the
limit and what the file declares, an archive with too many entries, too much uncompressed data in
all, or an entry that compresses suspiciously well. The declared sizes are what counts: Python's
``zipfile`` (used by openpyxl) stops an entry at its declared size and fails its CRC check, so an
archive that lies about its sizes cannot deliver more than it declares.
"""

from __future__ import annotations

import io
import zipfile

ZIP_MAGIC = b"PK\x03\x04"
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # all entries together, once expanded
MAX_ENTRIES = 1_000  # an Excel workbook has a few dozen; a Word file with pictures a few hundred
MAX_RATIO = 100  # expanded / compressed size of one entry (office XML: usually 5-20)
RATIO_MIN_BYTES = 1024 * 1024  # the ratio is only judged for entries expanding beyond this


class ArchiveError(ValueError):
    """An archive refused before parsing; ``message`` is Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def vn_int(number: int) -> str:
    """An integer with Vietnamese thousands separators: 300.000."""
    return f"{number:,}".replace(",", ".")


def _mb(size: int) -> str:
    megabytes = size / (1024 * 1024)
    return vn_int(round(megabytes)) if megabytes >= 10 else f"{megabytes:.1f}".replace(".", ",")


def is_zip(data: bytes) -> bool:
    return data[:4] == ZIP_MAGIC


def check_archive(
    data: bytes,
    *,
    max_uncompressed: int = MAX_UNCOMPRESSED_BYTES,
    max_entries: int = MAX_ENTRIES,
    max_ratio: int = MAX_RATIO,
) -> int:
    """Refuse (``ArchiveError``) a zip that would expand too far; return its expanded size.

    A file that is not a readable zip raises ``zipfile.BadZipFile`` as before, for the caller's
    own "broken file" message.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
    if len(entries) > max_entries:
        raise ArchiveError(
            f"Tệp nén có {vn_int(len(entries))} thành phần, vượt giới hạn {vn_int(max_entries)}"
            " thành phần: không phải tệp Excel/Word bình thường, không đọc."
        )
    total = 0
    for entry in entries:
        total += entry.file_size
        if (
            entry.file_size > RATIO_MIN_BYTES
            and entry.file_size > max_ratio * max(entry.compress_size, 1)
        ):
            ratio = entry.file_size // max(entry.compress_size, 1)
            raise ArchiveError(
                f"Tệp có thành phần “{entry.filename[:80]}” nén quá mức bình thường (giải nén ra"
                f" {_mb(entry.file_size)} MB, gấp {vn_int(ratio)} lần; giới hạn gấp"
                f" {vn_int(max_ratio)} lần): nghi là tệp “bom nén”, không đọc."
            )
    if total > max_uncompressed:
        raise ArchiveError(
            f"Tệp khi giải nén lớn {_mb(total)} MB, vượt giới hạn {_mb(max_uncompressed)} MB:"
            " hãy chia nhỏ tệp rồi tải lên lại."
        )
    return total
