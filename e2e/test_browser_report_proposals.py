"""The month's proposals on the report's edit page, in Chromium, on a desktop and a phone: the
panel loads (htmx), shows the items behind a proposal, keeps one (it becomes a stream of the
form) and drops another. Set LONGDAN_E2E_SCREENSHOTS=<dir> to keep the screenshots."""

from __future__ import annotations

import re

import pytest

from conftest import PASSWORD
from core.dates import local_today
from core.models import Channel, Topic
from e2e.helpers import DESKTOP, PHONE, shot
from intake.models import OpinionItem
from reporting import services
from reporting.periods import PeriodKey
from textengine.normalize import fold

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEXTS = [
    ("Môi trường", "buc_xuc", "Rác thải tồn đọng ở chợ Hòa Bình nhiều ngày, bốc mùi hôi thối."),
    ("Môi trường", "buc_xuc", "Bà con phản ánh rác ở chợ Hòa Bình chưa được thu gom, bốc mùi."),
    ("Trật tự an toàn xã hội", "ban_khoan",
     "Trộm cắp xe máy ban đêm tái diễn ở tổ dân phố 1, đề nghị lắp camera an ninh."),
    ("Y tế", "dong_tinh", "Người dân đồng tình với việc trạm y tế mở cửa khám buổi tối."),
]


@pytest.fixture
def report(an, cell_a, area_1, monthly):
    today = local_today()
    for name, attitude, text in TEXTS:
        item = OpinionItem.objects.create(text=text, text_folded=fold(text), unit=cell_a,
                                          channel=Channel.RESIDENTIAL, received_on=today,
                                          attitude=attitude, area=area_1)
        item.topics.set([Topic.objects.get(name=name)])
    key = PeriodKey(today.year, "month", today.month)
    return services.save_draft(user=an, template=monthly, period=services.ensure_period(key),
                               unit=cell_a, sections={}, streams=None, expected_version=None)


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_reporter_keeps_and_drops_proposals(live_server, report, open_page, viewport):
    from playwright.sync_api import expect

    page = open_page(viewport, accept_dialogs=True)
    base = live_server.url
    _login(page, base, "an")
    page.goto(f"{base}/bao-cao/{report.pk}/sua/")
    panel = page.locator("section.proposals")
    expect(panel).to_be_visible()
    proposals = panel.locator("li.proposal")
    expect(proposals).to_have_count(3)
    garbage = proposals.filter(has_text="Môi trường")
    expect(garbage).to_contain_text("2 ý kiến")
    garbage.locator("summary").click()
    expect(garbage.locator(".proposal-items li")).to_have_count(2)
    name = "desktop" if viewport == DESKTOP else "phone"
    # nothing wider than the screen on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    shot(page, f"proposals_{name}")

    garbage.get_by_role("button", name="Giữ thành luồng ý kiến").click()
    page.wait_for_url(re.compile(r"/bao-cao/\d+/sua/"))
    expect(page.locator(".messages")).to_contain_text("Đã giữ đề xuất")
    row = page.locator("[data-stream-row]").first
    expect(row.locator("textarea[name$='-summary']")).to_have_value(re.compile("chợ Hòa Bình"))
    expect(page.locator("section.proposals li.proposal")).to_have_count(2)

    page.locator("li.proposal", has_text="Y tế").get_by_role("button", name="Bỏ").click()
    page.wait_for_url(re.compile(r"/bao-cao/\d+/sua/"))
    expect(page.locator("section.proposals li.proposal")).to_have_count(1)
    expect(page.locator("section.proposals")).to_contain_text("1 ý kiến đã bỏ khỏi đề xuất")
    shot(page, f"proposals_after_{name}")
    stream = report.streams.get()
    assert stream.items.count() == 2
