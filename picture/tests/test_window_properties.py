"""Properties of the picture's period parser (issue 10): any text a reader puts in ``?period=``
is a window of at most three years that has begun (with a window before it), or a
:class:`WindowError` in Vietnamese, never another exception; the canonical codes round-trip."""

from __future__ import annotations

import datetime as dt

from hypothesis import example, given
from hypothesis import strategies as st

from core.tests.fuzzing import assert_vietnamese, fuzz
from picture.window import LONGEST_DAYS, RANGE, Window, WindowError, parse_window

TODAY = dt.date(2026, 12, 4)

_near = st.text(alphabet="0123456789-.WwQqHhdm ²٢", max_size=24)
_codes = st.one_of(
    st.text(max_size=40),
    _near,
    st.builds(lambda y, n: f"{y:04d}-{n}", st.integers(0, 9999), st.integers(-1, 60)),
    st.builds(lambda y, w: f"{y:04d}-W{w}", st.integers(0, 9999), st.integers(0, 60)),
    st.builds(lambda y, q: f"{y:04d}-Q{q}", st.integers(0, 9999), st.integers(0, 5)),
    st.builds(lambda y: f"{y:04d}", st.integers(0, 9999)),
    st.builds(lambda n, u: f"{n}{u}", st.integers(-5, 1200), st.sampled_from("dwmDWMy")),
    st.builds(lambda a, b: f"{a}..{b}", st.dates().map(str), st.dates().map(str)),
)


def _check_window(window: Window, today: dt.date) -> None:
    assert window.start <= window.end
    assert window.start <= today
    assert 1 <= window.days <= LONGEST_DAYS
    before = window.previous()  # the page shows the change against it
    assert before.end < window.start
    assert before.kind == window.kind
    assert window.label and window.as_dict()["code"] == window.code


@fuzz(500)
@given(_codes, st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)))
@example("0000", TODAY)
@example("0000-01", TODAY)
@example("0001-Q1", TODAY)
@example("0001-01..0001-01-05", TODAY)
@example("0001-W01", TODAY)
@example("999m", TODAY)
@example("٢٠٢٦-١١", TODAY)
@example("2026-01-01..", TODAY)
def test_any_text_is_a_window_or_a_vietnamese_refusal(text, today):
    try:
        window = parse_window(text, today)
    except WindowError as exc:
        assert_vietnamese(str(exc))
    else:
        _check_window(window, today)


@fuzz(200)
@given(
    st.dates(dt.date(2000, 1, 3), TODAY),  # 2000-01-01 is in ISO week 1999-W52
    st.sampled_from(["week", "month", "quarter", "half", "year"]),
)
def test_a_canonical_code_round_trips(day, kind):
    if kind == "week":
        code = f"{day.isocalendar()[0]}-W{day.isocalendar()[1]:02d}"
    else:
        code = {"month": f"{day.year}-{day.month:02d}",
                "quarter": f"{day.year}-Q{(day.month - 1) // 3 + 1}",
                "half": f"{day.year}-H{1 if day.month <= 6 else 2}",
                "year": f"{day.year}"}[kind]
    window = parse_window(code, TODAY)
    assert window.kind == kind and window.code == code
    assert window.start <= day <= window.end
    assert parse_window(window.code, TODAY) == window


@fuzz(200)
@given(st.dates(dt.date(2000, 1, 1), TODAY), st.integers(0, LONGEST_DAYS - 1))
def test_a_range_reads_as_written(start, length):
    end = start + dt.timedelta(days=length)
    text = f"{start.isoformat()}..{end.isoformat()}"
    window = parse_window(text, TODAY)
    assert (window.kind, window.start, window.end, window.code) == (RANGE, start, end, text)
