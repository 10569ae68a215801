"""The issues API: scoped list and retrieve, status change and assignment as POST actions with a
version (409 on a stale one), Vietnamese refusals, published answers only, a clean schema."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core.management import call_command
from rest_framework.test import APIClient

from issues.models import Answer, Issue
from issues.tests.helpers import GARBAGE, D, issue, item
from orgs.tests.test_api import as_user

pytestmark = pytest.mark.django_db
ISSUES = "/api/v1/issues/"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, 0), tick=False):
        yield


@pytest.fixture
def world(cell_a, cell_b):
    a = issue("VD-2026-0001", "Rác ở chợ Hòa Bình")
    b = issue("VD-2026-0002", "Ngập đường Nguyễn Trãi", owner_unit=cell_b)
    item(GARBAGE[0], D, issue=a, unit=cell_a)
    return a, b


def codes(response) -> list[str]:
    return [row["code"] for row in response.json()["results"]]


def test_list_is_scoped_and_filtered(vanphong, an, binh, world):
    assert sorted(codes(as_user(vanphong).get(ISSUES))) == ["VD-2026-0001", "VD-2026-0002"]
    assert codes(as_user(an).get(ISSUES)) == ["VD-2026-0001"]
    assert codes(as_user(binh).get(ISSUES)) == ["VD-2026-0002"]
    assert codes(as_user(vanphong).get(ISSUES, {"q": "ngap duong"})) == ["VD-2026-0002"]
    row = as_user(an).get(ISSUES).json()["results"][0]
    assert (row["status"], row["status_label"], row["item_count"], row["version"]) == (
        "moi_phat_hien", "Mới phát hiện", 1, 1)
    bad = as_user(vanphong).get(ISSUES, {"status": "xyz"})
    assert bad.status_code == 400 and bad.json()["field"] == "status"


def test_retrieve_another_units_issue_is_404(an, world):
    a, b = world
    assert as_user(an).get(f"{ISSUES}{a.pk}/").json()["code"] == "VD-2026-0001"
    response = as_user(an).get(f"{ISSUES}{b.pk}/")
    assert response.status_code == 404 and response.json()["field"] is None
    assert as_user(an).post(f"{ISSUES}{b.pk}/status/", {"status": "dong", "version": 1},
                            format="json").status_code == 404


def test_anonymous_calls_are_refused_in_vietnamese(world):
    response = APIClient().get(ISSUES)
    assert response.status_code == 401 and "Chưa xác thực" in response.json()["detail"]


def test_status_change_with_version(vanphong, world):
    a, _ = world
    api = as_user(vanphong)
    response = api.post(f"{ISSUES}{a.pk}/status/", {"status": "dang_theo_doi", "version": 1},
                        format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["version"]) == ("dang_theo_doi", 2)
    stale = api.post(f"{ISSUES}{a.pk}/status/", {"status": "dong", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["field"] == "version"
    refused = api.post(f"{ISSUES}{a.pk}/status/", {"status": "da_tra_loi_dan", "version": 2},
                       format="json")
    assert refused.status_code == 400 and refused.json()["field"] == "status"
    assert refused.json()["detail"].startswith("Trạng thái: không thể chuyển")
    missing = api.post(f"{ISSUES}{a.pk}/status/", {"status": "dong"}, format="json")
    assert missing.status_code == 400 and missing.json()["field"] == "version"
    assert Issue.objects.get(pk=a.pk).status == "dang_theo_doi"


def test_assign_is_for_the_office(vanphong, an, cell_a, world):
    a, _ = world
    body = {"owner_unit": cell_a.pk, "due_on": "2026-05-31", "version": 1}
    refused = as_user(an).post(f"{ISSUES}{a.pk}/assign/", body, format="json")
    assert refused.status_code == 400 and "Ban Xây dựng Đảng" in refused.json()["detail"]
    response = as_user(vanphong).post(f"{ISSUES}{a.pk}/assign/", body, format="json")
    assert response.status_code == 200
    data = response.json()
    assert (data["owner_unit"], data["due_on"], data["status"]) == (
        cell_a.pk, "2026-05-31", "da_giao_xu_ly")
    unknown = as_user(vanphong).post(f"{ISSUES}{a.pk}/assign/",
                                     {"owner_unit": 99999, "version": 2}, format="json")
    assert unknown.status_code == 400 and unknown.json()["field"] == "owner_unit"


def test_answers_lists_published_only(an, vanphong, world):
    a, _ = world
    from issues import services

    answer = services.publish_answer(user=vanphong, title="Về rác ở chợ", body="Đã thu gom.",
                                     kind="tra_loi", issue_ids=[a.pk])
    Answer.objects.create(title="Nháp", body="…")
    rows = as_user(an).get("/api/v1/answers/").json()["results"]
    assert [r["id"] for r in rows] == [answer.pk]
    assert rows[0]["issues"][0]["code"] == "VD-2026-0001"
    draft = Answer.objects.get(title="Nháp")
    assert as_user(an).get(f"/api/v1/answers/{draft.pk}/").status_code == 404


def test_schema_lists_the_issue_endpoints_and_validates(tmp_path):
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = json.loads(response.content)["paths"]
    assert {"get"} <= set(paths["/api/v1/issues/"])
    assert {"post"} <= set(paths["/api/v1/issues/{id}/status/"])
    assert "409" in paths["/api/v1/issues/{id}/assign/"]["post"]["responses"]
    assert {"get"} <= set(paths["/api/v1/answers/{id}/"])
    call_command("spectacular", "--validate", "--fail-on-warn", "--file",
                 str(tmp_path / "schema.yaml"))
