"""What the browser tests share besides fixtures: the two screen sizes and the screenshots."""

from __future__ import annotations

import os
from pathlib import Path

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def shot(page, name: str, *, settle_ms: int = 0) -> None:
    """A full-page screenshot in LONGDAN_E2E_SCREENSHOTS, when set (to look at the pages)."""
    folder = os.environ.get("LONGDAN_E2E_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        if settle_ms:
            page.wait_for_timeout(settle_ms)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


# --- signing in, the second step included (core.twofactor) ---------------------------------------

# The key each person's authenticator app was given in this test run, by (server, user name).
APP_KEYS: dict[tuple[str, str], str] = {}


def totp_now(key: str) -> str:
    """The 6-digit code an authenticator app shows now for a base32 key (spaces allowed)."""
    import base64

    from django_otp.oath import totp

    secret = key.replace(" ", "")
    raw = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(raw, step=30, t0=0, digits=6, drift=0):06d}"


def sign_in(page, base: str, username: str, password: str) -> None:
    """Sign in through the login page as a person does. The office and leaders must use two
    steps: at the first sign-in they set up the app (the key read off the page, as a person
    types it when they cannot scan), later they type its code."""
    import re

    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"^(?!.*/dang-nhap/)"))
    if "/xac-thuc/thiet-lap/" in page.url:
        shot(page, f"otp_setup_{username}")
        key = page.locator(".otp-secret").inner_text()
        APP_KEYS[(base, username)] = key
        page.fill("#id_code", totp_now(key))
        page.click("form:not(.inline) button[type=submit]")
        page.get_by_role("link", name="Tôi đã cất mã, tiếp tục").click()
    elif "/xac-thuc/" in page.url:
        import time

        for _ in range(2):
            page.fill("#id_code", totp_now(APP_KEYS[(base, username)]))
            page.click("form:not(.inline) button[type=submit]")
            page.wait_for_load_state()
            if "/xac-thuc/" not in page.url:
                break
            # A code is good once: signed in again within the same 30 s, wait for the next one.
            time.sleep(31 - time.time() % 30)
    page.wait_for_url(re.compile(r"^(?!.*/(dang-nhap|xac-thuc)/)"))
