import datetime as dt

import pytest

from reporting.periods import HALF, MONTH, YEAR, PeriodError, PeriodKey, last_months, parse_period


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-11", PeriodKey(2025, MONTH, 11)),
        ("2025-1", PeriodKey(2025, MONTH, 1)),
        ("2025-H2", PeriodKey(2025, HALF, 2)),
        ("2025-h1", PeriodKey(2025, HALF, 1)),
        ("2025", PeriodKey(2025, YEAR, 1)),
    ],
)
def test_parse_period_accepts_the_three_kinds(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["2025-13", "2025-00", "abc", "", "2025-H3", "1999-05", "25-11"])
def test_parse_period_refuses_bad_codes_in_vietnamese(text):
    with pytest.raises(PeriodError, match="Kỳ báo cáo"):
        parse_period(text)


def test_half_year_covers_its_six_months_and_deadline_is_in_its_last_month():
    h2 = parse_period("2025-H2")
    assert [m.code for m in h2.months()] == [f"2025-{m:02d}" for m in range(7, 13)]
    assert h2.deadline(25) == dt.date(2025, 12, 25)


def test_deadline_day_is_clamped_to_short_months():
    assert parse_period("2026-02").deadline(31) == dt.date(2026, 2, 28)


def test_last_months_crosses_the_year():
    codes = [m.code for m in last_months(parse_period("2026-02"), 4)]
    assert codes == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_deadline_ends_at_local_midnight_after_the_deadline_day():
    from zoneinfo import ZoneInfo

    ends = parse_period("2025-11").deadline_ends_at(25, ZoneInfo("Asia/Ho_Chi_Minh"))
    assert ends.astimezone(dt.UTC) == dt.datetime(2025, 11, 25, 17, 0, tzinfo=dt.UTC)
