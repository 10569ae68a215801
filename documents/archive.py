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
import re
import zipfile
import zlib

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


# --- sheets that do not say how large they are ---------------------------------------------------

_WORKSHEET = "xl/worksheets/"
_CHUNK = 1024 * 1024
# Some writers give the sheet's tags a namespace prefix ("<x:worksheet>", "<x:row>").
_PREFIX = re.compile(rb"<([A-Za-z_][\w.-]*):worksheet\b")


_TAG_ENDS = (b" ", b">", b"/", b"\n", b"\r", b"\t")  # what may follow a tag's name in XML


def _tags(prefix: bytes) -> tuple[tuple[bytes, ...], tuple[bytes, ...]]:
    names = [b""] + ([prefix + b":"] if prefix else [])
    rows = tuple(b"<" + name + b"row" + end for name in names for end in _TAG_ENDS)
    cells = tuple(b"<" + name + b"c" + end for name in names for end in _TAG_ENDS)
    return rows, cells


def _rows_and_cells(stream) -> tuple[int, int]:
    """Row and cell tags in a worksheet's XML (bytes.count over the decompressed stream: about
    as fast as decompressing it, so the whole sheet is counted and the message is exact)."""
    counts: dict[bytes, int] = {}
    tail = b""
    rows = cells = ()
    while chunk := stream.read(_CHUNK):
        window = tail + chunk
        if not rows:
            found = _PREFIX.search(window)
            rows, cells = _tags(found.group(1) if found else b"")
        # The last bytes go with the next chunk (a tag may straddle the cut); a tag wholly
        # inside them is counted there, not here.
        tail = window[-(max(map(len, rows + cells)) - 1):]
        for tag in rows + cells:
            counts[tag] = counts.get(tag, 0) + window.count(tag) - tail.count(tag)
    for tag in rows + cells:
        counts[tag] += tail.count(tag)
    return sum(counts.get(tag, 0) for tag in rows), sum(counts.get(tag, 0) for tag in cells)


def check_sheet_sizes(data: bytes, *, max_rows: int, max_cells: int, header_rows: int = 0) -> None:
    """Refuse (``ArchiveError``) a workbook with a sheet of more rows or cells than allowed.

    openpyxl learns a sheet's size from its ``<dimension>``; a sheet without one is parsed whole
    just to learn it (seconds of work for a few MB), before any row cap of ours can stop it, and a
    sheet whose dimension understates it is silently cut. Counting the row and cell tags of the
    XML, at the speed of decompression, bounds both before openpyxl opens the file. The message
    counts data rows: ``header_rows`` of ``max_rows`` are headers."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = sorted(name for name in archive.namelist()
                        if name.startswith(_WORKSHEET) and name.endswith(".xml"))
        for number, name in enumerate(sheets, start=1):
            try:
                with archive.open(name) as stream:
                    rows, cells = _rows_and_cells(stream)
            except zlib.error as exc:  # a damaged deflate stream: the callers' "broken file"
                raise zipfile.BadZipFile(f"{name}: {exc}") from exc
            if rows > max_rows:
                what = "dòng dữ liệu" if header_rows else "dòng"
                raise ArchiveError(
                    f"Trang tính thứ {number} có {vn_int(rows - header_rows)} {what}, vượt giới"
                    f" hạn {vn_int(max_rows - header_rows)} dòng: hãy chia thành nhiều tệp nhỏ"
                    " hơn."
                )
            if cells > max_cells:
                raise ArchiveError(
                    f"Trang tính thứ {number} có {vn_int(cells)} ô có dữ liệu, vượt giới hạn"
                    f" {vn_int(max_cells)} ô: hãy bỏ bớt cột hoặc chia thành nhiều tệp."
                )
