"""Writing one opinion item (issue 8): ``intake.services.file_item`` with the picture's rollups
followed and not, on SQLite or PostgreSQL, and the statements one filing sends.

The filing is the one ``bench_picture.py`` times (an office user, one topic, an area and a unit,
the same day every time), on a small fresh database: the cost of a filing is its round trips and
its Python, not the size of the tables (each statement is an insert or a lookup by key).

Printed: the SQL statements of one filing (kind and table), then per round the median and p95 of
``--runs`` filings with the rollups followed and not, and the floor of the database: one bare
``SELECT 1`` and one bare ``INSERT`` in their own transaction (``BEGIN``/``COMMIT`` included, as
the filing has them). Comparing two revisions: copy this file into the other checkout's
``bench/`` and run both, alternately, on the same machine.

Run: `.venv/bin/python bench/bench_write.py` (SQLite, a throw-away file) or with
`--database-url postgres://root@127.0.0.1:5432/bench_write` (the database is created anew).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import sys
import time

from _setup import django_on_fresh_sqlite, django_on_postgres, git_revision, machine


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def postgres_flushed(url: str) -> None:
    """A fresh PostgreSQL database for the run (``_setup.django_on_postgres``), its WAL flushed."""
    django_on_postgres(url)
    # The new database and its migrations fill the write-ahead log: flush it now, or the
    # checkpoint that follows slows the first timed commits (4 ms a bare insert instead of 0.6).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")


def fixtures() -> dict:
    from core.models import Topic
    from orgs.models import Area, OrgUnit, User

    root = OrgUnit.objects.create(code="dang-uy", name="Đảng ủy", kind="dang_uy")
    unit = OrgUnit.objects.create(code="cb-0", name="Chi bộ 0", kind="chi_bo", parent=root)
    area = Area.objects.create(name="Tổ dân phố 1", population=800, unit=unit)
    user = User.objects.create(username="vanphong-bench", role=User.Role.OFFICE)
    return {"user": user, "unit": unit, "area": area, "topic": Topic.objects.order_by("pk").first()}


def writer(ctx: dict):
    from core.models import Attitude, Channel
    from intake.services import file_item

    today = dt.date.today() - dt.timedelta(days=1)

    def write():
        file_item(
            user=ctx["user"],
            text="Người dân phản ánh đường ngập nước sau mưa lớn.",
            channel=Channel.RESIDENTIAL,
            received_on=today,
            area=ctx["area"],
            unit=ctx["unit"],
            topic_ids=[ctx["topic"].pk],
            attitude=Attitude.WORRIED,
        )

    return write


def statements(write) -> list[str]:
    """The statements of one filing, each as its verb and first table."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        write()
    out = []
    for query in captured.captured_queries:
        sql = query["sql"]
        verb = sql.split(None, 1)[0].upper() if sql.strip() else "?"
        table = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql)
        out.append(f"{verb} {table.group(1) if table else sql[:40]}")
    return out


def floor(runs: int) -> dict:
    """A bare round trip and a bare insert, each in its own transaction, as the filing's are."""
    from django.db import connection, transaction

    from core.models import AuditEntry

    def select():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    def insert():
        with transaction.atomic():
            AuditEntry.objects.create(action=AuditEntry.Action.CREATE, summary="sàn")

    out = {}
    for label, fn in (("select_1", select), ("insert", insert)):
        fn()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        out[label] = {
            "median_ms": round(statistics.median(times) * 1000, 2),
            "p95_ms": round(p95(times) * 1000, 2),
        }
    return out


def rounds(write, runs: int, count: int) -> dict:
    from picture import receivers

    result: dict[str, list] = {"rollups_on": [], "rollups_off": [], "floor": []}
    for _ in range(count):
        result["floor"].append(floor(runs))
        for label, follow in (("rollups_on", True), ("rollups_off", False)):
            if not follow:
                receivers.disconnect()
            write()  # warm
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                write()
                times.append(time.perf_counter() - start)
            result[label].append(
                {
                    "median_ms": round(statistics.median(times) * 1000, 2),
                    "p95_ms": round(p95(times) * 1000, 2),
                }
            )
            if not follow:
                receivers.connect()
    return result


def breakdown(write, runs: int) -> dict:
    """Where one filing's time goes: each statement's ``execute()`` and each COMMIT, timed
    around the driver call (median and p95 over ``runs`` filings), and the rest (Python)."""
    from django.db import connection

    spent: list[tuple[str, float]] = []

    def wrapper(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append((sql, time.perf_counter() - start))

    commit = connection._commit

    def timed_commit():
        start = time.perf_counter()
        try:
            return commit()
        finally:
            spent.append(("COMMIT", time.perf_counter() - start))

    per: dict[str, list[float]] = {}
    totals, in_db = [], []
    connection._commit = timed_commit
    try:
        for _ in range(runs):
            spent.clear()
            with connection.execute_wrapper(wrapper):
                start = time.perf_counter()
                write()
                totals.append(time.perf_counter() - start)
            in_db.append(sum(t for _, t in spent))
            for position, (sql, t) in enumerate(spent):
                table = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql)
                key = f"{position:02d} {sql.split(None, 1)[0]} {table.group(1) if table else ''}"
                per.setdefault(key.strip(), []).append(t)
    finally:
        del connection._commit  # the instance attribute; the class's method again

    def ms(times):
        return {
            "median_ms": round(statistics.median(times) * 1000, 2),
            "p95_ms": round(p95(times) * 1000, 2),
        }

    return {
        "filing": ms(totals),
        "in_driver": ms(in_db),
        "python": ms([t - d for t, d in zip(totals, in_db, strict=True)]),
        "statements": {key: ms(times) for key, times in sorted(per.items())},
    }


def profile(write, runs: int) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        for _ in range(runs):
            write()
        prof.disable()
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
        return
    profiler = Profiler(interval=0.0002)
    profiler.start()
    for _ in range(runs):
        write()
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False), file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", type=int, default=0, help="profile this many filings")
    parser.add_argument("--breakdown", type=int, default=0, help="time each statement of N")
    args = parser.parse_args()

    if args.database_url:
        postgres_flushed(args.database_url)
        database = "PostgreSQL"
    else:
        database = f"SQLite ({django_on_fresh_sqlite('write')})"
    write = writer(fixtures())
    write()  # the first filing of a process loads what it caches
    sql = statements(write)
    if args.profile:
        profile(write, args.profile)
    report = {
        "benchmark": f"write one item ({database})",
        "machine": machine(),
        "revision": git_revision(),
        "date": dt.date.today().isoformat(),
        "load_avg_before": os.getloadavg(),
        "statements": len(sql),
        "sql": sql,
        "rounds": rounds(write, args.runs, args.rounds),
        "load_avg_after": os.getloadavg(),
    }
    if args.breakdown:
        report["breakdown"] = breakdown(write, args.breakdown)
    for label in ("rollups_on", "rollups_off"):
        rows = report["rounds"][label]
        report[label] = {
            "median_of_medians_ms": statistics.median(r["median_ms"] for r in rows),
            "median_of_p95_ms": statistics.median(r["p95_ms"] for r in rows),
        }
    report["floor"] = {
        kind: {
            "median_of_medians_ms": statistics.median(r[kind]["median_ms"] for r in rows),
            "median_of_p95_ms": statistics.median(r[kind]["p95_ms"] for r in rows),
        }
        for rows in [report["rounds"]["floor"]]
        for kind in ("select_1", "insert")
    }
    print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
