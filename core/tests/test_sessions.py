"""Session limits (ASVS 4.0.3 3.3.2 level 2: 30 minutes idle, 12 hours at most; core.sessions).

The clock is moved with time_machine; the session records its start at sign-in, and the middleware
ends it past either limit with a Vietnamese message on the login page. A form posted after the end
keeps its text for after the next sign-in.
"""

from __future__ import annotations

import datetime as dt
import json

import time_machine
from django.test import Client

from core import sessions

PASSWORD = "longdan-test"
START = dt.datetime(2026, 1, 10, 7, 0, tzinfo=dt.UTC)


def _at(**delta):
    return time_machine.travel(START + dt.timedelta(**delta), tick=False)


def _sign_in(client: Client, username: str = "an", next_url: str = "") -> None:
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post("/dang-nhap/", data)
    assert response.status_code == 302, response.content.decode()[:500]


def test_the_defaults_meet_asvs_level_2(settings):
    assert settings.LONGDAN_SESSION_IDLE_MINUTES == 30
    assert settings.LONGDAN_SESSION_MAX_HOURS == 12
    assert "core.sessions.SessionLifetimeMiddleware" in settings.MIDDLEWARE


def test_an_idle_session_ends_with_a_message_and_a_used_one_goes_on(an):
    client = Client()
    with _at():
        _sign_in(client)
    with _at(minutes=29):
        assert client.get("/").status_code == 200  # used within 30 minutes: goes on
    with _at(minutes=58):
        assert client.get("/").status_code == 200  # 29 minutes after the last use
    with _at(minutes=89):
        response = client.get("/", follow=True)  # 31 minutes idle
        assert response.redirect_chain[-1][0].startswith("/dang-nhap/")
        html = response.content.decode()
        assert "không thao tác quá 30 phút" in html
        assert "_auth_user_id" not in client.session


def test_a_busy_session_ends_twelve_hours_after_sign_in(an):
    client = Client()
    with _at():
        _sign_in(client)
    for minutes in range(25, 12 * 60, 25):  # used every 25 minutes: never idle
        with _at(minutes=minutes):
            assert client.get("/").status_code == 200, minutes
    with _at(hours=12, minutes=1):
        response = client.get("/", follow=True)
        assert response.redirect_chain[-1][0].startswith("/dang-nhap/")
        assert "quá 12 giờ kể từ lúc đăng nhập" in response.content.decode()
    with _at(hours=12, minutes=2):
        _sign_in(client)  # signing in again starts a new 12 hours
        assert client.get("/").status_code == 200
    with _at(hours=23, minutes=50):
        assert client.get("/", follow=True).redirect_chain  # idle since: ended


def test_the_limits_are_settings(an, settings):
    settings.LONGDAN_SESSION_IDLE_MINUTES = 15
    settings.LONGDAN_SESSION_MAX_HOURS = 1
    client = Client()
    with _at():
        _sign_in(client)
    with _at(minutes=16):
        assert client.get("/").status_code == 302
    with _at(minutes=20):
        _sign_in(client)
    for minutes in (30, 40, 50, 60, 70):
        with _at(minutes=minutes):
            assert client.get("/").status_code == 200
    with _at(minutes=81):
        assert client.get("/").status_code == 302


def test_a_form_posted_after_the_end_keeps_its_text_for_after_sign_in(an):
    client = Client()
    with _at():
        _sign_in(client)
        assert client.get("/y-kien/nhanh/").status_code == 200
    typed = "Bà con tổ 5 phản ánh đường ngập sau mưa, đề nghị nạo vét cống."
    with _at(minutes=45):
        posted = client.post("/y-kien/nhanh/", {"text": typed, "channel": "direct",
                                                "csrfmiddlewaretoken": "x"})
        assert posted.status_code == 302 and posted["Location"].startswith("/dang-nhap/")
        login_page = client.get(posted["Location"]).content.decode()
        assert "không thao tác quá 30 phút" in login_page
        assert "đã giữ lại và sẽ điền lại" in login_page
        # Kept encrypted in the session, without the CSRF token.
        stored = client.session[sessions.DRAFT]
        assert stored.startswith("enc1:") and typed not in stored
        _sign_in(client, next_url="/y-kien/nhanh/")
        page = client.get("/y-kien/nhanh/").content.decode()
        kept = json.loads(page.split('id="kept-draft" type="application/json">')[1]
                          .split("</script>")[0])
        assert kept == [["text", typed], ["channel", "direct"]]  # no CSRF token
        assert "Đã điền lại nội dung bạn gõ" in page
        again = client.get("/y-kien/nhanh/").content.decode()
        assert 'id="kept-draft"' not in again  # given back once


def test_a_draft_is_given_back_only_on_its_own_page(an):
    client = Client()
    with _at():
        _sign_in(client)
    with _at(minutes=45):
        client.post("/y-kien/nhanh/", {"text": "Nội dung riêng"})
        _sign_in(client)
        assert 'id="kept-draft"' not in client.get("/").content.decode()
        assert 'id="kept-draft"' in client.get("/y-kien/nhanh/").content.decode()


def test_passwords_are_never_kept_in_a_draft(an):
    client = Client()
    with _at():
        _sign_in(client)
    with _at(minutes=45):
        client.post("/doi-mat-khau/", {"old_password": PASSWORD, "new_password1": "x" * 20,
                                       "new_password2": "x" * 20})
        assert sessions.DRAFT not in client.session


def test_a_scripts_post_after_the_end_gets_json_not_the_login_page(an):
    client = Client()
    with _at():
        _sign_in(client)
    with _at(minutes=45):
        response = client.post("/y-kien/nhanh/", {"text": "x"}, headers={"X-Autosave": "1"})
        assert response.status_code == 401
        assert "Phiên đăng nhập đã kết thúc" in response.json()["error"]
        later = client.post("/y-kien/nhanh/", {"text": "x"}, headers={"X-Autosave": "1"})
        assert later.status_code == 401  # and still, once signed out


def test_the_page_knows_when_the_session_ends(an):
    client = Client()
    with _at():
        _sign_in(client)
        html = client.get("/").content.decode()
    assert f'data-session-ends="{int(START.timestamp()) + 12 * 3600}"' in html


def test_the_last_use_is_written_at_most_once_a_minute(an):
    """Every page view would otherwise save the session row; the idle limit holds to a minute."""
    from django.contrib.sessions.models import Session

    client = Client()
    with _at():
        _sign_in(client)
        client.get("/")
    key = client.session.session_key

    def stored_seen() -> int:
        return Session.objects.get(session_key=key).get_decoded()[sessions.SEEN]

    first = stored_seen()
    with _at(seconds=30):
        client.get("/")
    assert stored_seen() == first  # not written again within the minute
    with _at(seconds=61):
        client.get("/")
    assert stored_seen() == first + 61
