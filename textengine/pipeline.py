"""The text pipeline: normalise, mask, fold, features, topic, attitude, signature (no Django).

This is what the app runs for every filed item (``textops.services``: one text for a quick report,
the public form or the API, a batch for an import or a meeting's points), so each step runs once
per item. Personal data is masked as ``textengine.mask.clean`` masks it (the text as received
when it holds something to mask, then what normalisation exposed), so nothing downstream
(features, models, signatures, what is stored) ever sees a phone or ID number.

Speed (issue 3 asks for 20,000 short texts a second on one core): the per-text Python work is a
few cached dictionary look-ups per word; everything else is done once for the whole batch on
integer arrays. A word's fold and token ids are cached; the batch becomes one array of token ids;
unigrams, bigrams and lexicon cues become columns of ONE sparse matrix, multiplied once by the
topic and attitude weights side by side. The results equal ``Suggester.suggest`` text by text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain
from typing import NamedTuple

import numpy as np

from textengine.mask import (
    TOKENS,
    MaskResult,
    clean,
    has_personal_data,
    mask,
    needs_mask,
    needs_mask_raw,
)
from textengine.model import _softmax
from textengine.normalize import (
    _NEEDS_ATTACH_RE,
    _fix_token,
    _normalize_prepared,
    _prepare,
    _settle,
    fold_normalized,
)
from textengine.signature import signatures
from textengine.suggest import MODEL_WEIGHT, Suggester
from textengine.tokenize import word_tokens

__all__ = ["Analysed", "analyse", "analyse_batch", "default_signature_fn", "kinds_in"]

KINDS = ("topic", "attitude")
_PREFIX = {"topic": "#t:", "attitude": "#a:"}
_UNKNOWN, _SEP = 0, 1  # token ids: a token no model or lexicon knows; the end of a text
_CACHE_MAX = 200_000
_DENSE_MAX = 8  # texts up to which the model scores are summed row by row, not by a sparse product


class Analysed(NamedTuple):
    text: str  # normalised and masked: the only form that may be stored
    masked: tuple[str, ...]  # kinds of personal data that were masked
    folded: str
    topic: str | None
    topic_score: float
    attitude: str | None
    attitude_score: float
    signature: object | None  # a row of textengine.signature.signatures, or None when skipped


def default_signature_fn() -> Callable[[Sequence[str]], Sequence[object]]:
    """The engine's batch signature function: ``signatures(folded texts)``, one row per text."""
    return signatures


_TOKEN_KINDS = {token: kind for kind, token in TOKENS.items()}


def kinds_in(text: str) -> tuple[str, ...]:
    """Kinds of personal data a stored (already masked) text shows as tokens."""
    if "⟨" not in text:
        return ()
    return tuple(sorted({kind for token, kind in _TOKEN_KINDS.items() if token in text}))


# ------------------------------------------------------------------ the compiled form
class _Compiled:
    """A suggester's models and lexicons in integer form, built once per suggester.

    Token ids: 0 unknown, 1 end of text, 2.. every token some model feature or lexicon cue uses.
    Feature rows: the union of the models' vocabularies. ``weights`` holds every model's weights
    side by side (columns ``blocks[kind]``), then one column of idf² per model (zero where that
    model lacks the feature), so one product gives every score and every norm. Memory: features ×
    (labels + models) float32, e.g. 200,000 features × 19 ≈ 15 MB.
    """

    def __init__(self, suggester: Suggester):
        self.key = _key(suggester)
        self.tok: dict[str, int] = {}
        models = {k: m for k, m in suggester.models.items() if m is not None}
        self.models = models
        feats: dict[str, int] = {}
        for model in models.values():
            for f in model.vocab:
                feats.setdefault(f, len(feats))
        unigram: dict[int, int] = {}
        bigram: dict[tuple[int, int], int] = {}
        self.cue_col: dict[str, int] = {}
        for f, col in feats.items():
            if f.startswith("#"):
                self.cue_col[f] = col
                continue
            parts = f.split(" ")
            if len(parts) == 1:
                unigram[self._id(f)] = col
            elif len(parts) == 2:
                bigram[(self._id(parts[0]), self._id(parts[1]))] = col
        self.tries = {kind: self._trie(suggester.lexicons[kind]) for kind in KINDS}
        size = len(self.tok) + 2
        self.unigram = np.full(size, -1, dtype=np.int64)
        for tid, col in unigram.items():
            self.unigram[tid] = col
        self.radix = size
        codes = np.array([a * size + b for a, b in bigram], dtype=np.int64)
        order = np.argsort(codes)
        self.bigram_codes = codes[order]
        self.bigram_cols = np.array(list(bigram.values()), dtype=np.int64)[order]
        for trie in self.tries.values():
            trie.freeze(size)
        self.blocks: dict[str, slice] = {}
        columns, idf2 = [], []
        at = 0
        for j, (kind, model) in enumerate(models.items()):
            w = np.zeros((len(feats), len(model.labels)), dtype=np.float32)
            rows = [feats[f] for f in model.vocab]
            w[rows] = model.weights[list(model.vocab.values())]
            columns.append(w)
            i2 = np.zeros((len(feats), len(models)), dtype=np.float32)
            i2[rows, j] = model._idf[list(model.vocab.values())] ** 2
            idf2.append(i2)
            self.blocks[kind] = slice(at, at + len(model.labels))
            at += len(model.labels)
        self.n_feats = len(feats)
        if models:
            self.weights = np.hstack(columns + [sum(idf2)])
        self.lexicons = [suggester.lexicons[kind] for kind in KINDS]
        # token ids of one-syllable cues that words typed without marks may not match
        self.marked_only = {
            self.tok[t] for lex in self.lexicons for t in lex.marked_only if t in self.tok
        }
        self.words: dict[str, tuple[str, tuple[int, ...], tuple[int, ...]]] = {}
        self.raw: dict[str, tuple[str, str, tuple[int, ...], tuple[int, ...]]] = {}

    def _id(self, token: str) -> int:
        return self.tok.setdefault(token, len(self.tok) + 2)

    def _trie(self, lexicon) -> _Trie:
        return _Trie(lexicon, self._id)

    def raw_word(self, raw: str) -> tuple[str, str, tuple[int, ...], tuple[int, ...]]:
        """Normalised word, folded word, token ids and lexicon flags of one raw word of a clean
        text (cached)."""
        fixed = _fix_token(raw)
        folded, ids, flags = self.words.get(fixed) or self.word(fixed)
        if len(self.raw) >= _CACHE_MAX:
            self.raw.clear()
        self.raw[raw] = entry = (fixed, folded, ids, flags)
        return entry

    def word(self, word: str) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
        """Fold, token ids and lexicon flags of one normalised word (cached). A token's flag has
        bit k set when the word may not match a cue of ``KINDS[k]`` (``Lexicon.conflicts``)."""
        folded = fold_normalized(word)
        get = self.tok.get
        ids = tuple([get(t, _UNKNOWN) for t in word_tokens(folded)])
        flags = (0,) * len(ids)
        if not word.isascii() or self.marked_only.intersection(ids):
            per_kind = [lexicon.conflicts(word) for lexicon in self.lexicons]
            if any(map(any, per_kind)):
                flags = tuple(
                    sum(1 << k for k, conflicts in enumerate(per_kind) if conflicts[i])
                    for i in range(len(ids))
                )
        entry = (folded, ids, flags)
        if len(self.words) >= _CACHE_MAX:
            self.words.clear()
        self.words[word] = entry
        return entry


def _key(suggester: Suggester) -> tuple:
    return tuple(id(suggester.models[k]) for k in KINDS) + tuple(
        id(suggester.lexicons[k]) for k in KINDS
    )


def _compiled(suggester: Suggester) -> _Compiled:
    compiled = getattr(suggester, "_compiled", None)
    if compiled is None or compiled.key != _key(suggester):
        compiled = _Compiled(suggester)
        suggester._compiled = compiled
    return compiled


def _front(
    comp: _Compiled, texts: Sequence[str], cleaned: bool = False
) -> tuple[list[MaskResult], list[str], np.ndarray, np.ndarray]:
    """Normalise, mask and fold every text; token ids of the whole batch, each text followed by
    _SEP. A clean one-line text with nothing to mask (nearly all of them) costs one cached
    look-up per word: raw word -> (normalised word, folded word, token ids). Each text is
    normalised once and masked at most once or twice (see ``textengine.mask.clean``).

    ``cleaned``: the texts are already in stored form (``clean`` output: an import's table is
    cleaned when it is uploaded); they are only folded, and their kinds read from the tokens."""
    get = comp.raw.get
    raw_word = comp.raw_word
    masked: list[MaskResult] = []
    folded: list[str] = []
    ids: list[tuple[int, ...]] = []
    flags: list[tuple[int, ...]] = []
    sep, clear = (_SEP,), (0,)
    for text in texts:
        if not text:
            text = ""
        elif not isinstance(text, str):
            text = str(text)
        if cleaned:
            m = MaskResult(text, kinds_in(text))
        elif needs_mask_raw(text):  # a number or an e-mail as received: see mask.clean
            m = clean(text)
        else:
            prepared, slow = _prepare(text)
            if not (slow or "\n" in prepared or _NEEDS_ATTACH_RE.search(prepared)):
                ps = [get(w) or raw_word(w) for w in prepared.split()]
                norms, fs, word_ids, word_flags = zip(*ps, strict=True) if ps else ((),) * 4
                norm = " ".join(norms)
                if not has_personal_data(norm):  # a place name alone keeps the fast path
                    masked.append(MaskResult(norm, ()))
                    folded.append(" ".join(fs) if all(fs) else fold_normalized(norm))
                    ids += word_ids
                    ids.append(sep)
                    flags += word_flags
                    flags.append(clear)
                    continue
            else:
                norm = _settle(*_normalize_prepared(prepared, slow))
            m = mask(norm) if needs_mask(norm) else MaskResult(norm, ())
        ps = [comp.words.get(w) or comp.word(w) for w in m.text.split()]
        masked.append(m)
        folded.append(fold_normalized(m.text))
        ids += [p[1] for p in ps]
        ids.append(sep)
        flags += [p[2] for p in ps]
        flags.append(clear)
    return (
        masked,
        folded,
        np.array(list(chain.from_iterable(ids)), dtype=np.int64),
        np.array(list(chain.from_iterable(flags)), dtype=np.int64),
    )


class _Trie:
    """A lexicon's token trie as arrays: node 0 is the root, an edge is the integer
    ``parent * radix + token id``, so one ``searchsorted`` follows an edge for every position of
    the batch at once. A node's cues are ``cue_label[cue_start[n]:cue_start[n + 1]]`` (label
    indices into ``labels``) with their weights."""

    def __init__(self, lexicon, token_id: Callable[[str], int]):
        self.labels = sorted(lexicon.labels)
        index = {lbl: i for i, lbl in enumerate(self.labels)}
        edges: list[tuple[int, int, int]] = []  # (parent, token id, child)
        node_cues: list[list[tuple[int, float]]] = [[]]
        self.depth = 0
        stack = [(0, lexicon.trie, 1)]
        while stack:
            parent, level, depth = stack.pop()
            for token, (cues, children) in level.items():
                child = len(node_cues)
                node_cues.append([(index[c.label], c.weight) for c in cues if c.label in index])
                edges.append((parent, token_id(token), child))
                self.depth = max(self.depth, depth)
                stack.append((child, children, depth + 1))
        self.edges = edges
        self.node_cues = node_cues

    def freeze(self, radix: int) -> None:
        self.radix = radix
        codes = np.array([p * radix + t for p, t, _c in self.edges], dtype=np.int64)
        order = np.argsort(codes)
        self.codes = codes[order]
        self.children = np.array([c for _p, _t, c in self.edges], dtype=np.int64)[order]
        counts = np.array([len(c) for c in self.node_cues], dtype=np.int64)
        self.has_cues = counts > 0
        self.cue_start = np.concatenate(([0], np.cumsum(counts)))
        self.cue_label = np.array([lbl for cs in self.node_cues for lbl, _w in cs], dtype=np.int64)
        self.cue_weight = np.array([w for cs in self.node_cues for _l, w in cs], dtype=np.float64)

    def step(self, nodes: np.ndarray, tokens: np.ndarray) -> np.ndarray:
        """Child of each node along each token, -1 where there is none."""
        if not self.codes.size:
            return np.full(len(nodes), -1, dtype=np.int64)
        codes = nodes * self.radix + tokens
        pos = np.searchsorted(self.codes, codes)
        pos[pos >= self.codes.size] = 0
        return np.where(self.codes[pos] == codes, self.children[pos], -1)

    def match(self, ids: np.ndarray, row: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cues found in the batch, as Lexicon.match finds them text by text: the longest phrase
        first, each token used once. Returns (rows, label indices, weights), one per cue."""
        n = len(ids)
        pos = np.arange(n, dtype=np.int64)
        node = self.step(np.zeros(n, dtype=np.int64), ids)
        live = node >= 0
        pos, node = pos[live], node[live]
        best_node = np.where(self.has_cues[node], node, -1)
        best_len = np.where(best_node >= 0, 1, 0)
        start, cur = pos, node
        for depth in range(1, self.depth):
            # A text ends with _SEP, which no edge carries: a walk never crosses into the next.
            ok = start + depth < n
            start, cur = start[ok], cur[ok]
            cur = self.step(cur, ids[start + depth])
            live = cur >= 0
            start, cur = start[live], cur[live]
            if not start.size:
                break
            at = np.searchsorted(pos, start)
            better = self.has_cues[cur]
            best_node[at[better]] = cur[better]
            best_len[at[better]] = depth + 1
        found = best_len > 0
        pos, best_node, best_len = pos[found], best_node[found], best_len[found]
        pos, best_node = self._greedy(pos, best_node, best_len)
        counts = self.cue_start[best_node + 1] - self.cue_start[best_node]
        first = np.repeat(self.cue_start[best_node] - np.cumsum(counts) + counts, counts)
        flat = first + np.arange(int(counts.sum()), dtype=np.int64)
        return np.repeat(row[pos], counts), self.cue_label[flat], self.cue_weight[flat]

    @staticmethod
    def _greedy(pos: np.ndarray, node: np.ndarray, length: np.ndarray):
        """Keep a match unless an earlier kept one covers its first token. A match that no
        earlier match reaches is kept outright; only the rare overlapping runs are walked."""
        if not pos.size:
            return pos, node
        end = pos + length
        reach = np.maximum.accumulate(end)
        clear = np.ones(len(pos), dtype=bool)
        clear[1:] = pos[1:] >= reach[:-1]
        if clear.all():
            return pos, node
        keep = clear.copy()
        free = 0
        for k in np.flatnonzero(~clear | np.r_[~clear[1:], False]).tolist():
            if pos[k] >= free or clear[k]:
                keep[k] = True
                free = int(end[k])
            else:
                keep[k] = False
        return pos[keep], node[keep]


def _features(comp: _Compiled, ids: np.ndarray, row: np.ndarray, cues: dict) -> tuple:
    """(rows, columns) of every known unigram, bigram and cue feature of the batch."""
    uni = comp.unigram[ids]
    keep = uni >= 0
    rows, cols = [row[keep]], [uni[keep]]
    if comp.bigram_codes.size and ids.size > 1:
        codes = ids[:-1] * comp.radix + ids[1:]
        pos = np.searchsorted(comp.bigram_codes, codes)
        pos[pos >= comp.bigram_codes.size] = 0
        hit = comp.bigram_codes[pos] == codes
        rows.append(row[:-1][hit])
        cols.append(comp.bigram_cols[pos[hit]])
    for kind in KINDS:
        r, lbl, _w = cues[kind]
        if not r.size:
            continue
        labels = comp.tries[kind].labels
        table = np.array([comp.cue_col.get(_PREFIX[kind] + x, -1) for x in labels])
        c = table[lbl]
        ok = c >= 0
        rows.append(r[ok])
        cols.append(c[ok])
    return np.concatenate(rows), np.concatenate(cols)


def _round4(values: np.ndarray) -> list[float]:
    return [round(v, 4) for v in values.tolist()]


def _lexicon_votes(comp, kind, n, cues) -> np.ndarray:
    r, lbl, w = cues[kind]
    size = len(comp.tries[kind].labels)
    votes = np.zeros(n * size, dtype=np.float64)
    if r.size:
        np.add.at(votes, r * size + lbl, w)
    return votes.reshape(n, size)


def _labels_lexicon_only(comp, kind, votes: np.ndarray):
    """As Suggester without a model: the heaviest label (ties: the larger code), confidence =
    share × (1 - 0.5^weight)."""
    labels = comp.tries[kind].labels
    rev = votes[:, ::-1]  # argmax takes the first of equal maxima: reversed, the larger code
    best = votes.shape[1] - 1 - rev.argmax(axis=1)
    top = votes[np.arange(len(votes)), best]
    total = votes.sum(axis=1)
    score = np.where(total > 0, top / np.where(total > 0, total, 1) * (1 - 0.5**top), 0.0)
    names = [
        labels[b] if t > 0 else None for b, t in zip(best.tolist(), total.tolist(), strict=True)
    ]
    return names, _round4(score)


def _labels_model(comp, kind, scores, norms, votes):
    model = comp.models[kind]
    lexicon_labels = comp.tries[kind].labels
    where = {lbl: i for i, lbl in enumerate(lexicon_labels)}
    decision = np.where(norms[:, None] > 0, scores / np.maximum(norms, 1e-12)[:, None], 0.0)
    probs = _softmax(decision + model.bias)
    # Lexicon votes for the model's labels, as a share (Suggester: lex_vec / lex_vec.sum()).
    lex = np.zeros_like(probs)
    for j, lbl in enumerate(model.labels):
        if lbl in where:
            lex[:, j] = votes[:, where[lbl]]
    total = lex.sum(axis=1)
    has = total > 0
    probs[has] = MODEL_WEIGHT * probs[has] + (1 - MODEL_WEIGHT) * lex[has] / total[has, None]
    best = probs.argmax(axis=1)
    labels = model.labels
    return [labels[b] for b in best.tolist()], _round4(probs[np.arange(len(best)), best])


_UNSET = object()


def analyse_batch(
    texts: Sequence[str],
    suggester: Suggester | None = None,
    signature_fn: Callable[[Sequence[str]], Sequence[object]] | None | object = _UNSET,
    *,
    cleaned: bool = False,
) -> list[Analysed]:
    """Analyse many texts; model scoring is one sparse product for both label kinds.

    ``signature_fn`` receives the list of folded, masked texts and returns one signature per
    text; by default the engine's own (``textengine.signature.signatures``); pass None to skip
    signatures. ``cleaned=True``: the texts are already normalised and masked (see ``_front``).
    """
    suggester = suggester or _default_suggester()
    if signature_fn is _UNSET:
        signature_fn = default_signature_fn()
    n = len(texts)
    if not n:
        return []
    comp = _compiled(suggester)
    masked, folded, ids, flags = _front(comp, texts, cleaned)
    is_sep = ids == _SEP
    row = np.cumsum(is_sep) - is_sep
    # A word written with diacritics no cue writes it with ("số" for "sợ") matches no cue.
    cues = {
        kind: comp.tries[kind].match(np.where(flags & (1 << k), _UNKNOWN, ids), row)
        for k, kind in enumerate(KINDS)
    }
    results = {}
    if comp.models:
        rows, cols = _features(comp, ids, row, cues)
        if n <= _DENSE_MAX:  # a quick report: summing a few weight rows beats building a matrix
            product = np.zeros((n, comp.weights.shape[1]), dtype=np.float32)
            np.add.at(product, rows, comp.weights[cols])
        else:
            from scipy.sparse import csr_matrix

            x = csr_matrix(
                (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, comp.n_feats)
            )
            product = np.asarray(x @ comp.weights)
        norms = np.sqrt(product[:, -len(comp.models) :])
    for kind in KINDS:
        votes = _lexicon_votes(comp, kind, n, cues)
        if kind in comp.models:
            j = list(comp.models).index(kind)
            results[kind] = _labels_model(
                comp, kind, product[:, comp.blocks[kind]], norms[:, j], votes
            )
        else:
            results[kind] = _labels_lexicon_only(comp, kind, votes)
    sigs = signature_fn(folded) if callable(signature_fn) else None
    (topics, topic_scores), (attitudes, attitude_scores) = results["topic"], results["attitude"]
    return [
        Analysed(
            m.text,
            m.kinds,
            folded[i],
            topics[i],
            topic_scores[i],
            attitudes[i],
            attitude_scores[i],
            sigs[i] if sigs is not None else None,
        )
        for i, m in enumerate(masked)
    ]


_DEFAULT: Suggester | None = None


def _default_suggester() -> Suggester:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Suggester()
    return _DEFAULT


def analyse(
    text: str,
    suggester: Suggester | None = None,
    signature_fn: Callable[[Sequence[str]], Sequence[object]] | None | object = _UNSET,
    *,
    cleaned: bool = False,
) -> Analysed:
    """One text: ``analyse_batch`` of a batch of one (the same code, so the same result)."""
    return analyse_batch([text], suggester, signature_fn, cleaned=cleaned)[0]
