"""The rollups equal the raw rows: on seeded random wards (items, streams, units, filters), the
picture read through the rollups is the picture counted from the raw rows, before a refresh (the
stale days are counted raw), after it, and after edits, deletions, label changes, a report
returned and submitted again, issue links in bulk and a unit moved in the org tree. Windows cross
month and year boundaries, so that whole months come from the month rows and ragged ends from
the day rows, with stale days inside whole months and at the ends."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Attitude, Channel, SocialGroup, Topic
from intake.models import OpinionItem
from issues.models import Issue
from issues.signals import items_relinked
from orgs.models import Area, OrgUnit, User
from picture import rollups, selectors
from picture.counting import (
    DIMENSIONS,
    RawCounter,
    RollupCounter,
    month_of,
    single_filter,
    week_of,
    whole_months,
)
from picture.models import DirtyDay, MonthRollup, Rollup, WeekRollup
from picture.query import read_query
from reporting.models import OpinionStream, ReportTemplate, UnitReport
from reporting.periods import PeriodKey
from reporting.services import ensure_period

TODAY = dt.date(2026, 11, 20)
FIRST = dt.date(2025, 10, 1)
ATTITUDES = ["", *Attitude.values]


class World:
    """A random ward: a three-level tree, areas, issues, items and submitted reports' streams."""

    def __init__(self, seed: int, office: User):
        self.rng = rng = random.Random(seed)
        self.office = office
        root = OrgUnit.objects.create(code="r", name="Gốc", kind=OrgUnit.Kind.WARD_COMMITTEE)
        mids = [OrgUnit.objects.create(code=f"m{i}", name=f"Đảng bộ {i}", parent=root,
                                       kind=OrgUnit.Kind.PARTY_COMMITTEE) for i in range(2)]
        self.leaves = [OrgUnit.objects.create(code=f"l{i}", name=f"Chi bộ {i}", parent=mids[i % 2],
                                              kind=OrgUnit.Kind.PARTY_CELL) for i in range(4)]
        self.units = [root, *mids, *self.leaves]
        self.areas = [Area.objects.create(name=f"Tổ {i}", population=100 * (i + 1),
                                          unit=rng.choice(self.leaves)) for i in range(5)]
        self.topics = list(Topic.objects.order_by("pk")[:5])
        self.groups = list(SocialGroup.objects.order_by("pk")[:4])
        self.issues = [Issue.objects.create(code=f"VD-{i}", title=f"Vấn đề {i}")
                       for i in range(3)]
        self.readers = [office] + [
            User.objects.create(username=f"u{unit.code}", role=User.Role.REPORTER, unit=unit)
            for unit in (mids[0], self.leaves[3])
        ]
        self.template = ReportTemplate.objects.get(period_kind="month")
        for _ in range(200):
            self.new_item()
        for year, month in ((2025, 12), (2026, 2), (2026, 7), (2026, 8), (2026, 9), (2026, 10)):
            for unit in rng.sample(self.units, 4):
                self.new_report(unit, year, month)

    def day(self) -> dt.date:
        return FIRST + dt.timedelta(days=self.rng.randrange((TODAY - FIRST).days + 1))

    def new_item(self) -> OpinionItem:
        rng = self.rng
        item = OpinionItem.objects.create(
            text="Ý kiến", channel=rng.choice(Channel.values), received_on=self.day(),
            unit=rng.choice([None, *self.units, *self.leaves]),
            area=rng.choice([None, *self.areas]), attitude=rng.choice(ATTITUDES),
            latent=rng.random() < 0.2, issue=rng.choice([None, None, *self.issues]),
        )
        item.topics.set(rng.sample(self.topics, rng.randrange(3)))
        item.social_groups.set(rng.sample(self.groups, rng.randrange(3)))
        return item

    def new_report(self, unit: OrgUnit, year: int, month: int) -> UnitReport:
        rng = self.rng
        report = UnitReport.objects.create(
            template=self.template, period=ensure_period(PeriodKey(year, "month", month)),
            unit=unit, state=UnitReport.State.SUBMITTED,
        )
        for position in range(rng.randrange(1, 4)):
            stream = OpinionStream.objects.create(
                report=report, position=position, topic=rng.choice(self.topics),
                summary="Luồng", attitude=rng.choice(Attitude.values), reach="many",
                area=rng.choice([None, *self.areas]), channel=rng.choice(Channel.values),
                latent=rng.random() < 0.3,
            )
            stream.social_groups.set(rng.sample(self.groups, rng.randrange(3)))
            stream.issues.set(rng.sample(self.issues, rng.randrange(2)))
        return report

    def queries(self):
        rng = self.rng
        periods = rng.sample(
            ["2026-11", "2026-Q3", "2026-09-10..2026-11-20", "2026-W45", "2026", "2025",
             "2025-11-15..2026-02-10", "2026-01-31..2026-07-01"], 4
        )
        filters = [{}, {"area": str(rng.choice(self.areas).pk)},
                   {"topic": str(rng.choice(self.topics).pk)},
                   {"group": str(rng.choice(self.groups).pk)},
                   {"channel": rng.choice(Channel.values)},
                   {"topic": str(self.topics[0].pk), "area": str(self.areas[0].pk)}]
        for reader in self.readers:
            for period in periods:
                for extra in rng.sample(filters, 2):
                    yield read_query(reader, {"period": period, **extra}, today=TODAY)
        yield read_query(self.office, {"period": "2026-Q4", "unit": "m1"}, today=TODAY)


@pytest.fixture
def office(db):
    return User.objects.create(username="office", role=User.Role.OFFICE)


def _raw_picture(query, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(selectors, "counter_for", RawCounter)
        return selectors.picture_for(query)


def _assert_equal(world: World, monkeypatch) -> int:
    compared = 0
    for query in world.queries():
        assert selectors.picture_for(query) == _raw_picture(query, monkeypatch), query
        compared += 1
    return compared


def _assert_counters_equal(world: World) -> None:
    """Every dimension, by day or not, for each scope and single filter; and for each of these,
    windows that cross month and year boundaries."""
    windows, windowed = _windows(world), set()
    for query in world.queries():
        if not (query.scope >= 0 and sum(map(bool, (query.area, query.topic, query.group,
                                                      query.channel))) <= 1):
            continue
        fast, raw = RollupCounter(query), RawCounter(query)
        for dimension in DIMENSIONS:
            for by_day in (False, True):
                start, end = query.window.start, query.window.end
                assert fast.cells(dimension, start, end, by_day=by_day) == raw.cells(
                    dimension, start, end, by_day=by_day), (query, dimension, by_day)
        assert fast.last_heard("area", FIRST, TODAY) == raw.last_heard("area", FIRST, TODAY)
        for dimension in DIMENSIONS:  # seven-day windows ending on several weekdays
            for anchor, weeks in ((TODAY, 15), (TODAY - dt.timedelta(days=3), 60),
                                  (dt.date(2026, 3, 1), 5)):
                for attitudes in (True, False):
                    assert fast.weekly(dimension, anchor, weeks, attitudes=attitudes) == (
                        raw.weekly(dimension, anchor, weeks, attitudes=attitudes)), (
                        query, dimension, anchor, attitudes)
                every = raw.weekly(dimension, anchor, weeks)
                some = {cell.key for cell in every[::3]}  # a few keys, and one never heard
                assert fast.weekly(dimension, anchor, weeks, keys=some | {"999999"}) == [
                    cell for cell in every if cell.key in some], (query, dimension, anchor)
        reading = (query.scope, single_filter(query))
        if reading in windowed:  # the windows below do not depend on the query's period
            continue
        windowed.add(reading)
        for start, end in windows:
            for dimension in DIMENSIONS:
                assert fast.cells(dimension, start, end) == raw.cells(dimension, start, end), (
                    query, dimension, start, end)
            assert fast.day_totals("topic", start, end) == raw.day_totals("topic", start, end)
            assert _by_month(fast.day_totals("topic", start, end, by_month=True)) == _by_month(
                raw.day_totals("topic", start, end)), (query, start, end)
        for dimension in DIMENSIONS:  # calendar weeks, across month and year boundaries
            for first, weeks in ((week_of(FIRST), 80), (week_of(TODAY) - dt.timedelta(weeks=14),
                                                        15)):
                every = raw.calendar_weeks(dimension, first, weeks)
                assert fast.calendar_weeks(dimension, first, weeks) == every, (query, dimension)
                some = {key for _, key, _ in sorted(every)[::3]} | {"999999"}
                assert fast.calendar_weeks(dimension, first, weeks, keys=some) == {
                    cell: n for cell, n in every.items() if cell[1] in some}


def _windows(world: World) -> list[tuple[dt.date, dt.date]]:
    """Whole years, whole months, windows with ragged ends across month and year boundaries,
    one inside a month, and a few at random."""
    fixed = [
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31)), (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        (dt.date(2025, 10, 1), TODAY), (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        (dt.date(2025, 11, 15), dt.date(2026, 2, 10)), (dt.date(2026, 3, 31), dt.date(2026, 5, 1)),
        (dt.date(2026, 10, 3), dt.date(2026, 10, 17)), (dt.date(2025, 12, 31), dt.date(2026, 1, 1)),
    ]
    span = (TODAY - FIRST).days
    rng = world.rng
    randoms = []
    for _ in range(3):
        start = FIRST + dt.timedelta(days=rng.randrange(span))
        randoms.append((start, start + dt.timedelta(days=rng.randrange(20, 300))))
    return fixed + randoms


def _by_month(cells) -> dict[tuple, int]:
    """Day totals summed by calendar month, as the heat table of a long window does."""
    sums: dict[tuple, int] = {}
    for cell in cells:
        key = (month_of(cell.day), cell.key)
        sums[key] = sums.get(key, 0) + cell.count
    return sums


def _table() -> list[tuple]:
    fields = ("scope", "dimension", "key", "attitude", "source", "count", "latent")
    return sorted([
        *(("day", *row) for row in Rollup.objects.values_list("day", *fields)),
        *(("month", *row) for row in MonthRollup.objects.values_list("month", *fields)),
        *(("week", *row) for row in WeekRollup.objects.values_list("week", *fields)),
    ])


def _assert_months_sum_days() -> None:
    """Every month row and every week row is the sum of its period's day rows, and no month or
    week row is missing."""
    fields = ("scope", "dimension", "key", "attitude", "source", "count", "latent")
    for model, date, period_of in ((MonthRollup, "month", month_of), (WeekRollup, "week", week_of)):
        sums: dict[tuple, list[int]] = {}
        for day, scope, dimension, key, attitude, source, count, latent in (
            Rollup.objects.values_list("day", *fields)
        ):
            cell = sums.setdefault((scope, dimension, period_of(day), key, attitude, source),
                                   [0, 0])
            cell[0] += count
            cell[1] += latent
        periods = {
            (scope, dimension, when, key, attitude, source): [count, latent]
            for when, scope, dimension, key, attitude, source, count, latent
            in model.objects.values_list(date, *fields)
        }
        assert periods == sums, model


def _edit(world: World) -> None:
    rng = world.rng
    items = list(OpinionItem.objects.order_by("pk"))
    for item in rng.sample(items, 10):  # edits: day, attitude, unit, area
        item.received_on = world.day()
        item.attitude = rng.choice(ATTITUDES)
        item.unit = rng.choice([None, *world.units])
        item.area = rng.choice([None, *world.areas])
        item.save()
    for item in rng.sample(items, 5):
        item.delete()
    items = list(OpinionItem.objects.order_by("pk"))
    rng.choice(items).topics.add(world.topics[-1])
    rng.choice(items).topics.clear()
    rng.choice(items).social_groups.remove(*world.groups)
    world.topics[1].opinionitem_set.add(*rng.sample(items, 4))  # the reverse side
    world.groups[0].opinionitem_set.clear()
    for _ in range(5):
        world.new_item()
    moved = [item.pk for item in rng.sample(items, 6)]  # issue links in bulk, as grouping does
    OpinionItem.objects.filter(pk__in=moved).update(issue=world.issues[0])
    items_relinked.send(sender=Issue, item_ids=moved)

    reports = list(UnitReport.objects.order_by("pk"))
    returned = reports[0]
    returned.state = UnitReport.State.RETURNED
    returned.first_submitted_at = dt.datetime(2026, 8, 1, tzinfo=dt.UTC)
    returned.save()
    again = reports[1]
    again.state = UnitReport.State.RETURNED
    again.first_submitted_at = dt.datetime(2026, 8, 1, tzinfo=dt.UTC)
    again.save()
    again.state = UnitReport.State.SUBMITTED
    again.save()
    stream = OpinionStream.objects.filter(report__state=UnitReport.State.SUBMITTED).first()
    stream.social_groups.set(world.groups[:1])
    stream.attitude = Attitude.OPPOSE
    stream.save()
    OpinionStream.objects.filter(report__state=UnitReport.State.SUBMITTED).last().delete()
    reports[2].delete()


@pytest.mark.parametrize("seed", [1, 2])
def test_the_rollups_equal_the_raw_rows_through_every_change(seed, office, monkeypatch):
    world = World(seed, office)
    assert DirtyDay.objects.exists()  # every write marked its day
    # Before any refresh: the stale days are counted from the raw rows.
    _assert_equal(world, monkeypatch)
    assert not Rollup.objects.exists()

    assert rollups.refresh_dirty() > 0
    assert not DirtyDay.objects.exists()
    assert Rollup.objects.exists() and MonthRollup.objects.exists()
    _assert_months_sum_days()
    assert _assert_equal(world, monkeypatch) > 15
    _assert_counters_equal(world)

    _edit(world)
    assert DirtyDay.objects.exists()
    _assert_equal(world, monkeypatch)  # stale days counted raw, clean days from the rollups
    _assert_counters_equal(world)
    rollups.refresh_dirty()
    _assert_months_sum_days()
    refreshed = _table()
    rollups.rebuild_all()
    assert _table() == refreshed  # a refresh of the stale days equals a full rebuild
    _assert_months_sum_days()
    _assert_equal(world, monkeypatch)
    _assert_counters_equal(world)

    leaf = world.leaves[0]  # the org tree moves: every chain below the unit changed
    leaf.parent = world.units[2]
    leaf.save()
    assert DirtyDay.objects.filter(day=rollups.EVERYTHING).exists()
    _assert_equal(world, monkeypatch)  # everything stale: the raw rows answer
    rollups.refresh_dirty()
    assert not DirtyDay.objects.exists()
    _assert_months_sum_days()
    _assert_equal(world, monkeypatch)
    _assert_counters_equal(world)


def test_a_read_writes_nothing_and_refreshes_nothing(office, monkeypatch):
    world = World(7, office)
    marks = DirtyDay.objects.count()
    query = read_query(office, {"period": "2026"}, today=TODAY)
    selectors.picture_for(query)
    assert DirtyDay.objects.count() == marks and not Rollup.objects.exists()
    assert isinstance(selectors.counter_for(query), RollupCounter)
    assert world


def test_the_counter_is_chosen_by_scope_and_filters(office):
    world = World(5, office)
    ward = read_query(office, {"period": "2026-11"}, today=TODAY)
    unit = read_query(world.readers[1], {"period": "2026-11"}, today=TODAY)
    one = read_query(office, {"period": "2026-11", "topic": str(world.topics[0].pk)},
                     today=TODAY)
    two = read_query(office, {"period": "2026-11", "topic": str(world.topics[0].pk),
                              "channel": Channel.RESIDENTIAL}, today=TODAY)
    stranger = User.objects.create(username="x", role=User.Role.REPORTER)
    nobody = read_query(stranger, {"period": "2026-11"}, today=TODAY)
    assert [type(selectors.counter_for(q)) for q in (ward, unit, one, two, nobody)] == [
        RollupCounter, RollupCounter, RollupCounter, RawCounter, RawCounter]


def test_a_refresh_keeps_a_mark_made_while_it_ran(office):
    """Marks are cleared before the raw rows are read, so a mark made later survives."""
    World(9, office)
    rollups.refresh_dirty()
    item = OpinionItem.objects.first()
    item.attitude = Attitude.OPPOSE
    item.save()
    assert list(DirtyDay.objects.values_list("day", flat=True)) == [item.received_on]
    assert rollups.refresh_dirty(days=[dt.date(2020, 1, 1)]) == 0  # not stale: nothing done
    assert DirtyDay.objects.count() == 1


def test_a_window_splits_into_whole_clean_months_and_day_ranges():
    d = dt.date
    assert whole_months(d(2026, 1, 1), d(2026, 12, 31), set()) == (
        [d(2026, m, 1) for m in range(1, 13)], [])
    assert whole_months(d(2025, 11, 15), d(2026, 2, 10), set()) == (
        [d(2025, 12, 1), d(2026, 1, 1)],
        [(d(2025, 11, 15), d(2025, 11, 30)), (d(2026, 2, 1), d(2026, 2, 10))])
    # A month with a stale day is read by day, merged with the ragged end beside it.
    assert whole_months(d(2026, 1, 1), d(2026, 3, 20), {d(2026, 2, 14)}) == (
        [d(2026, 1, 1)], [(d(2026, 2, 1), d(2026, 3, 20))])
    assert whole_months(d(2026, 1, 1), d(2026, 3, 31), {d(2026, 2, 14)}) == (
        [d(2026, 1, 1), d(2026, 3, 1)], [(d(2026, 2, 1), d(2026, 2, 28))])
    assert whole_months(d(2026, 3, 2), d(2026, 3, 30), set()) == ([], [(d(2026, 3, 2),
                                                                        d(2026, 3, 30))])
    assert whole_months(d(2024, 2, 1), d(2024, 2, 29), set()) == ([d(2024, 2, 1)], [])


def test_a_long_window_reads_whole_months_from_the_month_rows(office):
    World(3, office)
    rollups.refresh_dirty()
    query = read_query(office, {"period": "2026"}, today=TODAY)
    with CaptureQueriesContext(connection) as captured:
        cells = RollupCounter(query).cells("topic", dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    tables = " ".join(q["sql"] for q in captured.captured_queries)
    assert MonthRollup._meta.db_table in tables and f'"{Rollup._meta.db_table}"' not in tables
    assert cells == RawCounter(query).cells("topic", dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    # A month's row stays exact between a write and the refresh: the stale day is read raw,
    # the rest of its month from the day rows.
    item = OpinionItem.objects.filter(received_on__year=2026).first()
    item.attitude = Attitude.OPPOSE if item.attitude != Attitude.OPPOSE else Attitude.AGREE
    item.save()
    assert RollupCounter(query).cells("all", dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == (
        RawCounter(query).cells("all", dt.date(2026, 1, 1), dt.date(2026, 12, 31)))


def test_the_baseline_reads_calendar_weeks_from_the_week_rows(office):
    World(4, office)
    rollups.refresh_dirty()
    query = read_query(office, {"period": "2026-11"}, today=TODAY)
    first = week_of(TODAY) - dt.timedelta(weeks=14)
    with CaptureQueriesContext(connection) as captured:
        weeks = RollupCounter(query).calendar_weeks("topic", first, 12)
    tables = " ".join(q["sql"] for q in captured.captured_queries)
    assert WeekRollup._meta.db_table in tables and f'"{Rollup._meta.db_table}"' not in tables
    assert weeks == RawCounter(query).calendar_weeks("topic", first, 12) and weeks
    # A stale day: its week is counted from its other days' rows and its own raw rows.
    item = OpinionItem.objects.filter(received_on__gte=first + dt.timedelta(weeks=3)).first()
    item.received_on = first + dt.timedelta(weeks=5, days=2)
    item.save()
    assert DirtyDay.objects.exists()
    assert RollupCounter(query).calendar_weeks("topic", first, 12) == (
        RawCounter(query).calendar_weeks("topic", first, 12))


def test_the_migration_derives_the_week_rows_a_rebuild_writes(office):
    """The week rows an existing installation gets from its day rows (migration 0004) are the
    rows a rebuild writes."""
    from importlib import import_module

    class Editor:  # what the migration uses of a schema editor (SQLite's refuses a transaction)
        connection = connection

        @staticmethod
        def execute(sql, params):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)

    World(5, office)
    rollups.rebuild_all()
    built = sorted(WeekRollup.objects.values_list(
        "scope", "dimension", "week", "key", "attitude", "source", "count", "latent"))
    assert built
    WeekRollup.objects.all().delete()
    migration = import_module("picture.migrations.0004_week_rollups")
    migration.derive_weeks(None, Editor())
    assert sorted(WeekRollup.objects.values_list(
        "scope", "dimension", "week", "key", "attitude", "source", "count", "latent")) == built
