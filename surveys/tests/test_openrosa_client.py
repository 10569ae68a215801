"""The OpenRosa endpoints as ODK Collect uses them: form list, form download, submission."""

from __future__ import annotations

import base64
import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.test import override_settings

from odk import openrosa
from orgs.models import Collaborator, User
from surveys.collect import services as collect
from surveys.models import Attachment, Response, Survey
from surveys.tests.collect_support import OdkCollect, standard_instance

NS = {"x": openrosa.NS_FORM_LIST}
RESPONSE_NS = {"r": openrosa.NS_RESPONSE}


@pytest.fixture
def ctv(cell_a, vanphong, db) -> User:
    user = User.objects.create_user(
        "ctv_hoa", password="web-pass", role=User.Role.COLLABORATOR, unit=cell_a,
        full_name="Đỗ Thị Hoa",
    )
    Collaborator.objects.create(
        full_name="Đỗ Thị Hoa", user=user, unit=cell_a, started_on=dt.date(2025, 10, 1)
    )
    return user


@pytest.fixture
def phone(client, ctv, vanphong) -> OdkCollect:
    _, password = collect.issue_odk_credential(user=ctv, by=vanphong)
    return OdkCollect(client, "ctv_hoa", password)


def message_of(response) -> str:
    return ET.fromstring(response.content).find("r:message", RESPONSE_NS).text


def test_form_list_needs_digest_then_lists_open_forms(client, phone, open_survey):
    Survey.objects.create(title="Nháp", slug="nhap", form_id="nhap")  # draft: not listed
    anonymous = client.get("/odk/formList", headers={"X-OpenRosa-Version": "1.0"})
    assert anonymous.status_code == 401
    challenge = anonymous["WWW-Authenticate"]
    assert challenge.startswith("Digest ") and 'qop="auth"' in challenge
    assert "Basic" not in challenge  # plain http: Collect would not send Basic anyway
    assert anonymous["X-OpenRosa-Version"] == "1.0"
    assert "mã đăng nhập ODK" in message_of(anonymous)

    listed = phone.request("GET", "/odk/formList")
    assert listed.status_code == 200 and phone.challenges == 1
    assert listed["X-OpenRosa-Version"] == "1.0" and listed["Content-Type"].startswith("text/xml")
    forms = ET.fromstring(listed.content).findall("x:xform", NS)
    assert [f.findtext("x:formID", namespaces=NS) for f in forms] == ["khao_sat_chuan"]
    form = forms[0]
    version = open_survey.versions.get()
    assert form.findtext("x:version", namespaces=NS) == "2026010101"
    assert form.findtext("x:hash", namespaces=NS) == f"md5:{version.xform_md5}"
    assert form.findtext("x:name", namespaces=NS)

    download = form.findtext("x:downloadUrl", namespaces=NS)
    assert download.startswith("http://testserver/odk/forms/")
    xform = phone.request("GET", download.removeprefix("http://testserver"))
    assert xform.status_code == 200 and phone.challenges == 1  # credentials sent proactively
    assert openrosa.xform_md5(xform.content) == version.xform_md5
    manifest = phone.request("GET", form.findtext("x:manifestUrl", namespaces=NS)
                             .removeprefix("http://testserver"))
    assert manifest.status_code == 200
    assert ET.fromstring(manifest.content).tag == f"{{{openrosa.NS_MANIFEST}}}manifest"


def test_wrong_password_or_unknown_user_is_challenged_again(client, ctv, vanphong, open_survey):
    collect.issue_odk_credential(user=ctv, by=vanphong)
    for name, password in [("ctv_hoa", "sai-mat-khau"), ("khong_co", "x"), ("ctv_hoa",
                                                                              "web-pass")]:
        phone = OdkCollect(client, name, password)
        assert phone.request("GET", "/odk/formList").status_code == 401


def test_session_login_is_not_accepted_on_openrosa_endpoints(client, ctv, open_survey):
    client.force_login(ctv)
    response = client.post("/odk/submission", {})
    assert response.status_code == 401  # a browser session never authorises these (no CSRF)


def test_collect_submission_head_then_post_stored_once_on_retry(phone, open_survey, ctv):
    xml = standard_instance(instance_id="uuid:collect-1")
    head = phone.request("HEAD", "/odk/submission?deviceID=collect%3Aabc")
    assert head.status_code == 204
    assert int(head["X-OpenRosa-Accept-Content-Length"]) > 10 * 1024 * 1024
    assert head["Location"] == "http://testserver/odk/submission"
    first = phone.submit(xml, {"anh.jpg": b"\xff\xd8\xff"})
    assert first.status_code == 201, first.content
    assert first["X-OpenRosa-Version"] == "1.0"
    assert "Đã nhận phiếu" in message_of(first)
    retry = phone.submit(xml, {"anh.jpg": b"\xff\xd8\xff"})
    assert retry.status_code == 202 and "đã được nhận trước đó" in message_of(retry)
    stored = Response.objects.get()
    assert stored.instance_id == "uuid:collect-1" and stored.source == Response.Source.ODK_COLLECT
    assert stored.interviewer.user == ctv
    assert Attachment.objects.get().name == "anh.jpg"
    assert "deviceID" not in stored.xml and "collect:abc" not in str(stored.data)


def test_unknown_form_or_version_is_404_with_openrosa_message(phone, open_survey):
    unknown = phone.submit(standard_instance(form_id="khong_co"))
    assert unknown.status_code == 404
    assert "Không có biểu mẫu nào mang mã “khong_co”" in message_of(unknown)
    old = phone.submit(standard_instance(version="1"))
    assert old.status_code == 404 and "không có phiên bản “1”" in message_of(old)
    assert not Response.objects.exists()


def test_closed_survey_is_refused(phone, open_survey):
    Survey.objects.filter(pk=open_survey.pk).update(status=Survey.Status.CLOSED)
    refused = phone.submit(standard_instance())
    assert refused.status_code == 403
    assert "đã đóng, không nhận thêm phiếu" in message_of(refused)
    listed = phone.request("GET", "/odk/formList")
    assert ET.fromstring(listed.content).findall("x:xform", NS) == []
    assert not Response.objects.exists()


@override_settings(LONGDAN_SURVEY_MAX_ATTACHMENT_MB=1)
def test_oversized_attachment_is_413(phone, open_survey):
    big = b"x" * (1024 * 1024 + 10)
    refused = phone.submit(standard_instance(), {"anh_lon.jpg": big})
    assert refused.status_code == 413
    assert "“anh_lon.jpg” quá lớn" in message_of(refused)
    assert not Response.objects.exists()


def test_malformed_xml_is_400(phone, open_survey):
    refused = phone.submit(b"<data id='khao_sat_chuan'><thong_tin>")
    assert refused.status_code == 400 and "không phải XML hợp lệ" in message_of(refused)
    missing = phone.request("POST", "/odk/submission", data={"khac": "1"})
    assert missing.status_code == 400 and "xml_submission_file" in message_of(missing)


def test_leader_has_no_forms_and_cannot_submit(client, lanhdao, vanphong, open_survey):
    with pytest.raises(Exception, match="lãnh đạo"):
        collect.issue_odk_credential(user=lanhdao, by=vanphong)


def test_form_of_a_survey_the_user_may_not_collect_for_is_404(phone, open_survey, ctv):
    version = open_survey.versions.get()
    Survey.objects.filter(pk=open_survey.pk).update(allow_interviewers=False)
    assert phone.request("GET", f"/odk/forms/{version.pk}/form.xml").status_code == 404
    refused = phone.submit(standard_instance())
    assert refused.status_code == 404


def test_stale_nonce_gets_stale_challenge(phone, open_survey, monkeypatch):
    assert phone.request("GET", "/odk/formList").status_code == 200
    real = openrosa.nonce_age
    monkeypatch.setattr(openrosa, "nonce_age", lambda *a, **k: 10_000)
    stale = phone.client.get(
        "/odk/formList", headers={"Authorization": phone._authorization("GET", "/odk/formList")}
    )
    assert stale.status_code == 401 and "stale=true" in stale["WWW-Authenticate"]
    monkeypatch.setattr(openrosa, "nonce_age", real)


def test_basic_is_accepted_over_https_only(client, ctv, vanphong, open_survey):
    _, password = collect.issue_odk_credential(user=ctv, by=vanphong)
    token = base64.b64encode(f"ctv_hoa:{password}".encode()).decode()
    headers = {"Authorization": f"Basic {token}", "X-OpenRosa-Version": "1.0"}
    assert client.get("/odk/formList", headers=headers).status_code == 401
    secure = client.get("/odk/formList", headers=headers, secure=True)
    assert secure.status_code == 200
    challenge = client.get("/odk/formList", secure=True)["WWW-Authenticate"]
    assert challenge.startswith("Digest ") and 'Basic realm="Long Dan"' in challenge


def test_reissued_password_replaces_the_old_one(client, ctv, vanphong, open_survey):
    _, old = collect.issue_odk_credential(user=ctv, by=vanphong)
    _, new = collect.issue_odk_credential(user=ctv, by=vanphong)
    assert old != new
    assert OdkCollect(client, "ctv_hoa", old).request("GET", "/odk/formList").status_code == 401
    assert OdkCollect(client, "ctv_hoa", new).request("GET", "/odk/formList").status_code == 200
    collect.revoke_odk_credential(user=ctv, by=vanphong)
    assert OdkCollect(client, "ctv_hoa", new).request("GET", "/odk/formList").status_code == 401
