"""The ward's map (templates/picture/_map.html) in Chromium: the areas' polygons are drawn from the
locally served Leaflet, coloured by the chosen measure, with a legend; a click (a tap and the
popup's link on a phone) drills down to ?area=<id>; areas without a boundary are listed.

Set LONGDAN_E2E_SCREENSHOTS=<dir> to keep screenshots at desktop and phone width.
"""

from __future__ import annotations

import re

import pytest

from conftest import PASSWORD
from e2e.helpers import DESKTOP, PHONE, shot, sign_in
from orgs.models import Area
from picture import services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.urls("e2e.map_urls"),
    # The live server needs committed data; serialized rollback restores the seeded taxonomy.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def ward_areas(cell_a, cell_b, vanphong):
    """Eleven areas with invented shapes, and one without a boundary."""
    areas = [Area.objects.create(name=f"Tổ dân phố {n}", population=500 + 40 * n,
                                 unit=cell_a if n % 2 else cell_b) for n in range(1, 12)]
    services.generate_demo_shapes(areas=areas)
    Area.objects.create(name="Tổ dân phố Mới", population=300, unit=cell_a)
    return areas


def _open_map(page, base: str) -> None:
    sign_in(page, base, "vanphong", PASSWORD)
    page.goto(f"{base}/thu-ban-do/")
    page.wait_for_selector(".area-map[data-ready=true]")


def _fill_of(page, area_id: int) -> str:
    return page.locator(f"path[data-area-id='{area_id}']").get_attribute("fill")


def test_the_map_draws_colours_and_drills_down_on_a_desktop(live_server, ward_areas, open_page):
    from playwright.sync_api import expect

    page = open_page(DESKTOP)
    _open_map(page, live_server.url)
    paths = page.locator(".area-map-canvas svg path.leaflet-interactive")
    assert paths.count() == len(ward_areas)
    expect(page.locator(".area-map-legend")).to_contain_text("Ý kiến/1.000 dân")
    expect(page.locator(".area-map-note")).to_contain_text(
        "Ranh giới minh họa do dữ liệu mẫu sinh ra")
    expect(page.locator(".area-map-unshaped")).to_have_text(
        "Chưa có ranh giới: Tổ dân phố Mới.")
    shot(page, "map_desktop", settle_ms=400)

    busy = ward_areas[9]  # 21 opinions, a share of 20 % (see e2e.map_urls.figures)
    before = _fill_of(page, busy.pk)
    page.get_by_role("button", name="Tỷ lệ bức xúc").click()
    expect(page.locator(".area-map-legend")).to_contain_text("Tỷ lệ bức xúc")
    assert _fill_of(page, busy.pk) != before
    shot(page, "map_desktop_aggrieved", settle_ms=400)

    target = page.locator(f"path[data-area-id='{busy.pk}']")
    target.hover()
    expect(page.locator(".leaflet-tooltip")).to_contain_text(busy.name)
    expect(page.locator(".leaflet-tooltip")).to_contain_text("Ý kiến/1.000 dân")
    target.click()
    page.wait_for_url(re.compile(rf"[?&]area={busy.pk}(&|$)"))
    page.wait_for_selector(".area-map[data-ready=true]")
    # The chosen area stands out after the drill-down.
    assert page.locator(f"path[data-area-id='{busy.pk}']").get_attribute("stroke-width") == "3"


def test_the_map_fits_a_phone_and_a_tap_shows_the_figures(live_server, ward_areas, open_page):
    from playwright.sync_api import expect

    page = open_page(PHONE)
    _open_map(page, live_server.url)
    assert page.locator(".area-map-canvas svg path.leaflet-interactive").count() == len(
        ward_areas)
    box = page.locator(".area-map-canvas").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"Trang rộng {width}px, phải cuộn ngang trên điện thoại"
    shot(page, "map_phone", settle_ms=400)

    area = ward_areas[4]
    page.locator(f"path[data-area-id='{area.pk}']").tap()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(area.name)
    expect(popup).to_contain_text("Nhân khẩu")
    shot(page, "map_phone_popup", settle_ms=400)
    popup.get_by_role("link", name="Xem ý kiến của tổ này →").tap()
    page.wait_for_url(re.compile(rf"[?&]area={area.pk}(&|$)"))
