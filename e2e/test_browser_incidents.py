"""Incidents (R8) and the collaborators' activity in Chromium: the office sees a candidate the
data suggest (an alert last month in a tổ dân phố whose chi bộ sent no report), records it from
the page and concludes it; the unit reads it on its phone; the activity page marks an inactive
collaborator. Pages read on a phone without sideways scrolling.

Set LONGDAN_E2E_SCREENSHOTS=<dir> to keep screenshots of the pages (phone and desktop).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import PASSWORD
from core.dates import local_today
from e2e.helpers import DESKTOP, PHONE, shot, sign_in
from evaluation.models import Incident
from intake.models import OpinionItem
from issues.models import BurstAlert, Issue
from orgs.models import Collaborator, User

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _login(page, base: str, username: str) -> None:
    sign_in(page, base, username, PASSWORD)  # the office and leaders with their second step


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"Trang rộng {width}px, phải cuộn ngang trên điện thoại"


def test_a_candidate_recorded_concluded_and_read_by_the_unit(
    live_server, open_page, vanphong, an, cell_a, cell_b, area_1, monthly
):
    base = live_server.url
    today = local_today()
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    issue = Issue.objects.create(code="VD-2026-7001", title="Môi trường — rác — Tổ dân phố 1",
                                 area=area_1)
    BurstAlert.objects.create(issue=issue, detected_on=last_month.replace(day=5), count=8,
                              baseline=1, reason="8 ý kiến trong 3 ngày")
    year = str(last_month.year)
    desk = open_page(DESKTOP)
    _login(desk, base, "vanphong")
    desk.goto(f"{base}/danh-gia/vu-viec/?ky={year}")
    candidate = desk.locator("#incident-candidates tbody tr")
    assert candidate.count() == 1 and cell_a.name in candidate.inner_text()
    shot(desk, "incidents-desktop")
    candidate.locator("a").click()
    desk.wait_for_url(re.compile(r"/danh-gia/vu-viec/moi/"))
    desk.fill("#mo_ta", "Chi bộ không nắm và không báo cáo dư luận về rác thải ở tổ 1.")
    desk.click("main form[method=post] button[type=submit]")
    desk.wait_for_url(re.compile(r"/danh-gia/vu-viec/\d+/$"))
    desk.select_option("#outcome", "phe_binh")
    desk.fill("#review", "Phê bình chi bộ vì bị động trước dư luận.")
    desk.click("form[action*='ket-luan'] button[type=submit]")
    desk.wait_for_selector(".msg-success")
    incident = Incident.objects.get()
    assert (incident.unit, incident.outcome, incident.source) == (cell_a, "phe_binh", "alert")
    shot(desk, "incident-detail-desktop")
    desk.goto(f"{base}/danh-gia/vu-viec/?ky={year}")
    assert desk.locator("#incident-candidates tbody tr").count() == 0  # recorded: not offered

    phone = open_page()
    _login(phone, base, "an")
    phone.goto(f"{base}/danh-gia/vu-viec/?ky={year}")
    assert phone.locator("#incidents tbody tr").count() == 1
    assert phone.locator("#incident-candidates").count() == 0
    _fits(phone)
    shot(phone, "incidents-unit-phone")
    office_phone = open_page()
    _login(office_phone, base, "vanphong")
    office_phone.goto(f"{base}/danh-gia/vu-viec/?ky={year}")
    _fits(office_phone)
    shot(office_phone, "incidents-phone")


def test_the_activity_page_marks_the_inactive(live_server, open_page, vanphong, cell_a, area_1):
    base = live_server.url
    today = local_today()
    start = today.replace(day=1) - dt.timedelta(days=200)
    people = []
    for name in ("Đỗ Thị Hoa", "Ngô Văn Lâm"):
        user = User.objects.create_user(f"ctv{len(people)}", password=PASSWORD, full_name=name,
                                        role=User.Role.COLLABORATOR, unit=cell_a)
        people.append(Collaborator.objects.create(full_name=name, user=user, unit=cell_a,
                                                  started_on=start, allowance_rate=500_000,
                                                  decision_number="15-QĐ/ĐU"))
    people[0].areas.set([area_1])
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    for day in (3, 9, 17):
        OpinionItem.objects.create(text="Đường ngõ 5 ngập khi mưa.", received_on=last_month
                                   .replace(day=day), created_by=people[0].user)
    desk = open_page(DESKTOP)
    _login(desk, base, "vanphong")
    desk.goto(f"{base}/danh-gia/cong-tac-vien/")
    marked = desk.locator("[data-inactive-mark]")
    assert marked.count() == 1
    assert desk.locator(f"tr[data-collaborator='{people[1].pk}'] [data-inactive-mark]").count() \
        == 1
    shot(desk, "collaborator-activity-desktop")
    phone = open_page()
    _login(phone, base, "vanphong")
    phone.goto(f"{base}/danh-gia/cong-tac-vien/")
    _fits(phone)
    shot(phone, "collaborator-activity-phone")
    desk.goto(f"{base}/cong-tac-vien/kinh-phi/")
    assert desk.locator("#funding-rows tbody tr").count() == 2
    assert desk.locator("[data-planned]").inner_text() == "3.000.000"  # 2 × 500.000 × 3 months
    shot(desk, "collaborator-funding-desktop")
    phone.goto(f"{base}/cong-tac-vien/kinh-phi/")
    _fits(phone)
