"""A flash request's timing in hours (pure: no Django): each unit's status against a deadline
given as an instant, and when its reminders fall due (half-time, one hour before)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

ON_TIME, LATE, MISSING, PENDING = "on_time", "late", "missing", "pending"
STATUS_LABELS = {
    ON_TIME: "Nộp đúng hạn",
    LATE: "Nộp muộn",
    MISSING: "Chưa nộp (quá hạn)",
    PENDING: "Chưa nộp (còn hạn)",
}
HALF, HOUR = "half", "hour"


def hours_between(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 3600


def status(deadline: dt.datetime, submitted_at: dt.datetime | None, now: dt.datetime) -> str:
    """On time when submitted by the deadline (inclusive), late after; else missing or pending."""
    if submitted_at is not None:
        return ON_TIME if submitted_at <= deadline else LATE
    return MISSING if now > deadline else PENDING


def hours_word(hours: float) -> str:
    """ "3 giờ", "1 giờ 30 phút", "45 phút": how far from the deadline, as a person says it."""
    minutes = max(0, math.ceil(abs(hours) * 60 - 1e-9))
    whole, rest = divmod(minutes, 60)
    if whole and rest:
        return f"{whole} giờ {rest} phút"
    if whole:
        return f"{whole} giờ"
    return f"{rest} phút"


def describe(deadline: dt.datetime, submitted_at: dt.datetime | None, now: dt.datetime) -> str:
    state = status(deadline, submitted_at, now)
    if state == ON_TIME:
        return f"nộp trước hạn {hours_word(hours_between(submitted_at, deadline))}"
    if state == LATE:
        return f"nộp muộn {hours_word(hours_between(deadline, submitted_at))}"
    if state == MISSING:
        return f"quá hạn {hours_word(hours_between(deadline, now))}"
    return f"còn {hours_word(hours_between(now, deadline))}"


def due_reminders(asked_at: dt.datetime, deadline: dt.datetime, now: dt.datetime) -> list[str]:
    """The reminders due at ``now``: half-time once half the time has passed, and one hour before
    the deadline (only when the whole time is longer than two hours, or it would repeat the
    half-time one). None after the deadline: the compliance page shows who is late."""
    if now >= deadline or now < asked_at:
        return []
    due = []
    if now >= asked_at + (deadline - asked_at) / 2:
        due.append(HALF)
    if deadline - asked_at > dt.timedelta(hours=2) and now >= deadline - dt.timedelta(hours=1):
        due.append(HOUR)
    return due


@dataclass(frozen=True)
class Tally:
    expected: int
    on_time: int
    late: int
    missing: int
    pending: int

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def rate(self) -> float | None:
        return self.submitted / self.expected if self.expected else None


def tally(statuses: list[str]) -> Tally:
    return Tally(len(statuses), statuses.count(ON_TIME), statuses.count(LATE),
                 statuses.count(MISSING), statuses.count(PENDING))
