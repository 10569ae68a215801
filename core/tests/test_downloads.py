"""A long download tells the page when it has arrived (core.downloads)."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import RequestFactory

from core.downloads import COOKIE, DownloadTokenMiddleware


def _run(query: str):
    middleware = DownloadTokenMiddleware(lambda request: HttpResponse(b"PK..."))
    return middleware(RequestFactory().get(f"/khao-sat/x/bao-cao.docx{query}"))


def test_the_token_comes_back_as_a_cookie_the_page_can_read():
    response = _run("?dl=abc123def456")
    cookie = response.cookies[COOKIE]
    assert cookie.value == "abc123def456" and not cookie["httponly"]
    assert int(cookie["max-age"]) == 120 and response.content == b"PK..."


def test_no_token_or_a_malformed_one_sets_nothing():
    for query in ("", "?dl=", "?dl=short", "?dl=<script>alert(1)</script>", "?dl=" + "a" * 40):
        assert COOKIE not in _run(query).cookies
