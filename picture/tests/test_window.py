"""The picture's periods: every form a reader may write, and a clear refusal for the rest."""

import datetime as dt

import pytest

from picture.window import WindowError, parse_window

TODAY = dt.date(2026, 12, 4)


@pytest.mark.parametrize(
    ("text", "start", "end", "previous_start", "previous_end"),
    [
        ("2026-W48", "2026-11-23", "2026-11-29", "2026-11-16", "2026-11-22"),
        ("2026-11", "2026-11-01", "2026-11-30", "2026-10-01", "2026-10-31"),
        ("2026-01", "2026-01-01", "2026-01-31", "2025-12-01", "2025-12-31"),
        ("2026-Q4", "2026-10-01", "2026-12-31", "2026-07-01", "2026-09-30"),
        ("2026-q1", "2026-01-01", "2026-03-31", "2025-10-01", "2025-12-31"),
        ("2026-H2", "2026-07-01", "2026-12-31", "2026-01-01", "2026-06-30"),
        ("2026", "2026-01-01", "2026-12-31", "2025-01-01", "2025-12-31"),
        ("2026-10-01..2026-11-15", "2026-10-01", "2026-11-15", "2026-08-16", "2026-09-30"),
        ("7d", "2026-11-28", "2026-12-04", "2026-11-21", "2026-11-27"),
        ("4w", "2026-11-07", "2026-12-04", "2026-10-10", "2026-11-06"),
        ("", "2026-11-07", "2026-12-04", "2026-10-10", "2026-11-06"),
    ],
)
def test_every_form_reads_with_the_window_before_it(text, start, end, previous_start,
                                                    previous_end):
    window = parse_window(text, TODAY)
    assert (window.start.isoformat(), window.end.isoformat()) == (start, end)
    previous = window.previous()
    assert (previous.start.isoformat(), previous.end.isoformat()) == (previous_start, previous_end)
    assert previous.days == window.days or window.kind != "range"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2026-13", "tháng 13"),
        ("2025-W53", "không có tuần 53"),
        ("2026-11-31..2026-12-01", "2026-11-31"),
        ("2026-11-15..2026-11-01", "bắt đầu sau"),
        ("2020-01-01..2026-01-01", "dài quá 3 năm"),
        ("2027", "chưa bắt đầu"),
        ("0d", "lớn hơn 0"),
        ("hôm qua", "không đọc được"),
    ],
)
def test_a_period_that_cannot_be_read_is_refused_in_vietnamese(text, words):
    with pytest.raises(WindowError) as refusal:
        parse_window(text, TODAY)
    assert words in str(refusal.value)
