"""Quarters of the collaborators' funding (pure: no Django).

A quarter is written ``NNNN-QK`` ("2026-Q1"). The allowance planned for a collaborator in a
quarter is their monthly rate times the months of the quarter their term touches (a term from
15 February counts February: the allowance is paid for the month begun).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_QUARTER_RE = re.compile(r"^(\d{4})-[Qq]([1-4])$")


class QuarterError(ValueError):
    """A quarter that cannot be read; the message is Vietnamese."""


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @property
    def code(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        return f"Quý {['I', 'II', 'III', 'IV'][self.number - 1]}/{self.year}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        month = 3 * self.number
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def months(self) -> list[tuple[dt.date, dt.date]]:
        """(first day, last day) of each month of the quarter."""
        found = []
        for month in range(3 * self.number - 2, 3 * self.number + 1):
            last = calendar.monthrange(self.year, month)[1]
            found.append((dt.date(self.year, month, 1), dt.date(self.year, month, last)))
        return found


def parse_quarter(text: str) -> Quarter:
    match = _QUARTER_RE.match((text or "").strip())
    if not match:
        raise QuarterError(f"Quý '{text}' không đúng định dạng NNNN-QK (ví dụ 2026-Q1).")
    year = int(match.group(1))
    if not 2000 <= year <= 2100:
        raise QuarterError(f"Quý '{text}' có năm {year} ngoài khoảng 2000–2100.")
    return Quarter(year, int(match.group(2)))


def quarter_of(day: dt.date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def months_in_term(quarter: Quarter, started_on: dt.date, ended_on: dt.date | None) -> int:
    """How many months of the quarter the term ``started_on``–``ended_on`` touches."""
    return sum(
        1 for first, last in quarter.months()
        if started_on <= last and (ended_on is None or ended_on >= first)
    )


def planned_allowance(rate: int, quarter: Quarter, started_on: dt.date,
                      ended_on: dt.date | None) -> int:
    return rate * months_in_term(quarter, started_on, ended_on)
