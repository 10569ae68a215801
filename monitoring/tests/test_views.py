"""The monitoring page and the pasted link: the office's, audited, masked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import AuditEntry
from monitoring.models import Mention, Source
from monitoring.tests.server import page
from monitoring.tests.test_fetch import AN_LU, PROVINCE
from orgs.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(site, allow_local):
    Area.objects.create(name="Tổ dân phố An Lư 3", former_ward="An Lư")
    site.add("/an-lu", page("Rác thải ùn ứ ở An Lư", AN_LU))
    site.add("/tinh", page("Thủy điện Hòa Bình xả lũ", PROVINCE))
    return site


def test_paste_previews_then_stores_once_with_an_audit_entry(client, vanphong, pages):
    client.force_login(vanphong)
    url = reverse("monitoring_paste")
    response = client.post(url, {"url": pages.url("/an-lu?utm_source=zalo")})
    assert response.status_code == 200
    assert "Rác thải ùn ứ ở An Lư" in response.content.decode()
    assert Mention.objects.count() == 0  # shown, not stored
    response = client.post(url, {"url": pages.url("/an-lu"), "confirm": "1"})
    assert response.status_code == 302
    mention = Mention.objects.get()
    assert mention.url == pages.url("/an-lu") and mention.relevance == "ward"
    assert AuditEntry.objects.filter(object_type="monitoring.mention").count() == 1
    client.post(url, {"url": pages.url("/an-lu?fbclid=1"), "confirm": "1"})
    assert Mention.objects.count() == 1
    assert AuditEntry.objects.filter(object_type="monitoring.mention").count() == 1


def test_paste_refuses_an_internal_address_in_vietnamese(client, vanphong, settings, site):
    settings.LONGDAN_MONITOR_ALLOWED_PRIVATE_HOSTS = []
    client.force_login(vanphong)
    response = client.post(reverse("monitoring_paste"), {"url": site.url("/a")})
    assert "Đường dẫn: Không lấy tin từ địa chỉ nội bộ" in response.content.decode()
    assert site.log == [] and Mention.objects.count() == 0


def test_list_filters_relevance_and_search_without_diacritics(client, vanphong, pages):
    client.force_login(vanphong)
    for path in ("/an-lu", "/tinh"):
        client.post(reverse("monitoring_paste"), {"url": pages.url(path), "confirm": "1"})
    Source.objects.create(
        name="Báo hỏng",
        url=pages.url("/x"),
        kind="rss",
        last_error="Nguồn tin không đúng định dạng RSS/Atom",
    )
    body = client.get(reverse("monitoring_list")).content.decode()  # ward by default
    assert ">Rác thải ùn ứ ở An Lư</a>" in body and ">Thủy điện Hòa Bình xả lũ</a>" not in body
    sources = client.get(reverse("monitoring_sources")).content.decode()
    assert "Nguồn tin không đúng định dạng RSS/Atom" in sources
    body = client.get(reverse("monitoring_list"), {"relevance": "all", "q": "thuy dien"})
    body = body.content.decode()
    assert ">Thủy điện Hòa Bình xả lũ</a>" in body and ">Rác thải ùn ứ ở An Lư</a>" not in body


def test_reporter_gets_not_found(client, an):
    client.force_login(an)
    assert client.get(reverse("monitoring_list")).status_code == 404
    assert client.post(reverse("monitoring_paste"), {"url": "http://x.vn/"}).status_code == 404


def test_admin_keeps_sources_and_places_audited(client, django_user_model):
    admin_user = django_user_model.objects.create_superuser("quantri", password="x-Longdan-1")
    client.force_login(admin_user)
    response = client.post(
        "/quan-tri/monitoring/place/add/", {"name": "chợ Đôn", "kind": "landmark"}
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(object_type="monitoring.place", action="create").exists()
    assert client.get("/quan-tri/monitoring/source/").status_code == 200
    assert client.get("/quan-tri/monitoring/mention/").status_code == 200
