"""Hostile uploads built in memory for the tests, staying light on the test's own memory."""

from __future__ import annotations

import hashlib
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


def undeclared_sheet(rows: int, *, cells_per_row: int = 2, prefix: str = "",
                     declared: str | None = None) -> bytes:
    """An .xlsx whose sheet has no ``<dimension>`` (or a false one, ``declared``), written as raw
    XML; ``prefix`` writes its tags with a namespace prefix ("x:"), as some writers do."""
    p = prefix
    def cells(row: int) -> str:  # varied text, so the entry compresses like a real sheet
        return "".join(
            f'<{p}c t="inlineStr"><{p}is><{p}t>{hashlib.md5(f"{row}.{col}".encode()).hexdigest()}'
            f"</{p}t></{p}is></{p}c>" for col in range(cells_per_row))

    head = (f'<{p}row><{p}c t="inlineStr"><{p}is><{p}t>type</{p}t></{p}is></{p}c>'
            f'<{p}c t="inlineStr"><{p}is><{p}t>name</{p}t></{p}is></{p}c></{p}row>')
    namespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    xmlns = f'xmlns:{p[:-1]}="{namespace}"' if p else f'xmlns="{namespace}"'
    dimension = f'<{p}dimension ref="{declared}"/>' if declared else ""
    body = head + "".join(f"<{p}row>{cells(row)}</{p}row>" for row in range(rows))
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {xmlns}>{dimension}'
             f"<{p}sheetData>{body}</{p}sheetData></{p}worksheet>").encode()
    base = long_sheet(1, title="Sheet1", write_only=False)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, \
            zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            content = sheet if info.filename == "xl/worksheets/sheet1.xml" else source.read(
                info.filename)
            out.writestr(info.filename, content)
    return buffer.getvalue()
