"""One selector behind three doors: the API's JSON, ``longdan picture --json`` and ``picture_for``
are the same figures, for the office and for a unit's reader; refusals name the field in
Vietnamese on every door."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from rest_framework.test import APIClient

from core.models import Attitude, Channel, Topic
from intake.services import file_item
from longdan.commands import main
from orgs.models import Area
from picture.query import read_query
from picture.rollups import refresh_dirty
from picture.selectors import picture_for
from reporting import services
from reporting.periods import parse_period

NOW = dt.datetime(2025, 11, 25, 9, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
API = "/api/v1/picture/"


@pytest.fixture
def heard(vanphong, an, binh, cell_a, cell_b, area_1, monthly, full_sections, stream):
    """Cell A: three items and a submitted report's stream; cell B: two items in its own area."""
    area_2 = Area.objects.create(name="Tổ dân phố Bến Bính", population=500, unit=cell_b)
    env, health = Topic.objects.get(name="Môi trường"), Topic.objects.get(name="Y tế")
    rows = [
        (cell_a, area_1, env, Attitude.AGGRIEVED, 3), (cell_a, area_1, health, Attitude.AGREE, 8),
        (cell_a, area_1, env, Attitude.OPPOSE, 12), (cell_b, area_2, health, Attitude.WORRIED, 5),
        (cell_b, area_2, env, Attitude.WORRIED, 20),
    ]
    with time_machine.travel(NOW, tick=False):
        for unit, area, topic, attitude, day in rows:
            file_item(user=vanphong, text=f"Người dân phản ánh về {topic.name.lower()}.",
                      channel=Channel.RESIDENTIAL, received_on=dt.date(2025, 11, day), area=area,
                      unit=unit, topic_ids=[topic.pk], attitude=attitude)
        period = services.ensure_period(parse_period("2025-11"))
        report = services.save_draft(user=an, template=monthly, period=period, unit=cell_a,
                                     sections=full_sections, streams=[stream],
                                     expected_version=None)
        services.submit_report(user=an, report=report, expected_version=report.version)
    return area_2


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    with time_machine.travel(NOW, tick=False):
        code = main(["picture", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _api(user, **params):
    client = APIClient()
    client.force_authenticate(user)
    with time_machine.travel(NOW, tick=False):
        return client.get(API, params)


def _selector(user, **params) -> dict:
    with time_machine.travel(NOW, tick=False):
        data = picture_for(read_query(user, params, today=TODAY))
    return json.loads(json.dumps(data))


@pytest.mark.parametrize("refreshed", [False, True])
def test_the_api_the_command_and_the_selector_give_the_same_figures(
    capsys, heard, vanphong, an, refreshed
):
    if refreshed:
        refresh_dirty()  # the rollups answer; before it, the stale days are counted raw
    code, out, err = _cli(capsys, "--period", "2025-11", "--json")
    assert code == 0, err
    office = _selector(vanphong, period="2025-11")
    assert json.loads(out) == office == _api(vanphong, period="2025-11").json()
    assert office["totals"]["items"] == 5 and office["totals"]["stream_mentions"] == 1

    code, out, err = _cli(capsys, "--period", "2025-11", "--unit", "chi-bo-1", "--json")
    assert code == 0, err
    unit = _selector(an, period="2025-11")
    assert json.loads(out) == unit == _api(an, period="2025-11").json()
    assert unit["totals"]["items"] == 3 and unit["totals"]["stream_mentions"] == 1
    assert unit["totals"] != office["totals"]
    text = json.dumps(unit, ensure_ascii=False)
    assert heard.name not in text and "Chi bộ Tổ dân phố 2" not in text

    code, out, err = _cli(capsys, "--period", "2025-11", "--topic", "Y tế", "--json")
    assert json.loads(out) == _api(vanphong, period="2025-11", topic="Y tế").json()
    assert json.loads(out)["totals"]["items"] == 2


def test_the_command_prints_a_vietnamese_summary(capsys, heard):
    code, out, err = _cli(capsys, "--period", "2025-11")
    assert code == 0, err
    assert "BỨC TRANH DƯ LUẬN — THÁNG 11/2025" in out
    assert "Ý kiến tiếp nhận" in out and "Môi trường" in out and "Tổ dân phố 1" in out


@pytest.mark.parametrize("argv, field, fragment", [
    (["--period", "2025-13"], "period", "tháng 13 không có"),
    (["--period", "2025-11", "--topic", "Thời tiết"], "topic", "Chủ đề 'Thời tiết'"),
    (["--period", "2025-11", "--channel", "bồ câu"], "channel", "Kênh 'bồ câu'"),
    (["--period", "2025-11", "--area", "Tổ 99"], "area", "Tổ dân phố 'Tổ 99'"),
])
def test_bad_input_is_refused_naming_the_field(capsys, heard, vanphong, argv, field, fragment):
    code, out, err = _cli(capsys, *argv)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert err.startswith("Lỗi: ") and fragment in err
    params = dict(zip(argv[::2], argv[1::2], strict=True))
    response = _api(vanphong, **{key.lstrip("-"): value for key, value in params.items()})
    assert response.status_code == 400
    assert response.json()["field"] == field and fragment in response.json()["detail"]


def test_a_unit_the_reader_cannot_see_is_refused(heard, an):
    response = _api(an, period="2025-11", unit="chi-bo-2")
    assert response.status_code == 400 and response.json()["field"] == "unit"


def test_the_command_rebuilds_the_rollups(capsys, heard):
    code, out, err = _cli(capsys, "rebuild")
    assert code == 0, err
    assert "Xong:" in out and "ngày có dữ liệu" in out


def test_the_api_needs_a_login(db):
    assert APIClient().get(API).status_code in (401, 403)
