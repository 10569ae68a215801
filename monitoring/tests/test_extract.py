import pytest

from monitoring import extract
from monitoring.tests.server import FIXTURES

HTML = {"content-type": "text/html; charset=utf-8"}


def test_article_kept_boilerplate_dropped():
    body = (FIXTURES / "article.html").read_bytes()
    art = extract.article(body, "http://bao.example/a", HTML)
    assert art.title == "Phường Hòa Bình nâng cấp tuyến đường ven sông"
    assert art.published_at and art.published_at.date().isoformat() == "2026-11-20"
    assert "khởi công nâng cấp tuyến đường ven sông Cấm" in art.text
    assert "bảo đảm an toàn giao thông" in art.text  # the last paragraph too
    for boilerplate in (
        "Trang chủ",
        "Tin liên quan",
        "Giá vàng",
        "Bình luận",
        "Lê Văn Khánh",
        "Bản quyền",
        "Đăng ký nhận bản tin",
        "Trần Thị Bích Ngọc",
    ):
        assert boilerplate not in art.text


def test_not_a_page():
    with pytest.raises(extract.ExtractError, match="không phải trang tin"):
        extract.article(b"%PDF-1.4", "http://x/a.pdf", {"content-type": "application/pdf"})


def test_bad_encoding():
    with pytest.raises(extract.ExtractError, match="bảng mã"):
        extract.article(
            "<p>Hòa Bình</p>".encode("utf-16"), "http://x/a", {"content-type": "text/html"}
        )


def test_broken_feed():
    with pytest.raises(extract.ExtractError, match="RSS/Atom"):
        extract.feed_entries(b"<rss><channel><item><title>x</titl", "http://x/rss")


def test_kind_detected():
    assert extract.feed_kind(b'<?xml version="1.0"?><rss version="2.0">') == "rss"
    assert extract.feed_kind(b'<feed xmlns="http://www.w3.org/2005/Atom">') == "atom"
    assert extract.feed_kind(b"<urlset><url><loc>http://x/a</loc></url></urlset>") == "sitemap"
    assert extract.feed_kind(b"<!DOCTYPE html><html>") == "page"
