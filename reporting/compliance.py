"""Compliance arithmetic, DHIS2-style, as a pure function (no Django).

expected = units open at some time during the period (and assigned to the template);
reporting rate = submitted / expected; on-time rate = submitted by the deadline / expected.
Timeliness is judged on the *first* submission, so a unit asked to revise is not punished for it;
whether that was by the deadline (midnight local time) is decided by the caller, which can ask the
database for it and so avoid converting tens of thousands of timestamps in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

NOT_STARTED = "not_started"
DRAFT = "draft"
ON_TIME = "on_time"
LATE = "late"
RETURNED = "returned"
MISSING = "missing"

STATUS_LABELS = {
    NOT_STARTED: "Chưa bắt đầu",
    DRAFT: "Đang soạn",
    ON_TIME: "Nộp đúng hạn",
    LATE: "Nộp muộn",
    RETURNED: "Bị trả lại",
    MISSING: "Chưa nộp (quá hạn)",
}


@dataclass(frozen=True)
class UnitInfo:
    id: int
    name: str
    parent_id: int | None
    opened_on: dt.date
    closed_on: dt.date | None

    def open_during(self, start: dt.date, end: dt.date) -> bool:
        return self.opened_on <= end and (self.closed_on is None or self.closed_on >= start)


@dataclass(frozen=True)
class PeriodInfo:
    code: str
    label: str
    start: dt.date
    end: dt.date
    deadline: dt.date
    in_force: bool = True  # False before the template applied: nobody owes a report then


class ReportInfo(NamedTuple):
    """A tuple, not a dataclass: tens of thousands are made per call and tuples are cheap."""

    state: str  # "draft" | "submitted" | "returned"
    first_submitted_on_time: bool | None  # was the first submission by the deadline?


@dataclass
class Tally:
    expected: int = 0
    on_time: int = 0
    late: int = 0
    returned: int = 0
    draft: int = 0
    not_started: int = 0
    missing: int = 0

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def reporting_rate(self) -> float | None:
        return self.submitted / self.expected if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.expected if self.expected else None

    @classmethod
    def from_counts(cls, counts: Mapping[str, int]) -> Tally:
        return cls(expected=sum(counts.values()), **counts)

    def as_dict(self) -> dict:
        return {
            "expected": self.expected,
            "submitted": self.submitted,
            "on_time": self.on_time,
            "late": self.late,
            "returned": self.returned,
            "draft": self.draft,
            "not_started": self.not_started,
            "missing": self.missing,
            "reporting_rate": self.reporting_rate,
            "on_time_rate": self.on_time_rate,
        }


@dataclass
class PeriodCompliance:
    period: PeriodInfo
    total: Tally = field(default_factory=Tally)
    by_parent: dict[int | None, Tally] = field(default_factory=dict)
    statuses: dict[int, str] = field(default_factory=dict)  # unit id -> status

    def units_with(self, status: str) -> list[int]:
        return [unit_id for unit_id, value in self.statuses.items() if value == status]


def unit_status(report: ReportInfo | None, deadline: dt.date, today: dt.date) -> str:
    """The status of one expected unit in one period, as seen on ``today`` (a local date)."""
    if report is not None and report.state == "submitted":
        return ON_TIME if report.first_submitted_on_time else LATE
    if report is not None and report.state == "returned":
        return RETURNED
    if today > deadline:
        return MISSING
    return DRAFT if report is not None else NOT_STARTED


def compute(
    *,
    units: Iterable[UnitInfo],
    periods: Iterable[PeriodInfo],
    reports: Mapping[tuple[int, str], ReportInfo],
    today: dt.date,
) -> list[PeriodCompliance]:
    """One :class:`PeriodCompliance` per period, in the order given."""
    unit_list = list(units)
    results = []
    for period in periods:
        if not period.in_force:
            results.append(PeriodCompliance(period=period))
            continue
        statuses: dict[int, str] = {}
        parent_counts: Counter[tuple[int | None, str]] = Counter()
        for unit in unit_list:
            if unit.opened_on > period.end or (
                unit.closed_on is not None and unit.closed_on < period.start
            ):
                continue
            status = unit_status(reports.get((unit.id, period.code)), period.deadline, today)
            statuses[unit.id] = status
            parent_counts[unit.parent_id, status] += 1
        by_parent: dict[int | None, Counter[str]] = defaultdict(Counter)
        for (parent_id, status), count in parent_counts.items():
            by_parent[parent_id][status] = count
        results.append(
            PeriodCompliance(
                period=period,
                total=Tally.from_counts(Counter(statuses.values())),
                by_parent={pid: Tally.from_counts(c) for pid, c in by_parent.items()},
                statuses=statuses,
            )
        )
    return results


# --- a period of several months (the 6-month and annual reports) ---------------------------------


@dataclass(frozen=True)
class Coverage:
    """What a period of several months owed and got, counting only the months already due.

    A month is due once its deadline has passed (the compliance page's rule: before that a unit
    without a report is "not started", not "missing"). Each month counts the units open during
    it, so a unit opened mid-period owes reports from its opening month and a unit closed or
    merged owes them until its closing month."""

    expected_reports: int  # unit-months due
    submitted: int  # of those, submitted (first submission on time or late)
    on_time: int
    units: int  # distinct units that owed at least one due month
    due_months: tuple[str, ...]  # codes
    not_due_months: tuple[str, ...]  # codes of months whose deadline has not passed
    early_reports: int  # reports already submitted for months not yet due

    @property
    def reporting_rate(self) -> float | None:
        return self.submitted / self.expected_reports if self.expected_reports else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.expected_reports if self.expected_reports else None

    def as_dict(self) -> dict:
        return {
            "expected_reports": self.expected_reports,
            "submitted": self.submitted,
            "on_time": self.on_time,
            "units": self.units,
            "due_months": list(self.due_months),
            "not_due_months": list(self.not_due_months),
            "early_reports": self.early_reports,
            "reporting_rate": self.reporting_rate,
            "on_time_rate": self.on_time_rate,
        }


def is_due(period: PeriodInfo, today: dt.date) -> bool:
    """Whether a report of ``period`` is owed by ``today`` (its deadline has passed)."""
    return today > period.deadline


def coverage(results: Iterable[PeriodCompliance], today: dt.date) -> Coverage:
    """Sum the months of ``results`` that are due on ``today``; list the others apart."""
    due, not_due, units = [], [], set()
    expected = submitted = on_time = early = 0
    for month in results:
        if not is_due(month.period, today):
            not_due.append(month.period.code)
            early += month.total.submitted
            continue
        due.append(month.period.code)
        expected += month.total.expected
        submitted += month.total.submitted
        on_time += month.total.on_time
        units.update(month.statuses)
    return Coverage(expected, submitted, on_time, len(units), tuple(due), tuple(not_due), early)
