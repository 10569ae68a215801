"""A leader on a phone opens the picture of opinion in Chromium: the attitude chart is drawn by the
locally served Chart.js, the map of the ward by the locally served Leaflet, and a number of the
topic table opens exactly the items behind it.

Set LONGDAN_E2E_SCREENSHOTS=<dir> to keep screenshots of the picture and the drill-down."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import PASSWORD
from core.dates import local_today
from e2e.helpers import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def heard(cell_a, cell_b, area_1):
    """Seven opinions on the environment (four aggrieved) and two on order, heard today."""
    from core.models import Channel, Topic
    from intake.models import OpinionItem
    from orgs.models import Area
    from picture.services import generate_demo_shapes
    from textengine.normalize import fold

    generate_demo_shapes(areas=[area_1, Area.objects.create(name="Tổ dân phố 2", population=600,
                                                            unit=cell_b)])
    env = Topic.objects.get(name="Môi trường")
    order = Topic.objects.get(name="Trật tự an toàn xã hội")
    today = local_today()
    for n in range(9):
        topic, unit = (env, cell_a) if n < 7 else (order, cell_b)
        text = f"Ý kiến số {n} của bà con về {topic.name.lower()}"
        item = OpinionItem.objects.create(
            text=text, text_folded=fold(text), received_on=today, channel=Channel.RESIDENTIAL,
            unit=unit, area=area_1 if unit == cell_a else None,
            attitude="buc_xuc" if n < 4 else "ban_khoan")
        item.topics.set([topic])


def _shot(page, name: str) -> None:
    folder = os.environ.get("LONGDAN_E2E_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_a_leader_on_a_phone_reads_the_picture_and_drills_into_a_number(
    live_server, lanhdao, heard, browser
):
    from playwright.sync_api import expect

    base = live_server.url
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                  viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        sign_in(page, base, "lanhdao", PASSWORD)
        # The leader's home is the picture.
        expect(page.get_by_role("heading", name="Bức tranh dư luận", exact=True)).to_be_visible()

        page.goto(f"{base}/buc-tranh/?period=4w")
        canvas = page.locator("#attitude-chart")
        canvas.scroll_into_view_if_needed()
        page.wait_for_function("() => window.Chart && window.Chart.getChart('attitude-chart')")
        painted = page.evaluate("""() => {
            const c = document.getElementById('attitude-chart');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++;
            return n; }""")
        assert painted > 500, painted
        # The map draws both areas' boundaries (no tile server: only the polygons).
        shapes = page.locator("#ban-do .area-map-canvas svg path.leaflet-interactive")
        shapes.first.scroll_into_view_if_needed()
        expect(shapes).to_have_count(2)
        _shot(page, "picture_phone")

        # The menu folds under one button on a phone and opens on a tap.
        nav = page.locator("#mainnav")
        expect(nav).to_be_hidden()
        page.get_by_role("button", name=re.compile("Danh mục")).tap()
        expect(nav.get_by_role("link", name="Bức tranh")).to_be_visible()
        page.get_by_role("button", name=re.compile("Danh mục")).tap()

        row = page.locator("table.topics tbody tr", has_text="Môi trường")
        number = row.locator("td").first.locator("a.drill")
        expect(number).to_have_text("7")
        number.scroll_into_view_if_needed()
        number.tap()
        page.wait_for_url(re.compile(r"/buc-tranh/ho-so/\?"))
        expect(page.get_by_test_id("drill-total")).to_have_text("7")
        expect(page.locator("tr[data-item]")).to_have_count(7)
        expect(page.locator("table.drill-items")).not_to_contain_text("trật tự")
        # The table's headers are hidden on a phone; the sort bar offers the same keys.
        expect(page.locator("table.drill-items thead")).to_be_hidden()
        bar = page.get_by_role("navigation", name="Sắp xếp")
        expect(bar).to_be_visible()
        bar.get_by_role("link", name="Thái độ").tap()
        page.wait_for_url(re.compile(r"sort=attitude"))
        expect(bar.locator("a.active")).to_have_text("Thái độ ▲")
        expect(page.locator("tr[data-item]")).to_have_count(7)
        _shot(page, "drill_phone")

        # Back to the picture, the aggrieved share opens the four aggrieved items of all topics.
        page.go_back()  # the drill-down before it was sorted
        page.go_back()
        page.locator(".kpi-card.share .kpi-split a.drill").tap()
        expect(page.get_by_test_id("drill-total")).to_have_text("4")
        expect(page.locator("tr[data-item]")).to_have_count(4)
    finally:
        context.close()
    assert not errors, f"Lỗi JavaScript trên trang: {errors}"


def test_a_city_sized_unit_filter_finds_a_unit_by_typing(
    live_server, lanhdao, heard, cell_a, browser, monkeypatch
):
    """Past the select's limit the filter lists the upper levels only; typing a name without
    diacritics asks the server and the chosen unit narrows the picture."""
    from playwright.sync_api import expect

    from picture import page as arrange

    monkeypatch.setattr(arrange, "UNIT_SELECT_LIMIT", 2)
    base = live_server.url
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                  viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, base, "lanhdao", PASSWORD)
        page.goto(f"{base}/buc-tranh/?period=4w")
        expect(page.locator("#f-unit-help")).to_contain_text("gõ tên hoặc mã")
        control = page.locator("#f-unit-ts-control")
        control.click()
        control.fill("chi bo to dan pho 1")
        option = page.locator(".ts-dropdown .option", has_text=cell_a.name)
        expect(option).to_be_visible()
        _shot(page, "picture_unit_picker_desktop")
        option.click()
        page.locator("form.picture-filters button[type=submit]").first.click()
        page.wait_for_url(re.compile(rf"unit={cell_a.code}"))
        expect(page.locator("#f-unit option:checked")).to_have_text(cell_a.name)
    finally:
        context.close()
