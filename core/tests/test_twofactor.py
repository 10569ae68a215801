"""Two-factor sign-in (issue 10): required for the office and leaders, optional for others, with
recovery codes; the API token asks for the code too; every step audited; wrong codes count toward
the login lockout. Sign-ins here go through the real login page (not force_login, which the
suite's conftest treats as having passed the second step)."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from core.models import AuditEntry

PASSWORD = "longdan-test"
START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def sign_in(client: Client, username: str):
    return client.post("/dang-nhap/", {"username": username, "password": PASSWORD})


def key_on_page(html: str) -> bytes:
    secret = re.search(r'class="otp-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def enrol_through_pages(client: Client, username: str) -> tuple[bytes, list[str]]:
    """Sign in, set up the app as a person does (the key read from the page); key and codes."""
    sign_in(client, username)
    page = client.get("/xac-thuc/thiet-lap/")
    key = key_on_page(page.content.decode())
    done = client.post("/xac-thuc/thiet-lap/", {"code": f"{totp(key):06d}", "next": "/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    return key, codes


def test_the_office_must_set_up_the_app_before_anything_else(vanphong):
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        assert sign_in(client, "vanphong").status_code == 302
        # Every page, and the API through the session, leads to the set-up.
        home = client.get("/")
        assert home.status_code == 302 and home["Location"].startswith("/xac-thuc/thiet-lap/")
        assert client.get("/nhat-ky/")["Location"].startswith("/xac-thuc/thiet-lap/")
        api = client.get("/api/v1/units/")
        assert api.status_code == 403 and "xác thực hai bước" in api.json()["detail"]
        page = client.get("/xac-thuc/thiet-lap/")
        html = page.content.decode()
        assert page.status_code == 200 and "<svg" in html and "Bật xác thực hai bước" in html
        assert "http" not in html.split("<svg", 1)[1].split("</svg>")[0].replace(
            "http://www.w3.org/2000/svg", "")  # the QR is drawn here, nothing fetched
        key = key_on_page(html)
        wrong = client.post("/xac-thuc/thiet-lap/", {"code": "000000"})
        assert wrong.status_code == 400 and "Mã không đúng" in wrong.content.decode()
        clock.shift(2)  # django-otp makes a wrong code wait a second (doubling) before the next
        assert client.post("/xac-thuc/thiet-lap/", {"code": f"{totp(key):06d}"}).status_code == 200
        assert client.get("/").status_code == 200
    assert TOTPDevice.objects.get(user=vanphong).confirmed
    assert StaticToken.objects.filter(device__user=vanphong).count() == 10
    enrolled = AuditEntry.objects.get(action=AuditEntry.Action.OTP_ENROL)
    assert enrolled.actor == vanphong


def test_an_enrolled_leader_gives_a_code_at_each_sign_in_and_a_code_works_once(lanhdao):
    with time_machine.travel(START, tick=False):
        key, _ = enrol_through_pages(Client(), "lanhdao")
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False) as clock:
        client = Client()
        sign_in(client, "lanhdao")
        held = client.get("/buc-tranh/")
        assert held.status_code == 302 and held["Location"].startswith("/xac-thuc/?next=")
        bad = client.post("/xac-thuc/", {"code": "123456"})
        assert bad.status_code == 400 and "Mã không đúng" in bad.content.decode()
        clock.shift(2)
        code = f"{totp(key):06d}"
        ok = client.post("/xac-thuc/", {"code": code, "next": "/buc-tranh/"})
        assert ok.status_code == 302 and ok["Location"] == "/buc-tranh/"
        assert client.get("/buc-tranh/").status_code == 200
        # The same code again, by someone who saw it: refused.
        other = Client(REMOTE_ADDR="198.51.100.20")
        sign_in(other, "lanhdao")
        assert other.post("/xac-thuc/", {"code": code}).status_code == 400
        # An outside address for "next" is not followed.
        later = Client()
    with time_machine.travel(START + dt.timedelta(minutes=6), tick=False):
        sign_in(later, "lanhdao")
        away = later.post("/xac-thuc/", {"code": f"{totp(key):06d}",
                                          "next": "https://example.org/"})
        assert away["Location"] == "/"


def test_a_recovery_code_signs_in_once_and_is_audited(lanhdao):
    with time_machine.travel(START, tick=False):
        _, codes = enrol_through_pages(Client(), "lanhdao")
    assert len(codes) == 10 and len(set(codes)) == 10
    client = Client()
    sign_in(client, "lanhdao")
    assert 'inputmode="text" autocapitalize="none"' in client.get("/xac-thuc/").content.decode()
    used = client.post("/xac-thuc/", {"code": codes[0].upper()}, follow=True)
    assert used.status_code == 200 and "còn 9 mã" in used.content.decode()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.OTP_RECOVERY)
    assert entry.actor == lanhdao and entry.data["left"] == 9
    again = Client()
    sign_in(again, "lanhdao")
    assert again.post("/xac-thuc/", {"code": codes[0]}).status_code == 400


def test_wrong_codes_count_toward_the_lockout(lanhdao, settings):
    settings.AXES_FAILURE_LIMIT = 3
    with time_machine.travel(START, tick=False):
        key, _ = enrol_through_pages(Client(), "lanhdao")
    with time_machine.travel(START + dt.timedelta(minutes=2), tick=False):
        client = Client()
        sign_in(client, "lanhdao")
        statuses = [client.post("/xac-thuc/", {"code": f"{n:06d}"}).status_code
                    for n in (111111, 222222, 333333)]
        assert statuses == [400, 400, 429]
        assert "_auth_user_id" not in client.session  # signed out
        # The password and then the right code: refused until the cool-off ends.
        assert sign_in(Client(REMOTE_ADDR="198.51.100.30"), "lanhdao").status_code == 429
        # The API token too: the lockout backend refuses before the password is checked.
        token = APIClient(REMOTE_ADDR="198.51.100.31").post(
            "/api/v1/token/", {"username": "lanhdao", "password": PASSWORD}, format="json")
        assert token.status_code == 429
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOCKOUT).count() == 1
    with time_machine.travel(START + dt.timedelta(minutes=30), tick=False):
        client = Client()
        assert sign_in(client, "lanhdao").status_code == 302
        assert client.post("/xac-thuc/", {"code": f"{totp(key):06d}"}).status_code == 302


def test_optional_for_a_reporter_who_may_turn_it_on_and_off(an):
    client = Client()
    with time_machine.travel(START, tick=False):
        sign_in(client, "an")
        assert client.get("/").status_code == 200  # not required: no set-up asked
        assert "Đang <strong>tắt</strong>" in client.get("/xac-thuc-hai-buoc/").content.decode()
        key = key_on_page(client.get("/xac-thuc/thiet-lap/").content.decode())
        client.post("/xac-thuc/thiet-lap/", {"code": f"{totp(key):06d}"})
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        again = Client()
        sign_in(again, "an")
        assert again.get("/")["Location"].startswith("/xac-thuc/")  # now asked at each sign-in
        assert again.post("/xac-thuc/", {"code": f"{totp(key):06d}"}).status_code == 302
    with time_machine.travel(START + dt.timedelta(minutes=2), tick=False) as clock:
        refused = again.post("/xac-thuc-hai-buoc/tat/", {"code": "000000"}, follow=True)
        assert "vẫn bật" in refused.content.decode()
        clock.shift(2)
        again.post("/xac-thuc-hai-buoc/tat/", {"code": f"{totp(key):06d}"})
    assert not TOTPDevice.objects.filter(user=an).exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.OTP_DISABLE, actor=an).count() == 1


def test_a_required_role_cannot_turn_it_off_but_can_renew_recovery_codes(vanphong):
    client = Client()
    with time_machine.travel(START, tick=False):
        key, codes = enrol_through_pages(client, "vanphong")
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        client.post("/xac-thuc-hai-buoc/tat/", {"code": f"{totp(key):06d}"})
        assert TOTPDevice.objects.filter(user=vanphong, confirmed=True).exists()
    with time_machine.travel(START + dt.timedelta(minutes=2), tick=False):
        fresh = client.post("/xac-thuc-hai-buoc/ma-du-phong/", {"code": f"{totp(key):06d}"})
    new_codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", fresh.content.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(codes)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.OTP_ENROL).count() == 1
    renewed = AuditEntry.objects.get(action=AuditEntry.Action.OTP_CODES)
    assert renewed.actor == vanphong and renewed.get_action_display() == "Tạo mã dự phòng mới"


def test_a_recovery_code_confirms_new_codes_and_is_audited(vanphong):
    client = Client()
    with time_machine.travel(START, tick=False):
        _, codes = enrol_through_pages(client, "vanphong")
        page = client.get("/xac-thuc-hai-buoc/").content.decode()
        assert 'inputmode="text" autocapitalize="none"' in page  # a phone shows letters too
        fresh = client.post("/xac-thuc-hai-buoc/ma-du-phong/", {"code": codes[0]})
    assert len(re.findall(r"<li><code>([a-z2-7]{8})</code></li>", fresh.content.decode())) == 10
    used = AuditEntry.objects.get(action=AuditEntry.Action.OTP_RECOVERY)
    assert used.actor == vanphong and used.data == {"left": 9, "door": "otp-manage"}
    assert "xác nhận" in used.summary


def test_a_locked_account_is_refused_on_the_settings_page(an, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        key, _ = enrol_through_pages(client, "an")
        clock.shift(2)
        # Locked through another door (wrong passwords elsewhere): the page refuses the right code.
        for _ in range(2):
            Client(REMOTE_ADDR="198.51.100.41").post(
                "/dang-nhap/", {"username": "an", "password": "sai"})
        refused = client.post("/xac-thuc-hai-buoc/tat/", {"code": f"{totp(key):06d}"})
        assert refused.status_code == 429 and "_auth_user_id" not in client.session
    assert TOTPDevice.objects.filter(user=an, confirmed=True).exists()


def test_token_endpoint_asks_the_required_roles_for_a_code(vanphong, an):
    api = APIClient()
    body = {"username": "vanphong", "password": PASSWORD}
    not_set_up = api.post("/api/v1/token/", body, format="json")
    assert not_set_up.status_code == 400 and not_set_up.json()["field"] == "otp"
    assert "phải bật xác thực hai bước" in not_set_up.json()["detail"]
    with time_machine.travel(START, tick=False):
        key, codes = enrol_through_pages(Client(), "vanphong")
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False) as clock:
        missing = api.post("/api/v1/token/", body, format="json")
        assert missing.status_code == 400 and missing.json()["field"] == "otp"
        wrong = api.post("/api/v1/token/", {**body, "otp": "000000"}, format="json")
        assert wrong.status_code == 400 and "không đúng" in wrong.json()["detail"]
        clock.shift(2)
        ok = api.post("/api/v1/token/", {**body, "otp": f"{totp(key):06d}"}, format="json")
        assert ok.status_code == 200 and ok.json()["token"]
        by_recovery = api.post("/api/v1/token/", {**body, "otp": codes[3]}, format="json")
        assert by_recovery.status_code == 200
    assert AuditEntry.objects.filter(action=AuditEntry.Action.OTP_RECOVERY).count() == 1
    # A reporter without two-factor gets a token with the password alone.
    plain = api.post("/api/v1/token/", {"username": "an", "password": PASSWORD}, format="json")
    assert plain.status_code == 200


@pytest.mark.parametrize("roles", ["", "leader"])
def test_the_requirement_follows_the_setting(vanphong, lanhdao, settings, roles):
    settings.LONGDAN_2FA_ROLES = [r for r in roles.split(",") if r]
    office, leader = Client(), Client()
    sign_in(office, "vanphong")
    sign_in(leader, "lanhdao")
    assert office.get("/").status_code == 200
    held = leader.get("/")
    assert held.status_code == (302 if roles == "leader" else 200)
    if roles == "leader":
        assert held["Location"].startswith("/xac-thuc/thiet-lap/")


def test_the_admin_door_asks_for_the_second_step_and_a_superuser_counts_as_the_office(an):
    an.is_staff = an.is_superuser = True
    an.save()
    client = Client()
    signed = client.post("/quan-tri/login/", {"username": "an", "password": PASSWORD})
    assert signed.status_code == 302
    held = client.get("/quan-tri/")
    assert held.status_code == 302 and held["Location"].startswith("/xac-thuc/thiet-lap/")
