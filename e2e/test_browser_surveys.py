"""Collection pages in Chromium: an anonymous link answered once, an interviewer's web form,
quota progress that updates itself.

Runs against pytest-django's live server with Debian's Chromium driven by Playwright; skipped
with the reason when /usr/bin/chromium is absent. The surveys' own fixtures come from
``surveys/tests/conftest.py`` through ``e2e/conftest.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from orgs.models import Collaborator, User
from surveys.collect import services as collect
from surveys.models import Quota, Response, SurveyToken
from surveys.tests.collect_support import standard_instance

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def context(browser):
    errors: list[str] = []
    made = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                               viewport={"width": 1280, "height": 900})
    made.set_default_timeout(20_000)
    made.on("page", lambda p: p.on("pageerror", lambda exc: errors.append(str(exc))))
    yield made
    made.close()
    assert not errors, f"Lỗi JavaScript trên trang: {errors}"


def _shot(page, name: str) -> None:
    folder = os.environ.get("LONGDAN_E2E_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _login(context, live_server, client, user) -> None:
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def _fill_required(page) -> None:
    def question(text):
        return page.locator(".question-container").filter(has_text=text)

    page.locator(".question-container").first.wait_for(state="visible")
    question("tổ dân phố nào").get_by_label("Tổ dân phố 2", exact=True).check()
    question("Giới tính").get_by_label("Nữ", exact=True).check()
    question("Nhóm tuổi").get_by_label("Từ 30 đến 44 tuổi", exact=True).check()
    question("hài lòng với việc chỉnh trang").get_by_label("Hài lòng", exact=True).check()


def _wait_for(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert condition()


def test_anonymous_link_is_answered_once(live_server, context, open_survey, survey_areas,
                                         vanphong):
    from playwright.sync_api import expect

    [token] = collect.issue_tokens(survey=open_survey, count=1, user=vanphong)
    page = context.new_page()
    page.goto(f"{live_server.url}/ks/{token}/")
    expect(page.locator(".lw-intro")).to_contain_text("chỉ dùng được một lần")
    _fill_required(page)
    page.get_by_role("button", name="Gửi phiếu").click()
    expect(page.locator("#survey-status")).to_have_attribute("data-state", "sent")
    _wait_for(lambda: Response.objects.count() == 1)
    response = Response.objects.get()
    assert response.source == Response.Source.PUBLIC_LINK and response.interviewer is None
    assert response.area == survey_areas[1] and response.gender == "nu"
    assert SurveyToken.objects.get().used_at is not None
    _shot(page, "collect_public_sent")
    page.reload()
    expect(page.locator("[data-unavailable]")).to_contain_text("đã được dùng để trả lời")
    _shot(page, "collect_public_used")
    expect(page.locator("nav.mainnav")).to_have_count(0)


def test_interviewer_web_form_records_the_collaborator(live_server, context, client, cell_a,
                                                       open_survey, survey_areas):
    from playwright.sync_api import expect

    user = User.objects.create_user("ctv_hoa", password="x", role=User.Role.COLLABORATOR,
                                    unit=cell_a, full_name="Đỗ Thị Hoa")
    collaborator = Collaborator.objects.create(full_name="Đỗ Thị Hoa", user=user, unit=cell_a,
                                               started_on=dt.date(2025, 10, 1))
    _login(context, live_server, client, user)
    page = context.new_page()
    page.goto(f"{live_server.url}/khao-sat/{open_survey.slug}/thu-thap/")
    expect(page.locator(".lw-who")).to_contain_text("Đỗ Thị Hoa")
    _fill_required(page)
    page.get_by_role("button", name="Gửi phiếu").click()
    expect(page.locator("#survey-status")).to_have_attribute("data-state", "sent")
    _wait_for(lambda: Response.objects.count() == 1)
    response = Response.objects.get()
    assert response.source == Response.Source.WEB and response.interviewer == collaborator
    assert response.data["khu_vuc"] == "to_2" and response.data["hai_long_chung"] == "hai_long"


def test_quota_progress_updates_without_reload(live_server, context, client, open_survey,
                                               survey_areas, vanphong):
    from playwright.sync_api import expect

    collect.set_quotas(survey=open_survey, dimension=Quota.Dimension.GENDER,
                       targets={"nam": 2, "nu": 2}, user=vanphong)
    _login(context, live_server, client, vanphong)
    page = context.new_page()
    page.goto(f"{live_server.url}/khao-sat/{open_survey.slug}/chi-tieu/")
    counter = page.locator("[data-responses]")
    expect(counter).to_have_text("0")
    collect.receive_submission(xml=standard_instance(gioi_tinh="nu"),
                               source=Response.Source.ODK_COLLECT)
    expect(counter).to_have_text("1", timeout=15_000)  # htmx polls every 5 s
    row = page.locator('table[data-dimension="gioi_tinh"] tr[data-category="nu"]')
    expect(row.locator('[role="progressbar"]')).to_have_attribute("aria-valuenow", "50")
    _shot(page, "collect_quotas")
    page.get_by_role("button", name="Phân bổ theo dân số").click()
    expect(page.locator('table[data-dimension="khu_vuc"]')).to_be_visible()
    assert open_survey.quotas.filter(dimension="khu_vuc").count() == 3
    _shot(page, "collect_quotas_planned")
    page.goto(f"{live_server.url}/khao-sat/{open_survey.slug}/ma-an-danh/")
    _shot(page, "collect_tokens")
    page.goto(f"{live_server.url}/khao-sat/{open_survey.slug}/nhap/")
    _shot(page, "collect_import")
    page.goto(f"{live_server.url}/odk/ma-dang-nhap/")
    _shot(page, "collect_odk_logins")


def test_the_report_docx_says_it_is_being_made_until_it_arrives(live_server, context, client,
                                                                 open_survey, vanphong):
    """Making the DOCX takes seconds: a note shows from the click until the file arrives."""
    from playwright.sync_api import expect

    _login(context, live_server, client, vanphong)
    page = context.new_page()
    page.goto(f"{live_server.url}/khao-sat/{open_survey.slug}/ket-qua/")
    link = page.get_by_role("link", name="Báo cáo DOCX")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".docx")
    # The note was put up by the click (it stays in the page, hidden, once the file is there:
    # checking that it was visible could race a fast download).
    note = page.locator(".busy-note")
    expect(note).to_have_count(1)
    expect(note).to_contain_text("Đang tạo báo cáo DOCX")
    expect(note).to_be_hidden(timeout=30_000)
