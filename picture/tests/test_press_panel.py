"""The picture's press panel (issue 9): the ward's articles and posts of the period and the
stories that spread widest, for the office and leaders reading the whole ward only."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from monitoring.models import Mention
from monitoring.tests.pages_support import mention, story


def _month_code(day: dt.date) -> str:
    return f"{day.year}-{day.month:02d}"


def test_the_office_reads_the_press_of_the_period(client, vanphong, lanhdao):
    now = timezone.now()
    spreading = story(now)
    for site in ("baomoi.vn", "vnexpress.net", "tuoitre.vn"):
        mention("Đường ngõ 12 ngập sau mưa lớn", site=site, at=now, story=spreading)
    mention("Hội chợ xuân ở thành phố", at=now, relevance=Mention.Relevance.CITY)
    long_ago = now - dt.timedelta(days=120)
    mention("Tin cũ về chợ Hòa Bình", at=long_ago, story=story(long_ago))
    period = _month_code(timezone.localdate())
    for reader in (vanphong, lanhdao):
        client.force_login(reader)
        page = client.get(reverse("picture:picture"), {"period": period}).content.decode()
        assert 'id="h-press"' in page
        assert "3 tin, bài về phường</a> trên 3 trang" in page
        assert "Đường ngõ 12 ngập sau mưa lớn" in page
        assert reverse("monitoring_story", args=[spreading.pk]) in page
        assert "Tin cũ về chợ Hòa Bình" not in page and "Hội chợ xuân" not in page


def test_a_unit_reader_and_a_unit_filter_get_no_press_panel(client, vanphong, an, cell_a):
    mention("Đường ngõ 12 ngập sau mưa lớn", at=timezone.now(), story=story(timezone.now()))
    period = _month_code(timezone.localdate())
    client.force_login(an)
    page = client.get(reverse("picture:picture"), {"period": period})
    assert page.status_code == 200 and 'id="h-press"' not in page.content.decode()
    client.force_login(vanphong)
    page = client.get(reverse("picture:picture"), {"period": period, "unit": cell_a.pk})
    assert page.status_code == 200 and 'id="h-press"' not in page.content.decode()


def test_a_quiet_period_says_where_the_sources_are(client, vanphong):
    client.force_login(vanphong)
    page = client.get(reverse("picture:picture"), {"period": _month_code(timezone.localdate())})
    assert "Không có tin, bài nào về phường trong kỳ này" in page.content.decode()
