"""Opinion intake in Chromium: a collaborator's quick report on a phone, and the residents' form.

Runs against pytest-django's live server with Debian's Chromium driven by Playwright. Locally, when
/usr/bin/chromium is absent, the tests are reported as skipped with the reason.
Set LONGDAN_E2E_SCREENSHOTS=<dir> to keep screenshots of the pages.
Set LONGDAN_E2E_TIMINGS=<file> to append the measured quick-report filing time (JSON lines).
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

from conftest import PASSWORD
from e2e.helpers import sign_in

PHONE = {"width": 390, "height": 844}  # an ordinary phone, portrait
# A scripted user is far quicker than a person; this only guards against a page that hangs or a
# round trip gone slow. The person's bar (under 30 s) is argued from the interaction count.
SCRIPTED_FLOW_BOUND_S = 10.0
CODE = re.compile(r"^[A-Z2-7]{10}$")

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; serialized rollback restores the seeded taxonomy.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def pages(browser):
    """Open phone-sized pages on demand, each in its own browser context (its own session)."""
    errors: list[str] = []
    opened = []

    def open_page():
        context = browser.new_context(
            locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=PHONE,
            is_mobile=True, has_touch=True, device_scale_factor=2,
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        opened.append(page)
        return page

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


def _record(entry: dict) -> None:
    target = os.environ.get("LONGDAN_E2E_TIMINGS")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")


def _login(page, base: str, username: str) -> None:
    sign_in(page, base, username, PASSWORD)


def _no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"Trang rộng {width}px, phải cuộn ngang trên điện thoại"


# --- the collaborator's quick report -------------------------------------------------------------


@pytest.fixture
def collaborator(cell_a, area_1):
    from orgs.models import Collaborator, User

    user = User(username="ctv", role=User.Role.COLLABORATOR, unit=cell_a, full_name="Đỗ Thị Cúc")
    user.set_password(PASSWORD)
    user.save()
    record = Collaborator.objects.create(
        full_name=user.full_name, user=user, unit=cell_a, started_on="2025-01-01"
    )
    record.areas.set([area_1])
    return user


# Typed as on a phone without a Vietnamese keyboard: no diacritics at all, and a phone number.
TYPED = (
    "rac thai un u o cho hoa binh ca tuan nay, boc mui hoi thoi, ba con rat buc xuc."
    " goi 0912 345 678 ma khong ai nghe"
)


def test_collaborator_files_a_quick_report_on_a_phone(live_server, collaborator, area_1, page):
    from playwright.sync_api import expect

    from core.models import Attitude, Channel, Topic
    from intake.models import OpinionItem

    base = live_server.url
    environment = Topic.objects.get(name="Môi trường")
    _login(page, base, "ctv")

    # The flow a person goes through, timed from opening the page to the success message.
    started = time.perf_counter()
    page.goto(f"{base}/y-kien/nhanh/")
    text = page.locator("textarea[name=text]")
    expect(text).to_be_focused()  # autofocus: no tap needed before typing
    opened = time.perf_counter()
    text.press_sequentially(TYPED)  # one keystroke event a character, as a keyboard sends them
    typed = time.perf_counter()
    # The engine's suggestion arrives while typing and pre-fills the two selects.
    suggestion = page.locator("#suggestion")
    expect(suggestion).to_contain_text("Gợi ý")
    expect(suggestion).to_contain_text("Môi trường")
    expect(suggestion).to_contain_text("che khi lưu")  # the phone number will be masked
    topic, attitude = page.locator("select[name=topic]"), page.locator("select[name=attitude]")
    expect(topic).to_have_value(str(environment.pk))
    expect(attitude).to_have_value(Attitude.AGGRIEVED)
    expect(topic).to_have_class(re.compile(r"\bsuggested\b"))
    suggested = time.perf_counter()
    # Area and channel come pre-set: the collaborator's only area, the collaborator channel.
    expect(page.locator("select[name=area]")).to_have_value(str(area_1.pk))
    expect(page.locator("select[name=channel]")).to_have_value(Channel.COLLABORATOR)
    _no_horizontal_scroll(page)
    _shot(page, "quick_report_phone")
    # Confirming the suggestion is submitting it as shown.
    submit = page.get_by_role("button", name="Gửi ý kiến")
    button_top = submit.evaluate("b => b.getBoundingClientRect().top + window.scrollY")
    submit.tap()
    page.wait_for_url(re.compile(r"/y-kien/nhanh/$"))
    message = page.locator(".messages")
    expect(message).to_contain_text(re.compile(r"Đã ghi nhận ý kiến #\d+"))
    elapsed = time.perf_counter() - started
    expect(message).to_contain_text("đã che thông tin cá nhân")
    _shot(page, "quick_report_done")

    item = OpinionItem.objects.get()
    assert f"#{item.pk}" in message.inner_text()
    assert "0912" not in item.text and "345 678" not in item.text and "⟨SĐT⟩" in item.text
    assert item.masked_kinds == ["phone"]
    assert item.created_by == collaborator and item.channel == Channel.COLLABORATOR
    assert item.area == area_1 and item.unit == collaborator.unit
    assert list(item.topics.all()) == [environment]
    assert item.attitude == Attitude.AGGRIEVED and item.labels_confirmed
    # The form is ready for the next one, keeping area and channel.
    expect(page.locator("textarea[name=text]")).to_have_value("")
    expect(page.locator("select[name=area]")).to_have_value(str(area_1.pk))

    # Interactions of the person: type the text, then one tap on "Gửi ý kiến" (the text field has
    # the focus when the page opens; topic, attitude, area, channel and date come pre-filled).
    _record({
        "flow": "quick_report_phone", "seconds": round(elapsed, 3),
        "page_open_s": round(opened - started, 3), "typing_s": round(typed - opened, 3),
        "suggestion_after_typing_s": round(suggested - typed, 3),
        "checks_submit_and_success_s": round(elapsed - (suggested - started), 3),
        "text_chars": len(TYPED), "typing_fields": 1, "taps": 1,
        "submit_button_top_px": round(button_top), "viewport_height_px": PHONE["height"],
    })
    assert elapsed < SCRIPTED_FLOW_BOUND_S, f"Quy trình mất {elapsed:.1f} giây"


def test_a_person_correcting_the_suggestion_keeps_the_choice(live_server, collaborator, page):
    from playwright.sync_api import expect

    from core.models import Attitude, Topic
    from intake.models import OpinionItem

    base = live_server.url
    other = Topic.objects.exclude(name="Môi trường").filter(active=True).first()
    _login(page, base, "ctv")
    page.goto(f"{base}/y-kien/nhanh/")
    text = page.locator("textarea[name=text]")
    text.press_sequentially("rac thai un u o cho hoa binh")
    topic = page.locator("select[name=topic]")
    expect(topic).not_to_have_value("")
    topic.select_option(str(other.pk))  # the person corrects the topic
    text.press_sequentially(", dan rat lo lang")  # typing on must not undo the correction
    expect(page.locator("#suggestion")).to_contain_text("lo lắng")
    expect(topic).to_have_value(str(other.pk))
    page.get_by_role("button", name="Gửi ý kiến").tap()
    expect(page.locator(".messages")).to_contain_text("Đã ghi nhận ý kiến")
    item = OpinionItem.objects.get()
    assert list(item.topics.all()) == [other]
    assert item.attitude == Attitude.WORRIED


def test_a_suggestion_for_erased_text_is_withdrawn(live_server, collaborator, page):
    from playwright.sync_api import expect

    from intake.models import OpinionItem

    base = live_server.url
    _login(page, base, "ctv")
    page.goto(f"{base}/y-kien/nhanh/")
    text = page.locator("textarea[name=text]")
    topic, attitude = page.locator("select[name=topic]"), page.locator("select[name=attitude]")
    text.press_sequentially("rac thai un u o cho, dan buc xuc")
    # Generous waits: on a loaded machine an answer can take seconds; the states are exact.
    expect(attitude).to_have_value("buc_xuc", timeout=30_000)
    expect(topic).not_to_have_value("")
    # The person erases it and writes about nothing the engine recognises.
    text.fill("")
    text.press_sequentially("xin chao ca nha minh")
    expect(topic).to_have_value("", timeout=30_000)
    expect(attitude).to_have_value("", timeout=30_000)
    expect(topic).not_to_have_class(re.compile(r"\bsuggested\b"))
    expect(page.locator("#suggestion")).to_have_text("")
    page.get_by_role("button", name="Gửi ý kiến").tap()
    expect(page.locator(".messages")).to_contain_text("Đã ghi nhận ý kiến")
    item = OpinionItem.objects.get()
    assert not item.labels_confirmed and not item.topics.exists() and item.attitude == ""


def test_an_empty_quick_report_is_refused_beside_the_field(live_server, collaborator, page):
    from playwright.sync_api import expect

    from intake.models import OpinionItem

    base = live_server.url
    _login(page, base, "ctv")
    page.goto(f"{base}/y-kien/nhanh/")
    page.get_by_role("button", name="Gửi ý kiến").tap()
    expect(page.locator(".field.has-error")).to_contain_text("Nội dung ý kiến")
    expect(page.locator(".field-error").first).to_contain_text(re.compile("[Hh]ãy nhập|bắt buộc"))
    assert not OpinionItem.objects.exists()


def test_an_answer_for_older_text_never_overrides_the_newer_one(live_server, collaborator, page):
    """The stale answer is made to happen rather than hoped for: the answer for the first text is
    held back, the text is changed, then the answer is let through. Every wait is on a state of
    the page, none on a delay, so a loaded machine only makes it slower."""
    from playwright.sync_api import expect

    base = live_server.url
    _login(page, base, "ctv")
    held: list = []
    page.route("**/y-kien/goi-y/", lambda route: held.append(route) if not held
               else route.continue_())
    page.goto(f"{base}/y-kien/nhanh/")
    text = page.locator("textarea[name=text]")
    topic, attitude = page.locator("select[name=topic]"), page.locator("select[name=attitude]")
    text.fill("rac thai un u o cho, dan buc xuc")
    for _ in range(300):  # the route handler runs when Playwright next dispatches its events
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the first suggestion request was not sent"
    # The person rewrites the text; its own request has not gone out yet.
    text.evaluate("(el) => { el.value = 'xin chao ca nha minh'; }")
    with page.expect_response("**/y-kien/goi-y/", timeout=30_000):
        held[0].continue_()
    expect(page.locator("#quick-form")).to_have_attribute("data-stale-answers", "1",
                                                          timeout=30_000)
    expect(topic).to_have_value("")
    expect(attitude).to_have_value("")
    expect(page.locator("#suggestion")).to_have_text("")


def test_a_failed_answer_withdraws_the_earlier_suggestion(live_server, collaborator, page):
    from playwright.sync_api import expect

    base = live_server.url
    _login(page, base, "ctv")
    page.goto(f"{base}/y-kien/nhanh/")
    text = page.locator("textarea[name=text]")
    topic, attitude = page.locator("select[name=topic]"), page.locator("select[name=attitude]")
    text.fill("rac thai un u o cho, dan buc xuc")
    expect(attitude).to_have_value("buc_xuc", timeout=30_000)
    page.route("**/y-kien/goi-y/", lambda route: route.fulfill(status=500, body="lỗi"))
    with page.expect_response("**/y-kien/goi-y/", timeout=30_000):
        text.fill("xin chao ca nha minh, hom nay troi dep")
    expect(topic).to_have_value("", timeout=30_000)
    expect(attitude).to_have_value("")
    expect(topic).not_to_have_class(re.compile(r"\bsuggested\b"))


# --- the residents' public form ------------------------------------------------------------------


@pytest.fixture
def quick_fill(monkeypatch):
    """A shorter minimum fill time, for tests that submit many times (the real one is 3 s)."""
    from intake import forms

    monkeypatch.setattr(forms, "MIN_FILL_SECONDS", 0.5)


def _wait_min_fill(page) -> None:
    from intake import forms

    page.wait_for_timeout(int(forms.MIN_FILL_SECONDS * 1000) + 300)


def test_anonymous_resident_gets_a_tracking_code(live_server, area_1, page):
    from playwright.sync_api import expect

    from intake.models import OpinionItem, ResidentContact

    base = live_server.url
    page.goto(f"{base}/gop-y/")
    expect(page.get_by_role("heading", name="Gửi ý kiến, kiến nghị")).to_be_visible()
    expect(page.get_by_role("button", name="Đăng xuất")).to_have_count(0)
    expect(page.locator("input[name=website]")).not_to_be_in_viewport()  # the honeypot
    _no_horizontal_scroll(page)
    page.locator("textarea[name=text]").fill(
        "Den duong ngo 7 hong ca thang nay, toi di lam ve rat so. SDT nha toi 0977.111.222"
    )
    page.locator("select[name=area]").select_option(str(area_1.pk))
    _wait_min_fill(page)  # a person takes longer than the minimum fill time
    _shot(page, "public_form_phone")
    page.get_by_role("button", name="Gửi ý kiến").tap()
    expect(page.get_by_role("heading", name="Cảm ơn bạn đã gửi ý kiến")).to_be_visible()
    code = page.locator(".tracking-code code").inner_text().strip()
    assert CODE.match(code), code
    _shot(page, "public_thanks_phone")

    item = OpinionItem.objects.get()
    assert item.tracking_code == code and item.created_by is None and not item.wants_reply
    assert "0977" not in item.text and "⟨SĐT⟩" in item.text
    assert not ResidentContact.objects.exists()
    # The code leads to the tracking page, which knows the item.
    page.get_by_role("link", name="Tra cứu ý kiến").tap()
    expect(page.locator("main")).to_contain_text(code)


def test_asking_for_a_reply_needs_contact_details(live_server, page):
    from playwright.sync_api import expect

    from intake.models import OpinionItem, ResidentContact

    base = live_server.url
    page.goto(f"{base}/gop-y/")
    typed = "Xin hỏi bao giờ sửa xong cống thoát nước ở ngõ 12?"
    page.locator("textarea[name=text]").fill(typed)
    page.get_by_label(re.compile("Tôi muốn được trả lời")).check()
    page.get_by_label("Họ tên").fill("Ngô Thị Mai")
    _wait_min_fill(page)
    page.get_by_role("button", name="Gửi ý kiến").tap()
    # Refused beside the phone field, in Vietnamese; what the resident wrote is still there.
    error = page.locator(".field.has-error")
    expect(error).to_contain_text("Số điện thoại")
    expect(error).to_contain_text(
        "Để nhận trả lời, hãy để lại số điện thoại hoặc địa chỉ thư điện tử."
    )
    expect(page.locator("textarea[name=text]")).to_have_value(typed)
    expect(page.get_by_label(re.compile("Tôi muốn được trả lời"))).to_be_checked()
    assert not OpinionItem.objects.exists()
    _shot(page, "public_reply_needs_contact")

    # Correcting at once (a person fixes a field in a second or two) is accepted; a phone shows
    # its dial pad for the number.
    expect(page.get_by_label("Số điện thoại")).to_have_attribute("type", "tel")
    page.get_by_label("Số điện thoại").fill("0977 111 222")
    page.get_by_role("button", name="Gửi ý kiến").tap()
    # Contact details are kept only with consent (issue 10): refused, the box named.
    expect(page.locator(".field.has-error")).to_contain_text("Tôi đồng ý cho lưu thông tin liên hệ")
    assert not OpinionItem.objects.exists()
    page.get_by_label(re.compile("Tôi đồng ý cho lưu thông tin liên hệ")).check()
    page.get_by_role("button", name="Gửi ý kiến").tap()
    expect(page.get_by_role("heading", name="Cảm ơn bạn đã gửi ý kiến")).to_be_visible()
    item = OpinionItem.objects.get()
    assert item.wants_reply
    contact = ResidentContact.objects.get(item=item)
    assert contact.phone == "0977111222" and contact.name == "Ngô Thị Mai"


def test_a_bad_email_is_refused_in_vietnamese(live_server, page):
    from playwright.sync_api import expect

    from intake.models import OpinionItem

    base = live_server.url
    page.goto(f"{base}/gop-y/")
    page.locator("textarea[name=text]").fill("Đề nghị lắp thêm đèn ở ngõ 7.")
    page.get_by_label(re.compile("Tôi muốn được trả lời")).check()
    page.get_by_label("Thư điện tử").fill("mai@")
    _wait_min_fill(page)
    page.get_by_role("button", name="Gửi ý kiến").tap()
    expect(page.locator(".field.has-error")).to_contain_text("Địa chỉ thư điện tử không hợp lệ.")
    assert not OpinionItem.objects.exists()


def test_the_honeypot_turns_a_bot_away(live_server, page):
    from playwright.sync_api import expect

    from intake.models import OpinionItem

    base = live_server.url
    page.goto(f"{base}/gop-y/")
    page.locator("textarea[name=text]").fill("Mua thuốc giá rẻ tại đây")
    page.locator("input[name=website]").fill("http://spam.example", force=True)  # bots fill all
    _wait_min_fill(page)
    page.get_by_role("button", name="Gửi ý kiến").tap()
    expect(page.get_by_role("alert")).to_contain_text("Không gửi được góp ý")
    assert not OpinionItem.objects.exists()


def test_a_form_sent_too_fast_is_refused(live_server, page):
    from playwright.sync_api import expect

    from intake.models import OpinionItem

    base = live_server.url
    page.goto(f"{base}/gop-y/")
    page.locator("textarea[name=text]").fill("Ý kiến gửi ngay")
    page.get_by_role("button", name="Gửi ý kiến").tap()  # well inside the minimum fill time
    expect(page.get_by_role("alert")).to_contain_text("Bạn gửi nhanh quá")
    expect(page.locator("textarea[name=text]")).to_have_value("Ý kiến gửi ngay")
    assert not OpinionItem.objects.exists()


def test_throttle_refuses_in_vietnamese_after_the_limit(live_server, page, quick_fill,
                                                        monkeypatch):
    from playwright.sync_api import expect

    from intake.models import OpinionItem
    from intake.services import public as services  # where the throttle reads its limit

    monkeypatch.setattr(services, "PUBLIC_LIMIT", 2)
    base = live_server.url
    statuses = []
    for number in range(1, services.PUBLIC_LIMIT + 2):
        page.goto(f"{base}/gop-y/")
        page.locator("textarea[name=text]").fill(f"Góp ý số {number} về rác ở chợ Hòa Bình.")
        _wait_min_fill(page)
        with page.expect_response(lambda r: r.request.method == "POST") as sent:
            page.get_by_role("button", name="Gửi ý kiến").tap()
        statuses.append(sent.value.status)
        if number <= services.PUBLIC_LIMIT:
            expect(page.get_by_role("heading", name="Cảm ơn bạn đã gửi ý kiến")).to_be_visible()
    assert statuses == [200] * services.PUBLIC_LIMIT + [429]
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(f"Bạn đã gửi {services.PUBLIC_LIMIT} góp ý trong 10 phút qua")
    expect(alert).to_contain_text("thử lại sau ít phút")
    # What the resident wrote stays on the page, to send later.
    expect(page.locator("textarea[name=text]")).to_contain_text("Góp ý số 3")
    assert OpinionItem.objects.count() == services.PUBLIC_LIMIT
    _shot(page, "public_throttled")
