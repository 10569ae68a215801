"""The opinion picture on a city-sized ward (issue 8): every panel through the rollups against the
plain aggregate query over the raw rows (``RawCounter``), measured in the same run.

Dataset at --scale 1: 1,000,000 items and 300,000 report streams over 3 years, 120 areas, 6,000
units (a ward committee, 60 đảng bộ, 5,939 chi bộ), 2,000 issues. Rows are written with
``bulk_create`` (no signals), then ``rebuild_all`` builds the rollups (timed).

Measured, for the office, a mid-level unit (a đảng bộ) and a leaf (a chi bộ), for a month and a
year: the p95 of each panel (totals, topics, heat, areas, social groups, channels, silent areas)
with the rollups (day, week and month rows) and with the raw rows; the forecast also as it read
before the database summed its seven-day windows (``rollups_day_rows``), and the rising topics as
they read before the week rows (``rollups_anchored_windows``); the write of one item
(``file_item``) p95 with the rollups followed and not; the refresh of one stale day (its day, week
and month rows). Before timing, the two pictures are compared.

Run: `.venv/bin/python bench/bench_picture.py --scale 0.05` (SQLite, a throw-away file) or with
`--database-url postgres://root@127.0.0.1:5432/bench_picture` (the database is created, and
emptied by the migrations' flush first). The bar: every panel p95 < 200 ms on both.

Generating the full city takes a while: `--keep DIR` keeps the SQLite file in DIR and a later run
with the same scale and DIR reuses its dataset (generation is seeded: the same data), rebuilding
only the rollups (not even those with `--keep-rollups`); with PostgreSQL any `--keep` value keeps
the database. `--generate-only` stops after generating.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from _setup import django_on_fresh_sqlite, django_on_postgres, git_revision, machine

TODAY = dt.date(2026, 11, 20)
DAYS = 3 * 365
PANELS = (
    "totals",
    "topics",
    "heat",
    "areas",
    "social_groups",
    "channels",
    "silent_areas",
    "rising",
    "forecast",
)


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


# -- the dataset --------------------------------------------------------------------------------


def generated(scale: float) -> dict | None:
    """The dataset a previous run of the same scale left in the database (``--keep``), or None
    when there is none or it was cut short. Generation is seeded, so it is the same data."""
    from intake.models import OpinionItem
    from orgs.models import OrgUnit
    from reporting.models import OpinionStream, UnitReport

    n_items, n_reports = int(1_000_000 * scale), max(1, int(int(300_000 * scale) / 1.5))
    if not OrgUnit.objects.filter(code="thanh-uy").exists():
        return None
    if OpinionItem.objects.count() < n_items or UnitReport.objects.count() < n_reports:
        return None
    mids = list(OrgUnit.objects.filter(kind="dang_bo", code__startswith="db-").order_by("pk"))
    return {
        "items": n_items,
        "streams": OpinionStream.objects.count(),
        "reports": n_reports,
        "units": 6000,
        "areas": 120,
        "mid": max(mids, key=lambda m: m.pk % 7),
        "leaf": OrgUnit.objects.get(code="cb-0"),
        "reused": True,
    }


def build(scale: float, rng: random.Random, say) -> dict:
    from django.db import transaction

    from core.models import Attitude, Channel, Reach, SocialGroup, Topic
    from intake.models import OpinionItem
    from issues.models import Issue
    from orgs.models import Area, OrgUnit
    from reporting.models import OpinionStream, ReportTemplate, UnitReport
    from reporting.periods import PeriodKey
    from reporting.services import ensure_period

    n_items, n_streams = int(1_000_000 * scale), int(300_000 * scale)
    with transaction.atomic():
        root = OrgUnit.objects.create(code="thanh-uy", name="Đảng ủy", kind="dang_uy")
        mids = OrgUnit.objects.bulk_create(
            [
                OrgUnit(
                    code=f"db-{i}",
                    name=f"Đảng bộ {i}",
                    name_folded=f"dang bo {i}",
                    kind="dang_bo",
                    parent=root,
                )
                for i in range(60)
            ]
        )
        leaves = OrgUnit.objects.bulk_create(
            [
                OrgUnit(
                    code=f"cb-{i}",
                    name=f"Chi bộ {i}",
                    name_folded=f"chi bo {i}",
                    kind="chi_bo",
                    parent=mids[i % 60],
                )
                for i in range(5939)
            ]
        )
        areas = Area.objects.bulk_create(
            [
                Area(
                    name=f"Tổ dân phố {i}",
                    name_folded=f"to dan pho {i}",
                    population=rng.randint(300, 1500),
                    unit=leaves[i * 13 % len(leaves)],
                )
                for i in range(120)
            ]
        )
        issues = Issue.objects.bulk_create(
            [
                Issue(code=f"VD-{i}", title=f"Vấn đề {i}", title_folded=f"van de {i}")
                for i in range(2000)
            ]
        )
    topics = list(Topic.objects.values_list("pk", flat=True))
    groups = list(SocialGroup.objects.values_list("pk", flat=True))
    channels, attitudes = Channel.values, ["", *Attitude.values]
    weights = [10, 40, 25, 15, 10][: len(attitudes)]
    # Units are not equal: a tenth of the leaves hear most (a Zipf-like share).
    busy = leaves[: len(leaves) // 10]
    first = TODAY - dt.timedelta(days=DAYS - 1)

    def unit():
        roll = rng.random()
        if roll < 0.05:
            return None
        if roll < 0.10:
            return rng.choice(mids)
        return rng.choice(busy) if roll < 0.6 else rng.choice(leaves)

    started = time.perf_counter()
    item_topics = OpinionItem.topics.through
    item_groups = OpinionItem.social_groups.through
    batch = 20_000
    for start in range(0, n_items, batch):
        with transaction.atomic():
            rows = OpinionItem.objects.bulk_create(
                [
                    OpinionItem(
                        text="Ý kiến người dân",
                        text_folded="y kien nguoi dan",
                        channel=rng.choice(channels),
                        received_on=first + dt.timedelta(days=rng.randrange(DAYS)),
                        area=rng.choice(areas) if rng.random() < 0.9 else None,
                        unit=unit(),
                        attitude=rng.choices(attitudes, weights)[0],
                        latent=rng.random() < 0.03,
                        issue=rng.choice(issues) if rng.random() < 0.3 else None,
                    )
                    for _ in range(min(batch, n_items - start))
                ],
                batch_size=2000,
            )
            item_topics.objects.bulk_create(
                [
                    item_topics(opinionitem_id=row.pk, topic_id=topic)
                    for row in rows
                    for topic in rng.sample(topics, rng.choice((0, 1, 1, 1, 2)))
                ],
                batch_size=5000,
            )
            item_groups.objects.bulk_create(
                [
                    item_groups(opinionitem_id=row.pk, socialgroup_id=group)
                    for row in rows
                    for group in rng.sample(groups, rng.choice((0, 0, 1, 1, 2)))
                ],
                batch_size=5000,
            )
        say(f"  ý kiến {min(start + batch, n_items):,}/{n_items:,}")
    items_s = time.perf_counter() - started

    started = time.perf_counter()
    template = ReportTemplate.objects.get(period_kind="month")
    months, key = [], PeriodKey(TODAY.year, "month", TODAY.month)
    for _ in range(36):
        key = key.previous()
        months.append(ensure_period(key))
    pairs = set()
    while len(pairs) < max(1, int(n_streams / 1.5)):
        pairs.add((rng.choice(busy if rng.random() < 0.5 else leaves).pk, rng.randrange(36)))
    stream_groups = OpinionStream.social_groups.through
    stream_issues = OpinionStream.issues.through
    pairs = sorted(pairs)
    written = 0
    for start in range(0, len(pairs), 10_000):
        with transaction.atomic():
            reports = UnitReport.objects.bulk_create(
                [
                    UnitReport(
                        template=template,
                        period=months[month],
                        unit_id=unit_id,
                        state=rng.choices(["submitted", "returned", "draft"], [90, 3, 7])[0],
                    )
                    for unit_id, month in pairs[start : start + 10_000]
                ],
                batch_size=2000,
            )
            streams = []
            for report in reports:
                for position in range(rng.choice((1, 1, 2))):
                    streams.append(
                        OpinionStream(
                            report=report,
                            position=position,
                            topic_id=rng.choice(topics),
                            summary="Luồng ý kiến",
                            attitude=rng.choices(Attitude.values)[0],
                            reach=Reach.SOME,
                            channel=rng.choice(channels),
                            area=rng.choice(areas) if rng.random() < 0.7 else None,
                            latent=rng.random() < 0.1,
                        )
                    )
            streams = OpinionStream.objects.bulk_create(streams, batch_size=2000)
            written += len(streams)
            stream_groups.objects.bulk_create(
                [
                    stream_groups(opinionstream_id=s.pk, socialgroup_id=g)
                    for s in streams
                    for g in rng.sample(groups, rng.choice((0, 1, 2)))
                ],
                batch_size=5000,
            )
            stream_issues.objects.bulk_create(
                [
                    stream_issues(opinionstream_id=s.pk, issue_id=rng.choice(issues).pk)
                    for s in streams
                    if rng.random() < 0.2
                ],
                batch_size=5000,
            )
        say(f"  báo cáo {min(start + 10_000, len(pairs)):,}/{len(pairs):,}")
    streams_s = time.perf_counter() - started
    mid = max(mids, key=lambda m: m.pk % 7)  # any đảng bộ: they are alike
    leaf = busy[0]
    return {
        "items": n_items,
        "streams": written,
        "reports": len(pairs),
        "units": 6000,
        "areas": 120,
        "mid": mid,
        "leaf": leaf,
        "items_s": round(items_s, 1),
        "streams_s": round(streams_s, 1),
    }


# -- timing -------------------------------------------------------------------------------------


def rising_on_anchored_windows(query, counter, names):
    """The rising topics as read before the week rollups (revision 456589f): the baseline is
    the twelve seven-day windows ending three weeks before the anchor, summed by the database
    from the day rows of the keys heard this week (the ranking that follows is the same)."""
    from picture import trending
    from trends.rising import MIN_COUNT, SeriesInput, rank_rising

    anchor = trending.anchor_of(query)
    inputs = {}
    for kind in trending.KINDS:
        weeks = trending.BASELINE_WEEKS + trending.GUARD_WEEKS + 1
        now = trending.weekly_series(counter, kind, anchor, 1, concerned=False)
        heard = {key for key, weekly in now.items() if weekly.counts[0] >= MIN_COUNT}
        if not heard:
            continue
        for key, weekly in trending.weekly_series(counter, kind, anchor, weeks,
                                                  keys=heard).items():
            if key in names[kind]:
                inputs[f"{kind}:{key}"] = SeriesInput(
                    history=weekly.counts[:trending.BASELINE_WEEKS], current=weekly.counts[-1],
                    concerned_history=weekly.concerned[:trending.BASELINE_WEEKS],
                    concerned_current=weekly.concerned[-1],
                )
    return list(rank_rising(inputs))


@contextmanager
def counter(kind: str):
    from picture import selectors, trending
    from picture.counting import RawCounter, RollupCounter, by_window, window_start

    def weekly_from_day_rows(self, dimension, anchor, weeks, *, attitudes=True, keys=None):
        """The seven-day windows as read before ``RollupCounter.weekly`` (revision 171aac0):
        every day row of the range and every key, summed by window in Python (``attitudes`` is
        ignored, as the code then read every attitude; ``keys`` are kept afterwards)."""
        start = window_start(anchor, weeks)
        cells = by_window(self.cells(dimension, start, anchor, by_day=True), anchor)
        return {(c.day, c.key, c.attitude): c.count for c in cells
                if keys is None or c.key in keys}

    if kind == "anchored":
        original_rising = trending.rising
        trending.rising = rising_on_anchored_windows
        try:
            yield
        finally:
            trending.rising = original_rising
    elif kind == "raw":
        original = selectors.counter_for
        selectors.counter_for = RawCounter
        try:
            yield
        finally:
            selectors.counter_for = original
    elif kind == "day-rows":
        original = RollupCounter.weekly_totals
        RollupCounter.weekly_totals = weekly_from_day_rows
        try:
            yield
        finally:
            RollupCounter.weekly_totals = original
    else:
        yield


def panels(query) -> dict:
    """Each panel as picture_for builds it, one callable per panel."""
    from picture import selectors as s
    from picture import trending

    def cells(dim, window=None):
        window = window or query.window
        return s.counter_for(query).cells(dim, window.start, window.end)

    names = s.topic_names()
    areas = s._areas_in_scope(query)
    rising_names = s._names_for_rising(query, names)
    return {
        "totals": lambda: s._totals(query, cells("all"), cells("all", query.window.previous())),
        "topics": lambda: s._topics(query, cells("topic"), names),
        "heat": lambda: s.heat_table(query, s.counter_for(query), names),
        "areas": lambda: s._areas(query, cells("area"), areas, set()),
        "social_groups": lambda: s._social_groups(
            query, cells("group"), cells("group_topic"), names
        ),
        "channels": lambda: s._channels(query, cells("channel")),
        "silent_areas": lambda: s.silent_areas(query, areas),
        "rising": lambda: trending.rising(query, s.counter_for(query), rising_names),
        "forecast": lambda: trending.forecast(query, s.counter_for(query), names),
    }


def time_panels(query, kind: str, runs: int, only: tuple[str, ...] = ()) -> dict:
    from django.core.cache import caches

    out = {}
    with counter(kind):
        for name, fn in panels(query).items():
            if only and name not in only:
                continue
            times = []
            for _ in range(runs):
                caches["compliance"].clear()  # the totals' on-time rate: cold every time
                start = time.perf_counter()
                fn()
                times.append(time.perf_counter() - start)
            out[name] = {
                "p95_ms": round(p95(times) * 1000, 1),
                "median_ms": round(statistics.median(times) * 1000, 1),
            }
    return out


def time_writes(runs: int, rng: random.Random) -> dict:
    from core.models import Attitude, Channel, Topic
    from intake.models import OpinionItem
    from intake.services import file_item
    from orgs.models import Area, OrgUnit, User
    from picture import receivers, rollups

    user, _ = User.objects.get_or_create(username="vanphong-bench", role=User.Role.OFFICE)
    last_pk = OpinionItem.objects.order_by("-pk").values_list("pk", flat=True).first()
    area = Area.objects.order_by("pk").first()
    unit = OrgUnit.objects.get(code="cb-0")
    topic = Topic.objects.order_by("pk").first()

    def write():
        file_item(
            user=user,
            text="Người dân phản ánh đường ngập nước sau mưa lớn.",
            channel=Channel.RESIDENTIAL,
            received_on=TODAY,
            area=area,
            unit=unit,
            topic_ids=[topic.pk],
            attitude=Attitude.WORRIED,
        )

    result = {}
    for label, follow in (("rollups_on", True), ("rollups_off", False)):
        if not follow:
            receivers.disconnect()
        write()  # warm
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            write()
            times.append(time.perf_counter() - start)
        result[label] = {
            "p95_ms": round(p95(times) * 1000, 2),
            "median_ms": round(statistics.median(times) * 1000, 2),
        }
        if not follow:
            receivers.connect()
    # Leave the dataset as generated, for a later run that reuses it (--keep).
    for item in OpinionItem.objects.filter(pk__gt=last_pk):
        item.delete()
    rollups.refresh_dirty()
    return result


def time_refresh(runs: int) -> dict:
    from picture import rollups

    day = TODAY - dt.timedelta(days=40)
    times = []
    for _ in range(runs):
        rollups.mark_days([day])
        start = time.perf_counter()
        rollups.refresh_dirty()
        times.append(time.perf_counter() - start)
    from intake.models import OpinionItem

    return {
        "day": day.isoformat(),
        "items_that_day": OpinionItem.objects.filter(received_on=day).count(),
        "median_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(p95(times) * 1000, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--raw-runs", type=int, default=5)
    parser.add_argument("--write-runs", type=int, default=60)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--keep",
        default="",
        metavar="DIR",
        help="SQLite: keep the database in DIR and reuse the dataset a previous "
        "run of the same scale generated there; PostgreSQL (any value): "
        "do not drop the database, reuse its dataset",
    )
    parser.add_argument(
        "--keep-rollups",
        action="store_true",
        help="with --keep: do not rebuild the rollups a previous run built (day and month rows "
        "present, nothing stale)",
    )
    parser.add_argument(
        "--generate-only", action="store_true", help="generate the dataset (with --keep) and stop"
    )
    parser.add_argument(
        "--panels", default="",
        help="time only these panels (comma-separated, e.g. rising,forecast); with "
        "--write-runs 0 the write and the refresh are not timed either",
    )
    args = parser.parse_args()
    only = tuple(p for p in args.panels.split(",") if p)
    unknown = sorted(set(only) - set(PANELS))
    if unknown:
        sys.exit(f"Bảng không có: {', '.join(unknown)} (có: {', '.join(PANELS)}).")
    revision = git_revision()  # the code this run loaded, whatever is committed while it runs

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    if args.database_url:
        django_on_postgres(args.database_url, keep=bool(args.keep))
        database = "PostgreSQL"
    else:
        folder = django_on_fresh_sqlite("picture", Path(args.keep) if args.keep else None)
        database = f"SQLite ({folder})"
    from django.db import connection

    from orgs.models import User
    from picture.query import read_query
    from picture.rollups import rebuild_all
    from picture.selectors import picture_for

    rng = random.Random(8)
    data = (args.keep and generated(args.scale)) or build(args.scale, rng, say)
    if args.generate_only:
        say(f"  dữ liệu sẵn sàng: {data['items']:,} ý kiến, {data['streams']:,} luồng")
        return 0
    from picture.models import DirtyDay, MonthRollup, Rollup, WeekRollup

    started, rebuild_s = time.perf_counter(), None
    built = MonthRollup.objects.exists() and not DirtyDay.objects.exists()
    if not (args.keep_rollups and data.get("reused") and built):
        rebuild_all(progress=lambda done, total: say(f"  tổng hợp {done}/{total} ngày"))
        rebuild_s = round(time.perf_counter() - started, 1)

    rollup_rows = Rollup.objects.count()
    month_rows = MonthRollup.objects.count()
    week_rows = WeekRollup.objects.count()
    if rebuild_s is None:
        pass  # the rollups and their statistics are those of the run that built them
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    readers = {
        "office": User.objects.get_or_create(username="office-bench", role=User.Role.OFFICE)[0],
        "mid": User.objects.get_or_create(
            username="mid-bench", role=User.Role.REPORTER, unit=data.pop("mid")
        )[0],
        "leaf": User.objects.get_or_create(
            username="leaf-bench", role=User.Role.REPORTER, unit=data.pop("leaf")
        )[0],
    }
    results = {}
    load_before = os.getloadavg()
    for period in ("2026-10", "2026"):
        for who, reader in readers.items():
            query = read_query(reader, {"period": period}, today=TODAY)
            with counter("raw"):
                raw = picture_for(query)
            assert picture_for(query) == raw, (period, who)  # equal before compared
            say(f"  đo {period} {who}")
            results[f"{period} {who}"] = {
                "rollups": time_panels(query, "rollups", args.runs, only=only),
                "raw": time_panels(query, "raw", args.raw_runs, only=only),
                # The weekly panels read as before counter.weekly, in the same run.
                "rollups_day_rows": time_panels(
                    query, "day-rows", args.raw_runs,
                    only=tuple(p for p in ("forecast",) if p in (only or PANELS)),
                ),
                # The rising topics' baseline as seven-day windows before the week rows.
                "rollups_anchored_windows": time_panels(
                    query, "anchored", args.raw_runs,
                    only=tuple(p for p in ("rising",) if p in (only or PANELS)),
                ),
                "items": raw["totals"]["items"],
            }
    worst = max(panel["p95_ms"] for row in results.values() for panel in row["rollups"].values())
    report = {
        "benchmark": f"picture, scale {args.scale} ({database})",
        "machine": machine(),
        "revision": revision,
        "date": dt.date.today().isoformat(),
        "load_avg": {"before": load_before, "after": os.getloadavg()},
        "data": {
            **data,
            "rollup_rows": rollup_rows,
            "month_rollup_rows": month_rows,
            "week_rollup_rows": week_rows,
            "rebuild_s": rebuild_s,
        },
        "panels": results,
        "worst_rollup_panel_p95_ms": worst,
        "write_one_item": time_writes(args.write_runs, rng) if args.write_runs else None,
        "refresh_one_day": time_refresh(5) if args.write_runs else None,
        "target_panel_p95_ms": 200,
        "target_write_p95_ms": 10,
    }
    print(json.dumps(report, ensure_ascii=False, indent=None if args.json else 2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
