"""Draft from what was logged (issue 15): the proposals read for a unit, the page that shows them,
keeping, merging and dropping them, the command, and the rule that counts a stream drawn from
items once (the picture and the consolidated report)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.errors import LockedError, ServiceError
from core.models import AuditEntry, Channel, Topic
from intake.models import Meeting, OpinionItem
from issues.models import Issue
from longdan.commands import main
from picture import rollups
from picture.counting import RawCounter, RollupCounter
from picture.query import read_query
from reporting import services
from reporting.heard_drafting import heard_paragraphs, topic_note
from reporting.heard_selectors import heard_in
from reporting.models import OpinionStream, UnitReport
from reporting.periods import parse_period
from reporting.proposal_selectors import proposals_for, proposals_of_report
from textengine.normalize import fold

pytestmark = pytest.mark.django_db

NOV = parse_period("2025-11")
D = dt.date(2025, 11, 5)
HX = {"HTTP_HX_REQUEST": "true"}
GARBAGE = "Rác thải tồn đọng ở chợ Hòa Bình nhiều ngày, bốc mùi hôi thối."
GARBAGE_2 = "Bà con phản ánh rác thải ở chợ Hòa Bình chưa được thu gom, bốc mùi hôi."
THEFT = "Trộm cắp xe máy ban đêm tái diễn ở tổ dân phố 1, đề nghị lắp camera an ninh."
VOTERS = "Cử tri đề nghị sớm nâng cấp đường liên tổ dân phố, mùa mưa ngập sâu."
OTHER_UNIT = "Chi bộ hai nghe nói giá điện tăng cao bất thường tháng này ở khu tập thể."


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(dt.datetime(2025, 11, 20, 2, 0, tzinfo=dt.UTC), tick=False):
        yield


def topic(name: str) -> Topic:
    return Topic.objects.get(name=name)


def item(text, unit, *, topics=("Môi trường",), day=D, channel=Channel.RESIDENTIAL, **fields):
    made = OpinionItem.objects.create(text=text, text_folded=fold(text), channel=channel,
                                      received_on=day, unit=unit, **fields)
    made.topics.set([topic(t) for t in topics])
    return made


@pytest.fixture
def logged(cell_a, cell_b, area_1, an):
    """cell_a's November: two garbage items on one issue, a theft item, a voter-meeting point,
    an October item (another period); cell_b's November item."""
    issue = Issue.objects.create(code="VD-2025-0001", title="Rác ở chợ Hòa Bình",
                                 topic=topic("Môi trường"))
    meeting = Meeting.objects.create(kind=Meeting.Kind.VOTER_MEETING, title="Tiếp xúc cử tri",
                                     held_on=D, place="Nhà văn hóa", unit=cell_a, created_by=an)
    return {
        "g1": item(GARBAGE, cell_a, issue=issue, attitude="buc_xuc", area=area_1),
        "g2": item(GARBAGE_2, cell_a, issue=issue, attitude="buc_xuc",
                   topics=("Môi trường", "Đời sống")),
        "theft": item(THEFT, cell_a, topics=("Trật tự an toàn xã hội",), attitude="ban_khoan"),
        "voters": item(VOTERS, cell_a, topics=("Kinh tế - xã hội",), meeting=meeting,
                       channel=Channel.VOTER_MEETING, attitude="ban_khoan"),
        "october": item(THEFT, cell_a, topics=("Trật tự an toàn xã hội",),
                        day=dt.date(2025, 10, 30)),
        "other": item(OTHER_UNIT, cell_b, topics=("Đời sống",), attitude="buc_xuc"),
        "issue": issue,
        "area_1": area_1,
    }


@pytest.fixture
def draft(an, cell_a, monthly):
    return services.save_draft(user=an, template=monthly, period=services.ensure_period(NOV),
                               unit=cell_a, sections={}, streams=None, expected_version=None)


def keys_and_items(view):
    return {p.key: set(p.item_ids) for p in view.proposals.proposals}


# --- the proposals ----------------------------------------------------------------------------


def test_proposals_group_the_units_own_items_of_the_period(an, cell_a, logged):
    view = proposals_for(an, cell_a, NOV)
    got = keys_and_items(view)
    issue, theft, voters = logged["issue"], logged["theft"], logged["voters"]
    assert got == {
        f"issue-{issue.pk}": {logged["g1"].pk, logged["g2"].pk},
        f"topic-{topic('Trật tự an toàn xã hội').pk}": {theft.pk},
        f"topic-{topic('Kinh tế - xã hội').pk}": {voters.pk},  # the meeting's point counts
    }
    first = view.proposals.get(f"issue-{issue.pk}")
    assert (first.topic_id, first.attitude, first.issue_ids) == (
        topic("Môi trường").pk, "buc_xuc", (issue.pk,))
    assert first.summary in (GARBAGE, GARBAGE_2)
    data = view.as_dict()
    assert {p["topic"] for p in data["proposals"]} == {
        "Môi trường", "Trật tự an toàn xã hội", "Kinh tế - xã hội"}


def test_a_unit_never_sees_another_units_items_in_proposals(an, binh, cell_a, cell_b, logged):
    mine = {i for p in proposals_for(an, cell_a, NOV).proposals.proposals for i in p.item_ids}
    assert logged["other"].pk not in mine
    from django.http import Http404
    with pytest.raises(Http404):
        proposals_for(an, cell_b, NOV)
    theirs = proposals_for(binh, cell_b, NOV)
    assert [set(p.item_ids) for p in theirs.proposals.proposals] == [{logged["other"].pk}]


# --- the page ----------------------------------------------------------------------------------


def test_the_panel_shows_proposals_and_items_and_fills_nothing(client, an, logged, draft):
    client.force_login(an)
    edit = client.get(reverse("report_edit", args=[draft.pk]))
    assert edit.status_code == 200
    assert reverse("report_proposals", args=[draft.pk]).encode() in edit.content
    panel = client.get(reverse("report_proposals", args=[draft.pk]), **HX)
    html = panel.content.decode()
    assert panel.status_code == 200
    assert "Giữ thành luồng ý kiến" in html and THEFT[:40] in html and VOTERS[:40] in html
    assert 'form="report-form"' in html  # the buttons post the page's own form
    assert OTHER_UNIT[:30] not in html
    page = client.get(reverse("report_proposals", args=[draft.pk]))
    assert b"<form" in page.content and b'form="report-form"' not in page.content
    assert OpinionStream.objects.count() == 0  # nothing filled silently


def test_the_panel_reads_the_items_once_and_names_the_attitude_mix(client, an, logged, draft):
    item(GARBAGE, draft.unit, issue=logged["issue"], attitude="dong_tinh")
    client.force_login(an)
    with CaptureQueriesContext(connection) as queries:
        panel = client.get(reverse("report_proposals", args=[draft.pk]), **HX)
    html = panel.content.decode()
    reads = [q["sql"] for q in queries.captured_queries
             if q["sql"].startswith("SELECT") and 'FROM "intake_opinionitem"' in q["sql"]]
    assert len(reads) == 1, reads  # the proposals and the rows behind them share one read
    assert logged["area_1"].name in html  # the rows' areas and issues come with that read
    assert logged["issue"].code in html
    assert "Thái độ của các ý kiến: 2 bức xúc; 1 đồng tình, phấn khởi</p>" in html


def test_another_units_report_proposals_are_not_found(client, an, binh, cell_b, monthly, logged):
    theirs = services.save_draft(user=binh, template=monthly, period=services.ensure_period(NOV),
                                 unit=cell_b, sections={}, streams=None, expected_version=None)
    client.force_login(an)
    assert client.get(reverse("report_proposals", args=[theirs.pk]), **HX).status_code == 404
    response = client.post(reverse("report_edit", args=[theirs.pk]),
                           {"proposal_action": "keep:topic-1", "version": theirs.version})
    assert response.status_code == 404
    assert not OpinionStream.objects.exists()


def _page_post(report, **extra):
    data = {"version": str(report.version), "sec_tu_tuong": "Tư tưởng ổn định.",
            "streams-TOTAL_FORMS": "0", "streams-INITIAL_FORMS": "0",
            "streams-MIN_NUM_FORMS": "0", "streams-MAX_NUM_FORMS": "1000"}
    data.update(extra)
    return data


def test_keep_saves_what_was_typed_then_adds_the_stream_linked_to_its_items(
        client, an, logged, draft):
    client.force_login(an)
    key = f"issue-{logged['issue'].pk}"
    response = client.post(reverse("report_edit", args=[draft.pk]),
                           _page_post(draft, proposal_action=f"keep:{key}"))
    assert response.status_code == 302
    report = UnitReport.objects.get(pk=draft.pk)
    assert report.sections["tu_tuong"] == "Tư tưởng ổn định."  # the typed text was kept
    stream = report.streams.get()
    assert set(stream.items.values_list("pk", flat=True)) == {logged["g1"].pk, logged["g2"].pk}
    assert list(stream.issues.all()) == [logged["issue"]]
    assert (stream.topic.name, stream.attitude) == ("Môi trường", "buc_xuc")
    assert AuditEntry.objects.filter(summary__contains="giữ 1 đề xuất").exists()
    # kept items are not proposed again, and editing the stream keeps its link
    assert key not in keys_and_items(proposals_of_report(report))
    row = {"topic": str(stream.topic_id), "summary": "Rác ở chợ tồn đọng (đã sửa).",
           "attitude": "buc_xuc", "reach": stream.reach, "channel": stream.channel, "area": ""}
    data = _page_post(report, action="save")
    data.update({"streams-TOTAL_FORMS": "1", **{f"streams-0-{k}": v for k, v in row.items()}})
    client.post(reverse("report_edit", args=[draft.pk]), data)
    edited = UnitReport.objects.get(pk=draft.pk).streams.get()
    assert edited.summary == "Rác ở chợ tồn đọng (đã sửa)."
    assert edited.items.count() == 2


def test_merge_makes_one_stream_of_several_proposals(client, an, logged, draft):
    client.force_login(an)
    keys = [f"topic-{topic('Trật tự an toàn xã hội').pk}", f"topic-{topic('Kinh tế - xã hội').pk}"]
    client.post(reverse("report_edit", args=[draft.pk]),
                _page_post(draft, proposal_action="merge", proposal=keys))
    stream = UnitReport.objects.get(pk=draft.pk).streams.get()
    assert set(stream.items.values_list("pk", flat=True)) == {logged["theft"].pk,
                                                              logged["voters"].pk}
    with pytest.raises(ServiceError):  # merging needs two
        services.keep_proposals(user=an, report=draft, keys=[keys[0]], merge=True,
                                expected_version=UnitReport.objects.get(pk=draft.pk).version)


def test_drop_hides_a_proposal_for_this_report_and_restore_brings_it_back(
        client, an, logged, draft):
    client.force_login(an)
    key = f"topic-{topic('Trật tự an toàn xã hội').pk}"
    # from the standalone page (no JS): the version alone, no page form
    client.post(reverse("report_edit", args=[draft.pk]),
                {"proposal_action": f"drop:{key}", "version": draft.version})
    report = UnitReport.objects.get(pk=draft.pk)
    assert report.dropped_items == [logged["theft"].pk]
    assert report.version == draft.version  # dropping changes nothing the report says
    assert key not in keys_and_items(proposals_of_report(report))
    assert not report.streams.exists()
    client.post(reverse("report_edit", args=[draft.pk]),
                {"proposal_action": "restore", "version": report.version})
    report.refresh_from_db()
    assert report.dropped_items == []
    assert key in keys_and_items(proposals_of_report(report))


def test_only_the_unit_and_the_office_answer_and_never_on_a_submitted_report(
        an, lanhdao, vanphong, logged, draft, full_sections):
    key = f"issue-{logged['issue'].pk}"
    with pytest.raises(ServiceError):
        services.keep_proposals(user=lanhdao, report=draft, keys=[key],
                                expected_version=draft.version)
    with pytest.raises(ServiceError):  # a proposal that is not (or no longer) there
        services.keep_proposals(user=an, report=draft, keys=["topic-99999"],
                                expected_version=draft.version)
    kept = services.keep_proposals(user=vanphong, report=draft, keys=[key],
                                   expected_version=draft.version)
    with pytest.raises(ServiceError):  # the same items cannot go into a second stream
        services.keep_proposals(user=an, report=kept, keys=[key], expected_version=kept.version)
    saved = services.save_draft(user=an, template=kept.template, period=kept.period,
                                unit=kept.unit, sections=full_sections, streams=None,
                                expected_version=kept.version)
    submitted = services.submit_report(user=an, report=saved, expected_version=saved.version)
    with pytest.raises(ServiceError):
        services.drop_proposals(user=an, report=submitted,
                                keys=[f"topic-{topic('Kinh tế - xã hội').pk}"])


def test_a_submit_landing_after_the_page_was_read_wins_over_drop_and_restore(
        an, logged, draft, full_sections):
    """The report the caller holds still says "draft"; the row says "submitted": the lock is
    checked on the row read under select_for_update, so nothing is written."""
    stale = UnitReport.objects.get(pk=draft.pk)
    saved = services.save_draft(user=an, template=draft.template, period=draft.period,
                                unit=draft.unit, sections=full_sections, streams=None,
                                expected_version=draft.version)
    UnitReport.objects.filter(pk=draft.pk).update(dropped_items=[logged["theft"].pk])
    services.submit_report(user=an, report=saved, expected_version=saved.version)
    assert stale.state == UnitReport.State.DRAFT
    with pytest.raises(LockedError):
        services.drop_proposals(user=an, report=stale,
                                keys=[f"topic-{topic('Kinh tế - xã hội').pk}"])
    with pytest.raises(LockedError):
        services.restore_proposals(user=an, report=stale)
    assert UnitReport.objects.get(pk=draft.pk).dropped_items == [logged["theft"].pk]


# --- the command -------------------------------------------------------------------------------


def test_the_command_prints_the_proposals_as_json(capsys, cell_a, logged):
    code = main(["report", "propose", "--unit", cell_a.code, "--period", "2025-11", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {"topic", "attitude", "reach", "summary", "items"} <= set(data["proposals"][0])
    items = [i for p in data["proposals"] for i in p["items"]]
    assert sorted(items) == sorted(logged[k].pk for k in ("g1", "g2", "theft", "voters"))
    assert len(items) == len(set(items))  # each item in at most one proposal
    assert logged["other"].pk not in items and logged["october"].pk not in items
    by_topic = {p["topic"]: p for p in data["proposals"]}
    assert by_topic["Môi trường"]["attitude"] == "buc_xuc"
    assert by_topic["Môi trường"]["reach"] == "mot_so_y_kien"


def test_the_command_refuses_an_unknown_unit(capsys, logged):
    code = main(["report", "propose", "--unit", "khong-co", "--period", "2025-11", "--json"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("Lỗi: ") and "khong-co" in err


# --- counted once --------------------------------------------------------------------------------


def _submitted_with_kept_and_typed(an, logged, draft, full_sections, stream):
    kept = services.keep_proposals(user=an, report=draft, keys=[f"issue-{logged['issue'].pk}"],
                                   expected_version=draft.version)
    typed = services.streams_of(kept) + [stream]  # and one stream the unit typed itself
    saved = services.save_draft(user=an, template=kept.template, period=kept.period,
                                unit=kept.unit, sections=full_sections, streams=typed,
                                expected_version=kept.version)
    return services.submit_report(user=an, report=saved, expected_version=saved.version)


def test_the_picture_counts_a_stream_drawn_from_items_through_its_items(
        an, vanphong, cell_a, logged, draft, full_sections, stream):
    query = read_query(vanphong, {"period": "2025-11", "unit": cell_a.code},
                       today=dt.date(2025, 11, 30))

    def total(counter):
        return sum(c.count for c in counter.cells("all", NOV.start, NOV.end))

    before = total(RawCounter(query))
    assert before == 4  # cell_a's four November items
    report = _submitted_with_kept_and_typed(an, logged, draft, full_sections, stream)
    assert report.streams.count() == 2
    raw = RawCounter(query)
    # the kept stream's two items are counted already; only the typed stream is added
    assert total(raw) == before + 1
    assert sum(c.count for c in raw.cells("all", NOV.start, NOV.end) if c.source == "stream") == 1
    rollups.refresh_dirty()
    assert RollupCounter(query).cells("topic", NOV.start, NOV.end) == raw.cells(
        "topic", NOV.start, NOV.end)
    # unlinking the items makes the stream count again, and the rollups follow
    report.streams.exclude(items=None).distinct().get().items.clear()
    assert total(RawCounter(query)) == before + 2
    assert total(RollupCounter(query)) == before + 2


def test_the_consolidated_report_says_how_many_items_the_units_streams_hold(
        an, cell_a, logged, draft, full_sections, stream):
    _submitted_with_kept_and_typed(an, logged, draft, full_sections, stream)
    heard = heard_in(NOV.start, NOV.end)
    assert (heard.items, heard.in_streams) == (5, 2)
    environment = heard.topic("Môi trường")
    assert (environment.count, environment.in_streams) == (2, 2)
    assert topic_note(heard, "Môi trường").endswith(
        ", trong đó 2 ý kiến đơn vị đã tổng hợp vào luồng ý kiến")
    assert heard.topic("Trật tự an toàn xã hội").in_streams == 0
    assert "trong đó" not in topic_note(heard, "Trật tự an toàn xã hội")

    class C:  # the slice of a Consolidation the paragraph reads
        pass

    c = C()
    c.heard = heard
    assert "trong đó 2 ý kiến đơn vị đã tổng hợp" in heard_paragraphs(c, {}, 3)[0]
