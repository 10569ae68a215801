"""Properties of the quarter parser (issue 10, "hypothesis on every parser of user input"): any
text typed or posted as a quarter (the funding page's ``?quy=``, a recorded payment) reads as a
quarter whose code reads back to it, or is refused with a :class:`QuarterError` in Vietnamese —
never another exception; a payment with any quarter, amount and voucher is recorded or refused
with a ServiceError, nothing stored."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from core.errors import ServiceError
from core.tests.fuzzing import assert_vietnamese, fuzz
from orgs import services
from orgs.models import AllowancePayment
from orgs.quarters import Quarter, QuarterError, parse_quarter

_near = st.text(alphabet="0123456789-QqKk ²٢۳１\n\t.", max_size=10)
_codes = st.one_of(
    st.text(max_size=30), _near,
    st.builds(lambda y, n: f"{y}-Q{n}", st.integers(-10, 10_000), st.integers(-2, 6)),
)


@fuzz(400)
@given(_codes)
@example("2026-Q5")
@example("２０２６-Q1")  # full-width digits are digits to int(): read as 2026
@example("٢٠٢٦-q٣")
@example("2026-Q1\n")
@example("0000-Q1")
def test_any_text_is_a_quarter_or_a_vietnamese_refusal(text):
    try:
        quarter = parse_quarter(text)
    except QuarterError as exc:
        assert_vietnamese(str(exc))
        return
    assert isinstance(quarter, Quarter) and 2000 <= quarter.year <= 2100
    assert 1 <= quarter.number <= 4 and quarter.start <= quarter.end
    assert parse_quarter(quarter.code) == quarter and quarter.label
    assert len(quarter.months()) == 3


@pytest.mark.django_db
@fuzz(60, db=True)
@given(_codes, st.one_of(st.integers(-5, 10 ** 12), st.text(max_size=12), st.none()),
       st.text(max_size=70))
@example("2026-Q1", "400.000", "PC-02")
@example("2026-Q1", "9" * 5000, "")
@example("2026-Q1", 2 ** 63, "")
def test_any_payment_is_recorded_or_refused_with_nothing_stored(vanphong, cell_a, quarter,
                                                                amount, voucher):
    hoa = services.create_collaborator(
        actor=vanphong, full_name="Đỗ Thị Hoa", unit=cell_a, started_on=dt.date(2025, 7, 1),
        allowance_rate=500_000)
    before = AllowancePayment.objects.count()
    try:
        payment = services.record_payment(actor=vanphong, collaborator=hoa, quarter=quarter,
                                          amount=amount, paid_on=dt.date(2026, 12, 31),
                                          voucher=voucher)
    except ServiceError as exc:
        assert_vietnamese(exc.message)
        assert AllowancePayment.objects.count() == before
        return
    payment.refresh_from_db()
    assert parse_quarter(payment.quarter).code == payment.quarter and payment.amount > 0
