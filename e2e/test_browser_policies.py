"""A policy's page in Chromium: the office is refused the move to "issued" without the "before"
consultation, ties a voter meeting to that moment and moves it; the page reads on a phone
without sideways scrolling.

Set LONGDAN_E2E_SCREENSHOTS=<dir> to keep screenshots of the pages (phone and desktop).
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import PASSWORD
from consultations import policy_services as services
from core.models import Attitude, Channel, SocialGroup
from e2e.helpers import DESKTOP, PHONE, shot, sign_in
from intake.models import Meeting, OpinionItem

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _login(page, base: str, username: str) -> None:
    sign_in(page, base, username, PASSWORD)  # the office and leaders with their second step


def test_the_step_that_cannot_be_skipped(live_server, open_page, vanphong, an, cell_a, area_1):
    policy = services.create_policy(user=vanphong, data=services.PolicyInput(
        title="Dự án chỉnh trang vỉa hè các tuyến phố chính", kind="du_an", level="phuong",
        owner_name="UBND phường Hòa Bình", affects_land=True, costs_money=True,
        summary="Lát lại vỉa hè, hạ ngầm cáp, trồng cây xanh trên 6 tuyến phố."))
    meeting = Meeting.objects.create(kind=Meeting.Kind.VOTER_MEETING,
                                     title="Tiếp xúc cử tri tổ dân phố 1 về vỉa hè",
                                     held_on=dt.date(2026, 3, 2), place="Nhà văn hóa",
                                     unit=cell_a, area=area_1)
    group = SocialGroup.objects.order_by("pk").first()
    for n, attitude in enumerate([Attitude.AGREE] * 5 + [Attitude.WORRIED] * 2):
        item = OpinionItem.objects.create(
            text=f"Ý kiến số {n} về vỉa hè", channel=Channel.VOTER_MEETING,
            received_on=dt.date(2026, 3, 2), meeting=meeting, unit=cell_a, area=area_1,
            attitude=attitude)
        item.social_groups.set([group])
    services.add_difficulty(user=vanphong, policy=policy, moment="truoc",
                            text="Hộ kinh doanh lo mất chỗ bán hàng trong thời gian thi công.")
    base = live_server.url
    desk = open_page(DESKTOP)
    _login(desk, base, "vanphong")
    desk.goto(f"{base}/chinh-sach/{policy.pk}/")
    desk.select_option("#giai-doan select[name=stage]", "ban_hanh")
    desk.click("#giai-doan button[type=submit]")
    desk.wait_for_selector(".msg-error")
    assert "Chưa chuyển được" in desk.locator(".msg-error").inner_text()

    desk.select_option("#nguon", "meeting")
    desk.click("#gan-nguon form[method=get] button")
    desk.check(f"#gan-nguon input[name=ids][value='{meeting.pk}']")
    desk.select_option("#moment", "truoc")
    desk.click("#gan-nguon form[method=post] button[type=submit]")
    desk.wait_for_selector(".msg-success")
    before = desk.locator("#thoi-diem-truoc")
    assert "7" in before.locator(".kpis").inner_text()
    assert "71%" in before.inner_text()  # 5 of the 7 agree
    desk.select_option("#giai-doan select[name=stage]", "ban_hanh")
    desk.click("#giai-doan button[type=submit]")
    desk.wait_for_selector(".msg-success")
    assert "Đã ban hành" in desk.locator(".policy-facts").inner_text()
    shot(desk, "policy-desktop")

    phone = open_page(PHONE)
    _login(phone, base, "an")
    phone.goto(f"{base}/chinh-sach/{policy.pk}/")
    assert "Bắt buộc lấy ý kiến nhân dân" in phone.content()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"Trang rộng {width}px, phải cuộn ngang trên điện thoại"
    shot(phone, "policy-phone")
    phone.goto(f"{base}/chinh-sach/")
    shot(phone, "policy-list-phone")
