"""Kept compliance results (reporting/cache.py): used between requests, never after a change.

These tests commit for real (``transaction=True``), as requests do: only reads outside a
transaction use the cache, and the shared generation changes when a write commits. Each test that
shows a change also shows the result was being served from the cache before it, so it would fail
if the change did not retire the kept result (``test_without_invalidation_the_page_would_be_stale``
shows exactly that failure with the invalidation switched off).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from orgs import services as org_services
from reporting import cache, services
from reporting.compliance import DRAFT, NOT_STARTED, ON_TIME, RETURNED
from reporting.periods import parse_period
from reporting.selectors import compliance_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# 20 Nov 2025, 09:00 in Hà Nội: November's deadline (the 25th) is still ahead.
NOW = dt.datetime(2025, 11, 20, 2, 0, tzinfo=dt.UTC)
NOVEMBER = parse_period("2025-11")


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def empty_results():
    caches[cache.RESULTS_ALIAS].clear()
    yield
    caches[cache.RESULTS_ALIAS].clear()


@pytest.fixture
def november(monthly):
    return services.ensure_period(NOVEMBER)


def page(client) -> dict:
    response = client.get(reverse("compliance"), {"period": NOVEMBER.code})
    assert response.status_code == 200
    return response.context


def statuses(context) -> dict[str, str]:
    return {row["name"]: row["status"] for row in context["by_unit"]}


def counted_reports(client) -> int:
    """How many times the page read the unit reports table (0 when served from the cache)."""
    with CaptureQueriesContext(connection) as queries:
        page(client)
    return sum('FROM "reporting_unitreport"' in q["sql"] for q in queries.captured_queries)


def draft(user, unit, monthly, november, sections=None, version=None):
    return services.save_draft(
        user=user, template=monthly, period=november, unit=unit, sections=sections or {},
        streams=None, expected_version=version,
    )


def submit(user, unit, monthly, november, full_sections):
    report = draft(user, unit, monthly, november)
    report = draft(user, unit, monthly, november, full_sections, report.version)
    return services.submit_report(user=user, report=report, expected_version=report.version)


def test_a_submit_shows_on_the_compliance_page_at_once(
    client, vanphong, an, binh, cell_a, monthly, november, full_sections
):
    client.force_login(vanphong)
    before = page(client)
    assert before["data"]["submitted"] == 0
    assert statuses(before)[cell_a.name] == NOT_STARTED
    assert counted_reports(client) == 0  # the second load is served from the cache

    submit(an, cell_a, monthly, november, full_sections)

    after = page(client)
    assert after["data"]["submitted"] == 1
    assert after["data"]["on_time"] == 1
    assert statuses(after)[cell_a.name] == ON_TIME
    assert 'data-kpi="reporting-rate">50%' in client.get(
        reverse("compliance"), {"period": NOVEMBER.code}
    ).content.decode()


def test_without_invalidation_the_page_would_be_stale(
    client, vanphong, an, cell_a, monthly, november, full_sections, monkeypatch
):
    """The control for the test above: with the invalidation switched off, the cache is stale."""
    client.force_login(vanphong)
    assert page(client)["data"]["submitted"] == 0
    monkeypatch.setattr(cache, "invalidate", lambda using="default": None)
    submit(an, cell_a, monthly, november, full_sections)
    assert page(client)["data"]["submitted"] == 0  # stale: this is what invalidation prevents
    monkeypatch.undo()
    cache.invalidate()
    assert page(client)["data"]["submitted"] == 1


def test_a_return_shows_in_the_api_at_once(
    vanphong, an, cell_a, monthly, november, full_sections
):
    report = submit(an, cell_a, monthly, november, full_sections)
    api = APIClient()
    api.force_authenticate(vanphong)
    url = f"/api/v1/compliance/?period={NOVEMBER.code}"
    assert api.get(url).json()["submitted"] == 1
    assert api.get(url).json()["returned_units"] == []

    services.return_report(user=vanphong, report=report, reason="Thiếu số liệu tổ dân phố.")

    data = api.get(url).json()
    assert data["submitted"] == 0
    assert data["returned_units"] == [cell_a.name]


def test_starting_a_draft_counts_but_editing_its_text_keeps_the_cache(
    client, vanphong, an, cell_a, monthly, november
):
    client.force_login(vanphong)
    assert statuses(page(client))[cell_a.name] == NOT_STARTED
    report = draft(an, cell_a, monthly, november)
    assert statuses(page(client))[cell_a.name] == DRAFT

    kept_under = cache.generation()
    draft(an, cell_a, monthly, november, {"tu_tuong": "Ổn định."}, report.version)
    assert cache.generation() == kept_under  # an autosave of the text changes no status
    assert counted_reports(client) == 0


def test_template_and_unit_edits_change_who_is_expected(
    client, vanphong, an, binh, cell_a, cell_b, cell_closed, monthly, november
):
    client.force_login(vanphong)
    assert page(client)["data"]["expected"] == 2

    services.update_template(
        user=vanphong, template=monthly, name=monthly.name, deadline_day=monthly.deadline_day,
        remind_days_before=monthly.remind_days_before, sections=monthly.sections,
        unit_ids=[cell_a.pk, cell_closed.pk], expected_version=monthly.version,
    )
    assert set(statuses(page(client))) == {cell_a.name}

    org_services.update_unit(actor=vanphong, unit=cell_a, closed_on=dt.date(2025, 10, 31))
    assert page(client)["data"]["expected"] == 0

    org_services.update_unit(actor=vanphong, unit=cell_a, closed_on=None, name="Chi bộ Mới")
    assert set(statuses(page(client))) == {"Chi bộ Mới"}


def test_the_deadline_day_passing_is_seen_without_any_write(vanphong, an, cell_a, monthly):
    before = compliance_for(vanphong, template=monthly, period=NOVEMBER)
    assert before.period.statuses[cell_a.pk] == NOT_STARTED
    with time_machine.travel(dt.datetime(2025, 11, 25, 17, 0, tzinfo=dt.UTC), tick=False):
        after = compliance_for(vanphong, template=monthly, period=NOVEMBER)  # 00:00 on the 26th
    assert after.period.statuses[cell_a.pk] == "missing"


def test_each_reader_gets_the_units_they_may_see(vanphong, an, cell_a, cell_b, monthly):
    mine = compliance_for(an, template=monthly, period=NOVEMBER)
    everyone = compliance_for(vanphong, template=monthly, period=NOVEMBER)
    again = compliance_for(an, template=monthly, period=NOVEMBER)
    assert set(mine.period.statuses) == set(again.period.statuses) == {cell_a.pk}
    assert set(everyone.period.statuses) == {cell_a.pk, cell_b.pk}


def test_the_generation_is_shared_through_the_database_and_moves_on_commit(
    an, cell_a, monthly, november, settings
):
    # What another process, on this machine or another, sees: its own cache object on the same
    # table of the same database (nothing in this machine's var/ directory).
    other_process = DatabaseCache(settings.CACHES["shared"]["LOCATION"], {})
    seen = cache.generation()
    assert other_process.get(cache.GENERATION_KEY) == seen
    with transaction.atomic():
        draft(an, cell_a, monthly, november)
        assert other_process.get(cache.GENERATION_KEY) == seen  # not before the commit
    assert other_process.get(cache.GENERATION_KEY) != seen


def test_a_kept_result_is_not_used_after_a_commit(
    vanphong, an, cell_a, monthly, november, full_sections
):
    """Whatever any process kept under the old generation is never read again."""
    first = compliance_for(vanphong, template=monthly, period=NOVEMBER)
    key = cache.result_key(
        template=monthly, period_code=NOVEMBER.code, months=12,
        today=dt.date(2025, 11, 20), scope="all",
    )
    assert caches[cache.RESULTS_ALIAS].get(key) is not None
    assert first.period.total.submitted == 0
    submit(an, cell_a, monthly, november, full_sections)
    assert compliance_for(vanphong, template=monthly, period=NOVEMBER).period.total.submitted == 1


def test_uncommitted_writes_are_counted_for_their_transaction_only(
    vanphong, an, cell_a, monthly, november, full_sections
):
    assert compliance_for(vanphong, template=monthly, period=NOVEMBER).period.total.submitted == 0
    with transaction.atomic():
        submit(an, cell_a, monthly, november, full_sections)
        inside = compliance_for(vanphong, template=monthly, period=NOVEMBER)
        assert inside.period.total.submitted == 1
        transaction.set_rollback(True)
    outside = compliance_for(vanphong, template=monthly, period=NOVEMBER)
    assert outside.period.total.submitted == 0
    assert outside.period.statuses[cell_a.pk] == NOT_STARTED


def test_a_report_state_changed_behind_the_services_back_is_seen(
    vanphong, an, cell_a, monthly, november
):
    """The admin and the shell save models directly; the signal still retires the result."""
    report = draft(an, cell_a, monthly, november)
    assert compliance_for(vanphong, template=monthly, period=NOVEMBER).period.statuses[
        cell_a.pk
    ] == DRAFT
    report.state = report.State.RETURNED
    report.save()
    assert compliance_for(vanphong, template=monthly, period=NOVEMBER).period.statuses[
        cell_a.pk
    ] == RETURNED
    report.delete()
    assert compliance_for(vanphong, template=monthly, period=NOVEMBER).period.statuses[
        cell_a.pk
    ] == NOT_STARTED
