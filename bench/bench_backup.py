"""Backups: plain against signed-and-encrypted, and the encrypted one's memory (issue 10).

Makes a SQLite database of ROWS opinion-like rows (about 60 MB) in a temporary folder, then times
``core.backup.create_backup`` and ``restore_backup`` without a key and with one (median of RUNS),
and measures the peak resident memory of a child process that makes one encrypted backup, to show
the stream never holds the archive.

    PYTHONPATH=. .venv/bin/python bench/bench_backup.py [ROWS] [RUNS]
"""

from __future__ import annotations

import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core import backup  # noqa: E402
from core.backup import Place  # noqa: E402

KEY = "bench-backup-key-long-enough-0123456789-abcdef"
WORDS = ("đường ngõ rác thải nước sinh hoạt ngập úng chiếu sáng an ninh trật tự học phí giá điện"
         " bảo hiểm y tế môi trường tiếng ồn lấn chiếm vỉa hè").split()


def make_database(path: Path, rows: int) -> None:
    rng = random.Random(7)
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT,"
                       " name TEXT, applied TEXT); INSERT INTO django_migrations VALUES"
                       " (1, 'core', '0001_initial', '');"
                       "CREATE TABLE items (id INTEGER PRIMARY KEY, text TEXT, day TEXT);")
    conn.executemany("INSERT INTO items (text, day) VALUES (?, ?)", (
        (" ".join(rng.choice(WORDS) for _ in range(60)), f"2026-{1 + i % 12:02d}-01")
        for i in range(rows)))
    conn.commit()
    conn.close()


def peak_memory_mb(place: Place, out: Path, secret: str | None) -> float:
    code = ("import resource, sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]);"
            "from core import backup; from core.backup import Place;"
            "backup.create_backup(Path(sys.argv[2]), Place('sqlite', Path(sys.argv[3]),"
            " sqlite_path=Path(sys.argv[3]) / 'longdan.sqlite3'), secret=sys.argv[4] or None);"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", code, str(ROOT), str(out), str(place.var_dir),
                           secret or ""], capture_output=True, text=True, check=True)
    return int(done.stdout.strip()) / 1024


def main(rows: int = 200_000, runs: int = 3) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-backup-") as folder:
        folder = Path(folder)
        var = folder / "var"
        var.mkdir()
        make_database(var / "longdan.sqlite3", rows)
        place = Place("sqlite", var, sqlite_path=var / "longdan.sqlite3")
        size_mb = (var / "longdan.sqlite3").stat().st_size / 1048576
        results = {"rows": rows, "database_mb": round(size_mb, 1), "runs": runs}
        for label, secret in (("plain", None), ("encrypted", KEY)):
            backups, restores, archive_mb = [], [], 0.0
            for run in range(runs):
                out = folder / f"out-{label}-{run}"
                out.mkdir()
                started = time.perf_counter()
                made = backup.create_backup(out, place, secret=secret)
                backups.append(time.perf_counter() - started)
                archive_mb = made.path.stat().st_size / 1048576
                target = folder / f"restore-{label}-{run}"
                target.mkdir()
                started = time.perf_counter()
                backup.restore_backup(made.path, Place(
                    "sqlite", target, sqlite_path=target / "longdan.sqlite3"), secret=secret)
                restores.append(time.perf_counter() - started)
            out = folder / f"mem-{label}"
            out.mkdir()
            results[label] = {
                "backup_s": round(statistics.median(backups), 2),
                "restore_s": round(statistics.median(restores), 2),
                "archive_mb": round(archive_mb, 1),
                "peak_rss_mb": round(peak_memory_mb(place, out, secret), 1),
            }
        results["machine"] = f"{os.cpu_count()} CPU, Python {sys.version.split()[0]}"
        results["rss_of_this_process_mb"] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
