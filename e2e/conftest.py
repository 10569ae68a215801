"""The real browser every end-to-end test drives: Debian's Chromium through Playwright."""

from __future__ import annotations

import re
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
        violations = _watch_csp(launched)
        try:
            yield launched
        finally:
            launched.close()
        assert not violations, f"Trang vi phạm Content-Security-Policy: {violations}"


def _watch_csp(launched) -> list[str]:
    """Every context this browser opens reports what the Content-Security-Policy refused (the
    browser says so on the console, not as a page error); the test fails on any (core/csp.py)."""
    violations: list[str] = []
    new_context = launched.new_context

    def watched(*args, **kwargs):
        context = new_context(*args, **kwargs)

        def console(message):
            text = message.text
            if "Content Security Policy" in text or "Content-Security-Policy" in text:
                # The refused thing (a data: URL can be long) cut short; the directive kept.
                violations.append(re.sub(r"'(data|blob):[^']{40}[^']*'", r"'\1:…'", text))

        context.on("console", console)
        return context

    launched.new_context = watched
    return violations


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
