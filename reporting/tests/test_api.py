"""The reporting API end to end: token and session auth, scoping, the draft → submit → return cycle,
conflicts and refusals (nothing half-written), compliance."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from core.models import AuditEntry, Notification, SocialGroup, Topic
from orgs.tests.test_api import PASSWORD, api_secret, as_user
from reporting.compliance import STATUS_LABELS
from reporting.models import OpinionStream, Period, ReportVersion, UnitReport

REPORTS = "/api/v1/reports/"


def stream_json(**overrides) -> dict:
    row = {
        "topic": Topic.objects.get(name="Môi trường").pk,
        "summary": "Nhân dân bức xúc vì rác thải tồn đọng ở khu chợ Hòa Bình.",
        "attitude": "buc_xuc",
        "reach": "nhieu_y_kien",
        "channel": "khu_dan_cu",
    }
    return row | overrides


def create(client, monthly, unit, sections=None, streams=None, period="2025-11"):
    body = {
        "template": monthly.pk,
        "period": period,
        "unit": unit.pk,
        "sections": sections or {"tu_tuong": "Ổn định."},
    }
    if streams is not None:
        body["streams"] = streams
    return client.post(REPORTS, body, format="json")


def counts() -> tuple[int, ...]:
    return (
        UnitReport.objects.count(),
        Period.objects.count(),
        OpinionStream.objects.count(),
        ReportVersion.objects.count(),
        AuditEntry.objects.exclude(action="login").count(),
    )


@pytest.fixture
def an_api(an):
    return as_user(an)


@pytest.fixture
def office_api(vanphong):
    return as_user(vanphong)


@pytest.fixture
def report_a(an_api, monthly, cell_a):
    response = create(an_api, monthly, cell_a, streams=[stream_json()])
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.fixture
def report_b(binh, monthly, cell_b):
    response = create(as_user(binh), monthly, cell_b)
    assert response.status_code == 201, response.json()
    return response.json()


# --- Authentication -----------------------------------------------------------------------------


def test_token_auth_reads_the_reporters_reports(an, report_a):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_secret(an)}")
    response = client.get(REPORTS)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [report_a["id"]]


def test_session_auth_works_and_unsafe_calls_need_csrf(an, monthly, cell_a):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="an", password=PASSWORD)
    assert client.get(REPORTS).status_code == 200
    refused = create(client, monthly, cell_a)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"] and "Yêu cầu bị từ chối" in refused.json()["detail"]
    assert not UnitReport.objects.exists()


def test_anonymous_and_bad_token_are_refused_in_vietnamese(report_a):
    anonymous = APIClient().get(REPORTS)
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == "Token"
    assert anonymous.json()["detail"].startswith("Chưa xác thực")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    bad = client.get(f"{REPORTS}{report_a['id']}/")
    assert bad.status_code == 401
    assert bad.json()["detail"] == "Mã truy cập không hợp lệ hoặc tài khoản đã bị khóa."


# --- Scoping ------------------------------------------------------------------------------------


def test_reporter_sees_only_own_unit_and_gets_404_for_another(
    an_api, report_a, report_b, office_api, lanhdao
):
    listed = an_api.get(REPORTS).json()
    assert [row["unit"] for row in listed["results"]] == [report_a["unit"]]
    assert listed["count"] == 1
    other = report_b["id"]
    for response in (
        an_api.get(f"{REPORTS}{other}/"),
        an_api.get(f"{REPORTS}{other}/versions/"),
        an_api.patch(f"{REPORTS}{other}/", {"version": 1, "sections": {}}, format="json"),
        an_api.post(f"{REPORTS}{other}/submit/", {"version": 1}, format="json"),
        an_api.get(f"{REPORTS}?unit={report_b['unit']}"),
    ):
        assert response.status_code in (200, 404)
        if response.status_code == 200:  # the filtered list: empty, not an error
            assert response.json()["count"] == 0
        else:
            assert response.json()["detail"] == "Không tìm thấy báo cáo."
    assert office_api.get(REPORTS).json()["count"] == 2
    assert as_user(lanhdao).get(f"{REPORTS}{other}/").status_code == 200


def test_creating_for_an_invisible_unit_reads_like_an_unknown_one(an_api, monthly, cell_b):
    before = counts()
    hidden = create(an_api, monthly, cell_b)
    assert hidden.status_code == 400
    assert hidden.json() == {"detail": f"Không tìm thấy đơn vị có mã {cell_b.pk}.", "field": "unit"}
    unknown = an_api.post(
        REPORTS, {"template": monthly.pk, "period": "2025-11", "unit": 999999}, format="json"
    )
    assert unknown.json() == {"detail": "Không tìm thấy đơn vị có mã 999999.", "field": "unit"}
    assert counts() == before


def test_list_filters(an_api, office_api, report_a, report_b):
    assert office_api.get(f"{REPORTS}?period=2025-11").json()["count"] == 2
    assert office_api.get(f"{REPORTS}?period=2025-10").json()["count"] == 0
    assert office_api.get(f"{REPORTS}?unit={report_a['unit']}").json()["count"] == 1
    assert office_api.get(f"{REPORTS}?state=draft").json()["count"] == 2
    assert office_api.get(f"{REPORTS}?state=submitted").json()["count"] == 0
    for query, field in (
        ("period=2025-13", "period"),
        ("state=nop", "state"),
        ("unit=abc", "unit"),
    ):
        response = office_api.get(f"{REPORTS}?{query}")
        assert response.status_code == 400
        assert response.json()["field"] == field


# --- Create and update --------------------------------------------------------------------------


def test_create_returns_the_full_report(report_a, an):
    assert report_a["version"] == 1
    assert report_a["state"] == "draft"
    assert report_a["status_label"] == STATUS_LABELS[report_a["status"]]
    assert report_a["period"] == "2025-11"
    assert report_a["sections"] == {"tu_tuong": "Ổn định."}
    [stream] = report_a["streams"]
    assert stream["topic_name"] == "Môi trường"
    assert stream["attitude_label"] == "Bức xúc"
    assert AuditEntry.objects.filter(
        action="create", actor=an, object_id=str(report_a["id"])
    ).exists()


def test_create_twice_is_a_conflict_naming_the_report(an_api, monthly, cell_a, report_a):
    response = create(an_api, monthly, cell_a)
    assert response.status_code == 409
    assert f"mã {report_a['id']}" in response.json()["detail"]
    assert UnitReport.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"period": "2025-13"}, "period", "tháng 13 không hợp lệ"),
        ({"period": "tháng 11"}, "period", "không đúng định dạng"),
        ({"period": "2025-H2"}, "period", "không dùng cho"),
        ({"template": 999999}, "template", "Không tìm thấy mẫu báo cáo có mã 999999."),
        ({"template": "abc"}, "template", "Phải là số nguyên."),
        ({"unit": None}, "unit", "Không được để trống"),
        ({"sections": {"khong_co": "x"}}, "khong_co", "không có trong mẫu"),
        ({"sections": {"tu_tuong": "x" * 20_001}}, "tu_tuong", "vượt giới hạn 20.000"),
        (
            lambda: {"streams": [stream_json(), stream_json(topic=999999)]},
            "streams.2.topic",
            "Luồng ý kiến dòng 2: chủ đề không hợp lệ.",
        ),
        (
            lambda: {"streams": [stream_json(summary="  ")]},
            "streams.1.summary",
            "chưa nhập nội dung",
        ),
        (
            lambda: {"streams": [stream_json(attitude="vui")]},
            "streams.1.attitude",
            "“vui” không phải giá trị hợp lệ.",
        ),
        (
            lambda: {"streams": [stream_json(area=999999)]},
            "streams.1.area",
            "địa bàn không tồn tại",
        ),
        ({"streams": "không phải danh sách"}, "streams", "Phải là một danh sách"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(
    an_api, monthly, cell_a, body, field, message
):
    before = counts()
    payload = {
        "template": monthly.pk,
        "period": "2025-11",
        "unit": cell_a.pk,
        "sections": {"tu_tuong": "Ổn định."},
    } | (body() if callable(body) else body)
    response = an_api.post(REPORTS, payload, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == field
    assert message in response.json()["detail"]
    assert counts() == before


def test_leader_may_read_but_not_write(lanhdao, monthly, cell_a):
    response = create(as_user(lanhdao), monthly, cell_a)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Bạn không có quyền soạn báo cáo của đơn vị này.",
        "field": "unit",
    }
    assert not UnitReport.objects.exists()


def test_patch_with_version_saves_and_stale_version_is_409(an_api, office_api, report_a):
    url = f"{REPORTS}{report_a['id']}/"
    saved = an_api.patch(
        url, {"version": 1, "sections": {"kien_nghi": "Thu gom rác."}}, format="json"
    )
    assert saved.status_code == 200
    assert saved.json()["version"] == 2
    assert saved.json()["sections"] == {"tu_tuong": "Ổn định.", "kien_nghi": "Thu gom rác."}
    assert len(saved.json()["streams"]) == 1  # streams not sent: kept
    before = counts()
    stale = office_api.patch(
        url, {"version": 1, "sections": {"kien_nghi": "Bản cũ."}}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["field"] == "version"
    assert "phiên bản 2" in stale.json()["detail"] and "tải lại" in stale.json()["detail"]
    assert counts() == before
    assert an_api.get(url).json()["sections"]["kien_nghi"] == "Thu gom rác."


def test_update_without_version_is_refused(an_api, report_a):
    response = an_api.patch(
        f"{REPORTS}{report_a['id']}/", {"sections": {"tu_tuong": "Mới."}}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "version"
    assert response.json()["detail"].startswith("version: Thiếu phiên bản")


def test_put_replaces_sections_and_streams(an_api, report_a):
    url = f"{REPORTS}{report_a['id']}/"
    group = SocialGroup.objects.first()
    body = {
        "version": 1,
        "sections": {"du_luan_noi_bat": "Giá điện tăng."},
        "streams": [
            stream_json(
                summary="Lo lắng về giá điện.",
                attitude="ban_khoan",
                social_groups=[group.pk],
                latent=True,
            )
        ],
    }
    response = an_api.put(url, body, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["sections"]["tu_tuong"] == ""
    assert data["sections"]["du_luan_noi_bat"] == "Giá điện tăng."
    [stream] = data["streams"]
    assert (stream["summary"], stream["latent"], stream["social_groups"]) == (
        "Lo lắng về giá điện.",
        True,
        [group.pk],
    )
    missing = an_api.put(url, {"version": 2, "sections": {}}, format="json")
    assert missing.status_code == 400 and missing.json()["field"] == "streams"


# --- Submit, lock, return -----------------------------------------------------------------------


def full_sections(monthly) -> dict[str, str]:
    return {key: f"Nội dung phần {key}." for key in monthly.section_keys()}


def test_submit_is_idempotent_and_locks_until_returned(an_api, office_api, an, monthly, report_a):
    url = f"{REPORTS}{report_a['id']}/"
    empty = an_api.post(f"{url}submit/", {"version": 1}, format="json")
    assert empty.status_code == 400
    assert empty.json()["field"] == "sections"
    assert "Dư luận nổi bật" in empty.json()["detail"]

    version = an_api.patch(
        url, {"version": 1, "sections": full_sections(monthly)}, format="json"
    ).json()["version"]
    first = an_api.post(f"{url}submit/", {"version": version}, format="json")
    assert first.status_code == 200
    assert first.json()["state"] == "submitted"
    second = an_api.post(f"{url}submit/", {"version": version}, format="json")
    assert second.status_code == 200
    assert second.json() == first.json()
    assert ReportVersion.objects.filter(report_id=report_a["id"], action="submit").count() == 1

    before = counts()
    locked = an_api.patch(
        url,
        {"version": first.json()["version"], "sections": {"tu_tuong": "Sửa sau khi nộp."}},
        format="json",
    )
    assert locked.status_code == 409
    assert "bị khóa" in locked.json()["detail"]
    assert counts() == before

    not_office = an_api.post(f"{url}return/", {"reason": "Tự trả lại."}, format="json")
    assert not_office.status_code == 400
    assert not_office.json()["detail"] == "Chỉ Ban Xây dựng Đảng được trả lại báo cáo."
    no_reason = office_api.post(f"{url}return/", {"reason": " "}, format="json")
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "reason"
    assert counts() == before

    returned = office_api.post(
        f"{url}return/", {"reason": "Thiếu phân tích nguyên nhân."}, format="json"
    )
    assert returned.status_code == 200
    assert returned.json()["state"] == "returned"
    assert returned.json()["return_reason"] == "Thiếu phân tích nguyên nhân."
    assert Notification.objects.filter(user=an, text__contains="bị trả lại").exists()
    again = an_api.patch(
        url,
        {"version": returned.json()["version"], "sections": {"tu_tuong": "Đã bổ sung."}},
        format="json",
    )
    assert again.status_code == 200

    versions = an_api.get(f"{url}versions/").json()
    assert [v["action"] for v in versions] == ["create", "save", "submit", "return", "save"]
    assert versions[0]["by_username"] == "an"


def test_submit_needs_a_version(an_api, report_a):
    response = an_api.post(f"{REPORTS}{report_a['id']}/submit/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "version"


def test_malformed_json_is_refused_in_vietnamese(an_api):
    response = an_api.post(REPORTS, "{không phải json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Dữ liệu gửi lên không đọc được (JSON không hợp lệ)."


# --- Compliance ---------------------------------------------------------------------------------


def test_compliance_for_office_and_leader_404_for_reporter(
    an_api, office_api, lanhdao, monthly, report_a
):
    url = "/api/v1/compliance/?period=2025-11"
    data = office_api.get(url).json()
    assert data["period"] == "2025-11"
    assert data["expected"] == 2  # cell_a and cell_b; the cell closed in September is not expected
    assert data["deadline"] == "2025-11-24"  # "trước ngày 25": the last day on time is the 24th
    assert len(data["trend"]) == 12
    assert as_user(lanhdao).get(f"{url}&template={monthly.pk}").json()["expected"] == 2
    hidden = an_api.get(url)
    assert hidden.status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "period"),
        ("?period=2025-99", "period"),
        ("?period=2025-11&template=999", "template"),
        ("?period=2025-11&template=x", "template"),
    ],
)
def test_compliance_bad_query_names_the_field(office_api, monthly, query, field):
    response = office_api.get(f"/api/v1/compliance/{query}")
    assert response.status_code == 400
    assert response.json()["field"] == field
