"""Run every benchmark one after another (`make bench`); each prints its own JSON/table.

They are run in sequence, never side by side: on a 2-core machine two benchmarks would measure
each other. Pass names to run only some: `python bench/run_all.py burst openrosa`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = {
    "compliance": ["bench_compliance.py"],
    "consolidate": ["bench_consolidate.py"],
    "pdf": ["bench_pdf.py"],
    "burst": ["bench_deadline_burst.py"],
    "textengine": ["bench_textengine.py"],
    "text-accuracy": ["bench_text_accuracy.py"],
    "grouping": ["bench_grouping.py"],
    "diacritics": ["bench_diacritics.py"],
    "search": ["bench_search.py"],
    "weighting": ["bench_survey_weighting.py"],
    "analysis": ["bench_survey_analysis.py"],
    "openrosa": ["bench_openrosa.py"],
    "forecast": ["bench_forecast.py"],
    # The full city (--scale 1) takes hours to generate; `make bench` runs a twentieth of it.
    "picture": ["bench_picture.py", "--scale", "0.05"],
}


def main(names: list[str]) -> int:
    unknown = [name for name in names if name not in BENCHES]
    if unknown:
        print(f"Không có phép đo: {', '.join(unknown)} (có: {', '.join(BENCHES)})", file=sys.stderr)
        return 2
    failed = []
    for name in names or list(BENCHES):
        print(f"\n=== {name} ===", flush=True)
        script, *args = BENCHES[name]
        if subprocess.call([sys.executable, str(HERE / script), *args]) != 0:
            failed.append(name)
    if failed:
        print(f"\nPhép đo lỗi: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
