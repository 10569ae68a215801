"""What a person typed into the search box, as folded terms, and safe index expressions for it.

No Django import. The box has a deliberately small syntax, because people type Vietnamese with and
without diacritics, paste text from chats and rarely mean an operator:

* words are Vietnamese syllables, folded (``Hoà``, ``Hòa`` and ``hoa`` are one word); every word
  must appear (AND), and items where the words stand together in the typed order rank higher;
* ``"…"`` is an exact phrase of syllables (an unclosed quote runs to the end);
* ``word*`` matches syllables starting with ``word`` (two letters at least);
* everything else (``-``, ``(``, ``)``, ``:``, ``^``, emoji, …) is only a separator: it is never
  passed through as an operator, so no input can raise a syntax error in the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from textengine.normalize import fold

__all__ = ["MAX_QUERY_CHARS", "MAX_TERMS", "ParsedQuery", "Term", "parse_query"]

MAX_QUERY_CHARS = 300  # a search box, not a document: longer input is cut
MAX_TERMS = 12  # each term is one more index lookup; more adds cost, not precision
MIN_PREFIX = 2  # "n*" would match a third of all syllables
_K1, _B, _TYPICAL_WORDS = 1.2, 0.75, 20  # BM25's usual constants; see ParsedQuery.relevance

# Letter-and-digit runs, the same split as the index tokenisers (unicode61 and PostgreSQL's
# parser both treat "_" and punctuation as separators).
_WORD_RE = re.compile(r"[^\W_]+")
_PIECE_RE = re.compile(r'"([^"]*)"?|([^\W_]+)(\*)?')
# Folded text is nearly all ASCII: its punctuation becomes spaces before counting words.
_SEPARATORS = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})


@dataclass(frozen=True)
class Term:
    """One or more folded syllables that must appear together; ``prefix``: the last is a prefix."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    def fts5(self) -> str:
        # Words are letter-and-digit runs, so double quotes make each a plain FTS5 string.
        quoted = '"' + " ".join(self.words) + '"'
        return quoted + "*" if self.prefix else quoted

    def tsquery(self) -> str:
        lexemes = [f"'{word}'" for word in self.words]
        if self.prefix:
            lexemes[-1] += ":*"
        return lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def words(self) -> frozenset[str]:
        """Whole folded words to highlight."""
        return frozenset(w for t in self.terms for w in (t.words[:-1] if t.prefix else t.words))

    @property
    def prefixes(self) -> tuple[str, ...]:
        return tuple(t.words[-1] for t in self.terms if t.prefix)

    def _loose_phrase(self) -> Term | None:
        # Several bare words ("hoa binh"): most often one Vietnamese word of several syllables,
        # so rows where they stand together are ranked first; the row set stays the AND of words.
        if len(self.terms) > 1 and not any(t.is_phrase or t.prefix for t in self.terms):
            return Term(tuple(t.words[0] for t in self.terms))
        return None

    def fts5(self, *, boost: bool = True) -> str:
        """An SQLite FTS5 MATCH expression; every word is a quoted string, never an operator.

        With ``boost`` the loose words' phrase is OR-ed in so that bm25() ranks it first; the
        rows matched are the same either way.
        """
        expr = " AND ".join(t.fts5() for t in self.terms)
        phrase = self._loose_phrase() if boost else None
        return f"{phrase.fts5()} OR ({expr})" if phrase else expr

    def scorer(self):
        """A function giving how well a folded text matches (higher is better).

        BM25's term-frequency part with a fixed typical length (a short item is about twenty
        syllables) and no inverse document frequency: every term is required anyway, so IDF
        would add the same amount to every candidate. Loose words standing together in the
        typed order add as much as one more full match. Built once per query: it ranks up to a
        thousand candidates, so the per-text work is a few C-level string operations.
        """
        needles = []
        for term in self.terms:
            head = " ".join(term.words)
            needles.append(f" {head}" if term.prefix else f" {head} ")
        phrase = self._loose_phrase()
        together = f" {' '.join(phrase.words)} " if phrase else None

        def score(folded_text: str) -> float:
            words = folded_text.translate(_SEPARATORS).split()
            if not words:
                return 0.0
            norm = _K1 * (1 - _B + _B * len(words) / _TYPICAL_WORDS)
            joined = f" {' '.join(words)} "
            total = 0.0
            for needle in needles:
                hits = joined.count(needle)
                total += hits * (_K1 + 1) / (hits + norm)
            if together and together in joined:
                total += _K1 + 1
            return total

        return score

    def tsquery(self) -> str:
        """A PostgreSQL ``to_tsquery('simple', …)`` expression for the rows to find."""
        return " & ".join(t.tsquery() for t in self.terms)

    def boost_tsquery(self) -> str | None:
        """For PostgreSQL, the phrase whose rows rank first (``ts_rank`` does not add it up)."""
        boost = self._loose_phrase()
        return boost.tsquery() if boost else None

    def describe(self) -> str:
        """The query as understood, for the page ("hoa binh", "rac*")."""
        return " ".join(
            ('"' + " ".join(t.words) + '"' if t.is_phrase else t.words[0])
            + ("*" if t.prefix else "")
            for t in self.terms
        )


def parse_query(raw: str | None) -> ParsedQuery:
    """Fold ``raw`` and split it into terms (see the module docstring). Never raises."""
    if not raw or not isinstance(raw, str):
        return ParsedQuery(())
    folded = fold(raw[:MAX_QUERY_CHARS])
    terms: list[Term] = []
    for match in _PIECE_RE.finditer(folded):
        phrase, word, star = match.groups()
        if phrase is not None:
            words = tuple(_WORD_RE.findall(phrase))
            term = Term(words) if words else None
        else:
            term = Term((word,), prefix=bool(star) and len(word) >= MIN_PREFIX)
        if term and term not in terms:
            terms.append(term)
        if len(terms) >= MAX_TERMS:
            break
    return ParsedQuery(tuple(terms))
