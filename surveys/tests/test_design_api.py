"""/api/v1/surveys/: scoped reads, office writes, XLSForm upload with located errors, downloads."""

from __future__ import annotations

import io

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

from core import tokens
from odk.tests.builder import with_survey_rows, xlsx_bytes
from surveys.design import services
from surveys.design.services import SurveyInput
from surveys.models import FormVersion, Question, Survey
from surveys.tests.conftest import standard_xlsform_bytes


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def xlsx_file(content: bytes, name: str = "bang_hoi.xlsx") -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


def test_list_and_retrieve_are_scoped(vanphong, binh, an, cell_a, open_survey):
    own = services.create_survey(user=vanphong, data=SurveyInput(title="Riêng chi bộ 1",
                                                                  unit_id=cell_a.pk))
    slugs = {s["slug"] for s in api(binh).get("/api/v1/surveys/").json()["results"]}
    assert slugs == {open_survey.slug}
    assert api(binh).get(f"/api/v1/surveys/{own.slug}/").status_code == 404
    body = api(an).get(f"/api/v1/surveys/{own.slug}/").json()
    assert body["title"] == "Riêng chi bộ 1" and body["current_version"] == ""
    assert api().get("/api/v1/surveys/").status_code == 401


def test_list_search_without_diacritics(lanhdao, open_survey):
    found = api(lanhdao).get("/api/v1/surveys/", {"q": "CHINH TRANG"}).json()["results"]
    assert [s["slug"] for s in found] == [open_survey.slug]
    assert found[0]["current_version"] == "2026010101"
    assert found[0]["status"] == "dang_thu" and found[0]["status_label"] == "Đang thu thập"
    assert api(lanhdao).get("/api/v1/surveys/", {"q": "khong co"}).json()["results"] == []
    bad = api(lanhdao).get("/api/v1/surveys/", {"status": "xoa"})
    assert bad.status_code == 400 and bad.json()["field"] == "status"


def test_create_is_office_only(vanphong, lanhdao, area_1):
    denied = api(lanhdao).post("/api/v1/surveys/", {"title": "KS"}, format="json")
    assert denied.status_code == 403
    created = api(vanphong).post(
        "/api/v1/surveys/",
        {"title": "Khảo sát qua API", "target_areas": [area_1.pk], "policy_stage": "sau",
         "policy_title": "Đề án chợ"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["slug"] == "khao-sat-qua-api"
    assert Survey.objects.get().target_areas.get() == area_1
    missing = api(vanphong).post("/api/v1/surveys/", {}, format="json")
    assert missing.status_code == 400 and missing.json()["field"] == "title"
    refused = api(vanphong).post("/api/v1/surveys/", {"title": "X", "policy_stage": "truoc"},
                                 format="json")
    assert refused.status_code == 400 and refused.json()["field"] == "policy_title"


def test_upload_version_with_token(vanphong, draft_survey):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(vanphong)[1]}")
    response = client.post(
        f"/api/v1/surveys/{draft_survey.slug}/versions/",
        {"file": xlsx_file(standard_xlsform_bytes())},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["version"] == "2026010101" and body["questions"] == 18
    assert body["languages"] == ["Tiếng Việt", "English"]
    assert {w["level"] for w in body["warnings"]} == {"warning"}
    listed = client.get(f"/api/v1/surveys/{draft_survey.slug}/versions/").json()
    assert [v["version"] for v in listed] == ["2026010101"]


def test_upload_errors_are_json_with_locations(vanphong, open_survey):
    rows = with_survey_rows([["text", "a", "A", "", "", ""], ["text", "a", "B", "", "", ""]])
    rows["settings"] = [["form_id", "version"], ["khao_sat_chuan", "2"]]
    before = (FormVersion.objects.count(), Question.objects.count())
    response = api(vanphong).post(
        f"/api/v1/surveys/{open_survey.slug}/versions/",
        {"file": xlsx_file(xlsx_bytes(**rows))}, format="multipart",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("Biểu mẫu có 1 lỗi") and body["field"] == "xlsform"
    error = body["errors"][0]
    assert (error["sheet"], error["row"], error["column"], error["column_letter"]) == (
        "survey", 3, "name", "B"
    )
    assert "phải là duy nhất" in error["message"]
    assert (FormVersion.objects.count(), Question.objects.count()) == before


def test_upload_refusals(vanphong, lanhdao, binh, cell_a, open_survey):
    url = f"/api/v1/surveys/{open_survey.slug}/versions/"
    leader = api(lanhdao).post(url, {"file": xlsx_file(standard_xlsform_bytes(version="9"))},
                               format="multipart")
    assert leader.status_code == 403
    no_file = api(vanphong).post(url, {}, format="multipart")
    assert no_file.status_code == 400 and no_file.json()["field"] == "file"
    duplicate = api(vanphong).post(url, {"file": xlsx_file(standard_xlsform_bytes())},
                                   format="multipart")
    assert duplicate.status_code == 400
    assert duplicate.json()["errors"][0]["column"] == "version"
    hidden = services.create_survey(user=vanphong, data=SurveyInput(title="Ẩn", unit_id=cell_a.pk))
    assert api(binh).post(f"/api/v1/surveys/{hidden.slug}/versions/", {},
                          format="multipart").status_code == 404


def test_download_xlsform_and_questions(an, open_survey):
    version = open_survey.versions.get()
    response = api(an).get(f"/api/v1/surveys/{open_survey.slug}/versions/{version.pk}/xlsform/")
    assert response.status_code == 200
    assert response.content == bytes(version.xlsform)
    assert "attachment" in response["Content-Disposition"]
    questions = api(an).get(f"/api/v1/surveys/{open_survey.slug}/questions/").json()
    assert [q["name"] for q in questions][:4] == ["gioi_thieu", "khu_vuc", "gioi_tinh",
                                                   "nhom_tuoi"]
    assert questions[1]["choices"][0] == {
        "name": "to_1", "label": "Tổ dân phố 1",
        "labels": {"Tiếng Việt": "Tổ dân phố 1", "English": "Residential group 1"},
    }
    assert api(an).get(
        f"/api/v1/surveys/{open_survey.slug}/versions/999999/xlsform/"
    ).status_code == 404


def test_status(vanphong, lanhdao, open_survey):
    url = f"/api/v1/surveys/{open_survey.slug}/status/"
    assert api(lanhdao).post(url, {"status": "da_dong"}, format="json").status_code == 403
    stale = api(vanphong).post(url, {"status": "da_dong", "version": open_survey.version - 1},
                               format="json")
    assert stale.status_code == 409
    closed = api(vanphong).post(url, {"status": "da_dong", "version": open_survey.version},
                                format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "da_dong"
    bad = api(vanphong).post(url, {"status": "xoa"}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "status"


def test_check_stores_nothing(vanphong):
    ok = api(vanphong).post("/api/v1/surveys/check/", {"file": xlsx_file(standard_xlsform_bytes())},
                      format="multipart").json()
    assert ok["ok"] and ok["form_id"] == "khao_sat_chuan" and len(ok["questions"]) == 18
    rows = with_survey_rows([["integer", "x", "X", "", "max2(.)", ""]])
    bad = api(vanphong).post("/api/v1/surveys/check/", {"file": xlsx_file(xlsx_bytes(**rows))},
                       format="multipart").json()
    assert not bad["ok"]
    assert (bad["errors"][0]["row"], bad["errors"][0]["column"]) == (2, "constraint")
    assert not FormVersion.objects.exists()


def test_check_is_the_offices_tool(an):
    refused = api(an).post("/api/v1/surveys/check/",
                           {"file": xlsx_file(standard_xlsform_bytes())}, format="multipart")
    assert refused.status_code == 403


@pytest.mark.django_db
def test_schema_documents_the_survey_endpoints(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(out), "--validate", "--fail-on-warn")
    paths = yaml.safe_load(out.read_text())["paths"]
    assert "/api/v1/surveys/{slug}/versions/" in paths
    assert "multipart/form-data" in paths["/api/v1/surveys/{slug}/versions/"]["post"][
        "requestBody"]["content"]
    assert "/api/v1/surveys/check/" in paths
