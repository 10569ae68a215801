"""The demo's consolidated report as PDF: how long LibreOffice takes, and what the cache saves.

The demo ward (``longdan demo``'s data, ``--months`` of it, on a fresh SQLite) is loaded, the
office generates the consolidated report of December 2025 through the real service, and then:

- baseline, in the same run: ``export_docx`` alone (what the DOCX link costs);
- ``export_pdf`` with an empty cache: the DOCX, then ``soffice --headless --convert-to pdf`` with a
  throw-away profile of its own (what every first PDF download costs);
- ``export_pdf`` again: the same report, served from the cache (its data's fingerprint, the file
  read back and the audit entry: the DOCX is not laid out again);
- two conversions at once (two readers downloading together): the wall time of both.

Run: `.venv/bin/python bench/bench_pdf.py [--runs 5] [--months 2] [--keep FILE.pdf]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from _setup import django_on_fresh_sqlite, git_revision, machine, timed

TODAY = dt.date(2026, 1, 10)
PERIOD = "2025-12"


def soffice_version(path: str) -> str:
    return subprocess.run([path, "--version"], capture_output=True, text=True,
                          timeout=60).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--months", type=int, default=2)
    parser.add_argument("--keep", metavar="FILE.pdf", help="write the PDF there to look at")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if shutil.which("soffice") is None:
        print("Không có LibreOffice (soffice): không đo được việc tạo PDF.", file=sys.stderr)
        return 2
    # The demo answers residents by e-mail: kept in memory, not printed over the results.
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    django_on_fresh_sqlite("pdf")
    from django.core.cache import caches

    from core.pdf import CACHE
    from documents import pdf as converter
    from longdan import demo
    from orgs.models import User
    from reporting.periods import parse_period
    from reporting.services import export_docx, export_pdf, generate_consolidated, party_document

    start = time.perf_counter()
    demo.load_demo(today=TODAY, months=args.months, stdout=io.StringIO())
    office = User.objects.get(username=demo.OFFICE_USERNAME)
    consolidated = generate_consolidated(user=office, period=parse_period(PERIOD))
    setup_s = time.perf_counter() - start
    cache = caches[CACHE]

    def docx() -> bytes:
        buffer = io.BytesIO()
        export_docx(user=office, consolidated=consolidated, out=buffer)
        return buffer.getvalue()

    def first_download() -> bytes:
        cache.clear()
        return export_pdf(user=office, consolidated=consolidated)

    content = first_download()  # warm-up: imports, fonts read once by the system
    if args.keep:
        with open(args.keep, "wb") as out:
            out.write(content)
    docx_median, docx_all = timed(docx, args.runs)
    cold_median, cold_all = timed(first_download, args.runs)
    export_pdf(user=office, consolidated=consolidated)
    cached_median, cached_all = timed(
        lambda: export_pdf(user=office, consolidated=consolidated), args.runs)

    from documents.docx_layout import render_docx

    soffice = converter.find_converter("soffice")
    one = render_docx(party_document(consolidated))

    def two_at_once() -> None:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda d: converter.docx_to_pdf(d, soffice=soffice, timeout=300),
                          [one, one]))

    pair_median, pair_all = timed(two_at_once, args.runs)
    pages = len(subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True,
                               check=True).stdout.rstrip(b"\f").split(b"\f"))
    result = {
        "benchmark": f"the demo's consolidated report {PERIOD} as PDF (LibreOffice headless)",
        "machine": machine(),
        "libreoffice": soffice_version(soffice),
        "revision": git_revision(),
        "date": dt.date.today().isoformat(),
        "demo_months": args.months,
        "reports": consolidated.data["report_count"],
        "pages": pages,
        "docx_bytes": len(one),
        "pdf_bytes": len(content),
        "setup_s": round(setup_s, 1),
        "baseline": "export_docx alone (the DOCX download)",
        "baseline_median_s": round(docx_median, 3),
        "baseline_runs_s": [round(t, 3) for t in docx_all],
        "pdf_first_download_median_s": round(cold_median, 3),
        "pdf_first_download_runs_s": [round(t, 3) for t in cold_all],
        "pdf_cached_median_s": round(cached_median, 3),
        "pdf_cached_runs_s": [round(t, 3) for t in cached_all],
        "two_conversions_at_once_wall_median_s": round(pair_median, 3),
        "two_conversions_at_once_runs_s": [round(t, 3) for t in pair_all],
    }
    print(json.dumps(result, ensure_ascii=False, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
