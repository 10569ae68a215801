"""The directions' test cast, on top of the root conftest's ward: a đảng bộ with a chi bộ below it
(``dang_bo``, ``cell_c``, reporters ``dung`` and ``cuong``), a collaborator ``ctv`` of cell_a, and
a clock stopped on Saturday 10 January 2026, 10:00 in Hòa Bình."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conftest import _user
from orgs.models import OrgUnit, User
from picture import services

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2026, 1, 10)


@pytest.fixture
def clock():
    with time_machine.travel(dt.datetime(2026, 1, 10, 10, 0, tzinfo=TZ), tick=False) as traveller:
        yield traveller


@pytest.fixture
def dang_bo(ward) -> OrgUnit:
    return OrgUnit.objects.create(code="dang-bo-1", name="Đảng bộ Khối doanh nghiệp",
                                  kind=OrgUnit.Kind.PARTY_COMMITTEE, parent=ward)


@pytest.fixture
def cell_c(dang_bo) -> OrgUnit:
    return OrgUnit.objects.create(code="chi-bo-3", name="Chi bộ Công ty Thủy Nguyên",
                                  kind=OrgUnit.Kind.PARTY_CELL, parent=dang_bo)


@pytest.fixture
def dung(dang_bo) -> User:
    user = _user("dung", User.Role.REPORTER, dang_bo, "Hoàng Văn Dũng")
    dang_bo.responsible_person = user
    dang_bo.save()
    return user


@pytest.fixture
def cuong(cell_c) -> User:
    user = _user("cuong", User.Role.REPORTER, cell_c, "Đỗ Văn Cường")
    cell_c.responsible_person = user
    cell_c.save()
    return user


@pytest.fixture
def ctv(cell_a) -> User:
    return _user("ctv", User.Role.COLLABORATOR, cell_a, "Vũ Thị Cúc")


@pytest.fixture
def give(clock, lanhdao):
    """Give a direction as the leader (or ``author``), due in a week unless told."""

    def make(units, text="Nắm tình hình dư luận về thu gom rác, báo cáo kết quả.", *,
             author=None, due_on=None, **kwargs):
        return services.create_direction(
            author=author or lanhdao, text=text, due_on=due_on or TODAY + dt.timedelta(days=7),
            unit_ids=[u.pk for u in units], **kwargs,
        )

    return make
