"""Features for matching and learning, computed on the FOLDED text (no Django import).

Folding first means a text typed without diacritics yields the same features as the same text typed
with them, which is what keeps suggestion quality when residents write "ngap ung qua" instead of
"ngập úng quá". Teen-code and abbreviations ("ko", "dc", "j", "bhyt") are expanded from the editable
``lexicon/teencode.tsv``; elongated letters ("quaaaa") are shortened.

Tokens are taken word by word (a word: a run between spaces), everywhere: training, a single
suggestion and the batch pipeline see the same tokens, and a word's tokens are computed once and
cached (a ward's vocabulary is small).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain
from pathlib import Path

from textengine.normalize import _NEEDS_ATTACH_RE, fold_normalized, normalize

__all__ = [
    "tokens",
    "tokens_folded",
    "word_tokens",
    "features",
    "features_folded",
    "fold_and_tokens",
    "teencode_map",
]

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"
_TOKEN_RE = re.compile(r"[^\W_]+|⟨[^⟩]{1,12}⟩")
_ELONGATED_RE = re.compile(r"([a-z])\1{2,}")
_LAUGH_RE = re.compile(r"^(?:k{3,}|(?:ha){2,}h?|(?:hi){2,}|(?:he){2,}|(?:hu){2,}|=+\)+)$")
_CACHE_MAX = 200_000


@lru_cache(maxsize=1)
def teencode_map() -> dict[str, tuple[str, ...]]:
    mapping: dict[str, tuple[str, ...]] = {}
    path = LEXICON_DIR / "teencode.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        key, value = line.split("\t", 1)
        mapping[fold_normalized(normalize(key))] = tuple(value.split())
    return mapping


def _map_token(raw: str) -> tuple[str, ...]:
    token = raw
    if len(token) > 2 and _LAUGH_RE.match(token):
        return ("haha",)
    if len(token) > 2:
        token = _ELONGATED_RE.sub(r"\1", token)
    return teencode_map().get(token, (token,))


_WORD_CACHE: dict[str, tuple[str, ...]] = {}


def word_tokens(folded_word: str) -> tuple[str, ...]:
    """Tokens of one folded word (no spaces inside), teen-code expanded; cached."""
    out = _WORD_CACHE.get(folded_word)
    if out is None:
        out = tuple(chain.from_iterable(map(_map_token, _TOKEN_RE.findall(folded_word))))
        if len(_WORD_CACHE) >= _CACHE_MAX:
            _WORD_CACHE.clear()
        _WORD_CACHE[folded_word] = out
    return out


def tokens_folded(folded: str) -> list[str]:
    """Syllable tokens of an already folded text, teen-code expanded."""
    get = _WORD_CACHE.get
    return list(chain.from_iterable([get(w) or word_tokens(w) for w in folded.split()]))


_PAIR_CACHE: dict[str, tuple[str, tuple[str, ...]]] = {}


def _pair(word: str) -> tuple[str, tuple[str, ...]]:
    folded = fold_normalized(word)
    pair = (folded, tuple(tokens_folded(folded)))
    if len(_PAIR_CACHE) >= _CACHE_MAX:
        _PAIR_CACHE.clear()
    _PAIR_CACHE[word] = pair
    return pair


def fold_and_tokens(normalized: str) -> tuple[str, list[str]]:
    """``(fold_normalized(normalized), tokens_folded(...))`` in one pass over the words, each word's
    fold and tokens cached."""
    get = _PAIR_CACHE.get
    pairs = [get(w) or _pair(w) for w in normalized.split()]
    folded = [f for f, _ in pairs]
    text = " ".join(folded)
    if not all(folded) or _NEEDS_ATTACH_RE.search(text):
        # A word folded to nothing, or punctuation from another line: glue as fold_normalized does.
        text = fold_normalized(normalized)
    return text, list(chain.from_iterable([t for _, t in pairs]))


def tokens(text: str) -> list[str]:
    """Folded, teen-code expanded syllables of raw ``text``."""
    return tokens_folded(fold_normalized(normalize(text)))


def bigrams(toks: list[str]) -> list[str]:
    return list(map(" ".join, zip(toks, toks[1:], strict=False)))


def features_folded(folded: str) -> list[str]:
    """Syllable unigrams and bigrams ("ngap", "ngap ung") of a folded text."""
    toks = tokens_folded(folded)
    return toks + bigrams(toks)


def features(text: str) -> list[str]:
    return features_folded(fold_normalized(normalize(text)))
