"""Rising and forecast on the picture, from items filed through the real services."""

import datetime as dt

import pytest

from core.models import Attitude, Channel, Topic
from intake.services import file_item
from picture.query import read_query
from picture.selectors import picture_for, rising_now

TODAY = dt.date(2026, 11, 20)


def _file(user, unit, area, topic, day, attitude=Attitude.WORRIED):
    file_item(user=user, text=f"Người dân phản ánh về {topic.name.lower()} ở khu phố.",
              channel=Channel.COLLABORATOR, received_on=day, area=area, unit=unit,
              topic_ids=[topic.pk], attitude=attitude)


@pytest.fixture
def history(vanphong, cell_a, area_1):
    """Twelve quiet weeks on two topics (one or two a week), then eight health items in the last
    seven days while the environment stays as usual."""
    health, env = Topic.objects.get(name="Y tế"), Topic.objects.get(name="Môi trường")
    for week in range(1, 13):
        day = TODAY - dt.timedelta(days=7 * week + 2)
        _file(vanphong, cell_a, area_1, health, day)
        _file(vanphong, cell_a, area_1, env, day)
        if week % 3 == 0:
            _file(vanphong, cell_a, area_1, env, day - dt.timedelta(days=1))
    for offset in range(8):
        _file(vanphong, cell_a, area_1, health, TODAY - dt.timedelta(days=offset % 6),
              attitude=Attitude.AGGRIEVED)
    _file(vanphong, cell_a, area_1, env, TODAY - dt.timedelta(days=3))
    return health, env


def test_a_real_rise_is_flagged_with_its_reason_and_the_usual_is_not(history, vanphong):
    health, env = history
    picture = picture_for(read_query(vanphong, {"period": "2026-11"}, today=TODAY))
    topics = {row["name"]: row for row in picture["rising"] if row["kind"] == "topic"}
    assert health.name in topics and env.name not in topics
    row = topics[health.name]
    # Both the volume and the share of aggrieved rose: one row, the strongest first, both said.
    assert set(row["measures"]) == {"volume", "share"}
    assert "8 ý kiến trong 7 ngày; bình thường" in row["reason"]
    assert "8/8 ý kiến bức xúc, phản đối" in row["reason"]
    assert row["until"] == TODAY.isoformat()
    assert {r["name"] for r in rising_now(TODAY) if r["kind"] == "topic"} == {health.name}


def test_the_forecast_covers_the_main_topics_and_marks_a_week_outside(history, vanphong):
    health, _ = history
    picture = picture_for(read_query(vanphong, {"period": "2026-11"}, today=TODAY))
    rows = {row["name"]: row for row in picture["forecast"]}
    assert {health.name, "Môi trường"} <= set(rows)
    weeks = rows[health.name]["weeks"]
    assert len(weeks) == 4 and all(w["low"] <= w["expected"] <= w["high"] for w in weeks)
    assert weeks[0]["start"] == (TODAY - dt.timedelta(days=6)).isoformat()
    assert rows[health.name]["current"]["outside"] is True
    assert rows["Môi trường"]["current"]["outside"] is False


def test_a_unit_outside_the_rise_sees_nothing_rising(history, binh):
    picture = picture_for(read_query(binh, {"period": "2026-11"}, today=TODAY))
    assert picture["rising"] == [] and picture["forecast"] == []


@pytest.mark.parametrize("offset", range(7))
def test_the_baseline_is_twelve_calendar_weeks_before_a_guard_of_two_to_three_weeks(offset):
    from picture.trending import BASELINE_WEEKS, baseline_start

    anchor = TODAY + dt.timedelta(days=offset)  # every weekday the leader may look
    first = baseline_start(anchor)
    last = first + dt.timedelta(weeks=BASELINE_WEEKS, days=-1)
    current_first = anchor - dt.timedelta(days=6)
    assert first.weekday() == 0 and last.weekday() == 6
    assert 14 <= (current_first - last).days - 1 <= 20  # the guard band's days
