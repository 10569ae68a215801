"""The plan followed task by task in Chromium: the office's first screen names the units that
have not done what the plan asks; the plan's task list; a chi bộ records its dissemination
session on its phone. Pages read on a phone without sideways scrolling.

Set LONGDAN_E2E_SCREENSHOTS=<dir> to keep screenshots of the pages (phone and desktop).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import PASSWORD
from core.dates import local_today
from e2e.helpers import DESKTOP, PHONE, shot, sign_in
from plans import services
from plans.models import DisseminationSession

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"Trang rộng {width}px, phải cuộn ngang trên điện thoại"


def _plan(vanphong, ward, office_unit):
    today = local_today()
    issued = today - dt.timedelta(days=60)
    plan = services.create_plan(
        actor=vanphong, number="18-KH/ĐU", issuing_unit=ward, issued_on=issued,
        title="Thực hiện Chỉ thị số 47-CT/TW về công tác dư luận xã hội trong tình hình mới",
        based_on="Chỉ thị số 47-CT/TW", unit_plan_due=issued + dt.timedelta(days=20),
        dissemination_due=issued + dt.timedelta(days=30), unit_kinds=["chi_bo"])
    services.add_task(actor=vanphong, plan=plan, owner_kind="chi_bo", section="III.1",
                      text="Phân công một đồng chí cấp ủy viên trực tiếp phụ trách công tác dư"
                           " luận xã hội của chi bộ.", due_on=issued + dt.timedelta(days=15))
    services.add_task(actor=vanphong, plan=plan, owner_unit=office_unit, section="III.4",
                      text="Tham mưu thành lập đội ngũ cộng tác viên dư luận xã hội.",
                      due_on=today + dt.timedelta(days=30))
    return plan


def test_office_sees_the_gaps_and_a_unit_records_its_session(
    live_server, open_page, vanphong, an, binh, ward, office_unit, cell_a, cell_b, monthly
):
    base = live_server.url
    plan = _plan(vanphong, ward, office_unit)
    desk = open_page(DESKTOP)
    sign_in(desk, base, "vanphong", PASSWORD)
    desk.goto(f"{base}/")
    panel = desk.locator(".plan-gaps-card")
    assert cell_a.name in panel.inner_text() and cell_b.name in panel.inner_text()
    shot(desk, "plans-home-desktop")
    desk.goto(f"{base}/ke-hoach/{plan.pk}/")
    assert desk.locator(".plan-tasks tbody tr").count() == 2
    shot(desk, "plans-tasks-desktop")
    desk.fill("#q", "cong tac vien")  # without diacritics
    desk.click("form.toolbar button[type=submit]")
    assert desk.locator(".plan-tasks tbody tr").count() == 1

    phone = open_page()
    sign_in(phone, base, "an", PASSWORD)
    phone.goto(f"{base}/ke-hoach/don-vi/{cell_a.pk}/")
    _fits(phone)
    phone.fill(f"#held-{plan.pk}", (local_today() - dt.timedelta(days=3)).isoformat())
    phone.fill(f"#att-{plan.pk}", "17")
    phone.fill(f"#exp-{plan.pk}", "20")
    phone.fill(f"#content-{plan.pk}", "Quán triệt Chỉ thị 47 trong sinh hoạt chi bộ.")
    phone.locator("form[action*='quan-triet'] button[type=submit]").click()
    phone.wait_for_selector(".msg-success")
    assert DisseminationSession.objects.get(unit=cell_a).attendance == 17
    shot(phone, "plans-unit-phone")

    office_phone = open_page()
    sign_in(office_phone, base, "vanphong", PASSWORD)
    office_phone.goto(f"{base}/")
    panel = office_phone.locator(".plan-gaps-card")
    assert cell_b.name in panel.inner_text()
    _fits(office_phone)
    shot(office_phone, "plans-home-phone")
    office_phone.goto(f"{base}/ke-hoach/{plan.pk}/")
    _fits(office_phone)
    shot(office_phone, "plans-tasks-phone")
    office_phone.goto(f"{base}/ke-hoach/chua-thuc-hien/")
    assert re.search(r"Chi bộ Tổ dân phố 2", office_phone.content())
    _fits(office_phone)
    shot(office_phone, "plans-gaps-phone")

