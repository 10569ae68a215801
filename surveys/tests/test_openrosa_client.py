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


# --- replays and lockout (issue 16 finding 2) ---------------------------------------------------


def _submission(xml: bytes) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"xml_submission_file": SimpleUploadedFile("phieu.xml", xml, "text/xml")}


def test_a_replayed_digest_header_is_refused(client, phone, open_survey):
    uri = "/odk/submission"
    assert phone.request("HEAD", uri).status_code == 204  # gets the challenge, then a nonce
    captured = phone._authorization("POST", uri)
    headers = {"Authorization": captured, "X-OpenRosa-Version": "1.0"}
    first = client.post(uri, _submission(standard_instance(instance_id="uuid:r-1")),
                        headers=headers)
    assert first.status_code == 201
    # The same header again, from another process (a second client), with another form.
    from django.test import Client

    for replayer in (client, Client()):
        replay = replayer.post(uri, _submission(standard_instance(instance_id="uuid:r-2")),
                               headers=headers)
        assert replay.status_code == 401
        challenge = openrosa.parse_digest(replay["WWW-Authenticate"].split(", Basic ")[0])
        assert challenge["nonce"] != openrosa.parse_digest(captured)["nonce"]  # a new one
    assert Response.objects.count() == 1
    # The phone itself goes on with growing counts on the same nonce, then a new nonce.
    assert phone.submit(standard_instance(instance_id="uuid:r-3")).status_code == 201
    assert Response.objects.count() == 2


def test_a_nonce_count_that_does_not_grow_is_refused(client, phone, open_survey):
    assert phone.request("GET", "/odk/formList").status_code == 200
    later = phone._authorization("GET", "/odk/formList")  # nc 2
    phone.nc = 0
    earlier = phone._authorization("GET", "/odk/formList")  # nc 1 again, fresh cnonce
    assert client.get("/odk/formList", headers={"Authorization": later}).status_code == 200
    assert client.get("/odk/formList", headers={"Authorization": earlier}).status_code == 401


def test_nonces_are_short_lived_and_pruned(client, phone, open_survey):
    from surveys.collect.odk_views import NONCE_SECONDS
    from surveys.models import DigestNonce

    assert NONCE_SECONDS <= 300
    assert phone.request("GET", "/odk/formList").status_code == 200
    assert DigestNonce.objects.count() == 1
    DigestNonce.objects.update(created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    fresh = OdkCollect(client, phone.username, phone.password)
    assert fresh.request("GET", "/odk/formList").status_code == 200  # a new nonce
    assert DigestNonce.objects.count() == 1  # the expired one is gone


def _one_try(client, phone: OdkCollect):
    """One credentialed request (no retry), as a script guessing passwords sends it."""
    if phone.challenge is None:
        first = client.get("/odk/formList")
        phone.challenge = openrosa.parse_digest(first["WWW-Authenticate"])
    header = phone._authorization("GET", "/odk/formList")
    return client.get("/odk/formList", headers={"Authorization": header})


def test_many_wrong_odk_logins_lock_the_account_then_cool_off(client, ctv, vanphong, open_survey,
                                                              settings):
    import time_machine
    from django.test import Client

    from core.models import AuditEntry

    settings.AXES_FAILURE_LIMIT = 5
    _, password = collect.issue_odk_credential(user=ctv, by=vanphong)
    start = dt.datetime(2026, 1, 10, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        wrong = OdkCollect(client, "ctv_hoa", "sai-mat-khau")
        statuses = [_one_try(client, wrong).status_code for _ in range(8)]
        assert statuses == [401] * 4 + [429] * 4
        # The right password, from another process and another address: refused (the account).
        other = Client(REMOTE_ADDR="203.0.113.9")
        locked = _one_try(other, OdkCollect(other, "ctv_hoa", password))
        assert locked.status_code == 429
        assert "quá 5 lần" in message_of(locked) and "đúng mật khẩu" in message_of(locked)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED).count() >= 5
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOCKOUT).count() == 1
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        other = Client(REMOTE_ADDR="203.0.113.9")
        assert _one_try(other, OdkCollect(other, "ctv_hoa", password)).status_code == 200


# --- every ODK door is limited (issue 10): Basic over HTTPS, and per address -------------------


def _basic(username: str, password: str) -> dict:
    raw = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {raw}", "X-OpenRosa-Version": "1.0"}


def test_basic_logins_over_https_are_limited_too(client, ctv, vanphong, open_survey, settings):
    from core.models import AuditEntry

    settings.AXES_FAILURE_LIMIT = 4
    _, password = collect.issue_odk_credential(user=ctv, by=vanphong)
    assert client.get("/odk/formList", secure=True,
                      headers=_basic("ctv_hoa", password)).status_code == 200
    statuses = [client.get("/odk/formList", secure=True,
                           headers=_basic("ctv_hoa", f"sai-{i}")).status_code for i in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
    from django.test import Client

    right = Client(REMOTE_ADDR="203.0.113.40").get("/odk/formList", secure=True,
                                                    headers=_basic("ctv_hoa", password))
    assert right.status_code == 429 and "đúng mật khẩu" in message_of(right)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOCKOUT).count() == 1


def test_odk_failures_are_limited_per_address_across_names(client, ctv, vanphong, open_survey,
                                                           settings):
    settings.AXES_FAILURE_LIMIT = 3
    _, password = collect.issue_odk_credential(user=ctv, by=vanphong)
    for name in ("khong-co-1", "khong-co-2", "khong-co-3"):  # three names, one address
        _one_try(client, OdkCollect(client, name, "sai"))
    # The real account from that address is refused now, though its own count is nought...
    assert _one_try(client, OdkCollect(client, "ctv_hoa", password)).status_code == 429
    from django.test import Client

    # ...and accepted from another address.
    other = Client(REMOTE_ADDR="203.0.113.41")
    assert _one_try(other, OdkCollect(other, "ctv_hoa", password)).status_code == 200
