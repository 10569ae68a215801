"""A 6-month report counts reports per month: openings, mergers, months not yet due (issue 17).

The constructed half-year 2025-H2, seen on 10 December 2025 (December's deadline still ahead):

- ``cell_a`` reports every month on the 20th (on time) and December early;
- ``cell_b`` reports July and August on the 2nd of the next month (late), then nothing;
- ``cell_closed`` is merged away on 15 September: it owes July to September, reports July;
- ``cell_new`` opens on 10 October: it owes October and November, reports both on time.

Due: July–November. Owed: 3 + 3 + 3 + 3 + 3 = 15 reports of 4 units; submitted 5 + 2 + 1 + 2 = 10,
on time 8. December is shown apart, not counted as missing.
"""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
import time_machine
from django.conf import settings
from docx.oxml.ns import qn

from orgs.models import OrgUnit
from reporting import compliance, services
from reporting import consolidation as calc
from reporting.periods import parse_period
from reporting.services import consolidation as cs

H2 = parse_period("2025-H2")
VIEWED_ON = dt.datetime(2025, 12, 10, 2, 0, tzinfo=dt.UTC)  # 09:00 in Hà Nội


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(2, 0), tzinfo=dt.UTC)


def _submit(user, template, code, unit, sections, when: dt.date):
    with time_machine.travel(_at(when), tick=False):
        period = services.ensure_period(parse_period(code))
        report = services.save_draft(
            user=user,
            template=template,
            period=period,
            unit=unit,
            sections=sections,
            streams=[],
            expected_version=None,
        )
        services.submit_report(user=user, report=report, expected_version=report.version)


@pytest.fixture
def half_year(ward, cell_a, cell_b, cell_closed, monthly, vanphong, full_sections):
    cell_new = OrgUnit.objects.create(
        code="chi-bo-moi",
        name="Chi bộ Tổ dân phố 3",
        kind=OrgUnit.Kind.PARTY_CELL,
        parent=ward,
        opened_on=dt.date(2025, 10, 10),
    )
    monthly.units.add(cell_new)
    for month in range(7, 12):
        _submit(
            vanphong, monthly, f"2025-{month:02d}", cell_a, full_sections, dt.date(2025, month, 20)
        )
    _submit(vanphong, monthly, "2025-12", cell_a, full_sections, dt.date(2025, 12, 5))
    for month in (7, 8):
        _submit(
            vanphong,
            monthly,
            f"2025-{month:02d}",
            cell_b,
            full_sections,
            dt.date(2025, month + 1, 2),
        )
    _submit(vanphong, monthly, "2025-07", cell_closed, full_sections, dt.date(2025, 7, 20))
    for month in (10, 11):
        _submit(
            vanphong,
            monthly,
            f"2025-{month:02d}",
            cell_new,
            full_sections,
            dt.date(2025, month, 20),
        )
    with time_machine.travel(VIEWED_ON, tick=False):
        return cs.generate_consolidated(user=vanphong, period=H2)


def test_only_due_months_count_and_each_month_owes_its_open_units(half_year):
    coverage = half_year.data["compliance"]["coverage"]
    assert coverage["expected_reports"] == 15
    assert coverage["submitted"] == 10
    assert coverage["on_time"] == 8
    assert coverage["units"] == 4
    assert coverage["not_due_months"] == ["2025-12"]
    assert coverage["early_reports"] == 1
    months = {m["period"]: m for m in half_year.data["compliance"]["months"]}
    assert [months[f"2025-{m:02d}"]["expected"] for m in range(7, 13)] == [3, 3, 3, 3, 3, 3]
    assert months["2025-12"]["due"] is False and months["2025-11"]["due"] is True


def test_the_sentence_and_the_overview_say_what_was_owed(half_year):
    expected = (
        "đã nộp 10/15 báo cáo phải nộp của 4 đơn vị (66,7%), trong đó 8 báo cáo nộp đúng"
        " hạn (53,3%); tháng 12/2025 chưa đến hạn (đã có 1 báo cáo nộp trước hạn)"
    )
    sentence = calc.compliance_sentence(half_year.data["compliance"])
    assert sentence == f"Trong 6 tháng, các đơn vị {expected}."
    assert half_year.sections["ket_qua"].startswith(
        f"6 tháng cuối năm 2025, các đơn vị {expected}."
    )
    assert "4/4 đơn vị đã nộp" not in half_year.sections["ket_qua"]


def test_tables_leave_the_month_not_yet_due_out_of_the_totals(half_year):
    months, units = calc.compliance_tables(half_year.data["compliance"])
    december = months.rows[5]
    assert december[0] == "Tháng 12/2025" and december[6] == "Chưa đến hạn"
    assert months.rows[-1] == ["Cộng các tháng đã đến hạn", 15, 10, 8, 2, 0, 5, "66,7%", "53,3%"]
    rows = {row[1]: row[2:] for row in units.rows}
    # owed, on time, late, returned, missing
    assert rows["Chi bộ Tổ dân phố 1"] == [5, 5, 0, 0, 0]
    assert rows["Chi bộ Tổ dân phố 2"] == [5, 0, 2, 0, 3]
    assert rows["Chi bộ An Lư cũ"] == [3, 1, 0, 0, 2]
    assert rows["Chi bộ Tổ dân phố 3"] == [2, 2, 0, 0, 0]


def test_once_december_is_due_it_counts():
    """The pure rule: a month is due the day after its deadline, not on it."""
    month = compliance.PeriodInfo(
        "2025-12",
        "Tháng 12/2025",
        dt.date(2025, 12, 1),
        dt.date(2025, 12, 31),
        deadline=dt.date(2025, 12, 24),
    )
    assert not compliance.is_due(month, dt.date(2025, 12, 24))
    assert compliance.is_due(month, dt.date(2025, 12, 25))


def test_the_half_year_docx_carries_its_own_properties_and_page_numbers(half_year, vanphong):
    out = io.BytesIO()
    with time_machine.travel(VIEWED_ON, tick=False):
        cs.export_docx(user=vanphong, consolidated=half_year, out=out)
    document = docx.Document(io.BytesIO(out.getvalue()))
    props = document.core_properties
    assert props.title == half_year.title
    assert props.author == settings.LONGDAN_ISSUING_BODY
    assert props.created.replace(tzinfo=None) == VIEWED_ON.replace(tzinfo=None)
    header = document.sections[0].header._element
    assert [t.text.strip() for t in header.iter(qn("w:instrText"))] == ["PAGE"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "đã nộp 10/15 báo cáo phải nộp của 4 đơn vị" in text
