"""Relevance to the ward and story assignment for 100,000 mentions (issue 9).

N synthetic mentions (``bench_fetch.articles``: four paragraphs of resident-like sentences around
a place: the ward, one of its tổ dân phố, the city, the province or the hydropower plant "Hòa
Bình"), a fifth of them syndicated copies (retitled, a paragraph dropped) of an earlier one,
published over a year, normalised as stored. Times, in one run:

* relevance: ``Gazetteer.judge`` (the registry's 65 tổ dân phố, three former wards, a few
  streets) — pure Python;
* signatures: ``textengine.signature.signatures``, in batches of 1,000 (what each mention
  stores for its story);

both once over all N, then ``--rounds`` times over the first ``--sample`` (the median);
* story assignment at scale: the first N − K mentions stored with their band keys and stories
  by bulk inserts (not timed), then ``monitoring.services.assign_story`` timed for the last K,
  each against the whole table (its 14-day window of candidates through the band keys);
* the candidate look-up alone for the same K, after they are stored: ``story_candidates``
  (the window on the band rows, index (key, fetched_at)) against the query before it (the band
  keys over the whole table, the window applied on the mention after the join), both in the
  same run; the bench stops if the two give different candidates for any of the K;
* baseline for the look-up: the same K mentions compared with every mention of their 14 days
  (what ``assign_story`` did before the band keys), reading the signatures from the database.

Run: ``nice -n 10 .venv/bin/python bench/bench_relevance_stories.py [--mentions 100000]
[--timed 1000] [--rounds 3] [--sample 10000] [--json]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time

from _setup import django_on_fresh_sqlite, git_revision, machine

AREAS = [f"Tổ dân phố {w} {i}" for w, n in (("Hòa Bình", 26), ("An Lư", 22), ("Thủy Hà", 16))
         for i in range(1, n + 1)] + ["Tổ dân phố Khu đô thị Bắc Sông Cấm"]


def corpus(n: int, seed: int = 20261205) -> tuple[list[str], list[str], list[dt.datetime]]:
    """Titles, texts (normalised as stored) and publication times; copies follow originals."""
    from bench_fetch import articles

    from textengine.normalize import normalize

    rng = random.Random(seed)
    originals = articles(int(n * 0.8) + 1, seed=seed)
    start = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
    titles, texts, times, made = [], [], [], []
    for i in range(n):
        if made and rng.random() < 0.2:
            j = rng.randrange(max(0, len(made) - 300), len(made))  # a recent original
            title, paragraphs, when = made[j]
            paragraphs = [p for k, p in enumerate(paragraphs) if k != rng.randrange(4)]
            titles.append("Tin tổng hợp: " + title)
            texts.append(normalize(" ".join(paragraphs)))
            times.append(when + dt.timedelta(hours=rng.randint(1, 30)))
            continue
        title, paragraphs = originals[len(made) % len(originals)]
        when = start + dt.timedelta(minutes=5 * i)  # a year at ~290 a day
        made.append((title, paragraphs, when))
        titles.append(title)
        texts.append(normalize(" ".join(paragraphs)))
        times.append(when)
    return titles, texts, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=100_000)
    parser.add_argument("--timed", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sample", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    django_on_fresh_sqlite("relevance")

    import numpy as np
    from django.db import transaction
    from django.db.models import F

    from monitoring import stories
    from monitoring.gazetteer import Gazetteer
    from monitoring.models import Mention, MentionBand, Story
    from monitoring.services import STORY_WINDOW, assign_story, story_candidates
    from textengine.signature import Sig, signatures

    n, k = args.mentions, args.timed
    titles, texts, times = corpus(n)
    gaz = Gazetteer(ward_names=["Hòa Bình"], city_names=["Hải Phòng"], areas=AREAS,
                    former_wards=["Hòa Bình cũ", "An Lư", "Thủy Hà"],
                    places=["đường ven sông Cấm", "chợ Hòa Bình", "phố Thủy Hà"])
    # One pass over all N (what the table is built from), timed; then ``--rounds`` passes over
    # the first ``--sample`` for a median.
    started = time.perf_counter()
    verdicts = [gaz.judge(t, x) for t, x in zip(titles, texts, strict=True)]
    full_relevance = time.perf_counter() - started
    started = time.perf_counter()
    sigs = np.concatenate([signatures(texts[i:i + 1000]) for i in range(0, n, 1000)])
    full_signing = time.perf_counter() - started
    print(f"full pass: relevance {full_relevance:.1f} s, signatures {full_signing:.1f} s",
          file=sys.stderr, flush=True)
    sample = min(args.sample, n)
    rounds = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        for t, x in zip(titles[:sample], texts[:sample], strict=True):
            gaz.judge(t, x)
        relevance = time.perf_counter() - started
        started = time.perf_counter()
        for i in range(0, sample, 1000):
            signatures(texts[i:min(i + 1000, sample)])
        signing = time.perf_counter() - started
        rounds.append({"relevance_s": relevance, "signatures_s": signing})

    # The table: N − K mentions with their bands and a story each (syndicated copies share it
    # through a direct look-up here: only the timed K go through ``assign_story``).
    Mention.objects.all().delete()
    Story.objects.all().delete()
    stored = n - k
    with transaction.atomic():
        for start in range(0, stored, 5000):
            chunk = range(start, min(start + 5000, stored))
            made = Story.objects.bulk_create(
                Story(first_seen_at=times[i], mention_count=1, site_count=1) for i in chunk)
            rows = Mention.objects.bulk_create(
                Mention(url=f"https://bao{i % 9}.example/bai-{i}", site=f"bao{i % 9}.example",
                        title=titles[i], text=texts[i], published_at=times[i],
                        relevance=verdicts[i].relevance, signature=Sig(sigs[i]).to_bytes(),
                        story=s)
                for i, s in zip(chunk, made, strict=True))
            MentionBand.objects.bulk_create(
                MentionBand(mention=m, key=key, fetched_at=times[i])
                for m, i in zip(rows, chunk, strict=True)
                for key in stories.band_keys(sigs[i]))
    # ``fetched_at`` is "now" for all: put it at publication, so the 14-day window is real.
    Mention.objects.update(fetched_at=F("published_at"))
    last_stored = Mention.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_story = Story.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    for number in range(args.rounds):
        if number:  # the timed mentions and the stories they started go; the table stays
            Mention.objects.filter(pk__gt=last_stored).delete()
            Story.objects.filter(pk__gt=last_story).delete()
        timed_rows = []
        started = time.perf_counter()
        with transaction.atomic():
            for i in range(stored, n):
                m = Mention.objects.create(
                    url=f"https://bao{i % 9}.example/bai-{i}", site=f"bao{i % 9}.example",
                    title=titles[i], text=texts[i], published_at=times[i],
                    relevance=verdicts[i].relevance, signature=Sig(sigs[i]).to_bytes())
                Mention.objects.filter(pk=m.pk).update(fetched_at=times[i])
                m.fetched_at = times[i]
                timed_rows.append(m)
        inserting = time.perf_counter() - started
        started = time.perf_counter()
        with transaction.atomic():
            joined = sum(1 for m, i in zip(timed_rows, range(stored, n), strict=True)
                         if assign_story(m, Sig(sigs[i])).mention_count > 1)
        assigning = time.perf_counter() - started
        # The candidate look-up alone, for the same K on the table as it now is: today's
        # (``story_candidates``, the window on the band rows) and the one before it (the band
        # keys over the whole year, the window on the mention only). Same candidates, or stop.
        old_s = new_s = 0.0
        same = 0
        for m, i in zip(timed_rows, range(stored, n), strict=True):
            keys = stories.band_keys(sigs[i])
            started = time.perf_counter()
            old = list(Mention.objects.filter(
                bands__key__in=keys, fetched_at__gte=m.published_at - STORY_WINDOW)
                .exclude(pk=m.pk).exclude(story=None).distinct()
                .values_list("pk", "story_id", "signature"))
            old_s += time.perf_counter() - started
            started = time.perf_counter()
            new = story_candidates(m, keys)
            new_s += time.perf_counter() - started
            same += old == new
        if same != k:
            sys.exit(f"the bounded look-up differs from the old one for {k - same} of {k}")
        # Baseline: every mention of the 14 days read and compared (no band keys).
        started = time.perf_counter()
        base_joined = 0
        for m, i in zip(timed_rows, range(stored, n), strict=True):
            since = m.published_at - STORY_WINDOW
            rows = list(Mention.objects.filter(
                fetched_at__gte=since, fetched_at__lte=m.published_at, pk__lt=m.pk
            ).values_list("story_id", "signature"))
            found = stories.shares(sigs[i], [r[1] for r in rows]) if rows else np.zeros(0)
            base_joined += int((found >= stories.THRESHOLD).any())
        baseline = time.perf_counter() - started
        print(f"round {number}: {rounds[number]}", file=sys.stderr, flush=True)
        rounds[number] |= {"insert_s": inserting, "assign_story_s": assigning,
                           "baseline_scan_s": baseline, "joined": joined,
                           "lookup_old_s": old_s, "lookup_new_s": new_s, "lookup_same": same,
                           "baseline_joined": base_joined}

    median = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    counts: dict[str, int] = {}
    for v in verdicts:
        counts[v.relevance] = counts.get(v.relevance, 0) + 1
    report = {
        "machine": machine(), "revision": git_revision(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "mentions": n, "timed": k, "rounds": rounds, "median": median,
        "sample": sample,
        "full_pass_s": {"relevance": full_relevance, "signatures": full_signing},
        "relevance_per_s": sample / median["relevance_s"],
        "signatures_per_s": sample / median["signatures_s"],
        "insert_ms": 1000 * median["insert_s"] / k,
        "assign_story_ms": 1000 * median["assign_story_s"] / k,
        "baseline_scan_ms": 1000 * median["baseline_scan_s"] / k,
        "lookup_old_ms": 1000 * median["lookup_old_s"] / k,
        "lookup_new_ms": 1000 * median["lookup_new_s"] / k,
        "joined": median["joined"], "baseline_joined": median["baseline_joined"],
        "relevance": counts,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    print(f"{report['machine']} · {report['revision']} · {report['date']}")
    print(f"{n} tin, một lượt: mức liên quan {full_relevance:.1f} s, chữ ký {full_signing:.1f} s")
    print(f"{sample} tin đầu, trung vị {args.rounds} lượt:")
    print(f"  mức liên quan: {median['relevance_s']:.2f} s ({report['relevance_per_s']:.0f} tin/s)"
          f" {counts}")
    print(f"  chữ ký MinHash: {median['signatures_s']:.2f} s"
          f" ({report['signatures_per_s']:.0f} tin/s)")
    print(f"  gán câu chuyện, {k} tin cuối trên bảng {n - k} tin: {report['assign_story_ms']:.2f}"
          f" ms/tin ({report['joined']} vào câu chuyện có sẵn); ghi tin"
          f" {report['insert_ms']:.2f} ms/tin")
    print(f"  chỉ tìm ứng viên: {report['lookup_new_ms']:.2f} ms/tin (giới hạn 14 ngày trên"
          f" khóa), cách cũ {report['lookup_old_ms']:.2f} ms/tin; giống nhau ở"
          f" {median['lookup_same']:.0f}/{k} tin")
    print(f"  so với quét cả 14 ngày: {report['baseline_scan_ms']:.2f} ms/tin"
          f" ({report['baseline_joined']} tìm thấy bản sao)")


if __name__ == "__main__":
    main()
