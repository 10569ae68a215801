"""Directions in Chromium: a leader gives one from an issue on a phone, the unit's reporter
acknowledges it and reports progress, the unit page loads its directions, the accountability
page reads on a phone without sideways scrolling.

Set LONGDAN_E2E_SCREENSHOTS=<dir> to keep screenshots of the pages (phone and desktop).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import PASSWORD
from core.dates import local_today
from core.models import Topic
from e2e.helpers import DESKTOP, PHONE, shot, sign_in
from issues.models import Issue
from picture.models import Direction, DirectionAssignment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _login(page, base: str, username: str) -> None:
    sign_in(page, base, username, PASSWORD)


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"Trang rộng {width}px, phải cuộn ngang trên điện thoại"


def test_a_direction_from_an_issue_to_the_units_progress(
    live_server, open_page, lanhdao, an, binh, cell_a, cell_b
):
    base = live_server.url
    issue = Issue.objects.create(code="VD-2026-0042", title="Môi trường — rác thải, bốc mùi — chợ",
                                 owner_unit=cell_a, topic=Topic.objects.get(name="Môi trường"),
                                 status=Issue.Status.ASSIGNED)
    leader = open_page()
    _login(leader, base, "lanhdao")
    leader.goto(f"{base}/van-de/{issue.pk}/")
    leader.click("#direction-button")
    leader.wait_for_url(re.compile(r"/chi-dao/moi/\?issue="))
    assert leader.locator(f"#unit-checks input[value='{cell_a.pk}']").is_checked()
    leader.fill("#id_text", "Khẩn trương thu gom rác tồn đọng ở chợ, báo cáo kết quả.")
    leader.check(f"#unit-checks input[value='{cell_b.pk}']")
    leader.fill("#id_due_on", (local_today() + dt.timedelta(days=7)).isoformat())
    shot(leader, "direction-form-phone")
    leader.click("#direction-form button[type=submit]")
    leader.wait_for_url(re.compile(r"/chi-dao/\d+/$"))
    direction = Direction.objects.get()
    assert leader.locator("[data-state]").first.get_attribute("data-state") == "open"
    _fits(leader)
    shot(leader, "direction-detail-leader-phone")

    reporter = open_page()
    _login(reporter, base, "an")
    reporter.goto(f"{base}/chi-dao/{direction.pk}/")
    assert cell_b.name not in reporter.content()
    reporter.click("text=Xác nhận đơn vị đã nhận")
    reporter.wait_for_selector(".msg-success")
    reporter.fill(f"#act-{cell_a.pk} textarea", "Đã họp chi bộ, phân công tổ thu gom.")
    reporter.click(f"#act-{cell_a.pk} button:has-text('Gửi tiến độ')")
    reporter.wait_for_selector("text=Đã ghi tiến độ")
    part = DirectionAssignment.objects.get(direction=direction, unit=cell_a)
    assert part.acknowledged_at is not None
    assert reporter.locator("[data-state]").first.get_attribute("data-state") == "in_progress"
    _fits(reporter)
    shot(reporter, "direction-detail-unit-phone")

    reporter.goto(f"{base}/don-vi/{cell_a.pk}/")
    reporter.wait_for_selector(f"#unit-directions [data-code='{direction.code}']")
    shot(reporter, "unit-page-directions-phone")
    reporter.goto(f"{base}/don-vi/{cell_a.pk}/trach-nhiem/")
    assert reporter.locator("#accountability tbody tr").count() == 12
    _fits(reporter)
    shot(reporter, "accountability-phone")

    desk = open_page(DESKTOP)
    _login(desk, base, "lanhdao")
    for name, url in [("direction-list", "/chi-dao/"), ("direction-form", "/chi-dao/moi/"),
                      ("direction-detail", f"/chi-dao/{direction.pk}/"),
                      ("accountability", f"/don-vi/{cell_a.pk}/trach-nhiem/")]:
        desk.goto(f"{base}{url}")
        shot(desk, f"{name}-desktop")
    leader.goto(f"{base}/chi-dao/")
    _fits(leader)
    shot(leader, "direction-list-phone")
