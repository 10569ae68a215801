"""The collaborators' activity per month, the inactive mark and the coverage, hand-computed.

The clock stands on 10 January 2026, so the inactivity window is November and December 2025.

- Hoa (cell_a, since July, area 1, Môi trường, Người cao tuổi): 2 items in November, 1 meeting
  in October, 1 interview in December → active;
- Lan (cell_a, since July, area 2, Y tế): 3 items in October only → inactive;
- Minh (cell_b, since 1 December, nothing yet): in term for part of the window → not marked;
- Tú (cell_b, paused, area 3, nothing): not expected to work → not marked, not covering.

Coverage: working are Hoa and Minh (Minh follows nothing): area 2 (Lan's, inactive) and area 3
are not covered; of the topics only Môi trường is.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, _user
from core.models import Channel, SocialGroup, Topic
from evaluation.collaborators import activity, coverage
from intake.models import Meeting, OpinionItem
from orgs.models import Area, Collaborator, User
from reporting.periods import parse_period
from surveys.models import FormVersion, Response, Survey

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2026, 1, 10)


@pytest.fixture
def team(db, cell_a, cell_b, area_1):
    area_2 = Area.objects.create(name="Tổ dân phố 2", unit=cell_a)
    area_3 = Area.objects.create(name="Tổ dân phố 3", unit=cell_b)
    environment, traffic = (Topic.objects.get(name=n) for n in ("Môi trường", "Y tế"))
    elderly = SocialGroup.objects.filter(active=True).order_by("pk").first()
    people = {}
    for name, unit, start, status in (
        ("Hoa", cell_a, dt.date(2025, 7, 1), Collaborator.Status.ACTIVE),
        ("Lan", cell_a, dt.date(2025, 7, 1), Collaborator.Status.ACTIVE),
        ("Minh", cell_b, dt.date(2025, 12, 1), Collaborator.Status.ACTIVE),
        ("Tú", cell_b, dt.date(2025, 7, 1), Collaborator.Status.PAUSED),
    ):
        user = _user(f"ctv_{len(people)}", User.Role.COLLABORATOR, unit, name)
        people[name] = Collaborator.objects.create(full_name=name, user=user, unit=unit,
                                                   started_on=start, status=status)
    people["Hoa"].areas.set([area_1])
    people["Hoa"].topics.set([environment])
    people["Hoa"].social_groups.set([elderly])
    people["Lan"].areas.set([area_2])
    people["Lan"].topics.set([traffic])
    people["Tú"].areas.set([area_3])

    def items(who, day, n):
        for i in range(n):
            OpinionItem.objects.create(text=f"Ý kiến {i} của {who}", channel=Channel.COLLABORATOR,
                                       received_on=day, created_by=people[who].user)

    items("Hoa", dt.date(2025, 11, 3), 2)
    items("Lan", dt.date(2025, 10, 20), 3)
    Meeting.objects.create(kind=Meeting.Kind.VOTER_MEETING, title="Tiếp xúc cử tri",
                           held_on=dt.date(2025, 10, 8), place="Nhà văn hóa",
                           created_by=people["Hoa"].user)
    survey = Survey.objects.create(title="Khảo sát", slug="khao-sat", form_id="khao_sat")
    version = FormVersion.objects.create(survey=survey, version="1", title="Khảo sát",
                                         xlsform=b"", xlsform_name="k.xlsx", xform_xml="<x/>",
                                         xform_md5="0" * 32)
    Response.objects.create(survey=survey, form_version=version, instance_id="uuid:1",
                            source=Response.Source.ODK_COLLECT, interviewer=people["Hoa"],
                            submitted_at=dt.datetime(2025, 12, 31, 23, 30, tzinfo=TZ))
    return {**people, "area_2": area_2, "area_3": area_3, "environment": environment}


def test_activity_per_collaborator_and_month(team):
    result = activity(parse_period("2025-H2"), today=TODAY)
    rows = {r.collaborator.full_name: r for r in result.rows}
    assert [m.code for m in result.window] == ["2025-11", "2025-12"]
    hoa = rows["Hoa"]
    assert hoa.months["2025-11"]["items"] == 2
    assert hoa.months["2025-10"]["meetings"] == 1
    # Answered at 23:30 on 31 December, local time: December's, though 16:30 UTC.
    assert hoa.months["2025-12"]["interviews"] == 1
    assert dict(hoa.totals) == {"items": 2, "interviews": 1, "meetings": 1}
    assert rows["Lan"].months["2025-10"]["items"] == 3
    assert {name for name, r in rows.items() if r.inactive} == {"Lan"}
    # A unit's collaborators only.
    assert {r.collaborator.full_name for r in
            activity(parse_period("2025-H2"), unit_id=team["Minh"].unit_id, today=TODAY).rows} \
        == {"Minh", "Tú"}


def test_coverage_counts_only_working_collaborators(team, area_1):
    found = coverage(today=TODAY)
    assert found.working == 2  # Hoa, Minh
    assert {a.name for a in found.areas} == {"Tổ dân phố 2", "Tổ dân phố 3"}
    assert team["environment"] not in found.topics
    assert Topic.objects.get(name="Y tế") in found.topics  # Lan's, inactive
    assert SocialGroup.objects.filter(active=True).count() - 1 == len(found.groups)


def test_the_page_is_the_offices(team, vanphong, lanhdao, an):
    client = Client()
    with time_machine.travel(dt.datetime(2026, 1, 10, 10, tzinfo=TZ), tick=False):
        client.login(username="vanphong", password=PASSWORD)
        page = client.get(reverse("evaluation:collaborator_activity"))
        text = page.content.decode()
        assert page.status_code == 200 and "6 tháng cuối năm 2025" in text
        assert text.count("data-inactive-mark") == 1
        assert f'data-collaborator="{team["Hoa"].pk}"' in text
        only = client.get(reverse("evaluation:collaborator_activity"),
                          {"ky": "2025-H2", "khong_hoat_dong": "1"}).content.decode()
        assert f'data-collaborator="{team["Lan"].pk}"' in only
        assert f'data-collaborator="{team["Hoa"].pk}"' not in only
        for who in ("lanhdao", "an"):
            client.login(username=who, password=PASSWORD)
            assert client.get(reverse("evaluation:collaborator_activity")).status_code == 404


def test_the_page_reads_the_two_months_window_once(team, vanphong, monkeypatch):
    from evaluation import collaborators

    real, spans = collaborators._counts, []

    def counting(start, end, people):
        spans.append((start, end))
        return real(start, end, people)

    monkeypatch.setattr(collaborators, "_counts", counting)
    client = Client()
    with time_machine.travel(dt.datetime(2026, 1, 10, 10, tzinfo=TZ), tick=False):
        client.login(username="vanphong", password=PASSWORD)
        text = client.get(reverse("evaluation:collaborator_activity")).content.decode()
    assert text.count("data-inactive-mark") == 1  # the same marks as before
    window = (dt.date(2025, 11, 1), dt.date(2025, 12, 31))
    assert spans.count(window) == 1 and len(spans) == 2  # the window once, the half-year once
