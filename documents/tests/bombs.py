"""Hostile uploads built in memory for the tests, staying light on the test's own memory."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

CHUNK = b"\0" * (1024 * 1024)


def zip_bomb(inner_megabytes: int = 200, *, extra_entries: dict[str, bytes] | None = None,
             entry: str = "xl/worksheets/sheet1.xml", base: bytes | None = None) -> bytes:
    """A zip (a real .xlsx when ``base`` is one) plus one entry of ``inner_megabytes`` MB of
    zeros, written chunk by chunk: ~200 KB on disk for 200 MB expanded."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as out:
        if base is not None:
            with zipfile.ZipFile(io.BytesIO(base)) as source:
                for info in source.infolist():
                    if info.filename != entry:
                        out.writestr(info, source.read(info.filename))
        for name, content in (extra_entries or {}).items():
            out.writestr(name, content)
        with out.open(entry, "w", force_zip64=True) as handle:
            for _ in range(inner_megabytes):
                handle.write(CHUNK)
    return buffer.getvalue()


def many_entries(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for index in range(count):
            out.writestr(f"xl/media/anh{index}.bin", b"x")
    return buffer.getvalue()


def long_sheet(rows: int, *, title: str = "survey", header=("type", "name", "label"),
               write_only: bool = True) -> bytes:
    """An .xlsx with ``rows`` filled rows under a header; write-only files declare no size,
    so a reader must count while reading."""
    workbook = Workbook(write_only=write_only)
    if write_only:
        sheet = workbook.create_sheet(title)
    else:
        sheet = workbook.active
        sheet.title = title
    sheet.append(list(header))
    for index in range(rows):
        sheet.append(["text", f"q{index}", f"Câu {index}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
