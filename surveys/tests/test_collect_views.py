"""Collection pages: web form and submission, anonymous links, tokens, quotas, import, logins."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from odk import openrosa
from orgs.models import Collaborator, OrgUnit, User
from surveys.collect import services as collect
from surveys.models import CollectorCredential, Quota, Response, Survey, SurveyToken
from surveys.tests.collect_support import standard_instance

RESPONSE_NS = {"r": openrosa.NS_RESPONSE}


def message_of(response) -> str:
    return ET.fromstring(response.content).find("r:message", RESPONSE_NS).text


def xml_post(client, url, xml, **extra):
    return client.post(
        url, {"xml_submission_file": SimpleUploadedFile("x.xml", xml, "text/xml")}, **extra
    )


@pytest.fixture
def ctv(cell_a, db) -> User:
    user = User.objects.create_user(
        "ctv_hoa", password="x", role=User.Role.COLLABORATOR, unit=cell_a, full_name="Đỗ Thị Hoa"
    )
    Collaborator.objects.create(
        full_name="Đỗ Thị Hoa", user=user, unit=cell_a, started_on=dt.date(2025, 10, 1)
    )
    return user


# --- web form for interviewers -------------------------------------------------------------------


def test_collect_page_renders_the_web_form_and_records_the_interviewer(client, ctv, open_survey):
    client.force_login(ctv)
    page = client.get(f"/khao-sat/{open_survey.slug}/thu-thap/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-form-url="/khao-sat/{open_survey.slug}/thu-thap/xform.xml"' in html
    assert f'data-submit-url="/khao-sat/{open_survey.slug}/nop/"' in html
    assert "Đỗ Thị Hoa" in html and "/odk" in html
    form = client.get(f"/khao-sat/{open_survey.slug}/thu-thap/xform.xml")
    assert form.status_code == 200 and b"<h:html" in form.content

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(ctv)
    refused = xml_post(csrf_client, f"/khao-sat/{open_survey.slug}/nop/", standard_instance())
    assert refused.status_code == 403 and not Response.objects.exists()  # CSRF is checked
    csrf_client.get(f"/khao-sat/{open_survey.slug}/thu-thap/")
    token = csrf_client.cookies["csrftoken"].value
    xml = standard_instance(instance_id="uuid:web-1")
    sent = xml_post(csrf_client, f"/khao-sat/{open_survey.slug}/nop/", xml,
                    headers={"X-CSRFToken": token})
    assert sent.status_code == 201 and "Đã nhận phiếu" in message_of(sent)
    again = xml_post(csrf_client, f"/khao-sat/{open_survey.slug}/nop/", xml,
                     headers={"X-CSRFToken": token})
    assert again.status_code == 202
    response = Response.objects.get()
    assert response.source == Response.Source.WEB and response.interviewer.user == ctv


def test_web_submit_for_another_survey_or_logged_out(client, ctv, open_survey, vanphong):
    other = Survey.objects.create(
        title="Khác", slug="khac", form_id="khac", status=Survey.Status.OPEN
    )
    client.force_login(vanphong)
    wrong = xml_post(client, "/khao-sat/khac/nop/", standard_instance())
    assert wrong.status_code == 404 and other.responses.count() == 0
    client.logout()
    expired = xml_post(client, f"/khao-sat/{open_survey.slug}/nop/", standard_instance())
    assert expired.status_code == 403 and "Phiên đăng nhập đã hết hạn" in message_of(expired)


def test_collect_page_for_closed_or_unseen_survey(client, ctv, lanhdao, binh, open_survey):
    client.force_login(lanhdao)
    assert client.get(f"/khao-sat/{open_survey.slug}/thu-thap/").status_code == 404
    own = Survey.objects.create(
        title="Của chi bộ 2", slug="cb2", form_id="cb2", status=Survey.Status.OPEN,
        unit=OrgUnit.objects.get(code="chi-bo-2"),
    )
    client.force_login(ctv)  # cell_a's collaborator does not see cell_b's survey
    assert client.get(f"/khao-sat/{own.slug}/thu-thap/").status_code == 404
    Survey.objects.filter(pk=open_survey.pk).update(status=Survey.Status.CLOSED)
    closed = client.get(f"/khao-sat/{open_survey.slug}/thu-thap/")
    assert closed.status_code == 200 and "đã đóng, không nhận thêm phiếu" in closed.content.decode()


# --- anonymous links -----------------------------------------------------------------------------


def test_public_link_answers_once_without_staff_nav(open_survey, vanphong):
    [token] = collect.issue_tokens(survey=open_survey, count=1, user=vanphong)
    anonymous = Client(enforce_csrf_checks=True)
    page = anonymous.get(f"/ks/{token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "mainnav" not in html and "Đăng xuất" not in html
    assert f'data-submit-url="/ks/{token}/"' in html
    assert 'data-reset-after-submit="0"' in html
    assert anonymous.get(f"/ks/{token}/xform.xml").status_code == 200
    csrf = anonymous.cookies["csrftoken"].value
    xml = standard_instance(instance_id="uuid:an-danh")
    sent = xml_post(anonymous, f"/ks/{token}/", xml, headers={"X-CSRFToken": csrf})
    assert sent.status_code == 201, sent.content
    response = Response.objects.get()
    assert response.source == Response.Source.PUBLIC_LINK and response.interviewer is None
    # a double click sends the same instance again: acknowledged, not stored twice
    assert xml_post(anonymous, f"/ks/{token}/", xml, headers={"X-CSRFToken": csrf}).status_code \
        == 202
    second = xml_post(anonymous, f"/ks/{token}/", standard_instance(),
                      headers={"X-CSRFToken": csrf})
    assert second.status_code == 403 and "đã được dùng" in message_of(second)
    used = anonymous.get(f"/ks/{token}/")
    assert used.status_code == 200 and "đã được dùng để trả lời" in used.content.decode()
    assert "mainnav" not in used.content.decode()
    assert Response.objects.count() == 1


def test_unknown_or_closed_public_link_shows_a_clear_page(client, open_survey, vanphong):
    unknown = client.get("/ks/khong-co-ma-nay/")
    assert unknown.status_code == 404
    assert "Liên kết không đúng" in unknown.content.decode()
    [token] = collect.issue_tokens(survey=open_survey, count=1, user=vanphong)
    Survey.objects.filter(pk=open_survey.pk).update(status=Survey.Status.CLOSED)
    closed = client.get(f"/ks/{token}/")
    assert "đã đóng" in closed.content.decode()
    assert client.get(f"/ks/{token}/xform.xml").status_code == 404


# --- tokens page ---------------------------------------------------------------------------------


def test_office_issues_tokens_and_downloads_links_once(client, vanphong, open_survey):
    client.force_login(vanphong)
    empty = client.get(f"/khao-sat/{open_survey.slug}/ma-an-danh/")
    assert "Chưa phát hành liên kết nào" in empty.content.decode()
    download = client.post(
        f"/khao-sat/{open_survey.slug}/ma-an-danh/",
        {"count": "3", "batch": "Tổ 3", "format": "xlsx"},
    )
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('.xlsx"')
    assert "no-store" in download["Cache-Control"]
    sheet = load_workbook(io.BytesIO(download.content)).active
    links = [row[1] for row in sheet.iter_rows(values_only=True) if str(row[1]).startswith("http")]
    assert len(links) == 3 and all("/ks/" in link for link in links)
    token = links[0].rstrip("/").rsplit("/", 1)[-1]
    assert client.get(f"/ks/{token}/").status_code == 200
    assert not SurveyToken.objects.filter(token_hash=token).exists()  # only the hash is kept
    csv_download = client.post(
        f"/khao-sat/{open_survey.slug}/ma-an-danh/", {"count": "2", "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(csv_download.content.decode("utf-8-sig"))))
    assert rows[0][0] == "STT" and len(rows) == 3
    listing = client.get(f"/khao-sat/{open_survey.slug}/ma-an-danh/").content.decode()
    assert "Tổ 3" in listing and "5 liên kết" in listing
    assert token not in listing


def test_links_csv_writes_a_formula_batch_name_as_text(client, vanphong, open_survey):
    client.force_login(vanphong)
    download = client.post(
        f"/khao-sat/{open_survey.slug}/ma-an-danh/",
        {"count": "2", "batch": "=HYPERLINK(\"http://x.example\",\"bấm\")", "format": "csv"},
    )
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert [row[2] for row in rows[1:]] == ["'=HYPERLINK(\"http://x.example\",\"bấm\")"] * 2
    assert rows[1][0] == "1" and rows[1][1].startswith("http")


def test_tokens_page_is_office_only_and_refusals_are_shown(client, an, vanphong, open_survey):
    client.force_login(an)
    assert client.get(f"/khao-sat/{open_survey.slug}/ma-an-danh/").status_code == 404
    client.force_login(vanphong)
    refused = client.post(f"/khao-sat/{open_survey.slug}/ma-an-danh/", {"count": "0"},
                          follow=True)
    assert "từ 1 đến 5.000" in refused.content.decode()
    assert not SurveyToken.objects.exists()


# --- quotas page ---------------------------------------------------------------------------------


def test_quota_page_plan_targets_and_live_partial(client, vanphong, an, open_survey, survey_areas):
    client.force_login(vanphong)
    page = client.get(f"/khao-sat/{open_survey.slug}/chi-tieu/").content.decode()
    assert "Chưa đặt chỉ tiêu nào" in page and "Phân bổ theo dân số" in page
    assert 'hx-trigger="every 5s"' in page
    client.post(f"/khao-sat/{open_survey.slug}/chi-tieu/", {"action": "plan"})
    assert dict(open_survey.quotas.filter(dimension="khu_vuc").values_list("category", "target")) \
        == {str(survey_areas[0].pk): 164, str(survey_areas[1].pk): 128,
            str(survey_areas[2].pk): 108}
    client.post(f"/khao-sat/{open_survey.slug}/chi-tieu/",
                {"dimension": "gioi_tinh", "target:nam": "200", "target:nu": "200"})
    assert open_survey.quotas.filter(dimension=Quota.Dimension.GENDER).count() == 2
    bad = client.post(f"/khao-sat/{open_survey.slug}/chi-tieu/",
                      {"dimension": "gioi_tinh", "target:nam": "hai"}, follow=True)
    assert "phải là số nguyên không âm" in bad.content.decode()
    collect.receive_submission(xml=standard_instance(khu_vuc="to_2", gioi_tinh="nam"),
                               source=Response.Source.ODK_COLLECT)
    partial = client.get(f"/khao-sat/{open_survey.slug}/chi-tieu/",
                         headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert 'id="quota-progress"' in html
    assert "<html" not in html
    assert 'aria-valuenow="1"' in html  # 1 of 128 in Tổ dân phố 2 rounds to 1 %
    # a unit reporter sees progress but cannot change targets
    client.force_login(an)
    reader = client.get(f"/khao-sat/{open_survey.slug}/chi-tieu/")
    assert reader.status_code == 200 and "Lưu chỉ tiêu" not in reader.content.decode()
    assert client.post(f"/khao-sat/{open_survey.slug}/chi-tieu/", {"action": "plan"}) \
        .status_code == 404


# --- import page ---------------------------------------------------------------------------------


def test_import_page_reports_rows_and_columns(client, vanphong, open_survey, survey_areas):
    client.force_login(vanphong)
    page = client.get(f"/khao-sat/{open_survey.slug}/nhap/").content.decode()
    assert "khu_vuc" in page and "Nhập phiếu" in page
    data = (
        "khu_vuc,gioi_tinh,nhom_tuoi,hai_long_chung,so_nhan_khau\n"
        "to_1,nam,18_29,hai_long,3\n"
        "to_1,nam,18_29,hai_long,nhiều\n"
    ).encode()
    result = client.post(f"/khao-sat/{open_survey.slug}/nhap/",
                         {"file": SimpleUploadedFile("phieu.csv", data, "text/csv")})
    html = result.content.decode()
    assert result.status_code == 200
    assert "<strong>1</strong> / 2 dòng" in html
    assert "so_nhan_khau" in html and "“nhiều” không phải số nguyên" in html
    assert Response.objects.count() == 1
    bad = client.post(f"/khao-sat/{open_survey.slug}/nhap/",
                      {"file": SimpleUploadedFile("x.csv", b"cot_la\n1", "text/csv")})
    assert bad.status_code == 400 and "không phải câu hỏi của biểu mẫu" in bad.content.decode()


def test_import_page_office_only(client, an, open_survey):
    client.force_login(an)
    assert client.get(f"/khao-sat/{open_survey.slug}/nhap/").status_code == 404


# --- ODK logins page -----------------------------------------------------------------------------


def test_office_issues_an_odk_login_shown_once(client, vanphong, ctv, an):
    client.force_login(vanphong)
    listing = client.get("/odk/ma-dang-nhap/").content.decode()
    assert "ctv_hoa" in listing and "Chưa cấp" in listing and "http://testserver/odk" in listing
    assert "data-local-host" in listing  # testserver: the phone could not reach it
    issued = client.post("/odk/ma-dang-nhap/", {"user": ctv.pk})
    html = issued.content.decode()
    assert "no-store" in issued["Cache-Control"] and "Chỉ hiện một lần" in html
    credential = CollectorCredential.objects.get(user=ctv)
    password = html.split("data-password>")[1].split("<")[0]
    assert openrosa.digest_ha1("ctv_hoa", credential.realm, password) == credential.ha1
    assert password not in client.get("/odk/ma-dang-nhap/").content.decode()
    client.post("/odk/ma-dang-nhap/", {"user": ctv.pk, "action": "revoke"})
    assert not CollectorCredential.objects.exists()
    client.force_login(an)
    assert client.get("/odk/ma-dang-nhap/").status_code == 404
