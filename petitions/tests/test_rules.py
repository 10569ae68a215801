"""The state of a point and the answer rate (petitions.rules, pure)."""

from __future__ import annotations

import datetime as dt

import pytest

from petitions import rules

TODAY = dt.date(2026, 12, 5)


@pytest.mark.parametrize(("kwargs", "state"), [
    ({"disposition": ""}, rules.UNMARKED),
    ({"disposition": None}, rules.UNMARKED),
    ({"disposition": "tai_hoi_nghi"}, rules.ANSWERED),
    ({"disposition": "chuyen_co_quan", "due_on": dt.date(2026, 12, 10)}, rules.WAITING),
    ({"disposition": "chuyen_co_quan", "due_on": TODAY}, rules.WAITING),  # due today: not late
    ({"disposition": "chuyen_co_quan", "due_on": dt.date(2026, 12, 4)}, rules.OVERDUE),
    ({"disposition": "chuyen_co_quan", "due_on": dt.date(2026, 12, 1),
      "replied_on": dt.date(2026, 12, 3)}, rules.ANSWERED),
    ({"disposition": "van_de", "issue_status": "dang_theo_doi"}, rules.WAITING),
    ({"disposition": "van_de", "issue_status": "da_giao_xu_ly",
      "issue_due_on": dt.date(2026, 12, 1)}, rules.OVERDUE),
    ({"disposition": "van_de", "issue_status": "da_tra_loi_dan",
      "issue_due_on": dt.date(2026, 12, 1)}, rules.ANSWERED),
    ({"disposition": "van_de", "issue_status": "dong"}, rules.ANSWERED),
    ({"disposition": "van_de", "issue_status": "da_giai_quyet"}, rules.ANSWERED),
])
def test_point_state(kwargs, state):
    assert rules.point_state(today=TODAY, **kwargs) == state


def test_unknown_disposition_is_an_error():
    with pytest.raises(ValueError):
        rules.point_state(disposition="khac", today=TODAY)


def test_tally_counts_by_hand():
    states = [rules.ANSWERED] * 3 + [rules.WAITING, rules.OVERDUE, rules.OVERDUE, rules.UNMARKED]
    tally = rules.tally(states)
    assert (tally.total, tally.answered, tally.waiting, tally.overdue, tally.unmarked) == (
        7, 3, 4, 2, 1)
    assert tally.rate == pytest.approx(3 / 7)
    assert tally.rate_label == "43%"


def test_no_point_has_no_rate():
    assert rules.tally([]).rate is None
    assert rules.tally([]).rate_label == "—"


def test_issue_done_statuses_are_the_issue_vocabulary():
    from core.choices import IssueStatus

    assert set(rules.ISSUE_DONE) == {IssueStatus.RESOLVED, IssueStatus.ANSWERED,
                                     IssueStatus.CLOSED}
