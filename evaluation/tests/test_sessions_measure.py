"""The "dissemination sessions held" measure is computed from the plans' sessions."""

from __future__ import annotations

import datetime as dt

import pytest

from core.dates import local_today
from evaluation.measures import M, context_for, evidence_for, sessions_held
from plans import services
from reporting.periods import parse_period

pytestmark = pytest.mark.django_db


def test_sessions_held_counts_the_units_sessions_of_the_period(vanphong, ward, an, cell_a,
                                                               cell_b):
    today = local_today()
    half = parse_period(f"{today.year}-H{1 if today.month <= 6 else 2}")
    plan = services.create_plan(actor=vanphong, number="18-KH/ĐU", title="Thực hiện Chỉ thị 47",
                                issuing_unit=ward, issued_on=half.start - dt.timedelta(days=40),
                                unit_kinds=["chi_bo"])
    for day in (half.start, today, half.start - dt.timedelta(days=1)):  # the last: before
        services.record_session(actor=an, plan=plan, unit=cell_a, held_on=day, attendance=12,
                                content="Quán triệt Chỉ thị 47.")
    ctx = context_for(half, today)
    found = sessions_held(ctx)
    assert (found[cell_a.pk].value, found[cell_b.pk].value) == (2.0, 0.0)
    evidence = evidence_for(ctx, [cell_a.pk])[cell_a.pk][M.SESSIONS_HELD]
    assert [e["label"] for e in evidence] == [
        f"Quán triệt Kế hoạch 18-KH/ĐU ngày {day:%d/%m/%Y}, 12 người dự"
        for day in (half.start, today)]
