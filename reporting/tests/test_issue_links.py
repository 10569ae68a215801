"""Report streams linked to issues (issue 3), served by reporting since issue 14.

The issue page lists the report lines that mention the issue through a fragment of reporting's,
scoped like any report: a unit reader never sees another unit's report line through an issue
both units can see. Linking a stream to issues happens on the report page; a merge of issues
carries the links over (``issues.signals.issue_merged``)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import time_machine
from django.core.cache import cache

from core.errors import ServiceError
from issues import services as issue_services
from issues.tests.helpers import FLOOD, GARBAGE, D, item, three_issues
from reporting import services
from reporting.models import OpinionStream
from reporting.periods import parse_period
from reporting.selectors import streams_mentioning
from reporting.services import ensure_period, save_draft

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
LINE_A = "Chi bộ 1 ghi: bà con phản ánh rác ở chợ chưa được thu gom."
LINE_B = "Chi bộ 2 ghi: khu An Lư 10 phản ánh rác tồn đọng nhiều ngày."


@pytest.fixture(autouse=True)
def _clock():
    cache.clear()
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, 0), tick=False):
        yield
    cache.clear()


@pytest.fixture
def world(cell_a, cell_b, area_1):
    return three_issues(cell_a, cell_b, area_1)


def _line(user, unit, monthly, stream, summary, *issues):
    """One report of ``unit`` for April 2026 with one stream, linked to ``issues``."""
    report = save_draft(user=user, template=monthly, period=ensure_period(parse_period("2026-04")),
                        unit=unit, sections={}, streams=[dataclasses.replace(stream,
                                                                             summary=summary)],
                        expected_version=None)
    line = report.streams.get()
    line.issues.set(issues)
    return line


@pytest.fixture
def shared(world, an, binh, monthly, cell_a, cell_b, stream):
    """Issue A, seen by both cells (an item from cell_a, then one from cell_b), mentioned by a
    report line of each cell."""
    a, _, _ = world
    item(GARBAGE[2], D + dt.timedelta(days=5), issue=a, unit=cell_b)
    line_a = _line(an, cell_a, monthly, stream, LINE_A, a)
    line_b = _line(binh, cell_b, monthly, stream, LINE_B, a)
    return a, line_a, line_b


def page(client, user, url, **headers):
    client.force_login(user)
    return client.get(url, **headers)


# --- the leak: a unit's reader never sees another unit's report line ----------------------------


def test_a_reporter_does_not_see_another_units_report_line_on_the_issue_fragment(
    client, an, binh, shared
):
    a, line_a, line_b = shared
    for user, mine, theirs in ((an, line_a, line_b), (binh, line_b, line_a)):
        response = page(client, user, f"/van-de/{a.pk}/bao-cao/", **HX)
        assert response.status_code == 200
        assert response.context["streams"] == [mine]
        html = response.content.decode()
        assert mine.summary in html and theirs.summary not in html
        assert f"/bao-cao/{theirs.report_id}/" not in html


def test_a_reporter_does_not_see_another_units_report_line_on_the_issue_page(
    client, an, shared
):
    a, _, line_b = shared
    response = page(client, an, f"/van-de/{a.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert LINE_B not in html
    assert f"/bao-cao/{line_b.report_id}/" not in html
    # The page loads the reader's lines from reporting (htmx), with a link when JS is off.
    assert f'hx-get="/van-de/{a.pk}/bao-cao/"' in html
    assert f'href="/van-de/{a.pk}/bao-cao/"' in html


def test_the_office_and_the_leaders_see_every_units_line(client, vanphong, lanhdao, shared):
    a, line_a, line_b = shared
    for user in (vanphong, lanhdao):
        response = page(client, user, f"/van-de/{a.pk}/bao-cao/", **HX)
        assert set(response.context["streams"]) == {line_a, line_b}
        html = response.content.decode()
        assert LINE_A in html and LINE_B in html
        assert "Chi bộ Tổ dân phố 2 — Tháng 4/2026" in html


def test_the_selector_scopes_like_the_reports(an, binh, vanphong, shared):
    a, line_a, line_b = shared
    assert list(streams_mentioning(an, a)) == [line_a]
    assert list(streams_mentioning(binh, a)) == [line_b]
    assert set(streams_mentioning(vanphong, a)) == {line_a, line_b}


def test_the_fragment_of_an_issue_the_reader_cannot_see_is_not_found(client, an, world):
    _, b, _ = world
    assert page(client, an, f"/van-de/{b.pk}/bao-cao/", **HX).status_code == 404
    assert page(client, an, "/van-de/999999/bao-cao/", **HX).status_code == 404


def test_without_htmx_the_lines_come_as_a_whole_page(client, an, shared):
    a, line_a, _ = shared
    response = page(client, an, f"/van-de/{a.pk}/bao-cao/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and LINE_A in html and LINE_B not in html
    assert f'href="/van-de/{a.pk}/"' in html


def test_an_issue_no_report_mentions_gives_an_empty_fragment(client, an, world):
    a, _, _ = world
    response = page(client, an, f"/van-de/{a.pk}/bao-cao/", **HX)
    assert response.status_code == 200 and response.content.decode().strip() == ""


# --- linking streams to issues (the report page) -----------------------------------------------


def test_a_report_stream_links_to_issues(client, an, binh, vanphong, monthly, cell_a, stream,
                                         world):
    a, b, _ = world
    report = save_draft(user=an, template=monthly, period=ensure_period(parse_period("2026-04")),
                        unit=cell_a, sections={}, streams=[stream], expected_version=None)
    line = report.streams.get()
    response = page(client, an, f"/bao-cao/{report.pk}/")
    assert response.context["can_link_issues"] and response.context["linkable_issues"] == [a]
    url = f"/bao-cao/{report.pk}/luong/{line.pk}/van-de/"
    # An issue the reporter cannot see cannot be linked.
    client.post(url, {"issues": [b.pk]})
    assert not line.issues.exists()
    client.post(url, {"issues": [a.pk]})
    assert list(line.issues.all()) == [a]
    html = page(client, an, f"/bao-cao/{report.pk}/").content.decode()
    assert "VD-2026-0001 · Rác ở chợ Hòa Bình" in html
    office = page(client, vanphong, f"/van-de/{a.pk}/bao-cao/", **HX)
    assert office.context["streams"] == [line]
    client.force_login(binh)
    assert client.post(url, {"issues": []}).status_code == 404


def test_only_the_reporting_unit_and_the_office_link(an, binh, vanphong, monthly, cell_a, stream,
                                                     world):
    a, _, _ = world
    line = _line(an, cell_a, monthly, stream, LINE_A)
    with pytest.raises(ServiceError, match="Chỉ đơn vị báo cáo"):
        services.link_stream_issues(user=binh, stream=line, issues=[a])
    # Nor a leader or a collaborator of the very unit: leaders write nothing, collaborators
    # record opinions only (issue 18, finding 4).
    from orgs.models import User

    leader = User.objects.create_user("ld_cell", password="x", role=User.Role.LEADER,
                                      unit=cell_a)
    collaborator = User.objects.create_user("ctv_cell", password="x",
                                            role=User.Role.COLLABORATOR, unit=cell_a)
    for user in (leader, collaborator):
        with pytest.raises(ServiceError, match="Chỉ đơn vị báo cáo"):
            services.link_stream_issues(user=user, stream=line, issues=[a])
    assert not line.issues.exists()
    services.link_stream_issues(user=vanphong, stream=line, issues=[a])
    assert list(line.issues.all()) == [a]


def test_a_merge_carries_the_stream_links_to_the_surviving_issue(an, vanphong, monthly, cell_a,
                                                                stream):
    issue_services.group_pending_items()
    flood_item, garbage_item = item(FLOOD[0]), item(GARBAGE[0])
    issue_services.group_pending_items()
    flood_item.refresh_from_db()
    garbage_item.refresh_from_db()
    flood, garbage = flood_item.issue, garbage_item.issue
    assert flood != garbage
    line = _line(an, cell_a, monthly, stream, LINE_A, garbage)
    issue_services.merge_issues(user=vanphong, keep=flood, other=garbage)
    assert set(OpinionStream.objects.get(pk=line.pk).issues.all()) == {flood, garbage}


# --- a unit's recent reports, for the unit page ------------------------------------------------


def test_the_unit_page_loads_its_reports_from_reporting(client, an, binh, monthly, cell_a,
                                                       cell_b, stream):
    mine = _line(an, cell_a, monthly, stream, LINE_A).report
    html = page(client, an, f"/don-vi/{cell_a.pk}/").content.decode()
    assert f'hx-get="/don-vi/{cell_a.pk}/bao-cao/"' in html
    fragment = page(client, an, f"/don-vi/{cell_a.pk}/bao-cao/", **HX)
    assert fragment.context["reports"] == [mine]
    assert f"/bao-cao/{mine.pk}/" in fragment.content.decode()
    whole = page(client, an, f"/don-vi/{cell_a.pk}/bao-cao/")
    assert "<html" in whole.content.decode()
    assert page(client, an, f"/don-vi/{cell_b.pk}/bao-cao/", **HX).status_code == 404
