"""Representative quotations: whole sentences in the units' own words (no Django import).

For a merged statement, every sentence of every member is a candidate. A candidate scores by its
cosine to what the members say together (the mean of their sentence vectors, a sentence
said by several units counted as often), so the quotation is
typical rather than odd; sentences too short to say anything (under ``MIN_WORDS``) or too long to
quote (over ``MAX_WORDS``) are used only when nothing else is there. The second quotation comes
from another unit and must not repeat the first (cosine below ``REPEAT``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from synthesis.merge import Merged
from synthesis.sentences import split_sentences, word_count
from synthesis.vectors import tfidf_rows

__all__ = ["Quote", "quote_candidates"]

MIN_WORDS = 6
MAX_WORDS = 45
REPEAT = 0.6


@dataclass(frozen=True)
class Quote:
    text: str
    unit: Any
    source: Any


def _candidates(merged: Merged) -> tuple[list[Quote], np.ndarray]:
    """Distinct sentences of the members (first teller kept) and how often each was said."""
    seen: dict[str, int] = {}
    out: list[Quote] = []
    said: list[int] = []
    for member in merged.members:
        for sentence in split_sentences(member.text):
            at = seen.get(sentence)
            if at is None:
                seen[sentence] = len(out)
                out.append(Quote(sentence, member.unit, member.source))
                said.append(1)
            else:
                said[at] += 1
    return out, np.asarray(said, dtype=np.float64)


def quote_candidates(merged: Merged, k: int = 2) -> list[Quote]:
    """Up to ``k`` whole sentences from the members' texts, most typical first, from distinct
    units where there are several, never two saying the same."""
    candidates, said = _candidates(merged)
    if not candidates or k <= 0:
        return []
    rows = tfidf_rows([q.text for q in candidates], content=True)
    centre = np.asarray(rows.T @ said).ravel() / said.sum()
    scores = np.asarray(rows @ centre).ravel()
    sizes = [word_count(q.text) for q in candidates]
    quotable = [MIN_WORDS <= n <= MAX_WORDS for n in sizes]
    order = sorted(
        range(len(candidates)),
        key=lambda i: (not quotable[i], -round(float(scores[i]), 9), i),
    )
    chosen: list[int] = []
    for pass_units in (True, False):
        for i in order:
            if len(chosen) >= k:
                break
            if i in chosen:
                continue
            if pass_units and any(candidates[c].unit == candidates[i].unit for c in chosen):
                continue
            if any(float((rows[i] @ rows[c].T).sum()) >= REPEAT for c in chosen):
                continue
            chosen.append(i)
    return [candidates[i] for i in chosen]
