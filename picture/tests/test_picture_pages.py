"""The picture's pages: who sees what, bad input, drill-downs that land on exactly the records of
the number, small cells, XLSX, the gap and latent buttons, the leaders' home."""

from __future__ import annotations

import datetime as dt
import io
import re
import types
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import PASSWORD
from core.models import AuditEntry, Channel, SocialGroup, Topic
from intake.models import OpinionItem
from issues.models import Issue
from orgs.models import Area
from picture.models import Direction, LatentCandidate
from reporting.models import OpinionStream, UnitReport
from reporting.periods import parse_period
from reporting.services.reports import ensure_period
from textengine.normalize import fold

NOW = dt.datetime(2026, 3, 20, 3, 0, tzinfo=dt.UTC)  # 10:00 in Hà Nội
PICTURE, DRILL = "/buc-tranh/", "/buc-tranh/ho-so/"
B_WORDS = "Nước ngập sâu trước cổng chợ bên kia sông"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _item(text, day, **fields):
    topics = fields.pop("topics", [])
    groups = fields.pop("groups", [])
    item = OpinionItem.objects.create(text=text, text_folded=fold(text), received_on=day,
                                      channel=fields.pop("channel", Channel.RESIDENTIAL), **fields)
    item.topics.set(topics)
    item.social_groups.set(groups)
    return item


@pytest.fixture
def world(ward, office_unit, cell_a, cell_b, vanphong, lanhdao, an, binh, area_1, monthly):
    env = Topic.objects.get(name="Môi trường")
    order = Topic.objects.get(name="Trật tự an toàn xã hội")
    women = SocialGroup.objects.get(name="Phụ nữ")
    area_2 = Area.objects.create(name="Tổ dân phố 2", population=640, unit=cell_b)
    area_3 = Area.objects.create(name="Tổ dân phố 3", population=910, unit=cell_a)
    day = dt.date(2026, 3, 10)
    for n, attitude in enumerate(["buc_xuc", "buc_xuc", "buc_xuc", "ban_khoan", "ban_khoan"]):
        _item(f"Rác thải tồn đọng ở chợ số {n}", day, unit=cell_a, area=area_1,
              attitude=attitude, topics=[env])
    for n in range(2):  # two women of one area: a small cell
        _item(f"Đèn đường hỏng ở ngõ {n}", day, unit=cell_a, area=area_1, attitude="ban_khoan",
              topics=[order], groups=[women])
    _item("Ý kiến chưa phân loại về tổ dân phố", day, unit=cell_a, area=area_1)
    for n in range(4):
        _item(f"{B_WORDS} lần {n}", day, unit=cell_b, area=area_2, attitude="buc_xuc",
              topics=[env], channel=Channel.SOCIAL_MEDIA)
    february = ensure_period(parse_period("2026-02"))
    report = UnitReport.objects.create(template=monthly, period=february, unit=cell_a,
                                       state=UnitReport.State.SUBMITTED,
                                       first_submitted_at=timezone.now(),
                                       submitted_at=timezone.now())
    OpinionStream.objects.create(report=report, topic=env, summary="Bà con lo rác ở chợ",
                                 attitude="ban_khoan", reach="nhieu_y_kien", area=area_1,
                                 channel=Channel.RESIDENTIAL)
    return types.SimpleNamespace(env=env, order=order, women=women, area_1=area_1,
                                 area_2=area_2, area_3=area_3, cell_a=cell_a, cell_b=cell_b,
                                 vanphong=vanphong, lanhdao=lanhdao, an=an, binh=binh)


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def _rows(html: str, kind: str = "item") -> int:
    return len(re.findall(rf'data-{kind}="\d+"', html))


def _drill(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.content[:400]
    return response


# -- the page for each reader -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["vanphong", "lanhdao", "an"])
def test_the_picture_renders_for_every_kind_of_reader(client, world, who):
    _login(client, getattr(world, who))
    response = client.get(PICTURE, {"period": "2026-03"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bức tranh dư luận" in html and "tháng 3/2026" in html.lower()
    assert 'id="attitude-chart"' in html and "Môi trường" in html
    assert response.context["data"]["totals"]["items"] == (8 if who == "an" else 12)


def test_a_unit_reader_sees_nothing_of_other_units(client, world):
    _login(client, world.an)
    for params in ({}, {"period": "2026-Q1"}, {"period": "2026"}):
        html = client.get(PICTURE, params).content.decode()
        assert "Chi bộ Tổ dân phố 2" not in html
        assert "Tổ dân phố 2" not in html  # cell_b's area: not in a table, a filter or a gap
        assert B_WORDS not in html
    # another unit named in the query is "not found" within the reader's scope
    response = client.get(PICTURE, {"unit": "chi-bo-2"})
    assert response.status_code == 400 and "Chi bộ Tổ dân phố 2" not in response.content.decode()
    html = client.get(DRILL, {"period": "2026-03", "source": "item"}).content.decode()
    assert B_WORDS not in html and _rows(html) == 8


# -- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("params, words", [
    ({"period": "2026-13"}, "tháng 13 không có"),
    ({"period": "hôm qua"}, "không đọc được"),
    ({"period": "2027-01"}, "chưa bắt đầu"),
    ({"topic": "Không có chủ đề này"}, "Chủ đề 'Không có chủ đề này'"),
    ({"channel": "bồ câu"}, "Kênh 'bồ câu'"),
    ({"tu": "2026-03-10", "den": "2026-02-01"}, "ngày bắt đầu sau ngày kết thúc"),
])
def test_bad_period_or_filter_is_a_400_naming_it_with_the_form_still_there(
    client, world, params, words
):
    _login(client, world.lanhdao)
    response = client.get(PICTURE, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert words in unescape(html)
    assert 'name="unit"' in html and 'name="period"' in html  # the form to put it right


def test_bad_drill_parameters_are_a_400(client, world):
    _login(client, world.vanphong)
    response = client.get(DRILL, {"attitude": "giận dữ"})
    assert response.status_code == 400
    assert "Thái độ 'giận dữ'" in unescape(response.content.decode())
    assert client.get(DRILL, {"source": "fax"}).status_code == 400


def test_an_empty_period_says_so_and_when_opinion_was_last_heard(client, world):
    _login(client, world.lanhdao)
    html = client.get(PICTURE, {"period": "2025-12"}).content.decode()
    assert "Chưa có ý kiến nào trong kỳ này" in html
    assert "lần gần nhất ghi nhận ý kiến: 10/03/2026" in html


# -- drill-down ---------------------------------------------------------------------------------


def _topic_row(response, name):
    return next(row for row in response.context["topics"] if row["name"] == name)


def test_every_topic_number_drills_down_to_exactly_its_records(client, world):
    _login(client, world.vanphong)
    page = client.get(PICTURE, {"period": "2026-Q1"})
    row = _topic_row(page, "Môi trường")
    assert row["count"].value == 10  # 5 + 4 items and one report stream
    drill = _drill(client, row["count"].url)
    assert drill.context["result"].total == 10
    html = drill.content.decode()
    assert _rows(html, "item") == 9 and _rows(html, "stream") == 1
    # the aggrieved column: 3 of cell_a and 4 of cell_b
    aggrieved = row["attitudes"][[a for a, _ in page.context["attitudes"]].index("buc_xuc")]
    assert aggrieved.value == 7
    assert _rows(_drill(client, aggrieved.url).content.decode()) == 7
    # the streams alone, and the unclassified row
    assert _drill(client, row["streams"].url).context["result"].total == 1
    unclassified = _topic_row(page, "Chưa phân loại")
    listed = _drill(client, unclassified["count"].url)
    assert listed.context["result"].total == unclassified["count"].value == 1


def test_a_heat_cell_drills_down_to_its_week(client, world):
    _login(client, world.vanphong)
    page = client.get(PICTURE, {"period": "2026-03"})
    heat = page.context["heat"]
    env = next(row for row in heat["rows"] if row["name"] == "Môi trường")
    cell = next(c for c in env["cells"] if c["number"].value)
    assert cell["number"].value == 9
    period = parse_qs(urlparse(cell["number"].url).query)["period"][0]
    assert period == "2026-03-09..2026-03-15"
    assert _drill(client, cell["number"].url).context["result"].total == 9


def test_small_cells_have_no_link_and_no_list_for_a_unit_reader(client, world):
    _login(client, world.an)
    page = client.get(PICTURE, {"period": "2026-03"})
    women = next(row for row in page.context["groups"] if row["name"] == "Phụ nữ")
    assert women["count"].value == "< 3" and women["count"].url is None
    html = page.content.decode()
    assert f"group={world.women.pk}" not in html
    refused = client.get(DRILL, {"period": "2026-03", "group": world.women.pk})
    assert refused.context["result"].refused
    assert _rows(refused.content.decode()) == 0 and "không liệt kê" in refused.content.decode()
    assert client.get(reverse("picture:drill_export"),
                      {"period": "2026-03", "group": world.women.pk}).status_code == 404
    # the office sees the two and lists them
    client.logout()
    _login(client, world.vanphong)
    women = next(row for row in client.get(PICTURE, {"period": "2026-03"}).context["groups"]
                 if row["name"] == "Phụ nữ")
    assert women["count"].value == 2
    assert _rows(_drill(client, women["count"].url).content.decode()) == 2


def test_the_drill_down_is_paginated_and_sortable(client, world):
    _login(client, world.vanphong)
    html = client.get(DRILL, {"period": "2026-03", "source": "item", "sort": "area"}).content
    html = html.decode()
    assert html.index("Tổ dân phố 1") < html.index("Tổ dân phố 2")
    assert "sort=-area" in html  # the active column toggles


# -- exports ------------------------------------------------------------------------------------


def _sheets(response) -> dict[str, list[tuple]]:
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_the_whole_picture_exports_one_sheet_per_panel(client, world):
    _login(client, world.vanphong)
    sheets = _sheets(client.get(reverse("picture:picture_export"), {"period": "2026-Q1"}))
    assert {"Tổng quan", "Chủ đề", "Chủ đề theo thời gian", "Nhóm xã hội", "Kênh",
            "Tổ dân phố", "Đang nổi lên", "Dự báo", "Khoảng trống",
            "Dư luận tiềm ẩn"} <= set(sheets)
    topics = {row[0]: row for row in sheets["Chủ đề"][1:]}
    assert topics["Môi trường"][1] == 10
    summary = {row[0]: row[1] for row in sheets["Tổng quan"]}
    assert summary["Ý kiến nghe được (tổng)"] == 13
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT,
                                     object_type="picture").exists()


def test_a_unit_readers_export_shows_small_cells_as_text(client, world):
    _login(client, world.an)
    sheets = _sheets(client.get(reverse("picture:picture_export"), {"period": "2026-03"}))
    groups = {row[0]: row[1] for row in sheets["Nhóm xã hội"][1:]}
    assert groups["Phụ nữ"] == "< 3"
    flat = repr(sheets)
    assert "Tổ dân phố 2" not in flat and "Chi bộ Tổ dân phố 2" not in flat


def test_a_drill_down_exports_its_records(client, world):
    _login(client, world.vanphong)
    sheets = _sheets(client.get(reverse("picture:drill_export"),
                                {"period": "2026-Q1", "topic": world.env.pk}))
    assert len(sheets["Ý kiến"]) - 1 == 9 and len(sheets["Luồng ý kiến báo cáo"]) - 1 == 1


# -- the buttons --------------------------------------------------------------------------------


def test_a_gap_button_creates_the_task_for_the_unit_that_owns_the_area(
    client, world
):
    _login(client, world.lanhdao)
    page = client.get(PICTURE, {"period": "2026-03"})
    silent = next(s for s in page.context["gaps"] if s["key"] == "silent_areas")
    row = next(r for r in silent["rows"] if r["name"] == "Tổ dân phố 3")
    assert row["action"] == "assign_collaborator" and not row["task"]
    form = {"gap": "area", "target": world.area_3.pk, "action": row["action"],
            "back": "?period=2026-03"}
    response = client.post(reverse("picture:gap_task"), form)
    assert response.status_code == 302 and response["Location"].endswith("?period=2026-03")
    task = Direction.objects.get()
    assert task.kind == Direction.Kind.TASK and task.action == "assign_collaborator"
    assert task.area == world.area_3 and task.due_on == dt.date(2026, 4, 3)
    assert list(task.units.all()) == [world.cell_a]
    assert AuditEntry.objects.filter(object_type="picture.direction",
                                     object_id=str(task.pk)).exists()
    # pressed again: refused with a message, nothing more written; the page says it is given
    client.post(reverse("picture:gap_task"), form)
    assert Direction.objects.count() == 1
    again = client.get(PICTURE, {"period": "2026-03"})
    silent = next(s for s in again.context["gaps"] if s["key"] == "silent_areas")
    assert next(r for r in silent["rows"] if r["name"] == "Tổ dân phố 3")["task"] == task.code


def test_only_the_office_and_leaders_fill_gaps(client, world):
    _login(client, world.an)
    response = client.post(reverse("picture:gap_task"), {
        "gap": "area", "target": world.area_3.pk, "action": "assign_collaborator"})
    assert response.status_code == 404 and not Direction.objects.exists()
    assert "giao/" not in client.get(PICTURE).content.decode()  # no buttons for a unit


def test_a_gap_outside_the_query_scope_is_not_found(client, world):
    _login(client, world.vanphong)
    response = client.post(reverse("picture:gap_task"), {
        "gap": "area", "target": world.area_2.pk, "action": "assign_collaborator",
        "back": "?unit=chi-bo-1"})
    assert response.status_code == 404 and not Direction.objects.exists()


def test_the_office_confirms_or_dismisses_latent_candidates(client, world):
    first = LatentCandidate.objects.create(
        topic=world.env, area=world.area_1, detected_on=dt.date(2026, 3, 18), count=6,
        reason="6 ý kiến lo lắng về rác trong 3 tuần; chưa có vấn đề")
    second = LatentCandidate.objects.create(
        topic=world.order, area=None, detected_on=dt.date(2026, 3, 18), count=4,
        reason="4 ý kiến lo lắng về an ninh")
    _login(client, world.lanhdao)
    url = reverse("picture:latent_decide", args=[first.pk, "xac-nhan"])
    assert client.post(url).status_code == 404  # leaders read; the office decides
    client.logout()
    _login(client, world.vanphong)
    assert "Xác nhận, mở vấn đề" in client.get(PICTURE).content.decode()
    assert client.post(url, {"back": "?period=2026-03"}).status_code == 302
    first.refresh_from_db()
    assert first.state == LatentCandidate.State.CONFIRMED and first.decided_by == world.vanphong
    issue = Issue.objects.get(pk=first.issue_id)
    assert issue.latent and issue.topic == world.env and issue.area == world.area_1
    assert issue.owner_unit == world.cell_a and "Rác" not in issue.title
    assert AuditEntry.objects.filter(object_type="issues.issue", object_id=str(issue.pk))
    assert AuditEntry.objects.filter(object_type="picture.latentcandidate",
                                     object_id=str(first.pk)).exists()
    # decided once: a second confirmation opens nothing
    client.post(url)
    assert Issue.objects.count() == 1
    client.post(reverse("picture:latent_decide", args=[second.pk, "bo-qua"]))
    second.refresh_from_db()
    assert second.state == LatentCandidate.State.DISMISSED and second.issue is None
    assert AuditEntry.objects.filter(object_type="picture.latentcandidate",
                                     object_id=str(second.pk)).exists()


# -- rising and forecast, as the lead's selector fills them ------------------------------------


def test_rising_and_forecast_panels_render_their_lists(client, world, monkeypatch):
    from picture.selectors import picture_for
    from picture.views import picture as views

    def filled(query):
        data = picture_for(query)
        data["rising"] = [{"kind": "topic", "key": str(world.env.pk), "name": "Môi trường",
                           "count": 12, "expected_low": 2, "expected_high": 4,
                           "reason": "12 ý kiến trong 7 ngày; bình thường 2–4"}]
        data["forecast"] = [{"code": str(world.env.pk), "name": "Môi trường",
                             "weeks": [{"start": "2026-03-23", "expected": 3.2, "low": 1,
                                        "high": 6}],
                             "current": {"count": 9, "outside": True}}]
        return data

    _login(client, world.lanhdao)
    empty = client.get(PICTURE, {"period": "2026-03"}).content.decode()
    assert "Không có chủ đề, vấn đề hay tổ dân phố nào tăng vượt mức" in empty
    assert "Chưa đủ lịch sử để dự báo" in empty
    monkeypatch.setattr(views, "picture_for", filled)
    html = client.get(PICTURE, {"period": "2026-03"}).content.decode()
    assert "12 ý kiến trong 7 ngày; bình thường 2–4" in html
    assert f"topic={world.env.pk}" in html and "ngoài dự báo" in html and "(1–6)" in html


# -- home and menu ------------------------------------------------------------------------------


def test_a_leader_lands_on_the_picture_and_the_office_keeps_its_home(client, world):
    _login(client, world.lanhdao)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Bức tranh dư luận</h1>" in html and 'id="attitude-chart"' in html
    for entry in ("Bức tranh", "Vấn đề", "Chỉ đạo", "Bản tin"):
        assert f'class="navtop">{entry}</a>' in html
    client.logout()
    _login(client, world.vanphong)
    html = client.get("/").content.decode()
    assert "Tình hình nộp báo cáo" in html and 'href="/buc-tranh/"' in html
    for group in ("Chu kỳ báo cáo", "Tiếp nhận", "Khảo sát", "Bức tranh &amp; Chỉ đạo",
                  "Danh mục", "Hệ thống"):
        assert f"<summary>{group}</summary>" in html


# -- the headline's issue figures link to the same issues ----------------------------------------


def _issue(code, *, status=Issue.Status.ASSIGNED, **fields):
    return Issue.objects.create(code=code, title=f"Vấn đề {code}", title_folded=f"van de {code}",
                                status=status, **fields)


def test_the_issue_figures_link_to_the_issue_list_narrowed_the_same_way(client, world):
    past = dt.date(2026, 3, 1)
    _issue("VD-1", owner_unit=world.cell_a, topic=world.env, area=world.area_1, due_on=past)
    _issue("VD-2", owner_unit=world.cell_b, topic=world.env, area=world.area_2)
    heard = _issue("VD-3", owner_unit=world.cell_b, topic=world.order, area=world.area_3)
    first = OpinionItem.objects.filter(unit=world.cell_a).order_by("pk").first()
    OpinionItem.objects.filter(pk=first.pk).update(issue=heard)  # cell_a heard cell_b's issue
    _issue("VD-4", owner_unit=world.cell_b, topic=world.env, status=Issue.Status.ANSWERED)
    _login(client, world.vanphong)
    narrowings = [{}, {"unit": "chi-bo-1"}, {"topic": str(world.env.pk)},
                  {"area": str(world.area_2.pk)}, {"unit": "chi-bo-1", "topic": str(world.env.pk)}]
    for narrowing in narrowings:
        response = client.get(PICTURE, {"period": "2026-03", **narrowing})
        assert response.status_code == 200, narrowing
        totals, links = response.context["data"]["totals"], response.context["issue_links"]
        for figure, key in (("issues_open", "open"), ("issues_overdue", "overdue")):
            listed = client.get(links[key])
            assert listed.status_code == 200
            codes = [issue.code for issue in listed.context["page"].object_list]
            assert len(codes) == totals[figure], (narrowing, figure, codes)
    unit_only = client.get(PICTURE, {"period": "2026-03", "unit": "chi-bo-1"})
    listed = client.get(unit_only.context["issue_links"]["open"])
    assert sorted(i.code for i in listed.context["page"].object_list) == ["VD-1", "VD-3"]
    assert "Chi bộ Tổ dân phố 1 và đơn vị trực thuộc" in listed.content.decode()


def test_the_issue_list_refuses_a_unit_outside_the_readers_scope(client, world):
    _login(client, world.an)
    response = client.get("/van-de/", {"unit": str(world.cell_b.pk)})
    assert response.status_code == 200
    assert "Đơn vị: không có hoặc ngoài phạm vi bạn được xem." in response.content.decode()


def test_a_city_sized_unit_filter_lists_the_upper_levels_and_searches_the_rest(
    vanphong, ward, cell_a, cell_b, monkeypatch
):
    """Past the limit, the select keeps the units with units below them and the chosen one; the
    rest are found by typing (the select names the search address)."""
    from django.test import Client

    from picture import page

    monkeypatch.setattr(page, "UNIT_SELECT_LIMIT", 2)
    client = Client()
    client.force_login(vanphong)
    body = client.get("/buc-tranh/", {"unit": cell_b.code}).content.decode()
    select = body[body.index('id="f-unit"'):body.index("</select>", body.index('id="f-unit"'))]
    assert 'data-search-url="/don-vi/tim.json"' in select
    assert f'value="{ward.code}"' in select and f'value="{cell_b.code}" selected' in select
    assert f'value="{cell_a.code}"' not in select
    monkeypatch.setattr(page, "UNIT_SELECT_LIMIT", 300)
    body = client.get("/buc-tranh/").content.decode()
    assert f'value="{cell_a.code}"' in body and "data-search-url" not in body
