"""Failure back-off per source: consecutive failures push the next fetch out exponentially (capped
at a day), shown in the source's health; a success resets it; the worker honours it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring import services
from monitoring.models import Source
from monitoring.tests.server import page
from monitoring.tests.test_fetch import AN_LU, rss

pytestmark = pytest.mark.django_db


def test_the_delay_doubles_and_stops_at_a_day():
    delays = [services.backoff(60, n) for n in range(0, 8)]
    hours = [d / dt.timedelta(hours=1) for d in delays]
    assert hours == [0, 2, 4, 8, 16, 24, 24, 24]
    assert services.backoff(60, 10_000) == dt.timedelta(days=1)  # no overflow
    assert services.backoff(3 * 24 * 60, 1) == dt.timedelta(days=3)  # a longer own interval


def _age(minutes: int) -> None:
    """Move every source's last fetch and back-off ``minutes`` into the past."""
    for source in Source.objects.all():
        Source.objects.filter(pk=source.pk).update(
            last_fetch_at=(source.last_fetch_at or timezone.now()) - dt.timedelta(minutes=minutes),
            retry_at=source.retry_at and source.retry_at - dt.timedelta(minutes=minutes),
        )


def test_failures_back_off_and_a_success_resets(site, allow_local, client_fetcher):
    source = Source.objects.create(name="Báo A", url=site.url("/rss.xml"), kind="rss")
    result = services.fetch_all(client=client_fetcher, due_only=True)  # 404
    report = result["sources"]["Báo A"]
    assert report["errors"] == 1 and report["failures"] == 1 and report["retry_at"]
    source.refresh_from_db()
    assert source.failures == 1
    assert source.retry_at - source.last_fetch_at >= dt.timedelta(minutes=119)
    # Its interval (60 min) has passed, the back-off (2 h) has not: not fetched.
    _age(61)
    assert services.fetch_all(client=client_fetcher, due_only=True)["sources"] == {}
    _age(60)
    services.fetch_all(client=client_fetcher, due_only=True)
    source.refresh_from_db()
    assert source.failures == 2
    assert source.retry_at - timezone.now() > dt.timedelta(minutes=235)  # 4 h now
    assert site.statuses("/rss.xml") == [404, 404]
    # A fetch of every source (the command) is not held back; once the feed is there it resets.
    site.add("/bai/an-lu", page("Rác thải ùn ứ ở An Lư", AN_LU))
    site.add("/rss.xml", rss(site, ["/bai/an-lu"]), content_type="application/rss+xml")
    result = services.fetch_all(client=client_fetcher)
    assert result["sources"]["Báo A"]["new"] == 1
    assert result["sources"]["Báo A"]["failures"] == 0
    assert result["sources"]["Báo A"]["retry_at"] is None
    source.refresh_from_db()
    assert (source.failures, source.retry_at) == (0, None)


def test_an_article_failing_does_not_back_off_its_source(site, allow_local, client_fetcher):
    site.add("/rss.xml", rss(site, ["/missing"]), content_type="application/rss+xml")
    source = Source.objects.create(name="x", url=site.url("/rss.xml"), kind="rss")
    services.fetch_all(client=client_fetcher, due_only=True)
    source.refresh_from_db()
    assert source.failures == 0 and source.retry_at is None and source.last_error


def test_the_health_shows_the_back_off(client, vanphong):
    Source.objects.create(
        name="Báo B", url="https://b.example/rss", kind="rss", failures=3,
        retry_at=timezone.now() + dt.timedelta(hours=8), last_error="Lỗi 404",
        last_error_at=timezone.now(),
    )
    client.force_login(vanphong)
    body = client.get(reverse("monitoring_sources")).content.decode()
    assert "Lỗi 3 lần liên tiếp; lấy lại sau" in body
