"""The unit's accountability page on constructed data: late and missing reports, overdue issues
and directions per month, the median days to answer; scoped like the unit page; XLSX."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from issues.models import Issue, IssueEvent
from picture import services
from picture.accountability import accountability_for
from picture.models import Direction
from picture.tests.conftest import TZ
from reporting import services as reporting
from reporting.periods import parse_period

S = Direction.Status


def at(day: int, month: int, year: int = 2025, hour: int = 9) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=TZ)


def submit(clock, when, user, template, code, sections):
    clock.move_to(when)
    period = reporting.ensure_period(parse_period(code))
    report = reporting.save_draft(user=user, template=template, period=period, unit=user.unit,
                                  sections=sections, streams=[], expected_version=None)
    reporting.submit_report(user=user, report=report, expected_version=report.version)


def issue(code, owner, first_seen, due_on, *events):
    row = Issue.objects.create(code=code, title=f"Vấn đề {code}", owner_unit=owner,
                               first_seen_on=first_seen, due_on=due_on,
                               status=Issue.Status.ASSIGNED)
    for kind, to_value, when in events:
        event = IssueEvent.objects.create(issue=row, kind=kind, to_value=to_value)
        IssueEvent.objects.filter(pk=event.pk).update(at=when)
    return row


@pytest.fixture
def history(clock, lanhdao, an, binh, cell_a, cell_b, monthly, full_sections):
    monthly.effective_from = dt.date(2025, 10, 1)
    monthly.save()
    # Reports of cell_a: October missing, November on time, December late.
    submit(clock, at(20, 11), an, monthly, "2025-11", full_sections)
    submit(clock, at(28, 12), an, monthly, "2025-12", full_sections)
    # Issues owned by cell_a (and one of cell_b's, which does not count).
    answer, status = IssueEvent.Kind.ANSWER, IssueEvent.Kind.STATUS
    issue("VD-1", cell_a, dt.date(2025, 11, 1), dt.date(2025, 11, 20),
          (answer, "Trả lời", at(25, 11)))  # answered 5 days late: overdue in November
    issue("VD-2", cell_a, dt.date(2025, 12, 1), dt.date(2025, 12, 10))  # never answered
    issue("VD-3", cell_a, dt.date(2025, 12, 1), dt.date(2025, 12, 31),
          (status, Issue.Status.RESOLVED.label, at(5, 12)))  # in time, 4 days
    issue("VD-4", cell_b, dt.date(2025, 12, 1), dt.date(2025, 12, 2))
    # Directions to cell_a given on 1 December.
    clock.move_to(at(1, 12))

    def give(units, due_day):
        return services.create_direction(author=lanhdao, text="Nắm tình hình.",
                                         due_on=dt.date(2025, 12, due_day),
                                         unit_ids=[u.pk for u in units])

    never = give([cell_a, cell_b], 5)
    in_time, late = give([cell_a], 10), give([cell_a], 15)
    cancelled, others = give([cell_a], 12), give([cell_b], 6)
    clock.move_to(at(8, 12))
    services.report_progress(user=an, direction=in_time, unit=cell_a, note="Xong.",
                             status=S.DONE)
    services.set_status(user=lanhdao, direction=cancelled, status=S.CANCELLED,
                        expected_version=cancelled.version)
    clock.move_to(at(20, 12))
    services.report_progress(user=an, direction=late, unit=cell_a, note="Xong.", status=S.DONE)
    clock.move_to(at(10, 1, 2026, 10))
    return never, others


def test_the_figures_per_month(history, lanhdao, cell_a):
    figures = accountability_for(lanhdao, cell_a)
    by_month = {m.period.code: m for m in figures.months}
    assert list(by_month)[:4] == ["2026-01", "2025-12", "2025-11", "2025-10"]
    assert len(figures.months) == 12
    oct_, nov, dec, jan = (by_month[c] for c in ("2025-10", "2025-11", "2025-12", "2026-01"))
    assert (oct_.late_reports, oct_.missing_reports) == (0, 1)
    assert (nov.late_reports, nov.missing_reports) == (0, 0)
    assert (dec.late_reports, dec.missing_reports) == (1, 0)
    assert (jan.late_reports, jan.missing_reports) == (0, 0)  # due before the 25th: not yet
    assert by_month["2025-09"].late_reports is None  # before the template applied
    assert (nov.issues_overdue, dec.issues_overdue) == (1, 1)
    assert (nov.answered, nov.median_days, dec.answered, dec.median_days) == (1, 24, 1, 4)
    assert (nov.directions_overdue, dec.directions_overdue) == (0, 2)
    assert figures.total_directions == 2 and figures.median_days == 14


def test_the_page_the_export_and_the_scope(client, history, an, binh, cell_a, cell_b):
    client.force_login(an)
    html = client.get(f"/don-vi/{cell_a.pk}/trach-nhiem/").content.decode()
    assert 'data-total="directions">2<' in html and 'data-total="median">14<' in html
    assert 'data-month="2025-12"' in html
    response = client.get(f"/don-vi/{cell_a.pk}/trach-nhiem/xuat.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Tháng" and len(rows) == 13
    december = next(r for r in rows if r[0] == "Tháng 12/2025")
    assert december[1:] == (1, 0, 1, 2, 1, "4")
    assert client.get(f"/don-vi/{cell_b.pk}/trach-nhiem/").status_code == 404
    assert client.get(f"/don-vi/{cell_b.pk}/trach-nhiem/xuat.xlsx").status_code == 404
