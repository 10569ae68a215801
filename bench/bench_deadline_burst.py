"""The deadline-day burst against the demo server (gunicorn, not the dev server).

Loads the demo ward into a fresh SQLite file, starts `longdan serve`, and runs Locust headless:
55 responsible persons each log in, draft and submit this month's report at a random moment of
one minute, while 50 readers load the compliance page about once a second. Then it checks that
all 55 reports are stored as submitted and prints p50/p95/max per request and the error count.
Run: `.venv/bin/python bench/bench_deadline_burst.py [--seconds 75] [--port 8765]`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _setup import ROOT, git_revision, machine

BIN = Path(sys.executable).parent


def run_cli(env: dict, *args: str) -> str:
    return subprocess.run(
        [str(BIN / "longdan"), *args], env=env, check=True, capture_output=True, text=True
    ).stdout


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"Máy chủ không khởi động được tại {url}")


def demo_facts(env: dict) -> dict:
    """Usernames, unit ids and ids the load needs, read from the demo database."""
    script = """
import datetime as dt, json, django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from core.models import Topic
from orgs.models import User
from reporting.periods import month_of
from reporting.selectors import default_template
template = default_template("month")
office = User.objects.get(username="vanphong")
pairs = []
for unit in template.units.filter(closed_on__isnull=True).select_related("responsible_person"):
    # A unit with no responsible person is reported for by the office.
    writer = unit.responsible_person or office
    pairs.append(f"{writer.username}:{unit.pk}")
sessions = []
readers = list(User.objects.filter(username__in=["vanphong", "lanhdao"])) * 25
for user in readers:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    sessions.append(store.session_key)
this_month = month_of(timezone.localdate())
print(json.dumps({
  "reporters": pairs,
  "sessions": sessions,
  "period": month_of(this_month.end + dt.timedelta(days=1)).code,
  "template": template.pk,
  "topic": Topic.objects.order_by("pk").first().pk,
}))
"""
    out = subprocess.run(
        [str(BIN / "python"), "-c", script],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def count_submitted(env: dict, period: str) -> int:
    script = f"""
import django
django.setup()
from reporting.models import UnitReport
print(UnitReport.objects.filter(period__code="{period}", state="submitted").count())
"""
    out = subprocess.run(
        [str(BIN / "python"), "-c", script],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return int(out.strip().splitlines()[-1])


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
        return [
            {
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "max_ms": round(float(row["Max Response Time"] or 0), 1),
            }
            for row in csv.DictReader(handle)
        ]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=75)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--reader-wait", default="0.5,1.5",
                        help="seconds between a reader's page loads, as low,high")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="longdan-burst-"))
    env = {
        **os.environ,
        "LONGDAN_VAR_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "longdan.settings",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    run_cli(env, "demo")
    facts = demo_facts(env)
    before = count_submitted(env, facts["period"])
    server = subprocess.Popen(
        [str(BIN / "longdan"), "serve", "--port", str(args.port), "--no-worker"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    host = f"http://127.0.0.1:{args.port}"
    try:
        wait_until_up(host + "/dang-nhap/")
        load_env = {
            **env,
            "BURST_REPORTERS": ",".join(facts["reporters"]),
            "BURST_PERIOD": facts["period"],
            "BURST_TEMPLATE": str(facts["template"]),
            "BURST_TOPIC": str(facts["topic"]),
            "BURST_SESSIONS": ",".join(facts["sessions"]),
            "BURST_READER_WAIT": args.reader_wait,
        }
        users = len(facts["reporters"]) + 50
        prefix = folder / "locust"
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--host",
                host,
                "-u",
                str(users),
                "-r",
                str(users),
                "-t",
                f"{args.seconds}s",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=load_env,
            cwd=ROOT,
            check=False,
            capture_output=True,
            text=True,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    stats = read_stats(prefix)
    submitted = count_submitted(env, facts["period"]) - before
    result = {
        "benchmark": "deadline-day burst: 55 submissions in one minute + 50 compliance readers",
        "machine": machine(),
        "revision": git_revision(),
        "date": time.strftime("%Y-%m-%d"),
        "server": "gunicorn (longdan serve), SQLite WAL",
        "seconds": args.seconds,
        "expected_submissions": len(facts["reporters"]),
        "stored_submissions": submitted,
        "requests": stats,
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    failures = sum(row["failures"] for row in stats)
    return 0 if failures == 0 and submitted == len(facts["reporters"]) else 1


if __name__ == "__main__":
    sys.exit(main())
