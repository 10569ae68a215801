"""Scorecards in Chromium: the office reads the table on a desktop and opens a card, the unit's
reporter is sent to its own card on a phone and comments on it, the office finalises it; the
table and the card read on a phone without sideways scrolling.

Set LONGDAN_E2E_SCREENSHOTS=<dir> to keep screenshots of the pages (phone and desktop).
"""

from __future__ import annotations

import re

import pytest

from conftest import PASSWORD
from core.dates import local_today
from e2e.helpers import DESKTOP, PHONE, shot, sign_in
from evaluation.models import Scorecard

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _login(page, base: str, username: str) -> None:
    sign_in(page, base, username, PASSWORD)


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"Trang rộng {width}px, phải cuộn ngang trên điện thoại"


def test_the_table_a_card_a_comment_and_finalising(
    live_server, open_page, vanphong, an, binh, cell_a, cell_b, monthly
):
    base = live_server.url
    year = str(local_today().year)
    desk = open_page(DESKTOP, accept_dialogs=True)
    _login(desk, base, "vanphong")
    desk.goto(f"{base}/danh-gia/?ky={year}")
    rows = desk.locator("#scorecards tbody tr")
    assert rows.count() == 2  # the two chi bộ; the ward and the office are not scored
    shot(desk, "scorecards-desktop")
    desk.click(f"#scorecards tr[data-unit='{cell_a.code}'] a")
    desk.wait_for_url(re.compile(rf"/danh-gia/don-vi/{cell_a.pk}/"))
    assert desk.locator("#criteria-lines tbody tr").count() == 8  # the default set

    reporter = open_page(accept_dialogs=True)
    _login(reporter, base, "an")
    reporter.goto(f"{base}/danh-gia/")
    reporter.wait_for_url(re.compile(rf"/danh-gia/don-vi/{cell_a.pk}/"))
    assert cell_b.name not in reporter.content()
    reporter.fill("#comment", "Đề nghị xem lại: tháng trước đơn vị nộp qua thư điện tử.")
    reporter.click("#unit-comment button[type=submit]")
    reporter.wait_for_selector(".msg-success")
    _fits(reporter)
    shot(reporter, "scorecard-unit-phone")

    desk.reload()
    assert "tháng trước đơn vị nộp" in desk.content()
    desk.click("text=Chốt phiếu đánh giá")
    desk.wait_for_selector("#final-note")
    assert Scorecard.objects.get(unit=cell_a, period=year).is_final
    reporter.reload()
    assert reporter.locator("#comment").count() == 0  # locked: no more comments

    office_phone = open_page(accept_dialogs=True)
    _login(office_phone, base, "vanphong")
    office_phone.goto(f"{base}/danh-gia/?ky={year}")
    _fits(office_phone)
    shot(office_phone, "scorecards-phone")
