"""The org API: getting a token, units, areas, collaborators (contact details), the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from core import tokens
from core.models import ApiToken, AuditEntry
from orgs.models import Area, Collaborator, OrgUnit

PASSWORD = "longdan-test"  # the conftest cast's password


def api_secret(user, name: str = "") -> str:
    """A new API token's secret for ``user`` (core.tokens: only its hash is stored)."""
    return tokens.issue(user, name)[1]


def as_user(user) -> APIClient:
    """A client that authenticates the way a script does: with the user's API token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_secret(user)}")
    return client


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # The token endpoint's throttle counts in the cache, which outlives a single test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sub_cell(cell_a) -> OrgUnit:
    return OrgUnit.objects.create(
        code="to-dang-1", name="Tổ đảng Khu chợ", kind=OrgUnit.Kind.PARTY_CELL, parent=cell_a
    )


@pytest.fixture
def collaborators(cell_a, cell_b, area_1):
    mai = Collaborator.objects.create(
        full_name="Đỗ Thị Mai",
        unit=cell_a,
        phone="0912345678",
        email="mai@example.vn",
        started_on=dt.date(2025, 10, 1),
    )
    mai.areas.set([area_1])
    hung = Collaborator.objects.create(
        full_name="Vũ Văn Hùng", unit=cell_b, phone="0987654321", started_on=dt.date(2025, 10, 1)
    )
    return mai, hung


# --- Token --------------------------------------------------------------------------------------


def test_token_for_username_and_password_is_audited_and_works(an):
    response = APIClient().post(
        "/api/v1/token/", {"username": "an", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert ApiToken.objects.get(user=an).key_hash == tokens.hash_secret(body["token"])
    assert (body["username"], body["role"]) == ("an", "reporter")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN)
    assert entry.actor == an and "mã truy cập API" in entry.summary
    again = APIClient().post(
        "/api/v1/token/", {"username": "an", "password": PASSWORD}, format="json"
    )
    assert again.json()["token"] != body["token"]  # a new token per call (one per device)

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert client.get("/api/v1/units/").status_code == 200


def test_wrong_password_is_refused_and_logged(an):
    response = APIClient().post(
        "/api/v1/token/", {"username": "an", "password": "sai"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "field": "password",
    }
    assert not ApiToken.objects.exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED).count() == 1


def test_inactive_user_gets_no_token(an):
    an.is_active = False
    an.save()
    response = APIClient().post(
        "/api/v1/token/", {"username": "an", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_token_request_names_the_missing_field(db):
    response = APIClient().post("/api/v1/token/", {"username": "an"}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "password"
    assert response.json()["detail"] == "password: Thiếu trường này."


def test_password_guessing_is_throttled(an, settings):
    # The request limit alone: the failed-login lockout (core.lockout) is tested on its own.
    settings.AXES_FAILURE_LIMIT = 100
    client = APIClient()
    statuses = [
        client.post(
            "/api/v1/token/", {"username": "an", "password": f"sai-{i}"}, format="json"
        ).status_code
        for i in range(21)
    ]
    assert statuses[:20] == [400] * 20
    assert statuses[20] == 429


def test_revoked_token_no_longer_works(an):
    client = as_user(an)
    ApiToken.objects.filter(user=an).delete()
    assert client.get("/api/v1/units/").status_code == 401


# --- Units --------------------------------------------------------------------------------------


def test_units_are_scoped_to_the_readers_subtree(an, vanphong, lanhdao, cell_a, cell_b, sub_cell):
    mine = as_user(an).get("/api/v1/units/").json()
    assert {row["id"] for row in mine["results"]} == {cell_a.pk, sub_cell.pk}
    everything = as_user(vanphong).get("/api/v1/units/").json()
    assert everything["count"] == OrgUnit.objects.count()
    assert as_user(lanhdao).get("/api/v1/units/").json()["count"] == OrgUnit.objects.count()
    hidden = as_user(an).get(f"/api/v1/units/{cell_b.pk}/")
    assert hidden.status_code == 404
    assert hidden.json() == {"detail": "Không tìm thấy đơn vị.", "field": None}
    own = as_user(an).get(f"/api/v1/units/{cell_a.pk}/").json()
    assert own["responsible_person"] == {"id": an.pk, "username": "an", "full_name": "Lê Văn An"}
    assert own["kind_label"] == "Chi bộ"


def test_unit_search_without_diacritics_and_without_responsible(
    vanphong, an, cell_a, cell_b, cell_closed
):
    client = as_user(vanphong)
    found = client.get("/api/v1/units/", {"q": "chi bo to dan pho 1"}).json()
    assert [row["id"] for row in found["results"]] == [cell_a.pk]
    accented = client.get("/api/v1/units/", {"q": "Tổ dân phố"}).json()
    assert {row["id"] for row in accented["results"]} == {cell_a.pk, cell_b.pk}
    # cell_a has "an"; the closed cell need not report; the ward and the office are not branches.
    missing = client.get("/api/v1/units/", {"without_responsible": "1"}).json()
    assert [row["id"] for row in missing["results"]] == [cell_b.pk]


def test_areas_are_listed_and_searchable(an, area_1):
    Area.objects.create(name="Tổ dân phố Đông Sơn", population=640)
    client = as_user(an)
    assert client.get("/api/v1/areas/").json()["count"] == 2
    found = client.get("/api/v1/areas/", {"q": "dong son"}).json()["results"]
    assert [row["name"] for row in found] == ["Tổ dân phố Đông Sơn"]


# --- Collaborators ------------------------------------------------------------------------------


def test_collaborator_contact_details_only_for_the_office(vanphong, lanhdao, an, collaborators):
    mai, _ = collaborators
    office_rows = as_user(vanphong).get("/api/v1/collaborators/").json()["results"]
    assert {row["full_name"]: row["phone"] for row in office_rows} == {
        "Đỗ Thị Mai": "0912345678",
        "Vũ Văn Hùng": "0987654321",
    }
    leader_rows = as_user(lanhdao).get("/api/v1/collaborators/").json()["results"]
    assert len(leader_rows) == 2
    assert all("phone" not in row and "email" not in row for row in leader_rows)
    leader_one = as_user(lanhdao).get(f"/api/v1/collaborators/{mai.pk}/").json()
    assert "phone" not in leader_one
    reporter_rows = as_user(an).get("/api/v1/collaborators/").json()["results"]
    assert [row["full_name"] for row in reporter_rows] == ["Đỗ Thị Mai"]
    assert "phone" not in reporter_rows[0]
    assert reporter_rows[0]["areas"] == list(mai.areas.values_list("pk", flat=True))


def test_collaborator_of_another_unit_is_not_found(an, collaborators):
    _, hung = collaborators
    assert as_user(an).get(f"/api/v1/collaborators/{hung.pk}/").status_code == 404


# --- Audit log ----------------------------------------------------------------------------------


def test_audit_log_for_office_and_leaders_only(vanphong, lanhdao, an):
    APIClient().post("/api/v1/token/", {"username": "an", "password": PASSWORD}, format="json")
    APIClient().post("/api/v1/token/", {"username": "an", "password": "sai"}, format="json")
    for user in (vanphong, lanhdao):
        rows = as_user(user).get("/api/v1/audit/").json()["results"]
        assert {row["action"] for row in rows} == {"login", "login_failed"}
    hidden = as_user(an).get("/api/v1/audit/")
    assert hidden.status_code == 404
    assert hidden.json()["detail"] == "Không tìm thấy."


def test_audit_filters(vanphong, an):
    APIClient().post("/api/v1/token/", {"username": "an", "password": PASSWORD}, format="json")
    client = as_user(vanphong)
    logins = client.get("/api/v1/audit/", {"action": "login"}).json()["results"]
    assert [row["actor_username"] for row in logins] == ["an"]
    assert logins[0]["action_label"] == "Đăng nhập"
    assert client.get("/api/v1/audit/", {"since": "2100-01-01"}).json()["count"] == 0
    assert client.get("/api/v1/audit/", {"since": "2000-01-01T00:00"}).json()["count"] == 1
    bad_since = client.get("/api/v1/audit/", {"since": "hôm qua"})
    assert bad_since.status_code == 400 and bad_since.json()["field"] == "since"
    bad_action = client.get("/api/v1/audit/", {"action": "xoa_het"})
    assert bad_action.status_code == 400 and bad_action.json()["field"] == "action"
