"""Merge proposals for near-duplicate issues (textengine.grouping.proposals): pairwise precision
and recall of issues before and after, on the grouping benchmark and on the demo ward.

* ``bench``: the grouping benchmark's generated items (``bench_grouping.generate``, the default
  seed, texts as the app stores them), grouped by ``Grouper``; each issue's topic is its first
  item's suggested topic (what the app gives a new issue). The truth is (matter, place).
* ``demo``: the demo ward (``longdan demo`` on a fresh SQLite file, the office's own merges
  included); each item's true matter is the demo matter whose sentences it contains most of
  (the demo does not store it). Issues merged away count as their survivor.

"After" is every proposal accepted (chains included: a → b and b → c make one issue). Also
printed: the proposals' own precision (share whose two issues are mostly the same true group)
and the time of the pass (CPU).

Run: `.venv/bin/python bench/bench_merge_proposals.py [--items 100000] [--no-demo] [--json]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import sys
import time
from collections import Counter

from _setup import django_on_fresh_sqlite, git_revision, machine
from bench_grouping import generate, pair_scores

from textengine import pipeline
from textengine.grouping import Grouper
from textengine.grouping.proposals import merge_candidates


def _after(pred: list, pairs: list[tuple]) -> list:
    parent: dict = {}

    def find(x):
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for keep, other in pairs:
        a, b = find(keep), find(other)
        if a != b:
            parent[b] = a
    return [find(p) for p in pred]


def _rounded(scores: dict) -> dict:
    return {k: round(v, 4) for k, v in scores.items()}


def _proposal_precision(truth: list, pred: list, pairs: list[tuple]) -> float:
    groups: dict = {}
    for t, p in zip(truth, pred, strict=True):
        groups.setdefault(p, Counter())[t] += 1
    main = {p: c.most_common(1)[0][0] for p, c in groups.items()}
    right = sum(main.get(a) == main.get(b) for a, b in pairs)
    return right / len(pairs) if pairs else 1.0


def on_bench(items: int) -> dict:
    texts, fine = generate(items)
    analysed = pipeline.analyse_batch(texts, None, None)
    stored = [a.text for a in analysed]
    truth = [k[:-1] for k in fine]
    grouper = Grouper()
    pred = grouper.assign_many((i, t, None) for i, t in enumerate(stored))
    topics: dict[int, object] = {}
    for issue, a in zip(pred, analysed, strict=True):
        topics.setdefault(issue, a.topic)
    cpu = time.process_time()
    candidates = merge_candidates(grouper, labels=topics)
    seconds = time.process_time() - cpu
    pairs = [(c.keep, c.other) for c in candidates]
    after = _after(pred, pairs)
    return {
        "items": items,
        "true_groups": len(set(truth)),
        "issues_before": len(set(pred)),
        "issues_after": len(set(after)),
        "proposals": len(pairs),
        "proposals_right": round(_proposal_precision(truth, pred, pairs), 4),
        "pass_cpu_seconds": round(seconds, 2),
        "before": _rounded(pair_scores(truth, pred)),
        "after": _rounded(pair_scores(truth, after)),
    }


def _demo_truth(texts: list[str]) -> tuple[list, int]:
    """The demo matter each text says, by the share of a matter sentence's words it contains."""
    from longdan.demo.opinion_data import MATTERS
    from textengine.normalize import fold

    sentences = [(m["key"], set(fold(t).split())) for m in MATTERS for t in m["texts"]]
    truth, unsure = [], 0
    for text in texts:
        words = set(fold(text).split())
        share, key = max((len(words & s) / len(s), k) for k, s in sentences)
        unsure += share < 0.6
        truth.append(key)
    return truth, unsure


def on_demo() -> dict:
    django_on_fresh_sqlite("merge-proposals")
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # answers' mail
    from intake.models import OpinionItem
    from issues.models import Issue, MergeProposal
    from longdan import demo

    demo.load_demo(stdout=io.StringIO())
    survivor = {i.pk: i.merged_into_id or i.pk for i in Issue.objects.all()}
    rows = list(OpinionItem.objects.filter(issue__isnull=False).values_list("text", "issue_id"))
    truth, unsure = _demo_truth([t for t, _ in rows])
    pred = [survivor[i] for _, i in rows]
    proposals = MergeProposal.objects.filter(status=MergeProposal.Status.OPEN)
    pairs = list(proposals.values_list("keep_id", "other_id"))
    after = _after(pred, pairs)
    return {
        "items": len(rows),
        "items_matched_loosely": unsure,
        "true_groups": len(set(truth)),
        "issues_before": len(set(pred)),
        "issues_after": len(set(after)),
        "proposals": len(pairs),
        "proposals_right": round(_proposal_precision(truth, pred, pairs), 4),
        "before": _rounded(pair_scores(truth, pred)),
        "after": _rounded(pair_scores(truth, after)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--no-demo", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = {
        "machine": machine(),
        "revision": git_revision(),
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "bench": on_bench(args.items),
    }
    if not args.no_demo:
        result["demo"] = on_demo()
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(result["machine"], "·", result["revision"], "·", result["date"])
    for name in ("bench", "demo"):
        r = result.get(name)
        if not r:
            continue
        b, a = r["before"], r["after"]
        print(
            f"{name}: {r['items']} ý kiến, {r['true_groups']} nhóm thật; vấn đề "
            f"{r['issues_before']} → {r['issues_after']} ({r['proposals']} đề xuất, "
            f"đúng {r['proposals_right']})"
        )
        print(f"  trước: P {b['precision']} R {b['recall']} F1 {b['f1']}")
        print(f"  sau:   P {a['precision']} R {a['recall']} F1 {a['f1']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
