"""A city on one installation under deadline load (issue 10): PostgreSQL, gunicorn, a worker.

The world (built once in a PostgreSQL database of its own, `--db-url`): a city committee over 114
ward committees with 55 chi bộ each (6,385 units, every one on the monthly template); three past
months of reports (two opinion streams each), 100,000 opinion items and the picture's rollups
rebuilt; 1,000 chi bộ with a responsible person; 100 city readers (office and leaders, who see the
whole city) and 400 ward readers (each ward committee's reporter, who sees the ward).

The load (Locust, `bench/locust_city.py`): the 1,000 responsible persons each draft and submit
next month's report once, at a random moment of the window (`--minutes`, 60 by default: "1,000
reports in the last hour before the deadline"; a shorter window is the same work at a higher
rate), while the 500 readers read, one page every `--reader-wait` seconds: the city's readers the
compliance page and the city's picture, the wards' readers their ward's picture and reports (the
compliance page is for the office and the leaders only). Everyone signed in before the window
(sessions written as the login page writes them; signing in is measured by
bench_deadline_burst.py). Then it checks that all 1,000
reports are stored as submitted, once, and prints p50/p95/max per request with the load average.

Run: `.venv/bin/python bench/bench_city_load.py [--minutes 60] [--reader-wait 10,30]
[--keep] [--smoke] [--build-only] [--db-url postgres://root@127.0.0.1:5432/longdan_city_load]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _setup import ROOT, django_on_postgres, git_revision, machine
from bench_deadline_burst import read_stats, wait_until_up

BIN = Path(sys.executable).parent
PAST_MONTHS = 3


@dataclass(frozen=True)
class Size:
    wards: int = 114
    cells_per_ward: int = 55
    submitters: int = 1000
    city_readers: int = 100
    ward_readers: int = 400
    items: int = 100_000


# A quick check that the script runs end to end (`--smoke`), not a measure.
SMOKE = Size(wards=4, cells_per_ward=10, submitters=20, city_readers=4, ward_readers=8, items=2000)


def build_city(rng: random.Random, size: Size) -> dict:
    """The city's units, users, past reports and items, written in bulk."""
    from django.utils import timezone

    from core.models import Attitude, Channel, Reach, Topic
    from intake.models import OpinionItem
    from orgs.models import OrgUnit, User
    from reporting.models import OpinionStream, UnitReport
    from reporting.periods import month_of
    from reporting.selectors import default_template
    from reporting.services import ensure_period

    tz = timezone.get_current_timezone()
    city = OrgUnit.objects.create(code="thanh-pho", name="Thành ủy", kind="dang_uy")
    wards = OrgUnit.objects.bulk_create([
        OrgUnit(code=f"phuong-{w}", name=f"Đảng ủy phường {w}", name_folded=f"dang uy phuong {w}",
                sort_key=f"dang uy phuong {w:04d}", kind="dang_uy", parent=city,
                opened_on=dt.date(2024, 1, 1))
        for w in range(size.wards)
    ])
    cells = OrgUnit.objects.bulk_create([
        OrgUnit(code=f"cb-{w}-{c}", name=f"Chi bộ {c} phường {w}",
                name_folded=f"chi bo {c} phuong {w}", sort_key=f"chi bo {w:04d} {c:03d}",
                kind="chi_bo", parent=ward, opened_on=dt.date(2024, 1, 1))
        for w, ward in enumerate(wards) for c in range(size.cells_per_ward)
    ], batch_size=5000)
    template = default_template("month")
    template.units.set([city, *wards, *cells])
    users = User.objects.bulk_create(
        [User(username=f"cb-{u.pk}", role=User.Role.REPORTER, unit=u)
         for u in rng.sample(cells, size.submitters)]
        + [User(username=f"thanhpho-{n}", role=User.Role.OFFICE if n % 4 else User.Role.LEADER,
                unit=city) for n in range(size.city_readers)]
        + [User(username=f"phuong-{n}", role=User.Role.REPORTER, unit=wards[n % size.wards])
           for n in range(size.ward_readers)],
        batch_size=5000,
    )
    for user in users[:size.submitters]:
        user.unit.responsible_person = user
    OrgUnit.objects.bulk_update([u.unit for u in users[:size.submitters]], ["responsible_person"],
                                batch_size=5000)
    this_month = month_of(timezone.localdate())
    topics = list(Topic.objects.all())
    reports = []
    month = this_month
    for _ in range(PAST_MONTHS):
        month = month_of(month.start - dt.timedelta(days=1))
        period = ensure_period(month)
        deadline = template.deadline_of(month)
        for unit in [*wards, *cells]:
            if rng.random() < 0.06:
                continue
            at = dt.datetime.combine(deadline - dt.timedelta(days=rng.randint(-6, 3)),
                                     dt.time(9, 30), tzinfo=tz)
            reports.append(UnitReport(template=template, period=period, unit=unit,
                                      state="submitted", sections={"tu_tuong": "Ổn định."},
                                      first_submitted_at=at, submitted_at=at))
    reports = UnitReport.objects.bulk_create(reports, batch_size=5000)
    OpinionStream.objects.bulk_create([
        OpinionStream(report=report, position=n, topic=rng.choice(topics),
                      summary="Ý kiến về đường và rác thải.", attitude=rng.choice(Attitude.values),
                      reach=rng.choice(Reach.values), channel=Channel.RESIDENTIAL)
        for report in reports for n in range(2)
    ], batch_size=5000)
    first_day = month.start
    days = (this_month.start - first_day).days
    items = OpinionItem.objects.bulk_create([
        OpinionItem(text="Người dân phản ánh về rác thải ở chợ.",
                    text_folded="nguoi dan phan anh ve rac thai o cho.",
                    channel=Channel.RESIDENTIAL, attitude=rng.choice(Attitude.values),
                    received_on=first_day + dt.timedelta(days=rng.randrange(days)),
                    unit=rng.choice(cells))
        for _ in range(size.items)
    ], batch_size=5000)
    through = OpinionItem.topics.through
    through.objects.bulk_create([through(opinionitem_id=item.pk, topic_id=rng.choice(topics).pk)
                                 for item in items], batch_size=5000)
    from picture.rollups import rebuild_all

    rebuild_all()
    return {"units": 1 + len(wards) + len(cells), "past_reports": len(reports), "items": size.items,
            "template": template.pk, "topic": topics[0].pk,
            "period": month_of(this_month.end + dt.timedelta(days=1)).code}


def signed_in_sessions(usernames: list[str]) -> list[str]:
    """Sessions as the login page leaves them (both steps passed), one per user."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from core.twofactor import SESSION_KEY as SECOND_FACTOR
    from orgs.models import User

    keys = []
    for user in User.objects.filter(username__in=usernames).order_by("username"):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[SECOND_FACTOR] = True
        store.create()
        keys.append(f"{user.unit_id}:{store.session_key}")
    return keys


def stored_submissions(period: str) -> tuple[int, int]:
    """(submitted reports of the period, distinct units among them): a double is visible."""
    from django.db.models import Count

    from reporting.models import UnitReport

    rows = UnitReport.objects.filter(period__code=period, state="submitted")
    return rows.count(), rows.aggregate(n=Count("unit", distinct=True))["n"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db-url", default="postgres://root@127.0.0.1:5432/longdan_city_load")
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--reader-wait", default="10,30",
                        help="seconds between a reader's page loads, as low,high")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--keep", action="store_true", help="reuse the built city if it exists")
    parser.add_argument("--smoke", action="store_true", help="a tiny city, to check the script")
    parser.add_argument("--build-only", action="store_true", help="build the city and stop")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="longdan-city-"))
    os.environ.update({"LONGDAN_VAR_DIR": str(folder), "LONGDAN_2FA_ROLES": ""})
    django_on_postgres(args.db_url, keep=args.keep)
    from orgs.models import OrgUnit

    facts_file = folder.parent / f"longdan-city-{args.db_url.rsplit('/', 1)[1]}.json"
    started = time.monotonic()
    if args.keep and OrgUnit.objects.filter(code="thanh-pho").exists():
        facts = json.loads(facts_file.read_text())
    else:
        facts = build_city(random.Random(2026), SMOKE if args.smoke else Size())
        facts_file.write_text(json.dumps(facts))
    build_seconds = time.monotonic() - started
    if args.build_only:
        print(json.dumps({"build_seconds": round(build_seconds, 1), **facts}))
        return 0
    from orgs.models import User

    submitters = list(User.objects.filter(username__startswith="cb-").values_list(
        "username", flat=True))
    city_readers = list(User.objects.filter(username__startswith="thanhpho-").values_list(
        "username", flat=True))
    ward_readers = list(User.objects.filter(username__startswith="phuong-").values_list(
        "username", flat=True))
    readers = city_readers + ward_readers
    # A kept city forgets the previous run's submissions (and their streams) first.
    from reporting.models import UnitReport

    UnitReport.objects.filter(period__code=facts["period"]).delete()
    before = stored_submissions(facts["period"])
    env = {**os.environ, "DATABASE_URL": args.db_url, "PYTHONPATH": str(ROOT),
           "DJANGO_SETTINGS_MODULE": "longdan.settings"}
    server = subprocess.Popen(
        [str(BIN / "longdan"), "serve", "--port", str(args.port)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    host = f"http://127.0.0.1:{args.port}"
    try:
        wait_until_up(host + "/dang-nhap/", seconds=600)
        prefix = folder / "locust"
        load_env = {
            **env,
            "CITY_SUBMITTERS": ",".join(signed_in_sessions(submitters)),
            "CITY_READERS": ",".join(signed_in_sessions(city_readers)),
            "CITY_WARD_READERS": ",".join(signed_in_sessions(ward_readers)),
            "CITY_PERIOD": facts["period"],
            "CITY_TEMPLATE": str(facts["template"]),
            "CITY_TOPIC": str(facts["topic"]),
            "CITY_SPREAD_S": str(args.minutes * 60 - 30),
            "CITY_READER_WAIT": args.reader_wait,
        }
        load_before = os.getloadavg()
        subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locust_city.py"), "--headless",
             "--host", host, "-u", str(len(submitters) + len(readers)), "-r", "50",
             "-t", f"{int(args.minutes * 60)}s", "--csv", str(prefix), "--only-summary",
             "--loglevel", "WARNING"],
            env=load_env, cwd=ROOT, check=False, capture_output=True, text=True,
        )
        load_after = os.getloadavg()
    finally:
        server.terminate()
        server.wait(timeout=60)
    stats = read_stats(prefix)
    after = stored_submissions(facts["period"])
    stored, distinct = after[0] - before[0], after[1] - before[1]
    result = {
        "benchmark": f"city deadline: {len(submitters)} submissions in {args.minutes} min"
                     f" + {len(city_readers)} city readers (compliance, picture)"
                     f" + {len(ward_readers)} ward readers (picture, reports)",
        "machine": machine(), "revision": git_revision(), "date": time.strftime("%Y-%m-%d"),
        "server": "gunicorn (longdan serve, its worker beside it), PostgreSQL",
        "world": {k: facts[k] for k in ("units", "past_reports", "items")},
        "build_seconds": round(build_seconds, 1),
        "reader_wait_s": args.reader_wait,
        "load_average_1_5_15": {"before": [round(x, 2) for x in load_before],
                                "after": [round(x, 2) for x in load_after]},
        "expected_submissions": len(submitters), "stored_submissions": stored,
        "distinct_units": distinct, "requests": stats,
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    failures = sum(row["failures"] for row in stats)
    return 0 if failures == 0 and stored == distinct == len(submitters) else 1


if __name__ == "__main__":
    sys.exit(main())
