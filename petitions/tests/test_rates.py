"""Answer rates per meeting and per delegate group, counted by hand; overdue; scoping."""

from __future__ import annotations

import datetime as dt

from issues.models import Issue
from petitions import rules, selectors, services
from petitions.services import MarkInput
from petitions.tests.conftest import TODAY


def _mark(user, item, **kwargs):
    return services.mark_point(user=user, item=item, data=MarkInput(**kwargs), expected_version=0)


def _marked_world(world, vanphong):
    """a1 (group 1, cell A): answered at the meeting, referred and replied, referred overdue,
    unmarked. a2 (group 2, cell A): an issue answered, an issue overdue. b1 (group 2, cell B):
    referred not due yet, two unmarked."""
    a1, a2, b1 = world.items["a1"], world.items["a2"], world.items["b1"]
    _mark(vanphong, a1[0], disposition="tai_hoi_nghi", answered_by="Chủ tịch", answer="Đã rõ.")
    p = _mark(vanphong, a1[1], disposition="chuyen_co_quan", agency_name="Điện lực",
              due_on=dt.date(2026, 11, 30))
    services.record_reply(user=vanphong, point=p, reply="Đã sửa.", replied_on=dt.date(2026, 12, 2),
                          expected_version=1)
    _mark(vanphong, a1[2], disposition="chuyen_co_quan", agency_name="Cấp nước",
          due_on=dt.date(2026, 12, 4))
    done = Issue.objects.create(code="VD-1", title="Rác", status="da_tra_loi_dan",
                                due_on=dt.date(2026, 11, 1))
    late = Issue.objects.create(code="VD-2", title="Đèn", status="da_giao_xu_ly",
                                due_on=dt.date(2026, 12, 1))
    for item, issue in ((a2[0], done), (a2[1], late)):
        item.issue = issue
        item.save()
        _mark(vanphong, item, disposition="van_de")
    _mark(vanphong, b1[0], disposition="chuyen_co_quan", agency_name="Điện lực",
          due_on=dt.date(2026, 12, 30))


def test_rates_per_meeting_and_group_by_hand(world, vanphong):
    _marked_world(world, vanphong)
    stats = selectors.round_stats(vanphong, world.round, TODAY)
    per_meeting = {row.meeting.pk: row.tally for row in stats.meetings}
    a1 = per_meeting[world.meetings["a1"].pk]
    assert (a1.total, a1.answered, a1.overdue, a1.unmarked) == (4, 2, 1, 1)
    assert a1.rate_label == "50%"
    a2 = per_meeting[world.meetings["a2"].pk]
    assert (a2.total, a2.answered, a2.overdue) == (2, 1, 1)
    b1 = per_meeting[world.meetings["b1"].pk]
    assert (b1.total, b1.answered, b1.waiting, b1.overdue, b1.unmarked) == (3, 0, 3, 0, 2)
    groups = {row.group.name: row.tally for row in stats.groups}
    assert (groups["Tổ đại biểu số 1"].total, groups["Tổ đại biểu số 1"].answered) == (4, 2)
    g2 = groups["Tổ đại biểu số 2"]  # a2 + b1
    assert (g2.total, g2.answered, g2.waiting, g2.overdue) == (5, 1, 4, 1)
    assert g2.rate_label == "20%"
    assert (stats.total.total, stats.total.answered, stats.total.overdue) == (9, 3, 2)


def test_the_database_filter_agrees_with_the_rule(world, vanphong):
    _marked_world(world, vanphong)
    items = list(selectors.points_visible_to(vanphong))
    for state in rules.STATE_LABELS:
        by_db = set(selectors.points_visible_to(vanphong).filter(
            selectors.state_q(state, TODAY)).values_list("pk", flat=True))
        by_rule = {i.pk for i in items if selectors.state_of(i, TODAY) == state
                   or (state == rules.WAITING and selectors.state_of(i, TODAY) != rules.ANSWERED)}
        assert by_db == by_rule, state
    overdue = selectors.filter_points(vanphong, selectors.PointFilter(state="overdue"), TODAY)
    assert {i.pk for i in overdue} == {world.items["a1"][2].pk, world.items["a2"][1].pk}


def test_a_unit_counts_its_own_meetings_only(world, vanphong, an, binh):
    _marked_world(world, vanphong)
    stats = selectors.round_stats(an, world.round, TODAY)
    assert {row.meeting.pk for row in stats.meetings} == {world.meetings["a1"].pk,
                                                          world.meetings["a2"].pk}
    assert stats.total.total == 6
    assert {i.meeting_id for i in selectors.points_visible_to(binh)} == {world.meetings["b1"].pk}
    assert selectors.tallies_of_rounds(binh, [world.round], TODAY)[world.round.pk].total == 3


def test_search_without_diacritics_and_sorting_by_due_date(world, vanphong):
    from core.text import fold

    item = world.items["b1"][2]
    item.text = "Đề nghị lắp đèn chiếu sáng ngõ chợ"
    item.text_folded = fold(item.text)
    item.save()
    found = selectors.filter_points(vanphong, selectors.PointFilter(q="den chieu sang"), TODAY)
    assert [i.pk for i in found] == [item.pk]
    _marked_world(world, vanphong)
    by_due = list(selectors.filter_points(vanphong, selectors.PointFilter(sort="han"), TODAY))
    dues = [i.petition.due_on for i in by_due if hasattr(i, "petition") and i.petition.due_on]
    assert dues == sorted(dues) and len(dues) == 3
    assert not (hasattr(by_due[0], "petition") and by_due[0].petition.due_on is None)
    latest_first = list(selectors.filter_points(vanphong, selectors.PointFilter(sort="-han"),
                                                TODAY))
    assert latest_first[0].petition.due_on == dt.date(2026, 12, 30)  # no NULL first
