"""Analysis pages, the public page, weights editing and the REST API: scoping and content."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core.errors import ServiceError
from core.models import AuditEntry
from orgs.models import Collaborator
from surveys.analysis import services as services_analysis
from surveys.models import PopulationMargin, Response, Survey
from surveys.tests.analysis_world import build_world

pytestmark = pytest.mark.django_db

PAGES = ["survey_results", "survey_crosstab", "survey_consensus", "survey_open_answers",
         "survey_weights"]


@pytest.fixture
def survey(cell_a):
    return build_world(cell_a)


def page(client, user, name, survey, params=None):
    client.force_login(user)
    return client.get(reverse(name, args=[survey.slug]), params or {})


@pytest.mark.parametrize("name", PAGES)
def test_office_leader_and_own_unit_see_the_pages(client, survey, vanphong, lanhdao, an, name):
    for user in (vanphong, lanhdao, an):
        response = page(client, user, name, survey)
        assert response.status_code == 200, (name, user)
        assert survey.title in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_another_unit_gets_404(client, survey, binh, name):
    assert page(client, binh, name, survey).status_code == 404


def test_a_ward_wide_open_survey_is_not_a_units_to_analyse(client, survey, binh):
    Survey.objects.filter(pk=survey.pk).update(unit=None)
    assert page(client, binh, "survey_results", survey).status_code == 404


def test_exports_and_report_are_scoped(client, survey, binh):
    client.force_login(binh)
    for fmt in ("csv", "xlsx", "sav"):
        assert client.get(reverse("survey_export", args=[survey.slug, fmt])).status_code == 404
    assert client.get(reverse("survey_report_docx", args=[survey.slug])).status_code == 404


def test_anonymous_is_sent_to_login(client, survey):
    response = client.get(reverse("survey_results", args=[survey.slug]))
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_results_page_shows_weighted_and_unweighted_numbers(client, survey, vanphong):
    survey.weighting_method, survey.weighting_variables = "poststrat", ["gioi_tinh"]
    survey.save()
    text = page(client, vanphong, "survey_results", survey).content.decode()
    assert "Tỷ lệ gia quyền (%)" in text
    assert "58,3" in text  # hai_long = co, weighted by gender
    assert 'id="survey-charts"' in text and "vendor/chart.umd.min.js" in text
    assert "chỉ có ở phiên bản 2" in text  # moi was added in version 2
    plain = page(client, vanphong, "survey_results", survey, {"weighted": "0"}).content.decode()
    assert "Tỷ lệ gia quyền (%)" not in plain
    assert "58,3" not in plain


def test_results_page_filters(client, survey, vanphong):
    text = page(client, vanphong, "survey_results", survey,
                {"gender": "nu", "weighted": "0"}).content.decode()
    assert "Đang lọc: Giới tính: Nữ — 6/10 phiếu." in text
    bad = page(client, vanphong, "survey_results", survey,
               {"date_from": "2026-02-01", "date_to": "2026-01-01"}).content.decode()
    assert "“Đến ngày” phải sau hoặc bằng “Từ ngày”." in bad


def test_results_empty_states(client, cell_a, vanphong, survey):
    text = page(client, vanphong, "survey_results", survey,
                {"source": "odk"}).content.decode()
    assert "Không có phiếu nào khớp bộ lọc." in text
    Response.objects.all().delete()
    text = page(client, vanphong, "survey_results", survey).content.decode()
    assert "Chưa có phiếu trả lời nào." in text


def test_weighting_problem_is_shown_on_the_results_page(client, survey, vanphong):
    survey.weighting_variables = ["nhom_tuoi"]
    survey.save()
    text = page(client, vanphong, "survey_results", survey).content.decode()
    assert "Chưa gia quyền: Chưa có cơ cấu dân số cho nhóm tuổi" in text


def test_crosstab_page(client, survey, vanphong):
    text = page(client, vanphong, "survey_crosstab", survey,
                {"row": "gioi_tinh", "col": "hai_long", "weighted": "0"}).content.decode()
    assert "75,0%" in text  # men: 3 of 4 satisfied
    assert "Pearson" in text and "Chưa thấy khác biệt có ý nghĩa thống kê" in text
    same = page(client, vanphong, "survey_crosstab", survey,
                {"row": "hai_long", "col": "hai_long"}).content.decode()
    assert "Chọn hai câu hỏi khác nhau." in same


def test_consensus_page_ranks_statements(client, survey, vanphong):
    text = page(client, vanphong, "survey_consensus", survey,
                {"weighted": "0", "group": "khu_vuc"}).content.decode()
    first, second = text.index('data-statement="dong_y_1"'), text.index('data-statement="dong_y_2"')
    assert first < second
    assert "0,367" in text  # 6/7 · 3/7
    # Age groups are the default comparison: a few large groups, as Pol.is's opinion groups are.
    by_default = page(client, vanphong, "survey_consensus", survey)
    assert "Từ 18 đến 29 tuổi: đồng ý (%)" in by_default.content.decode()


def test_open_answers_page_masks_personal_data(client, survey, vanphong):
    text = page(client, vanphong, "survey_open_answers", survey).content.decode()
    assert "0912345678" not in text
    assert "Rác thải ở chợ tồn đọng nhiều ngày" in text
    assert "Môi trường" in text


# --- weights: margins and method, office only -------------------------------------------------


def test_office_edits_survey_margins_and_method(client, survey, vanphong):
    client.force_login(vanphong)
    url = reverse("survey_weights", args=[survey.slug])
    response = client.post(url, {"variable": "gioi_tinh", "gioi_tinh-c_nam": "300",
                                 "gioi_tinh-c_nu": "700"}, follow=True)
    assert "Đã lưu cơ cấu dân số theo giới tính." in response.content.decode()
    assert dict(PopulationMargin.objects.filter(survey=survey).values_list(
        "category", "population")) == {"nam": 300, "nu": 700}
    response = client.post(url, {"action": "weighting", "method": "poststrat",
                                 "variables": ["gioi_tinh"], "version": survey.version},
                           follow=True)
    assert "Đã lưu cách gia quyền." in response.content.decode()
    survey.refresh_from_db()
    assert (survey.weighting_method, survey.weighting_variables) == ("poststrat", ["gioi_tinh"])
    text = response.content.decode()
    assert "Riêng cuộc khảo sát này" in text
    assert AuditEntry.objects.filter(object_type="surveys.survey",
                                     action=AuditEntry.Action.UPDATE).count() == 2


def test_poststratification_with_two_variables_is_refused(client, survey, vanphong):
    client.force_login(vanphong)
    response = client.post(reverse("survey_weights", args=[survey.slug]), {
        "action": "weighting", "method": "poststrat", "variables": ["khu_vuc", "gioi_tinh"],
        "version": survey.version}, follow=True)
    assert "Hậu phân tầng dùng đúng một biến" in response.content.decode()
    survey.refresh_from_db()
    assert survey.weighting_method == "raking"


def test_stale_weighting_form_is_a_conflict(client, survey, vanphong):
    client.force_login(vanphong)
    response = client.post(reverse("survey_weights", args=[survey.slug]), {
        "action": "weighting", "method": "poststrat", "variables": ["gioi_tinh"],
        "version": survey.version - 1 if survey.version > 1 else 99}, follow=True)
    assert "vừa được người khác sửa" in response.content.decode()


def test_leader_and_unit_cannot_edit_weights(client, survey, lanhdao, an):
    for user in (lanhdao, an):
        client.force_login(user)
        url = reverse("survey_weights", args=[survey.slug])
        assert "Lưu cách gia quyền" not in client.get(url).content.decode()
        response = client.post(url, {"variable": "gioi_tinh", "gioi_tinh-c_nam": "1"})
        assert response.status_code == 404
    assert not PopulationMargin.objects.filter(survey=survey).exists()


def test_margin_service_validates(survey, vanphong, an):
    with pytest.raises(ServiceError, match="Chỉ Ban Xây dựng Đảng"):
        services_analysis.set_survey_margins(user=an, survey=survey, variable="gioi_tinh",
                                             margins={"nam": 1})
    with pytest.raises(ServiceError, match="phải là số nguyên"):
        services_analysis.set_survey_margins(user=vanphong, survey=survey,
                                             variable="gioi_tinh", margins={"nam": "nhiều"})
    with pytest.raises(ServiceError, match="không sửa được ở đây"):
        services_analysis.set_survey_margins(user=vanphong, survey=survey, variable="khu_vuc",
                                             margins={"x": 1})
    services_analysis.set_survey_margins(user=vanphong, survey=survey, variable="nhom_tuoi",
                                         margins={"18_29": "1.200", "30_44": None})
    assert list(PopulationMargin.objects.filter(survey=survey).values_list(
        "category", "population")) == [("18_29", 1200)]
    services_analysis.set_survey_margins(user=vanphong, survey=survey, variable="nhom_tuoi",
                                         margins={})
    assert not PopulationMargin.objects.filter(survey=survey).exists()


# --- exports are audited ------------------------------------------------------------------------


def test_exports_are_written_to_the_audit_log(client, survey, vanphong):
    client.force_login(vanphong)
    response = client.get(reverse("survey_export", args=[survey.slug, "csv"]), {"gender": "nu"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="khao-sat-')
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.data["rows"] == 6 and entry.data["format"] == "csv"
    assert entry.data["personal"] is True  # answers: found by the "personal data" filter
    assert client.get(reverse("survey_export", args=[survey.slug, "pdf"])).status_code == 404


# --- the public page -----------------------------------------------------------------------------


def test_public_page_needs_publication(client, survey):
    url = reverse("survey_public_results", args=[survey.slug])
    assert client.get(url).status_code == 404
    Survey.objects.filter(pk=survey.pk).update(results_published=True)
    assert client.get(url).status_code == 200


def test_public_page_hides_small_cells_and_raw_answers(client, survey):
    Survey.objects.filter(pk=survey.pk).update(results_published=True)
    text = client.get(reverse("survey_public_results", args=[survey.slug])).content.decode()
    assert "dưới 5 người trả lời được ẩn" in text
    assert "&lt; 5 — không công bố" in text
    # dong_y_1: khong_dong_y (2) and chua_ro (1) hidden, dong_y (7) shown.
    start = text.index('data-question="dong_y_1"')
    block = text[start:text.index("</table>", start)]
    assert block.count("không công bố") == 2
    assert ">7<" in block
    # moi had 4 respondents: hidden whole; the open answers never appear.
    assert "Dưới 5 người trả lời: không công bố." in text
    assert "Rác thải" not in text and "Vỉa hè đường Nguyễn Trãi" not in text
    assert "uuid:" not in text


# --- REST API -------------------------------------------------------------------------------


def test_api_weigh_poststrat_and_raking(client, vanphong):
    client.force_login(vanphong)
    rows = [{"gt": "Nam", "tuoi": "a"}, {"gt": "Nữ", "tuoi": "a"}, {"gt": "Nữ", "tuoi": "b"}]
    response = client.post("/api/v1/surveys/weigh/", {
        "rows": rows, "margins": {"gt": {"Nam": 600, "Nữ": 400}}, "method": "poststrat"},
        content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["weights"] == pytest.approx([600, 200, 200])
    raked = client.post("/api/v1/surveys/weigh/", {
        "rows": rows, "margins": {"gt": {"Nam": 600, "Nữ": 400}, "tuoi": {"a": 700, "b": 300}}},
        content_type="application/json").json()
    # The only weights meeting both margins: Nam·a 600, Nữ·a 100, Nữ·b 300.
    assert raked["weights"] == pytest.approx([600, 100, 300], rel=1e-5)
    assert raked["summary"]["n"] == 3


def test_api_weigh_errors_name_the_problem(client, vanphong):
    client.force_login(vanphong)
    response = client.post("/api/v1/surveys/weigh/", {
        "rows": [{"gt": "Nam"}, {"gt": "Khác"}], "margins": {"gt": {"Nam": 600, "Nữ": 400}}},
        content_type="application/json")
    assert response.status_code == 400
    assert "Khác" in response.json()["detail"]
    missing = client.post("/api/v1/surveys/weigh/", {"rows": [{"gt": "Nam"}]},
                          content_type="application/json")
    assert missing.status_code == 400 and missing.json()["field"] == "margins"


def test_api_estimate(client, vanphong):
    client.force_login(vanphong)
    rows = [{"q": "co"}] * 3 + [{"q": "khong"}] + [{"q": ""}]
    body = client.post("/api/v1/surveys/estimate/", {
        "rows": rows, "var": "q", "weights": [1, 1, 2, 4, 1]},
        content_type="application/json").json()
    estimates = {e["category"]: e for e in body["estimates"]}
    assert estimates["co"]["proportion"] == pytest.approx(0.5)  # (1+1+2)/(1+1+2+4)
    assert estimates["co"]["n"] == 3
    assert estimates["co"]["ci_low"] < 0.5 < estimates["co"]["ci_high"]
    wrong = client.post("/api/v1/surveys/estimate/", {"rows": rows, "var": "q",
                                                      "weights": [1, 2]},
                        content_type="application/json")
    assert wrong.status_code == 400 and wrong.json()["field"] == "weights"
    mean = client.post("/api/v1/surveys/estimate/", {
        "rows": [{"x": "1"}, {"x": "3"}], "var": "x", "kind": "mean"},
        content_type="application/json").json()
    assert mean["mean"]["mean"] == pytest.approx(2.0)


def test_api_needs_authentication(client):
    response = client.post("/api/v1/surveys/weigh/", {}, content_type="application/json")
    assert response.status_code == 401


def test_api_results_scoped_and_filtered(client, survey, vanphong, binh):
    survey.weighting_method, survey.weighting_variables = "poststrat", ["gioi_tinh"]
    survey.save()
    client.force_login(vanphong)
    url = f"/api/v1/surveys/{survey.slug}/results/"
    body = client.get(url).json()
    assert body["responses"] == 10 and body["weighted"] is True
    hai_long = next(q for q in body["questions"] if q["name"] == "hai_long")
    co = next(c for c in hai_long["categories"] if c["value"] == "co")
    assert co["weighted_percent"] == pytest.approx(58.3333, rel=1e-4)
    filtered = client.get(url, {"gender": "nu", "weighted": "0"}).json()
    assert filtered["responses"] == 6 and filtered["weighted"] is False
    assert client.get(url, {"date_from": "hôm qua"}).status_code == 400
    client.force_login(binh)
    assert client.get(url).status_code == 404


def test_interviewer_filter_appears_when_collaborators_interviewed(client, survey, vanphong,
                                                                    cell_a):
    text = page(client, vanphong, "survey_results", survey).content.decode()
    assert "Cộng tác viên phỏng vấn" not in text
    person = Collaborator.objects.create(full_name="Trần Thị Lan", unit=cell_a,
                                         started_on=dt.date(2025, 10, 1))
    Response.objects.filter(instance_id__in=["uuid:ks-chinh-trang-1",
                                             "uuid:ks-chinh-trang-2"]).update(interviewer=person)
    text = page(client, vanphong, "survey_results", survey,
                {"interviewer": person.pk}).content.decode()
    assert "Cộng tác viên phỏng vấn: Trần Thị Lan — 2/10 phiếu." in text
