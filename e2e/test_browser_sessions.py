"""Session limits in Chromium (core/sessions.py, static/js/draft.js) and the API docs page under
the Content-Security-Policy (issue 10). The browser fixture fails on any CSP violation.
Screenshots go to $LONGDAN_E2E_SCREENSHOTS when it is set."""

from __future__ import annotations

import time

import pytest

from conftest import PASSWORD
from e2e.helpers import DESKTOP, PHONE, shot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TYPED = "Bà con tổ 5 phản ánh đường ngập sau mưa, đề nghị nạo vét cống trước mùa bão."


def _age_session(page, hours: int) -> None:
    """Move the browser's session start back, as if signed in ``hours`` ago."""
    from django.contrib.sessions.backends.db import SessionStore

    from core import sessions

    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    store = SessionStore(session_key=key)
    store[sessions.STARTED] = int(time.time()) - hours * 3600
    store.save()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_text_typed_when_the_session_ends_comes_back_after_sign_in(open_page, live_server, an,
                                                                    size):
    page = open_page(DESKTOP if size == "desktop" else PHONE)
    sign_in(page, live_server.url, "an", PASSWORD)
    page.goto(f"{live_server.url}/y-kien/nhanh/")
    page.fill("#id_text", TYPED)
    _age_session(page, 13)
    page.click("form:not(.inline) button[type=submit].primary")
    page.wait_for_url("**/dang-nhap/**")
    body = page.locator("main").inner_text()
    assert "quá 12 giờ kể từ lúc đăng nhập" in body and "đã giữ lại" in body
    shot(page, f"session_ended_login_{size}")
    page.fill("#id_username", "an")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/y-kien/nhanh/")
    assert page.input_value("#id_text") == TYPED
    assert "Đã điền lại nội dung bạn gõ" in page.locator("main").inner_text()
    shot(page, f"session_draft_restored_{size}")


def test_the_api_docs_page_works_under_the_csp(open_page, live_server, an):
    page = open_page(DESKTOP)
    sign_in(page, live_server.url, "an", PASSWORD)
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
    assert page.locator(".opblock").count() > 10  # the operations are listed
    # The style file that replaced the inline <style> is applied.
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
    shot(page, "api_docs_desktop", settle_ms=300)
