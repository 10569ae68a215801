"""Survey design pages for each role: list (scoped, search without diacritics), create/edit,
detail, upload with an error table, downloads, status, the check-only page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from odk.tests.builder import with_survey_rows, xlsx_bytes
from surveys.design import services
from surveys.design.services import SurveyInput
from surveys.models import FormVersion, Question, Survey
from surveys.tests.conftest import standard_xlsform_bytes


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def cell_a_survey(vanphong, cell_a) -> Survey:
    return services.create_survey(
        user=vanphong,
        data=SurveyInput(title="Khảo sát riêng Tổ dân phố 1 về điện chiếu sáng", unit_id=cell_a.pk),
    )


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["vanphong", "lanhdao", "an"])
def test_list_and_detail_render(request, who, open_survey):
    client = client_for(request.getfixturevalue(who))
    page = client.get(reverse("survey_list")).content.decode()
    assert open_survey.title in page
    detail = client.get(reverse("survey_detail", args=[open_survey.slug]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "khu_vuc" in html and "2026010101" in html
    assert ("Tải lên phiên bản mới" in html) == (who == "vanphong")


def test_pages_need_login(db):
    assert Client().get(reverse("survey_list")).status_code == 302
    assert Client().get(reverse("xlsform_check")).status_code == 302


def test_other_units_survey_is_not_found(binh, an, cell_a_survey):
    # binh (cell_b) neither lists nor opens cell_a's survey; an (cell_a) does.
    assert cell_a_survey.title not in client_for(binh).get(reverse("survey_list")).content.decode()
    url = reverse("survey_detail", args=[cell_a_survey.slug])
    assert client_for(binh).get(url).status_code == 404
    assert client_for(an).get(url).status_code == 200


def test_ward_draft_is_office_and_leaders_only(an, lanhdao, draft_survey):
    url = reverse("survey_detail", args=[draft_survey.slug])
    assert client_for(an).get(url).status_code == 404
    assert client_for(lanhdao).get(url).status_code == 200


@pytest.mark.parametrize("name", ["survey_edit", "survey_upload"])
def test_management_pages_are_office_only(lanhdao, an, open_survey, name):
    url = reverse(name, args=[open_survey.slug])
    assert client_for(lanhdao).get(url).status_code == 404
    assert client_for(an).get(url).status_code == 404
    assert client_for(an).get(reverse("survey_create")).status_code == 404


def test_leader_cannot_close(lanhdao, open_survey):
    url = reverse("survey_status", args=[open_survey.slug])
    assert client_for(lanhdao).post(url, {"status": "da_dong"}).status_code == 404
    assert Survey.objects.get(pk=open_survey.pk).status == Survey.Status.OPEN


# --- list -------------------------------------------------------------------------------------


def test_list_search_without_diacritics_and_sort(vanphong, open_survey, cell_a_survey):
    client = client_for(vanphong)
    page = client.get(reverse("survey_list"), {"q": "chinh trang do thi"}).content.decode()
    assert open_survey.title in page and cell_a_survey.title not in page
    page = client.get(reverse("survey_list"), {"q": "ĐIỆN chiếu"}).content.decode()
    assert cell_a_survey.title in page and open_survey.title not in page
    # By folded title "khao sat rieng…" comes before "khao sat y kien…"; by default, newest first.
    page = client.get(reverse("survey_list"), {"sort": "title"}).content.decode()
    assert page.index(cell_a_survey.slug) < page.index(open_survey.slug)
    page = client.get(reverse("survey_list"), {"sort": "created_at"}).content.decode()
    assert page.index(open_survey.slug) < page.index(cell_a_survey.slug)
    page = client.get(reverse("survey_list")).content.decode()
    assert page.index(cell_a_survey.slug) < page.index(open_survey.slug)
    page = client.get(reverse("survey_list"), {"status": "dang_thu"}).content.decode()
    assert open_survey.title in page and cell_a_survey.title not in page


def test_list_pagination(vanphong):
    for n in range(33):
        services.create_survey(user=vanphong, data=SurveyInput(title=f"Đợt {n:02d}"))
    client = client_for(vanphong)
    first = client.get(reverse("survey_list"), {"sort": "title"}).content.decode()
    assert "Trang 1 / 2" in first and "Đợt 00" in first and "Đợt 32" not in first
    second = client.get(reverse("survey_list"), {"sort": "title", "page": 2}).content.decode()
    assert "Đợt 32" in second


def test_empty_list_says_what_to_do(vanphong, an):
    office = client_for(vanphong).get(reverse("survey_list")).content.decode()
    assert "Chưa có cuộc khảo sát nào" in office and "Tạo cuộc khảo sát" in office
    unit = client_for(an).get(reverse("survey_list")).content.decode()
    assert "Ban Xây dựng Đảng tạo khảo sát" in unit
    nothing = client_for(vanphong).get(reverse("survey_list"), {"q": "zzz"}).content.decode()
    assert "Không có cuộc khảo sát nào khớp bộ lọc" in nothing


# --- create / edit ----------------------------------------------------------------------------


def test_create_via_page_then_upload_then_open(vanphong, area_1):
    client = client_for(vanphong)
    response = client.post(reverse("survey_create"), {
        "title": "Ý kiến về lát vỉa hè", "kind": "dot_xuat", "purpose": "Nắm dư luận",
        "starts_on": "2026-03-01", "ends_on": "2026-03-15", "target_areas": [area_1.pk],
        "sample_size": "200", "policy_title": "Đề án vỉa hè", "policy_stage": "truoc",
        "allow_interviewers": "on", "area_field": "khu_vuc", "gender_field": "gioi_tinh",
        "age_group_field": "nhom_tuoi",
    })
    survey = Survey.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("survey_upload", args=[survey.slug])
    assert (survey.kind, survey.policy_stage, survey.sample_size) == ("dot_xuat", "truoc", 200)
    response = client.post(
        reverse("survey_upload", args=[survey.slug]),
        {"file": upload("bang_hoi.xlsx", standard_xlsform_bytes(form_id="ks_via_he"))},
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.form_id == "ks_via_he" and survey.versions.count() == 1
    client.post(reverse("survey_status", args=[survey.slug]), {"status": "dang_thu"})
    assert Survey.objects.get(pk=survey.pk).status == Survey.Status.OPEN


def test_create_form_errors_are_shown(vanphong):
    response = client_for(vanphong).post(reverse("survey_create"), {
        "title": "KS", "kind": "dinh_ky", "sample_size": "0", "policy_stage": "truoc",
        "area_field": "khu_vuc", "gender_field": "gioi_tinh", "age_group_field": "nhom_tuoi",
        "starts_on": "2026-03-10", "ends_on": "2026-03-01",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "“Đến ngày” phải sau “Từ ngày”" in html
    assert not Survey.objects.exists()


def test_edit_with_stale_version_shows_conflict(vanphong, draft_survey):
    client = client_for(vanphong)
    base = {
        "title": "Tên sửa", "kind": "dinh_ky", "sample_size": "10", "area_field": "khu_vuc",
        "gender_field": "gioi_tinh", "age_group_field": "nhom_tuoi",
        "form_id": draft_survey.form_id,
    }
    url = reverse("survey_edit", args=[draft_survey.slug])
    ok = client.post(url, {**base, "version": draft_survey.version})
    assert ok.status_code == 302
    stale = client.post(url, {**base, "title": "Ghi đè", "version": draft_survey.version})
    assert stale.status_code == 200
    assert "người khác sửa" in stale.content.decode()
    assert Survey.objects.get(pk=draft_survey.pk).title == "Tên sửa"


# --- upload with errors -----------------------------------------------------------------------


def test_upload_errors_are_a_table_and_nothing_is_stored(vanphong, open_survey):
    rows = with_survey_rows([["text", "a", "A", "", "", ""], ["text", "b", "B", "bad(1)", "", ""]])
    rows["settings"] = [["form_id", "version"], ["khao_sat_chuan", "5"]]
    before = (FormVersion.objects.count(), Question.objects.count())
    response = client_for(vanphong).post(
        reverse("survey_upload", args=[open_survey.slug]),
        {"file": upload("loi.xlsx", xlsx_bytes(**rows))},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Biểu mẫu có 1 lỗi, chưa lưu" in html
    row = '<tr class="issue-error"><td>survey</td><td class="num">3</td><td>relevant (D)</td>'
    assert row in html
    assert "Hàm &#x27;bad()&#x27;" in html
    assert (FormVersion.objects.count(), Question.objects.count()) == before


def test_upload_without_file(vanphong, open_survey):
    response = client_for(vanphong).post(reverse("survey_upload", args=[open_survey.slug]), {})
    assert response.status_code == 400
    assert "Hãy chọn tệp XLSForm" in response.content.decode()


# --- downloads, status, check -----------------------------------------------------------------


def test_download_xlsform_and_xform(lanhdao, open_survey):
    version = open_survey.versions.get()
    client = client_for(lanhdao)
    response = client.get(reverse("form_version_download", args=[open_survey.slug, version.pk]))
    assert response.status_code == 200
    assert response.content == bytes(version.xlsform)
    assert response.content.startswith(b"PK")
    assert "spreadsheetml" in response["Content-Type"]
    assert 'filename="khao_sat_chuan.xlsx"' in response["Content-Disposition"]
    xml = client.get(reverse("form_version_xml", args=[open_survey.slug, version.pk]))
    assert xml["Content-Type"].startswith("text/xml")
    assert xml.content.decode() == version.xform_xml


def test_download_of_invisible_survey_is_not_found(binh, vanphong, cell_a):
    survey = services.create_survey(
        user=vanphong, data=SurveyInput(title="Riêng", unit_id=cell_a.pk)
    )
    version = services.upload_form_version(
        user=vanphong, survey=survey, content=standard_xlsform_bytes(form_id="rieng"),
        filename="r.xlsx",
    )
    url = reverse("form_version_download", args=[survey.slug, version.pk])
    assert client_for(binh).get(url).status_code == 404


def test_close_from_detail_page(vanphong, open_survey):
    client = client_for(vanphong)
    response = client.post(reverse("survey_status", args=[open_survey.slug]),
                           {"status": "da_dong"}, follow=True)
    html = response.content.decode()
    assert "Đã đóng khảo sát" in html and "Mở lại" in html
    assert Survey.objects.get(pk=open_survey.pk).status == Survey.Status.CLOSED


def test_bad_status_move_is_a_message(vanphong, draft_survey):
    response = client_for(vanphong).post(
        reverse("survey_status", args=[draft_survey.slug]), {"status": "dang_thu"}, follow=True
    )
    assert "Chưa có biểu mẫu" in response.content.decode()


def test_concept_key_form(vanphong, open_survey):
    question = Question.objects.get(form_version__survey=open_survey, name="dong_y_1")
    client_for(vanphong).post(
        reverse("survey_question_concept", args=[open_survey.slug, question.pk]),
        {"concept_key": "Vỉa hè cần thiết"},
    )
    question.refresh_from_db()
    assert question.concept_key == "via he can thiet"


def test_check_page_is_the_offices_tool(an):
    response = client_for(an).get(reverse("xlsform_check"))
    assert response.status_code == 404


def test_check_page_stores_nothing(vanphong):
    client = client_for(vanphong)
    ok = client.post(reverse("xlsform_check"), {"file": upload("a.xlsx", standard_xlsform_bytes())})
    html = ok.content.decode()
    assert "hợp lệ" in html and "khao_sat_chuan" in html and "thanh_vien" in html
    bad = client.post(reverse("xlsform_check"), {"file": upload("b.txt", b"hello")})
    assert "không phải bảng tính Excel" in bad.content.decode()
    assert not FormVersion.objects.exists()
