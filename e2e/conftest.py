"""The real browser every end-to-end test drives: Debian's Chromium through Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest

# The surveys' fixtures (a survey with its questionnaire uploaded, areas) serve the browser tests.
from surveys.tests.conftest import draft_survey, open_survey, survey_areas  # noqa: F401

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread, and fixtures still use the ORM here;
    # set only for the browser tests so the rest of the suite keeps Django's async-safety check.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"Bỏ qua: không có Chromium tại {CHROMIUM} (cài bằng: apt-get install chromium)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def open_page(browser):
    """Opens pages in fresh browser contexts (Vietnamese, Hanoi time; a phone's touch when the
    viewport is the phone's); every JavaScript error on any of them fails the test."""
    from e2e.helpers import PHONE

    errors: list[str] = []
    opened = []

    def make(viewport=PHONE, *, phone: bool | None = None, accept_dialogs: bool = False):
        phone = viewport == PHONE if phone is None else phone
        context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                      viewport=viewport, is_mobile=phone, has_touch=phone)
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        if accept_dialogs:
            page.on("dialog", lambda dialog: dialog.accept())
        opened.append(page)
        return page

    yield make
    for page in opened:
        page.context.close()
    assert not errors, f"Lỗi JavaScript trên trang: {errors}"
