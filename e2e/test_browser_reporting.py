"""A reporter fills and submits the month's report in Chromium; the office then sees it counted.

Runs against pytest-django's live server with Debian's Chromium driven by Playwright. Locally, when
/usr/bin/chromium is absent, the test is reported as skipped with the reason.
Set LONGDAN_E2E_SCREENSHOTS=<dir> to keep screenshots of the editor and the compliance page.
"""

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
    # The live server needs committed data; serialized rollback restores the seeded taxonomy.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _open_page(browser, errors: list[str]):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the "submit?" confirmation
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page


@pytest.fixture
def pages(browser):
    """Open pages on demand, each in its own browser context (its own login)."""
    errors: list[str] = []
    opened = []

    def open_page():
        opened.append(_open_page(browser, errors))
        return opened[-1]

    yield open_page
    for page in opened:
        page.context.close()
    assert not errors, f"Lỗi JavaScript trên trang: {errors}"


@pytest.fixture
def page(pages):
    return pages()


def _shot(page, name: str) -> None:
    folder = os.environ.get("LONGDAN_E2E_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _login(page, base: str, username: str) -> None:
    sign_in(page, base, username, PASSWORD)


def test_reporter_submits_and_office_sees_it_counted(
    live_server, an, binh, vanphong, monthly, area_1, page
):
    # The cast is created before Playwright starts its event loop (fixture order above), so this
    # thread's database connection is the one pytest-django closes before dropping the database.
    from playwright.sync_api import expect

    base = live_server.url
    period = f"{local_today():%Y-%m}"

    # The reporter starts this month's report from the home page.
    _login(page, base, "an")
    expect(page.get_by_role("heading", name="Báo cáo của Chi bộ Tổ dân phố 1")).to_be_visible()
    _shot(page, "home_reporter")
    page.get_by_role("link", name=re.compile("Bắt đầu soạn báo cáo")).click()
    page.get_by_role("button", name="Tạo bản nháp và soạn").click()
    page.wait_for_url(re.compile(r"/bao-cao/\d+/sua/$"))

    # Every narrative section, and one opinion stream added with the button.
    textareas = page.locator(".section-field textarea")
    assert textareas.count() == len(monthly.sections)
    for index in range(textareas.count()):
        textareas.nth(index).fill(f"Nội dung phần {index + 1}: tình hình ổn định, dân đồng tình.")
    page.get_by_role("button", name="+ Thêm luồng ý kiến").click()
    row = page.locator("[data-stream-row]").first
    row.locator("select[name$='-topic']").select_option(label="Môi trường")
    row.locator("textarea[name$='-summary']").fill("Bà con bức xúc vì rác tồn đọng ở chợ Hòa Bình.")
    row.locator("select[name$='-attitude']").select_option("buc_xuc")
    row.locator("select[name$='-reach']").select_option("nhieu_y_kien")
    row.locator("select[name$='-channel']").select_option("khu_dan_cu")
    row.locator("select[name$='-area']").select_option(label="Tổ dân phố 1")
    row.locator("input[name$='-latent']").check()
    # Social groups: a searchable multi-select, typed without diacritics, two picked without Ctrl.
    groups = row.locator(".ts-control input")
    for typed, name in (("phu nu", "Phụ nữ"), ("thanh nien", "Thanh niên")):
        groups.fill(typed)
        page.locator(".ts-dropdown .option", has_text=name).first.click()
    chosen = row.locator("select[name$='-social_groups'] option:checked")
    expect(chosen).to_have_count(2)

    # Autosave (triggered now rather than after 15 s) answers with the server's new version.
    page.evaluate("window.longdanAutosave()")
    expect(page.locator("#autosave-status")).to_contain_text("Đã tự lưu")
    assert int(page.locator("input[name=version]").input_value()) >= 2
    _shot(page, "report_edit")

    page.get_by_role("button", name="Nộp báo cáo").click()
    page.wait_for_url(re.compile(r"/bao-cao/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("Đã nộp báo cáo")
    status = page.locator("[data-status]")
    expect(status).to_have_attribute("data-status", re.compile("on_time|late"))
    expect(page.locator(".streams-table")).to_contain_text("rác tồn đọng")
    _shot(page, "report_detail")

    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile("/dang-nhap/"))

    # The office sees the unit counted: 1 of the 2 open cells, 50 %.
    _login(page, base, "vanphong")
    _shot(page, "home_office")
    page.goto(f"{base}/ty-le-nop/?period={period}")
    expect(page.locator("[data-kpi=reporting-rate]")).to_have_text("50%")
    unit_row = page.locator("#by-unit tr[data-unit='Chi bộ Tổ dân phố 1']")
    expect(unit_row).to_contain_text(re.compile("Nộp đúng hạn|Nộp muộn"))
    other_row = page.locator("#by-unit tr[data-unit='Chi bộ Tổ dân phố 2']")
    expect(other_row).not_to_contain_text(re.compile("Nộp đúng hạn|Nộp muộn"))
    # The chart is drawn by the locally served Chart.js (no CDN on the intranet).
    assert page.evaluate("typeof window.Chart") == "function"
    _shot(page, "compliance")

    page.goto(f"{base}/bao-cao/?q=to dan pho")
    expect(page.locator("table.list")).to_contain_text("Chi bộ Tổ dân phố 1")
    _shot(page, "report_list")


@pytest.fixture
def shared_draft(an, monthly, cell_a):
    from reporting import services
    from reporting.periods import month_of

    return services.save_draft(
        user=an, template=monthly, period=services.ensure_period(month_of(local_today())),
        unit=cell_a, sections={}, streams=None, expected_version=None,
    )


def test_two_editors_get_a_conflict_not_a_silent_overwrite(
    live_server, an, vanphong, shared_draft, pages
):
    from playwright.sync_api import expect

    base = live_server.url
    edit_url = f"{base}/bao-cao/{shared_draft.pk}/sua/"
    reporter, office = pages(), pages()
    _login(reporter, base, "an")
    _login(office, base, "vanphong")
    reporter.goto(edit_url)
    office.goto(edit_url)

    office.locator(".section-field textarea").first.fill("Văn phòng sửa trước.")
    office.get_by_role("button", name="Lưu nháp").click()
    expect(office.locator(".messages")).to_contain_text("Đã lưu nháp (phiên bản 2)")

    reporter.locator(".section-field textarea").first.fill("Người phụ trách gõ sau.")
    reporter.evaluate("window.longdanAutosave()")
    conflict = reporter.locator("#conflict-box")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("phiên bản 2")
    # The reporter's text stays on screen; the office's saved text stays in the database.
    typed = reporter.locator(".section-field textarea").first
    expect(typed).to_have_value("Người phụ trách gõ sau.")
    _shot(reporter, "report_edit_conflict")
    office.reload()
    expect(office.locator(".section-field textarea").first).to_have_value("Văn phòng sửa trước.")
