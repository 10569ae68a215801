"""The approval chain's waiting list and a flash request on a unit's home (issue 15), in a real
Chromium at desktop and phone width: a đảng bộ sees its chi bộ's report waiting and approves it;
a chi bộ sees the flash request first on its home page and answers it from the phone.

Set LONGDAN_E2E_SCREENSHOTS=<dir> to keep the screenshots."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from conftest import PASSWORD, _user
from e2e.helpers import DESKTOP, PHONE, shot, sign_in
from flash import services as flash
from flash.models import FlashReport
from orgs.models import OrgUnit, User
from reporting import services
from reporting.models import UnitReport
from reporting.periods import parse_period

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def chain(ward, monthly, full_sections, vanphong):
    party = OrgUnit.objects.create(code="dang-bo-1", name="Đảng bộ Khu phố Một",
                                   kind=OrgUnit.Kind.PARTY_COMMITTEE, parent=ward)
    cell = OrgUnit.objects.create(code="chi-bo-duoi", name="Chi bộ Khu phố Một A",
                                  kind=OrgUnit.Kind.PARTY_CELL, parent=party)
    _user("dangbo", User.Role.REPORTER, party, "Hoàng Văn Bộ")
    writer = _user("chibo", User.Role.REPORTER, cell, "Đinh Văn Chi")
    cell.responsible_person = writer
    cell.save()
    monthly.units.add(cell)
    today = timezone.localdate()
    last = today.replace(day=1) - dt.timedelta(days=1)
    report = services.save_draft(
        user=writer, template=monthly,
        period=services.ensure_period(parse_period(f"{last.year}-{last.month:02d}")), unit=cell,
        sections=full_sections, streams=None, expected_version=None)
    report = services.submit_report(user=writer, report=report, expected_version=report.version)
    asked = flash.create_request(
        user=vanphong, title="Tụ tập đông người ở chợ Hòa Bình",
        event="Khoảng 50 người tụ tập phản đối việc giải tỏa ki-ốt.",
        deadline=timezone.now() + dt.timedelta(hours=4), unit_ids=[cell.pk])
    return {"report": report, "cell": cell, "asked": asked}


def test_a_party_committee_approves_what_waits_for_it(live_server, chain, open_page):
    from playwright.sync_api import expect

    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = open_page(viewport)
        sign_in(page, live_server.url, "dangbo", PASSWORD)
        expect(page.locator("#approval-count")).to_have_text("1")
        page.goto(f"{live_server.url}/bao-cao/cho-duyet/")
        expect(page.get_by_text("Chi bộ Khu phố Một A")).to_be_visible()
        shot(page, f"approval_waiting_{name}")
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        assert wide <= viewport["width"], f"trang rộng {wide}px"
    page.get_by_role("link", name="Mở để duyệt").click()
    page.get_by_role("button", name="Duyệt, chuyển Ban Xây dựng Đảng").click()
    expect(page.get_by_text("Đã duyệt báo cáo")).to_be_visible()
    assert UnitReport.objects.get(pk=chain["report"].pk).approval == "approved"


def test_a_unit_sees_the_flash_request_first_and_answers_it(live_server, chain, open_page):
    from playwright.sync_api import expect

    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = open_page(viewport)
        sign_in(page, live_server.url, "chibo", PASSWORD)
        card = page.locator("#flash-card")
        expect(card).to_be_visible()
        expect(card).to_contain_text("Tụ tập đông người ở chợ Hòa Bình")
        expect(card).to_contain_text(re.compile(r"còn (3 giờ( \d+ phút)?|4 giờ)"))
        shot(page, f"flash_home_{name}")
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        assert wide <= viewport["width"], f"trang rộng {wide}px"
    card.get_by_role("link", name="Soạn và nộp").click()
    page.fill("#id_s_dien_bien", "Sáng nay khoảng 50 người tụ tập ở cổng chợ.")
    page.fill("#id_s_du_luan", "Tiểu thương lo mất chỗ bán hàng.")
    page.fill("#id_s_kien_nghi", "Đề nghị phường đối thoại với tiểu thương.")
    shot(page, "flash_answer_phone")
    page.get_by_role("button", name="Nộp báo cáo nhanh").click()
    expect(page.get_by_text("Đã nộp báo cáo nhanh.")).to_be_visible()
    assert FlashReport.objects.get(unit=chain["cell"]).state == "submitted"
