"""Reporting periods as plain values (no Django): parse "2025-11", "2025-H2", "2025".

A period's deadline is a *local date*: a report counts as on time when it is submitted on or before
that date in Asia/Ho_Chi_Minh, whatever the UTC clock says. The day passed in is the last day on
time (``ReportTemplate.last_day``: the 24th for a template due "trước ngày 25").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTH, HALF, YEAR = "month", "half", "year"
KIND_LABELS = {MONTH: "tháng", HALF: "6 tháng", YEAR: "năm"}

_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{1,2})$"), MONTH),
    (re.compile(r"^(\d{4})-[Hh]([12])$"), HALF),
    (re.compile(r"^(\d{4})$"), YEAR),
]


class PeriodError(ValueError):
    """A period that cannot be read; the message is for the user, in Vietnamese."""


@dataclass(frozen=True, order=True)
class PeriodKey:
    year: int
    kind: str
    number: int

    @property
    def start(self) -> dt.date:
        if self.kind == MONTH:
            return dt.date(self.year, self.number, 1)
        if self.kind == HALF:
            return dt.date(self.year, 1 if self.number == 1 else 7, 1)
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        if self.kind == MONTH:
            return dt.date(self.year, self.number, calendar.monthrange(self.year, self.number)[1])
        if self.kind == HALF:
            return dt.date(self.year, 6, 30) if self.number == 1 else dt.date(self.year, 12, 31)
        return dt.date(self.year, 12, 31)

    @property
    def code(self) -> str:
        if self.kind == MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.kind == HALF:
            return f"{self.year}-H{self.number}"
        return f"{self.year}"

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return f"Tháng {self.number}/{self.year}"
        if self.kind == HALF:
            return f"6 tháng {'đầu' if self.number == 1 else 'cuối'} năm {self.year}"
        return f"Năm {self.year}"

    def deadline(self, day: int) -> dt.date:
        """The given day of the period's last month, clamped to the month's length."""
        last = self.end
        return dt.date(
            last.year, last.month, min(day, calendar.monthrange(last.year, last.month)[1])
        )

    def deadline_ends_at(self, day: int, tz: dt.tzinfo) -> dt.datetime:
        """The first instant that is past the deadline: midnight after it, local time."""
        return dt.datetime.combine(self.deadline(day) + dt.timedelta(days=1), dt.time(), tzinfo=tz)

    def months(self) -> list[PeriodKey]:
        """The monthly periods this period covers (itself for a month)."""
        if self.kind == MONTH:
            return [self]
        first = self.start.month
        last = self.end.month
        return [PeriodKey(self.year, MONTH, m) for m in range(first, last + 1)]

    def previous(self) -> PeriodKey:
        if self.kind == MONTH:
            if self.number == 1:
                return PeriodKey(self.year - 1, MONTH, 12)
            return PeriodKey(self.year, MONTH, self.number - 1)
        if self.kind == HALF:
            if self.number == 1:
                return PeriodKey(self.year - 1, HALF, 2)
            return PeriodKey(self.year, HALF, 1)
        return PeriodKey(self.year - 1, YEAR, 1)


def period_spanning(start: dt.date, end: dt.date) -> PeriodKey | None:
    """The month, half-year or year running exactly from ``start`` to ``end``, else None (a
    figure provider that scores per period reads its period back from the dates it is given)."""
    for kind, numbers in ((MONTH, range(1, 13)), (HALF, (1, 2)), (YEAR, (1,))):
        for number in numbers:
            key = PeriodKey(start.year, kind, number)
            if key.start == start and key.end == end:
                return key
    return None


def parse_period(text: str) -> PeriodKey:
    """Read a period code; raise :class:`PeriodError` with a Vietnamese message otherwise."""
    value = (text or "").strip()
    for pattern, kind in _PATTERNS:
        match = pattern.match(value)
        if not match:
            continue
        year = int(match.group(1))
        number = int(match.group(2)) if kind != YEAR else 1
        if not 2000 <= year <= 2100:
            raise PeriodError(f"Kỳ báo cáo '{value}' có năm {year} ngoài khoảng 2000–2100.")
        if kind == MONTH and not 1 <= number <= 12:
            raise PeriodError(f"Kỳ báo cáo '{value}' có tháng {number} không hợp lệ (1–12).")
        return PeriodKey(year, kind, number)
    raise PeriodError(
        f"Kỳ báo cáo '{value}' không đúng định dạng: dùng NNNN-TT (tháng), NNNN-H1/H2 (6 tháng)"
        " hoặc NNNN (năm)."
    )


def month_of(day: dt.date) -> PeriodKey:
    return PeriodKey(day.year, MONTH, day.month)


def last_months(end: PeriodKey, count: int) -> list[PeriodKey]:
    """``count`` monthly periods ending with ``end``, oldest first."""
    months = [end]
    while len(months) < count:
        months.append(months[-1].previous())
    return list(reversed(months))


# --- the period picker (kind, then year and month or half) ----------------------------------

PICKER_FIELD = "Kỳ báo cáo"


def code_from_picker(data) -> str:
    """The period code ("2026-11", "2026-H2", "2026") the picker's selects stand for.

    ``data`` is the posted form (``period_kind``, ``period_year``, ``period_month``,
    ``period_half``); a form without a picker may post ``period`` as a code, read as it is.
    Raises :class:`PeriodError` naming the field that is missing."""
    kind = (data.get("period_kind") or "").strip()
    if not kind:
        return (data.get("period") or "").strip()
    if kind not in KIND_LABELS:
        raise PeriodError(f"{PICKER_FIELD}: chọn loại kỳ (tháng, 6 tháng hoặc năm).")
    year = (data.get("period_year") or "").strip()
    if not (year.isascii() and year.isdigit()):  # "²" is a digit to isdigit(), not to int()
        raise PeriodError(f"{PICKER_FIELD}: chọn năm.")
    if kind == YEAR:
        return year
    if kind == HALF:
        half = (data.get("period_half") or "").strip().upper()
        if half not in ("H1", "H2"):
            raise PeriodError(f"{PICKER_FIELD}: chọn 6 tháng đầu năm hoặc 6 tháng cuối năm.")
        return f"{year}-{half}"
    month = (data.get("period_month") or "").strip()
    if not (month.isascii() and month.isdigit()):
        raise PeriodError(f"{PICKER_FIELD}: chọn tháng.")
    return f"{year}-{int(month):02d}"


def picker_initial(today: dt.date) -> dict:
    """What the picker shows first: last month (the one usually consolidated), and the years
    around it to choose from."""
    last_month = month_of(today).previous()
    return {
        "kind": MONTH,
        "year": last_month.year,
        "month": last_month.number,
        "half": "H1" if today.month <= 6 else "H2",
        "years": list(range(today.year + 1, today.year - 5, -1)),
        "months": list(range(1, 13)),
    }
