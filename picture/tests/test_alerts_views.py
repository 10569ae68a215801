"""The alerts page, /theo-doi/: one's own subscriptions and alerts; only the office and leaders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from core.dates import local_today
from core.models import Topic
from picture.models import Alert, Subscription
from picture.services import subscribe

URL = "/theo-doi/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def leader(lanhdao):
    lanhdao.email = "lanhdao@example.vn"
    lanhdao.save()
    return lanhdao


def test_the_routes(db):
    assert reverse("picture:follow") == URL
    assert reverse("picture:unfollow") == "/theo-doi/huy/"


def test_empty_page_says_what_to_do(leader):
    page = client_for(leader).get(URL).content.decode()
    assert "Bạn chưa theo dõi chủ đề, tổ dân phố nào" in page
    assert "Chưa có cảnh báo nào trong 30 ngày qua" in page
    assert 'id="id_by_email" checked' in page  # an address: e-mail offered by default


def test_a_leader_subscribes_to_a_topic_and_sees_it(leader, area_1):
    topic = Topic.objects.get(name="Môi trường")
    response = client_for(leader).post(URL, {"topic": topic.pk, "area": area_1.pk,
                                             "frequency": "daily", "by_email": "on"})
    assert response.status_code == 302
    sub = Subscription.objects.get(user=leader)
    assert (sub.topic, sub.area, sub.frequency, sub.by_email) == (topic, area_1, "daily", True)
    page = client_for(leader).get(URL).content.decode()
    assert "Chủ đề: Môi trường" in page and "Tổ dân phố 1" in page
    assert "Tóm tắt hằng ngày, qua thư điện tử" in page


def test_email_without_an_address_is_shown_next_to_the_field(vanphong):
    response = client_for(vanphong).post(URL, {"frequency": "immediate", "by_email": "on"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "chưa có địa chỉ thư" in page and "has-error" in page
    assert not Subscription.objects.exists()


def test_a_bad_frequency_is_refused_naming_the_field(leader):
    response = client_for(leader).post(URL, {"frequency": "hourly"})
    assert response.status_code == 200 and "has-error" in response.content.decode()
    assert not Subscription.objects.exists()


def test_a_reporter_is_told_who_may_subscribe(an):
    client = client_for(an)
    response = client.get(URL)
    assert response.status_code == 403
    assert "Chỉ Ban Xây dựng Đảng và lãnh đạo" in response.content.decode()
    assert client.post(URL, {"frequency": "immediate"}).status_code == 403
    assert not Subscription.objects.exists()


def test_unsubscribe_own_only(leader, vanphong):
    mine = subscribe(user=leader, by_email=False)
    theirs = subscribe(user=vanphong, by_email=False)
    client = client_for(leader)
    assert client.post("/theo-doi/huy/", {"id": theirs.pk}).status_code == 404
    assert client.post("/theo-doi/huy/", {"id": "x"}).status_code == 404
    assert client.get("/theo-doi/huy/").status_code == 405
    assert client.post("/theo-doi/huy/", {"id": mine.pk}).status_code == 302
    assert list(Subscription.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_alerts_of_the_last_30_days_newest_first_paginated_own_only(leader, vanphong):
    today = local_today()
    for n in range(25):
        Alert.objects.create(user=leader, kind="burst", subject=f"s{n}",
                             day=today - dt.timedelta(days=n), text=f"Cảnh báo số {n:02d}",
                             url=f"/van-de/{n}/")
    Alert.objects.create(user=leader, kind="burst", subject="old",
                         day=today - dt.timedelta(days=31), text="Cảnh báo đã cũ")
    Alert.objects.create(user=vanphong, kind="burst", subject="s0", day=today,
                         text="Cảnh báo của người khác")
    client = client_for(leader)
    first = client.get(URL).content.decode()
    assert first.index("Cảnh báo số 00") < first.index("Cảnh báo số 01")
    assert "Cảnh báo số 19" in first and "Cảnh báo số 20" not in first
    assert "Trang 1 / 2" in first and 'href="/van-de/0/"' in first
    second = client.get(URL + "?page=2").content.decode()
    assert "Cảnh báo số 24" in second
    for page in (first, second):
        assert "Cảnh báo đã cũ" not in page and "Cảnh báo của người khác" not in page


def test_the_notifications_page_links_here_for_leaders_only(leader, an):
    assert URL in client_for(leader).get("/thong-bao/").content.decode()
    assert URL not in client_for(an).get("/thong-bao/").content.decode()
