"""The weekly brief's service and the Monday task, on the small test world (conftest.py)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from core.errors import ConflictError, ServiceError
from core.models import AuditEntry, Topic
from intake.models import OpinionItem
from longdan.commands.serve import PERIODIC_TASKS
from picture import services
from picture.brief_tasks import draft_weekly_brief
from picture.models import Brief, Direction
from picture.window import week_of

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = dt.date(2026, 1, 12)
LAST_WEEK = week_of(dt.date(2026, 1, 5))


def at(day: dt.date, hour: int = 8):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=HANOI), tick=False)


@pytest.fixture
def heard(cell_a, area_1):
    """Three items last week (two aggrieved) and one the week before."""
    topic = Topic.objects.get(name="Môi trường")
    for day, attitude in ((dt.date(2026, 1, 6), "buc_xuc"), (dt.date(2026, 1, 7), "buc_xuc"),
                          (dt.date(2026, 1, 8), "ban_khoan"), (dt.date(2025, 12, 30), "")):
        item = OpinionItem.objects.create(
            text="Rác thải tồn đọng ở đầu ngõ chợ", received_on=day, channel="khu_dan_cu",
            unit=cell_a, area=area_1, attitude=attitude,
        )
        item.topics.add(topic)
    return topic


def test_the_scheduler_task_is_on_every_tick():
    assert "picture.brief_tasks.draft_weekly_brief" in PERIODIC_TASKS


def test_monday_drafts_last_week_once_and_tuesday_adds_nothing(heard, vanphong):
    with at(MONDAY):
        first = draft_weekly_brief.call()
        again = draft_weekly_brief.call()
    assert first["drafted"] is True and again["drafted"] is False
    assert first["week"] == again["week"] == LAST_WEEK.code
    brief = Brief.objects.get()
    assert (brief.start, brief.end, brief.weekly) == (LAST_WEEK.start, LAST_WEEK.end, True)
    assert brief.data["totals"]["items"] == 3
    assert brief.data["totals"]["previous"]["items"] == 1
    assert brief.data["as_of"] == MONDAY.isoformat()
    with at(MONDAY + dt.timedelta(days=1)):
        tuesday = draft_weekly_brief.call()
    assert tuesday == {"week": LAST_WEEK.code, "drafted": False}
    assert Brief.objects.count() == 1
    entries = AuditEntry.objects.filter(object_type="picture.brief")
    assert list(entries.values_list("action", flat=True)) == [AuditEntry.Action.GENERATE]


def test_a_missed_monday_is_caught_up_later_that_week(heard):
    with at(MONDAY + dt.timedelta(days=2)):
        result = draft_weekly_brief.call()
    assert result["drafted"] is True and result["week"] == LAST_WEEK.code
    assert Brief.objects.get().data["as_of"] == MONDAY.isoformat()  # as of the week's Monday


def test_the_task_reads_the_local_date_not_utc(heard):
    # 23:30 UTC on Sunday is already Monday 06:30 in Hòa Bình.
    sunday_night_utc = dt.datetime(2026, 1, 11, 23, 30, tzinfo=dt.UTC)
    with time_machine.travel(sunday_night_utc, tick=False):
        result = draft_weekly_brief.call()
    assert result["week"] == LAST_WEEK.code


def test_a_weekly_brief_is_replaced_only_by_the_office_with_the_version_it_read(heard, vanphong,
                                                                                lanhdao):
    first = services.draft_brief(start=LAST_WEEK.start, end=LAST_WEEK.end, weekly=True,
                                 today=MONDAY)
    same = services.draft_brief(start=LAST_WEEK.start, end=LAST_WEEK.end, weekly=True,
                                user=vanphong, today=MONDAY)
    assert same.pk == first.pk and same.version == 1
    with pytest.raises(ServiceError, match="Chỉ Ban Xây dựng Đảng"):
        services.draft_brief(start=LAST_WEEK.start, end=LAST_WEEK.end, weekly=True,
                             user=lanhdao, replace=True, expected_version=1, today=MONDAY)
    with pytest.raises(ConflictError):
        services.draft_brief(start=LAST_WEEK.start, end=LAST_WEEK.end, weekly=True,
                             user=vanphong, replace=True, expected_version=7, today=MONDAY)
    replaced = services.draft_brief(start=LAST_WEEK.start, end=LAST_WEEK.end, weekly=True,
                                    user=vanphong, replace=True, expected_version=1,
                                    today=MONDAY)
    assert replaced.pk == first.pk and replaced.version == 2
    assert Brief.objects.count() == 1


def test_a_brief_on_demand_reads_any_period_and_refuses_what_it_cannot(heard, vanphong):
    window = services.period_window("2026-01-05..2026-01-11", MONDAY)
    assert window.kind == "week"  # the days of a week are that week (the previous is a week)
    month = services.period_window("2025-12", MONDAY)
    brief = services.draft_brief(start=month.start, end=month.end, weekly=False,
                                 user=vanphong, today=MONDAY)
    again = services.draft_brief(start=month.start, end=month.end, weekly=False,
                                 user=vanphong, today=MONDAY)
    assert brief.pk != again.pk and brief.title == "Bản tin dư luận xã hội tháng 12/2025"
    assert brief.data["period"]["code"] == "2025-12"
    assert brief.data["totals"]["items"] == 1
    with pytest.raises(ServiceError, match="Kỳ 'tuần trước' không đọc được") as caught:
        services.period_window("tuần trước", MONDAY)
    assert caught.value.field == "period"
    with pytest.raises(ServiceError, match="thứ Hai đến Chủ nhật"):
        services.draft_brief(start=month.start, end=month.end, weekly=True, today=MONDAY)


def test_notes_need_the_office_and_the_version_read(heard, vanphong, lanhdao):
    brief = services.draft_brief(start=LAST_WEEK.start, end=LAST_WEEK.end, weekly=True,
                                 today=MONDAY)
    with pytest.raises(ServiceError):
        services.update_notes(user=lanhdao, brief=brief, notes="x", expected_version=1)
    saved = services.update_notes(user=vanphong, brief=brief, notes="  Rác thải nổi cộm.\r\n",
                                  expected_version=1)
    assert (saved.notes, saved.version) == ("Rác thải nổi cộm.", 2)
    unchanged = services.update_notes(user=vanphong, brief=saved, notes="Rác thải nổi cộm.",
                                      expected_version=2)
    assert unchanged.version == 2
    with pytest.raises(ConflictError, match="phiên bản 2"):
        services.update_notes(user=vanphong, brief=brief, notes="Khác", expected_version=1)
    with pytest.raises(ServiceError, match="tối đa") as caught:
        services.update_notes(user=vanphong, brief=saved, notes="a" * 5000, expected_version=2)
    assert caught.value.field == "notes"
    assert AuditEntry.objects.filter(object_type="picture.brief",
                                     action=AuditEntry.Action.UPDATE).count() == 1


def test_directions_due_and_overdue_are_counted_on_the_day_read(heard, cell_a):
    def direction(code: str, due: dt.date, status=Direction.Status.OPEN) -> Direction:
        made = Direction.objects.create(code=code, text=f"Chỉ đạo {code}", due_on=due,
                                        status=status)
        made.units.add(cell_a)
        return made

    direction("CĐ-1", MONDAY - dt.timedelta(days=3))  # overdue
    direction("CĐ-2", MONDAY + dt.timedelta(days=5))  # due within the week
    direction("CĐ-3", MONDAY + dt.timedelta(days=30))  # open, not due
    direction("CĐ-4", MONDAY - dt.timedelta(days=9), Direction.Status.DONE)  # done: not counted
    brief = services.draft_brief(start=LAST_WEEK.start, end=LAST_WEEK.end, weekly=True,
                                 today=MONDAY)
    figures = brief.data["directions"]
    assert (figures["open"], figures["overdue"], figures["due_soon"]) == (3, 1, 1)
    assert [r["code"] for r in figures["overdue_rows"]] == ["CĐ-1"]
    assert figures["due_rows"][0]["units"] == cell_a.name
    assert figures["due_rows"][0]["days_left"] == 5


def test_what_several_residents_said_is_quoted_and_what_one_or_a_sensitive_item_said_is_not(
    heard, cell_a
):
    from intake.models import Sensitivity
    from picture.brief_docx import summary_text

    water = Topic.objects.get(name="Đời sống")
    long = ("Nhiều hộ dân trong khu phố phản ánh tình trạng mất nước sinh hoạt kéo dài nhiều ngày"
            " liền, nước máy khi có lại thì đục và có mùi, ảnh hưởng lớn đến sinh hoạt hằng ngày"
            " của các gia đình có người già và trẻ nhỏ.")
    for text, sensitivity in (
        *((long, Sensitivity.NORMAL),) * 4,  # four said it, but in one forty-word sentence
        ("Mất nước sinh hoạt ba ngày liền ở Tổ 2, nước đục.", Sensitivity.NORMAL),
        ("Bí mật: chuyện riêng của một gia đình trong ngõ.", Sensitivity.SENSITIVE),
        ("Bí mật: chuyện riêng của một gia đình trong ngõ.", Sensitivity.SENSITIVE),
        ("Bí mật: chuyện riêng của một gia đình trong ngõ.", Sensitivity.SENSITIVE),
    ):
        item = OpinionItem.objects.create(text=text, received_on=dt.date(2026, 1, 9),
                                          channel="khu_dan_cu", unit=cell_a,
                                          sensitivity=sensitivity)
        item.topics.add(water)
    with at(MONDAY):
        brief = services.draft_brief(start=LAST_WEEK.start, end=LAST_WEEK.end, weekly=True)
    # The three items on the waste at the market are one statement; the water item is one
    # resident's, the sensitive items are never quoted however many, and the four who said the
    # same in one long sentence give way (the brief has no room for it).
    assert brief.data["said"] == [
        {"text": "Rác thải tồn đọng ở đầu ngõ chợ", "count": 3, "topic": "Môi trường"}
    ]
    assert ("Ý kiến nhân dân nêu nhiều nhất: “Rác thải tồn đọng ở đầu ngõ chợ” (3 ý kiến, Môi"
            " trường).") in summary_text(brief.data)
