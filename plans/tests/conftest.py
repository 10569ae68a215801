"""A plan of the ward with past deadlines, one task for every chi bộ and one for the office."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from core.dates import local_today
from plans import services
from plans.models import Plan

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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
