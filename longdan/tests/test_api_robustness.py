"""Issue 16, finding 8: bad input to /api/v1/ answers 400/404/405 with a Vietnamese message.

Oversized ids, deep JSON, unknown paths, DRF's own errors (parse, method, media type,
authentication, validation) and form posts that are not UTF-8. No answer is a 500 and no message
is an English sentence.
"""

from __future__ import annotations

import json
import re

import pytest
from rest_framework.test import APIClient

from core import tokens

HUGE = "99999999999999999999"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(user)[1]}")
    return client


_ENGLISH = re.compile(r"\b(?:the|this|is|not|must|be|field|valid|found|required|allowed)\b", re.I)


def _vietnamese_error(response) -> str:
    body = response.json()
    assert set(body) >= {"detail", "field"}, body
    detail = body["detail"]
    assert not detail.isascii(), detail  # Vietnamese has diacritics
    assert not _ENGLISH.search(detail), detail
    for message in re.findall(r'"((?:[^"\\]|\\.)*)"', json.dumps(body.get("errors", {}))):
        assert not (message.isascii() and _ENGLISH.search(message)), message
    return detail


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/reports/?template={HUGE}",
        f"/api/v1/reports/?unit={HUGE}",
        f"/api/v1/reports/?unit=-{HUGE}",
        f"/api/v1/answers/?issue={HUGE}",
        f"/api/v1/items/?area={HUGE}",
        f"/api/v1/items/?topic={HUGE}",
        f"/api/v1/issues/?owner_unit={HUGE}",
        f"/api/v1/issues/?topic={HUGE}",
        f"/api/v1/compliance/?period=2026-11&template={HUGE}",
        "/api/v1/reports/?template=" + "9" * 5000,
    ],
)
def test_huge_ids_in_query_are_a_400_naming_the_parameter(vanphong, url):
    response = api(vanphong).get(url)
    assert response.status_code == 400, response.content[:300]
    detail = _vietnamese_error(response)
    name = url.split("&")[-1].split("?")[-1].split("=")[0]
    assert response.json()["field"] == name
    assert f"“{name}”" in detail


@pytest.mark.parametrize(
    "url",
    [f"/api/v1/items/{HUGE}/", f"/api/v1/reports/{HUGE}/", f"/api/v1/issues/{HUGE}/",
     f"/api/v1/units/{HUGE}/"],
)
def test_huge_ids_in_the_path_are_a_404(vanphong, url):
    response = api(vanphong).get(url)
    assert response.status_code == 404
    _vietnamese_error(response)


@pytest.mark.parametrize(
    "body",
    [
        {"text": "Đường ngập", "channel": "khu_dan_cu", "social_groups": [int(HUGE)]},
        {"text": "Đường ngập", "channel": "khu_dan_cu", "topics": [-int(HUGE)]},
        {"text": "Đường ngập", "channel": "khu_dan_cu", "area": int(HUGE)},
        {"text": "Đường ngập", "channel": "khu_dan_cu", "unit": HUGE},
    ],
)
def test_huge_ids_in_bodies_are_a_400(vanphong, body):
    response = api(vanphong).post("/api/v1/items/", body, format="json")
    assert response.status_code == 400, response.content[:300]
    _vietnamese_error(response)


def test_huge_ids_in_other_bodies(vanphong, monthly):
    client = api(vanphong)
    for url, body in [
        ("/api/v1/reports/", {"template": int(HUGE), "period": "2026-11", "unit": 1}),
        ("/api/v1/reports/", {"template": monthly.pk, "period": "2026-11", "unit": int(HUGE)}),
        ("/api/v1/surveys/", {"title": "Khảo sát", "target_areas": [int(HUGE)]}),
        ("/api/v1/surveys/", {"title": "Khảo sát", "unit": int(HUGE)}),
        ("/api/v1/surveys/", {"title": "Khảo sát", "target_groups": [int(HUGE)]}),
    ]:
        response = client.post(url, body, format="json")
        assert response.status_code == 400, (url, body, response.content[:300])
        _vietnamese_error(response)


@pytest.mark.parametrize("url", ["/api/v1/items/", "/api/v1/reports/", "/api/v1/surveys/"])
@pytest.mark.parametrize("depth", [33, 948, 5000])
def test_deeply_nested_json_is_a_400(vanphong, url, depth):
    body = "[" * depth + "]" * depth
    response = api(vanphong).post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert "lồng nhau quá sâu" in _vietnamese_error(response)
    nested = '{"text": ' + '{"a": ' * depth + "1" + "}" * depth + "}"
    response = api(vanphong).post(url, nested, content_type="application/json")
    assert response.status_code == 400


def test_nesting_within_the_limit_is_read(vanphong):
    body = {"text": "Đường ngập", "channel": "khu_dan_cu", "extra": [[[[1]]]]}
    assert api(vanphong).post("/api/v1/items/", body, format="json").status_code == 201


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", "/api/v1/nothing-here/"), ("get", "/api/v1/items/abc/def/"),
     ("post", "/api/v1/khong-co/"), ("get", "/api/v1/units/1/xyz/")],
)
def test_unknown_api_paths_are_json_404(vanphong, method, url):
    response = getattr(api(vanphong), method)(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["field"] is None
    _vietnamese_error(response)


def test_drfs_own_errors_are_vietnamese(vanphong, db):
    client = api(vanphong)
    cases = [
        (client.post("/api/v1/items/", "{not json", content_type="application/json"), 400),
        (client.post("/api/v1/items/", "<x/>", content_type="application/xml"), 415),
        (client.delete("/api/v1/items/"), 405),
        (client.put("/api/v1/units/"), 405),
        (APIClient().get("/api/v1/items/"), 401),
        (APIClient().get("/api/v1/items/", HTTP_AUTHORIZATION="Token nope"), 401),
        (client.post("/api/v1/items/", {}, format="json"), 400),
        (client.post("/api/v1/items/", {"text": None, "channel": "x"}, format="json"), 400),
        (client.post("/api/v1/items/", {"text": "a", "channel": "x"}, format="json"), 400),
        (client.post("/api/v1/items/", [1, 2], format="json"), 400),
        (client.post("/api/v1/items/", {"text": "a", "channel": "khu_dan_cu",
                                        "received_on": "hôm qua"}, format="json"), 400),
        (client.post("/api/v1/items/", {"text": "a", "channel": "khu_dan_cu",
                                        "topics": "x"}, format="json"), 400),
        (client.post("/api/v1/items/", {"text": "a", "channel": "khu_dan_cu",
                                        "area": "x"}, format="json"), 400),
        (client.post("/api/v1/items/", {"text": "a", "channel": "khu_dan_cu",
                                        "area": 999999}, format="json"), 400),
        (client.post("/api/v1/items/", {"text": "a", "channel": "khu_dan_cu",
                                        "latent": "maybe"}, format="json"), 400),
        (client.get("/api/v1/items/999999/"), 404),
        (client.get("/api/v1/items/?page=999"), 404),
        (client.get("/api/v1/reports/?template=abc"), 400),
        (client.get("/api/v1/items/", HTTP_ACCEPT="application/xml"), 406),
    ]
    for response, status in cases:
        assert response.status_code == status, (status, response.content[:300])
        _vietnamese_error(response)


FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize("body", [b"text=\xff\xfe", b"text=%FF%FE", b"a=1&text\xc3=x"])
def test_form_posts_that_are_not_utf8_are_refused(client, vanphong, body):
    client.force_login(vanphong)
    response = client.post("/y-kien/nhanh/", body, content_type=FORM)
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode() and "không hợp lệ" in response.content.decode()
    response = api(vanphong).post("/api/v1/items/", body, content_type=FORM)
    assert response.status_code == 400
    assert "không phải UTF-8" in _vietnamese_error(response)


def test_multipart_posts_that_are_not_utf8_are_refused(client, vanphong):
    boundary = "XyZ"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n".encode()
        + b"\xff\xfe r\xe1c\r\n"
        + f"--{boundary}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n"
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + b"\xff\x00\xfe\r\n"
        + f"--{boundary}--\r\n".encode()
    )
    content_type = f"multipart/form-data; boundary={boundary}"
    client.force_login(vanphong)
    response = client.generic("POST", "/y-kien/nhanh/", body, content_type=content_type)
    assert response.status_code == 400
    response = api(vanphong).generic("POST", "/api/v1/items/", body, content_type=content_type)
    assert response.status_code == 400
    _vietnamese_error(response)


def test_valid_utf8_forms_and_binary_files_pass(client, vanphong):
    client.force_login(vanphong)
    response = client.post(
        "/y-kien/nhanh/", b"text=r%C3%A1c+th%E1%BA%A3i&channel=khu_dan_cu", content_type=FORM
    )
    assert response.status_code != 400 or "UTF-8" not in response.content.decode()
    boundary = "XyZ"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nrác\r\n".encode()
        + f"--{boundary}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n"
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + b"\xff\x00\xfe\r\n"
        + f"--{boundary}--\r\n".encode()
    )
    response = client.generic(
        "POST", "/y-kien/nhanh/", body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code != 400 or "UTF-8" not in response.content.decode()


@pytest.mark.parametrize("since", [
    "5989-07-18T04:58:11.442-19:27",  # PostgreSQL refuses the offset (found by schemathesis)
    "9999-12-31T23:59:59-12:00",  # past the end of the calendar once in UTC
])
def test_an_audit_moment_out_of_range_is_not_a_server_error(vanphong, since):
    response = api(vanphong).get("/api/v1/audit/", {"since": since})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.json()["field"] == "since"
