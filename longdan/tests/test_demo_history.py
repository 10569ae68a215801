"""The demo's opinion schedule (``longdan.demo.history``) without building the ward, for several
days and window lengths; and the hook through which other parts add their demo steps. The
18-month ward itself is checked in ``test_demo``."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest

from longdan.demo import history
from longdan.demo import opinion_data as opinions

CASES = [
    (dt.date(2026, 1, 10), dt.date(2024, 7, 1)),  # the tests' 18 months
    (dt.date(2026, 12, 4), dt.date(2025, 6, 1)),  # a real day of `longdan demo`
    (dt.date(2027, 6, 30), dt.date(2025, 6, 1)),  # 24 months, in the rainy season
    (dt.date(2026, 1, 10), dt.date(2025, 10, 12)),  # --months 1: the last 90 days
]
TOPIC = {m["key"]: m["topic"] for m in opinions.MATTERS}


def plan_for(today: dt.date, start: dt.date, seed: int = 1) -> history.Plan:
    return history.plan_items(opinions.MATTERS, opinions.MEETINGS, start=start, today=today,
                              rng=random.Random(seed))


@pytest.mark.parametrize(("today", "start"), CASES)
def test_the_rising_topic_beats_every_earlier_week_in_each_of_the_last_three(today, start):
    for seed in range(5):
        plan = plan_for(today, start, seed)
        topic = TOPIC[plan.rising_key]
        weeks = plan.weekly({k for k, t in TOPIC.items() if t == topic})
        earlier, last = weeks[:-3], weeks[-3:]
        assert min(last) > max(earlier) and last == sorted(last)
        alone = plan.weekly({plan.rising_key})[-3:]
        assert min(alone) > max(earlier)  # the rise alone, whatever else the topic holds


@pytest.mark.parametrize(("today", "start"), CASES)
def test_the_latent_worry_grows_over_four_weeks_from_nothing(today, start):
    plan = plan_for(today, start)
    weeks = plan.weekly({plan.latent_key})
    assert weeks[-4:] == list(history.LATENT_COUNTS) and sum(weeks[:-4]) == 0


@pytest.mark.parametrize(("today", "start"), CASES)
def test_every_day_lies_in_the_window_and_the_silence_starts_ten_weeks_back(today, start):
    plan = plan_for(today, start)
    assert all(start <= e.day <= today for e in plan.entries)
    assert plan.silent_from == today - dt.timedelta(weeks=10)
    for matter in opinions.MATTERS:
        days = [e.day for e in plan.entries if e.key == matter["key"] and e.meeting is None]
        if matter.get("since"):
            assert all(day >= matter["since"] for day in days), matter["key"]
        if not matter.get("burst"):
            newest = today - dt.timedelta(days=matter.get("newest", 0))
            assert all(day <= newest for day in days), matter["key"]


def test_eighteen_months_have_a_wards_weekly_volumes_and_its_seasons():
    today, start = CASES[0]
    plan = plan_for(today, start)
    weeks = sorted(plan.weekly(set(TOPIC))[:-3])
    assert weeks[0] >= 3 and weeks[-1] <= 60 and 10 <= weeks[len(weeks) // 2] <= 40
    months = {key: Counter(e.day.month for e in plan.entries if e.key == key and e.meeting is None)
              for key in ("ngap_ung", "hoc_phi", "sot_xuat_huyet", "gia_ca_tet")}
    rainy = sum(months["ngap_ung"][m] for m in range(5, 11))
    assert rainy > 4 * (sum(months["ngap_ung"].values()) - rainy)
    assert months["hoc_phi"].most_common(1)[0][0] in (8, 9)
    assert sum(months["sot_xuat_huyet"][m] for m in range(7, 11)) > 0.8 * sum(
        months["sot_xuat_huyet"].values())
    assert months["gia_ca_tet"].most_common(1)[0][0] in (1, 2)


def test_the_same_seed_gives_the_same_schedule():
    today, start = CASES[0]
    assert plan_for(today, start, 7).entries == plan_for(today, start, 7).entries
    assert plan_for(today, start, 7).entries != plan_for(today, start, 8).entries


def test_a_poisson_draw_has_its_mean():
    rng = random.Random(3)
    draws = [history.poisson(rng, 4.0) for _ in range(4000)]
    assert 3.8 < sum(draws) / len(draws) < 4.2 and history.poisson(rng, 0) == 0
