"""Restoring diacritics (textengine.diacritics): syllable accuracy on held-out accented text.

Held-out sets, each a whole source the model never reads:

* ``demo``: the demo ward's opinions (``longdan/demo/opinion_data.py``), written apart from the
  labelled corpus;
* ``corpus-test``: the labelled corpus's test file (``textengine/corpus/test.jsonl``), whose
  matters and frames are templates the training file never uses.

For each, the model is trained on every other accented segment of the repository
(``training_texts``) minus any segment sharing a run of five syllables with a held-out text (the
corpus builder holds the test templates; tests quote demo sentences), so nothing held out is
learnt through a copy. The held-out texts are stripped of their marks and restored; a syllable
is right when it equals the original (case aside). Baseline in the same run, on the same
training text: every syllable takes its most frequent accented form (a unigram model).

Run: `.venv/bin/python bench/bench_diacritics.py [--runs 3] [--json]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import statistics
import sys
import time

from _setup import ROOT, git_revision, machine

from textengine.diacritics import Restorer, training_texts
from textengine.normalize import normalize, strip_diacritics

HELD_OUT = {
    "demo": "longdan/demo/opinion_data.py",
    "corpus-test": "textengine/corpus/test.jsonl",
}
_WORD = re.compile(r"[^\W\d_]+")
_SHINGLE = 5


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = [strip_diacritics(w).lower() for w in _WORD.findall(text)]
    return {tuple(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}


def split(segments: list[tuple[str, str]], held: str) -> tuple[list[str], list[str]]:
    test = list(dict.fromkeys(normalize(s) for name, s in segments if name == held))
    seen: set[tuple[str, ...]] = set()
    for text in test:
        seen |= _shingles(text)
    train = [s for name, s in segments if name != held and not (_shingles(s) & seen)]
    return train, test


def score(model: Restorer, texts: list[str], how: str) -> dict:
    right = total = ambiguous = ambiguous_right = 0
    start = time.perf_counter()
    for text in texts:
        plain = strip_diacritics(text)
        guess = model.restore(plain) if how == "model" else model.most_frequent(plain)
        truth_words, guess_words = _WORD.findall(text), _WORD.findall(guess)
        assert len(truth_words) == len(guess_words), (text, guess)
        for truth, got, typed in zip(truth_words, guess_words, _WORD.findall(plain), strict=True):
            ok = truth.lower() == got.lower()
            total += 1
            right += ok
            if len(model.forms.get(typed.lower(), ())) > 1:
                ambiguous += 1
                ambiguous_right += ok
    seconds = time.perf_counter() - start
    return {
        "syllables": total,
        "accuracy": right / total,
        "ambiguous_syllables": ambiguous,
        "accuracy_on_ambiguous": ambiguous_right / ambiguous if ambiguous else 1.0,
        "seconds": seconds,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs timed (median)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    segments = list(training_texts(ROOT))
    result = {
        "machine": machine(),
        "revision": git_revision(),
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "segments": len(segments),
        "sets": {},
    }
    for name, held in HELD_OUT.items():
        train, test = split(segments, held)
        model = Restorer.train(train)
        runs = [score(model, test, "model") for _ in range(max(1, args.runs))]
        ours = dict(runs[0], seconds=statistics.median(r["seconds"] for r in runs))
        base = score(model, test, "baseline")
        result["sets"][name] = {
            "held_out": held,
            "training_segments": len(train),
            "test_texts": len(test),
            "trigram_model": {k: round(v, 4) for k, v in ours.items()},
            "most_frequent_form": {k: round(v, 4) for k, v in base.items()},
        }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(result["machine"], "·", result["revision"], "·", result["date"])
    for name, r in result["sets"].items():
        ours, base = r["trigram_model"], r["most_frequent_form"]
        print(
            f"{name}: {r['test_texts']} câu, {ours['syllables']} âm tiết "
            f"({ours['ambiguous_syllables']} có nhiều dạng); học trên {r['training_segments']}"
        )
        print(
            f"  trigram + Viterbi: {ours['accuracy']:.4f} "
            f"(nhiều dạng {ours['accuracy_on_ambiguous']:.4f}), "
            f"{ours['syllables'] / ours['seconds']:.0f} âm tiết/s"
        )
        print(
            f"  dạng thường gặp nhất: {base['accuracy']:.4f} "
            f"(nhiều dạng {base['accuracy_on_ambiguous']:.4f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
