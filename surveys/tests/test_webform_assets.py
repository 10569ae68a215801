"""The web form's assets and page: ODK Web Forms built at set-up, served locally, nothing fetched
from the internet; the page carries the URLs the glue needs and no staff navigation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import path

from surveys.collect.webform import service_worker, webform_page

VENDOR = Path(settings.BASE_DIR) / "static" / "vendor" / "odk-webform"
BUNDLE = VENDOR / "odk-webform.js"
STYLES = VENDOR / "odk-webform.css"
NOT_BUILT = (
    "Chưa có bản đóng gói ODK Web Forms: chạy `make setup` (npm ci rồi node webform/build.mjs)."
)

# Addresses that appear in the bundle but are never fetched: XML namespaces and coordinate
# reference names the engine compares strings with, links a person may click, a comment.
NEVER_FETCHED = (
    "http://www.w3.org/",
    "http://openrosa.org/xforms",
    "http://openrosa.org/javarosa",
    "http://www.opendatakit.org/xforms",
    "http://enketo.org/xforms",
    "http://www.opengis.net/",
    "https://getodk.org",  # the "ODK" link under the form
    "https://www.openstreetmap.org/copyright",  # map attribution link
    "https://vuejs.org/error-reference/",  # text of Vue's error messages
    "https://iquilezles.org/articles/",  # a source comment kept as a string
)
URL = re.compile(r"""https?://[^\s"'`()<>\\]+""")


def _read(file: Path) -> str:
    assert file.exists(), NOT_BUILT
    return file.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def bundle() -> str:
    return _read(BUNDLE)


def test_bundle_is_built_with_the_engine_and_its_own_fonts(bundle):
    assert len(bundle) > 1_000_000  # the engine, Vue and PrimeVue, not a stub
    assert "window.LongdanWebForm" in bundle or "LongdanWebForm=" in bundle
    assert "longdan-webform-ready" in bundle
    assert re.search(r'"0\.\d+\.\d+"', bundle)  # the engine version, shown under the form
    # Roboto (with its Vietnamese subset, U+1EA0-1EF9) and the XPath parser's WebAssembly are
    # inside the bundle, not files to fetch.
    assert "data:font/woff2;base64," in bundle and "U+1EA0-1EF9" in bundle
    assert "data:application/wasm;base64," in bundle
    assert _read(STYLES).strip()
    assert "@getodk/web-forms" in _read(VENDOR / "LICENSES.txt")


def test_bundle_fetches_nothing_from_the_internet(bundle):
    addresses = set(URL.findall(bundle)) | set(URL.findall(_read(STYLES)))
    fetched = sorted(a for a in addresses if not a.startswith(NEVER_FETCHED))
    assert fetched == [], f"địa chỉ Internet trong bản đóng gói: {fetched}"
    # Map widgets get no OpenStreetMap tiles (build.mjs removes the default tile server).
    assert "tile.openstreetmap.org" not in bundle
    # Stylesheet resources are inline (data:) or in-document (#id) only.
    for text in (bundle, _read(STYLES)):
        for target in re.findall(r"url\(\s*['\"]?([^'\")\s]+)", text):
            assert target.startswith(("data:", "%23", "#")), target


def test_engine_interface_speaks_vietnamese(bundle):
    assert "Gửi phiếu" in bundle
    assert "Câu hỏi này bắt buộc phải trả lời." in bundle
    assert 'label:"Send"' not in bundle
    assert "Condition not satisfied: required" not in bundle


# --- the page ----------------------------------------------------------------------------------

def _page(request: HttpRequest) -> HttpResponse:
    return webform_page(
        request,
        title="Ý kiến về <mở rộng> chợ",
        form_url="/khao-sat/7/phien-ban/3/form.xml?a=1&b=2",
        submit_url="/khao-sat/7/nop/",
        extra={"intro": "Phiếu ẩn danh.", "back_url": "/khao-sat/7/", "interviewer": "Chị An"},
    )


def _plain_page(request: HttpRequest) -> HttpResponse:
    return webform_page(request, title="Phiếu", form_url="/f.xml", submit_url="/nop/")


urlpatterns = [
    path("khao-sat/sw.js", service_worker, name="survey_webform_sw"),
    path("khao-sat/7/phieu/", _page),
    path("khao-sat/8/phieu/", _plain_page),
]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_page_carries_the_urls_and_the_csrf_cookie(client):
    response = client.get("/khao-sat/7/phieu/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-form-url="/khao-sat/7/phien-ban/3/form.xml?a=1&amp;b=2"' in html
    assert 'data-submit-url="/khao-sat/7/nop/"' in html
    assert 'data-sw-url="/khao-sat/sw.js"' in html  # the named route, found by itself
    assert 'data-reset-after-submit="1"' in html
    token = re.search(r'data-csrf-token="([^"]+)"', html)
    assert token and len(token.group(1)) >= 32
    assert "csrftoken" in response.cookies  # the glue reads it, also for responses sent later
    assert '<script type="module" src="/static/vendor/odk-webform/odk-webform.js">' in html
    assert '<script type="module" src="/static/js/survey-webform.js">' in html
    assert 'href="/static/vendor/odk-webform/odk-webform.css"' in html
    # Escaped, in Vietnamese, with the interviewer's name and a way back; no staff navigation.
    assert "Ý kiến về &lt;mở rộng&gt; chợ" in html and "<mở rộng>" not in html
    assert 'lang="vi"' in html and "Đang tải phiếu khảo sát" in html
    assert "Điều tra viên: Chị An" in html and 'href="/khao-sat/7/"' in html
    assert "mainnav" not in html and "Đăng xuất" not in html


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_staff_navigation_stays_hidden_for_a_signed_in_interviewer(client, an):
    client.force_login(an)
    html = client.get("/khao-sat/8/phieu/").content.decode()
    assert "mainnav" not in html and "Đăng xuất" not in html
    assert "Điều tra viên" not in html  # only when the view names the interviewer


@pytest.mark.urls(__name__)
def test_service_worker_is_served_with_a_scope_for_the_survey_pages(client):
    response = client.get("/khao-sat/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert "longdan-precache" in body and "addEventListener('fetch'" in body
    assert client.post("/khao-sat/sw.js").status_code == 405
