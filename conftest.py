"""The canonical test world: a small ward with named units and people (a fixed cast).

- ``ward``: Đảng ủy phường Hòa Bình; under it ``office`` (Ban XDĐ), ``cell_a`` and ``cell_b``
  (chi bộ with responsible persons ``an`` and ``binh``), and ``cell_closed`` (dissolved 2025-09-15).
- ``vanphong`` (office), ``lanhdao`` (leader), ``an`` (reporter of cell_a), ``binh`` (cell_b).
- ``monthly``: the seeded monthly template, assigned to every chi bộ.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from core.models import Attitude, Channel, Reach, Topic
from orgs.models import Area, OrgUnit, User
from reporting.models import ReportTemplate
from reporting.services import StreamInput

PASSWORD = "longdan-test"


def _second_step_passed(login):
    """Tests that sign someone in with ``force_login`` (or ``Client.login``) skip the password
    page, and so the second step too (core.twofactor): the session counts as having passed it.
    The two-factor tests sign in through the real pages instead."""

    def wrapper(self, *args, **kwargs):
        result = login(self, *args, **kwargs)
        if result is not False:
            from core.twofactor import SESSION_KEY

            session = self.session
            session[SESSION_KEY] = True
            session.save()
        return result

    return wrapper


Client.force_login = _second_step_passed(Client.force_login)
Client.login = _second_step_passed(Client.login)


def _user(username: str, role: str, unit: OrgUnit | None, full_name: str) -> User:
    user = User(username=username, role=role, unit=unit, full_name=full_name)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def ward(db) -> OrgUnit:
    return OrgUnit.objects.create(
        code="dang-uy", name="Đảng ủy phường Hòa Bình", kind=OrgUnit.Kind.WARD_COMMITTEE
    )


@pytest.fixture
def office_unit(ward) -> OrgUnit:
    return OrgUnit.objects.create(
        code="ban-xdd", name="Ban Xây dựng Đảng", kind=OrgUnit.Kind.OFFICE, parent=ward
    )


@pytest.fixture
def cell_a(ward) -> OrgUnit:
    return OrgUnit.objects.create(
        code="chi-bo-1", name="Chi bộ Tổ dân phố 1", kind=OrgUnit.Kind.PARTY_CELL, parent=ward
    )


@pytest.fixture
def cell_b(ward) -> OrgUnit:
    return OrgUnit.objects.create(
        code="chi-bo-2", name="Chi bộ Tổ dân phố 2", kind=OrgUnit.Kind.PARTY_CELL, parent=ward
    )


@pytest.fixture
def cell_closed(ward) -> OrgUnit:
    return OrgUnit.objects.create(
        code="chi-bo-cu",
        name="Chi bộ An Lư cũ",
        kind=OrgUnit.Kind.PARTY_CELL,
        parent=ward,
        opened_on=dt.date(2025, 7, 1),
        closed_on=dt.date(2025, 9, 15),
    )


@pytest.fixture
def vanphong(office_unit) -> User:
    return _user("vanphong", User.Role.OFFICE, office_unit, "Nguyễn Thị Hoa")


@pytest.fixture
def lanhdao(ward) -> User:
    return _user("lanhdao", User.Role.LEADER, ward, "Trần Văn Minh")


@pytest.fixture
def an(cell_a) -> User:
    user = _user("an", User.Role.REPORTER, cell_a, "Lê Văn An")
    cell_a.responsible_person = user
    cell_a.save()
    return user


@pytest.fixture
def binh(cell_b) -> User:
    user = _user("binh", User.Role.REPORTER, cell_b, "Phạm Thị Bình")
    cell_b.responsible_person = user
    cell_b.save()
    return user


@pytest.fixture
def area_1(cell_a) -> Area:
    return Area.objects.create(name="Tổ dân phố 1", population=820, unit=cell_a)


@pytest.fixture
def monthly(cell_a, cell_b, cell_closed) -> ReportTemplate:
    template = ReportTemplate.objects.get(period_kind="month")
    template.units.set([cell_a, cell_b, cell_closed])
    return template


@pytest.fixture
def full_sections(monthly) -> dict[str, str]:
    return {key: f"Nội dung phần {key} đầy đủ." for key in monthly.section_keys()}


@pytest.fixture
def stream() -> StreamInput:
    return StreamInput(
        topic_id=Topic.objects.get(name="Môi trường").pk,
        summary="Nhân dân bức xúc vì rác thải tồn đọng ở khu chợ Hòa Bình.",
        attitude=Attitude.AGGRIEVED,
        reach=Reach.MANY,
        channel=Channel.RESIDENTIAL,
        latent=False,
    )


def pytest_collection_modifyitems(config, items):
    """Every test that commits for real must restore the database the way the others expect.

    A transactional test without ``serialized_rollback`` flushes the database and re-creates the
    content types; the next one that restores its serialized copy then collides with them, and a
    distant test fails depending on the order the suite runs in."""
    bare = [
        item.nodeid for item in items
        for marker in item.iter_markers("django_db")
        if marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback")
    ]
    if bare:
        raise pytest.UsageError(
            "Transactional tests without serialized_rollback=True: " + ", ".join(bare))
