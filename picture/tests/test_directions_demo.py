"""The demo's directions on the demo ward: every state, given by the demo leader through the
services, dated relative to the demo's today."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from core.models import AuditEntry
from longdan import demo
from longdan.demo.directions import PLANS
from orgs.models import User
from picture import direction_selectors as selectors
from picture.models import Direction, DirectionUpdate

TODAY = dt.date(2026, 1, 10)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            summary = demo.load_demo(today=TODAY, months=1)  # its directions are a demo step
            yield summary.steps["directions"]
            transaction.set_rollback(True)


def test_every_state_is_there(built, db):
    assert built == {"open": 2, "acknowledged": 2, "in_progress": 2, "done": 2,
                     "cancelled": 1, "overdue": 2}
    assert Direction.objects.count() == len(PLANS)
    leader = User.objects.get(username="lanhdao")
    assert Direction.objects.filter(author=leader).count() == len(PLANS) - 1
    assert Direction.objects.filter(kind=Direction.Kind.TASK, code__startswith="NV-").count() == 1
    assert {d.target for d in Direction.objects.all()} >= {"issue", "area", "topic", "report"}


def test_dates_are_the_demos_not_the_machines(built, db):
    for direction in Direction.objects.all():
        first = direction.updates.order_by("at").first()
        assert first.kind == DirectionUpdate.Kind.CREATED
        assert first.at == direction.created_at
        assert direction.created_at.date() <= TODAY
        assert all(u.at.date() <= TODAY for u in direction.updates.all())
        entries = AuditEntry.objects.filter(object_type="picture.direction",
                                            object_id=str(direction.pk))
        assert entries.exists() and all(e.at.date() <= TODAY for e in entries)
    overdue = [d for d in Direction.objects.all() if selectors.is_overdue(d, TODAY)]
    assert len(overdue) == 2 and all(d.due_on < TODAY for d in overdue)


def test_a_units_reporter_sees_only_the_parts_of_their_unit(built, db):
    reporter = Direction.objects.filter(assignments__isnull=False).first().assignments.first() \
        .unit.responsible_person
    visible = selectors.directions_visible_to(reporter)
    assert 0 < visible.count() < Direction.objects.count()
    for direction in visible:
        parts = selectors.assignments_for(reporter, direction)
        assert [p.unit_id for p in parts] == [reporter.unit_id]
