"""The Content-Security-Policy (issue 10 "Browser side"; core/csp.py): on every answer, with no
inline script the policy would have to allow, and relaxed only where ODK Web Forms needs it."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_every_kind_of_page_carries_the_policy(an, vanphong):
    office = Client()
    office.force_login(vanphong)
    answers = [
        Client().get("/dang-nhap/"),  # public
        Client().get("/gop-y/"),  # the residents' form
        office.get("/"),  # a signed-in page
        office.get("/nhat-ky/"),
        Client().get("/api/v1/docs/"),  # Swagger UI, its start-up script a file of its own
        Client().get("/khong-co-trang-nay/"),  # an error page
    ]
    for response in answers:
        csp = policy(response)
        assert csp["script-src"][0] == "'self'", response.request["PATH_INFO"]
        assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp[
            "script-src"]
        assert any(v.startswith("'nonce-") for v in csp["script-src"]) or len(
            csp["script-src"]) == 1
        assert csp["style-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
        assert csp["frame-ancestors"] == ["'none'"] and csp["form-action"] == ["'self'"]
    docs = answers[4].content.decode()
    assert "<script>" not in docs and 'src="/api/v1/docs/?script="' in docs


def _templates() -> list[Path]:
    folders = [ROOT / "templates", *ROOT.glob("*/templates")]
    return [path for folder in folders for path in folder.rglob("*.html")]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=\"\{\{ request\.csp_nonce)"
                           r"(?![^>]*type=\"application/(ld\+)?json\")[^>]*>", re.I)
EVENT_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def test_no_template_has_an_unmarked_inline_script():
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_ATTRIBUTE, JS_URL):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0)[:60]}")
    assert len(_templates()) > 100
    assert not offenders, "Inline script the CSP refuses (use static/js or a nonce):\n" + "\n".join(
        offenders)


def test_the_checker_finds_what_it_looks_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/page.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script nonce="{{ request.csp_nonce }}">x()</script>')
    assert EVENT_ATTRIBUTE.search('<form method="post" onsubmit="return confirm(1)">')
    assert not EVENT_ATTRIBUTE.search('<form method="post" data-confirm="Chắc chưa?">')
    assert JS_URL.search('<a href="javascript:history.back()">')


def test_the_webform_page_gets_its_relaxed_header_through_the_middleware(vanphong, settings):
    """Served as a page: the header itself carries the webform's additions, others do not."""
    from django.urls import path

    from surveys.collect.webform import webform_page

    def view(request):
        return webform_page(request, title="Phiếu", form_url="/f.xml", submit_url="/nop/")

    import longdan.urls

    settings.ROOT_URLCONF = type("U", (), {"urlpatterns": [
        path("thu-phieu/", view), *longdan.urls.urlpatterns]})
    csp = policy(Client().get("/thu-phieu/"))
    assert "'wasm-unsafe-eval'" in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" in csp["style-src"] and "data:" in csp["font-src"]
    other = policy(Client().get("/dang-nhap/"))
    assert "'wasm-unsafe-eval'" not in other["script-src"]
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["default-src"] == ["'self'"]


def test_the_api_docs_page_has_no_inline_style_or_script(an):
    """Swagger UI's page (drf-spectacular's template, overridden in templates/drf_spectacular/):
    its inline <style> moved to static/css/swagger.css, its start-up script served from a URL."""
    from django.test import Client

    client = Client()
    client.force_login(an)
    html = client.get("/api/v1/docs/").content.decode()
    assert "<style" not in html
    assert "css/swagger" in html and "swagger-ui-bundle" in html
    assert all(' src="' in tag for tag in html.split("<script")[1:])
