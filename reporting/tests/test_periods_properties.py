"""Properties of the reporting period parser (issue 10, "hypothesis on every parser of user
input"): whatever is typed or posted either reads as a period or is refused with a
:class:`PeriodError` in Vietnamese, never another exception; the canonical codes read back to
themselves."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from core.tests.fuzzing import assert_vietnamese, fuzz
from reporting.periods import (
    HALF,
    KIND_LABELS,
    MONTH,
    YEAR,
    PeriodError,
    PeriodKey,
    code_from_picker,
    parse_period,
)

# Text close to a period code: digits (ASCII and other scripts), the separators and letters used.
_near = st.text(alphabet="0123456789-HhQqWw ²٢۳\n\t.", max_size=12)
_codes = st.one_of(
    st.text(max_size=40),
    _near,
    st.builds(lambda y, n: f"{y}-{n}", st.integers(-10, 10_000), st.integers(-3, 120)),
    st.builds(lambda y, n: f"{y}-H{n}", st.integers(0, 9999), st.integers(-1, 4)),
)


def _check_parsed(key: PeriodKey) -> None:
    assert key.kind in KIND_LABELS
    assert 2000 <= key.year <= 2100
    assert key.start <= key.end  # a real span of days
    assert parse_period(key.code) == key  # its code reads back to it
    assert key.label  # and it can be shown


@fuzz(400)
@given(_codes)
@example("2025-13")
@example("2025-H3")
@example("１９９９")
@example("٢٠٢٥-١١")
@example("2025-\n")
def test_any_text_is_a_period_or_a_vietnamese_refusal(text):
    try:
        key = parse_period(text)
    except PeriodError as exc:
        assert_vietnamese(str(exc))
        assert "Kỳ báo cáo" in str(exc)
    else:
        _check_parsed(key)


@st.composite
def _keys(draw) -> PeriodKey:
    kind = draw(st.sampled_from([MONTH, HALF, YEAR]))
    year = draw(st.integers(2000, 2100))
    number = {MONTH: draw(st.integers(1, 12)), HALF: draw(st.integers(1, 2)), YEAR: 1}[kind]
    return PeriodKey(year, kind, number)


@fuzz(200)
@given(_keys())
def test_the_canonical_code_round_trips(key):
    assert parse_period(key.code) == key
    assert parse_period(key.code).code == key.code
    assert parse_period(f"  {key.code.lower()} ") == key  # spaces and a lower-case "h"


_field = st.one_of(st.none(), st.text(max_size=8), st.text(alphabet="0123456789²٢H", max_size=5))


@fuzz(400)
@given(
    st.fixed_dictionaries({}, optional={
        "period_kind": st.one_of(st.sampled_from(list(KIND_LABELS)), _field),
        "period_year": st.one_of(st.integers(1990, 2110).map(str), _field),
        "period_month": st.one_of(st.integers(0, 13).map(str), _field),
        "period_half": st.one_of(st.sampled_from(["H1", "h2", "H3"]), _field),
        "period": _field,
    })
)
@example({"period_kind": "month", "period_year": "2026", "period_month": "²"})
@example({"period_kind": "year", "period_year": "²⁰²⁶"})
def test_the_picker_posts_a_code_or_names_the_missing_field(data):
    try:
        code = code_from_picker(data)
        key = parse_period(code)
    except PeriodError as exc:
        assert_vietnamese(str(exc))
        assert "Kỳ báo cáo" in str(exc)
    else:
        _check_parsed(key)
