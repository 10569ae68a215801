"""Compliance arithmetic, DHIS2-style, as a pure function (no Django).

expected = units open at some time during the period (and assigned to the template);
reporting rate = submitted / expected; on-time rate = submitted by the deadline / expected.
Timeliness is judged on the *first* submission, so a unit asked to revise is not punished for it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class ReportInfo:
    state: str  # "draft" | "submitted" | "returned"
    first_submitted_on: dt.date | None  # local date of the first submission


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

    def add(self, status: str) -> None:
        self.expected += 1
        setattr(self, status, getattr(self, status) + 1)

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
    by_parent: dict[int | None, Tally] = field(default_factory=lambda: defaultdict(Tally))
    statuses: dict[int, str] = field(default_factory=dict)  # unit id -> status

    def units_with(self, status: str) -> list[int]:
        return [unit_id for unit_id, value in self.statuses.items() if value == status]


def unit_status(report: ReportInfo | None, deadline: dt.date, today: dt.date) -> str:
    """The status of one expected unit in one period, as seen on ``today`` (a local date)."""
    if report is not None and report.state == "submitted":
        submitted_on = report.first_submitted_on or today
        return ON_TIME if submitted_on <= deadline else LATE
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
        result = PeriodCompliance(period=period)
        for unit in unit_list:
            if not unit.open_during(period.start, period.end):
                continue
            status = unit_status(reports.get((unit.id, period.code)), period.deadline, today)
            result.statuses[unit.id] = status
            result.total.add(status)
            result.by_parent[unit.parent_id].add(status)
        results.append(result)
    return results
