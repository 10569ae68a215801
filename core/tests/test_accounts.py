"""Accounts (issue 18, finding 2): password change, the office's reset, hashed expiring tokens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from core import tokens
from core.models import ApiToken, AuditEntry

PASSWORD = "longdan-test"  # the conftest cast's password
NEW_PASSWORD = "Hoa-Binh-mua-thu-2026"
pytestmark = pytest.mark.django_db


def get_token(username: str, password: str = PASSWORD, **extra) -> dict:
    response = APIClient().post(
        "/api/v1/token/", {"username": username, "password": password, **extra}, format="json"
    )
    assert response.status_code == 200, response.json()
    return response.json()


def api(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


# --- password change ----------------------------------------------------------------------------


def test_everyone_can_change_their_password_and_it_is_audited(an):
    client = Client()
    client.force_login(an)
    page = client.get("/doi-mat-khau/")
    assert page.status_code == 200
    assert "Đổi mật khẩu" in page.content.decode()
    assert 'href="/doi-mat-khau/"' in client.get("/").content.decode()  # in the top menu
    response = client.post(
        "/doi-mat-khau/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    an.refresh_from_db()
    assert an.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PASSWORD_CHANGE)
    assert entry.actor == an and entry.object_id == str(an.pk)
    assert client.get("/").status_code == 200  # still signed in


def test_password_rules_speak_vietnamese(an):
    client = Client()
    client.force_login(an)
    response = client.post(
        "/doi-mat-khau/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Mật khẩu" in text or "mật khẩu" in text
    assert "This password" not in text and "too common" not in text
    an.refresh_from_db()
    assert an.check_password(PASSWORD)


# --- the office's reset -------------------------------------------------------------------------


def test_office_reset_forces_a_change_at_next_login(vanphong, an):
    secret = tokens.issue(an, "điện thoại")[1]
    office = Client()
    office.force_login(vanphong)
    response = office.post("/nguoi-dung/dat-lai-mat-khau/", {"user": an.pk})
    assert response.status_code == 200
    temporary = response.context["temporary"]
    assert temporary in response.content.decode()
    an.refresh_from_db()
    assert an.must_change_password and an.check_password(temporary)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PASSWORD_RESET)
    assert entry.actor == vanphong and entry.object_id == str(an.pk)
    assert temporary not in str(entry.summary) + str(entry.data)
    assert api(secret).get("/api/v1/units/").status_code == 401  # tokens revoked

    person = Client()
    assert person.login(username="an", password=temporary)
    assert person.get("/").url == "/doi-mat-khau/"
    assert person.get("/bao-cao/").status_code == 302
    refused = APIClient().post(
        "/api/v1/token/", {"username": "an", "password": temporary}, format="json"
    )
    assert refused.status_code == 400
    changed = person.post(
        "/doi-mat-khau/",
        {"old_password": temporary, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    an.refresh_from_db()
    assert not an.must_change_password
    assert person.get("/").status_code == 200


def test_a_reporter_cannot_reset_anothers_password(an, binh):
    client = Client()
    client.force_login(an)
    response = client.post("/nguoi-dung/dat-lai-mat-khau/", {"user": binh.pk})
    assert response.status_code == 403
    binh.refresh_from_db()
    assert binh.check_password(PASSWORD) and not binh.must_change_password
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.PASSWORD_RESET).exists()


# --- API tokens ---------------------------------------------------------------------------------


def test_token_is_stored_hashed_and_each_request_gives_a_new_one(an):
    first = get_token("an", name="Điện thoại Android")
    second = get_token("an")
    assert first["token"] != second["token"]
    assert first["name"] == "Điện thoại Android"
    stored = ApiToken.objects.filter(user=an)
    assert stored.count() == 2
    for row in stored.values():
        assert first["token"] not in {str(value) for value in row.values()}
        assert second["token"] not in {str(value) for value in row.values()}
    assert stored.get(name="Điện thoại Android").key_hash == tokens.hash_secret(first["token"])
    assert api(first["token"]).get("/api/v1/units/").status_code == 200
    assert api(second["token"]).get("/api/v1/units/").status_code == 200


def test_token_expires(an, settings):
    settings.LONGDAN_API_TOKEN_DAYS = 30
    body = get_token("an")
    token = ApiToken.objects.get(user=an)
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    token.expires_at = timezone.now() - dt.timedelta(seconds=1)
    token.save()
    refused = api(body["token"]).get("/api/v1/units/")
    assert refused.status_code == 401
    assert "hết hạn" in refused.json()["detail"]


def test_owner_revokes_a_token_on_the_tokens_page(an, binh):
    body = get_token("an", name="máy tính bảng")
    token = ApiToken.objects.get(user=an)
    web = Client()
    web.force_login(an)
    page = web.get("/ma-truy-cap/")
    assert "máy tính bảng" in page.content.decode() and token.prefix in page.content.decode()
    other = Client()
    other.force_login(binh)
    assert other.post("/ma-truy-cap/thu-hoi/", {"id": token.pk}).status_code == 404
    assert web.post("/ma-truy-cap/thu-hoi/", {"id": token.pk}).status_code == 302
    refused = api(body["token"]).get("/api/v1/units/")
    assert refused.status_code == 401
    assert "thu hồi" in refused.json()["detail"]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.TOKEN_REVOKE).exists()


def test_api_logout_revokes_the_token_used(an):
    body = get_token("an")
    other = get_token("an", name="khác")
    client = api(body["token"])
    assert client.delete("/api/v1/token/").status_code == 204
    assert client.get("/api/v1/units/").status_code == 401
    assert api(other["token"]).get("/api/v1/units/").status_code == 200  # another device
    assert APIClient().delete("/api/v1/token/").status_code == 401


def test_logout_from_every_device_revokes_every_token(an):
    body = get_token("an")
    web = Client()
    web.force_login(an)
    assert web.post("/ma-truy-cap/thu-hoi/", {"all": "1"}).status_code == 302
    assert api(body["token"]).get("/api/v1/units/").status_code == 401
    assert web.get("/").status_code == 302  # logged out of the web too


def test_every_password_rule_has_a_vietnamese_message(an):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("vi"):
        for weak in ("abc", "12345678", "password"):
            with pytest.raises(ValidationError) as raised:
                validate_password(weak, an)
            for message in raised.value.messages:
                assert not message.isascii(), message
