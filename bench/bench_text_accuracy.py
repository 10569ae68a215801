"""Topic and attitude quality: ours against a TF-IDF + LinearSVC baseline, trained in the same run.

    .venv/bin/python bench/bench_text_accuracy.py [--json]
        [--extra FILE.jsonl --extra-label-field FIELD [--extra-test FILE.jsonl]]

Sets measured (macro-F1 and accuracy, every text as written and the same texts with every
diacritic removed):

* ``corpus``: the project's corpus (``textengine/corpus``): trained on the 2,600 training texts,
  measured on the 900 test texts, whose matters and frames no training text uses; topic and
  attitude;
* ``demo``: the demo ward's opinions (``longdan/demo/opinion_data.py``, written apart from the
  corpus), topic only (a matter has one topic but several attitudes), measured with the topic
  models trained on the corpus;
* ``extra`` (optional): any labelled JSONL file (``text`` and a label field), e.g. a public corpus
  downloaded into a cache folder. With ``--extra-test`` it trains on ``--extra`` and measures on
  the test file; without it, a stratified 5-fold cross-validation (every text predicted by models
  that did not see it).

"ours" is what ``longdan text train`` saves and ``longdan text eval`` measures
(``textengine.model.train`` / ``LinearModel.predict_batch``), which is what the app suggests when
it files an item (``textengine.pipeline.analyse_batch``: the model's probabilities blended with
the lexicon's vote); "ours, model alone" leaves the lexicon's vote out. The baseline is
scikit-learn's ``TfidfVectorizer`` (syllable 1–2 grams, sublinear tf) + ``LinearSVC`` trained on
the same texts as written. Nothing is tuned on a test file: it is read for the measurement only.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, git_revision, machine  # noqa: E402

from textengine.lexicon import TOPICS  # noqa: E402
from textengine.model import LinearModel, accuracy, macro_f1, train  # noqa: E402
from textengine.normalize import strip_diacritics  # noqa: E402

CORPUS = ROOT / "textengine" / "corpus"


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _demo_rows() -> list[dict]:
    """Each matter's sentences and topic, read from the source (importing it needs Django)."""
    import ast

    code = {name: c for c, name in TOPICS.items()}
    tree = ast.parse((ROOT / "longdan" / "demo" / "opinion_data.py").read_text(encoding="utf-8"))
    rows = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Dict):
            continue
        fields = {k.value: v for k, v in zip(node.keys, node.values, strict=True)
                  if isinstance(k, ast.Constant)}
        if isinstance(fields.get("topic"), ast.Constant) and isinstance(fields.get("texts"),
                                                                         ast.List):
            topic = code[fields["topic"].value]
            rows += [{"text": t.value, "topic": topic} for t in fields["texts"].elts]
    return rows


def _baseline(texts: Sequence[str], labels: Sequence[str]):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vec = TfidfVectorizer(ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", sublinear_tf=True)
    clf = LinearSVC().fit(vec.fit_transform(texts), list(labels))
    return lambda batch: [str(p) for p in clf.predict(vec.transform(batch))]


def _ours(texts, labels, folder: Path, field: str, groups=None) -> LinearModel:
    return train(texts, labels, folder, label_field=field, groups=groups, folds=3)


def _alone(model: LinearModel, batch: list[str]) -> list[str]:
    try:
        return [p for p, _ in model.predict_batch(batch, lexicon=False)]
    except TypeError:  # a tree before issue 9: predict_batch was the model alone
        return [p for p, _ in model.predict_batch(batch)]


def _scores(predict, texts, truth) -> dict:
    out = {}
    for form, batch in (("accented", texts), ("stripped", [strip_diacritics(t) for t in texts])):
        pred = predict(batch)
        out[form] = {"macro_f1": round(macro_f1(truth, pred), 4),
                     "accuracy": round(accuracy(truth, pred), 4)}
    return out


def measure_corpus(tmp: Path) -> tuple[list[dict], dict[str, LinearModel]]:
    train_rows, test_rows = _rows(CORPUS / "train.jsonl"), _rows(CORPUS / "test.jsonl")
    results, models = [], {}
    for field, group in (("topic", "matter"), ("attitude", "frame")):
        texts, labels = [r["text"] for r in train_rows], [r[field] for r in train_rows]
        models[field] = _ours(texts, labels, tmp / field, field, [r[group] for r in train_rows])
        baseline = _baseline(texts, labels)
        truth, test = [r[field] for r in test_rows], [r["text"] for r in test_rows]
        for who, predict in (
            ("ours", lambda b, m=models[field]: [p for p, _ in m.predict_batch(b)]),
            ("ours, model alone", lambda b, m=models[field]: _alone(m, b)),
            ("baseline", baseline),
        ):
            results.append({"set": "corpus", "field": field, "who": who, "n": len(test),
                             **_scores(predict, test, truth)})
    demo = _demo_rows()
    texts, truth = [r["text"] for r in demo], [r["topic"] for r in demo]
    corpus_baseline = _baseline([r["text"] for r in train_rows], [r["topic"] for r in train_rows])
    for who, predict in (
        ("ours", lambda b: [p for p, _ in models["topic"].predict_batch(b)]),
        ("ours, model alone", lambda b: _alone(models["topic"], b)),
        ("baseline", corpus_baseline),
    ):
        results.append({"set": "demo", "field": "topic", "who": who, "n": len(texts),
                        **_scores(predict, texts, truth)})
    return results, models


def measure_extra(path: Path, field: str, test_path: Path | None, tmp: Path) -> list[dict]:
    rows = [r for r in _rows(path) if isinstance(r.get("text"), str) and r.get(field) is not None]
    if test_path is not None:
        splits = [(rows, [r for r in _rows(test_path) if r.get(field) is not None])]
    else:
        order = list(range(len(rows)))
        random.Random(0).shuffle(order)
        folds = [order[k::5] for k in range(5)]
        splits = [([rows[i] for f in folds if f is not held for i in f], [rows[i] for i in held])
                  for held in folds]
    truth_all: list[str] = []
    preds: dict[tuple[str, str], list[str]] = {}
    for k, (train_rows, test_rows) in enumerate(splits):
        texts, labels = [r["text"] for r in train_rows], [str(r[field]) for r in train_rows]
        model = _ours(texts, labels, tmp / f"extra{k}", field)
        baseline = _baseline(texts, labels)
        test = [r["text"] for r in test_rows]
        truth_all += [str(r[field]) for r in test_rows]
        for who, predict in (("ours", lambda b, m=model: [p for p, _ in m.predict_batch(b)]),
                             ("baseline", baseline)):
            for form, batch in (("accented", test), ("stripped", map(strip_diacritics, test))):
                preds.setdefault((who, form), []).extend(predict(list(batch)))
    return [
        {"set": path.name, "field": field, "who": who, "n": len(truth_all), **{
            form: {"macro_f1": round(macro_f1(truth_all, preds[(who, form)]), 4),
                   "accuracy": round(accuracy(truth_all, preds[(who, form)]), 4)}
            for form in ("accented", "stripped")}}
        for who in ("ours", "baseline")
    ]


def _table(results: list[dict]) -> str:
    lines = ["| set | field | who | n | macro-F1 with diacritics | without | loss (points) |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        a, s = r["accented"]["macro_f1"], r["stripped"]["macro_f1"]
        lines.append(f"| {r['set']} | {r['field']} | {r['who']} | {r['n']} | {a:.3f} | {s:.3f} "
                     f"| {100 * (a - s):.1f} |")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--extra", type=Path, default=None)
    parser.add_argument("--extra-label-field", default="label")
    parser.add_argument("--extra-test", type=Path, default=None)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="longdan-bench-textacc-") as tmp:
        results, _models = measure_corpus(Path(tmp))
        if args.extra:
            results += measure_extra(args.extra, args.extra_label_field, args.extra_test,
                                     Path(tmp))
    header = {"machine": machine(), "revision": git_revision(),
              "date": datetime.now(UTC).isoformat(timespec="minutes"),
              "seconds": round(time.perf_counter() - started, 1)}
    if args.json:
        print(json.dumps({**header, "results": results}, ensure_ascii=False))
        return
    print(f"{header['machine']} · {header['revision']} · {header['date']} · "
          f"{header['seconds']} s")
    print(_table(results))


if __name__ == "__main__":
    main()
