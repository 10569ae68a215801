"""Units sort naturally (issue 17): "An Lư 2" before "An Lư 10" in a select, the compliance XLSX
and the consolidated report's DOCX, not as text ("1, 10, 11 … 2")."""

from __future__ import annotations

import io
import re

import docx
import pytest
from openpyxl import load_workbook

from orgs.models import OrgUnit
from reporting.periods import parse_period
from reporting.services import consolidation as cs

NAMES = ["Chi bộ Khu dân cư An Lư 10", "Chi bộ Khu dân cư An Lư 2", "Chi bộ Khu dân cư An Lư 1",
         "Chi bộ Khu dân cư Đông Hải", "Chi bộ Khu dân cư Dư Hàng"]
NATURAL = ["Chi bộ Khu dân cư An Lư 1", "Chi bộ Khu dân cư An Lư 2", "Chi bộ Khu dân cư An Lư 10",
           "Chi bộ Khu dân cư Dư Hàng", "Chi bộ Khu dân cư Đông Hải"]


@pytest.fixture
def lu_units(ward, monthly):
    units = [OrgUnit.objects.create(code=f"kdc-{n}", name=name, kind=OrgUnit.Kind.PARTY_CELL,
                                    parent=ward) for n, name in enumerate(NAMES)]
    monthly.units.set(units)
    return units


def _ours(names) -> list[str]:
    return [name for name in names if name in NAMES]


def test_a_select_lists_units_in_natural_order(client, vanphong, lu_units, monthly):
    client.force_login(vanphong)
    html = client.get(f"/mau-bao-cao/{monthly.pk}/").content.decode()
    options = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', html)
    assert _ours(options) == NATURAL


def test_the_compliance_xlsx_and_the_docx_list_units_in_natural_order(vanphong, lu_units):
    report = cs.generate_consolidated(user=vanphong, period=parse_period("2025-11"))
    out = io.BytesIO()
    cs.export_xlsx(user=vanphong, consolidated=report, out=out)
    sheet = load_workbook(io.BytesIO(out.getvalue()))["Tỷ lệ nộp theo đơn vị"]
    assert _ours(str(cell.value) for row in sheet.iter_rows() for cell in row) == NATURAL
    out = io.BytesIO()
    cs.export_docx(user=vanphong, consolidated=report, out=out)
    document = docx.Document(io.BytesIO(out.getvalue()))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    listed = list(dict.fromkeys(_ours(cells)))
    assert listed == NATURAL
