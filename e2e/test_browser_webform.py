"""Survey web form in Chromium: ODK Web Forms renders pyxform's XForm, skip logic works, the
response reaches the server as OpenRosa multipart, offline responses wait in the browser.

The pages are served by ``surveys.collect.webform`` under a URLconf of this module (a harness:
the real survey routes live in ``surveys.urls``): a form endpoint returning XForms that pyxform
builds from the XLSForms below, and a submission endpoint that records the posted instance XML.
Runs against pytest-django's live server with Debian's Chromium driven by Playwright; skipped with
the reason when /usr/bin/chromium is absent. The open time of a 200-question form is printed and,
with LONGDAN_WEBFORM_PERF=<file>, written there (the figure in /work/notes/B_PERF.md came so).
"""

from __future__ import annotations

import functools
import os
import re
import statistics
import time
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse

from surveys.collect.webform import service_worker, webform_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.urls(__name__),
]

VI = "Tiếng Việt"


# --- XLSForms (pyxform's dict form of a workbook) ------------------------------------------------

def _skip_form() -> dict:
    return {
        "survey": [
            {"type": "select_one yn", "name": "biet", "required": "yes",
             "label": "Ông/bà có biết chủ trương mở rộng chợ Hòa Bình không?"},
            {"type": "text", "name": "nguon", "label": "Ông/bà biết qua kênh nào?",
             "relevant": "${biet} = 'co'"},
            {"type": "integer", "name": "tuoi", "label": "Tuổi của người trả lời",
             "constraint": ". >= 18 and . <= 120",
             "constraint_message": "Tuổi phải từ 18 đến 120."},
        ],
        "choices": [
            {"list_name": "yn", "name": "co", "label": "Có"},
            {"list_name": "yn", "name": "khong", "label": "Không"},
        ],
        "settings": [{"form_title": "Khảo sát chợ Hòa Bình", "form_id": "cho_hoa_binh",
                      "version": "2026-01"}],
    }


def _features_form() -> dict:
    """Every type and column the issue lists, in two languages (Vietnamese the default)."""
    def row(type_, name, vi="", en="", **more):
        labels = {f"label::{VI}": vi, "label::English": en} if vi else {}
        return {"type": type_, "name": name, **labels, **more}

    survey = [
        row("note", "gioi_thieu", "Phiếu hỏi ý kiến về chỉnh trang đô thị.",
            "Questionnaire on urban upgrading."),
        row("text", "ho_ten_ctv", "Tên điều tra viên", "Interviewer name", required="yes"),
        row("integer", "so_nguoi", "Số người trong hộ", "Household size",
            constraint=". > 0 and . < 30", default="4"),
        row("decimal", "thu_nhap", "Thu nhập bình quân (triệu đồng/tháng)",
            "Average income (million VND/month)"),
        row("date", "ngay", "Ngày phỏng vấn", "Interview date"),
        row("select_one khu", "khu", "Khu vực", "Area", required="yes"),
        row("select_one to", "to", "Tổ dân phố", "Neighbourhood", choice_filter="khu=${khu}"),
        row("select_multiple chude or_other", "chu_de", "Vấn đề quan tâm", "Concerns"),
        row("rank chude", "uu_tien", "Sắp xếp theo mức ưu tiên", "Rank by priority"),
        row("calculate", "tong", calculation="${so_nguoi} * 2"),
        row("begin_group", "nha_o", "Nhà ở", "Housing"),
        row("select_one yn", "co_nha", "Có nhà riêng?", "Own a house?"),
        row("end_group", ""),
        row("begin_repeat", "thanh_vien", "Thành viên", "Member"),
        row("text", "ten_tv", "Tên", "Name"),
        row("integer", "tuoi_tv", "Tuổi", "Age", relevant="${ten_tv} != ''"),
        row("end_repeat", ""),
    ]
    choices = [
        {"list_name": "yn", "name": "co", f"label::{VI}": "Có", "label::English": "Yes"},
        {"list_name": "yn", "name": "khong", f"label::{VI}": "Không", "label::English": "No"},
        {"list_name": "khu", "name": "bac", f"label::{VI}": "Khu Bắc", "label::English": "North"},
        {"list_name": "khu", "name": "nam", f"label::{VI}": "Khu Nam", "label::English": "South"},
        {"list_name": "to", "name": "to1", f"label::{VI}": "Tổ 1", "label::English": "Group 1",
         "khu": "bac"},
        {"list_name": "to", "name": "to2", f"label::{VI}": "Tổ 2", "label::English": "Group 2",
         "khu": "bac"},
        {"list_name": "to", "name": "to7", f"label::{VI}": "Tổ 7", "label::English": "Group 7",
         "khu": "nam"},
        {"list_name": "chude", "name": "rac", f"label::{VI}": "Rác thải",
         "label::English": "Waste"},
        {"list_name": "chude", "name": "ngap", f"label::{VI}": "Ngập úng",
         "label::English": "Flooding"},
        {"list_name": "chude", "name": "giao_thong", f"label::{VI}": "Giao thông",
         "label::English": "Traffic"},
    ]
    return {
        "survey": survey,
        "choices": choices,
        "settings": [{"form_title": "Chỉnh trang đô thị", "form_id": "chinh_trang",
                      "version": "1", "default_language": VI}],
    }


def _big_form(questions: int = 200) -> dict:
    """A 200-question form: mixed types, in groups of 20, with some skip logic."""
    survey: list[dict] = []
    kinds = ["select_one muc", "text", "integer", "select_multiple chude2", "date"]
    for index in range(questions):
        if index % 20 == 0:
            survey.append({"type": "begin_group", "name": f"phan_{index // 20 + 1}",
                           "label": f"Phần {index // 20 + 1}"})
        row = {"type": kinds[index % len(kinds)], "name": f"c{index + 1}",
               "label": f"Câu {index + 1}: ý kiến của ông/bà về nội dung số {index + 1}?"}
        if index % 5 == 1 and index > 1:
            row["relevant"] = f"${{c{index}}} != 'rat_khong_dong_y'"
        survey.append(row)
        if index % 20 == 19:
            survey.append({"type": "end_group", "name": ""})
    levels = ["rat_dong_y", "dong_y", "trung_lap", "khong_dong_y", "rat_khong_dong_y"]
    labels = ["Rất đồng ý", "Đồng ý", "Trung lập", "Không đồng ý", "Rất không đồng ý"]
    choices = [{"list_name": "muc", "name": n, "label": lab} for n, lab in zip(levels, labels,
                                                                                strict=True)]
    choices += [{"list_name": "chude2", "name": f"cd{i}", "label": f"Chủ đề {i}"}
                for i in range(1, 7)]
    return {"survey": survey, "choices": choices,
            "settings": [{"form_title": "Phiếu 200 câu", "form_id": "phieu_200", "version": "1"}]}


FORMS = {"skip": _skip_form, "features": _features_form, "big": _big_form}


@functools.cache
def xform(name: str) -> str:
    from pyxform.xls2xform import convert

    return convert(xlsform=FORMS[name]()).xform


# --- harness views: a form endpoint and a submission endpoint that records what it gets ---------

RECEIVED: list[str] = []
REJECT: dict[str, str] = {}


def page_view(request: HttpRequest, name: str) -> HttpResponse:
    return webform_page(
        request,
        title=f"Phiếu thử: {name}",
        form_url=reverse("wf_form", args=[name]),
        submit_url=reverse("wf_submit"),
        extra={"intro": "Phiếu dùng cho kiểm thử.", "interviewer": "Nguyễn Văn An"},
    )


def form_view(request: HttpRequest, name: str) -> HttpResponse:
    if name not in FORMS:
        return HttpResponse("Phiếu khảo sát này đã đóng.", status=410,
                            content_type="text/plain; charset=utf-8")
    return HttpResponse(xform(name), content_type="text/xml; charset=utf-8")


def _openrosa(message: str, status: int) -> HttpResponse:
    nature = "submit_success" if status < 300 else "error"
    body = (
        '<OpenRosaResponse xmlns="http://openrosa.org/http/response">'
        f'<message nature="{nature}">{message}</message></OpenRosaResponse>'
    )
    response = HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    response["X-OpenRosa-Version"] = "1.0"
    return response


def submit_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405)
    if REJECT.get("message"):
        return _openrosa(REJECT["message"], 400)
    RECEIVED.append(request.FILES["xml_submission_file"].read().decode("utf-8"))
    return _openrosa("Đã nhận phiếu.", 201)


urlpatterns = [
    path("khao-sat/sw.js", service_worker, name="survey_webform_sw"),
    path("khao-sat/nop/", submit_view, name="wf_submit"),
    path("khao-sat/<slug:name>/", page_view, name="wf_page"),
    path("khao-sat/<slug:name>/form.xml", form_view, name="wf_form"),
]


# --- browser fixtures --------------------------------------------------------------------------

@pytest.fixture
def harness():
    RECEIVED.clear()
    REJECT.clear()
    yield RECEIVED
    RECEIVED.clear()
    REJECT.clear()


@pytest.fixture
def page(browser, harness):
    errors: list[str] = []
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    opened = context.new_page()
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    yield opened
    context.close()
    assert not errors, f"Lỗi JavaScript trên trang: {errors}"


def _shot(page, name: str) -> None:
    folder = os.environ.get("LONGDAN_E2E_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _values(xml: str) -> dict[str, str]:
    """Leaf name → text of an instance document, namespaces dropped."""
    tree = ElementTree.fromstring(xml)
    return {el.tag.split("}")[-1]: (el.text or "") for el in tree.iter() if len(el) == 0}


def _question(page, label: str):
    return page.locator(".question-container").filter(has_text=label)


def _type(field, text: str) -> None:
    """Type as a person does: PrimeVue's number input reads key presses, not a pasted value."""
    field.click()
    field.press("Control+a")
    field.press("Backspace")
    field.press_sequentially(text)
    field.blur()


def _wait_received(count: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while len(RECEIVED) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(RECEIVED) >= count, f"máy chủ nhận {len(RECEIVED)} phiếu, chờ {count}"


def _open(page, base: str, name: str):
    page.goto(f"{base}/khao-sat/{name}/")
    page.locator(".question-container").first.wait_for(state="visible")


# --- tests ---------------------------------------------------------------------------------------

def test_skip_logic_then_submit_reaches_the_server_as_instance_xml(live_server, page, harness):
    from playwright.sync_api import expect

    _open(page, live_server.url, "skip")
    knows = _question(page, "có biết chủ trương")
    source = _question(page, "biết qua kênh nào")
    age = _question(page, "Tuổi của người trả lời")
    # ODK's engine evaluates `relevant`: the follow-up is not there until the answer is "co".
    expect(source).to_have_count(0)
    knows.get_by_label("Không").check()
    expect(source).to_have_count(0)
    knows.get_by_label("Có").check()
    expect(source).to_be_visible()
    source.locator("input").fill("Loa phát thanh của tổ dân phố")

    # A constraint from the XLSForm is enforced with the form's own message.
    _type(age.locator("input"), "15")
    page.get_by_role("button", name="Gửi phiếu").click()
    expect(age).to_contain_text("Tuổi phải từ 18 đến 120.")
    assert harness == []
    _type(age.locator("input"), "47")
    _shot(page, "webform_filled")
    page.get_by_role("button", name="Gửi phiếu").click()

    _wait_received(1)
    expect(page.locator("#survey-status")).to_have_attribute("data-state", "sent")
    expect(page.locator("#survey-status")).to_contain_text("Đã gửi")
    values = _values(harness[0])
    assert values["biet"] == "co"
    assert values["nguon"] == "Loa phát thanh của tổ dân phố"
    assert values["tuoi"] == "47"
    assert re.fullmatch(r"uuid:[0-9a-f-]{36}", values["instanceID"])
    root = ElementTree.fromstring(harness[0])
    assert root.get("id") == "cho_hoa_binh" and root.get("version") == "2026-01"

    # Interviewer mode: an empty form for the next respondent, with a new instanceID.
    expect(knows.get_by_label("Có")).not_to_be_checked()
    expect(source).to_have_count(0)
    knows.get_by_label("Không").check()
    page.get_by_role("button", name="Gửi phiếu").click()
    _wait_received(2)
    second = _values(harness[1])
    # A question skipped by `relevant` is left out of the instance, as in ODK Collect.
    assert second["biet"] == "khong" and "nguon" not in second
    assert second["instanceID"] != values["instanceID"]


def test_server_refusal_is_shown_as_is_and_the_answers_stay(live_server, page, harness):
    from playwright.sync_api import expect

    REJECT["message"] = "Cuộc khảo sát đã kết thúc, không nhận thêm phiếu."
    _open(page, live_server.url, "skip")
    _question(page, "có biết chủ trương").get_by_label("Có").check()
    page.get_by_role("button", name="Gửi phiếu").click()
    status = page.locator("#survey-status")
    expect(status).to_have_attribute("data-state", "error")
    expect(status).to_have_text("Cuộc khảo sát đã kết thúc, không nhận thêm phiếu.")
    expect(_question(page, "có biết chủ trương").get_by_label("Có")).to_be_checked()
    assert harness == []
    assert page.evaluate("window.longdanSurveyOutbox.waiting()") == []


def test_a_form_that_cannot_be_loaded_says_why(live_server, page, harness):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/khao-sat/da-dong/")
    status = page.locator("#survey-status")
    expect(status).to_have_attribute("data-state", "error")
    expect(status).to_have_text("Phiếu khảo sát này đã đóng.")
    expect(page.locator(".question-container")).to_have_count(0)


def test_offline_response_waits_in_the_browser_and_is_sent_when_back_online(
    live_server, page, harness
):
    from playwright.sync_api import expect

    _open(page, live_server.url, "skip")
    # The service worker has kept the page, the engine and the form XML.
    page.wait_for_function(
        "async () => (await caches.keys()).length > 0 && "
        "(await (await caches.open((await caches.keys())[0])).keys()).length >= 4"
    )
    page.context.set_offline(True)
    _question(page, "có biết chủ trương").get_by_label("Có").check()
    _question(page, "biết qua kênh nào").locator("input").fill("Họp tổ dân phố")
    page.get_by_role("button", name="Gửi phiếu").click()
    status = page.locator("#survey-status")
    expect(status).to_have_attribute("data-state", "queued")
    expect(status).to_contain_text("Đã lưu trên máy, sẽ gửi khi có mạng")
    expect(page.locator("#survey-outbox")).to_have_attribute("data-count", "1")
    assert harness == []

    # Without network the form opens again from the service worker's cache.
    page.reload()
    page.locator(".question-container").first.wait_for(state="visible")
    expect(page.locator("#survey-outbox")).to_have_attribute("data-count", "1")
    _shot(page, "webform_offline")

    page.context.set_offline(False)  # fires `online`: the kept response is sent
    # The `online` event normally sends it at once; if the browser misses it, the 30 s retry does.
    _wait_received(1, timeout=45.0)
    expect(page.locator("#survey-outbox")).to_have_attribute("data-count", "0")
    values = _values(harness[0])
    assert values["nguon"] == "Họp tổ dân phố"
    assert values["instanceID"].startswith("uuid:")


def test_every_listed_xlsform_feature_works_in_two_languages(live_server, page, harness):
    from playwright.sync_api import expect

    _open(page, live_server.url, "features")
    assert page.locator(".form-initialization-status.error").count() == 0
    # Vietnamese is the default language; `default` and `choice_filter` come from the form.
    expect(page.get_by_text("Tên điều tra viên")).to_be_visible()
    _question(page, "Tên điều tra viên").locator("input").fill("Nguyễn Văn An")
    expect(_question(page, "Số người trong hộ").locator("input")).to_have_value("4")
    _type(_question(page, "Thu nhập bình quân").locator("input"), "7,5")
    _type(_question(page, "Ngày phỏng vấn").locator("input"), "15/01/2026")
    page.keyboard.press("Escape")
    neighbourhood = _question(page, "Tổ dân phố")
    _question(page, "Khu vực").get_by_label("Khu Nam").check()
    expect(neighbourhood.get_by_label("Tổ 7")).to_be_visible()
    expect(neighbourhood.get_by_label("Tổ 1")).to_have_count(0)
    neighbourhood.get_by_label("Tổ 7").check()
    # select_multiple with or_other: choosing "Other" brings pyxform's follow-up question.
    concerns = _question(page, "Vấn đề quan tâm")
    concerns.get_by_label("Ngập úng").check()
    concerns.get_by_label("Other").check()
    _question(page, "Specify other").locator("input").fill("Tiếng ồn karaoke")
    page.get_by_role("button", name="Sắp xếp thứ tự").click()  # rank: accept the order shown
    _question(page, "Có nhà riêng?").get_by_label("Có").check()
    # repeat: one instance to start with, a second one added.
    page.get_by_role("button", name=re.compile("Thêm")).click()
    names = page.locator(".question-container").filter(has_text=re.compile("^Tên$"))
    expect(names).to_have_count(2)
    names.nth(0).locator("input").fill("Lan")
    names.nth(1).locator("input").fill("Minh")
    _shot(page, "webform_features")
    page.get_by_role("button", name="Gửi phiếu").click()

    _wait_received(1)
    values = _values(harness[0])
    assert values["ho_ten_ctv"] == "Nguyễn Văn An"
    assert values["so_nguoi"] == "4" and values["tong"] == "8"  # default, then calculate
    assert float(values["thu_nhap"]) == 7.5
    assert values["ngay"] == "2026-01-15"
    assert values["khu"] == "nam" and values["to"] == "to7"
    assert values["chu_de"].split() == ["ngap", "other"]
    assert values["chu_de_other"] == "Tiếng ồn karaoke"
    assert sorted(values["uu_tien"].split()) == ["giao_thong", "ngap", "other", "rac"]
    assert values["co_nha"] == "co"
    members = [el for el in ElementTree.fromstring(harness[0]).iter()
               if el.tag.split("}")[-1] == "ten_tv"]
    assert [el.text for el in members] == ["Lan", "Minh"]

    # The other language of the form, on the fresh form for the next respondent.
    page.locator("[aria-label='đổi ngôn ngữ']:visible").click()
    page.get_by_role("option", name="English").click()
    expect(page.get_by_text("Interviewer name")).to_be_visible()
    expect(_question(page, "Area").get_by_label("South")).not_to_be_checked()


def test_a_200_question_form_opens_quickly(live_server, page, harness):
    base = live_server.url
    xform("big")  # converted once, outside the timing
    _open(page, base, "big")  # the first load fills the browser's cache, as for a returning user
    assert page.locator(".question-container").count() >= 160  # 200 less those hidden by skip logic
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        _open(page, base, "big")
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings)
    line = (f"200-question form, load to first question visible: median {median:.2f} s "
            f"over {len(timings)} loads ({', '.join(f'{t:.2f}' for t in timings)})")
    print(line)
    if os.environ.get("LONGDAN_WEBFORM_PERF"):
        with open(os.environ["LONGDAN_WEBFORM_PERF"], "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    assert median < 15, line  # a sanity bound only; the 2 s target is measured, not asserted
