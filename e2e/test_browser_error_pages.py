"""Error pages and the consolidation period picker in Chromium, at desktop and phone width
(issue 17). Screenshots go to $LONGDAN_E2E_SCREENSHOTS when it is set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; serialized rollback restores the seeded taxonomy.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = {"desktop": 1280, "phone": 390}


def _shot(page, name: str) -> None:
    folder = os.environ.get("LONGDAN_E2E_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _page(browser, live_server, client, user, width: int):
    context = browser.new_context(viewport={"width": width, "height": 800})
    if user is not None:
        client.force_login(user)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                              "url": live_server.url}])
    return context.new_page()


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("device", list(WIDTHS))
def test_the_404_page_is_vietnamese_and_fits_a_phone(browser, live_server, client, an, device):
    page = _page(browser, live_server, client, an, WIDTHS[device])
    response = page.goto(f"{live_server.url}/khong-co-trang-nay/")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", name="Không tìm thấy trang").is_visible()
    assert page.get_by_role("link", name="Về trang chủ").is_visible()
    assert _overflow(page) <= 0
    _shot(page, f"404-{device}")


@pytest.mark.parametrize("device", list(WIDTHS))
def test_the_period_picker_shows_what_the_kind_needs(
    browser, live_server, client, vanphong, monthly, device
):
    from playwright.sync_api import expect

    page = _page(browser, live_server, client, vanphong, WIDTHS[device])
    page.goto(f"{live_server.url}/tong-hop/")
    month, half = page.locator("#id_period_month"), page.locator("#id_period_half")
    expect(month).to_be_visible()
    expect(half).to_be_hidden()
    assert _overflow(page) <= 0
    _shot(page, f"tong-hop-{device}")
    page.select_option("#id_period_kind", "half")
    expect(half).to_be_visible()
    expect(month).to_be_hidden()
    page.select_option("#id_period_half", "H2")
    page.select_option("#id_period_year", "2025")
    page.get_by_role("button", name="Lập dự thảo").click()
    expect(page.locator("h1")).to_contain_text("6 tháng")
    _shot(page, f"tong-hop-lap-{device}")
