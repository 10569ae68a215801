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
