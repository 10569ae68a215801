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
