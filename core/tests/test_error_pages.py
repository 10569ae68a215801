"""Every error page is Vietnamese, in the site's layout (issue 17): 400, 403, 404, 500, CSRF.

The test settings run with DEBUG=False, so Django serves the templates a reader would see."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("core.tests.error_urls")]

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'


def _page(response, status: int) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="vi">' in html and 'lang="en"' not in html
    assert VIEWPORT in html and "css/app.css" in html  # the site's look, and a phone layout
    assert 'class="card error-page"' in html and 'href="/"' in html  # a way home
    return html


def test_debug_is_off_in_tests():
    assert settings.DEBUG is False


def test_an_unknown_address_is_a_vietnamese_404(client):
    html = _page(client.get("/khong-co-trang-nay/"), 404)
    assert "Không tìm thấy trang" in html and "/khong-co-trang-nay/" in html
    assert "Not Found" not in html and "requested resource" not in html


def test_a_signed_in_reader_keeps_the_site_navigation_on_a_404(client, an):
    client.force_login(an)
    html = _page(client.get("/khong-co-trang-nay/"), 404)
    assert "Đăng xuất" in html


def test_a_refusal_shows_its_vietnamese_reason(client):
    html = _page(client.get("/loi/403/"), 403)
    assert "Đồng chí không có quyền thực hiện việc này" in html
    assert "Chỉ Ban Xây dựng Đảng được xem trang này." in html


def test_an_english_refusal_reason_is_replaced_by_a_vietnamese_one(client):
    html = _page(client.get("/loi/403-en/"), 403)
    assert "You do not have permission" not in html and "Forbidden" not in html
    assert "không được giao quyền" in html


def test_a_suspicious_request_is_a_vietnamese_400(client):
    html = _page(client.get("/loi/400/"), 400)
    assert "Yêu cầu không hợp lệ" in html and "Bad Request" not in html


def test_a_crash_is_a_vietnamese_500_without_a_request_context():
    client = Client(raise_request_exception=False)
    html = _page(client.get("/loi/500/"), 500)
    assert "Hệ thống gặp sự cố" in html and "Server Error" not in html
    assert "boom" not in html  # nothing of the failure leaks to the reader


def test_a_post_without_its_csrf_token_says_the_session_or_form_expired(an):
    client = Client(enforce_csrf_checks=True)
    client.force_login(an)
    html = _page(client.post("/thong-bao/", {"x": "1"}), 403)
    assert "Phiên làm việc đã hết hạn hoặc biểu mẫu đã cũ" in html
    assert "Đăng nhập lại" in html and "/dang-nhap/?next=%2Fthong-bao%2F" in html
    assert "CSRF" not in html and "Forbidden" not in html


def test_the_api_keeps_json_errors(client, an):
    response = client.get("/api/v1/khong-co/")
    assert response.status_code == 404 and response.json()["detail"].startswith("Không có")


def test_a_csrf_refusal_under_the_api_is_json(rf):
    from core.views import csrf_failure

    response = csrf_failure(rf.post("/api/v1/token/"), reason="CSRF cookie not set.")
    assert response.status_code == 403 and response["Content-Type"] == "application/json"
