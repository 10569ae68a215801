"""Incidents (R8) on the constructed half-year of ``conftest``: the candidates the data suggest,
recording and reviewing (audited, refused with the field named), the deduction per incident on
the card (hand-computed), and who reads which incident.

The half-year's cell_a scores 30 points over 70 counted weights (see test_scorecards). A set
with an incidents criterion (weight 10, target 0 incidents, floor 2: each incident found at
fault deducts 5 points) adds it: one incident at fault → 5 points, 35 / 80 → 43.8.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from core.errors import ServiceError
from core.models import Attitude, AuditEntry, Channel, Reach, Topic
from evaluation import incident_services, services
from evaluation.incidents import candidates, get_incident_for, incidents_of_unit
from evaluation.models import Incident
from evaluation.selectors import card_for, compute_board
from evaluation.tests.conftest import CRITERIA, PERIOD
from issues.models import BurstAlert, Issue
from reporting.models import OpinionStream, UnitReport
from reporting.periods import parse_period

KEY = parse_period(PERIOD)
WITH_INCIDENTS = [*CRITERIA, {"code": "vu_viec", "name": "Không để xảy ra lệch lạc, bị động",
                              "weight": "10", "measure": "incidents", "target": "0",
                              "floor": "2", "missing": "exclude"}]


@pytest.fixture
def environment():
    return Topic.objects.get(name="Môi trường")


@pytest.fixture
def alerts(half_year, cell_a, area_1, environment):
    """Two alerts in cell_a's tổ dân phố: September's, which cell_a's September report names
    (a stream on the topic), and December's (cell_a sent no December report)."""
    issue = Issue.objects.create(code="VD-9", title="Môi trường — rác — Tổ dân phố 1",
                                 area=area_1, topic=environment)
    september = UnitReport.objects.get(unit=cell_a, period__code="2025-09")
    OpinionStream.objects.create(report=september, topic=environment, summary="Rác ở chợ.",
                                 attitude=Attitude.AGGRIEVED, reach=Reach.MANY,
                                 channel=Channel.RESIDENTIAL)
    named = BurstAlert.objects.create(issue=issue, detected_on=dt.date(2025, 9, 15), count=6,
                                      baseline=1, reason="6 ý kiến trong 3 ngày")
    silent = BurstAlert.objects.create(issue=issue, detected_on=dt.date(2025, 12, 5), count=7,
                                       baseline=1, reason="7 ý kiến trong 3 ngày")
    return named, silent


def test_candidates_are_the_silences_and_the_late_issues(alerts, vanphong, cell_a):
    named, silent = alerts
    found = {(c.source, c.source_pk): c for c in candidates(KEY)}
    late = Issue.objects.get(code="VD-1")  # answered after its due date
    assert set(found) == {("alert", silent.pk), ("issue", late.pk)}
    assert found[("alert", silent.pk)].kind == Incident.Kind.OMISSION
    assert "không nộp báo cáo tháng 12/2025" in found[("alert", silent.pk)].label
    assert found[("issue", late.pk)].kind == Incident.Kind.PASSIVITY
    assert all(c.unit_id == cell_a.pk for c in found.values())
    # Once recorded, a candidate is not offered again; the other stays.
    incident_services.record_incident(
        actor=vanphong,
        unit=cell_a, kind=Incident.Kind.PASSIVITY, occurred_on=late.due_on,
        description="Chậm trả lời vấn đề VD-1.", source=Incident.Source.ISSUE,
        source_pk=late.pk)
    assert {(c.source, c.source_pk) for c in candidates(KEY)} == {("alert", silent.pk)}
    # January's report is not due before the 24th: an alert of 5 January is no silence yet.
    BurstAlert.objects.create(issue=silent.issue, detected_on=dt.date(2026, 1, 5), count=5,
                              baseline=1, reason="5 ý kiến trong 3 ngày")
    assert candidates(parse_period("2026-01")) == []


def test_recording_and_review_are_checked_and_audited(half_year, vanphong, an, cell_a):
    with pytest.raises(ServiceError, match="Chỉ Ban Xây dựng Đảng") as refused:
        incident_services.record_incident(actor=an, unit=cell_a, kind="bi_dong",
                                          occurred_on=dt.date(2025, 11, 1), description="x")
    assert refused.value.field == "user"
    assert Incident.objects.count() == 0
    with pytest.raises(ServiceError) as refused:
        incident_services.record_incident(actor=vanphong, unit=cell_a, kind="bi_dong",
                                          occurred_on=dt.date(2025, 11, 1), description="  ")
    assert refused.value.field == "description"
    incident = incident_services.record_incident(
        actor=vanphong, unit=cell_a, kind="bi_dong", occurred_on=dt.date(2025, 11, 1),
        description="Không nắm được dư luận về việc thu hồi đất ở tổ 1.")
    with pytest.raises(ServiceError) as refused:
        incident_services.review_incident(actor=vanphong, incident=incident,
                                          outcome=Incident.Outcome.DISCIPLINE,
                                          review="Kỷ luật khiển trách.",
                                          decided_on=dt.date(2025, 12, 1))
    assert refused.value.field == "decision_ref"
    incident.refresh_from_db()
    assert incident.outcome == ""
    incident_services.review_incident(actor=vanphong, incident=incident,
                                      outcome=Incident.Outcome.DISCIPLINE,
                                      review="Kỷ luật khiển trách.",
                                      decided_on=dt.date(2025, 12, 1),
                                      decision_ref="QĐ 12-QĐ/ĐU")
    entries = AuditEntry.objects.filter(object_type="evaluation.incident",
                                        object_id=str(incident.pk))
    assert entries.count() == 2
    assert "kỷ luật" in entries.order_by("-pk").first().summary


def _incident(actor, unit, day, outcome=""):
    incident = incident_services.record_incident(actor=actor, unit=unit, kind="so_ho",
                                                 occurred_on=day, description="Bỏ sót.")
    if outcome:
        ref = "QĐ 1" if outcome == Incident.Outcome.DISCIPLINE else ""
        incident_services.review_incident(actor=actor, incident=incident, outcome=outcome,
                                          review="Kết luận.", decided_on=day, decision_ref=ref)
    return incident


def test_each_incident_at_fault_deducts_from_the_card(half_year, vanphong, cell_a, cell_b):
    services.create_criteria_set(actor=vanphong, year=2025, name="Có vụ việc",
                                 criteria=WITH_INCIDENTS)
    _incident(vanphong, cell_a, dt.date(2025, 10, 3), Incident.Outcome.CRITICISM)
    _incident(vanphong, cell_a, dt.date(2025, 11, 3))  # still under review: not counted
    _incident(vanphong, cell_a, dt.date(2025, 11, 4), Incident.Outcome.NO_FAULT)
    _incident(vanphong, cell_a, dt.date(2025, 5, 4), Incident.Outcome.DISCIPLINE)  # H1
    cards = {c.unit_id: c for c in compute_board(KEY).cards}
    line = next(x for x in cards[cell_a.pk].lines if x.criterion.code == "vu_viec")
    assert line.measurement.value == 1 and line.points == 5
    assert cards[cell_a.pk].total == 43.8  # (30 + 5) / (70 + 10)
    other = next(x for x in cards[cell_b.pk].lines if x.criterion.code == "vu_viec")
    assert other.measurement.value == 0 and other.points == 10  # none: full points
    _incident(vanphong, cell_a, dt.date(2025, 12, 3), Incident.Outcome.DISCIPLINE)
    _incident(vanphong, cell_a, dt.date(2025, 12, 4), Incident.Outcome.CRITICISM)
    cards = {c.unit_id: c for c in compute_board(KEY).cards}
    line = next(x for x in cards[cell_a.pk].lines if x.criterion.code == "vu_viec")
    assert line.measurement.value == 3 and line.points == 0  # past the floor: no points
    assert cards[cell_a.pk].total == 37.5  # 30 / 80
    # The drill-down names each incident of the period, the deducted ones marked.
    view = card_for(vanphong, cell_a.pk, KEY)
    marks = [e["ok"] for e in view.evidence["incidents"]]
    assert marks == [False, True, True, False, False]


def test_an_incidents_criterion_needs_target_zero(vanphong):
    rows = [{**WITH_INCIDENTS[-1], "target": "2", "floor": "0"}]
    with pytest.raises(ServiceError) as refused:
        services.create_criteria_set(actor=vanphong, year=2026, name="Sai", criteria=rows)
    assert "Tiêu chí dòng 1" in refused.value.message and "0 vụ" in refused.value.message


def test_a_unit_reads_its_own_incidents_only(half_year, vanphong, an, binh, lanhdao, cell_a):
    incident = _incident(vanphong, cell_a, dt.date(2025, 11, 3), Incident.Outcome.CRITICISM)
    assert get_incident_for(an, incident.pk) == incident
    assert get_incident_for(lanhdao, incident.pk) == incident
    with pytest.raises(Http404):
        get_incident_for(binh, incident.pk)
    client = Client()
    client.login(username="binh", password=PASSWORD)
    page = client.get(reverse("evaluation:incident_list"), {"ky": PERIOD})
    assert page.status_code == 200 and "Bỏ sót." not in page.content.decode()
    assert "Dấu hiệu từ số liệu" not in page.content.decode()  # candidates: the office's
    assert client.get(reverse("evaluation:incident_detail", args=[incident.pk])).status_code \
        == 404
    client.login(username="an", password=PASSWORD)
    page = client.get(reverse("evaluation:card", args=[cell_a.pk]), {"ky": PERIOD})
    assert "Phê bình, nhắc nhở" in page.content.decode()
    assert client.post(reverse("evaluation:incident_review", args=[incident.pk]),
                       {"outcome": "khong_vi_pham", "review": "x",
                        "decided_on": "2025-12-01"}).status_code == 404
    incident.refresh_from_db()
    assert incident.outcome == Incident.Outcome.CRITICISM


def test_choosing_a_unit_keeps_the_others_in_its_dropdown(half_year, vanphong, cell_a, cell_b):
    _incident(vanphong, cell_a, dt.date(2025, 11, 3))
    _incident(vanphong, cell_b, dt.date(2025, 11, 4))
    client = Client()
    client.login(username="vanphong", password=PASSWORD)
    page = client.get(reverse("evaluation:incident_list"),
                      {"ky": PERIOD, "don_vi": cell_a.pk}).content.decode()
    dropdown = page[page.index('<select id="don_vi"'):]
    dropdown = dropdown[:dropdown.index("</select>")]
    assert f'value="{cell_a.pk}" selected' in dropdown
    assert f'value="{cell_b.pk}"' in dropdown  # still there to switch to
    assert page.count("Bỏ sót.") == 1  # the list itself is the chosen unit's


def test_the_card_lists_the_incidents_its_measure_counts(half_year, vanphong, cell_a):
    counted = _incident(vanphong, cell_a, dt.date(2025, 11, 3))
    _incident(vanphong, cell_a, dt.date(2025, 5, 3))  # H1: another period
    assert incidents_of_unit(cell_a, parse_period(PERIOD), dt.date(2026, 1, 10)) == [counted]
    # the measure stops at today: an incident dated after it is not on the card yet
    assert incidents_of_unit(cell_a, parse_period(PERIOD), dt.date(2025, 11, 2)) == []


def test_the_office_confirms_a_candidate_from_the_page(alerts, vanphong, cell_a):
    _named, silent = alerts
    client = Client()
    client.login(username="vanphong", password=PASSWORD)
    page = client.get(reverse("evaluation:incident_list"), {"ky": PERIOD}).content.decode()
    assert f'data-candidate="alert-{silent.pk}"' in page
    response = client.post(reverse("evaluation:incident_new"), {
        "don_vi": cell_a.pk, "loai": "so_ho", "ngay": "2025-12-05", "nguon": "alert",
        "ma": silent.pk, "can_cu": "Cảnh báo ngày 05/12/2025", "mo_ta": "Không báo cáo."})
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert (incident.source, incident.source_pk, incident.unit) == ("alert", silent.pk, cell_a)
    # The same alert again is refused, naming why; nothing more is stored.
    again = client.post(reverse("evaluation:incident_new"), {
        "don_vi": cell_a.pk, "loai": "so_ho", "ngay": "2025-12-05", "nguon": "alert",
        "ma": silent.pk, "mo_ta": "Lần hai."})
    assert "đã được ghi nhận" in again.content.decode() and Incident.objects.count() == 1


def test_the_office_dismisses_a_candidate_with_its_reason(alerts, vanphong, an, cell_a):
    _named, silent = alerts
    client = Client()
    client.force_login(an)  # a unit may not dismiss what is said of it
    client.post(reverse("evaluation:candidate_dismiss"), {
        "don_vi": cell_a.pk, "nguon": "alert", "ma": silent.pk, "ly_do": "Không phải."})
    assert ("alert", silent.pk) in {(c.source, c.source_pk) for c in candidates(KEY)}
    client.force_login(vanphong)
    refused = client.post(reverse("evaluation:candidate_dismiss"), {
        "don_vi": cell_a.pk, "nguon": "alert", "ma": silent.pk, "ly_do": " ", "ky": PERIOD})
    assert refused.status_code == 302
    assert ("alert", silent.pk) in {(c.source, c.source_pk) for c in candidates(KEY)}
    entries = AuditEntry.objects.count()
    client.post(reverse("evaluation:candidate_dismiss"), {
        "don_vi": cell_a.pk, "nguon": "alert", "ma": silent.pk, "ky": PERIOD,
        "ly_do": "Chi bộ đã báo cáo bằng văn bản giấy ngày 20/12."})
    assert ("alert", silent.pk) not in {(c.source, c.source_pk) for c in candidates(KEY)}
    assert AuditEntry.objects.count() == entries + 1
    page = client.get(reverse("evaluation:incident_list"), {"ky": PERIOD}).content.decode()
    assert f'data-candidate="alert-{silent.pk}"' not in page
    with pytest.raises(ServiceError, match="đã được bỏ qua"):
        incident_services.dismiss_candidate(actor=vanphong, unit=cell_a, source="alert",
                                            source_pk=silent.pk, reason="Lần hai.")
