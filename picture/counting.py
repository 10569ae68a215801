"""Counting what was heard: the cells every panel of the picture is made of.

A cell is one (day or None, key, attitude, source, count, latent) along one dimension
(``all``, ``topic``, ``area``, ``group``, ``channel``, ``group_topic``, ``area_topic``, ``issue``;
see ``picture.models.Rollup``). :class:`RawCounter` counts the raw rows (items and the streams of
submitted reports not drawn from items, :func:`counted_streams`) with plain aggregate queries: it
is the reference every faster path must equal, and the "naive query" the benchmarks measure
against. :class:`RollupCounter` reads the same cells
from the rollups (``picture.rollups``) of the reader's scope, counting the few days not yet
refreshed from the raw rows; ``picture.selectors.counter_for`` chooses between them.

Both counters return their cells in one order (day, key, attitude, source), so that panels which
keep the order of equal counts read the same from either.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, IntegerField, Max, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL

from intake.models import OpinionItem
from picture.models import MonthRollup, Rollup, WeekRollup
from picture.query import PictureQuery
from reporting.models import OpinionStream, UnitReport

ITEM, STREAM = "item", "stream"
DIMENSIONS = ("all", "topic", "area", "group", "channel", "group_topic", "area_topic", "issue")


@dataclass(frozen=True)
class Cell:
    day: dt.date | None
    key: str
    attitude: str
    source: str
    count: int
    latent: int = 0


# For each dimension, the fields of an item and of a stream that make its key.
_ITEM_KEYS = {
    "all": (),
    "topic": ("topics__id",),
    "area": ("area_id",),
    "group": ("social_groups__id",),
    "channel": ("channel",),
    "group_topic": ("social_groups__id", "topics__id"),
    "area_topic": ("area_id", "topics__id"),
    "issue": ("issue_id",),
}
_STREAM_KEYS = {
    "all": (),
    "topic": ("topic_id",),
    "area": ("area_id",),
    "group": ("social_groups__id",),
    "channel": ("channel",),
    "group_topic": ("social_groups__id", "topic_id"),
    "area_topic": ("area_id", "topic_id"),
    "issue": ("issues__id",),
}


def counted_streams() -> QuerySet[OpinionStream]:
    """The streams the picture counts: a stream drawn from logged items (linked to them, issue
    15) is counted through its items, which the picture counts already on their own days and
    labels; counting the stream too would count those opinions twice."""
    drawn = OpinionStream.items.through.objects.values("opinionstream_id")
    return OpinionStream.objects.exclude(pk__in=drawn)


def _key(values: dict, fields: tuple[str, ...]) -> str:
    return ":".join("" if values[name] is None else str(values[name]) for name in fields)


class RawCounter:
    """Counts straight from the raw rows, honouring every filter of the query."""

    def __init__(self, query: PictureQuery):
        self.query = query

    def items(self, start: dt.date, end: dt.date) -> QuerySet[OpinionItem]:
        query = self.query
        items = OpinionItem.objects.filter(received_on__range=(start, end))
        if query.unit_ids is not None:
            items = items.filter(unit_id__in=query.unit_ids)
        if query.area:
            items = items.filter(area=query.area)
        if query.channel:
            items = items.filter(channel=query.channel)
        # Many-to-many filters through a sub-query: a join would count an item once per label.
        if query.topic:
            tagged = OpinionItem.topics.through.objects.filter(topic_id=query.topic.pk)
            items = items.filter(pk__in=tagged.values("opinionitem_id"))
        if query.group:
            tagged = OpinionItem.social_groups.through.objects.filter(
                socialgroup_id=query.group.pk
            )
            items = items.filter(pk__in=tagged.values("opinionitem_id"))
        return items

    def streams(self, start: dt.date, end: dt.date) -> QuerySet[OpinionStream]:
        query = self.query
        streams = counted_streams().filter(
            report__state=UnitReport.State.SUBMITTED, report__period__end__range=(start, end)
        )
        if query.unit_ids is not None:
            streams = streams.filter(report__unit_id__in=query.unit_ids)
        if query.area:
            streams = streams.filter(area=query.area)
        if query.channel:
            streams = streams.filter(channel=query.channel)
        if query.topic:
            streams = streams.filter(topic=query.topic)
        if query.group:
            tagged = OpinionStream.social_groups.through.objects.filter(
                socialgroup_id=query.group.pk
            )
            streams = streams.filter(pk__in=tagged.values("opinionstream_id"))
        return streams

    def cells(
        self, dimension: str, start: dt.date, end: dt.date, *, by_day: bool = False
    ) -> list[Cell]:
        return _ordered([
            *self._cells(self.items(start, end), _ITEM_KEYS[dimension], ITEM,
                         "received_on" if by_day else None),
            *self._cells(self.streams(start, end), _STREAM_KEYS[dimension], STREAM,
                         "report__period__end" if by_day else None),
        ])

    def day_totals(
        self, dimension: str, start: dt.date, end: dt.date, *, by_month: bool = False
    ) -> list[Cell]:
        """Per day and key, every attitude and source together (the heat table's cells).
        ``by_month`` is a hint the rollups use (see :meth:`RollupCounter.day_totals`); the raw
        rows always answer by day."""
        return _day_totals(self.cells(dimension, start, end, by_day=True))

    def weekly(
        self, dimension: str, anchor: dt.date, weeks: int, *, attitudes: bool = True,
        keys: Collection[str] | None = None,
    ) -> list[Cell]:
        """The opinion items of the ``weeks`` seven-day windows ending on ``anchor``, per window,
        key and attitude (every attitude together, as "", unless ``attitudes``), of ``keys``
        only when given: each cell's ``day`` is its window's first day (streams are left out:
        they are dated by a period's last day, not by the week they were heard)."""
        return _windows(self.weekly_totals(dimension, anchor, weeks, attitudes=attitudes,
                                           keys=keys))

    def weekly_totals(
        self, dimension: str, anchor: dt.date, weeks: int, *, attitudes: bool = True,
        keys: Collection[str] | None = None,
    ) -> dict[tuple, int]:
        """:meth:`weekly` as {(window's first day, key, attitude): count}, unordered (what the
        rising topics and the forecast sum, without a cell object per row)."""
        start = window_start(anchor, weeks)
        totals = _window_totals(self.cells(dimension, start, anchor, by_day=True), anchor,
                                attitudes=attitudes)
        return totals if keys is None else {k: n for k, n in totals.items() if k[1] in keys}

    def calendar_weeks(
        self, dimension: str, first: dt.date, weeks: int, *, keys: Collection[str] | None = None,
    ) -> dict[tuple, int]:
        """The opinion items of ``weeks`` calendar weeks from the Monday ``first``, as
        {(Monday, key, attitude): count}, of ``keys`` only when given (streams left out, as in
        :meth:`weekly`)."""
        last = first + dt.timedelta(weeks=weeks, days=-1)
        return _calendar_week_totals(self.cells(dimension, first, last, by_day=True), keys)

    def last_heard(self, dimension: str, start: dt.date, end: dt.date) -> dict[str, dt.date]:
        """The last day in ``start..end`` each key of a one-field dimension was heard."""
        (item_field,), (stream_field,) = _ITEM_KEYS[dimension], _STREAM_KEYS[dimension]
        latest: dict[str, dt.date] = {}
        for rows, field_name, day_field in (
            (self.items(start, end), item_field, "received_on"),
            (self.streams(start, end), stream_field, "report__period__end"),
        ):
            for values in rows.values(field_name).annotate(last=Max(day_field)).order_by():
                _keep_latest(latest, _key(values, (field_name,)), values["last"])
        return latest

    @staticmethod
    def _cells(rows: QuerySet, fields: tuple[str, ...], source: str, day_field: str | None):
        group_by = [*fields, "attitude", *([day_field] if day_field else [])]
        aggregated = rows.values(*group_by).annotate(
            n=Count("pk", distinct=True),
            n_latent=Count("pk", filter=Q(latent=True), distinct=True),
        )
        return [
            Cell(
                day=values[day_field] if day_field else None,
                key=_key(values, fields),
                attitude=values["attitude"] or "",
                source=source,
                count=values["n"],
                latent=int(values["n_latent"] or 0),
            )
            for values in aggregated.order_by()
        ]


def _ordered(cells: list[Cell]) -> list[Cell]:
    return sorted(cells, key=lambda c: (c.day or dt.date.min, c.key, c.attitude, c.source))


def _day_totals(cells: list[Cell]) -> list[Cell]:
    totals: dict[tuple, int] = defaultdict(int)
    for cell in cells:
        totals[(cell.day, cell.key)] += cell.count
    return _ordered([Cell(day=day, key=key, attitude="", source="", count=n)
                     for (day, key), n in totals.items()])


def window_start(anchor: dt.date, weeks: int) -> dt.date:
    """The first day of the oldest of ``weeks`` seven-day windows ending on ``anchor``."""
    return anchor - dt.timedelta(days=7 * weeks - 1)


def _window_of(anchor: dt.date, weeks_back: int) -> dt.date:
    """The first day of the seven-day window ``weeks_back`` windows before the one ending on
    ``anchor`` (0: that window)."""
    return anchor - dt.timedelta(days=7 * weeks_back + 6)


def by_window(cells: list[Cell], anchor: dt.date) -> list[Cell]:
    """Day cells of opinion items summed per seven-day window ending on ``anchor``, key and
    attitude."""
    return _windows(_window_totals(cells, anchor))


def _window_totals(
    cells: list[Cell], anchor: dt.date, *, attitudes: bool = True
) -> dict[tuple, int]:
    totals: dict[tuple, int] = defaultdict(int)
    for cell in cells:
        if cell.source == ITEM:
            window = _window_of(anchor, (anchor - cell.day).days // 7)
            totals[(window, cell.key, cell.attitude if attitudes else "")] += cell.count
    return totals


def _calendar_week_totals(cells: list[Cell], keys: Collection[str] | None) -> dict[tuple, int]:
    totals: dict[tuple, int] = defaultdict(int)
    for cell in cells:
        if cell.source == ITEM and (keys is None or cell.key in keys):
            totals[(week_of(cell.day), cell.key, cell.attitude)] += cell.count
    return totals


def _windows(totals: dict[tuple, int]) -> list[Cell]:
    return [Cell(day=day, key=key, attitude=attitude, source=ITEM, count=n)
            for (day, key, attitude), n in sorted(totals.items()) if n]


def _weeks_before(anchor: dt.date) -> RawSQL:
    """How many whole seven-day windows lie between a rollup row's day and ``anchor`` (0 for the
    window ending on it), computed by the database so that it sums a window's days itself."""
    if connection.vendor == "postgresql":
        return RawSQL('((%s::date - "picture_rollup"."day") / 7)', (anchor,), IntegerField())
    return RawSQL(
        'CAST((julianday(%s) - julianday("picture_rollup"."day")) AS INTEGER) / 7',
        (anchor.isoformat(),), IntegerField(),
    )


def _keep_latest(latest: dict[str, dt.date], key: str, day: dt.date | None) -> None:
    if day is not None and (key not in latest or day > latest[key]):
        latest[key] = day


# -- the rollups --------------------------------------------------------------------------------

# Beyond this many stale days in a range a read counts the raw rows instead (the worker is
# catching up, say after the org tree moved): still exact, never a recomputation on a page load.
MAX_DIRTY_DAYS = 31


def _same(key: str) -> str:
    return key


def _blank(key: str) -> str:
    return ""


def _first(key: str) -> str:
    return key.partition(":")[0]


def _second(key: str) -> str:
    return key.partition(":")[2]


# With one filter, the cuboid that answers a dimension: (cuboid, how its key matches the filter
# value: "exact", "prefix" or "suffix", how the cuboid's key becomes the dimension's key).
# A dimension missing here is counted from the raw rows: under a topic filter the raw "topic"
# dimension holds every topic of the items that carry it (an item has several), which no cuboid
# keeps; likewise social groups.
_PLANS: dict[str, dict[str, tuple]] = {
    "": {dimension: (dimension, None, _same) for dimension in DIMENSIONS},
    "area": {
        "all": ("area", "exact", _blank),
        "area": ("area", "exact", _same),
        "topic": ("area_topic", "prefix", _second),
    },
    "topic": {
        "all": ("topic", "exact", _blank),
        "area": ("area_topic", "suffix", _first),
        "group": ("group_topic", "suffix", _first),
    },
    "group": {
        "all": ("group", "exact", _blank),
        "topic": ("group_topic", "prefix", _second),
    },
    "channel": {
        "all": ("channel", "exact", _blank),
        "channel": ("channel", "exact", _same),
    },
}


def single_filter(query: PictureQuery) -> tuple[str, str] | None:
    """The query's one filter beyond the unit as (name, key value); ("", "") for none; None for
    two or more (no cuboid crosses three labels)."""
    filters = [
        (name, value) for name, value in (
            ("area", str(query.area.pk) if query.area else ""),
            ("topic", str(query.topic.pk) if query.topic else ""),
            ("group", str(query.group.pk) if query.group else ""),
            ("channel", query.channel),
        ) if value
    ]
    if len(filters) > 1:
        return None
    return filters[0] if filters else ("", "")


def rollups_answer(query: PictureQuery) -> bool:
    """The rollups hold the query's scope (the ward or one subtree) and at most one filter."""
    return query.scope >= 0 and single_filter(query) is not None


class RollupCounter:
    """Counts from the rollups of the query's scope (``query.scope``).

    The query must be one :func:`rollups_answer` accepts. With no filter every dimension is
    read from its own cuboid; with one filter the dimensions a cuboid crosses with it are (see
    ``_PLANS``) and the others fall back to :class:`RawCounter`. A window's whole calendar
    months with no stale day are read from the month rows, the rest (its ragged ends, a month
    with a stale day) from the day rows; the stale days themselves are counted from the raw
    rows of the same scope and filters, so the result is exact.
    """

    def __init__(self, query: PictureQuery):
        self.query = query
        self.raw = RawCounter(query)
        name, value = single_filter(query) or ("", "")
        self.plans, self.value = _PLANS[name], value

    def _rows(self, model, cuboid: str, match: str | None) -> QuerySet:
        rows = model.objects.filter(scope=self.query.scope, dimension=cuboid)
        if match == "exact":
            rows = rows.filter(key=self.value)
        elif match == "prefix":
            rows = rows.filter(key__startswith=f"{self.value}:")
        elif match == "suffix":
            rows = rows.filter(key__endswith=f":{self.value}")
        return rows

    def _day_rows(self, cuboid, match, start, end, dirty: set[dt.date]) -> QuerySet:
        rows = self._rows(Rollup, cuboid, match).filter(day__range=(start, end))
        stale = sorted(day for day in dirty if start <= day <= end)
        return rows.exclude(day__in=stale) if stale else rows

    def _month_rows(self, cuboid, match, months: list[dt.date]) -> QuerySet:
        rows = self._rows(MonthRollup, cuboid, match).filter(month__range=(months[0], months[-1]))
        skipped = _months_between(months[0], months[-1]) - set(months)
        return rows.exclude(month__in=sorted(skipped)) if skipped else rows

    def _dirty(self, start: dt.date, end: dt.date) -> set[dt.date] | None:
        from picture.rollups import dirty_between  # the rollups count with this module's keys

        dirty = dirty_between(start, end)
        if dirty is None or len(dirty) > MAX_DIRTY_DAYS:
            return None
        return dirty

    def cells(
        self, dimension: str, start: dt.date, end: dt.date, *, by_day: bool = False
    ) -> list[Cell]:
        plan, dirty = self.plans.get(dimension), self._dirty(start, end)
        if plan is None or dirty is None:
            return self.raw.cells(dimension, start, end, by_day=by_day)
        cuboid, match, rekey = plan
        if by_day:
            months, ranges = [], [(start, end)]
        else:
            months, ranges = whole_months(start, end, dirty)
        values: list[tuple] = []
        fields = ("key", "attitude", "source")
        if months:
            rows = self._month_rows(cuboid, match, months).values_list(*fields)
            values.extend((None, *row) for row in _summed(rows))
        for first, last in ranges:
            rows = self._day_rows(cuboid, match, first, last, dirty)
            if by_day:
                values.extend(rows.values_list("day", *fields, "count", "latent"))
            else:
                values.extend((None, *row) for row in _summed(rows.values_list(*fields)))
        merged: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
        for day, key, attitude, source, count, latent in values:
            cell = merged[(day, rekey(key), attitude, source)]
            cell[0] += count
            cell[1] += latent or 0
        for first, last in _runs(dirty):
            for cell in self.raw.cells(dimension, first, last, by_day=by_day):
                total = merged[(cell.day, cell.key, cell.attitude, cell.source)]
                total[0] += cell.count
                total[1] += cell.latent
        return _ordered([
            Cell(day=day, key=key, attitude=attitude, source=source, count=n, latent=latent)
            for (day, key, attitude, source), (n, latent) in merged.items() if n
        ])

    def day_totals(
        self, dimension: str, start: dt.date, end: dt.date, *, by_month: bool = False
    ) -> list[Cell]:
        """Per day and key (see :meth:`RawCounter.day_totals`). With ``by_month`` a whole month
        of the range may come as one cell dated its first day, which a caller that sums by
        calendar month reads the same."""
        plan, dirty = self.plans.get(dimension), self._dirty(start, end)
        if plan is None or dirty is None:
            return self.raw.day_totals(dimension, start, end)
        cuboid, match, rekey = plan
        months, ranges = whole_months(start, end, dirty) if by_month else ([], [(start, end)])
        cells = []
        if months:
            rows = self._month_rows(cuboid, match, months).values_list("month", "key")
            cells.extend(
                Cell(day=month, key=rekey(key), attitude="", source="", count=n)
                for month, key, n in rows.annotate(n=Sum("count")).order_by()
            )
        for first, last in ranges:
            rows = self._day_rows(cuboid, match, first, last, dirty).values_list("day", "key")
            cells.extend(
                Cell(day=day, key=rekey(key), attitude="", source="", count=n)
                for day, key, n in rows.annotate(n=Sum("count")).order_by()
            )
        for first, last in _runs(dirty):
            cells.extend(self.raw.day_totals(dimension, first, last))
        return _day_totals(cells)

    def weekly(
        self, dimension: str, anchor: dt.date, weeks: int, *, attitudes: bool = True,
        keys: Collection[str] | None = None,
    ) -> list[Cell]:
        """Per seven-day window (see :meth:`RawCounter.weekly`). The database sums each window's
        day rows, so a reader of two years of weeks receives one row per window, key (and
        attitude) rather than one per day; ``keys`` narrows the rows it reads when the cuboid's
        keys are the dimension's (no filter)."""
        return _windows(self.weekly_totals(dimension, anchor, weeks, attitudes=attitudes,
                                           keys=keys))

    def weekly_totals(
        self, dimension: str, anchor: dt.date, weeks: int, *, attitudes: bool = True,
        keys: Collection[str] | None = None,
    ) -> dict[tuple, int]:
        """See :meth:`RawCounter.weekly_totals`."""
        start = window_start(anchor, weeks)
        plan, dirty = self.plans.get(dimension), self._dirty(start, anchor)
        if plan is None or dirty is None:
            return self.raw.weekly_totals(dimension, anchor, weeks, attitudes=attitudes,
                                          keys=keys)
        cuboid, match, rekey = plan
        fields = ("back", "key", "attitude") if attitudes else ("back", "key")
        rows = self._day_rows(cuboid, match, start, anchor, dirty)
        if keys is not None and match is None:
            rows = rows.filter(key__in=sorted(keys))
        rows = (
            rows
            .filter(source=ITEM)
            .annotate(back=_weeks_before(anchor))
            .values_list(*fields)
            .annotate(n=Sum("count"))
            .order_by()
        )
        totals: dict[tuple, int] = defaultdict(int)
        starts = [_window_of(anchor, back) for back in range(weeks)]
        if attitudes:
            for back, key, attitude, n in rows.iterator(chunk_size=10_000):
                totals[(starts[back], rekey(key), attitude)] += n
        else:
            for back, key, n in rows.iterator(chunk_size=10_000):
                totals[(starts[back], rekey(key), "")] += n
        for first, last in _runs(dirty):
            stale = _window_totals(self.raw.cells(dimension, first, last, by_day=True), anchor,
                                   attitudes=attitudes)
            for cell_key, n in stale.items():
                totals[cell_key] += n
        if keys is not None:
            totals = {key: n for key, n in totals.items() if key[1] in keys}
        return totals

    def calendar_weeks(
        self, dimension: str, first: dt.date, weeks: int, *, keys: Collection[str] | None = None,
    ) -> dict[tuple, int]:
        """See :meth:`RawCounter.calendar_weeks`. The weeks with no stale day are one week row
        a key and attitude; a week with a stale day is counted as :meth:`cells` counts its
        days."""
        last = first + dt.timedelta(weeks=weeks, days=-1)
        plan, dirty = self.plans.get(dimension), self._dirty(first, last)
        if plan is None or dirty is None:
            return self.raw.calendar_weeks(dimension, first, weeks, keys=keys)
        cuboid, match, rekey = plan
        stale_weeks = sorted({week_of(day) for day in dirty})
        rows = self._rows(WeekRollup, cuboid, match).filter(
            week__range=(first, last), source=ITEM
        )
        if stale_weeks:
            rows = rows.exclude(week__in=stale_weeks)
        if keys is not None and match is None:
            rows = rows.filter(key__in=sorted(keys))
        totals: dict[tuple, int] = defaultdict(int)
        for week, key, attitude, n in rows.values_list("week", "key", "attitude", "count"):
            totals[(week, rekey(key), attitude)] += n
        for week in stale_weeks:
            cells = self.cells(dimension, week, week + dt.timedelta(days=6), by_day=True)
            for cell_key, n in _calendar_week_totals(cells, keys).items():
                totals[cell_key] += n
        if keys is not None:
            totals = {key: n for key, n in totals.items() if key[1] in keys}
        return totals

    def last_heard(self, dimension: str, start: dt.date, end: dt.date) -> dict[str, dt.date]:
        plan, dirty = self.plans.get(dimension), self._dirty(start, end)
        if plan is None or dirty is None:
            return self.raw.last_heard(dimension, start, end)
        cuboid, match, rekey = plan
        rows = self._day_rows(cuboid, match, start, end, dirty)
        latest: dict[str, dt.date] = {}
        for key, day in rows.values_list("key").annotate(last=Max("day")).order_by():
            _keep_latest(latest, rekey(key), day)
        for first, last in _runs(dirty):
            for key, day in self.raw.last_heard(dimension, first, last).items():
                _keep_latest(latest, key, day)
        return latest


def _summed(rows: QuerySet) -> QuerySet:
    """``rows`` (a values_list of key, attitude, source) with their counts summed."""
    return rows.annotate(n=Sum("count"), n_latent=Sum("latent")).order_by()


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def week_of(day: dt.date) -> dt.date:
    """The Monday of ``day``'s calendar week."""
    return day - dt.timedelta(days=day.weekday())


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _months_between(first: dt.date, last: dt.date) -> set[dt.date]:
    months, month = set(), first
    while month <= last:
        months.add(month)
        month = next_month(month)
    return months


def whole_months(
    start: dt.date, end: dt.date, stale: set[dt.date]
) -> tuple[list[dt.date], list[tuple[dt.date, dt.date]]]:
    """Split ``start..end`` into the calendar months wholly inside it with no stale day (their
    first days: read from the month rows) and the day ranges left (the ragged ends, and the
    months that hold a stale day), adjacent ones merged."""
    stale_months = {month_of(day) for day in stale}
    month = start if start.day == 1 else next_month(month_of(start))
    months, ranges, cursor = [], [], start
    while next_month(month) - dt.timedelta(days=1) <= end:
        if month not in stale_months:
            if cursor < month:
                ranges.append((cursor, month - dt.timedelta(days=1)))
            months.append(month)
            cursor = next_month(month)
        month = next_month(month)
    if cursor <= end:
        ranges.append((cursor, end))
    return months, ranges


def _runs(days: set[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days as (first, last) runs: one raw query per run, not per day."""
    runs: list[list[dt.date]] = []
    for day in sorted(days):
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(first, last) for first, last in runs]
