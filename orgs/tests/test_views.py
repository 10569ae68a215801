"""Org pages for each role: the tree, search, R1 list, areas, collaborators, exports, edits."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEntry
from orgs import services
from orgs.models import Collaborator, OrgUnit, User

ROLES = ["vanphong", "lanhdao", "an"]


@pytest.fixture
def cast(vanphong, lanhdao, an, binh, ward, office_unit, cell_a, cell_b, cell_closed, area_1):
    """Everyone on stage at once, plus a collaborator in each cell."""
    for name, unit, phone in (("Hoàng Thị Hòa", cell_a, "0912345678"),
                              ("Trịnh Văn Đức", cell_b, "0987654321")):
        services.create_collaborator(
            actor=vanphong, full_name=name, unit=unit, started_on=dt.date(2025, 10, 1),
            phone=phone, email=f"{phone}@example.vn", areas=[area_1] if unit == cell_a else [],
        )
    return {"vanphong": vanphong, "lanhdao": lanhdao, "an": an, "binh": binh}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sheet_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    return list(workbook.active.iter_rows(values_only=True))


# --- every page renders for every role -----------------------------------------------------


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("name", ["unit_list", "area_list", "collaborator_list"])
def test_list_pages_render_for_every_role(cast, who, name):
    response = client_for(cast[who]).get(reverse(name))
    assert response.status_code == 200
    assert "Đăng xuất" in response.content.decode()


@pytest.mark.parametrize("who", ROLES)
def test_unit_detail_of_own_unit_renders_for_every_role(cast, who, cell_a):
    response = client_for(cast[who]).get(reverse("unit_detail", args=[cell_a.pk]))
    assert response.status_code == 200
    assert "Lê Văn An" in response.content.decode()


def test_anonymous_visitors_are_sent_to_login(db, cell_a):
    for url in (reverse("unit_list"), reverse("unit_detail", args=[cell_a.pk]),
                reverse("collaborator_list"), reverse("audit_log")):
        response = Client().get(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


# --- scoping -------------------------------------------------------------------------------


def test_reporter_of_cell_a_gets_404_for_cell_b(cast, cell_b, ward):
    client = client_for(cast["an"])
    assert client.get(reverse("unit_detail", args=[cell_b.pk])).status_code == 404
    assert client.get(reverse("unit_detail", args=[ward.pk])).status_code == 404
    assert client.get(reverse("unit_edit", args=[cell_b.pk])).status_code == 404
    other = Collaborator.objects.get(unit=cell_b)
    assert client.get(reverse("collaborator_edit", args=[other.pk])).status_code == 404


def test_reporter_list_shows_only_own_subtree(cast):
    body = client_for(cast["an"]).get(reverse("unit_list")).content.decode()
    assert "Chi bộ Tổ dân phố 1" in body
    assert "Chi bộ Tổ dân phố 2" not in body
    assert "Đảng ủy phường Hòa Bình" not in body.split("<main")[1].split("</main>")[0]


def test_reporter_collaborator_list_has_no_contact_details(cast):
    body = client_for(cast["an"]).get(reverse("collaborator_list")).content.decode()
    assert "Hoàng Thị Hòa" in body
    assert "Trịnh Văn Đức" not in body  # another cell's collaborator
    assert "0912345678" not in body and "@example.vn" not in body
    assert "Điện thoại" not in body


def test_leader_sees_every_collaborator_but_no_contact_details(cast):
    client = client_for(cast["lanhdao"])
    body = client.get(reverse("collaborator_list")).content.decode()
    assert "Hoàng Thị Hòa" in body and "Trịnh Văn Đức" in body
    assert "0912345678" not in body and "0987654321" not in body and "@example.vn" not in body
    detail = client.get(reverse("collaborator_edit", args=[Collaborator.objects.first().pk]))
    assert detail.status_code == 200
    assert "@example.vn" not in detail.content.decode()


def test_office_sees_contact_details(cast):
    body = client_for(cast["vanphong"]).get(reverse("collaborator_list")).content.decode()
    assert "0912345678" in body and "0987654321@example.vn" in body


@pytest.mark.parametrize("who", ["lanhdao", "an"])
def test_collaborator_export_has_no_contact_details_outside_the_office(cast, who):
    rows = sheet_rows(client_for(cast[who]).get(reverse("collaborator_export")))
    flat = " ".join(str(cell) for row in rows for cell in row)
    assert "Điện thoại" not in rows[0]
    assert "0912345678" not in flat and "@example.vn" not in flat
    assert "Hoàng Thị Hòa" in flat


def test_office_collaborator_export_has_contact_details_and_is_audited(cast):
    rows = sheet_rows(client_for(cast["vanphong"]).get(reverse("collaborator_export")))
    assert rows[0][-2:] == ("Điện thoại", "Thư điện tử")
    assert ("0912345678", "0912345678@example.vn") in {row[-2:] for row in rows}
    assert AuditEntry.objects.filter(action="export", object_type="orgs.collaborator").exists()


# --- the unit tree: search, filters, R1 list, export ---------------------------------------


def test_tree_is_indented_by_depth(cast, cell_a):
    services.create_unit(
        actor=cast["vanphong"], code="to-1", name="Tổ đảng Hòa Lạc", kind="chi_bo", parent=cell_a
    )
    body = client_for(cast["lanhdao"]).get(reverse("unit_list")).content.decode()
    ward_at = body.index("Đảng ủy phường Hòa Bình</a>")
    cell_at = body.index("Chi bộ Tổ dân phố 1</a>")
    child_at = body.index("Tổ đảng Hòa Lạc</a>")
    assert ward_at < cell_at < child_at  # depth-first: the child follows its parent
    assert '--depth: 2"' in body[cell_at:child_at + 300]


def test_search_without_diacritics_finds_the_ward(cast):
    response = client_for(cast["lanhdao"]).get(reverse("unit_list"), {"q": "hoa binh"})
    body = response.content.decode()
    assert "Đảng ủy phường Hòa Bình" in body
    assert "Chi bộ Tổ dân phố 1</a>" not in body
    assert response.context["total"] == 1


def test_filter_by_kind_and_by_closed(cast):
    client = client_for(cast["lanhdao"])
    cells = client.get(reverse("unit_list"), {"kind": OrgUnit.Kind.PARTY_CELL})
    assert {row.unit.code for row in cells.context["page"]} == {"chi-bo-1", "chi-bo-2", "chi-bo-cu"}
    closed = client.get(reverse("unit_list"), {"state": "closed"})
    assert [row.unit.code for row in closed.context["page"]] == ["chi-bo-cu"]
    opened = client.get(reverse("unit_list"), {"state": "open"})
    assert "chi-bo-cu" not in {row.unit.code for row in opened.context["page"]}


def test_units_without_responsible_person_list(cast, ward, vanphong):
    cell_c = services.create_unit(
        actor=vanphong, code="chi-bo-3", name="Chi bộ Tổ dân phố 3", kind="chi_bo", parent=ward
    )
    client = client_for(cast["lanhdao"])
    full = client.get(reverse("unit_list"))
    assert full.context["missing_count"] == 1
    assert "chưa có người phụ trách" in full.content.decode()
    response = client.get(reverse("unit_list"), {"khong_phu_trach": "1"})
    assert [row.unit for row in response.context["page"]] == [cell_c]
    assert "Chưa có" in response.content.decode()


def test_each_row_shows_the_responsible_person(cast):
    body = client_for(cast["lanhdao"]).get(reverse("unit_list")).content.decode()
    assert "Lê Văn An" in body and "Phạm Thị Bình" in body


def test_unit_list_paginates(cast, ward, vanphong):
    for number in range(60):
        services.create_unit(actor=vanphong, code=f"cb-{number}", name=f"Chi bộ số {number:02}",
                             kind="chi_bo", parent=ward)
    client = client_for(cast["lanhdao"])
    first = client.get(reverse("unit_list"))
    assert len(first.context["page"].object_list) == 50
    second = client.get(reverse("unit_list"), {"page": 2})
    assert len(second.context["page"].object_list) == first.context["total"] - 50


def test_unit_export_follows_filters_and_scope(cast):
    rows = sheet_rows(client_for(cast["lanhdao"]).get(reverse("unit_export"), {"kind": "chi_bo"}))
    assert rows[0][0] == "Tên đơn vị"
    names = [row[0].strip() for row in rows[1:]]
    assert sorted(names) == ["Chi bộ An Lư cũ", "Chi bộ Tổ dân phố 1", "Chi bộ Tổ dân phố 2"]
    mine = sheet_rows(client_for(cast["an"]).get(reverse("unit_export")))
    assert [row[0].strip() for row in mine[1:]] == ["Chi bộ Tổ dân phố 1"]
    assert AuditEntry.objects.filter(action="export", object_type="orgs.orgunit").count() == 2


# --- editing (office only) -----------------------------------------------------------------


def _unit_post(unit, **changes) -> dict:
    data = {
        "name": unit.name, "kind": unit.kind, "parent": unit.parent_id or "",
        "opened_on": unit.opened_on.isoformat(),
        "closed_on": unit.closed_on.isoformat() if unit.closed_on else "",
        "responsible_person": unit.responsible_person_id or "",
    }
    data.update(changes)
    return data


def test_office_edits_a_unit(cast, cell_b):
    client = client_for(cast["vanphong"])
    assert client.get(reverse("unit_edit", args=[cell_b.pk])).status_code == 200
    response = client.post(
        reverse("unit_edit", args=[cell_b.pk]), _unit_post(cell_b, name="Chi bộ Tổ dân phố 2A")
    )
    assert response.status_code == 302
    cell_b.refresh_from_db()
    assert cell_b.name == "Chi bộ Tổ dân phố 2A"
    assert AuditEntry.objects.filter(action="update", object_id=str(cell_b.pk)).exists()


def test_edit_form_shows_the_service_refusal_beside_the_field(cast, cell_a, cell_b):
    client = client_for(cast["vanphong"])
    response = client.post(
        reverse("unit_edit", args=[cell_a.pk]),
        _unit_post(cell_a, closed_on="2025-01-01"),
    )
    assert response.status_code == 200
    assert "closed_on" in response.context["form"].errors
    response = client.post(
        reverse("unit_edit", args=[cell_a.pk]),
        _unit_post(cell_a, responsible_person=cast["binh"].pk),
    )
    assert "responsible_person" in response.context["form"].errors
    cell_a.refresh_from_db()
    assert cell_a.closed_on is None and cell_a.responsible_person == cast["an"]


@pytest.mark.parametrize("who", ["lanhdao", "an"])
def test_non_office_cannot_edit(cast, who, cell_a):
    client = client_for(cast[who])
    assert client.get(reverse("unit_edit", args=[cell_a.pk])).status_code == 403
    response = client.post(reverse("unit_edit", args=[cell_a.pk]), _unit_post(cell_a, name="X"))
    assert response.status_code == 403
    cell_a.refresh_from_db()
    assert cell_a.name == "Chi bộ Tổ dân phố 1"
    assert client.get(reverse("collaborator_create")).status_code == 403
    assert client.get(reverse("unit_create")).status_code == 403
    assert client.get(reverse("area_create")).status_code == 403


def test_office_creates_a_unit_through_the_page(cast, ward):
    response = client_for(cast["vanphong"]).post(reverse("unit_create"), {
        "code": "chi-bo-thuy-ha", "name": "Chi bộ Thủy Hà", "kind": "chi_bo",
        "parent": ward.pk, "opened_on": "2025-07-01", "closed_on": "",
    })
    unit = OrgUnit.objects.get(code="chi-bo-thuy-ha")
    assert response.status_code == 302 and response["Location"].endswith(f"/don-vi/{unit.pk}/")


def test_office_creates_and_edits_a_collaborator_through_the_pages(cast, cell_a, area_1):
    client = client_for(cast["vanphong"])
    assert client.get(reverse("collaborator_create")).status_code == 200
    data = {
        "full_name": "Bùi Thị Lan", "unit": cell_a.pk, "areas": [area_1.pk],
        "started_on": "2025-10-01", "ended_on": "", "status": "active",
        "phone": "0912 000 111", "email": "",
    }
    assert client.post(reverse("collaborator_create"), data).status_code == 302
    lan = Collaborator.objects.get(full_name="Bùi Thị Lan")
    assert lan.phone == "0912000111"
    edit_url = reverse("collaborator_edit", args=[lan.pk])
    assert client.get(edit_url).status_code == 200
    bad = client.post(edit_url, {**data, "phone": "12345"})
    assert bad.status_code == 200 and "phone" in bad.context["form"].errors
    bad = client.post(edit_url, {**data, "ended_on": "2025-09-01"})
    assert "ended_on" in bad.context["form"].errors
    assert client.post(edit_url, {**data, "status": "paused"}).status_code == 302
    lan.refresh_from_db()
    assert lan.status == "paused" and lan.ended_on is None


# --- areas ---------------------------------------------------------------------------------


def test_area_list_totals_population(cast, vanphong, cell_b):
    services.create_area(actor=vanphong, name="Tổ dân phố 2", population=1180, households=300,
                         unit=cell_b)
    leader = client_for(cast["lanhdao"]).get(reverse("area_list"))
    assert leader.context["totals"]["population"] == 820 + 1180
    assert "2000" in leader.content.decode() or "2.000" in leader.content.decode()
    reporter = client_for(cast["an"]).get(reverse("area_list"))
    assert reporter.context["totals"]["population"] == 820  # only cell_a's area
    found = client_for(cast["lanhdao"]).get(reverse("area_list"), {"q": "to dan pho 2"})
    assert found.context["totals"]["count"] == 1


def test_office_creates_an_area_and_negative_population_is_refused(cast, cell_a):
    client = client_for(cast["vanphong"])
    bad = client.post(reverse("area_create"), {"name": "Tổ 9", "population": -5, "households": 0})
    assert bad.status_code == 200 and "population" in bad.context["form"].errors
    good = client.post(reverse("area_create"), {
        "name": "Tổ dân phố 9", "population": 700, "households": 180, "unit": cell_a.pk,
        "former_ward": "An Lư",
    })
    assert good.status_code == 302


# --- the Django admin (/quan-tri/) ---------------------------------------------------------


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("quantri", "it@phuonghoabinh.local", "mat-khau-dai")


def test_admin_changelists_open_for_every_registered_model(superuser, cast):
    client = client_for(superuser)
    for model in admin.site._registry:
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_admin_search_matches_without_diacritics(superuser, cast, ward):
    response = client_for(superuser).get(
        reverse("admin:orgs_orgunit_changelist"), {"q": "hoa binh"}
    )
    assert list(response.context["cl"].result_list) == [ward]


def test_admin_edits_are_audited_and_the_log_is_read_only(superuser, cast, area_1):
    client = client_for(superuser)
    url = reverse("admin:orgs_area_change", args=[area_1.pk])
    response = client.post(url, {
        "name": "Tổ dân phố 1", "former_ward": "Hòa Bình", "population": 830,
        "households": 200, "unit": area_1.unit_id,
    })
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(object_type="orgs.area", action="update").get()
    assert entry.actor == superuser and "population" in entry.data["changed_fields"]
    change = reverse("admin:core_auditentry_change", args=[entry.pk])
    assert client.post(change, {"summary": "sửa"}).status_code == 403
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403


# --- the unit search behind the pickers a city's units do not fit in --------------------------


def _found(user, q):
    response = client_for(user).get(reverse("unit_search"), {"q": q})
    assert response.status_code == 200
    return [row["name"] for row in response.json()["results"]]


def test_unit_search_finds_names_without_diacritics_and_codes(cast, ward, cell_a):
    assert _found(cast["lanhdao"], "hoa binh") == [ward.name]
    assert cell_a.name in _found(cast["lanhdao"], cell_a.code[:4].upper())
    row = client_for(cast["lanhdao"]).get(reverse("unit_search"), {"q": cell_a.name}).json()
    assert row["results"][0]["parent"] == ward.name


def test_unit_search_stays_in_the_readers_scope(cast, cell_a, cell_b):
    assert _found(cast["an"], "") == [cell_a.name]
    assert _found(cast["an"], cell_b.name) == []


def test_unit_search_answers_a_page_of_results(cast, ward, monkeypatch):
    from orgs import views

    monkeypatch.setattr(views, "UNIT_SEARCH_LIMIT", 2)
    assert len(_found(cast["vanphong"], "")) == 2
