"""Writes of the org registry: office only, refused input names the field, audited, atomic."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import ServiceError
from core.models import AuditEntry, Topic
from orgs import services
from orgs.models import Area, Collaborator, OrgUnit, User


def _audits(action: str, obj) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
        )
    )


# --- units ---------------------------------------------------------------------------------


def test_office_creates_a_unit_and_it_is_audited(vanphong, ward):
    unit = services.create_unit(
        actor=vanphong, code="chi-bo-3", name="  Chi bộ  Tổ dân phố 3 ", kind="chi_bo",
        parent=ward, opened_on=dt.date(2025, 7, 1),
    )
    assert unit.name == "Chi bộ Tổ dân phố 3"
    assert unit.name_folded == "chi bo to dan pho 3"
    [entry] = _audits(AuditEntry.Action.CREATE, unit)
    assert entry.actor == vanphong and entry.unit == unit


@pytest.mark.parametrize("who", ["lanhdao", "an"])
def test_only_the_office_writes_the_registry(request, who, ward, cell_a):
    actor = request.getfixturevalue(who)
    with pytest.raises(ServiceError, match="không có quyền"):
        services.create_unit(actor=actor, code="x", name="X", kind="chi_bo", parent=ward)
    with pytest.raises(ServiceError, match="không có quyền"):
        services.update_unit(actor=actor, unit=cell_a, name="Đổi tên")
    with pytest.raises(ServiceError, match="không có quyền"):
        services.create_area(actor=actor, name="Tổ 9")
    with pytest.raises(ServiceError, match="không có quyền"):
        services.create_collaborator(
            actor=actor, full_name="A", unit=cell_a, started_on=dt.date(2025, 10, 1)
        )
    assert not OrgUnit.objects.filter(code="x").exists()
    assert OrgUnit.objects.get(pk=cell_a.pk).name == "Chi bộ Tổ dân phố 1"
    assert not AuditEntry.objects.filter(action__in=["create", "update"]).exists()


def test_duplicate_code_and_bad_kind_are_refused_naming_the_field(vanphong, cell_a):
    with pytest.raises(ServiceError) as error:
        services.create_unit(actor=vanphong, code="chi-bo-1", name="Trùng", kind="chi_bo")
    assert error.value.field == "code"
    with pytest.raises(ServiceError) as error:
        services.create_unit(actor=vanphong, code="moi", name="Mới", kind="khong_co")
    assert error.value.field == "kind"
    with pytest.raises(ServiceError) as error:
        services.create_unit(actor=vanphong, code="moi", name="   ", kind="chi_bo")
    assert error.value.field == "name"


def test_a_cycle_in_the_tree_is_refused(vanphong, ward, cell_a):
    child = services.create_unit(
        actor=vanphong, code="to-dang", name="Tổ đảng 1", kind="chi_bo", parent=cell_a
    )
    with pytest.raises(ServiceError) as error:
        services.update_unit(actor=vanphong, unit=cell_a, parent=child)
    assert error.value.field == "parent"
    assert "vòng lặp" in error.value.message
    with pytest.raises(ServiceError) as error:
        services.update_unit(actor=vanphong, unit=ward, parent=ward)
    assert error.value.field == "parent"
    cell_a.refresh_from_db()
    ward.refresh_from_db()
    assert cell_a.parent_id == ward.pk and ward.parent_id is None


def test_moving_a_unit_elsewhere_in_the_tree_is_allowed(vanphong, cell_a, cell_b):
    services.update_unit(actor=vanphong, unit=cell_b, parent=cell_a)
    cell_b.refresh_from_db()
    assert cell_b.parent_id == cell_a.pk
    [entry] = _audits(AuditEntry.Action.UPDATE, cell_b)
    assert entry.data["changes"]["parent"][1] == cell_a.name


def test_closing_before_opening_is_refused_and_nothing_changes(vanphong, cell_a):
    with pytest.raises(ServiceError) as error:
        services.update_unit(
            actor=vanphong, unit=cell_a, name="Tên mới", closed_on=dt.date(2025, 6, 30)
        )
    assert error.value.field == "closed_on"
    cell_a.refresh_from_db()
    assert cell_a.name == "Chi bộ Tổ dân phố 1" and cell_a.closed_on is None
    assert not AuditEntry.objects.filter(action="update").exists()
    # Moving the opening date past an existing closing date is the same mistake.
    with pytest.raises(ServiceError) as error:
        services.update_unit(actor=vanphong, unit=cell_a, closed_on=dt.date(2025, 8, 1),
                             opened_on=dt.date(2025, 9, 1))
    assert error.value.field == "closed_on"


def test_creating_with_closed_before_opened_is_refused(vanphong, ward):
    with pytest.raises(ServiceError) as error:
        services.create_unit(
            actor=vanphong, code="sai-ngay", name="Sai ngày", kind="chi_bo", parent=ward,
            opened_on=dt.date(2025, 9, 1), closed_on=dt.date(2025, 8, 1),
        )
    assert error.value.field == "closed_on"
    assert not OrgUnit.objects.filter(code="sai-ngay").exists()
    assert not AuditEntry.objects.exists()


def test_unchanged_update_writes_no_audit_entry(vanphong, cell_a):
    services.update_unit(actor=vanphong, unit=cell_a, name=cell_a.name)
    assert not AuditEntry.objects.filter(action="update").exists()


def test_responsible_person_must_belong_to_the_unit(vanphong, cell_a, binh):
    with pytest.raises(ServiceError) as error:
        services.set_responsible_person(actor=vanphong, unit=cell_a, person=binh)
    assert error.value.field == "responsible_person"
    cell_a.refresh_from_db()
    assert cell_a.responsible_person_id is None


def test_the_office_may_confirm_a_responsible_person_from_outside(vanphong, cell_a, binh):
    services.set_responsible_person(
        actor=vanphong, unit=cell_a, person=binh, accept_outside_unit=True
    )
    cell_a.refresh_from_db()
    assert cell_a.responsible_person == binh
    [entry] = _audits(AuditEntry.Action.UPDATE, cell_a)
    assert "responsible_person" in entry.data["changes"]


def test_naming_and_clearing_the_responsible_person(vanphong, cell_a):
    member = User.objects.create(username="chi", role="reporter", unit=cell_a, full_name="Chi")
    services.set_responsible_person(actor=vanphong, unit=cell_a, person=member)
    cell_a.refresh_from_db()
    assert cell_a.responsible_person == member
    services.set_responsible_person(actor=vanphong, unit=cell_a, person=None)
    cell_a.refresh_from_db()
    assert cell_a.responsible_person is None
    assert len(_audits(AuditEntry.Action.UPDATE, cell_a)) == 2


def test_an_inactive_account_cannot_be_responsible(vanphong, cell_a):
    member = User.objects.create(username="nghi", unit=cell_a, is_active=False)
    with pytest.raises(ServiceError) as error:
        services.set_responsible_person(actor=vanphong, unit=cell_a, person=member)
    assert error.value.field == "responsible_person"


# --- areas ---------------------------------------------------------------------------------


def test_area_create_and_update_are_audited(vanphong, cell_a):
    area = services.create_area(
        actor=vanphong, name="Tổ dân phố 5", population=900, households=240,
        former_ward="Hòa Bình", unit=cell_a,
    )
    assert _audits(AuditEntry.Action.CREATE, area)
    services.update_area(actor=vanphong, area=area, population=950)
    area.refresh_from_db()
    assert area.population == 950
    [entry] = _audits(AuditEntry.Action.UPDATE, area)
    assert entry.data["changes"]["population"] == ["900", "950"]


def test_negative_population_is_refused(vanphong, area_1):
    with pytest.raises(ServiceError) as error:
        services.create_area(actor=vanphong, name="Tổ 7", population=-1)
    assert error.value.field == "population"
    with pytest.raises(ServiceError) as error:
        services.update_area(actor=vanphong, area=area_1, name="Tổ mới", households=-3)
    assert error.value.field == "households"
    area_1.refresh_from_db()
    assert area_1.name == "Tổ dân phố 1"
    assert not Area.objects.filter(name="Tổ 7").exists()


def test_duplicate_area_name_is_refused(vanphong, area_1):
    with pytest.raises(ServiceError) as error:
        services.create_area(actor=vanphong, name="Tổ dân phố 1")
    assert error.value.field == "name"


# --- collaborators -------------------------------------------------------------------------


@pytest.fixture
def environment_topic() -> Topic:
    return Topic.objects.get(name="Môi trường")


def test_collaborator_is_created_with_areas_topics_and_normalised_contact(
    vanphong, cell_a, area_1, environment_topic
):
    collaborator = services.create_collaborator(
        actor=vanphong, full_name="Đỗ Thị Hằng", unit=cell_a, started_on=dt.date(2025, 10, 1),
        areas=[area_1], topics=[environment_topic], phone="+84 912.345.678",
        email="Hang@Example.VN",
    )
    assert collaborator.phone == "0912345678"
    assert collaborator.email == "hang@example.vn"
    assert list(collaborator.areas.all()) == [area_1]
    assert list(collaborator.topics.all()) == [environment_topic]
    [entry] = _audits(AuditEntry.Action.CREATE, collaborator)
    # Contact details stay out of the log.
    assert "0912345678" not in str(entry.data) + entry.summary


@pytest.mark.parametrize("phone", ["0225 3123 456", "0387654321", "84 987 654 321"])
def test_vietnamese_phone_numbers_are_accepted(vanphong, cell_a, phone):
    collaborator = services.create_collaborator(
        actor=vanphong, full_name="Vũ Văn Nam", unit=cell_a, started_on=dt.date(2025, 10, 1),
        phone=phone,
    )
    assert collaborator.phone.isdigit() and collaborator.phone.startswith("0")


@pytest.mark.parametrize("phone", ["12345", "0112345678", "091234567", "phone", "+1 202 555 0100"])
def test_bad_phone_is_refused_naming_the_field(vanphong, cell_a, phone):
    with pytest.raises(ServiceError) as error:
        services.create_collaborator(
            actor=vanphong, full_name="Vũ Văn Nam", unit=cell_a,
            started_on=dt.date(2025, 10, 1), phone=phone,
        )
    assert error.value.field == "phone"
    assert not Collaborator.objects.exists()


def test_bad_email_and_dates_are_refused(vanphong, cell_a):
    with pytest.raises(ServiceError) as error:
        services.create_collaborator(
            actor=vanphong, full_name="A", unit=cell_a, started_on=dt.date(2025, 10, 1),
            email="khong-phai-email",
        )
    assert error.value.field == "email"
    with pytest.raises(ServiceError) as error:
        services.create_collaborator(
            actor=vanphong, full_name="A", unit=cell_a, started_on=dt.date(2025, 10, 1),
            ended_on=dt.date(2025, 9, 30),
        )
    assert error.value.field == "ended_on"
    with pytest.raises(ServiceError) as error:
        services.create_collaborator(
            actor=vanphong, full_name="A", unit=cell_a, started_on=dt.date(2025, 10, 1),
            status="khong-ro",
        )
    assert error.value.field == "status"
    assert not Collaborator.objects.exists()
    assert not AuditEntry.objects.exists()


def test_unknown_area_leaves_nothing_half_written(vanphong, cell_a, area_1):
    with pytest.raises(ServiceError) as error:
        services.create_collaborator(
            actor=vanphong, full_name="A", unit=cell_a, started_on=dt.date(2025, 10, 1),
            areas=[area_1.pk, 999_999],
        )
    assert error.value.field == "areas"
    assert not Collaborator.objects.exists()


def test_update_collaborator_refuses_bad_dates_and_keeps_old_values(vanphong, cell_a, area_1):
    collaborator = services.create_collaborator(
        actor=vanphong, full_name="Ngô Văn Tâm", unit=cell_a, started_on=dt.date(2025, 10, 1),
    )
    with pytest.raises(ServiceError) as error:
        services.update_collaborator(
            actor=vanphong, collaborator=collaborator, full_name="Tên khác",
            areas=[area_1], ended_on=dt.date(2025, 1, 1),
        )
    assert error.value.field == "ended_on"
    collaborator.refresh_from_db()
    assert collaborator.full_name == "Ngô Văn Tâm"
    assert not collaborator.areas.exists()


def test_update_collaborator_audits_which_fields_changed_without_contact_values(
    vanphong, cell_a, cell_b, area_1
):
    collaborator = services.create_collaborator(
        actor=vanphong, full_name="Ngô Văn Tâm", unit=cell_a, started_on=dt.date(2025, 10, 1),
    )
    services.update_collaborator(
        actor=vanphong, collaborator=collaborator, unit=cell_b, areas=[area_1],
        status=Collaborator.Status.PAUSED, phone="0912 345 678",
    )
    collaborator.refresh_from_db()
    assert collaborator.unit == cell_b and collaborator.status == "paused"
    assert collaborator.phone == "0912345678"
    [entry] = _audits(AuditEntry.Action.UPDATE, collaborator)
    assert set(entry.data["changes"]) == {"unit", "areas", "status", "phone"}
    assert "0912345678" not in str(entry.data)
