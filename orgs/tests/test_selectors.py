"""Scoped reads of the org registry: a reporter sees only their unit and what is below it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from orgs import selectors, services
from orgs.models import OrgUnit, User


@pytest.fixture
def collaborators(vanphong, cell_a, cell_b):
    make = services.create_collaborator
    return {
        "a": make(actor=vanphong, full_name="Hoàng Thị Hòa", unit=cell_a,
                  started_on=dt.date(2025, 10, 1), phone="0912345678"),
        "b": make(actor=vanphong, full_name="Trịnh Văn Đức", unit=cell_b,
                  started_on=dt.date(2025, 10, 1), phone="0987654321"),
    }


def test_reporter_sees_own_unit_and_descendants_only(vanphong, an, cell_a, cell_b, ward):
    child = services.create_unit(
        actor=vanphong, code="to-1", name="Tổ đảng 1", kind="chi_bo", parent=cell_a
    )
    visible = set(selectors.units_visible_to(an).values_list("pk", flat=True))
    assert visible == {cell_a.pk, child.pk}
    assert selectors.get_unit_for(an, child.pk) == child
    with pytest.raises(Http404):
        selectors.get_unit_for(an, cell_b.pk)
    with pytest.raises(Http404):
        selectors.get_unit_for(an, ward.pk)


@pytest.mark.parametrize("who", ["vanphong", "lanhdao"])
def test_office_and_leaders_see_every_unit(request, who, cell_a, cell_b, cell_closed):
    user = request.getfixturevalue(who)
    assert selectors.visible_unit_ids(user) is None
    assert selectors.get_unit_for(user, cell_b.pk) == cell_b


def test_search_matches_without_diacritics(lanhdao, ward, cell_a):
    for query in ("hoa binh", "Hoà Bình", "HÒA BÌNH", "phuong hoa"):
        assert list(selectors.search_units(lanhdao, query)) == [ward], query


def test_search_stays_inside_the_readers_scope(an, ward, cell_a, cell_b):
    assert list(selectors.search_units(an, "chi bo")) == [cell_a]


def test_units_without_responsible_lists_open_reporting_units_only(
    lanhdao, ward, office_unit, cell_a, cell_b, cell_closed, an
):
    # ward and office are not reporting units; cell_closed is closed; an is cell_a's person.
    assert list(selectors.units_without_responsible(lanhdao)) == [cell_b]


def test_collaborators_are_scoped_to_the_reader(an, lanhdao, collaborators):
    assert list(selectors.collaborators_visible_to(an)) == [collaborators["a"]]
    assert set(selectors.collaborators_visible_to(lanhdao)) == set(collaborators.values())
    assert list(selectors.collaborators_visible_to(lanhdao, "duc")) == [collaborators["b"]]


def test_only_the_office_sees_contact_details(vanphong, lanhdao, an):
    assert selectors.can_see_contact_details(vanphong)
    assert not selectors.can_see_contact_details(lanhdao)
    assert not selectors.can_see_contact_details(an)


def test_a_reporter_without_a_unit_sees_nothing(db, cell_a):
    loner = User.objects.create(username="le", role=User.Role.REPORTER)
    assert not selectors.units_visible_to(loner).exists()
    assert OrgUnit.objects.exists()
