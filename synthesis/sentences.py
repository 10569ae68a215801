"""Vietnamese sentences: split a unit's text into whole sentences, and choose whole sentences to fit
a length (no Django import).

A report quotes the units' own words; a sentence cut in the middle ("Tuy nhiên, một…") reads as a
mistake and can invert what the unit meant. So nothing here ever cuts inside a sentence:

* ``split_sentences`` ends a sentence at ``.``, ``!``, ``?`` or an ellipsis (with any closing
  quotes or brackets after it) only when the next word starts like a sentence (a capital letter,
  a digit or an opening quote), and never after a title or place abbreviation ("TP. Hà Nội",
  "P. Tân Định", "Q. 1", "TS. Lan", "Nguyễn V. An"). A dot inside a token ("1.500", "v.v.",
  "25/11") is no end. A line break and a list item ("- ", "• ", "1. ", "a) ") always start a new
  sentence; list markers are left out of the sentence.
* ``fit_sentences`` keeps the most central sentences (nearest to what the text as a whole says:
  TF-IDF on the folded content words and their pairs, which needs no word segmenter) in their
  original order, as many as fit; if not even one fits, the most central one is kept whole.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from synthesis.vectors import matching_form
from textengine import fold

__all__ = ["split_sentences", "fit_sentences", "join_sentences", "word_count"]

# Abbreviations after which a dot never ends a sentence (folded, lower case, without the dot):
# titles, administrative levels and street words that a name or a number follows.
_NEVER_END = frozenset(
    """
    tp tx tt kp tdp kdc ng cn bs ts ths gs pgs ks ls ds dc d/c dr mr mrs ms st ct pct bt pbt
    tr sdt dt tel no vs
    """.split()
)
_ENDERS = ".!?…"
_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘«(["
# A list marker at the start of a line: "-", "–", "•", "+", "*", "1.", "1)", "a)", "IV." …
_BULLET_RE = re.compile(
    r"^\s*(?:[-–—•●▪◦+*]+|\(?\d{1,3}[.)](?!\d)|\(?[a-zđ][)]|[IVXLC]{1,6}[.)](?=\s))\s*"
)
_SPACE_RE = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_LINE_RE = re.compile(r"\r\n|[\r\n\u2028\u2029\x85]")
# A candidate end: enders, then closers, then whitespace. The token before is checked apart.
_END_RE = re.compile(rf"[{_ENDERS}]+[{re.escape(_CLOSERS)}]*(?=\s)")


def word_count(text: str) -> int:
    return len(text.split())


def _starts_sentence(rest: str) -> bool:
    """Whether the text after a candidate end starts like a sentence."""
    rest = rest.lstrip()
    while rest and rest[0] in _OPENERS:
        rest = rest[1:]
    return bool(rest) and (rest[0].isupper() or rest[0].isdigit())


def _last_token(line: str, end: int) -> str:
    start = line.rfind(" ", 0, end) + 1
    return line[start:end]


def _is_abbreviation(token: str) -> bool:
    """A title or place abbreviation ("TP", "Q", "TS", a single letter as an initial)."""
    core = fold(token.lstrip(_OPENERS))
    return core in _NEVER_END or (len(core) == 1 and core.isalpha())


def _strip_markers(sentence: str) -> str:
    """``sentence`` without the list markers it opens with ("- ", "1. ", "a) ", even "- 1. ")."""
    while True:
        stripped = _BULLET_RE.sub("", sentence, count=1).strip()
        if stripped == sentence:
            return sentence
        sentence = stripped


def _split_line(line: str) -> list[str]:
    out: list[str] = []
    start = 0
    for match in _END_RE.finditer(line):
        ender_at = match.start()
        token = _last_token(line, ender_at)
        only_dot = line[ender_at:match.end()].rstrip(_CLOSERS) == "."
        if only_dot and _is_abbreviation(token):
            continue
        if not _starts_sentence(line[match.end():]):
            continue
        piece = _strip_markers(line[start:match.end()].strip())
        if piece:
            out.append(piece)
        start = match.end()
    tail = _strip_markers(line[start:].strip())
    if tail:
        out.append(tail)
    return out


def split_sentences(text: str | None) -> list[str]:
    """Whole sentences of ``text`` in order, inner spaces collapsed, list markers left out."""
    if not text:
        return []
    sentences: list[str] = []
    for raw_line in _LINE_RE.split(str(text)):
        line = _strip_markers(_SPACE_RE.sub(" ", raw_line).strip())
        if line:
            sentences.extend(_split_line(line))
    return sentences


def join_sentences(sentences: list[str]) -> str:
    """Sentences as one paragraph: a space between two, or a line break where a space would let
    them read as one sentence (the first ends without a full stop, or with an abbreviation)."""
    if not sentences:
        return ""
    parts = [sentences[0]]
    for previous, sentence in zip(sentences, sentences[1:], strict=False):
        joined = previous + " " + sentence
        parts.append(" " if split_sentences(joined) == [previous, sentence] else "\n")
        parts.append(sentence)
    return "".join(parts)


def centrality(sentences: list[str]) -> list[float]:
    """Mean cosine of each sentence to all of them (itself included: the same for all), on
    TF-IDF of the folded content words and their pairs. A few sentences of one text need no
    sparse matrices: plain dictionaries are ten times faster here."""
    n = len(sentences)
    if n < 2:
        return [1.0] * n
    bags = [Counter(matching_form(s).split()) for s in sentences]
    for bag in bags:
        words = list(bag)
        bag.update(map("{} {}".format, words, words[1:]))
    seen = Counter(word for bag in bags for word in bag)
    vectors = []
    for bag in bags:
        vector = {w: (1 + math.log(c)) * math.log((1 + n) / (1 + seen[w])) + 1
                  for w, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({w: v / norm for w, v in vector.items()})
    total: Counter = Counter()
    for vector in vectors:
        total.update(vector)
    return [sum(v * total[w] for w, v in vector.items()) / n for vector in vectors]


def fit_sentences(text: str | None, max_words: int) -> str:
    """The most central whole sentences of ``text`` that fit in ``max_words`` words, in their
    original order; the single most central sentence, whole, when none fits."""
    sentences = split_sentences(text)
    if not sentences:
        return ""
    if sum(map(word_count, sentences)) <= max_words:
        return join_sentences(sentences)
    scores = centrality(sentences)
    # Most central first; among equals the earlier one (deterministic).
    order = sorted(range(len(sentences)), key=lambda i: (-round(scores[i], 9), i))
    chosen: list[int] = []
    used = 0
    for i in order:
        words = word_count(sentences[i])
        if used + words <= max_words:
            chosen.append(i)
            used += words
    if not chosen:
        chosen = [order[0]]
    return join_sentences([sentences[i] for i in sorted(chosen)])
