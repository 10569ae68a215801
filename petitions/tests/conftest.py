"""A small world for the petitions tests: a round, two delegate groups, meetings of two cells."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from core.models import Channel
from intake.models import Meeting, OpinionItem
from orgs.models import OrgUnit
from petitions import services
from petitions.models import DelegateGroup, Round

TODAY = dt.date(2026, 12, 5)


@dataclass
class World:
    round: Round
    groups: list[DelegateGroup]
    meetings: dict[str, Meeting]
    items: dict[str, list[OpinionItem]] = field(default_factory=dict)


def make_meeting(unit, area, title: str, day: dt.date, n: int,
                 kind: str = Meeting.Kind.VOTER_MEETING) -> tuple[Meeting, list[OpinionItem]]:
    meeting = Meeting.objects.create(kind=kind, title=title, held_on=day, place="Nhà văn hóa",
                                     unit=unit, area=area)
    channel = Channel.VOTER_MEETING if kind == Meeting.Kind.VOTER_MEETING else Channel.DIALOGUE
    items = [OpinionItem.objects.create(
        text=f"{title}: kiến nghị số {i + 1} về đường ngõ xuống cấp", text_folded=f"kien nghi {i}",
        channel=channel, received_on=day, meeting=meeting, unit=unit, area=area)
        for i in range(n)]
    return meeting, items


@pytest.fixture
def world(vanphong, an, binh, cell_a, cell_b, area_1) -> World:
    round_ = services.create_round(user=vanphong, data=services.RoundInput(
        title="Tiếp xúc cử tri trước kỳ họp cuối năm 2026", timing="truoc",
        session_name="kỳ họp cuối năm 2026", session_on=dt.date(2026, 12, 18),
        starts_on=dt.date(2026, 11, 15), ends_on=dt.date(2026, 12, 12)))
    groups = [services.create_delegate_group(user=vanphong, name=f"Tổ đại biểu số {n}")
              for n in (1, 2)]
    a1, items_a1 = make_meeting(cell_a, area_1, "Tiếp xúc cử tri Tổ dân phố 1",
                                dt.date(2026, 11, 18), 4)
    a2, items_a2 = make_meeting(cell_a, area_1, "Tiếp xúc cử tri chợ Tổ dân phố 1",
                                dt.date(2026, 11, 20), 2)
    b1, items_b1 = make_meeting(cell_b, None, "Tiếp xúc cử tri Tổ dân phố 2",
                                dt.date(2026, 11, 22), 3)
    services.link_meeting(user=vanphong, meeting=a1, round_=round_, delegate_group=groups[0])
    services.link_meeting(user=vanphong, meeting=a2, round_=round_, delegate_group=groups[1])
    services.link_meeting(user=vanphong, meeting=b1, round_=round_, delegate_group=groups[1])
    return World(round=round_, groups=groups, meetings={"a1": a1, "a2": a2, "b1": b1},
                 items={"a1": items_a1, "a2": items_a2, "b1": items_b1})


@pytest.fixture
def ubnd(ward) -> OrgUnit:
    return OrgUnit.objects.create(code="ubnd", name="Ủy ban nhân dân phường",
                                  kind=OrgUnit.Kind.PEOPLES_COMMITTEE, parent=ward)
