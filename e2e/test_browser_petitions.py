"""Voters' petitions in Chromium: the office marks a point of a voter meeting from the meeting's
page (the form shows only the fields the chosen disposition needs), the round's answer rate
moves; the unit's reporter reads the round and the points still waiting on a phone without
sideways scrolling; the leaders' calendar shows a reception with the points raised.

Set LONGDAN_E2E_SCREENSHOTS=<dir> to keep screenshots of the pages (phone and desktop).
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import PASSWORD
from core.dates import local_today
from core.models import Channel
from core.text import fold
from e2e.helpers import DESKTOP, PHONE, shot, sign_in
from intake.models import Meeting, OpinionItem
from petitions import services
from petitions.models import Point

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _meeting(unit, area, kind, title, day, texts):
    meeting = Meeting.objects.create(kind=kind, title=title, held_on=day, place="Nhà văn hóa",
                                     unit=unit, area=area)
    items = [OpinionItem.objects.create(text=t, text_folded=fold(t), channel=Channel.VOTER_MEETING,
                                        received_on=day, meeting=meeting, unit=unit, area=area)
             for t in texts]
    return meeting, items


def _no_sideways(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"Trang rộng {width}px, phải cuộn ngang trên điện thoại"


def test_marking_points_and_reading_them_on_a_phone(live_server, open_page, vanphong, lanhdao,
                                                    an, cell_a, area_1):
    today = local_today()
    round_ = services.create_round(user=vanphong, data=services.RoundInput(
        title="Đợt tiếp xúc cử tri trước kỳ họp cuối năm", timing="truoc",
        session_name="kỳ họp cuối năm HĐND phường", session_on=today + dt.timedelta(days=10),
        starts_on=today - dt.timedelta(days=20), ends_on=today + dt.timedelta(days=5)))
    group = services.create_delegate_group(user=vanphong, name="Tổ đại biểu số 1")
    meeting, items = _meeting(cell_a, area_1, Meeting.Kind.VOTER_MEETING,
                              "Tiếp xúc cử tri Tổ dân phố 1", today - dt.timedelta(days=3), [
                                  "Đề nghị sửa đường ngõ 5 xuống cấp, mưa là ngập.",
                                  "Đề nghị thay bóng đèn chiếu sáng ngõ 7."])
    services.link_meeting(user=vanphong, meeting=meeting, round_=round_, delegate_group=group)
    reception, _ = _meeting(cell_a, area_1, Meeting.Kind.RECEPTION, "Tiếp công dân định kỳ",
                            today.replace(day=1), ["Hộ dân hỏi về cấp giấy chứng nhận đất."])
    services.link_meeting(user=vanphong, meeting=reception, round_=None, leader=lanhdao)

    base = live_server.url
    desk = open_page(DESKTOP)
    sign_in(desk, base, "vanphong", PASSWORD)
    desk.goto(f"{base}/kien-nghi-cu-tri/buoi/{meeting.pk}/")
    card = desk.locator(f"#y-kien-{items[1].pk}")
    card.locator("input[value=chuyen_co_quan]").check()
    assert not card.locator("[data-when=tai_hoi_nghi]").first.is_visible()  # not needed here
    card.locator("select[name=field]").select_option("giao_thong")
    card.locator("input[name=agency_name]").fill("Công ty Điện lực Thủy Nguyên")
    card.locator("input[name=due_on]").fill((today + dt.timedelta(days=15)).isoformat())
    with desk.expect_navigation():
        card.locator("button[type=submit]").click()
    assert "Đã cập nhật ý kiến" in desk.locator(".msg-success").inner_text()
    point = Point.objects.get(item=items[1])
    assert (point.disposition, point.agency_name) == ("chuyen_co_quan",
                                                      "Công ty Điện lực Thủy Nguyên")
    card = desk.locator(f"#y-kien-{items[0].pk}")
    card.locator("input[value=tai_hoi_nghi]").check()
    card.locator("input[name=answered_by]").fill("Chủ tịch UBND phường")
    card.locator("textarea[name=answer]").fill("Đã đưa tuyến ngõ 5 vào kế hoạch năm sau.")
    with desk.expect_navigation():
        card.locator("button[type=submit]").click()
    assert Point.objects.get(item=items[0]).disposition == "tai_hoi_nghi"
    shot(desk, "petitions-meeting-desktop")
    desk.goto(f"{base}/kien-nghi-cu-tri/dot/{round_.pk}/")
    assert "50%" in desk.locator(".kpis").inner_text()  # one of the two answered
    shot(desk, "petitions-round-desktop")

    phone = open_page(PHONE)
    sign_in(phone, base, "an", PASSWORD)
    phone.goto(f"{base}/kien-nghi-cu-tri/dot/{round_.pk}/")
    assert "Tiếp xúc cử tri Tổ dân phố 1" in phone.content()
    _no_sideways(phone)
    shot(phone, "petitions-round-phone")
    phone.goto(f"{base}/kien-nghi-cu-tri/y-kien/?tinh_trang=waiting&q=bong+den")
    assert "Công ty Điện lực Thủy Nguyên" in phone.content()
    _no_sideways(phone)
    shot(phone, "petitions-waiting-phone")
    phone.goto(f"{base}/lich-tiep-dan/")
    assert "Hộ dân hỏi về cấp giấy chứng nhận đất." in phone.content()
    _no_sideways(phone)
    shot(phone, "petitions-calendar-phone")
