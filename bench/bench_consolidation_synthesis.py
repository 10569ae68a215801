"""The consolidated report as a synthesis (issue 13) against the report before it (revision
2781416, one paragraph per unit cut at 300 characters), measured in the same run.

Two measures:

1. **The demo ward** (`longdan demo`, 55 units): for a few months, generate_consolidated on a copy
   of the demo database with each tree's code: words of the body (sections I–IV), sentences cut
   ("…"), merged statements (section II) and merged recommendations (section IV), the share of
   the units' distinct recommendations present in the body (a recommendation is present when its
   sentence is in the body, or the request its merged group stands for is), generation time.
2. **Generated units** (55 and 6,300, a city): the pure `reporting.consolidation.consolidate` on
   unit reports built from the matters and requests of bench_synthesis.py (six streams each,
   paraphrased, some without diacritics; two or three requests), old and new code.

Each tree runs in its own process (``--worker``), its packages first on the path; the baseline
tree is a git worktree of the baseline revision (``--baseline-tree``, made with
``git worktree add /tmp/longdan-base 2781416``).

Run: `.venv/bin/python bench/bench_consolidation_synthesis.py --demo-db var/longdan.sqlite3
--baseline-tree /tmp/longdan-base [--periods 2026-09 2026-10 2026-11] [--units 55 6300]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import ROOT, git_revision, machine

BODY = ("tu_tuong", "du_luan_noi_bat", "du_luan_tiem_an", "kien_nghi")
GENERAL = [
    "Tình hình tư tưởng của cán bộ, đảng viên và nhân dân trên địa bàn cơ bản ổn định",
    "Nhân dân tin tưởng vào sự lãnh đạo của Đảng ủy và sự điều hành của chính quyền phường",
    "Cán bộ, đảng viên chấp hành tốt chủ trương của Đảng, chính sách, pháp luật của Nhà nước",
    "Các hoạt động kỷ niệm ngày lễ lớn trong tháng được tổ chức trang trọng, thiết thực",
]
FORECAST = "Dự báo tháng tới, dư luận tiếp tục quan tâm đến giá cả, việc làm và môi trường."


# --- worker: runs inside one tree ---------------------------------------------------------------


def _tree_first(tree: str) -> None:
    sys.path.insert(0, tree)
    for name in [m for m in sys.modules if m.split(".")[0] in {"reporting", "synthesis"}]:
        del sys.modules[name]


def synthetic_reports(units: int, seed: int = 2026):
    """Unit reports from the matters and requests of bench_synthesis (no database)."""
    from bench_synthesis import MATTERS, REQUESTS, _vary

    from reporting.consolidation import StreamData, UnitReportData

    rng = random.Random(seed)
    matters = [(topic, m) for topic, ms in MATTERS.items() for m in ms]
    reports = []
    for u in range(units):
        streams = []
        for m in rng.sample(range(len(matters)), 6):
            topic, paraphrases = matters[m]
            streams.append(
                StreamData(
                    topic=topic,
                    attitude=rng.choice(["dong_tinh", "ban_khoan", "buc_xuc"]),
                    reach=rng.choice(["da_so", "nhieu_y_kien", "mot_so_y_kien"]),
                    summary=_vary(rng, rng.choice(paraphrases)),
                    latent=rng.random() < 0.15,
                )
            )
        requests = [
            _vary(rng, rng.choice(REQUESTS[r]))
            for r in rng.sample(range(len(REQUESTS)), rng.randint(2, 3))
        ]
        latent = " ".join(s.summary for s in streams if s.latent)
        reports.append(
            UnitReportData(
                unit=f"Chi bộ Khu dân cư {u + 1}",
                period="2026-11",
                sections={
                    "tu_tuong": " ".join(_vary(rng, s) for s in rng.sample(GENERAL, 3)),
                    "du_luan_noi_bat": "\n".join(
                        f"{n}. {s.summary}" for n, s in enumerate(streams, 1)
                    ),
                    "du_luan_tiem_an": f"{latent} {FORECAST}".strip(),
                    "kien_nghi": "\n".join(f"{n}. {r}" for n, r in enumerate(requests, 1)),
                },
                streams=tuple(streams),
            )
        )
    return reports


def worker_pure(units: int, runs: int) -> dict:
    from reporting.consolidation import consolidate
    from reporting.periods import parse_period

    reports = synthetic_reports(units)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = consolidate(reports, period=parse_period("2026-11"), expected_units=units)
        times.append(time.perf_counter() - start)
    body = "\n".join(result.sections[k] for k in BODY)
    return {
        "units": units,
        "median_s": round(statistics.median(times), 3),
        "runs_s": [round(t, 3) for t in times],
        "body_words": len(body.split()),
        "cut": body.count("…"),
    }


def worker_demo(db: str, period_code: str, runs: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="longdan-bench-synth-"))
    shutil.copy(db, folder / "longdan.sqlite3")
    os.environ["LONGDAN_VAR_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "longdan.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from reporting.models import UnitReport
    from reporting.periods import parse_period
    from reporting.services import generate_consolidated

    period = parse_period(period_code)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        report = generate_consolidated(user=None, period=period)
        times.append(time.perf_counter() - start)
    recommendations = list(
        UnitReport.objects.filter(
            period__code=period_code,
            state=UnitReport.State.SUBMITTED,
        ).values_list("unit__name", "sections__kien_nghi")
    )
    shutil.rmtree(folder, ignore_errors=True)
    sources = report.data.get("sources", {})
    return {
        "period": period_code,
        "generate_median_s": round(statistics.median(times), 3),
        "runs_s": [round(t, 3) for t in times],
        "sections": {k: report.sections.get(k, "") for k in BODY},
        "merged_statements": len(sources.get("du_luan_noi_bat", {}).get("statements", [])),
        "merged_recommendations": len(sources.get("kien_nghi", {}).get("statements", [])),
        "recommendations": recommendations,
    }


# --- parent: both trees, one table --------------------------------------------------------------


def run_worker(tree: Path, *args: str) -> dict:
    command = [sys.executable, __file__, "--worker", *args, "--tree", str(tree)]
    out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=tree)
    return json.loads(out.stdout.strip().splitlines()[-1])


def coverage(body: str, recommendations: list) -> tuple[int, int]:
    """(present, distinct): the units' distinct recommendation sentences present in ``body``
    themselves, or through the request of the merged group they belong to."""
    from reporting.recommending import _asks_nothing
    from synthesis import Statement, merge_recommendations, request_text, split_sentences

    statements, seen = [], set()
    for unit, text in recommendations:
        for sentence in split_sentences(text or ""):
            if not _asks_nothing(sentence) and sentence not in seen:
                seen.add(sentence)
                statements.append(Statement(sentence, len(statements), unit))
    present = 0
    for merged in merge_recommendations(statements):
        request = request_text(merged.text, merged.addressee).rstrip(".")
        for member in merged.members:
            present += member.text in body or request in body
    return present, len(statements)


def demo_rows(args, trees: dict[str, Path]) -> list[dict]:
    rows = []
    for period in args.periods:
        for name, tree in trees.items():
            result = run_worker(
                tree,
                "demo",
                "--demo-db",
                args.demo_db,
                "--period",
                period,
                "--runs",
                str(args.runs),
            )
            body = "\n".join(result["sections"].values())
            present, distinct = coverage(body, result["recommendations"])
            rows.append(
                {
                    "period": period,
                    "tree": name,
                    "body_words": len(body.split()),
                    "per_section_words": {k: len(v.split()) for k, v in result["sections"].items()},
                    "cut_sentences": body.count("…"),
                    "merged_statements": result["merged_statements"],
                    "merged_recommendations": result["merged_recommendations"],
                    "recommendations_present": present,
                    "recommendations_distinct": distinct,
                    "generate_median_s": result["generate_median_s"],
                    "runs_s": result["runs_s"],
                }
            )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", choices=["pure", "demo"])
    parser.add_argument("--tree", default=str(ROOT))
    parser.add_argument("--baseline-tree", default="/tmp/longdan-base")
    parser.add_argument("--baseline-name", default="baseline 2781416",
                        help="how the table names the baseline tree (its revision)")
    parser.add_argument("--demo-db")
    parser.add_argument("--period", default="2026-11")
    parser.add_argument("--periods", nargs="+", default=["2026-09", "2026-10", "2026-11"])
    parser.add_argument("--units", type=int, nargs="+", default=[55, 6300])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.worker:
        _tree_first(args.tree)
        if args.worker == "pure":
            print(json.dumps(worker_pure(args.units[0], args.runs)))
        else:
            print(json.dumps(worker_demo(args.demo_db, args.period, args.runs)))
        return 0
    trees = {args.baseline_name: Path(args.baseline_tree), "synthesis": ROOT}
    result = {
        "benchmark": "consolidated report: synthesis (issue 13) against the per-unit draft",
        "machine": machine(),
        "revision": git_revision(),
        "date": dt.date.today().isoformat(),
        "demo": demo_rows(args, trees) if args.demo_db else [],
        "generated": [
            {
                "tree": name,
                **run_worker(
                    tree, "pure", "--units", str(n), "--runs", str(args.runs if n < 1000 else 1)
                ),
            }
            for n in args.units
            for name, tree in trees.items()
        ],
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
