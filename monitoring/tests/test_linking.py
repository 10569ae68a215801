"""Mentions into issues (through the opinion items' grouper), a spreading story opening an issue
and raising the day's alert once, the whole story following, and the burst counts over mentions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from core.models import AuditEntry, Notification
from issues import services as issue_services
from issues.models import BurstAlert, Issue
from issues.tests.helpers import item
from monitoring import linking, services
from monitoring.models import Mention, Story
from monitoring.selectors import gazetteer
from orgs.models import Area

pytestmark = pytest.mark.django_db

WATER = [
    "Tổ dân phố An Lư 3 bị cắt nước sinh hoạt ba ngày liền, người dân phải đi xin nước về dùng",
    "Ở tổ dân phố An Lư 3 mất nước sinh hoạt đã ba ngày, bà con phải xin nước giếng về dùng",
    "An Lư 3 cắt nước sinh hoạt nhiều ngày, không có nước dùng, đề nghị phường can thiệp sớm",
]
ARTICLE = [
    "Nhiều ngày qua, người dân tổ dân phố An Lư 3, phường Hòa Bình bị cắt nước sinh hoạt,"
    " phải đi xin nước về dùng.",
    "Công ty cấp nước cho biết đang sửa đường ống chính, dự kiến cấp nước trở lại trong tuần.",
    "Phường Hòa Bình đã đề nghị đơn vị cấp nước bố trí xe chở nước sạch phục vụ bà con.",
]
MARKET = [
    "Chợ Hòa Bình của phường Hòa Bình vừa khai trương khu bán hàng lưu niệm mới cho du khách.",
    "Ban quản lý chợ cho biết khu mới có hơn ba mươi gian hàng, mở cửa từ sáng đến tối.",
    "Tiểu thương phấn khởi vì lượng khách tăng trong những ngày cuối tuần vừa qua.",
]


@pytest.fixture
def an_lu(db):
    return Area.objects.create(name="Tổ dân phố An Lư 3", former_ward="An Lư")


def mention(site: str, path: str, sentences: list[str], title: str, *, when=None) -> Mention:
    return services.save_mention(
        url=f"https://{site}/{path}",
        title=title,
        text=" ".join(sentences),
        published_at=when or timezone.now() - dt.timedelta(hours=2),
        source=None,
        gaz=gazetteer(),
    )


def water_issue() -> Issue:
    for text in WATER:
        item(text, timezone.localdate())
    issue_services.group_pending_items()
    issue = Issue.objects.get()
    return issue


def test_a_story_about_an_open_issue_lands_on_it(an_lu):
    issue = water_issue()
    m = mention("baomoi.example", "an-lu-mat-nuoc", ARTICLE, "An Lư 3 mất nước nhiều ngày")
    assert m.relevance == "ward"
    run = linking.process_mentions()
    m.refresh_from_db()
    assert m.issue == issue and m.story.issue == issue
    assert run.joined == 1 and run.new_issues == 0
    assert Issue.objects.count() == 1
    assert issue.events.filter(note__contains="Báo chí, mạng xã hội").count() == 1
    assert AuditEntry.objects.filter(object_type="monitoring.mention").exists()


def test_one_article_matching_no_issue_opens_none(an_lu):
    water_issue()
    m = mention("baomoi.example", "cho-moi", MARKET, "Chợ Hòa Bình có khu hàng lưu niệm")
    run = linking.process_mentions()
    m.refresh_from_db()
    assert m.issue is None and m.processed_at is not None
    assert run.new_issues == 0 and Issue.objects.count() == 1
    assert linking.process_mentions().mentions == 0  # looked at once


def copies(sites, *, when=None):
    titles = ["Chợ Hòa Bình có khu lưu niệm", "Khai trương khu lưu niệm ở chợ", "Chợ mới"]
    return [
        mention(site, f"bai-{i}", MARKET if i != 1 else MARKET[:2], titles[i % 3], when=when)
        for i, site in enumerate(sites)
    ]


def test_a_story_spreading_on_three_sites_opens_an_issue_and_raises_one_alert(an_lu, vanphong):
    first = copies(["a.example"])[0]
    linking.process_mentions()
    first.refresh_from_db()
    assert first.issue is None  # one site: no issue yet
    more = copies(["a.example", "b.example", "c.example"])[1:]
    assert {m.story_id for m in [first, *more]} == {first.story_id}
    run = linking.process_mentions()
    assert run.new_issues == 1 and run.alerts == 1
    issue = Issue.objects.get()
    assert set(issue.mentions.values_list("pk", flat=True)) == {first.pk, *(m.pk for m in more)}
    assert Story.objects.get().issue == issue
    alert = BurstAlert.objects.get()
    assert alert.issue == issue and alert.detected_on == timezone.localdate()
    assert "lan trên 3 trang trong 24 giờ" in alert.reason
    told = Notification.objects.filter(user=vanphong, text__contains="lan trên 3 trang")
    assert told.count() == 1
    # Again, and with a fourth copy: no second issue, no second alert that day; it follows.
    later = copies(["a.example", "b.example", "c.example", "d.example"])[3]
    run = linking.process_mentions()
    assert (run.new_issues, run.alerts) == (0, 0)
    later.refresh_from_db()
    assert later.issue == issue and BurstAlert.objects.count() == 1
    # Acknowledged like any burst alert.
    issue_services.acknowledge_alert(user=vanphong, alert=alert)
    assert BurstAlert.objects.get().acknowledged_by == vanphong


def test_an_old_story_on_three_sites_opens_an_issue_but_raises_no_alert(an_lu):
    copies(["a.example", "b.example", "c.example"], when=timezone.now() - dt.timedelta(days=3))
    run = linking.process_mentions()
    assert run.new_issues == 1 and run.alerts == 0 and not BurstAlert.objects.exists()


def test_a_city_story_spreading_opens_no_issue(an_lu):
    city = [s.replace("phường Hòa Bình", "thành phố").replace("Chợ Hòa Bình", "Chợ Lớn")
            for s in MARKET]
    for i, site in enumerate(["a.example", "b.example", "c.example"]):
        mention(site, f"city-{i}", city, "Chợ có khu lưu niệm")
    linking.process_mentions()
    assert not Issue.objects.exists() and not BurstAlert.objects.exists()


def test_a_story_left_alone_joins_the_issue_residents_open_later(an_lu):
    """The article waits in its engine group; the residents' items about the same water cut
    join that group and open its issue; the next run ties the story to it."""
    m = mention("baomoi.example", "an-lu-mat-nuoc", ARTICLE, "An Lư 3 mất nước nhiều ngày")
    linking.process_mentions()
    m.refresh_from_db()
    assert m.issue is None
    for text in WATER:
        item(text, timezone.localdate())
    issue_services.group_pending_items()
    from textops.services import load_grouper

    grouper, _ = load_grouper()
    group = str(grouper.resolve(grouper.issue_of(linking.engine_id(m.pk))))
    opened = Issue.objects.get(engine_key=group)  # an item joined the article's group
    run = linking.process_mentions()
    m.refresh_from_db()
    assert m.issue == opened and run.joined == 1


def test_bursts_count_the_online_mentions_of_an_issue(an_lu):
    issue = water_issue()  # three items today: below the detector's four
    assert issue_services.detect_bursts().created == 0
    articles = [
        [f"Bài {i}: tổ dân phố An Lư 3 phường Hòa Bình vẫn bị cắt nước, lần thứ {i}.", *ARTICLE]
        for i in range(3)
    ]
    for i, sentences in enumerate(articles):
        mention("baomoi.example", f"bai-{i}", sentences[:1] + [MARKET[i]], f"Tin {i}")
    Mention.objects.update(issue=issue)  # as the linking would have
    by_issue, _by_topic = linking.mention_series(
        timezone.localdate() - dt.timedelta(days=60), timezone.localdate()
    )
    assert by_issue == {issue.pk: {timezone.localdate(): 3}}
    assert issue_services.detect_bursts().created == 1
    assert BurstAlert.objects.get().issue == issue


def test_the_picture_relays_a_spreading_story_to_subscribers(an_lu, vanphong, lanhdao):
    from picture import services as picture
    from picture.models import Alert

    picture.subscribe(user=lanhdao, by_email=False)
    copies(["a.example", "b.example", "c.example"])
    linking.process_mentions()
    picture.alert_bursts(today=timezone.localdate())
    alert = Alert.objects.get(user=lanhdao)
    assert alert.kind == Alert.Kind.BURST and "lan trên 3 trang" in alert.text


def test_a_merge_moves_the_stories_and_mentions_to_the_surviving_issue(an_lu, vanphong):
    from issues.selectors import press_stories

    water = water_issue()
    spread = copies(["a.example", "b.example", "c.example"])
    linking.process_mentions()
    market = Issue.objects.exclude(pk=water.pk).get()  # opened by the spreading story
    story = Story.objects.get(pk=spread[0].story_id)
    assert story.issue == market
    issue_services.merge_issues(user=vanphong, keep=water, other=market)
    story.refresh_from_db()
    assert story.issue == water
    assert set(Mention.objects.filter(story=story).values_list("issue", flat=True)) == {water.pk}
    assert not Mention.objects.filter(issue=market).exists()
    assert [s.pk for s in press_stories(vanphong, water)] == [story.pk]
    # A copy stored after the merge follows the story to the survivor too.
    later = copies(["a.example", "b.example", "c.example", "d.example"])[3]
    linking.process_mentions()
    later.refresh_from_db()
    assert later.issue == water
