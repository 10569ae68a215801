"""The picture's period as plain values (no Django): "2026-W48", "2026-11", "2026-Q4", "2026-H2",
"2026", "2026-10-01..2026-11-15", or the recent "7d" / "4w" / "3m" ending today.

Every window knows the window before it of the same length (the previous week, month, ...), for
the change of each headline figure.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from reporting.periods import PeriodError

WEEK, MONTH, QUARTER, HALF, YEAR, RANGE = "week", "month", "quarter", "half", "year", "range"
LONGEST_DAYS = 3 * 366 + 1
EARLIEST = dt.date(2000, 1, 1)  # as reporting periods (2000–2100): nothing is older
DEFAULT = "4w"

HELP = (
    "tuần (2026-W48), tháng (2026-11), quý (2026-Q4), 6 tháng (2026-H2), năm (2026), "
    "khoảng ngày (2026-10-01..2026-11-15) hoặc gần đây (7d, 4w, 3m)"
)


class WindowError(PeriodError):
    """A period the reader cannot have; the message is for the user, in Vietnamese."""


@dataclass(frozen=True)
class Window:
    kind: str
    start: dt.date
    end: dt.date
    code: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        if self.kind == WEEK:
            return f"tuần {self.start:%d/%m}–{self.end:%d/%m/%Y}"
        if self.kind == MONTH:
            return f"tháng {self.start.month}/{self.start.year}"
        if self.kind == QUARTER:
            return f"quý {(self.start.month - 1) // 3 + 1}/{self.start.year}"
        if self.kind == HALF:
            return f"6 tháng {'đầu' if self.start.month == 1 else 'cuối'} năm {self.start.year}"
        if self.kind == YEAR:
            return f"năm {self.start.year}"
        return f"từ {self.start:%d/%m/%Y} đến {self.end:%d/%m/%Y}"

    def previous(self) -> Window:
        """The window of the same kind just before this one (same number of days for a range)."""
        if self.kind == WEEK:
            return week_of(self.start - dt.timedelta(days=7))
        if self.kind in (MONTH, QUARTER, HALF, YEAR):
            months = {MONTH: 1, QUARTER: 3, HALF: 6, YEAR: 12}[self.kind]
            start = _add_months(self.start, -months)
            return _months_window(self.kind, start, months)
        end = self.start - dt.timedelta(days=1)
        return Window(RANGE, end - dt.timedelta(days=self.days - 1), end, "")

    def as_dict(self) -> dict:
        return {
            "code": self.code, "kind": self.kind, "label": self.label,
            "start": self.start.isoformat(), "end": self.end.isoformat(),
        }


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _months_window(kind: str, start: dt.date, months: int) -> Window:
    last = _add_months(start, months - 1)
    end = last.replace(day=calendar.monthrange(last.year, last.month)[1])
    code = {
        MONTH: f"{start.year}-{start.month:02d}",
        QUARTER: f"{start.year}-Q{(start.month - 1) // 3 + 1}",
        HALF: f"{start.year}-H{1 if start.month == 1 else 2}",
        YEAR: f"{start.year}",
    }[kind]
    return Window(kind, start, end, code)


def week_of(day: dt.date) -> Window:
    """The ISO week (Monday to Sunday) holding ``day``."""
    start = day - dt.timedelta(days=day.weekday())
    year, week, _ = start.isocalendar()
    return Window(WEEK, start, start + dt.timedelta(days=6), f"{year}-W{week:02d}")


def month_of(day: dt.date) -> Window:
    return _months_window(MONTH, day.replace(day=1), 1)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise WindowError(f"Ngày '{text}' không đọc được: viết theo dạng 2026-11-15.") from exc


_RECENT = re.compile(r"^(\d{1,3})([dwm])$")


def parse_window(text: str | None, today: dt.date) -> Window:
    """Read a period as the reader wrote it; an empty one is the last four weeks (a month that
    began yesterday would show a leader almost nothing)."""
    raw = (text or "").strip() or DEFAULT
    try:
        window = _parse(raw, today)
    except WindowError:
        raise
    except (ValueError, OverflowError) as exc:  # "0000-01": no such date in Python
        raise WindowError(f"Kỳ '{raw}' không có trong lịch. Viết: {HELP}.") from exc
    if window.start < EARLIEST:  # the window before it, shown beside, must exist too
        raise WindowError(f"Kỳ '{raw}' bắt đầu trước năm {EARLIEST.year}: không có số liệu.")
    if window.end < window.start:
        raise WindowError(f"Kỳ '{raw}': ngày bắt đầu sau ngày kết thúc.")
    if window.days > LONGEST_DAYS:
        raise WindowError(f"Kỳ '{raw}' dài quá 3 năm; hãy chọn kỳ ngắn hơn.")
    if window.start > today:
        raise WindowError(f"Kỳ '{raw}' chưa bắt đầu (hôm nay là {today:%d/%m/%Y}).")
    return window


def _parse(raw: str, today: dt.date) -> Window:
    upper = raw.upper()
    if ".." in raw:
        first, _, last = raw.partition("..")
        return Window(RANGE, _date(first.strip()), _date(last.strip()), raw)
    if match := _RECENT.match(raw.lower()):
        number, unit = int(match[1]), match[2]
        if number < 1:
            raise WindowError(f"Kỳ '{raw}': số ngày, tuần, tháng phải lớn hơn 0.")
        days = {"d": 1, "w": 7, "m": 30}[unit] * number
        return Window(RANGE, today - dt.timedelta(days=days - 1), today, raw.lower())
    if match := re.fullmatch(r"(\d{4})-W(\d{1,2})", upper):
        year, week = int(match[1]), int(match[2])
        try:
            return week_of(dt.date.fromisocalendar(year, week, 1))
        except ValueError as exc:
            raise WindowError(f"Năm {year} không có tuần {week}.") from exc
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})", upper):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise WindowError(f"Kỳ '{raw}': tháng {month} không có (1–12).")
        return _months_window(MONTH, dt.date(year, month, 1), 1)
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", upper):
        start = dt.date(int(match[1]), 3 * int(match[2]) - 2, 1)
        return _months_window(QUARTER, start, 3)
    if match := re.fullmatch(r"(\d{4})-H([12])", upper):
        start = dt.date(int(match[1]), 1 if match[2] == "1" else 7, 1)
        return _months_window(HALF, start, 6)
    if re.fullmatch(r"\d{4}", upper):
        return _months_window(YEAR, dt.date(int(upper), 1, 1), 12)
    raise WindowError(f"Kỳ '{raw}' không đọc được. Viết: {HELP}.")
