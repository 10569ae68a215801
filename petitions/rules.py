"""The state of a voter's point and the answer rate (pure: no Django).

A point is *answered* when it was answered at the meeting, when the agency it was passed to has
replied, or when the issue it became is resolved, answered or closed. Anything else is
*waiting*; waiting past its due date (the agency's, or the issue's) is *overdue*; a point
nobody has marked yet is *unmarked* (it waits too). The answer rate is answered / all points.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

ANSWERED_AT_MEETING = "tai_hoi_nghi"
REFERRED = "chuyen_co_quan"
ISSUE = "van_de"
ISSUE_DONE = ("da_giai_quyet", "da_tra_loi_dan", "dong")  # IssueStatus RESOLVED, ANSWERED, CLOSED

ANSWERED, WAITING, OVERDUE, UNMARKED = "answered", "waiting", "overdue", "unmarked"
STATE_LABELS = {
    ANSWERED: "Đã trả lời",
    WAITING: "Đang chờ trả lời",
    OVERDUE: "Quá hạn",
    UNMARKED: "Chưa phân loại",
}


def point_state(
    *,
    disposition: str | None,
    today: dt.date,
    due_on: dt.date | None = None,
    replied_on: dt.date | None = None,
    issue_status: str | None = None,
    issue_due_on: dt.date | None = None,
) -> str:
    if not disposition:
        return UNMARKED
    if disposition == ANSWERED_AT_MEETING:
        return ANSWERED
    if disposition == REFERRED:
        if replied_on is not None:
            return ANSWERED
        return OVERDUE if due_on is not None and due_on < today else WAITING
    if disposition == ISSUE:
        if issue_status in ISSUE_DONE:
            return ANSWERED
        return OVERDUE if issue_due_on is not None and issue_due_on < today else WAITING
    raise ValueError(f"unknown disposition {disposition!r}")


@dataclass(frozen=True)
class Tally:
    total: int = 0
    answered: int = 0
    waiting: int = 0  # overdue and unmarked points included
    overdue: int = 0
    unmarked: int = 0

    @property
    def rate(self) -> float | None:
        """Answered / all, or None when there is no point (not 0 %: nothing was owed)."""
        return self.answered / self.total if self.total else None

    @property
    def rate_label(self) -> str:
        rate = self.rate
        return "—" if rate is None else f"{rate * 100:.0f}%".replace(".", ",")


def tally(states: Iterable[str]) -> Tally:
    total = answered = overdue = unmarked = 0
    for state in states:
        total += 1
        answered += state == ANSWERED
        overdue += state == OVERDUE
        unmarked += state == UNMARKED
    return Tally(total=total, answered=answered, waiting=total - answered, overdue=overdue,
                 unmarked=unmarked)
