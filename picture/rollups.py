"""Keeping the rollups (``picture.models.Rollup``) equal to the raw rows.

Writes only *mark* what they touch: every save or delete that changes what the picture counts
upserts the days it touches into ``DirtyDay`` in its own transaction (one small statement; see
``picture.receivers``). The worker recomputes those days (:func:`refresh_dirty`, enqueued after
the commit and by the scheduler); a change that moves everything (a unit moved in the org tree,
an area, topic or social group deleted) marks the whole history stale with one row,
:data:`EVERYTHING`, which :func:`refresh_dirty` answers with :func:`rebuild_all`.

A read never recomputes: ``picture.counting.RollupCounter`` reads the rollups of the clean days
and counts the few dirty days of its range from the raw rows of its own scope (bounded work, no
write from a page load), so the picture is exact at every moment.

Recomputing a day: for each dimension, one aggregate query per source groups the day's items (and
the streams of submitted reports whose period ends that day) by unit; each unit's counts are then
added to the ward (:data:`~picture.models.WARD`) and to every ancestor of the unit, itself
included. Distinct counts per unit add up exactly because an item has one unit. The month rows
(``picture.models.MonthRollup``) and the week rows (``picture.models.WeekRollup``) of the days
recomputed then move by what those days' rows changed, in the same transaction, so a month or a
week none of whose days is marked stale is exact too.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from intake.models import OpinionItem
from orgs.models import OrgUnit
from picture.counting import (
    _ITEM_KEYS,
    _STREAM_KEYS,
    DIMENSIONS,
    ITEM,
    STREAM,
    _key,
    counted_streams,
    month_of,
    next_month,
    week_of,
)
from picture.models import WARD, DirtyDay, MonthRollup, Rollup, WeekRollup
from reporting.models import OpinionStream, UnitReport

logger = logging.getLogger(__name__)

# The one mark that says "every day is stale" (the org tree changed): no real day is this old.
EVERYTHING = dt.date(1, 1, 1)
BATCH = 5000


# -- marking (inside the writer's transaction) --------------------------------------------------


def mark_days(days: Iterable[dt.date | None]) -> None:
    """Mark ``days`` stale: one upsert in the caller's transaction (a day this transaction
    already marked is not written again), and a refresh enqueued after the commit."""
    wanted = {day for day in days if day is not None}
    if not wanted:
        return
    hook = _hook_of_this_savepoint()
    if hook is not None:
        wanted -= hook.days
        if not wanted:
            return
    now = timezone.now()
    DirtyDay.objects.bulk_create(
        [DirtyDay(day=day, marked_at=now) for day in sorted(wanted)],
        update_conflicts=True, unique_fields=["day"], update_fields=["marked_at"],
    )
    if hook is None:
        hook = _RefreshAfterCommit()
        transaction.on_commit(hook)
    hook.days |= wanted


def mark_everything() -> None:
    """The org tree (or a label every row may carry) changed: every day is stale."""
    mark_days([EVERYTHING])


# A refresh recomputes every stale day, so one enqueued every few seconds per process is enough;
# the days marked meanwhile stay exact (a read counts them raw) and the scheduler catches up.
ENQUEUE_EVERY_S = 5.0
_last_enqueued = [float("-inf")]


class _RefreshAfterCommit:
    """The on-commit hook of one transaction (or savepoint) that marked days: remembers them, so
    a second write on the same day costs nothing, and enqueues a refresh once it commits."""

    def __init__(self) -> None:
        self.days: set[dt.date] = set()

    def __call__(self) -> None:
        now = time.monotonic()
        if now - _last_enqueued[0] < ENQUEUE_EVERY_S:
            return
        _last_enqueued[0] = now
        from picture import rollup_tasks

        try:
            rollup_tasks.refresh_rollups.enqueue()
        except Exception:  # noqa: BLE001 - the scheduler's periodic run catches up
            logger.exception("Không xếp được việc cập nhật số liệu tổng hợp.")


def _forget_marks() -> None:
    """Marks are being cleared in this transaction: the hooks' memory of them is void."""
    for _, hook, *_ in transaction.get_connection().run_on_commit:
        if isinstance(hook, _RefreshAfterCommit):
            hook.days.clear()


def _hook_of_this_savepoint() -> _RefreshAfterCommit | None:
    """The hook registered in the current savepoint, if any. Django drops a hook with the
    savepoint it was registered in, so a hook found here remembers only marks still standing."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    ids = connection.savepoint_ids
    current = set(ids)
    # Newest first, and only as far back as the innermost savepoint began: every hook registered
    # in it holds its id, and ids are unique within the transaction. A long transaction (an
    # import, the demo: thousands of hooks, a new savepoint per service call) then costs a few
    # steps per mark instead of a walk over every hook registered so far.
    innermost = ids[-1] if ids else None
    for savepoints, hook, *_ in reversed(connection.run_on_commit):
        if innermost is not None and innermost not in savepoints:
            break
        if isinstance(hook, _RefreshAfterCommit) and savepoints == current:
            return hook
    return None


def days_of_items(item_ids: Iterable[int]) -> list[dt.date]:
    ids = list(item_ids)
    if not ids:
        return []
    return list(OpinionItem.objects.filter(pk__in=ids).values_list("received_on", flat=True)
                .distinct().order_by())


def days_of_streams(stream_ids: Iterable[int]) -> list[dt.date]:
    """The days counted streams sit on (streams of unsubmitted reports count nowhere)."""
    ids = list(stream_ids)
    if not ids:
        return []
    return list(
        OpinionStream.objects.filter(pk__in=ids, report__state=UnitReport.State.SUBMITTED)
        .values_list("report__period__end", flat=True).distinct().order_by()
    )


# -- reading the marks --------------------------------------------------------------------------


def dirty_between(start: dt.date, end: dt.date) -> set[dt.date] | None:
    """The stale days in ``start..end``; ``None`` when everything is stale."""
    days = set(
        DirtyDay.objects.filter(Q(day__range=(start, end)) | Q(day=EVERYTHING))
        .values_list("day", flat=True)
    )
    if EVERYTHING in days:
        return None
    return days


# -- recomputing --------------------------------------------------------------------------------


def ancestry() -> dict[int, list[int]]:
    """Each unit's scopes: the ward, the unit itself and every unit above it."""
    parents = dict(OrgUnit.objects.values_list("pk", "parent_id"))
    chains: dict[int, list[int]] = {}
    for unit_id in parents:
        chain, seen, current = [WARD], set(), unit_id
        while current is not None and current not in seen:  # a cycle cannot loop forever
            seen.add(current)
            chain.append(current)
            current = parents.get(current)
        chains[unit_id] = chain
    return chains


def _day_cells(days: list[dt.date], chains: dict[int, list[int]]) -> dict[tuple, list[int]]:
    """(scope, dimension, day, key, attitude, source) -> [count, latent] for ``days``."""
    cells: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    items = OpinionItem.objects.filter(received_on__in=days)
    streams = counted_streams().filter(
        report__state=UnitReport.State.SUBMITTED, report__period__end__in=days
    )
    sources = (
        (items, _ITEM_KEYS, "unit_id", "received_on", ITEM),
        (streams, _STREAM_KEYS, "report__unit_id", "report__period__end", STREAM),
    )
    for rows, keys, unit_field, day_field, source in sources:
        for dimension in DIMENSIONS:
            fields = keys[dimension]
            grouped = rows.values(unit_field, day_field, *fields, "attitude").annotate(
                n=Count("pk", distinct=True),
                n_latent=Count("pk", filter=Q(latent=True), distinct=True),
            ).order_by()
            for values in grouped:
                key = _key(values, fields)
                unit_id = values[unit_field]
                scopes = chains.get(unit_id, [WARD]) if unit_id is not None else [WARD]
                for scope in scopes:
                    cell = cells[(scope, dimension, values[day_field], key,
                                  values["attitude"] or "", source)]
                    cell[0] += values["n"]
                    cell[1] += int(values["n_latent"] or 0)
    return cells


def _date_column(model) -> str:
    """The date a rollup row is filed under: its day, its week's Monday or its month's first."""
    return {Rollup: "day", WeekRollup: "week", MonthRollup: "month"}[model]


def _write(cells: dict[tuple, list[int]], model=Rollup) -> int:
    """Insert the cells with one prepared statement (a rebuild writes millions: no model
    instances, no ORM per row). ``model`` is ``Rollup``, ``WeekRollup`` or ``MonthRollup``, the
    cells' date being the row's (see :func:`_date_column`)."""
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} (scope, dimension, {_date_column(model)},"
        f" {quote('key')}, attitude, source, count, latent) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
    )
    rows = [(*key, count, latent) for key, (count, latent) in cells.items() if count]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])
    return len(rows)


# What the day rows are summed into, and how a day becomes the date of its row there.
PERIODS = ((MonthRollup, month_of), (WeekRollup, week_of))


def _period_cells(cells: dict[tuple, list[int]], period_of) -> dict[tuple, list[int]]:
    """Day cells summed into week or month cells (the key's day becomes its period's date)."""
    periods: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for (scope, dimension, day, *rest), (count, latent) in cells.items():
        cell = periods[(scope, dimension, period_of(day), *rest)]
        cell[0] += count
        cell[1] += latent
    return periods


def _stored_day_cells(days: list[dt.date]) -> dict[tuple, list[int]]:
    """The day rows of ``days`` as they stand (what their weeks and months hold of them)."""
    rows = Rollup.objects.filter(day__in=days).values_list(
        "scope", "dimension", "day", "key", "attitude", "source", "count", "latent"
    )
    return {tuple(row[:6]): [row[6], row[7]] for row in rows.iterator()}


def _apply_to_periods(model, new: dict[tuple, list[int]], old: dict[tuple, list[int]]) -> None:
    """Move the week or month rows by what the recomputed days changed (new minus old): a
    refresh costs the rows of its days, not of their whole periods. A period's row is the sum
    of its day rows before, so it is after. Caller holds the transaction."""
    grow, shrink = [], []
    for key in new.keys() | old.keys():
        count, latent = new.get(key, (0, 0))
        was_count, was_latent = old.get(key, (0, 0))
        change = (count - was_count, latent - was_latent)
        if change == (0, 0):
            continue
        if min(change) >= 0:  # a new row, or one that grows: an upsert
            grow.append((*key, *change))
        else:  # the row holds the old counts, so it exists
            shrink.append((*change, *key))
    quote = connection.ops.quote_name
    table, key, date = quote(model._meta.db_table), quote("key"), _date_column(model)
    cell = f"scope, dimension, {date}, {key}, attitude, source"
    upsert = (f"INSERT INTO {table} ({cell}, count, latent) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
              f" ON CONFLICT ({cell}) DO UPDATE SET count = {table}.count + excluded.count,"
              f" latent = {table}.latent + excluded.latent")
    where = (f" WHERE scope = %s AND dimension = %s AND {date} = %s AND {key} = %s"
             " AND attitude = %s AND source = %s")
    update = f"UPDATE {table} SET count = count + %s, latent = latent + %s{where}"
    emptied = f"DELETE FROM {table}{where} AND count = 0"  # as a rebuild writes no zero
    with connection.cursor() as cursor:
        for sql, rows in ((upsert, grow), (update, shrink), (emptied, [r[2:] for r in shrink])):
            for start in range(0, len(rows), BATCH):
                cursor.executemany(sql, rows[start:start + BATCH])


def recompute_days(days: Iterable[dt.date], chains: dict[int, list[int]] | None = None) -> int:
    """Replace the rollups of ``days`` (every scope) by a count of the raw rows, and move the
    week and month rows of their weeks and months by the difference; caller holds the
    transaction. Returns the number of day rows written."""
    days = sorted(set(days))
    if not days:
        return 0
    chains = ancestry() if chains is None else chains
    written = 0
    for start in range(0, len(days), 200):  # keep each IN (...) list short
        chunk = days[start:start + 200]
        old = _stored_day_cells(chunk)
        Rollup.objects.filter(day__in=chunk).delete()
        cells = _day_cells(chunk, chains)
        written += _write(cells)
        for model, period_of in PERIODS:
            _apply_to_periods(model, _period_cells(cells, period_of),
                              _period_cells(old, period_of))
    return written


def refresh_dirty(days: Iterable[dt.date] | None = None) -> int:
    """Recompute the stale days (all of them, or those of ``days`` that are stale) in one
    transaction and clear their marks; a mark of :data:`EVERYTHING` means a full rebuild.

    The marks are deleted before the raw rows are read: a writer that marks a day again while
    this runs waits for this transaction and leaves its own mark, so nothing is lost."""
    with transaction.atomic():
        _forget_marks()
        marks = DirtyDay.objects.all()
        if days is not None:
            marks = marks.filter(day__in=list(days))
        stale = sorted(marks.values_list("day", flat=True))
        if not stale:
            return 0
        if EVERYTHING in stale:
            DirtyDay.objects.all().delete()
            return _rebuild()
        DirtyDay.objects.filter(day__in=stale).delete()
        recompute_days(stale)
        return len(stale)


def _all_days() -> list[dt.date]:
    item_days = OpinionItem.objects.values_list("received_on", flat=True).distinct().order_by()
    stream_days = (
        UnitReport.objects.filter(state=UnitReport.State.SUBMITTED)
        .values_list("period__end", flat=True).distinct().order_by()
    )
    return sorted(set(item_days) | set(stream_days))


def _rebuild(progress: Callable[[int, int], None] | None = None) -> int:
    """Every day, week and month from the raw rows, a calendar month at a time: its day cells
    are counted once and summed in memory into its month rows and its weeks' rows (a week that
    runs into the next month is written when that month is done)."""
    for model in (Rollup, WeekRollup, MonthRollup):
        model.objects.all().delete()
    days, chains = _all_days(), ancestry()
    by_month: dict[dt.date, list[dt.date]] = defaultdict(list)
    for day in days:
        by_month[month_of(day)].append(day)
    done, weeks = 0, defaultdict(lambda: [0, 0])
    for month, month_days in by_month.items():
        cells = _day_cells(month_days, chains)
        _write(cells)
        _write(_period_cells(cells, month_of), MonthRollup)
        for key, (count, latent) in _period_cells(cells, week_of).items():
            weeks[key][0] += count
            weeks[key][1] += latent
        # Weeks that end before the next month begins are complete.
        following = next_month(month)
        complete = {key: cell for key, cell in weeks.items()
                    if key[2] + dt.timedelta(days=6) < following}
        _write(complete, WeekRollup)
        for key in complete:
            del weeks[key]
        done += len(month_days)
        if progress is not None:
            progress(done, len(days))
    _write(weeks, WeekRollup)
    return len(days)


def rebuild_all(progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute every rollup from the raw rows in one transaction (after the org tree changed,
    or to check the table); ``progress(done, total)`` is told the days done. Returns the days."""
    with transaction.atomic():
        _forget_marks()
        DirtyDay.objects.all().delete()
        return _rebuild(progress)
