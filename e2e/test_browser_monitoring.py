"""The monitoring desk in Chromium: the office filters the newest mentions (a search typed without
diacritics, an attitude, a time range) at desktop width, reads the list as cards on a phone, and
opens a story marked false with its charts drawn by the local Chart.js.

Set LONGDAN_E2E_SCREENSHOTS=<dir> to keep screenshots of the pages.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import PASSWORD
from e2e.helpers import sign_in
from monitoring import misinformation
from monitoring.models import Source
from monitoring.tests.pages_support import mention, story, when

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def desk(vanphong):
    Source.objects.create(name="Báo Hòa Bình", url="https://baohoabinh.example/rss", kind="rss",
                          last_success_at=when(0))
    Source.objects.create(name="Báo hỏng", url="https://baohong.example/rss", kind="rss",
                          last_error="Nguồn tin không đúng định dạng RSS/Atom (lỗi ở dòng 3).",
                          last_error_at=when(0))
    rumour = story(when(6))
    mention("Tin đồn di dời chợ Hòa Bình", story=rumour, at=when(6), site="a.vn",
            attitude="ban_khoan")
    mention("Chợ Hoà Bình sắp di dời?", story=rumour, at=when(5), site="b.vn",
            attitude="ban_khoan")
    mention("Di dời chợ Hòa Bình: chưa có kế hoạch", story=rumour, at=when(2), site="c.vn",
            attitude="dong_tinh")
    rubbish = mention("Rác thải ùn ứ ở ngõ 5 phố Hòa Bình", at=when(1), site="d.vn",
                      attitude="buc_xuc")
    mention("Phố Hoàng Hoa Thám sửa đường", at=when(40), site="e.vn", attitude="ban_khoan")
    finding = misinformation.mark(
        actor=vanphong, story_id=rumour.pk, verdict="false",
        note="Phường không có kế hoạch di dời chợ.", correction_url="https://hoabinh.example/a",
        corrected_on=when(3).date(),
    )
    return {"story": rumour, "finding": finding, "rubbish": rubbish}


def _open(browser, viewport, errors):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                  viewport=viewport)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page


def _login(page, base: str) -> None:
    sign_in(page, base, "vanphong", PASSWORD)


def _shot(page, name: str) -> None:
    folder = os.environ.get("LONGDAN_E2E_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _titles(page) -> list[str]:
    return page.locator("#mentions tbody td[data-label='Tiêu đề'] a").all_inner_texts()


def test_the_office_filters_the_monitoring_page(browser, live_server, desk):
    errors: list[str] = []
    page = _open(browser, DESKTOP, errors)
    _login(page, live_server.url)
    page.goto(f"{live_server.url}/theo-doi-bao-chi/")
    assert len(_titles(page)) == 5  # the ward's mentions, newest first
    _shot(page, "monitoring-list-desktop")

    page.fill("#id_q", "di doi cho hoa binh")
    page.select_option("#id_attitude", "ban_khoan")
    page.click("#mention-filters button[type=submit]")
    page.wait_for_load_state()
    assert sorted(_titles(page)) == ["Chợ Hoà Bình sắp di dời?", "Tin đồn di dời chợ Hòa Bình"]
    assert page.locator("#mentions .status-missing").count() == 2  # marked false
    assert "q=di+doi+cho+hoa+binh" in page.url

    page.select_option("#id_attitude", "")
    page.select_option("#id_range", "7")
    page.fill("#id_q", "")
    page.click("#mention-filters button[type=submit]")
    page.wait_for_load_state()
    assert "Phố Hoàng Hoa Thám sửa đường" not in _titles(page)  # forty days ago
    assert len(_titles(page)) == 4
    page.click("text=Bỏ lọc")
    page.wait_for_load_state()
    assert len(_titles(page)) == 5

    page.goto(f"{live_server.url}/theo-doi-bao-chi/cau-chuyen/{desk['story'].pk}/")
    page.wait_for_function("window.Chart && Chart.getChart('story-chart')")
    page.wait_for_function("Chart.getChart('volume-chart')")
    assert page.locator("#volume-summary tr[data-side='before'] td").nth(1).inner_text() == "2"
    _shot(page, "monitoring-story-desktop")

    phone = _open(browser, PHONE, errors)
    _login(phone, live_server.url)
    phone.goto(f"{live_server.url}/theo-doi-bao-chi/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, width  # cards, no sideways scrolling
    assert phone.locator("#mentions thead").is_hidden()
    _shot(phone, "monitoring-list-phone")
    phone.goto(f"{live_server.url}/theo-doi-bao-chi/sai-su-that/{desk['finding'].pk}/")
    phone.wait_for_function("window.Chart && Chart.getChart('volume-chart')")
    _shot(phone, "monitoring-finding-phone")
    phone.goto(f"{live_server.url}/theo-doi-bao-chi/nguon-tin/")
    _shot(phone, "monitoring-sources-phone")
    page.goto(f"{live_server.url}/theo-doi-bao-chi/nguon-tin/")
    _shot(page, "monitoring-sources-desktop")
    page.goto(f"{live_server.url}/theo-doi-bao-chi/cau-chuyen/")
    _shot(page, "monitoring-stories-desktop")
    page.goto(f"{live_server.url}/theo-doi-bao-chi/sai-su-that/danh-dau/?tin={desk['rubbish'].pk}")
    _shot(page, "monitoring-finding-form-desktop")
    phone.goto(f"{live_server.url}/theo-doi-bao-chi/cau-chuyen/")
    _shot(phone, "monitoring-stories-phone")
    assert not errors, f"Lỗi JavaScript trên trang: {errors}"
