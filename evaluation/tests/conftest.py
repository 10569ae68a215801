"""A constructed half-year (2025-H2) whose scores are computed by hand in the tests.

Criteria set "Thử nghiệm" (2025, version 2, newer than the seeded default):

=============  ======  ===================  ======  ========
code           weight  measure              target  missing
=============  ======  ===================  ======  ========
dung_han       40      reports_on_time      100 %   exclude
chi_dao        20      directions_on_time   100 %   exclude
van_de         20      issues_on_time       100 %   exclude
ctv            10      collaborator_items   2/month zero
tuyen_truyen   10      entered              10      exclude
=============  ======  ===================  ======  ========

The clock stands on 10 January 2026; every month of 2025-H2 is past its deadline (the 24th).

- cell_a (``an``): reports Jul, Aug, Sep on time, Oct late, Nov and Dec missing → 3/6; issues
  VD-1 answered late, VD-2 resolved in time → 1/2; no direction; no collaborator.
- cell_new, opened 15 October 2025 (``nam``): Oct, Nov, Dec on time → 3/3 (scored on 3 months);
  one direction done in time → 1/1; its collaborator filed 6 items → 2 a month.
- cell_b: nothing at all; cell_closed (closed 15 September): nothing, owed Jul–Sep.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from conftest import _user
from core.models import Channel
from evaluation import services
from intake.models import OpinionItem
from issues.models import Issue, IssueEvent
from orgs.models import Collaborator, OrgUnit, User
from picture import services as picture
from picture.models import Direction
from picture.tests.conftest import TZ
from reporting import services as reporting
from reporting.periods import parse_period

PERIOD = "2025-H2"
CRITERIA = [
    {"code": "dung_han", "name": "Nộp báo cáo đúng hạn", "weight": "40",
     "measure": "reports_on_time", "target": "100", "floor": "0", "missing": "exclude"},
    {"code": "chi_dao", "name": "Thực hiện chỉ đạo đúng hạn", "weight": "20",
     "measure": "directions_on_time", "target": "100", "floor": "0", "missing": "exclude"},
    {"code": "van_de", "name": "Trả lời vấn đề đúng hạn", "weight": "20",
     "measure": "issues_on_time", "target": "100", "floor": "0", "missing": "exclude"},
    {"code": "ctv", "name": "Hoạt động cộng tác viên", "weight": "10",
     "measure": "collaborator_items", "target": "2", "floor": "0", "missing": "zero"},
    {"code": "tuyen_truyen", "name": "Tuyên truyền Chỉ thị 47", "weight": "10",
     "measure": "entered", "target": "10", "floor": "0", "missing": "exclude"},
]


def at(day: int, month: int, year: int = 2025, hour: int = 9) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=TZ)


def submit(clock, when, user, template, code, sections):
    clock.move_to(when)
    period = reporting.ensure_period(parse_period(code))
    report = reporting.save_draft(user=user, template=template, period=period, unit=user.unit,
                                  sections=sections, streams=[], expected_version=None)
    reporting.submit_report(user=user, report=report, expected_version=report.version)
    return report


def issue(code, owner, due_on, *events):
    row = Issue.objects.create(code=code, title=f"Vấn đề {code}", owner_unit=owner,
                               first_seen_on=due_on - dt.timedelta(days=10), due_on=due_on,
                               status=Issue.Status.ASSIGNED)
    for kind, to_value, when in events:
        event = IssueEvent.objects.create(issue=row, kind=kind, to_value=to_value)
        IssueEvent.objects.filter(pk=event.pk).update(at=when)
    return row


@pytest.fixture
def clock():
    with time_machine.travel(dt.datetime(2026, 1, 10, 10, 0, tzinfo=TZ), tick=False) as traveller:
        yield traveller


@pytest.fixture
def cell_new(ward) -> OrgUnit:
    return OrgUnit.objects.create(code="chi-bo-moi", name="Chi bộ Khu đô thị mới",
                                  kind=OrgUnit.Kind.PARTY_CELL, parent=ward,
                                  opened_on=dt.date(2025, 10, 15))


@pytest.fixture
def nam(cell_new) -> User:
    user = _user("nam", User.Role.REPORTER, cell_new, "Vũ Văn Nam")
    cell_new.responsible_person = user
    cell_new.save()
    return user


@pytest.fixture
def criteria_set(vanphong):
    return services.create_criteria_set(actor=vanphong, year=2025, name="Thử nghiệm",
                                        criteria=CRITERIA)


@pytest.fixture
def half_year(clock, vanphong, lanhdao, an, binh, nam, cell_a, cell_b, cell_new, cell_closed,
              monthly, full_sections, criteria_set):
    monthly.units.add(cell_new)
    for month in (7, 8, 9):
        submit(clock, at(20, month), an, monthly, f"2025-{month:02d}", full_sections)
    submit(clock, at(28, 10), an, monthly, "2025-10", full_sections)  # late
    for month in (10, 11, 12):
        submit(clock, at(20, month), nam, monthly, f"2025-{month:02d}", full_sections)
    answer, status = IssueEvent.Kind.ANSWER, IssueEvent.Kind.STATUS
    issue("VD-1", cell_a, dt.date(2025, 11, 20), (answer, "Trả lời", at(25, 11)))
    issue("VD-2", cell_a, dt.date(2025, 12, 10),
          (status, Issue.Status.RESOLVED.label, at(5, 12)))
    issue("VD-3", cell_a, dt.date(2026, 1, 20))  # due after the period: not counted
    clock.move_to(at(1, 12))
    direction = picture.create_direction(author=lanhdao, text="Nắm tình hình khu đô thị mới.",
                                         due_on=dt.date(2025, 12, 10), unit_ids=[cell_new.pk])
    clock.move_to(at(8, 12))
    picture.report_progress(user=nam, direction=direction, unit=cell_new, note="Đã làm.",
                            status=Direction.Status.DONE)
    ctv_user = _user("ctv_moi", User.Role.COLLABORATOR, cell_new, "Cộng tác viên mới")
    Collaborator.objects.create(full_name="Cộng tác viên mới", user=ctv_user, unit=cell_new,
                                started_on=dt.date(2025, 10, 15))
    for day in range(1, 7):
        OpinionItem.objects.create(text=f"Ý kiến số {day} về đường sá khu đô thị.",
                                   channel=Channel.COLLABORATOR, unit=cell_new,
                                   received_on=dt.date(2025, 11, day), created_by=ctv_user)
    clock.move_to(at(10, 1, 2026, 10))
    return criteria_set
