"""Shared set-up for benchmarks: a throw-away SQLite database in a temporary folder, or a
PostgreSQL database of the benchmark's own."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def django_on_fresh_sqlite(name: str, folder: Path | None = None) -> Path:
    """Point Django at a new SQLite file (or the one kept in ``folder``, created if missing),
    set it up and migrate; return the folder."""
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix=f"longdan-bench-{name}-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["LONGDAN_VAR_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "longdan.settings")
    os.environ.pop("DATABASE_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    return folder


def timed(fn: Callable[[], object], runs: int) -> tuple[float, list[float]]:
    """Median and all timings in seconds of ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.node()} · {os.cpu_count()} lõi · {cpu} · Python {platform.python_version()}"


def git_revision() -> str:
    try:
        return subprocess.check_output(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True
        ).strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def django_on_postgres(url: str, *, keep: bool = False) -> None:
    """Point Django at PostgreSQL database ``url`` (never the tests' own), created anew unless
    ``keep`` and it exists, and migrate it."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    if name in ("test", "test_test", "postgres", "root"):
        sys.exit(f"Không dùng cơ sở dữ liệu '{name}' cho phép đo; hãy đặt tên riêng.")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not (keep and exists):
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "longdan.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
