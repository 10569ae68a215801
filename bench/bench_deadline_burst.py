"""The deadline-day burst against the demo server (gunicorn, not the dev server).

Loads the demo ward into a fresh SQLite file, starts `longdan serve`, and runs Locust headless in
its own process: 55 responsible persons each draft and submit next month's report at a random
moment of one minute, while 50 readers load the compliance page about once a second. Then it
checks that all 55 reports are stored as submitted and prints p50/p95/max per request, the error
count and the load average.

Everyone has logged in before the measured minute, through the server's real login page (the
served app's password hasher, PBKDF2, unchanged): the readers and, since the deadline day starts
long before the last minute, the responsible persons too; `--login-in-window` makes the
responsible persons log in inside the measured minute instead (each login costs about 0.5 s of
CPU). Users start at `--spawn-rate` a second rather than all in the same second.

Run: `.venv/bin/python bench/bench_deadline_burst.py [--seconds 75] [--reader-wait 0.5,1.5]
[--spawn-rate 10] [--login-in-window] [--server-cpus 0,1 --load-cpus 1]`.
"""

from __future__ import annotations

import argparse
import csv
import http.cookiejar
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
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


def log_in(host: str, username: str, password: str) -> str:
    """Log in through the login page as a browser would; ``sessionid|csrftoken`` for the load."""
    jar = http.cookiejar.CookieJar()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    opener.open(host + "/dang-nhap/", timeout=60).read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    body = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        host + "/dang-nhap/", data=body, headers={"Referer": host + "/dang-nhap/"}
    )
    try:
        status = opener.open(request, timeout=60).status
    except urllib.error.HTTPError as exc:  # the 302 is not followed
        status = exc.code
    cookies = {c.name: c.value for c in jar}
    if status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"Đăng nhập trước không được: {username} (mã {status})")
    return f"{cookies['sessionid']}|{cookies['csrftoken']}"


def pinned(command: list[str], cpus: str) -> list[str]:
    if not cpus:
        return command
    if shutil.which("taskset") is None:
        raise SystemExit("Không có lệnh taskset để gắn tiến trình vào lõi CPU.")
    return ["taskset", "-c", cpus, *command]


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
    store["longdan_second_factor"] = True  # as if signed in with both steps (core.twofactor)
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
    parser.add_argument("--spawn-rate", type=float, default=10,
                        help="users started per second (readers ramp in over ~5 s)")
    parser.add_argument("--login-in-window", action="store_true",
                        help="responsible persons log in inside the measured minute")
    parser.add_argument("--workers", type=int, default=0,
                        help="gunicorn processes (default: longdan serve's own)")
    parser.add_argument("--threads", type=int, default=0,
                        help="threads per gunicorn process (default: longdan serve's own)")
    parser.add_argument("--server-cpus", default="", help="taskset -c list for the server")
    parser.add_argument("--load-cpus", default="", help="taskset -c list for Locust")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="longdan-burst-"))
    env = {
        **os.environ,
        "LONGDAN_VAR_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "longdan.settings",
        "PYTHONPATH": str(ROOT),
        # The office logs in for the units with no responsible person; the demo's office has no
        # phone for two-factor sign-in, and this measures the reports, not signing in.
        "LONGDAN_2FA_ROLES": "",
    }
    env.pop("DATABASE_URL", None)
    run_cli(env, "demo")
    facts = demo_facts(env)
    before = count_submitted(env, facts["period"])
    server = subprocess.Popen(
        pinned(
            [
                str(BIN / "longdan"), "serve", "--port", str(args.port), "--no-worker",
                *(["--workers", str(args.workers)] if args.workers else []),
                *(["--threads", str(args.threads)] if args.threads else []),
            ],
            args.server_cpus,
        ),
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    host = f"http://127.0.0.1:{args.port}"
    try:
        # `longdan serve` migrates and collects (compresses) the static files first.
        wait_until_up(host + "/dang-nhap/", seconds=600)
        logins = []
        if not args.login_in_window:
            start = time.monotonic()
            with ThreadPoolExecutor(max_workers=2) as pool:
                logins = list(pool.map(
                    lambda pair: log_in(host, pair.split(":")[0], "longdan-demo"),
                    facts["reporters"],
                ))
            login_seconds = time.monotonic() - start
        load_before = os.getloadavg()
        load_env = {
            **env,
            "BURST_REPORTERS": ",".join(facts["reporters"]),
            "BURST_PERIOD": facts["period"],
            "BURST_TEMPLATE": str(facts["template"]),
            "BURST_TOPIC": str(facts["topic"]),
            "BURST_SESSIONS": ",".join(facts["sessions"]),
            "BURST_READER_WAIT": args.reader_wait,
            "BURST_REPORTER_LOGINS": ",".join(logins),
        }
        users = len(facts["reporters"]) + 50
        prefix = folder / "locust"
        subprocess.run(
            pinned([
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--host",
                host,
                "-u",
                str(users),
                "-r",
                str(args.spawn_rate),
                "-t",
                f"{args.seconds}s",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ], args.load_cpus),
            env=load_env,
            cwd=ROOT,
            check=False,
            capture_output=True,
            text=True,
        )
        load_after = os.getloadavg()
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
        "reader_wait_s": args.reader_wait,
        "spawn_rate_per_s": args.spawn_rate,
        "logins": "in the measured minute" if args.login_in_window else (
            f"before the measured minute ({len(logins)} through the login page,"
            f" {login_seconds:.1f} s)"
        ),
        "pinning": {"server": args.server_cpus or "-", "load": args.load_cpus or "-"},
        "gunicorn": {"workers": args.workers or "default", "threads": args.threads or "default"},
        "load_average_1_5_15": {
            "before": [round(x, 2) for x in load_before],
            "after": [round(x, 2) for x in load_after],
        },
        "expected_submissions": len(facts["reporters"]),
        "stored_submissions": submitted,
        "requests": stats,
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    failures = sum(row["failures"] for row in stats)
    return 0 if failures == 0 and submitted == len(facts["reporters"]) else 1


if __name__ == "__main__":
    sys.exit(main())
