"""Restoring Vietnamese diacritics to text typed without them (no Django import).

"Tai buoi sinh hoat to dan pho" → "Tại buổi sinh hoạt tổ dân phố". Every unaccented syllable
has a few accented forms ("to": tổ, tố, tờ, tơ, tô, to, tỏ…); which one was meant is read from
its neighbours with a syllable trigram model (interpolated Witten–Bell, backing off to bigrams
and unigrams) and the Viterbi path over the forms of each syllable. Syllables already written
with marks are kept as written and serve as context; unknown syllables are kept as typed; case
and punctuation are kept.

The counts are learnt from accented Vietnamese text that ships with the project (the labelled
corpus, the lexicons, the demo ward's opinions, the interface's own sentences: see
:func:`training_texts`) and saved as ``lexicon/diacritics.json.gz`` by
``python -m textengine.diacritics build``; nothing is downloaded. ``bench/bench_diacritics.py``
measures syllable accuracy on held-out text against the most-frequent-form baseline.
"""

from __future__ import annotations

import ast
import gzip
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from textengine.normalize import normalize, strip_diacritics

__all__ = [
    "DATA_PATH",
    "Restorer",
    "accented_share",
    "default",
    "is_accented",
    "restore",
    "training_texts",
]

DATA_PATH = Path(__file__).resolve().parent / "lexicon" / "diacritics.json.gz"
_WORD = re.compile(r"[^\W\d_]+")
_PIECE = re.compile(r"[^\W\d_]+|[^\w\s]|\d+|\s+|_")
_START = "<s>"
_MAX_FORMS = 8  # forms of one syllable tried by the Viterbi search, most frequent first
_MIN_ACCENTED = 0.35  # share of marked syllables from which a text counts as written with marks
_UNIGRAM_ADD = 0.1


def _plain(word: str) -> str:
    return strip_diacritics(word).lower()


def accented_share(text: str | None) -> float:
    """Share of the Vietnamese-looking syllables of ``text`` that carry a mark (or đ)."""
    words = [w for w in _WORD.findall(text or "") if len(w) > 1 or not w.isascii()]
    if not words:
        return 0.0
    return sum(1 for w in words if not w.isascii()) / len(words)


def is_accented(text: str | None, threshold: float = _MIN_ACCENTED) -> bool:
    """True when ``text`` reads as written with diacritics. About two Vietnamese syllables in
    three carry a mark; a text typed without them has none, so a third separates the two."""
    return accented_share(text) >= threshold


class Restorer:
    """Syllable trigram model over accented forms; see the module docstring."""

    def __init__(self, unigrams: Counter, bigrams: Counter, trigrams: Counter):
        self.unigrams = unigrams
        self.bigrams = bigrams
        self.trigrams = trigrams
        self.total = sum(unigrams.values())
        self.vocab = len(unigrams) + 1
        forms: dict[str, Counter] = {}
        for word, count in unigrams.items():
            if word != _START:
                forms.setdefault(_plain(word), Counter())[word] += count
        self.forms = {k: [w for w, _c in c.most_common(_MAX_FORMS)] for k, c in forms.items()}
        self._history1 = _histories(bigrams, 1)
        self._history2 = _histories(trigrams, 2)

    # ------------------------------------------------------------------ learning
    @classmethod
    def train(cls, texts: Iterable[str], min_count: int = 1) -> Restorer:
        unigrams: Counter = Counter()
        bigrams: Counter = Counter()
        trigrams: Counter = Counter()
        for text in texts:
            for run in _runs(normalize(text)):
                words = [_START, _START, *(w.lower() for w in run)]
                unigrams.update(words[2:])
                unigrams[_START] += 1
                bigrams.update(zip(words[1:], words[2:], strict=False))
                trigrams.update(zip(words, words[1:], words[2:], strict=False))
        if min_count > 1:
            bigrams = Counter({k: c for k, c in bigrams.items() if c >= min_count})
            trigrams = Counter({k: c for k, c in trigrams.items() if c >= min_count})
        return cls(unigrams, bigrams, trigrams)

    def most_frequent(self, text: str) -> str:
        """The baseline: every unaccented syllable takes its most frequent accented form."""
        return _rebuild(text, lambda run: [self._forms(w)[0] for w in run])

    def dumps(self) -> bytes:
        data = {
            "format": 1,
            "unigrams": self.unigrams,
            "bigrams": [[*k, c] for k, c in sorted(self.bigrams.items())],
            "trigrams": [[*k, c] for k, c in sorted(self.trigrams.items())],
        }
        raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return gzip.compress(raw.encode("utf-8"), mtime=0)

    @classmethod
    def loads(cls, blob: bytes) -> Restorer:
        data = json.loads(gzip.decompress(blob).decode("utf-8"))
        return cls(
            Counter(data["unigrams"]),
            Counter({(a, b): c for a, b, c in data["bigrams"]}),
            Counter({(a, b, d): c for a, b, d, c in data["trigrams"]}),
        )

    # ------------------------------------------------------------------ restoring
    def restore(self, text: str | None) -> str:
        """``text`` with the diacritics of its unaccented syllables restored."""
        return _rebuild(text or "", self._best_path)

    def _forms(self, word: str) -> list[str]:
        lower = word.lower()
        if not lower.isascii():
            return [lower]  # written with marks: kept, and a sure context for its neighbours
        return self.forms.get(lower) or [lower]

    def _p1(self, w: str) -> float:
        return (self.unigrams.get(w, 0) + _UNIGRAM_ADD) / (self.total + _UNIGRAM_ADD * self.vocab)

    def _p2(self, a: str, w: str) -> float:
        seen, kinds = self._history1.get((a,), (0, 0))
        lower = self._p1(w)
        if not seen:
            return lower
        return (self.bigrams.get((a, w), 0) + kinds * lower) / (seen + kinds)

    def _p3(self, a: str, b: str, w: str) -> float:
        seen, kinds = self._history2.get((a, b), (0, 0))
        lower = self._p2(b, w)
        if not seen:
            return lower
        return (self.trigrams.get((a, b, w), 0) + kinds * lower) / (seen + kinds)

    def _best_path(self, run: list[str]) -> list[str]:
        """Viterbi over (previous, current) form pairs: the likeliest forms of the run."""
        # best[(a, b)] = (log probability, path) of the best path ending with forms a, b.
        best: dict[tuple[str, str], tuple[float, list[str]]] = {(_START, _START): (0.0, [])}
        for word in run:
            step: dict[tuple[str, str], tuple[float, list[str]]] = {}
            for form in self._forms(word):
                for (a, b), (score, path) in best.items():
                    value = score + math.log(self._p3(a, b, form))
                    if (b, form) not in step or value > step[(b, form)][0]:
                        step[(b, form)] = (value, path)
            best = {k: (v, [*p, k[1]]) for k, (v, p) in step.items()}
        return max(best.values(), key=lambda vp: vp[0])[1]


def _histories(grams: Counter, size: int) -> dict[tuple, tuple[int, int]]:
    """History → (times seen, distinct words after it): the Witten–Bell weights."""
    out: dict[tuple, list[int]] = {}
    for key, count in grams.items():
        entry = out.setdefault(key[:size], [0, 0])
        entry[0] += count
        entry[1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def _runs(text: str) -> Iterator[list[str]]:
    """Runs of words between punctuation and numbers: the contexts a model reads across."""
    run: list[str] = []
    for piece in _PIECE.findall(text):
        if piece.isspace():
            continue
        if _WORD.fullmatch(piece):
            run.append(piece)
        elif run:
            yield run
            run = []
    if run:
        yield run


def _cased(form: str, typed: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return form.upper()
    if typed[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


def _rebuild(text: str, choose) -> str:
    """``text`` with each run of words replaced by ``choose(run)``, cased as typed."""
    pieces = _PIECE.findall(text)
    out = list(pieces)
    run: list[int] = []

    def flush() -> None:
        if run:
            forms = choose([pieces[i] for i in run])
            for i, form in zip(run, forms, strict=True):
                out[i] = _cased(form, pieces[i])
            run.clear()

    for i, piece in enumerate(pieces):
        if piece.isspace():
            continue
        if _WORD.fullmatch(piece):
            run.append(i)
        else:
            flush()
    flush()
    return "".join(out)


@lru_cache(maxsize=1)
def default() -> Restorer | None:
    """The shipped model, or None when its data file is missing (text is then left as is)."""
    try:
        return Restorer.loads(DATA_PATH.read_bytes())
    except FileNotFoundError:
        return None


def restore(text: str | None) -> str:
    """``text`` with diacritics restored by the shipped model (unchanged without one)."""
    model = default()
    return model.restore(text) if model is not None else (text or "")


# ---------------------------------------------------------------------------------------------
# The training text: accented Vietnamese the repository already holds.

_SKIP_DIRS = {".git", ".venv", "node_modules", "var", "static", "migrations", "__pycache__"}
_SEGMENT_SPLIT = re.compile(r"[\n\"“”]|(?<=[.!?])\s")


def _segments(text: str) -> Iterator[str]:
    for segment in _SEGMENT_SPLIT.split(text):
        segment = segment.strip()
        if len(_WORD.findall(segment)) >= 2 and is_accented(segment, 0.5):
            yield segment


def _python_strings(path: Path) -> Iterator[str]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (SyntaxError, UnicodeDecodeError):
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def _file_texts(path: Path) -> Iterator[str]:
    if path.suffix == ".py":
        yield from _python_strings(path)
    elif path.suffix == ".jsonl":
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield str(json.loads(line).get("text", ""))
    elif path.suffix in {".txt", ".tsv", ".html", ".md"}:
        yield path.read_text(encoding="utf-8")


def training_texts(root: Path) -> Iterator[tuple[str, str]]:
    """(file, segment) for every accented segment of the repository under ``root``: string
    literals of the Python code (messages, the demo ward's opinions, test sentences), the
    templates, the lexicons, the labelled corpus and the docs. A segment counts when at least
    half its syllables carry a mark, so text typed without them never teaches a wrong form."""
    for path in sorted(root.rglob("*")):
        if not path.is_file() or _SKIP_DIRS.intersection(path.relative_to(root).parts):
            continue
        if path.suffix not in {".py", ".jsonl", ".txt", ".tsv", ".html", ".md"}:
            continue
        name = str(path.relative_to(root))
        for text in _file_texts(path):
            for segment in _segments(text):
                yield name, segment


def build(root: Path, out: Path = DATA_PATH) -> Restorer:
    model = Restorer.train((seg for _name, seg in training_texts(root)), min_count=1)
    out.write_bytes(model.dumps())
    return model


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] != ["build"]:
        print("Dùng: python -m textengine.diacritics build [thư mục gốc]", file=sys.stderr)
        return 2
    root = Path(args[1]) if len(args) > 1 else Path(__file__).resolve().parent.parent
    model = build(root)
    print(
        f"Đã ghi {DATA_PATH.name}: {len(model.unigrams)} âm tiết, {len(model.bigrams)} cặp, "
        f"{len(model.trigrams)} bộ ba."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
