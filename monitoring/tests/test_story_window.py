"""The story look-up bounded in time: a copy joins the story of a mention fetched within the
story window before its own time (published, else fetched), never one fetched earlier; the band
rows carry their mention's fetch time, and the migration fills it for rows stored before."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
import time_machine
from django.apps import apps as django_apps
from django.db import connection

from monitoring import services, stories
from monitoring.models import Mention, MentionBand
from monitoring.selectors import gazetteer
from textengine.signature import Sig

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.UTC)
ROAD = (
    "Sáng 20/11, phường Hòa Bình khởi công nâng cấp tuyến đường ven sông Cấm dài hơn hai ki-lô-mét."
    " Theo kế hoạch, công trình hoàn thành trong sáu tháng, mặt đường được mở rộng lên bảy mét."
    " Nhiều hộ dân bày tỏ phấn khởi vì con đường đã xuống cấp nhiều năm, xe cộ đi lại khó khăn."
)
ROAD_COPY = ROAD.rsplit(".", 2)[0] + ". Đây là công trình trọng điểm của địa phương năm nay."
MARKET = (
    "Chợ Hòa Bình của phường Hòa Bình vừa khai trương khu bán hàng lưu niệm mới cho du khách."
    " Ban quản lý chợ cho biết khu mới có hơn ba mươi gian hàng, mở cửa từ sáng đến tối."
    " Tiểu thương phấn khởi vì lượng khách tăng trong những ngày cuối tuần vừa qua."
)
MARKET_COPY = MARKET.rsplit(".", 2)[0] + ". Khu chợ mới nằm gần bến xe buýt của phường."
WATER = (
    "Nhiều ngày qua, người dân tổ dân phố An Lư 3, phường Hòa Bình bị cắt nước sinh hoạt,"
    " phải đi xin nước về dùng. Công ty cấp nước cho biết đang sửa đường ống chính, dự kiến cấp"
    " nước trở lại trong tuần. Phường đã đề nghị bố trí xe chở nước sạch phục vụ bà con."
)
WATER_COPY = WATER.rsplit(".", 2)[0] + ". Bà con mong sớm có nước sạch trở lại."


def store(path: str, text: str, *, fetched: dt.datetime, published=None) -> Mention:
    """A mention fetched at ``fetched`` (the clock moved there), published at ``published``."""
    with time_machine.travel(fetched, tick=False):
        m = services.save_mention(
            url=f"https://bao.example/{path}", title=path, text=text, published_at=published,
            source=None, gaz=gazetteer(),
        )
    assert m.fetched_at == fetched
    return m


@pytest.mark.parametrize(
    ("days", "joins"), [(1, True), (13, True), (14, True), (15, False), (200, False)]
)
def test_a_copy_joins_a_mention_fetched_within_the_window_never_one_fetched_before(days, joins):
    original = store("goc", ROAD, fetched=T0)
    copy = store("ban-sao", ROAD_COPY, fetched=T0 + dt.timedelta(days=days))
    assert (copy.story_id == original.story_id) is joins
    assert copy.story.mention_count == (2 if joins else 1)


def test_the_window_counts_from_the_copy_publication_back_to_the_earlier_fetch():
    # An old article fetched today is in the window of a copy published tomorrow: the window
    # is on when the earlier one was fetched, not published.
    old_news = store("cu", ROAD, fetched=T0, published=T0 - dt.timedelta(days=40))
    copy = store("cu-ban-sao", ROAD_COPY, fetched=T0 + dt.timedelta(days=1))
    assert copy.story_id == old_news.story_id
    # The copy's own time is its publication when it has one: fetched a month late, published
    # five days after the original, it still joins.
    market = store("cho", MARKET, fetched=T0)
    late = store("cho-ban-sao", MARKET_COPY, fetched=T0 + dt.timedelta(days=30),
                 published=T0 + dt.timedelta(days=5))
    assert late.story_id == market.story_id
    # Fetched 20 days before the copy (even if dated later by its feed): outside.
    water = store("nuoc", WATER, fetched=T0 - dt.timedelta(days=20), published=T0)
    again = store("nuoc-ban-sao", WATER_COPY, fetched=T0)
    assert again.story_id != water.story_id


def test_the_candidates_are_every_mention_fetched_in_the_window_sharing_a_key():
    """Against a reference computed in Python from the signatures, in the same order (the
    first of equal overlaps wins)."""
    texts = [ROAD, MARKET, WATER, ROAD_COPY, MARKET_COPY, WATER_COPY, ROAD, MARKET_COPY]
    offsets = [0, 2, 5, 12, 16, 20, 27, 31]
    for n, (text, days) in enumerate(zip(texts, offsets, strict=True)):
        store(f"bai-{n}", text, fetched=T0 + dt.timedelta(days=days))
    everyone = list(Mention.objects.all())  # newest first: the look-up's order
    assert len(everyone) == 8
    checked = 0
    for m in everyone:
        keys = stories.band_keys(Sig.from_bytes(bytes(m.signature)).values)
        since = m.fetched_at - services.STORY_WINDOW
        expected = [
            (o.pk, o.story_id, bytes(o.signature)) for o in everyone
            if o.pk != m.pk and o.story_id and o.fetched_at >= since
            and set(keys) & set(stories.band_keys(Sig.from_bytes(bytes(o.signature)).values))
        ]
        found = [(pk, story, bytes(sig)) for pk, story, sig in services.story_candidates(m, keys)]
        assert found == expected
        checked += bool(expected)
    assert checked >= 4  # the copies found their originals, the late ones not their old ones
    assert MentionBand.objects.count() == 8 * stories.BANDS


def test_bands_carry_their_mention_fetch_time_and_the_migration_fills_it():
    first = store("mot", ROAD, fetched=T0)
    second = store("hai", MARKET, fetched=T0 + dt.timedelta(days=3))
    for m in (first, second):
        assert set(m.bands.values_list("fetched_at", flat=True)) == {m.fetched_at}
    MentionBand.objects.update(fetched_at=T0 - dt.timedelta(days=999))
    migration = importlib.import_module("monitoring.migrations.0006_mention_band_time")
    migration.copy_fetched_at(django_apps, connection.schema_editor())
    for m in (first, second):
        assert set(m.bands.values_list("fetched_at", flat=True)) == {m.fetched_at}
