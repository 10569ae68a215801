"""What the audit log's hash chain (core.auditchain, issue 10) costs per audited write.

One audited write is one ``core.services.audit`` call in its own transaction, as a service makes
it: with the chain (lock and update the chain head, hash, insert) against the same insert without
it (``models.Model.save``, which skips ``AuditEntry.save``'s linking). The two alternate in
``--rounds`` rounds of ``--runs`` writes each; printed are the medians per round and over all, and
``longdan audit verify``'s time over the rows written.

Run: `PYTHONPATH=. .venv/bin/python bench/bench_audit_chain.py` (SQLite, a throw-away file) or
with `--database-url postgres://root@127.0.0.1:5432/bench_audit_chain` (created anew).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

from _setup import django_on_fresh_sqlite, django_on_postgres, git_revision, machine


def one_round(runs: int) -> dict:
    from django.db import models, transaction

    from core.models import AuditEntry
    from core.services import audit

    def chained():
        with transaction.atomic():
            audit(actor=None, action="update", object_type="orgs.orgunit", object_id="17",
                  summary="Sửa tên đơn vị", data={"trường": ["tên"], "phiên bản": 3})

    def bare():
        with transaction.atomic():
            entry = AuditEntry(action="update", object_type="orgs.orgunit", object_id="17",
                               summary="Sửa tên đơn vị", data={"trường": ["tên"], "phiên bản": 3})
            models.Model.save(entry)

    out = {}
    for label, fn in (("no_chain", bare), ("chain", chained)):
        fn()  # warm
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        out[label] = statistics.median(times) * 1000
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if args.database_url:
        django_on_postgres(args.database_url)
    else:
        django_on_fresh_sqlite("audit-chain")
    from django.db import connection

    from core import auditchain
    from core.models import AuditEntry

    rounds = [one_round(args.runs) for _ in range(args.rounds)]
    # The bare rows are not linked: take them out before timing the verification.
    AuditEntry.objects.filter(hash="").delete()
    start = time.perf_counter()
    report = auditchain.verify()
    verify_s = time.perf_counter() - start
    result = {
        "database": connection.vendor,
        "machine": machine(),
        "revision": git_revision(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "runs_per_round": args.runs,
        "rounds_ms": [{k: round(v, 3) for k, v in r.items()} for r in rounds],
        "median_no_chain_ms": round(statistics.median(r["no_chain"] for r in rounds), 3),
        "median_chain_ms": round(statistics.median(r["chain"] for r in rounds), 3),
        "verify_rows": report.rows,
        "verify_ok": report.broken is None,
        "verify_s": round(verify_s, 3),
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
