"""Failed-login limits on every door (issue 16 finding 1, finding 10, issue 18 finding 2).

The counts live in the database (django-axes), so two test clients stand for two server
processes: failures through one lock the door for the other. Every limit keys on the address as
core.request.client_address vouches for it, never on an X-Forwarded-For a client writes.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from core.lockout import current_lockouts
from core.models import AuditEntry

PASSWORD = "longdan-test"  # the conftest cast's password
START = dt.datetime(2026, 1, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=15)


def web_login(client: Client, username: str, password: str):
    return client.post("/dang-nhap/", {"username": username, "password": password})


def test_web_login_locks_across_processes_until_the_cool_off(an):
    one, two = Client(), Client()
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            assert web_login(one, "an", "sai").status_code == 200  # the form, with its error
        locked = web_login(one, "an", "sai")  # the fifth: over the limit
        assert locked.status_code == 429
        assert "quá 5 lần" in locked.content.decode()
        refused = web_login(two, "an", PASSWORD)  # the right password, another process
        assert refused.status_code == 429
        html = refused.content.decode()
        assert "Tạm khóa đăng nhập" in html and "kể cả khi nhập đúng mật khẩu" in html
        assert "_auth_user_id" not in two.session
    with time_machine.travel(START + dt.timedelta(minutes=16), tick=False):
        accepted = web_login(two, "an", PASSWORD)
        assert accepted.status_code == 302 and two.session["_auth_user_id"] == str(an.pk)
    lockouts = AuditEntry.objects.filter(action=AuditEntry.Action.LOCKOUT)
    assert lockouts.count() == 1  # one entry for the lockout, not one per refused attempt
    assert lockouts.get().data["username"] == "an"


def test_failures_are_limited_per_address_across_accounts(an, binh, vanphong):
    client = Client()
    for name in ["an", "binh", "vanphong", "khong-co", "ai-do"]:
        web_login(client, name, "sai")
    # Every account from this address is refused now, the right password too...
    assert web_login(client, "binh", PASSWORD).status_code == 429
    # ...but the same account from another address is not (its own count is 1).
    assert web_login(Client(REMOTE_ADDR="198.51.100.7"), "binh", PASSWORD).status_code == 302


def test_token_endpoint_locks_out_with_a_json_error(an):
    one, two = APIClient(), APIClient()
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            wrong = one.post("/api/v1/token/", {"username": "an", "password": "sai"},
                             format="json")
            assert wrong.status_code == 400
        assert one.post("/api/v1/token/", {"username": "an", "password": "sai"},
                        format="json").status_code == 429
        refused = two.post("/api/v1/token/", {"username": "an", "password": PASSWORD},
                           format="json")
        assert refused.status_code == 429
        body = refused.json()
        assert set(body) == {"detail", "field"} and "đúng mật khẩu" in body["detail"]
    with time_machine.travel(START + dt.timedelta(minutes=16), tick=False):
        ok = two.post("/api/v1/token/", {"username": "an", "password": PASSWORD}, format="json")
        assert ok.status_code == 200 and ok.json()["token"]


def test_admin_login_counts_and_obeys_the_same_limit(an, vanphong):
    vanphong.is_staff = vanphong.is_superuser = True
    vanphong.save()
    admin = Client()
    for _ in range(5):
        admin.post("/quan-tri/login/", {"username": "vanphong", "password": "sai"})
    refused = admin.post("/quan-tri/login/", {"username": "vanphong", "password": PASSWORD})
    assert refused.status_code == 429
    # The web login of the same account (another process, another address) is refused too.
    other = Client(REMOTE_ADDR="198.51.100.8")
    assert web_login(other, "vanphong", PASSWORD).status_code == 429


def test_the_office_unlocks_an_account_and_it_is_audited(an, vanphong):
    for _ in range(5):
        web_login(Client(), "an", "sai")
    assert [(lock.kind, lock.value) for lock in current_lockouts()] == [
        ("username", "an"), ("ip_address", "127.0.0.1")]
    reporter = Client()
    reporter.force_login(an)
    assert reporter.get("/khoa-dang-nhap/").status_code in {403, 404}
    assert reporter.post("/khoa-dang-nhap/", {"kind": "username", "value": "an"}).status_code in {
        403, 404}
    office = Client(REMOTE_ADDR="198.51.100.9")
    office.force_login(vanphong)
    page = office.get("/khoa-dang-nhap/")
    html = page.content.decode()
    assert page.status_code == 200 and "Mở khóa" in html and ">an<" in html
    office.post("/khoa-dang-nhap/", {"kind": "username", "value": "an"})
    assert current_lockouts() == []  # the address's count was the account's failures
    unlocked = AuditEntry.objects.get(action=AuditEntry.Action.UNLOCK)
    assert unlocked.actor == vanphong and "an" in unlocked.summary
    assert web_login(Client(), "an", PASSWORD).status_code == 302
    assert "Hiện không có" in office.get("/khoa-dang-nhap/").content.decode()


# --- throttles shared by processes, keyed on the vouched address (finding 10, issue 18) ---------


def test_a_forged_forwarded_for_does_not_escape_the_token_throttle(an, settings):
    settings.AXES_FAILURE_LIMIT = 1000  # the request limit alone
    statuses = []
    for i in range(21):
        client = APIClient()  # a fresh "process" for each request, too
        statuses.append(client.post(
            "/api/v1/token/", {"username": "an", "password": f"sai-{i}"}, format="json",
            headers={"X-Forwarded-For": f"10.0.{i}.{i}"},
        ).status_code)
    assert statuses[:20] == [400] * 20 and statuses[20] == 429


def test_behind_a_trusted_proxy_the_limit_keys_on_the_proxys_entry(an, settings):
    settings.LONGDAN_TRUSTED_PROXY_COUNT = 1
    for i in range(5):  # the client writes its own left part; the proxy appends the real one
        Client().post(
            "/dang-nhap/", {"username": f"khong-co-{i}", "password": "sai"},
            headers={"X-Forwarded-For": f"10.9.9.{i}, 203.0.113.50"},
        )
    refused = Client().post(
        "/dang-nhap/", {"username": "an", "password": PASSWORD},
        headers={"X-Forwarded-For": "10.1.1.1, 203.0.113.50"},
    )
    assert refused.status_code == 429
    other = Client().post(
        "/dang-nhap/", {"username": "an", "password": PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.51"},
    )
    assert other.status_code == 302


def test_public_tracking_limit_is_shared_and_ignores_forwarded_for(db):
    for i in range(20):
        response = Client().get("/tra-cuu/", {"ma": "ZZZZZZ"},
                                headers={"X-Forwarded-For": f"10.0.0.{i}"})
        assert response.status_code == 200
    assert Client().get("/tra-cuu/", {"ma": "ZZZZZZ"}).status_code == 429


def test_token_endpoint_is_limited_per_address_across_accounts(an, binh):
    api = APIClient()
    for name in ["khong-co-1", "khong-co-2", "khong-co-3", "khong-co-4", "khong-co-5"]:
        api.post("/api/v1/token/", {"username": name, "password": "sai"}, format="json")
    refused = APIClient().post("/api/v1/token/", {"username": "binh", "password": PASSWORD},
                               format="json")
    assert refused.status_code == 429 and "đúng mật khẩu" in refused.json()["detail"]
    elsewhere = APIClient(REMOTE_ADDR="198.51.100.12").post(
        "/api/v1/token/", {"username": "binh", "password": PASSWORD}, format="json")
    assert elsewhere.status_code == 200


def test_admin_login_is_limited_per_address_too(vanphong):
    vanphong.is_staff = vanphong.is_superuser = True
    vanphong.save()
    admin = Client()
    for name in ["khong-co-1", "khong-co-2", "khong-co-3", "khong-co-4", "khong-co-5"]:
        admin.post("/quan-tri/login/", {"username": name, "password": "sai"})
    refused = admin.post("/quan-tri/login/", {"username": "vanphong", "password": PASSWORD})
    assert refused.status_code == 429 and "Tạm khóa đăng nhập" in refused.content.decode()
