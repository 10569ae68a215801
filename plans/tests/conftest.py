"""A plan of the ward with past deadlines, one task for every chi bộ and one for the office."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from core.dates import local_today
from plans import services
from plans.models import Plan


def _pdf(text: str) -> bytes:
    """A small valid one-page PDF showing ``text`` (ASCII), with a correct cross-reference."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


PDF = _pdf("Ke hoach thuc hien")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def plan(vanphong, ward, office_unit, cell_a, cell_b, cell_closed) -> Plan:
    today = local_today()
    issued = today - dt.timedelta(days=60)
    plan = services.create_plan(
        actor=vanphong, number="18-KH/ĐU",
        title="Thực hiện Chỉ thị số 47-CT/TW về tăng cường công tác dư luận xã hội",
        issuing_unit=ward, issued_on=issued, based_on="Chỉ thị số 47-CT/TW",
        unit_plan_due=issued + dt.timedelta(days=20),
        dissemination_due=issued + dt.timedelta(days=30), unit_kinds=["chi_bo"])
    services.add_task(actor=vanphong, plan=plan, owner_kind="chi_bo", section="III.1",
                      text="Phân công một cấp ủy viên trực tiếp phụ trách công tác dư luận xã hội.",
                      due_on=issued + dt.timedelta(days=15))
    services.add_task(actor=vanphong, plan=plan, owner_unit=office_unit, section="III.4",
                      text="Tham mưu thành lập đội ngũ cộng tác viên dư luận xã hội.",
                      due_on=today + dt.timedelta(days=30))
    return plan
