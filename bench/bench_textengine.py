"""Text engine speed, each figure beside its baseline measured in the same run (no Django).

    .venv/bin/python bench/bench_textengine.py [--rounds 5]

* the path the app runs for filed items, ``textops.services.analyse_many`` (an import, a
  meeting's points, in batches of 1,000) and ``textops.services.analyse`` (one quick report or
  public form at a time), which call ``textengine.pipeline`` (normalise, mask, fold, features,
  topic, attitude; no signature: the grouper computes signatures in its own batch), and, for
  reference, the pipeline with the near-duplicate signature step; in texts/s on one core. The
  baseline, a pure-Python regex tokeniser alone, is run right before and after each round, and
  the ratio ours/baseline is reported per round (a busy machine slows both; the ratio is what
  carries over between machines). The issue's bar is 20,000/s where the tokeniser does
  145,000/s, i.e. a ratio of at least 0.14;
* the pipeline's own stages, so a slow one is visible;
* one suggestion while typing (p50/p95), against scikit-learn ``predict`` on one text.

Each figure is the median of the rounds. The texts are the 900 held-out corpus texts, repeated to
18,000; per-word caches are warmed first, as in a running server (no per-text cache exists).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, machine  # noqa: E402

CORPUS = ROOT / "textengine" / "corpus"
BAR = 20_000 / 145_000


def _rows(name):
    with (CORPUS / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _rate(fn, n_texts) -> float:
    start = time.perf_counter()
    fn()
    return n_texts / (time.perf_counter() - start)


def _load() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    from textengine.model import train
    from textengine.pipeline import analyse_batch

    train_rows, test_rows = _rows("train.jsonl"), _rows("test.jsonl")
    var = Path(tempfile.mkdtemp(prefix="longdan-bench-text-"))
    root = var / "models"  # where the app looks for its models (textops.selectors.models_root)
    for field, group in (("topic", "matter"), ("attitude", "frame")):
        train(
            [r["text"] for r in train_rows],
            [r[field] for r in train_rows],
            root / field,
            label_field=field,
            groups=[r[group] for r in train_rows],
            folds=2,
        )
    # The app's own entry points, on the models just trained (no database is touched).
    os.environ["LONGDAN_VAR_DIR"] = str(var)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "longdan.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from textops import selectors as textops_selectors
    from textops import services as textops

    suggester, version = textops_selectors.suggester()
    assert version.startswith("topic:"), version
    texts = [r["text"] for r in test_rows] * 20  # 18,000 short texts (~107 characters)
    print(f"Máy: {machine()}")
    print(f"Tải máy (loadavg 1/5/15 phút) lúc bắt đầu: {_load()}")
    print(f"{len(texts)} văn bản ngắn, trung bình {statistics.mean(map(len, texts)):.0f} ký tự")

    word = re.compile(r"\w+")

    def baseline():
        return [word.findall(t.lower()) for t in texts]

    def app_batch():  # an import: what apply_import calls, 1,000 texts at a time
        return [textops.analyse_many(texts[i : i + 1000]) for i in range(0, len(texts), 1000)]

    singles = texts[:3000]

    def app_single():  # quick reports: one text per call, as file_item analyses it
        return [textops.analyse(t) for t in singles]

    def with_signature():
        return [analyse_batch(texts[i : i + 1000], suggester) for i in range(0, len(texts), 1000)]

    app_batch()  # warm the per-word caches, as a running server has
    rows = {k: [] for k in ("base", "nosig", "single", "full", "r_nosig", "r_single", "r_full")}
    for _ in range(args.rounds):
        before = _rate(baseline, len(texts))
        nosig = _rate(app_batch, len(texts))
        single = _rate(app_single, len(singles))
        full = _rate(with_signature, len(texts))
        after = _rate(baseline, len(texts))
        base = (before + after) / 2
        rows["base"].append(base)
        rows["nosig"].append(nosig)
        rows["single"].append(single)
        rows["full"].append(full)
        rows["r_nosig"].append(nosig / base)
        rows["r_single"].append(single / base)
        rows["r_full"].append(full / base)
    med = {k: statistics.median(v) for k, v in rows.items()}
    print(f"Trung vị của {args.rounds} vòng (cơ sở đo ngay trước và sau mỗi vòng):")
    print(f"  Cơ sở: tách từ regex thuần Python:   {med['base']:>9,.0f} văn bản/giây/lõi")
    print(
        f"  Ứng dụng, theo lô (analyse_many):    {med['nosig']:>9,.0f} văn bản/giây/lõi"
        f"  = {med['r_nosig']:.3f} × cơ sở"
    )
    print(
        f"  Ứng dụng, từng ý kiến (analyse):     {med['single']:>9,.0f} văn bản/giây/lõi"
        f"  = {med['r_single']:.3f} × cơ sở"
    )
    print(
        f"  Pipeline kèm chữ ký (tham khảo):     {med['full']:>9,.0f} văn bản/giây/lõi"
        f"  = {med['r_full']:.3f} × cơ sở"
    )
    print(f"  Ngưỡng của issue: 20.000/giây khi cơ sở 145.000/giây = {BAR:.3f} × cơ sở")
    print(f"  Các vòng, tỷ lệ theo lô:      {', '.join(f'{r:.3f}' for r in rows['r_nosig'])}")
    print(f"  Các vòng, tỷ lệ từng ý kiến:  {', '.join(f'{r:.3f}' for r in rows['r_single'])}")
    print(f"  Các vòng, tỷ lệ kèm chữ ký:   {', '.join(f'{r:.3f}' for r in rows['r_full'])}")
    try:
        from pyvi import ViTokenizer

        sample = texts[:2000]
        pyvi_rate = _rate(lambda: [ViTokenizer.tokenize(t) for t in sample], len(sample))
        print(f"  Cơ sở: pyvi ViTokenizer:             {pyvi_rate:>9,.0f} văn bản/giây/lõi")
    except ImportError:
        print("  Cơ sở: pyvi chưa cài (pip install pyvi) — bỏ qua")

    _stages(texts, suggester)
    _single(suggester, train_rows, test_rows)
    print(f"Tải máy lúc kết thúc: {_load()}")


def _stages(texts, suggester) -> None:
    """Time of each stage per text (µs), for finding the slow one."""
    import numpy as np

    from textengine import pipeline as p
    from textengine.mask import mask
    from textengine.normalize import normalize
    from textengine.signature import signatures

    comp = p._compiled(suggester)
    sample = texts[:9000]
    timings = {}

    def stage(name, fn):
        start = time.perf_counter()
        out = fn()
        timings[name] = (time.perf_counter() - start) / len(sample) * 1e6
        return out

    masked, folded, ids, flags = stage(
        "chuẩn hóa + che + gấp (cả lô)", lambda: p._front(comp, sample)
    )
    stage("  riêng normalize()", lambda: [normalize(t) for t in sample])
    stage("  riêng mask()", lambda: [mask(m.text) for m in masked])
    is_sep = ids == p._SEP
    row = np.cumsum(is_sep) - is_sep
    stage("từ điển gợi ý (2 loại)", lambda: [
        comp.tries[k].match(np.where(flags & (1 << i), 0, ids), row) for i, k in enumerate(p.KINDS)
    ])
    stage("cả pipeline không chữ ký", lambda: p.analyse_batch(sample, suggester, signature_fn=None))
    stage("chữ ký (textengine.signature)", lambda: signatures(folded))
    print("Từng bước (µs/văn bản):")
    for name, us in timings.items():
        print(f"  {name:<34} {us:7.2f}")


def _single(suggester, train_rows, test_rows) -> None:
    samples = [r["text"] for r in test_rows[:300]]
    for t in samples:
        suggester.suggest(t)
    lat = []
    for t in samples * 3:
        start = time.perf_counter()
        suggester.suggest(t)
        lat.append(time.perf_counter() - start)
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    skl = make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), LinearSVC())
    skl.fit([r["text"] for r in train_rows], [r["topic"] for r in train_rows])
    base = []
    for t in samples:
        start = time.perf_counter()
        skl.predict([t])
        base.append(time.perf_counter() - start)

    def pct(xs, q):
        xs = sorted(xs)
        return xs[min(len(xs) - 1, int(len(xs) * q))] * 1000

    print(
        f"Gợi ý 1 văn bản (chủ đề + thái độ): p50 {pct(lat, 0.5):.3f} ms, "
        f"p95 {pct(lat, 0.95):.3f} ms"
    )
    print(
        f"Cơ sở: scikit-learn predict 1 văn bản (chỉ chủ đề): p50 {pct(base, 0.5):.3f} ms, "
        f"p95 {pct(base, 0.95):.3f} ms"
    )


if __name__ == "__main__":
    main()
