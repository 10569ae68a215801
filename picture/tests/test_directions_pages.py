"""The direction pages and API: scoping (a unit sees only what was addressed to its subtree, and
only its own units' parts; page and API agree; outside is 404), the forms, the XLSX export."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from core.models import AuditEntry, Topic
from issues.models import Issue
from picture.models import Direction, DirectionAssignment
from picture.tests.conftest import TODAY

S = Direction.Status


@pytest.fixture
def world(give, an, binh, cuong, dung, cell_a, cell_b, cell_c):
    """One direction to cell_a and cell_b, one to cell_b only, one to cell_c (below dang_bo)."""
    shared = give([cell_a, cell_b], "Tuyên truyền về lịch thu gom rác mới.")
    only_b = give([cell_b], "Đối thoại với tiểu thương về giá thuê ki-ốt.")
    below = give([cell_c], "Nắm tư tưởng công nhân về tiền lương.")
    return shared, only_b, below


def checked(form: str, unit_id: int) -> bool:
    """The unit's box is ticked on the form (and no other)."""
    ticked = re.findall(r'<input type="checkbox" name="unit_ids" value="(\d+)"[^>]*checked', form)
    return ticked == [str(unit_id)]


def login(client, user):
    client.force_login(user)
    return client


def codes_on_page(client, url="/chi-dao/") -> set[str]:
    html = client.get(url).content.decode()
    return {d.code for d in Direction.objects.all() if f'data-code="{d.code}"' in html}


def api_codes(client, query="") -> set[str]:
    response = client.get(f"/api/v1/directions/{query}")
    assert response.status_code == 200
    return {row["code"] for row in response.json()["results"]}


def test_each_reader_sees_the_directions_of_their_subtree_page_and_api_alike(
    client, world, lanhdao, an, binh, dung, cuong
):
    shared, only_b, below = world
    expected = {
        lanhdao: {shared.code, only_b.code, below.code},
        an: {shared.code},
        binh: {shared.code, only_b.code},
        dung: {below.code},  # the đảng bộ sees what its chi bộ was given
        cuong: {below.code},
    }
    for user, codes in expected.items():
        login(client, user)
        assert codes_on_page(client) == codes, user.username
        assert api_codes(client) == codes, user.username


def test_a_direction_outside_the_scope_is_not_found(client, world, an):
    shared, only_b, below = world
    login(client, an)
    for direction in (only_b, below):
        assert client.get(f"/chi-dao/{direction.pk}/").status_code == 404
        assert client.get(f"/api/v1/directions/{direction.pk}/").status_code == 404
    assert client.get(f"/chi-dao/{shared.pk}/").status_code == 200


def test_a_unit_reads_only_its_own_part_of_a_shared_direction(client, world, an, cell_b):
    shared, _, _ = world
    login(client, an)
    html = client.get(f"/chi-dao/{shared.pk}/").content.decode()
    assert "Chi bộ Tổ dân phố 1" in html and cell_b.name not in html
    assert "còn giao cho 1 đơn vị khác" in html
    body = client.get(f"/api/v1/directions/{shared.pk}/").json()
    assert [p["unit_name"] for p in body["parts"]] == ["Chi bộ Tổ dân phố 1"]
    assert body["other_units"] == 1
    assert cell_b.name not in client.get("/chi-dao/").content.decode()


def test_filters_sort_and_search_without_diacritics(client, world, lanhdao, cell_c):
    shared, only_b, below = world
    login(client, lanhdao)
    assert codes_on_page(client, "/chi-dao/?q=thu+gom+rac") == {shared.code}
    assert codes_on_page(client, f"/chi-dao/?unit={cell_c.pk}") == {below.code}
    assert api_codes(client, "?q=tien+luong") == {below.code}
    assert codes_on_page(client, "/chi-dao/?status=done") == set()
    html = client.get("/chi-dao/?sort=-code").content.decode()
    assert html.index(below.code) < html.index(shared.code)
    assert client.get("/api/v1/directions/?status=zzz").status_code == 400


def test_the_leader_gives_a_direction_from_an_issue(client, clock, lanhdao, cell_b, an):
    issue = Issue.objects.create(code="VD-2026-0007", title="Ngập đường Nguyễn Trãi",
                                 owner_unit=cell_b, topic=Topic.objects.get(name="Môi trường"))
    login(client, lanhdao)
    page = client.get(f"/van-de/{issue.pk}/").content.decode()
    assert f"/chi-dao/moi/?issue={issue.pk}" in page
    form = client.get(f"/chi-dao/moi/?issue={issue.pk}").content.decode()
    assert "VD-2026-0007" in form and checked(form, cell_b.pk)
    response = client.post("/chi-dao/moi/", {
        "kind": "direction", "text": "Khẩn trương nạo vét cống, báo cáo trước ngày 20.",
        "unit_ids": [cell_b.pk], "due_on": "2026-01-20", "issue": issue.pk,
        "topic": issue.topic_id,
    })
    direction = Direction.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/chi-dao/{direction.pk}/"
    assert direction.issue == issue and direction.target == Direction.Target.ISSUE
    login(client, an)
    assert "/chi-dao/moi/" not in client.get(f"/van-de/{issue.pk}/").content.decode()


def test_the_form_names_the_field_of_bad_input(client, clock, lanhdao, cell_a):
    login(client, lanhdao)
    html = client.post("/chi-dao/moi/", {
        "kind": "direction", "text": "Làm ngay.", "unit_ids": [cell_a.pk],
        "due_on": "2026-01-01",
    }).content.decode()
    assert "Hạn hoàn thành: không được trước ngày hôm nay." in html
    assert not Direction.objects.exists()


def test_a_reporter_cannot_open_the_form_or_create_through_the_api(client, clock, an, cell_a):
    login(client, an)
    assert client.get("/chi-dao/moi/").status_code == 404
    response = client.post("/api/v1/directions/", {
        "text": "Tự giao.", "due_on": "2026-01-20", "unit_ids": [cell_a.pk],
    }, content_type="application/json")
    assert response.status_code == 403 and "lãnh đạo" in response.json()["detail"]
    assert not Direction.objects.exists()


def test_the_api_gives_a_direction_for_a_leader(client, clock, lanhdao, cell_a):
    login(client, lanhdao)
    response = client.post("/api/v1/directions/", {
        "text": "Nắm dư luận về dự án mở rộng đường.", "due_on": "2026-01-31",
        "unit_ids": [cell_a.pk],
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "CĐ-2026-001" and body["state"] == "open"
    bad = client.post("/api/v1/directions/", {
        "text": "x", "due_on": "2026-01-31", "unit_ids": [],
    }, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "unit_ids"


def test_units_acknowledge_and_report_on_the_page(client, world, an, binh, cell_a, cell_b):
    shared, _, _ = world
    login(client, an)
    page = client.get(f"/chi-dao/{shared.pk}/").content.decode()
    assert "Xác nhận đơn vị đã nhận" in page
    client.post(f"/chi-dao/{shared.pk}/da-nhan/", {"unit": cell_a.pk})
    client.post(f"/chi-dao/{shared.pk}/tien-do/", {
        "unit": cell_a.pk, "note": "Đã dán thông báo ở nhà văn hóa.", "status": S.DONE})
    part = DirectionAssignment.objects.get(direction=shared, unit=cell_a)
    assert part.acknowledged_by == an and part.status == S.DONE
    # Another unit's part, posted by hand: not found, nothing written.
    response = client.post(f"/chi-dao/{shared.pk}/da-nhan/", {"unit": cell_b.pk})
    assert response.status_code == 404
    assert not DirectionAssignment.objects.get(direction=shared, unit=cell_b).acknowledged_at
    shared.refresh_from_db()
    assert shared.status == S.IN_PROGRESS
    history = client.get(f"/chi-dao/{shared.pk}/").content.decode()
    assert "Đã dán thông báo ở nhà văn hóa." in history


def test_the_author_closes_and_a_stale_form_says_so(client, world, lanhdao, an, cell_a):
    shared, _, _ = world
    login(client, lanhdao)
    version = shared.version
    from picture import services

    services.acknowledge(user=an, direction=shared, unit=cell_a)
    response = client.post(f"/chi-dao/{shared.pk}/trang-thai/",
                           {"status": S.DONE, "version": version}, follow=True)
    assert "vừa được cập nhật" in response.content.decode()
    shared.refresh_from_db()
    assert shared.status == S.OPEN
    client.post(f"/chi-dao/{shared.pk}/trang-thai/", {"status": S.DONE,
                                                      "version": shared.version})
    shared.refresh_from_db()
    assert shared.status == S.DONE
    login(client, an)
    assert "Kết thúc chỉ đạo" not in client.get(f"/chi-dao/{shared.pk}/").content.decode()
    assert client.post(f"/chi-dao/{shared.pk}/trang-thai/",
                       {"status": S.CANCELLED, "version": shared.version}).status_code == 302
    shared.refresh_from_db()
    assert shared.status == S.DONE


def test_the_export_holds_the_filtered_list_in_scope_and_is_audited(client, world, an, binh):
    shared, only_b, _ = world
    login(client, binh)
    response = client.get("/chi-dao/xuat.xlsx?q=doi+thoai")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Số", "Loại", "Nội dung", "Trạng thái")
    assert [r[0] for r in rows[1:]] == [only_b.code]
    assert rows[1][10] == "Chi bộ Tổ dân phố 2"
    login(client, an)
    rows = list(load_workbook(io.BytesIO(client.get("/chi-dao/xuat.xlsx").content)).active
                .iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [shared.code]
    assert rows[1][10] == "Chi bộ Tổ dân phố 1"  # not the other unit it was shared with
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT,
                                     object_type="picture.direction").count() == 2


def test_the_unit_page_loads_its_directions(client, world, an, dung, cell_a, cell_c, dang_bo):
    shared, _, below = world
    login(client, dung)
    unit_page = client.get(f"/don-vi/{dang_bo.pk}/").content.decode()
    assert f'hx-get="/don-vi/{dang_bo.pk}/chi-dao/"' in unit_page
    assert f"/don-vi/{dang_bo.pk}/trach-nhiem/" in unit_page
    fragment = client.get(f"/don-vi/{dang_bo.pk}/chi-dao/", HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert below.code in html and shared.code not in html and "<html" not in html
    assert "<html" in client.get(f"/don-vi/{dang_bo.pk}/chi-dao/").content.decode()
    assert client.get(f"/don-vi/{cell_a.pk}/chi-dao/").status_code == 404
    login(client, an)
    assert client.get(f"/don-vi/{cell_c.pk}/chi-dao/").status_code == 404


def test_the_report_page_offers_leaders_a_direction(client, clock, lanhdao, an, monthly,
                                                    full_sections):
    from reporting import services as reporting
    from reporting.periods import parse_period

    period = reporting.ensure_period(parse_period("2025-12"))
    report = reporting.save_draft(user=an, template=monthly, period=period, unit=an.unit,
                                  sections=full_sections, streams=[], expected_version=None)
    login(client, lanhdao)
    assert f"/chi-dao/moi/?report={report.pk}" in client.get(
        f"/bao-cao/{report.pk}/").content.decode()
    form = client.get(f"/chi-dao/moi/?report={report.pk}").content.decode()
    assert checked(form, an.unit.pk)
    login(client, an)
    assert "/chi-dao/moi/" not in client.get(f"/bao-cao/{report.pk}/").content.decode()


def test_due_dates_before_today_are_refused_by_the_api_too(client, clock, lanhdao, cell_a):
    login(client, lanhdao)
    response = client.post("/api/v1/directions/", {
        "text": "Muộn rồi.", "due_on": (TODAY.replace(day=1)).isoformat(),
        "unit_ids": [cell_a.pk],
    }, content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "due_on"
