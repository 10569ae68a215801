"""Statements merged across units: near-identical statements become one, with how many units said
it and who they are (no Django import).

How, for a list of statements (a unit's opinion stream, a recommendation, a sentence of a report):

1. **Blocks.** Only statements of the same block can merge: the same topic (``by_topic``), and for
   recommendations the same addressee. Blocking keeps different matters apart and the work small.
2. **Vectors.** Each distinct matching form (folded content words, ``vectors.matching_form``) is a
   row of ``vectors.vectorise`` (TF-IDF of syllables and of character n-grams), fitted once over
   all the statements; exact repeats (a unit
   copying last month's text, a template answer) are one row with a multiplicity.
3. **Pairs.** Within a block, every pair of rows with cosine ≥ ``threshold`` (a sparse product, by
   blocks of rows).
4. **Star clustering.** The row with the most statements around it (its own and its neighbours'
   multiplicities) becomes a centre and takes its still free neighbours; then the next. Every
   member is thus close to its centre, and a chain of small wording changes (A≈B≈C but A≉C) does
   not glue two matters together as connected components would. Deterministic: ties go to the
   statement given first.
5. **Representative.** Within a merged statement, the member text with the highest mean cosine
   to the other members (weighted by multiplicity): the wording most of them share. Its text is
   a member's own, whole.

Merged statements come ordered by the number of distinct units, then members, then weight, then
first appearance.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from synthesis.vectors import matching_form, similar_pairs, vectorise

__all__ = ["Statement", "Merged", "merge_statements", "DEFAULT_THRESHOLD"]

# Cosine (vectors.vectorise, content words) at which two statements say the same thing.
# Chosen on the constructed cases of synthesis/tests (paraphrases ≈ 0.5–0.9, different matters
# of the same topic ≈ 0.1–0.39).
DEFAULT_THRESHOLD = 0.45


@dataclass(frozen=True)
class Statement:
    """One thing a unit said. ``source`` says where it comes from (a report section, an item, a
    meeting: whatever the caller needs to link back); ``unit`` who said it."""

    text: str
    source: Hashable
    unit: Any
    group: str | None = None
    weight: float = 1
    addressee: str | None = None
    topic: str | None = None
    attitude: str | None = None


@dataclass(frozen=True)
class Merged:
    """Statements that say the same thing, with the words chosen to stand for all of them."""

    text: str
    count: int
    weight: float
    units: tuple[Any, ...]
    sources: tuple[Hashable, ...]
    topics: tuple[tuple[str, int], ...]
    attitudes: tuple[tuple[str, int], ...]
    groups: tuple[tuple[str, int], ...]
    members: tuple[Statement, ...] = field(repr=False)
    representative: Statement = field(repr=False)
    addressee: str | None = None
    label: str = ""

    @property
    def unit_count(self) -> int:
        return len(self.units)


def _mix(values: Iterable[str | None]) -> tuple[tuple[str, int], ...]:
    """(value, count) most frequent first, then alphabetical; ``None`` left out."""
    counts = Counter(v for v in values if v)
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _sorted_units(units: Iterable[Any]) -> tuple[Any, ...]:
    distinct = set(units)
    try:
        return tuple(sorted(distinct))
    except TypeError:  # units of mixed kinds: sorted by their text
        return tuple(sorted(distinct, key=str))


def _label(text: str, unit_count: int) -> str:
    from synthesis.sentences import fit_sentences

    short = fit_sentences(text, 40).replace("\n", " ").rstrip()
    if short.endswith(".") and not short.endswith(".."):
        short = short[:-1]
    return f"{short} — {unit_count} đơn vị"


class _Forms:
    """Distinct matching forms of the statements and their TF-IDF rows (fitted on all)."""

    def __init__(self, statements: Sequence[Statement]):
        self.form_of: list[int] = []
        index: dict[str, int] = {}
        forms: list[str] = []
        for statement in statements:
            form = matching_form(statement.text)
            at = index.get(form)
            if at is None:
                at = index[form] = len(forms)
                forms.append(form)
            self.form_of.append(at)
        self.rows = vectorise(forms)


def _star_clusters(
    forms: list[int], mult: np.ndarray, rows: sparse.csr_matrix, threshold: float
) -> list[list[int]]:
    """Clusters (lists of positions in ``forms``) by star clustering on the cosine graph."""
    n = len(forms)
    i, j, _s = similar_pairs(rows[forms], threshold)
    adjacency = sparse.coo_matrix(
        (np.ones(2 * len(i), dtype=np.int8), (np.r_[i, j], np.r_[j, i])), shape=(n, n)
    ).tocsr()
    around = mult + adjacency @ mult
    order = sorted(range(n), key=lambda k: (-around[k], k))
    cluster_of = np.full(n, -1)
    clusters: list[list[int]] = []
    for centre in order:
        if cluster_of[centre] >= 0:
            continue
        members = [centre]
        cluster_of[centre] = len(clusters)
        for other in adjacency.indices[adjacency.indptr[centre]:adjacency.indptr[centre + 1]]:
            if cluster_of[other] < 0:
                cluster_of[other] = len(clusters)
                members.append(int(other))
        clusters.append(sorted(members))
    return clusters


def _representative(form_rows: sparse.csr_matrix, mult: np.ndarray) -> int:
    """Position of the form with the highest mean cosine to the other members."""
    total = float(mult.sum())
    if len(mult) == 1 or total <= 1:
        return 0
    summed = np.asarray(form_rows.T @ mult).ravel()
    to_all = np.asarray(form_rows @ summed).ravel()
    # Mean cosine to the other statements: leave one copy of itself (cosine 1) out.
    mean_other = (to_all - 1.0) / (total - 1.0)
    return int(np.argmax(np.round(mean_other, 9)))  # first of equals: the earliest form


def _build(members: list[int], statements: Sequence[Statement], text: str,
           addressee: str | None, label: Callable[[str, int], str]) -> Merged:
    chosen = [statements[k] for k in members]
    units = _sorted_units(s.unit for s in chosen)
    return Merged(
        text=text,
        count=len(chosen),
        weight=sum(s.weight for s in chosen),
        units=units,
        sources=tuple(dict.fromkeys(s.source for s in chosen)),
        topics=_mix(s.topic for s in chosen),
        attitudes=_mix(s.attitude for s in chosen),
        groups=_mix(s.group for s in chosen),
        members=tuple(chosen),
        representative=statements[members[0]],
        addressee=addressee,
        label=label(text, len(units)),
    )


def _merge_blocks(
    statements: Sequence[Statement],
    block_of: Callable[[Statement], Hashable],
    threshold: float,
    label: Callable[[str, int], str] = _label,
) -> list[Merged]:
    if not statements:
        return []
    forms = _Forms(statements)
    blocks: dict[Hashable, list[int]] = {}
    for k, statement in enumerate(statements):
        blocks.setdefault(block_of(statement), []).append(k)
    merged: list[tuple[int, Merged]] = []
    for indices in blocks.values():
        merged.extend(_merge_block(indices, statements, forms, threshold, label))
    merged.sort(key=lambda fm: (-fm[1].unit_count, -fm[1].count, -fm[1].weight, fm[0]))
    return [m for _first, m in merged]


def _merge_block(indices, statements, forms: _Forms, threshold, label):
    """(first statement index, Merged) for each merged statement of one block."""
    by_form: dict[int, list[int]] = {}
    for k in indices:
        by_form.setdefault(forms.form_of[k], []).append(k)
    distinct = list(by_form)  # in order of first appearance
    mult = np.array([len(by_form[f]) for f in distinct], dtype=np.float64)
    out = []
    for cluster in _star_clusters(distinct, mult, forms.rows, threshold):
        cluster_forms = [distinct[p] for p in cluster]
        best = _representative(forms.rows[cluster_forms], mult[cluster])
        members = sorted(k for f in cluster_forms for k in by_form[f])
        # Of the statements sharing the chosen form, one written with diacritics, the first.
        representative = min(by_form[cluster_forms[best]],
                             key=lambda k: (statements[k].text.isascii(), k))
        members.remove(representative)
        members.insert(0, representative)
        statement = statements[representative]
        merged = _build(members, statements, statement.text, statement.addressee, label)
        out.append((min(members), merged))
    return out


def merge_statements(
    statements: Sequence[Statement], *, threshold: float = DEFAULT_THRESHOLD,
    by_topic: bool = True,
) -> list[Merged]:
    """Near-identical statements merged (within a topic when ``by_topic``), most units first."""
    if by_topic:
        return _merge_blocks(statements, lambda s: s.topic or "", threshold)
    return _merge_blocks(statements, lambda s: "", threshold)
