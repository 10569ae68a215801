"""Marking a point: exactly one disposition, what each needs, who may mark, versions, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from core.errors import ConflictError, ServiceError
from core.models import AuditEntry
from issues.models import Issue
from petitions import services
from petitions.models import Point
from petitions.services import MarkInput


def _mark(user, item, version=0, **kwargs):
    return services.mark_point(user=user, item=item, data=MarkInput(**kwargs),
                               expected_version=version)


def test_each_disposition_keeps_only_what_it_needs(world, vanphong, ubnd):
    item = world.items["a1"][0]
    point = _mark(vanphong, item, disposition="chuyen_co_quan", field="giao_thong", agency=ubnd,
                  due_on=dt.date(2026, 12, 20))
    assert (point.disposition, point.agency, point.due_on, point.version) == (
        "chuyen_co_quan", ubnd, dt.date(2026, 12, 20), 1)
    point = _mark(vanphong, item, version=1, disposition="tai_hoi_nghi", field="giao_thong",
                  answered_by="Chủ tịch UBND phường", answer="Đã đưa vào kế hoạch năm sau.",
                  due_on=dt.date(2026, 12, 20))  # a due date sent along is dropped
    point.refresh_from_db()
    assert point.disposition == "tai_hoi_nghi" and point.due_on is None
    assert point.answered_by == "Chủ tịch UBND phường" and point.issue is None
    assert Point.objects.filter(item=item).count() == 1  # one row, one disposition


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"disposition": "tai_hoi_nghi", "answer": "Đã trả lời."}, "answered_by"),
    ({"disposition": "tai_hoi_nghi", "answered_by": "Chủ tịch UBND"}, "answer"),
    ({"disposition": "chuyen_co_quan", "due_on": dt.date(2026, 12, 20)}, "agency"),
    ({"disposition": "chuyen_co_quan", "agency_name": "Điện lực"}, "due_on"),
    ({"disposition": "khong_biet"}, "disposition"),
    ({"disposition": "tai_hoi_nghi", "answered_by": "A", "answer": "B", "field": "x"}, "field"),
])
def test_a_disposition_without_what_it_needs_is_refused(world, vanphong, kwargs, field):
    with pytest.raises(ServiceError) as refused:
        _mark(vanphong, world.items["a1"][0], **kwargs)
    assert refused.value.field == field
    assert not Point.objects.exists()


def test_the_database_refuses_two_dispositions_at_once(world):
    item = world.items["a1"][0]
    issue = Issue.objects.create(code="VD-1", title="Đường ngõ")
    with pytest.raises(IntegrityError), transaction.atomic():
        Point.objects.create(item=item, disposition="tai_hoi_nghi", answered_by="A", answer="B",
                             issue=issue)
    with pytest.raises(IntegrityError), transaction.atomic():
        Point.objects.create(item=item, disposition="chuyen_co_quan", agency_name="Điện lực",
                             due_on=dt.date(2026, 12, 1), answered_by="A", answer="B")
    with pytest.raises(IntegrityError), transaction.atomic():
        Point.objects.create(item=item, disposition="van_de")  # an issue without its issue


def test_changing_the_disposition_is_audited_with_before_and_after(world, vanphong):
    item = world.items["a1"][1]
    _mark(vanphong, item, disposition="chuyen_co_quan", agency_name="Công ty Điện lực",
          due_on=dt.date(2026, 12, 20))
    _mark(vanphong, item, version=1, disposition="tai_hoi_nghi", answered_by="Phó Chủ tịch",
          answer="Đã giải thích.")
    entries = AuditEntry.objects.filter(object_type="petitions.point").order_by("pk")
    assert [e.action for e in entries] == [AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE]
    last = entries.last()
    assert last.data["before"]["disposition"] == "chuyen_co_quan"
    assert last.data["after"]["disposition"] == "tai_hoi_nghi"
    assert "disposition" in last.data["changed"] and "due_on" in last.data["changed"]
    assert "trước: chuyển cơ quan" in last.summary
    assert "answer" not in last.data["after"]  # no free text in the log
    assert last.actor == vanphong


def test_a_stale_version_is_refused_not_overwritten(world, vanphong, an):
    item = world.items["a1"][0]
    _mark(an, item, disposition="tai_hoi_nghi", answered_by="Bí thư chi bộ", answer="Đã trả lời.")
    with pytest.raises(ConflictError):  # the office opened the page before the unit's marking
        _mark(vanphong, item, version=0, disposition="chuyen_co_quan", agency_name="Điện lực",
              due_on=dt.date(2026, 12, 20))
    assert Point.objects.get(item=item).disposition == "tai_hoi_nghi"


def test_who_may_mark(world, an, binh, lanhdao):
    item = world.items["a1"][0]  # a meeting of cell A
    with pytest.raises(ServiceError):
        _mark(binh, item, disposition="tai_hoi_nghi", answered_by="A", answer="B")
    with pytest.raises(ServiceError):  # leaders read; they do not mark
        _mark(lanhdao, item, disposition="tai_hoi_nghi", answered_by="A", answer="B")
    assert _mark(an, item, disposition="tai_hoi_nghi", answered_by="A", answer="B").pk


def test_made_an_issue_through_the_issues_services(world, vanphong, an, ubnd):
    item = world.items["b1"][0]
    with pytest.raises(ServiceError):  # a unit may not open a new issue
        _mark(an, world.items["a1"][2], disposition="van_de")
    point = _mark(vanphong, item, disposition="van_de", field="moi_truong", agency=ubnd)
    issue = point.issue
    assert issue.owner_unit == ubnd and issue.events.filter(kind="created").exists()
    assert AuditEntry.objects.filter(object_type="issues.issue", object_id=str(issue.pk)).exists()
    # a point whose item already joined an issue is linked to it (the alias to the kept one)
    kept = Issue.objects.create(code="VD-9", title="Đường ngõ xuống cấp")
    alias = Issue.objects.create(code="VD-8", title="Đường ngõ", merged_into=kept)
    other = world.items["a1"][3]
    other.issue = alias
    other.save()
    assert _mark(an, other, disposition="van_de").issue == kept


def test_the_agency_reply_answers_a_referred_point(world, vanphong, an):
    item = world.items["a1"][0]
    point = _mark(an, item, disposition="chuyen_co_quan", agency_name="Công ty Điện lực",
                  due_on=dt.date(2026, 12, 1))
    with pytest.raises(ServiceError):
        services.record_reply(user=an, point=point, reply="Đã sửa.",
                              replied_on=dt.date(2026, 11, 1), expected_version=1)
    point = services.record_reply(user=an, point=point, reply="Đã thay bóng đèn, gọi 0912345678.",
                                  replied_on=dt.date(2026, 12, 3), expected_version=1)
    assert point.replied_on == dt.date(2026, 12, 3) and "0912345678" not in point.reply
    with pytest.raises(ConflictError):
        services.record_reply(user=vanphong, point=point, reply="x",
                              replied_on=dt.date(2026, 12, 3), expected_version=1)
    # re-marking as referred keeps the reply; another disposition drops it
    point = _mark(vanphong, item, version=2, disposition="chuyen_co_quan",
                  agency_name="Công ty Điện lực", due_on=dt.date(2026, 12, 2))
    assert point.replied_on == dt.date(2026, 12, 3)
    point = _mark(vanphong, item, version=3, disposition="tai_hoi_nghi", answered_by="A",
                  answer="B")
    assert point.reply == "" and point.replied_on is None


def test_answers_are_masked(world, an):
    point = _mark(an, world.items["a1"][0], disposition="tai_hoi_nghi", answered_by="Bí thư",
                  answer="Ông trả lời sẽ gọi lại số 0912345678 trong tuần.")
    assert "0912345678" not in point.answer


def test_a_meeting_joins_a_round_within_its_dates(world, vanphong, an, cell_a, area_1):
    from petitions.tests.conftest import make_meeting

    late, _ = make_meeting(cell_a, area_1, "Tiếp xúc muộn", dt.date(2026, 12, 20), 1)
    with pytest.raises(ServiceError) as refused:
        services.link_meeting(user=an, meeting=late, round_=world.round)
    assert refused.value.field == "round"
    dialogue, _ = make_meeting(cell_a, area_1, "Đối thoại", dt.date(2026, 11, 25), 1,
                               kind="doi_thoai")
    with pytest.raises(ServiceError):  # a dialogue is not a voter meeting of a round
        services.link_meeting(user=an, meeting=dialogue, round_=world.round)
    with pytest.raises(ServiceError):  # the chair must be a leader
        services.link_meeting(user=an, meeting=dialogue, round_=None, leader=vanphong)
    link = services.link_meeting(user=an, meeting=dialogue, round_=None)
    assert link.round is None
    assert AuditEntry.objects.filter(object_type="petitions.meetinglink",
                                     object_id=str(link.pk)).exists()


def test_only_the_office_makes_rounds_and_groups(an):
    with pytest.raises(ServiceError):
        services.create_round(user=an, data=services.RoundInput(
            title="Đợt", timing="truoc", session_name="Kỳ họp", session_on=dt.date(2026, 12, 1),
            starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 11, 20)))
    with pytest.raises(ServiceError):
        services.create_delegate_group(user=an, name="Tổ 9")


def test_a_round_ending_before_it_starts_is_refused(vanphong):
    with pytest.raises(ServiceError) as refused:
        services.create_round(user=vanphong, data=services.RoundInput(
            title="Đợt", timing="truoc", session_name="Kỳ họp", session_on=dt.date(2026, 12, 1),
            starts_on=dt.date(2026, 11, 20), ends_on=dt.date(2026, 11, 1)))
    assert refused.value.field == "ends_on"
