"""The client address behind the public throttles: REMOTE_ADDR unless proxies are declared."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from core.request import client_address
from intake import services
from intake.models import OpinionItem
from intake.tests.conftest import old_stamp

SPOOFS = ["1.1.1.1", "8.8.8.8", "9.9.9.9", "4.4.4.4", "2.2.2.2", "5.5.5.5", "6.6.6.6"]


def request(remote: str = "203.0.113.7", forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/gop-y/", **extra)


def test_by_default_the_forwarded_header_is_ignored(settings):
    settings.LONGDAN_TRUSTED_PROXY_COUNT = 0
    assert client_address(request(forwarded="1.1.1.1")) == "203.0.113.7"
    assert client_address(request(forwarded="1.1.1.1, 2.2.2.2")) == "203.0.113.7"
    assert client_address(request(remote="")) == "unknown"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        # One proxy (nginx appending $remote_addr): the client is the last entry; whatever the
        # client wrote into the header itself is further left and ignored.
        (1, "198.51.100.23", "198.51.100.23"),
        (1, "1.1.1.1, 198.51.100.23", "198.51.100.23"),
        (1, " 1.1.1.1 ,198.51.100.23 ", "198.51.100.23"),
        # Two proxies (a load balancer, then nginx): second from the right.
        (2, "1.1.1.1, 198.51.100.23, 10.0.0.5", "198.51.100.23"),
        (2, "198.51.100.23, 10.0.0.5", "198.51.100.23"),
        # IPv6, and ports some proxies keep.
        (1, "2001:db8::7", "2001:db8::7"),
        (1, "[2001:db8::7]:443", "2001:db8::7"),
        (1, "198.51.100.23:51234", "198.51.100.23"),
        # Fewer entries than proxies, no header, or a malformed entry: the peer's address.
        (2, "198.51.100.23", "10.0.0.1"),
        (1, None, "10.0.0.1"),
        (1, "", "10.0.0.1"),
        (1, "1.1.1.1, not-an-address", "10.0.0.1"),
        (1, "1.1.1.1, <script>", "10.0.0.1"),
    ],
)
def test_behind_declared_proxies_the_client_is_counted_from_the_right(
    settings, count, forwarded, expected
):
    settings.LONGDAN_TRUSTED_PROXY_COUNT = count
    assert client_address(request(remote="10.0.0.1", forwarded=forwarded)) == expected


def test_a_negative_count_is_treated_as_no_proxy(settings):
    settings.LONGDAN_TRUSTED_PROXY_COUNT = -1
    assert client_address(request(forwarded="1.1.1.1")) == "203.0.113.7"


def post(client: Client, remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    payload = {"text": "Đèn đường ngõ 7 bị hỏng.", "started": old_stamp(), "website": ""}
    return client.post("/gop-y/", payload, **extra)


def test_a_spoofed_header_does_not_escape_the_public_form_throttle(settings, db):
    settings.LONGDAN_TRUSTED_PROXY_COUNT = 0
    client = Client()
    statuses = [post(client, "203.0.113.7", spoof).status_code for spoof in SPOOFS]
    assert statuses == [200] * services.PUBLIC_LIMIT + [429] * (len(SPOOFS) - services.PUBLIC_LIMIT)
    assert OpinionItem.objects.count() == services.PUBLIC_LIMIT


def test_behind_a_proxy_each_resident_has_their_own_allowance(settings, db):
    settings.LONGDAN_TRUSTED_PROXY_COUNT = 1
    client = Client()
    proxy = "10.0.0.1"  # every request reaches the app from the proxy
    # Seven residents behind the one proxy: none is refused for the others' submissions.
    residents = [f"198.51.100.{n}" for n in range(1, 8)]
    assert [post(client, proxy, r).status_code for r in residents] == [200] * len(residents)
    # One resident varying the header they send still ends up as themselves.
    statuses = [
        post(client, proxy, f"{spoof}, 198.51.100.99").status_code for spoof in SPOOFS
    ]
    assert statuses == [200] * services.PUBLIC_LIMIT + [429] * (len(SPOOFS) - services.PUBLIC_LIMIT)


@pytest.fixture
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_tracking_page_throttle_ignores_a_spoofed_header(settings, db, empty_cache):
    from issues.views import TRACK_LIMIT

    settings.LONGDAN_TRUSTED_PROXY_COUNT = 0
    client = Client()
    for number in range(TRACK_LIMIT):
        response = client.get(
            "/tra-cuu/", {"ma": "ZZZZZZ"}, REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"10.9.0.{number}",
        )
        assert response.status_code == 200
    refused = client.get(
        "/tra-cuu/", {"ma": "ZZZZZZ"}, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert refused.status_code == 429
    assert "thử lại sau ít phút" in refused.content.decode()
    # Behind a declared proxy, another resident is not refused for the first one's lookups.
    settings.LONGDAN_TRUSTED_PROXY_COUNT = 1
    other = client.get(
        "/tra-cuu/", {"ma": "ZZZZZZ"}, REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.40",
    )
    assert other.status_code == 200
