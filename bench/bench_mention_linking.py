"""Linking online mentions to issues (``monitoring.linking.process_mentions``) against grouping
the same texts as opinion items (``issues.services.group_pending_items``), in the same run.

On a fresh SQLite database: N synthetic opinion texts (``bench_grouping.generate``: matters ×
places × paraphrases) are stored once as opinion items and once as mentions about the ward (each
its own story, masked text as stored), with 20 active keywords on the watch-list. Each round
starts from nothing grouped (grouper state, issues, links and watch matches cleared), then times:

* baseline: ``group_pending_items`` over the N items (what the issues worker does);
* ``process_mentions`` over the N mentions, the items' issues already there (what the monitoring
  worker does: the grouper, the ties to issues, the watch-list, the spreading-story alerts).

Run: `.venv/bin/python bench/bench_mention_linking.py [--mentions 2000] [--rounds 3] [--json]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time

from _setup import django_on_fresh_sqlite, git_revision, machine

KEYWORDS = [
    "cắt nước", "mất điện", "sạt lở", "ngập úng", "cháy", "ô nhiễm", "tai nạn", "trộm cắp",
    "đình công", "giải phóng mặt bằng", "đền bù", "khiếu kiện", "tụ tập", "karaoke", "bụi",
    "dịch bệnh", "lừa đảo", "đổ trộm", "lấn chiếm", "xả thải",
]


def seed(n: int) -> None:
    from bench_grouping import generate
    from django.utils import timezone

    from core.models import Channel
    from intake.models import OpinionItem
    from monitoring.models import Mention, Story, WatchTerm
    from textengine import pipeline
    from textengine.normalize import fold
    from textops.services import suggester

    texts, _truth = generate(n)
    engine, _version = suggester()
    stored = [a.text for a in pipeline.analyse_batch(texts, engine, None)]
    today = timezone.localdate()
    OpinionItem.objects.bulk_create(
        OpinionItem(text=t, text_folded=fold(t), channel=Channel.RESIDENTIAL,
                    received_on=today - dt.timedelta(days=i % 20))
        for i, t in enumerate(stored)
    )
    now = timezone.now()
    stories = Story.objects.bulk_create(Story(first_seen_at=now, mention_count=1, site_count=1)
                                        for _ in stored)
    Mention.objects.bulk_create(
        Mention(url=f"https://bao{i % 7}.example/bai-{i}", site=f"bao{i % 7}.example",
                title="", text=t, relevance=Mention.Relevance.WARD, story=s,
                published_at=now - dt.timedelta(days=i % 20))
        for i, (t, s) in enumerate(zip(stored, stories, strict=True))
    )
    WatchTerm.objects.bulk_create(
        WatchTerm(kind=WatchTerm.Kind.KEYWORD, phrase=k, folded=fold(k)) for k in KEYWORDS
    )


def reset() -> None:
    from intake.models import OpinionItem
    from issues.models import BurstAlert, Issue
    from monitoring.models import Mention, Story, WatchHit
    from textops.models import EngineState

    WatchHit.objects.all().delete()
    BurstAlert.objects.all().delete()
    Mention.objects.update(issue=None, processed_at=None)
    Story.objects.update(issue=None)
    OpinionItem.objects.update(issue=None)
    Issue.objects.all().delete()
    EngineState.objects.all().delete()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    django_on_fresh_sqlite("mention-linking")
    seed(args.mentions)
    from django.urls import reverse

    from issues.services import group_pending_items
    from monitoring.linking import process_mentions

    reverse("monitoring_watch")  # the URL configuration, loaded once as in a running worker

    items_s, mentions_s, last = [], [], None
    for _ in range(args.rounds):
        reset()
        start = time.perf_counter()
        group_pending_items()
        items_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        last = process_mentions()
        mentions_s.append(time.perf_counter() - start)
    result = {
        "machine": machine(),
        "revision": git_revision(),
        "mentions": args.mentions,
        "rounds": args.rounds,
        "items_grouping_s": round(statistics.median(items_s), 2),
        "mention_linking_s": round(statistics.median(mentions_s), 2),
        "mentions_per_s": round(args.mentions / statistics.median(mentions_s)),
        "last_run": last.as_dict() if last else {},
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
