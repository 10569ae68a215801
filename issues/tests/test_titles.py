"""Titles read as Vietnamese (issue 17): words from an item written with diacritics, else
restored; redrafted once such an item joins; never over the office's own title."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
import time_machine
from django.apps import apps

from core.models import AuditEntry, Topic
from issues import services
from issues.models import Issue
from issues.tests.helpers import GARBAGE, D, item, refreshed
from textengine.diacritics import is_accented
from textengine.titles import build_title, matter_words

pytestmark = pytest.mark.django_db
TS = Issue.TitleSource
PLAIN = "rac thai tap ket bua bai o cho Hoa Binh, boc mui hoi thoi"
FLIES = "Rác thải tập kết bừa bãi ở chợ Hòa Bình, ruồi nhặng bay khắp"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, 0), tick=False):
        yield


def group(*items):
    services.group_pending_items()
    return [refreshed(i).issue for i in items]


def test_an_issue_opened_by_an_item_without_diacritics_gets_them_restored(area_1):
    topic = Topic.objects.get(name="Môi trường")
    (a,) = group(item(PLAIN, D, area=area_1, suggested_topic=topic))
    assert a.title == f"Môi trường — rác thải tập kết bừa bãi, bốc mùi hôi thối — {area_1.name}"
    assert a.title_source == TS.RESTORED


def test_a_restored_title_is_redrafted_from_the_first_item_written_with_diacritics(area_1):
    (a,) = group(item(PLAIN, D, area=area_1))
    version = a.version
    (b,) = group(item(FLIES, D + dt.timedelta(days=2)))
    assert b == a
    a.refresh_from_db()
    assert a.title_source == TS.ITEM and a.version == version + 1
    assert a.title == f"rác thải tập kết bừa bãi, ruồi nhặng bay khắp — {area_1.name}"
    assert a.events.filter(kind="note", to_value=a.title, actor__isnull=True).exists()
    run = AuditEntry.objects.filter(object_type="issues.issue").latest("id")
    assert run.data["retitled"] == 1
    # From then on the title stays: another item written with diacritics changes nothing.
    group(item(GARBAGE[2], D + dt.timedelta(days=3)))
    assert refreshed(a).title == f"rác thải tập kết bừa bãi, ruồi nhặng bay khắp — {area_1.name}"


def test_the_most_representative_item_with_diacritics_gives_the_words(area_1):
    first = item(PLAIN, D, area=area_1)
    group(first)
    # Two items with diacritics join at once: the one closer to the others gives the words.
    odd = item(FLIES, D + dt.timedelta(days=1))
    close = item(
        "Rác thải tập kết bừa bãi ở chợ Hòa Bình bốc mùi hôi thối", D + dt.timedelta(days=1)
    )
    group(odd, close)
    a = refreshed(first).issue
    assert a == refreshed(odd).issue == refreshed(close).issue
    assert a.title == f"rác thải tập kết bừa bãi, bốc mùi hôi thối — {area_1.name}"


def test_the_office_title_is_never_redrafted(vanphong, area_1):
    (a,) = group(item(PLAIN, D, area=area_1))
    restored = a.title
    kept = services.rename(user=vanphong, issue=a, title=restored, expected_version=a.version)
    assert kept.title_source == TS.OFFICE and kept.title == restored
    (b,) = group(item(FLIES, D + dt.timedelta(days=2)))
    assert b == a and refreshed(a).title == restored


def test_the_migration_redrafts_titles_without_diacritics_and_leaves_the_office_ones(
    vanphong, area_1
):
    migration = importlib.import_module("issues.migrations.0005_title_source")
    old = build_title(words=matter_words(PLAIN), place=area_1.name)
    assert not is_accented(old.split(" — ")[0])
    drafted = Issue.objects.create(code="VD-2026-0101", title=old, area=area_1)
    item(PLAIN, D, issue=drafted)
    item(FLIES, D, issue=drafted)
    alias = Issue.objects.create(
        code="VD-2026-0102", title="Môi trường — rac thai, boc mui — X", merged_into=drafted
    )
    office = Issue.objects.create(code="VD-2026-0103", title="Rác — tam thoi — chợ")
    services.rename(
        user=vanphong, issue=office, title="Rác — tam thoi — chợ ", expected_version=office.version
    )
    Issue.objects.filter(pk=office.pk).update(title_source=TS.ITEM)  # as before the migration
    migration.redraft(apps, None)
    drafted, alias, office = refreshed(drafted, alias, office)
    assert drafted.title == f"rác thải tập kết bừa bãi, ruồi nhặng bay khắp — {area_1.name}"
    assert drafted.title_source == TS.ITEM
    assert (alias.title, alias.title_source) == ("Môi trường — rác thải, bốc mùi — X", TS.RESTORED)
    assert (office.title, office.title_source) == ("Rác — tam thoi — chợ", TS.OFFICE)


def test_the_office_is_told_a_title_was_restored_and_keeps_it_in_one_step(
    client, vanphong, lanhdao, area_1
):
    (a,) = group(item(PLAIN, D, area=area_1))
    client.force_login(lanhdao)
    assert "data-title-restored" not in client.get(f"/van-de/{a.pk}/").content.decode()
    client.force_login(vanphong)
    html = client.get(f"/van-de/{a.pk}/").content.decode()
    assert "data-title-restored" in html and "máy đã tự thêm dấu" in html
    client.post(f"/van-de/{a.pk}/doi-ten/", {"title": a.title, "version": a.version})
    a.refresh_from_db()
    assert a.title_source == TS.OFFICE
    assert AuditEntry.objects.filter(summary=f"Đổi tên {a.code}", actor=vanphong).exists()
    html = client.get(f"/van-de/{a.pk}/").content.decode()
    assert "data-title-restored" not in html
