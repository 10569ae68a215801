"""Test data for the issues app, made through the ORM (items) and the real services."""

from __future__ import annotations

import datetime as dt

from core.models import Channel, Topic
from intake.models import OpinionItem
from issues.models import Issue
from textengine.normalize import fold

D = dt.date(2026, 3, 2)

GARBAGE = [
    "Rác thải tập kết bừa bãi ở chợ Hòa Bình, bốc mùi hôi thối",
    "rac thai tap ket bua bai o cho Hoa Binh boc mui hoi thoi qua",
    "Điểm tập kết rác ở chợ Hòa Bình bốc mùi hôi thối, rác thải ùn ứ",
]
FLOOD = [
    "Đường Nguyễn Trãi ngập nặng mỗi khi mưa to, nước tràn vào nhà dân",
    "duong nguyen trai ngap nang moi khi mua to nuoc tran vao nha dan",
    "Mưa to là đường Nguyễn Trãi ngập nặng, đề nghị nạo vét cống",
]
KARAOKE = [
    "Quán karaoke tại tổ dân phố 5 mở loa rất to sau 22 giờ",
    "Tiếng karaoke ở TDP 5 mở loa to sau 22 giờ đêm qua, không ai ngủ được",
]


def item(text: str, day: dt.date = D, *, channel: str = Channel.RESIDENTIAL, **fields):
    return OpinionItem.objects.create(
        text=text, text_folded=fold(text), channel=channel, received_on=day, **fields
    )


def issue(code: str = "VD-2026-9001", title: str = "Rác ở chợ Hòa Bình", **fields) -> Issue:
    return Issue.objects.create(code=code, title=title, **fields)


def three_issues(cell_a, cell_b, area_1) -> tuple[Issue, Issue, Issue]:
    """Issue A has an item from cell_a; issue B is owned by cell_b; issue C belongs to nobody."""
    a = issue("VD-2026-0001", "Rác ở chợ Hòa Bình", topic=Topic.objects.get(name="Môi trường"))
    b = issue("VD-2026-0002", "Ngập đường Nguyễn Trãi", owner_unit=cell_b,
              due_on=dt.date(2026, 4, 20), status=Issue.Status.ASSIGNED)
    c = issue("VD-2026-0003", "Karaoke ồn ào")
    item(GARBAGE[0], D, issue=a, unit=cell_a, area=area_1, attitude="buc_xuc")
    item(GARBAGE[1], D + dt.timedelta(days=3), issue=a, channel=Channel.SOCIAL_MEDIA)
    item(FLOOD[0], D, issue=b, unit=cell_b)
    return a, b, c


def refreshed(*objs):
    for obj in objs:
        obj.refresh_from_db()
    return objs[0] if len(objs) == 1 else objs
