"""Grouping items into issues (vấn đề dư luận) with a stable identity over time (no Django import).

``Grouper.assign(item_id, text, when)`` puts each new item into an existing issue when it is about
the same matter, otherwise opens a new issue with the next id. An item never moves by itself: ids
handed out stay valid, and only the office's ``merge`` and ``split`` change membership.

How "the same matter" is decided, for a new item X:

* **Content cosine.** X's content words (folded syllables minus function words, plus adjacent
  content-syllable pairs, so "nguyen trai" counts as one clue) weighted by IDF over every item seen,
  against each candidate issue's centroid (how many of its items contain each word). Words every
  item of an issue repeats (the street, the problem) dominate the centroid; incidental wording
  fades. Paraphrases written weeks apart meet here.
* **Near-duplicates.** MinHash signatures (``textengine.signature``) on 2–3-syllable shingles,
  found through an LSH index (16 bands × 4 rows). A copy or lightly edited forward of a member
  (estimated Jaccard ≥ ``near_dup``, 0.7 by default) scores its Jaccard.

* **Places.** Places the text names ("tổ 5", "TDP 5", "ngõ 62", "đường Nguyễn Trãi", read by
  ``place_keys``) decide between issues that words alone cannot tell apart: the same complaint
  about another street is another issue (the candidate is skipped), and naming the issue's own
  place adds ``place_bonus`` (0.15) to the score.

X joins the best-scoring candidate issue when ``max(cosine + place bonus, near-duplicate Jaccard)
≥ threshold`` (0.5 by default; chosen on the synthetic benchmark, see ``bench/bench_grouping.py``,
preferring precision: an issue split in two costs the office one merge, a mixed one a split),
else it opens a new issue. Candidates come from the LSH buckets, from an inverted index of the
issues holding X's rarest content words, and from the issues at the places X names, so each
assignment costs a few dictionary look-ups and a handful of cosines, whatever the number of issues.

Known limit: a bag of words cannot tell that "mất trộm xe" and "nghiện hút tụ tập" are one
"an ninh" matter; such issues stay apart until the office merges them (and then both wordings
join the merged issue).

Office corrections teach nothing wrong:

* ``merge(a, b)`` moves b's items into a; b becomes an alias of a (``resolve(b) == a``). Word
  statistics (document frequencies) do not change, so no other issue is affected.
* ``split(issue, item_ids)`` moves those items to a new issue; their words leave the old centroid
  and form the new one, and a *cannot-link* constraint is recorded between the two parts: a later
  item that is a near-duplicate of a member of one part never joins the other part, even when its
  words happen to be closer to the other centroid. A later ``merge`` of the two parts (the office
  changing its mind) lifts the constraint.

State (documents frequencies, item features and signatures, issues, aliases, constraints) is
saved as compressed JSON with ``dumps``/``loads`` (no pickle: safe to store in a database column
or a file); a loaded grouper continues exactly as the one that was saved would have.
"""

from __future__ import annotations

import base64
import datetime as dt
import gc
import json
import math
import os
import re
import tempfile
import zlib
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, repeat
from operator import mul
from pathlib import Path

import numpy as np

from textengine.normalize import fold_normalized, normalize
from textengine.signature import BANDS, NUM_PERM, band_keys, signatures_of_syllables

__all__ = ["Grouper", "content_features", "group_jsonl", "STOPWORDS"]

ItemId = Hashable

# Folded Vietnamese function words and fillers: they say nothing about which matter an item is
# about. Folding merges some content words into them (cỏ→co, đá→da); the loss is small because
# issues are recognised by several words at once.
STOPWORDS = frozenset(
    """
    a ah ai anh ay ba bac bi bo boi ca cai cac cang cha chi chiu cho chu chua chuyen co con
    cu cua cung da dang de den deu di do du duoc em gan gi ha hay het hien ho hoac
    hoi hon it ja kha khac khi khien khong kia la lai lam len luc ma may minh moi mot muon nay
    neu ngay nghe ngoai nhe nhi nhieu nhu nhung no noi nua o oi ong qua ra rang rat roi rui sao
    se so sau tai tat the them theo thi thoi thuc toi tren trong truoc tu tuy uh ung va van
    vao vay ve vi voi vua xin xong y
    ko k khg hok kg dc dk đc ng nguoi dan ba con kinh gui de nghi kien nghi phan anh mong
    """.split()
)
_RARE_TOKENS = 4  # rarest content words of X used to find candidate issues
_POSTING_CAP = 120  # a word in more issues than this is too common to find candidates with
_BUCKET_CAP = 8  # newest members per LSH bucket looked at (one member speaks for its issue)
_PLACE_POOL_CAP = 60  # issues at one place scored in full; more than that and the place is vague
_PLACE_WORDS = 5  # strongest non-place words an issue at the same place must share one of
_MAX_CANDIDATES = 4  # issues sharing the most rare-word weight, scored with a full cosine
_COPY = 0.97  # a near-duplicate this close is a copy: no other candidate is searched for
_NEAR_FLOOR = 0.7  # LSH hits below this (same wording, another street) are left to the word index
_NORM_REFRESH = 16  # recompute an issue's norm from scratch every this many changes
_VIRTUAL_ITEMS = 100
_STATE_VERSION = 1
_GC_PAUSE = 1000  # batches larger than this run with the cyclic garbage collector paused
_BATCH_NEAR = 512  # new items from which a batch finds its near-duplicates in one array pass
_PAIR_CHUNK = 65_536  # signature pairs compared per block
_ZEROS = repeat(0)  # counts.get(word, 0) for every word, through map()
_ZEROS_F = repeat(0.0)
_NO_POSTING = repeat(())
_USABLE = range(1, _POSTING_CAP + 1)  # posting sizes worth a candidate search


# Words that introduce a place. Named places follow them ("phố Huế", "chợ Hòa Bình"), numbered ones
# too ("tổ 5", "ngõ 62"). Markers that are also common words once folded (chợ/cho/chó,
# trường/trưởng, cầu/câu) count only before a Capitalised name.
_PLACE_MARKERS = {
    ("to", "dan", "pho"): "tdp", ("tdp",): "tdp", ("to",): "tdp", ("khu", "pho"): "kp",
    ("kp",): "kp", ("khu", "dan", "cu"): "kdc", ("kdc",): "kdc", ("khu", "vuc"): "",
    ("ngo",): "ngo", ("ngach",): "ngo", ("hem",): "hem", ("kiet",): "hem", ("duong",): "",
    ("pho",): "", ("thon",): "thon", ("xom",): "xom", ("ap",): "thon", ("ban",): "thon",
    ("khu", "do", "thi"): "", ("kdt",): "", ("chung", "cu"): "", ("cho",): "",
    ("truong",): "", ("cau",): "", ("cong", "vien"): "",
}
_NEEDS_CAPITAL = {("cho",), ("truong",), ("cau",), ("ban",), ("ap",), ("to",)}
_MARKER_LENGTHS = (3, 2, 1)
_NAME_MAX = 4  # syllables of a capitalised name
_NAME_BLIND = 2  # syllables taken when the text's capitals say nothing (all lower or upper case)
_TOKEN_RE = re.compile(r"[^\W_]+|[^\w\s]")


_MARKER_FIRST = frozenset(k[0] for k in _PLACE_MARKERS)


def _marker_at(folded: list[str], i: int) -> tuple[tuple[str, ...], int] | None:
    if folded[i] not in _MARKER_FIRST:
        return None
    for size in _MARKER_LENGTHS:
        key = tuple(folded[i : i + size])
        if len(key) == size and key in _PLACE_MARKERS:
            return key, size
    return None


def _tokens(text: str | None) -> tuple[list[str], list[str]]:
    """Word and punctuation tokens of the normalised text, as written and folded (aligned)."""
    return _split(normalize(text))[:2]


def _split(norm: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """(raw pieces, folded pieces, folded syllables, content words) of a normalised text.

    Pieces never cross a space, so the text's pieces are its space-separated words' pieces in
    turn; a ward's vocabulary is small, so each word is looked up in ``_PIECES`` rather than
    folded and searched again. A word whose folded form would be glued to the word before it
    (it starts with closing punctuation) takes the whole-text path, which does that gluing."""
    raw: list[str] = []
    folded: list[str] = []
    syl: list[str] = []
    words: list[str] = []
    get = _PIECES.get
    for position, token in enumerate(norm.split()):
        entry = get(token) or _pieces(token)
        if position and entry[4]:
            return _split_whole(norm)
        raw += entry[0]
        folded += entry[1]
        syl += entry[2]
        words += entry[3]
    if len(folded) != len(raw):
        return _split_whole(norm)
    return raw, folded, syl, words


def _split_whole(norm: str) -> tuple[list[str], list[str], list[str], list[str]]:
    raw = _TOKEN_RE.findall(norm)
    folded = _TOKEN_RE.findall(fold_normalized(norm))
    if len(folded) != len(raw):  # a rare letter folded into two tokens: fold one by one
        folded = [fold_normalized(t) or t for t in raw]
    syl = [f for f in folded if f[0].isalnum()]
    return raw, folded, syl, [s for s in syl if s not in STOPWORDS]


_PIECES: dict[str, tuple] = {}
_PIECES_MAX = 200_000


def _pieces(token: str) -> tuple:
    fold = fold_normalized(token)
    raw = _TOKEN_RE.findall(token)
    folded = _TOKEN_RE.findall(fold)
    syl = [f for f in folded if f[0].isalnum()]
    glued = bool(fold) and fold[0] in ",.;:!?)]"
    entry = (raw, folded, syl, [s for s in syl if s not in STOPWORDS], glued)
    if len(_PIECES) >= _PIECES_MAX:
        _PIECES.clear()
    _PIECES[token] = entry
    return entry


def analyse(text: str | None) -> tuple[list[str], list[str], list[str]]:
    """(folded syllables, content features, place keys) of a text, normalised once."""
    raw, folded, syl, words = _split(normalize(text))
    pairs = list(map("{}_{}".format, words, words[1:]))
    return syl, list(dict.fromkeys(words + pairs)), _place_keys(raw, folded)


def place_keys(text: str | None) -> list[str]:
    """Places a text names, as folded keys: "tdp 5", "ngo 62", "nguyen trai".

    Numbered places ("tổ 5", "TDP 5", "tổ dân phố 5" all give "tdp 5") are exact. A named place
    is the Capitalised run after a marker; in text typed all in lower (or upper) case the next
    two syllables stand in for the name, so keys are compared by prefix (``places_agree``).
    """
    return _place_keys(*_tokens(text))


def _place_keys(raw: list[str], folded: list[str]) -> list[str]:
    if not raw or _MARKER_FIRST.isdisjoint(folded):
        return []
    words = [t for t in raw if t[0].isalpha()]
    cased = any(w[0].islower() for w in words) and any(w[0].isupper() for w in words[1:])
    keys: list[str] = []
    i = 0
    while i < len(raw):
        if folded[i] not in _MARKER_FIRST:  # the common case, without a call
            i += 1
            continue
        found = _marker_at(folded, i)
        if found is None:
            i += 1
            continue
        marker, size = found
        j = i + size
        nxt = _marker_at(folded, j) if j < len(raw) else None
        if nxt is not None and not (cased and raw[j][0].isupper()):
            if cased or nxt[0] not in _NEEDS_CAPITAL:
                # "khu vực tổ dân phố 5", "mặt đường phố Huế": the inner marker names it.
                i = j
                continue
        kind = _PLACE_MARKERS[marker]
        if j < len(raw) and raw[j].isdigit():
            if kind:
                keys.append(f"{kind} {raw[j]}")
            j += 1
            if not cased and kind not in ("ngo", "hem"):
                i = j  # "tổ 5 mất nước": a numbered zone has no name after it
                continue
        name: list[str] = []
        while j < len(raw) and len(name) < _NAME_MAX and raw[j][0].isalpha():
            if cased and not raw[j][0].isupper():
                break
            if not cased and (
                marker in _NEEDS_CAPITAL
                or len(name) >= _NAME_BLIND
                or (not name and folded[j] in STOPWORDS)
            ):
                break
            name.append(folded[j])
            j += 1
        if name:
            keys.append(" ".join(name))
        i = max(j, i + 1)
    return list(dict.fromkeys(keys))


def places_agree(a: str, b: str) -> bool:
    """Same place, allowing one key to be the start of the other ("tran hung" ~ "tran hung dao")."""
    if a == b:
        return True
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return long.startswith(short + " ")


@dataclass
class _Prepared:
    """The distinct texts of a batch: per text (features, places, signature, LSH band keys or
    None when empty), and the signatures, keys and emptiness as arrays for the batch passes."""

    entries: list[tuple[tuple, tuple, np.ndarray, list[int] | None]]
    sigs: np.ndarray
    keys: np.ndarray
    empty: np.ndarray


def _prepare_texts(texts: list) -> _Prepared:
    """Analyse each text once; the signatures and keys of the whole batch come from one
    vectorised computation."""
    analysed = [analyse(text) for text in texts]
    sigs = signatures_of_syllables([syl for syl, _f, _p in analysed])
    keys = band_keys(sigs) if texts else np.empty((0, BANDS), dtype=np.uint64)
    empty = (sigs == 0xFFFFFFFF).all(axis=1)
    entries = [
        (tuple(features), tuple(places), sig, None if blank else key)
        for (_syl, features, places), sig, key, blank in zip(
            analysed, sigs, keys.tolist(), empty.tolist(), strict=True
        )
    ]
    return _Prepared(entries, sigs, keys, empty)


def content_features(text: str | None) -> list[str]:
    """Distinct content words of ``text`` (folded) and adjacent content-word pairs."""
    return analyse(text)[1]


def _day(when: dt.date | dt.datetime | str | int | None) -> int | None:
    """A day number (proleptic ordinal) for ``when``; None stays None."""
    if when is None:
        return None
    if isinstance(when, dt.datetime):
        return when.date().toordinal()
    if isinstance(when, dt.date):
        return when.toordinal()
    if isinstance(when, int):
        return when
    return dt.date.fromisoformat(str(when)[:10]).toordinal()


@dataclass
class _Issue:
    id: int
    members: dict = field(default_factory=dict)  # item id -> None (ordered set)
    counts: dict[str, int] = field(default_factory=dict)
    norm2: float = 0.0  # squared norm of the IDF-weighted centroid (counts × idf)
    changes: int = 0
    first: int | None = None
    last: int | None = None
    places: dict[str, int] = field(default_factory=dict)  # place key -> members naming it
    placed: int = 0  # members naming any place


@dataclass
class _Item:
    issue: int
    row: int
    features: tuple[str, ...]
    day: int | None
    places: tuple[str, ...] = ()


class Grouper:
    """Incremental grouping of items into issues; see the module docstring."""

    def __init__(
        self, *, threshold: float = 0.5, near_dup: float = 0.7, place_bonus: float = 0.15
    ):
        if not 0 < threshold <= 1 or not 0 < near_dup <= 1 or not 0 <= place_bonus < 1:
            raise ValueError("ngưỡng phải nằm trong (0, 1]")
        self.threshold = threshold
        self.near_dup = near_dup
        self.place_bonus = place_bonus
        self._items: dict[ItemId, _Item] = {}
        self._row_item: list[ItemId] = []
        self._sigs = np.empty((1024, NUM_PERM), dtype=np.uint32)
        self._df: Counter[str] = Counter()
        self._log1p: list[float] = []  # log(k + 1) for k = 0, 1, ...: IDF without a log call
        self._n = 0  # items counted in the document frequencies
        self._issues: dict[int, _Issue] = {}
        self._alias: dict[int, int] = {}
        self._cannot: dict[int, set[int]] = {}
        self._postings: dict[str, set[int]] = {}
        self._place_postings: dict[str, set[int]] = {}
        self._buckets: list[dict[int, list[int]]] = [{} for _ in range(16)]
        self._next_id = 1

    # ------------------------------------------------------------------ reading
    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, item_id: ItemId) -> bool:
        return item_id in self._items

    def resolve(self, issue_id: int) -> int:
        """The live issue id for ``issue_id`` (a merged issue answers with its survivor)."""
        while issue_id in self._alias:
            issue_id = self._alias[issue_id]
        if issue_id not in self._issues:
            raise KeyError(issue_id)
        return issue_id

    def issue_of(self, item_id: ItemId) -> int:
        return self._items[item_id].issue

    def members(self, issue_id: int) -> list[ItemId]:
        return list(self._issues[self.resolve(issue_id)].members)

    def issues(self) -> list[int]:
        """Live issue ids, oldest first."""
        return sorted(self._issues)

    def aliases(self) -> dict[int, int]:
        """Merged issue id -> the id it now lives under."""
        return {old: self.resolve(old) for old in self._alias}

    def cannot_link(self, issue_id: int) -> set[int]:
        return set(self._cannot.get(self.resolve(issue_id), ()))

    def span(self, issue_id: int) -> tuple[dt.date | None, dt.date | None]:
        """First and last day an item of the issue was seen."""
        issue = self._issues[self.resolve(issue_id)]
        as_date = dt.date.fromordinal
        return (
            as_date(issue.first) if issue.first is not None else None,
            as_date(issue.last) if issue.last is not None else None,
        )

    # ------------------------------------------------------------------ assigning
    def assign(self, item_id: ItemId, text: str | None, when=None) -> int:
        """Issue id for a new item (an item already known keeps its issue)."""
        known = self._items.get(item_id)
        if known is not None:
            return known.issue
        return self.assign_many([(item_id, text, when)])[0]

    def assign_many(self, records: Iterable[tuple[ItemId, str | None, object]]) -> list[int]:
        """``assign`` for many ``(item_id, text, when)`` records, in order: the result is exactly
        what one ``assign`` call per record would give. Texts are analysed once per distinct
        text and their signatures and LSH keys computed in one vectorised batch up front; a
        batch of ``_BATCH_NEAR`` new items or more also finds every item's near-duplicates in
        one array pass (``_batch_near_duplicates``) and fills the LSH buckets at the end, so the
        loop over items is left with the word and place searches and the cosines."""
        records = list(records)
        # The cyclic garbage collector would walk the whole (large, cycle-free) state again and
        # again while a big batch allocates: about an eighth of the time at 30,000 items.
        paused = gc.isenabled() and len(records) > _GC_PAUSE
        if paused:
            gc.disable()
        try:
            return self._assign_records(records)
        finally:
            if paused:
                gc.enable()

    def _assign_records(self, records: list) -> list[int]:
        known = self._items
        slot: dict = {}  # text -> index into the distinct texts
        order: list[int] = []
        for item_id, text, _when in records:
            order.append(-1 if item_id in known else slot.setdefault(text, len(slot)))
        prepared = _prepare_texts(list(slot))
        # The k-th new item (not known, not repeated in the batch) gets row base + k.
        fresh: set = set()
        new_texts = []
        for (item_id, _text, _when), index in zip(records, order, strict=True):
            if index >= 0 and item_id not in fresh:
                fresh.add(item_id)
                new_texts.append(index)
        if len(new_texts) < _BATCH_NEAR:
            out = []
            for (item_id, _text, when), index in zip(records, order, strict=True):
                item = known.get(item_id)  # also catches an id repeated inside the batch
                if item is not None:
                    out.append(item.issue)
                else:
                    features, places, sig, keys = prepared.entries[index]
                    out.append(self._assign(item_id, features, places, sig, keys, _day(when)))
            return out
        # A large batch: near-duplicates found up front, LSH buckets filled at the end.
        texts = np.array(new_texts, dtype=np.int64)
        base = len(self._row_item)
        near = self._batch_near_duplicates(prepared, texts)
        out = []
        k = 0
        try:
            for (item_id, _text, when), index in zip(records, order, strict=True):
                item = known.get(item_id)
                if item is not None:
                    out.append(item.issue)
                    continue
                features, places, sig, keys = prepared.entries[index]
                found = near(k) if keys is not None else {}
                out.append(self._assign(item_id, features, places, sig, None, _day(when), found))
                k += 1
        finally:  # even when a bad record stops the batch, the rows stored are indexed
            self._fill_buckets(base, prepared, texts[: len(self._row_item) - base])
        return out

    def _fill_buckets(self, base: int, prepared: _Prepared, texts: np.ndarray) -> None:
        """Add rows ``base, base + 1, ...`` (the batch's items, with these texts) to the LSH
        buckets, each bucket keeping its rows in order, as one ``_store_row`` each would."""
        keyed = np.flatnonzero(~prepared.empty[texts])
        if not keyed.size:
            return
        keys = prepared.keys[texts[keyed]]
        rows = base + keyed
        for band, table in enumerate(self._buckets):
            order = np.argsort(keys[:, band], kind="stable")
            ordered = keys[order, band]
            cuts = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
            starts = [0, *cuts.tolist()]
            ends = [*cuts.tolist(), len(ordered)]
            band_rows = rows[order].tolist()
            for key, lo, hi in zip(ordered[starts].tolist(), starts, ends, strict=True):
                bucket = table.get(key)
                if bucket is None:
                    table[key] = band_rows[lo:hi]
                else:
                    bucket.extend(band_rows[lo:hi])

    def _batch_near_duplicates(self, prepared: _Prepared, texts: np.ndarray):
        """What ``_near_duplicates`` would find for each new item of the batch, in one pass.

        Item k (row ``base + k``) is compared, in each band, with the newest ``_BUCKET_CAP``
        rows of its bucket as they will be when its turn comes: the bucket's rows from before
        the batch, then the batch's earlier items with the same key. Those pairs and their
        estimated Jaccard depend only on signatures, never on how items were grouped, so they
        are found for the whole batch with sorts and array compares; only the mapping from a
        row to its issue is left for the item's turn. Returns ``near(k) -> {issue: jaccard}``.
        """
        base = len(self._row_item)
        count = len(texts)
        sigs = prepared.sigs[texts]
        # Store the batch's signatures now (their rows are fixed); _store_row writes them again.
        if base + count > len(self._sigs):
            grown = np.empty((max(base + count, 2 * len(self._sigs)), NUM_PERM), dtype=np.uint32)
            grown[:base] = self._sigs[:base]
            self._sigs = grown
        self._sigs[base : base + count] = sigs
        keyed = np.flatnonzero(~prepared.empty[texts])
        keys = prepared.keys[texts[keyed]]
        items: list[np.ndarray] = []
        rows: list[np.ndarray] = []
        positions = np.arange(len(keyed), dtype=np.int64)
        for band in range(BANDS):
            band_key = keys[:, band]
            order = np.argsort(band_key, kind="stable")  # equal keys: in batch order
            ordered = band_key[order]
            starts = np.ones(len(ordered), dtype=bool)
            starts[1:] = ordered[1:] != ordered[:-1]
            rank = positions - np.maximum.accumulate(np.where(starts, positions, 0))
            for back in range(1, _BUCKET_CAP + 1):
                later = np.flatnonzero(rank >= back)
                if not later.size:
                    break
                items.append(keyed[order[later]])
                rows.append(base + keyed[order[later - back]])
            table = self._buckets[band]
            if table:
                # Rows from before the batch, for items with fewer than _BUCKET_CAP batch peers.
                old_keys = np.fromiter(table, dtype=np.uint64, count=len(table))
                hit = np.flatnonzero((rank < _BUCKET_CAP) & np.isin(ordered, old_keys))
                extra_items, extra_rows = [], []
                for at, key, peers in zip(
                    hit.tolist(), ordered[hit].tolist(), rank[hit].tolist(), strict=True
                ):
                    taken = table[key][-(_BUCKET_CAP - peers) :]
                    extra_items += [int(keyed[order[at]])] * len(taken)
                    extra_rows += taken
                items.append(np.array(extra_items, dtype=np.int64))
                rows.append(np.array(extra_rows, dtype=np.int64))
        pair_item = np.concatenate(items) if items else np.empty(0, dtype=np.int64)
        pair_row = np.concatenate(rows) if rows else np.empty(0, dtype=np.int64)
        span = base + count
        codes = np.sort(pair_item * span + pair_row)  # item-major: each item's pairs together
        if codes.size:
            distinct = np.ones(codes.size, dtype=bool)
            distinct[1:] = codes[1:] != codes[:-1]
            codes = codes[distinct]  # a pair found in several bands is compared once
        pair_item, pair_row = codes // span, codes % span
        jac = np.empty(len(codes), dtype=np.float64)
        all_sigs = self._sigs
        for lo in range(0, len(codes), _PAIR_CHUNK):
            hi = lo + _PAIR_CHUNK
            same = all_sigs[base + pair_item[lo:hi]] == all_sigs[pair_row[lo:hi]]
            jac[lo:hi] = np.count_nonzero(same, axis=1) / NUM_PERM
        keep = jac >= _NEAR_FLOOR
        pair_item, pair_row, jac = pair_item[keep], pair_row[keep], jac[keep]
        bounds = np.searchsorted(pair_item, np.arange(count + 1)).tolist()
        found_rows, found_jac = pair_row.tolist(), jac.tolist()
        item_of, row_item = self._items, self._row_item

        def near(k: int) -> dict[int, float]:
            out: dict[int, float] = {}
            for row, value in zip(
                found_rows[bounds[k] : bounds[k + 1]], found_jac[bounds[k] : bounds[k + 1]],
                strict=True,
            ):
                issue = item_of[row_item[row]].issue
                if value > out.get(issue, 0.0):
                    out[issue] = value
            return out

        return near

    def _assign(
        self, item_id: ItemId, features, places, sig: np.ndarray, keys, day, near=None
    ) -> int:
        # Document frequencies first: X's own words count as seen (as after a refit). Features
        # are distinct, so Counter.update (a C loop) adds exactly one to each.
        self._df.update(features)
        self._n += 1
        weights = self._weigh(features)
        if near is None:
            near = self._near_duplicates(sig, keys) if keys is not None else {}
        best = self._best_issue(features, weights, places, near)
        if best is None:
            best = self._new_issue()
        row = self._store_row(item_id, sig, keys)
        item = _Item(best, row, features, day, places)
        self._items[item_id] = item
        # The weights are still current: nothing counted since they were computed.
        self._add_to_issue(self._issues[best], item_id, item, weights)
        return best

    def _best_issue(
        self, features, weights: list[float], places, near: dict[int, float]
    ) -> int | None:
        forbidden: set[int] = set()
        for issue_id, jac in near.items():
            if jac >= self.near_dup and issue_id in self._cannot:
                forbidden |= self._cannot[issue_id]
        candidates = set(near)
        if not self._copy_of(near, forbidden, places):
            candidates |= self._centroid_candidates(features, weights)
            candidates |= self._same_place(places, features)
        candidates -= forbidden
        best, best_score = None, 0.0
        w2 = list(map(mul, weights, weights))
        norm_x = math.sqrt(sum(w2))
        issues, near_dup, bonus = self._issues, self.near_dup, self.place_bonus
        for issue_id in sorted(candidates):
            issue = issues[issue_id]
            # Asked first because it is cheap and settles the candidate alone: the cosine is
            # only worth computing for an issue the item may join.
            verdict = _place_verdict(places, issue)
            if verdict < 0:
                continue  # the same problem at another place is another issue
            score = 0.0
            if norm_x and issue.norm2 > 0:
                # sum of count × w × w over X's words, as a C-level loop (map) not a Python one.
                dot = sum(map(mul, map(issue.counts.get, features, _ZEROS), w2))
                score = min(1.0, dot / (norm_x * math.sqrt(issue.norm2)))
            jac = near.get(issue_id, 0.0)
            if jac < near_dup and score + bonus < max(self.threshold, best_score):
                continue  # cannot win whatever the place says
            score += bonus * verdict
            if jac >= near_dup:
                score = max(score, jac)
            if score > best_score:
                best, best_score = issue_id, score
        return best if best_score >= self.threshold else None

    def _copy_of(self, near: dict[int, float], forbidden: set[int], places) -> bool:
        """True when X is a copy of a member (estimated Jaccard ≥ _COPY) of an issue it may
        join: a copy scores at least that much there, which a centroid elsewhere would need
        cosine + place bonus above to beat; so the word and place searches are skipped."""
        issues = self._issues
        return any(
            jac >= _COPY and i not in forbidden and _place_verdict(places, issues[i]) >= 0
            for i, jac in near.items()
        )

    def _weigh(self, features) -> list[float]:
        """IDF weight of each feature (same order): log((N+N0)/(df+1)) + 1. The N0 virtual items
        that contain nothing keep a young grouper from treating the words its first few items
        share as common: with ten items about one flooded street, "ngập" is not a stopword.
        log(df+1) comes from a table indexed by df (df never exceeds N), so no log per word."""
        table = self._log1p
        if len(table) <= self._n:
            table.extend(math.log(k + 1) for k in range(len(table), 2 * self._n + 1024))
        log_n = math.log(self._n + _VIRTUAL_ITEMS) + 1.0
        return list(map(log_n.__sub__, map(table.__getitem__, map(self._df.__getitem__, features))))

    def _near_duplicates(self, sig: np.ndarray, keys: list[int]) -> dict[int, float]:
        """Issue id -> best estimated Jaccard among the members found through the LSH buckets."""
        rows: set[int] = set()
        for table, key in zip(self._buckets, keys, strict=True):
            bucket = table.get(key)
            if bucket:
                rows.update(bucket[-_BUCKET_CAP:])
        if not rows:
            return {}
        index = np.fromiter(rows, dtype=np.int64, count=len(rows))
        jac = np.count_nonzero(self._sigs[index] == sig, axis=1) / NUM_PERM
        keep = jac >= _NEAR_FLOOR
        near: dict[int, float] = {}
        items, row_item = self._items, self._row_item
        for row, value in zip(index[keep].tolist(), jac[keep].tolist(), strict=True):
            issue = items[row_item[row]].issue
            if value > near.get(issue, 0.0):
                near[issue] = value
        return near

    def _centroid_candidates(self, features, weights: list[float]) -> set[int]:
        # The rarest words that some issue already has (a word seen for the first time finds
        # nothing), skipping words so common they would list half the issues. Rarest = highest
        # IDF = lowest df, so sorting (df, word) pairs gives the order without a key function.
        postings = self._postings
        sizes = map(len, map(postings.get, features, _NO_POSTING))
        usable = compress(zip(features, weights, strict=True), map(_USABLE.__contains__, sizes))
        df = self._df
        rare = sorted((df[t], t, w) for t, w in usable)[:_RARE_TOKENS]
        if not rare:
            return set()
        _d, token, w = rare[0]
        acc = dict.fromkeys(postings[token], w**2)
        for _d, token, w in rare[1:]:
            # acc[i] = acc.get(i, 0.0) + w² for each issue i holding the word, as C-level loops.
            posting = postings[token]
            added = map((w**2).__radd__, map(acc.get, posting, _ZEROS_F))
            acc.update(zip(posting, added, strict=True))
        if len(acc) <= _MAX_CANDIDATES:
            return set(acc)
        # The _MAX_CANDIDATES heaviest, ties going to the older (smaller) issue id.
        cut = sorted(acc.values(), reverse=True)[_MAX_CANDIDATES - 1]
        top = sorted(i for i, v in acc.items() if v >= cut)
        if len(top) == _MAX_CANDIDATES:
            return set(top)
        above = [i for i in top if acc[i] > cut]
        return set(above + [i for i in top if acc[i] == cut][: _MAX_CANDIDATES - len(above)])

    def _same_place(self, places, features) -> set[int]:
        """Issues about the places the item names that share one of its strongest other words:
        where paraphrases of a local matter are found once the matter's own words are too
        common to search by (every street floods)."""
        if not places:
            return set()
        place_postings = self._place_postings
        found = [place_postings[key] for key in places if key in place_postings]
        if not found or any(len(p) > _PLACE_POOL_CAP for p in found):
            return set()
        pool = set().union(*found)
        if len(pool) > _PLACE_POOL_CAP:
            return set()
        place_words = {w for key in places for w in key.split()}
        df = self._df
        strong = sorted(
            (df[t], t) for t in features if "_" not in t and t not in place_words
        )[:_PLACE_WORDS]
        # An issue holds word t exactly when it is in t's posting set.
        postings = self._postings
        out: set[int] = set()
        for _d, token in strong:
            posting = postings.get(token)
            if posting:
                out |= pool.intersection(posting)
        return out

    # ------------------------------------------------------------------ bookkeeping
    def _new_issue(self) -> int:
        issue_id = self._next_id
        self._next_id += 1
        self._issues[issue_id] = _Issue(issue_id)
        return issue_id

    def _store_row(self, item_id: ItemId, sig: np.ndarray, keys) -> int:
        row = len(self._row_item)
        if row >= len(self._sigs):
            grown = np.empty((2 * len(self._sigs), NUM_PERM), dtype=np.uint32)
            grown[:row] = self._sigs[:row]
            self._sigs = grown
        self._sigs[row] = sig
        self._row_item.append(item_id)
        if keys is not None:
            for table, key in zip(self._buckets, keys, strict=True):
                bucket = table.get(key)
                if bucket is None:
                    table[key] = [row]
                else:
                    bucket.append(row)
        return row

    def _add_to_issue(self, issue: _Issue, item_id, item: _Item, weights=None) -> None:
        issue.members[item_id] = None
        for key in item.places:
            issue.places[key] = issue.places.get(key, 0) + 1
            self._place_postings.setdefault(key, set()).add(issue.id)
        issue.placed += bool(item.places)
        counts, postings = issue.counts, self._postings
        if weights is None:
            weights = self._weigh(item.features)
        norm2 = issue.norm2
        for token, w in zip(item.features, weights, strict=True):
            c = counts.get(token, 0)
            if not c:
                posting = postings.get(token)
                if posting is None:
                    postings[token] = {issue.id}
                else:
                    posting.add(issue.id)
            counts[token] = c + 1
            norm2 += (2 * c + 1) * w * w  # (c+1)² - c²
        issue.norm2 = norm2
        self._touched(issue)
        day = item.day
        if day is not None:
            issue.first = day if issue.first is None else min(issue.first, day)
            issue.last = day if issue.last is None else max(issue.last, day)

    def _touched(self, issue: _Issue) -> None:
        """IDF drifts as items arrive: refresh the cached norm exactly now and then."""
        issue.changes += 1
        if issue.changes % _NORM_REFRESH == 0:
            self._refresh_norm(issue)

    def _refresh_norm(self, issue: _Issue) -> None:
        weights = self._weigh(issue.counts)
        issue.norm2 = sum((c * w) ** 2 for c, w in zip(issue.counts.values(), weights, strict=True))

    def _rebuild_span(self, issue: _Issue) -> None:
        days = [d for d in (self._items[i].day for i in issue.members) if d is not None]
        issue.first = min(days) if days else None
        issue.last = max(days) if days else None

    # ------------------------------------------------------------------ office corrections
    def merge(self, issue_a: int, issue_b: int) -> int:
        """Move every item of ``issue_b`` into ``issue_a``; b stays known as an alias of a.
        Returns the surviving id (``resolve(issue_a)``)."""
        a, b = self.resolve(issue_a), self.resolve(issue_b)
        if a == b:
            return a
        survivor, gone = self._issues[a], self._issues.pop(b)
        for item_id in gone.members:
            self._items[item_id].issue = a
            survivor.members[item_id] = None
        for key, c in gone.places.items():
            survivor.places[key] = survivor.places.get(key, 0) + c
            self._place_postings[key].discard(b)
            self._place_postings[key].add(a)
        survivor.placed += gone.placed
        for token, c in gone.counts.items():
            posting = self._postings[token]
            posting.discard(b)
            posting.add(a)
            survivor.counts[token] = survivor.counts.get(token, 0) + c
        self._refresh_norm(survivor)
        self._rebuild_span(survivor)
        # The office put them together: a constraint between them is lifted, b's others move to a.
        others = (self._cannot.pop(b, set()) | self._cannot.get(a, set())) - {a, b}
        for other in self._cannot.values():
            if b in other:
                other.discard(b)
        self._set_cannot(a, others)
        self._alias[b] = a
        return a

    def split(self, issue_id: int, item_ids: Iterable[ItemId]) -> int:
        """Move ``item_ids`` out of ``issue_id`` into a new issue; returns the new id. The two
        parts get a cannot-link constraint (see the module docstring)."""
        a = self.resolve(issue_id)
        source = self._issues[a]
        moving = list(dict.fromkeys(item_ids))
        if not moving:
            raise ValueError("Cần chọn ít nhất một ý kiến để tách.")
        strangers = [i for i in moving if i not in source.members]
        if strangers:
            raise ValueError(f"Ý kiến {strangers[0]!r} không thuộc vấn đề {a}.")
        if len(moving) == len(source.members):
            raise ValueError("Không thể tách toàn bộ ý kiến ra khỏi một vấn đề.")
        target = self._issues[self._new_issue()]
        for item_id in moving:
            item = self._items[item_id]
            del source.members[item_id]
            source.placed -= bool(item.places)
            for key in item.places:
                c = source.places[key] - 1
                if c:
                    source.places[key] = c
                else:
                    del source.places[key]
                    self._place_postings[key].discard(a)
            for token in item.features:
                c = source.counts[token] - 1
                if c:
                    source.counts[token] = c
                else:
                    del source.counts[token]
                    self._postings[token].discard(a)
            item.issue = target.id
            self._add_to_issue(target, item_id, item)
        self._refresh_norm(source)
        self._refresh_norm(target)
        self._rebuild_span(source)
        self._set_cannot(a, self._cannot.get(a, set()) | {target.id})
        return target.id

    def _set_cannot(self, issue_id: int, others: set[int]) -> None:
        self._cannot[issue_id] = set(others)
        for other in others:
            self._cannot.setdefault(other, set()).add(issue_id)
        if not self._cannot[issue_id]:
            del self._cannot[issue_id]

    # ------------------------------------------------------------------ persistence
    def dumps(self) -> bytes:
        """The whole state as zlib-compressed JSON."""
        order = self._row_item
        issues = [
            [i.id, i.norm2, i.changes, i.first, i.last] for i in sorted(
                self._issues.values(), key=lambda i: i.id)
        ]
        state = {
            "version": _STATE_VERSION,
            "threshold": self.threshold,
            "near_dup": self.near_dup,
            "place_bonus": self.place_bonus,
            "next_id": self._next_id,
            "items": [
                [_key_out(i), self._items[i].issue, self._items[i].day,
                 " ".join(self._items[i].features), "|".join(self._items[i].places)]
                for i in order
            ],
            "members": [[i.id, [_key_out(m) for m in i.members]] for i in self._issues.values()],
            "sigs": base64.b64encode(self._sigs[: len(order)].astype("<u4").tobytes()).decode(),
            "issues": issues,
            "alias": [[k, v] for k, v in self._alias.items()],
            "cannot": [[k, sorted(v)] for k, v in sorted(self._cannot.items())],
        }
        return zlib.compress(json.dumps(state, ensure_ascii=False).encode("utf-8"), 6)

    @classmethod
    def loads(cls, data: bytes) -> Grouper:
        try:
            state = json.loads(zlib.decompress(data).decode("utf-8"))
        except (zlib.error, UnicodeDecodeError, ValueError) as exc:
            raise ValueError("Dữ liệu trạng thái nhóm không đọc được.") from exc
        if state.get("version") != _STATE_VERSION:
            raise ValueError("Trạng thái nhóm thuộc phiên bản khác, cần nhóm lại từ đầu.")
        self = cls(
            threshold=state["threshold"],
            near_dup=state["near_dup"],
            place_bonus=state["place_bonus"],
        )
        self._next_id = state["next_id"]
        n = len(state["items"])
        raw = base64.b64decode(state["sigs"])
        sigs = np.frombuffer(raw, dtype="<u4").astype(np.uint32).reshape(n, NUM_PERM)
        self._sigs = np.empty((max(1024, 2 * n), NUM_PERM), dtype=np.uint32)
        keys_all = band_keys(sigs).tolist() if n else []
        for issue_id, norm2, changes, first, last in state["issues"]:
            self._issues[issue_id] = _Issue(issue_id, norm2=norm2, changes=changes,
                                            first=first, last=last)
        for (key, issue_id, day, feats, places), sig, keys in zip(
            state["items"], sigs, keys_all, strict=True
        ):
            item_id = _key_in(key)
            features = tuple(feats.split()) if feats else ()
            row = self._store_row(item_id, sig, None if _is_empty(sig) else keys)
            self._items[item_id] = _Item(
                issue_id, row, features, day, tuple(places.split("|")) if places else ()
            )
            self._df.update(features)
        self._n = n
        for issue_id, members in state["members"]:
            issue = self._issues[issue_id]
            for key in members:
                item_id = _key_in(key)
                issue.members[item_id] = None
                for place in self._items[item_id].places:
                    issue.places[place] = issue.places.get(place, 0) + 1
                    self._place_postings.setdefault(place, set()).add(issue_id)
                issue.placed += bool(self._items[item_id].places)
                for token in self._items[item_id].features:
                    c = issue.counts.get(token, 0)
                    if not c:
                        self._postings.setdefault(token, set()).add(issue_id)
                    issue.counts[token] = c + 1
        self._alias = {int(k): int(v) for k, v in state["alias"]}
        self._cannot = {int(k): set(v) for k, v in state["cannot"]}
        return self

    def save(self, path: str | os.PathLike) -> None:
        """Write the state to ``path`` atomically (never a half-written file)."""
        path = Path(path)
        _atomic_write(path, self.dumps())

    @classmethod
    def load(cls, path: str | os.PathLike) -> Grouper:
        return cls.loads(Path(path).read_bytes())


def _atomic_write(path: Path, data: bytes) -> None:
    """Write next to ``path`` then rename, so a crash never leaves a half-written file there."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@lru_cache(maxsize=65_536)
def _agreeing_keys(places: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """What ``places_agree(mine, key)`` for some ``mine`` in ``places`` means for ``key``: it
    is one of them or one's start before a space (the set), or it starts with one and a space
    (the prefixes, for ``str.startswith``)."""
    same = set(places)
    for mine in places:
        words = mine.split(" ")
        same.update(" ".join(words[:i]) for i in range(1, len(words)))
    return frozenset(same), tuple(mine + " " for mine in places)


def _place_verdict(places: tuple[str, ...], issue: _Issue) -> int:
    """+1 when the item names a place most of the issue's items name, -1 when it names places
    fewer than a third of them agree with, 0 when the item or the issue names no place. Counting
    over the members that name a place (not over the keys) keeps one stray mention from defining
    an issue and keeps an issue from drifting street by street."""
    if not places or not issue.placed:
        return 0
    same, longer = _agreeing_keys(places)
    agreeing = 0
    for key, count in issue.places.items():
        if key in same or key.startswith(longer):  # places_agree(mine, key) for some mine
            agreeing += count
    share = min(agreeing, issue.placed) / issue.placed
    if share >= 0.5:
        return 1
    return -1 if share < 1 / 3 else 0


def _is_empty(sig: np.ndarray) -> bool:
    return bool((sig == 0xFFFFFFFF).all())


def _key_out(item_id: ItemId):
    """Item ids survive JSON with their type (int or str)."""
    if isinstance(item_id, bool) or not isinstance(item_id, int | str):
        raise TypeError("mã ý kiến phải là số nguyên hoặc chuỗi")
    return item_id


def _key_in(value):
    return value


# ---------------------------------------------------------------------- JSONL for the CLI
def _read_jsonl(in_path, text_field: str, date_field: str | None):
    records = []
    with open(in_path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                raise ValueError(f"Dòng {number}: không phải văn bản UTF-8.") from None
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"Dòng {number}: không phải JSON hợp lệ ({exc.msg}).") from None
            if not isinstance(obj, dict):
                raise ValueError(f"Dòng {number}: mỗi dòng phải là một đối tượng JSON.")
            if text_field not in obj:
                raise ValueError(f"Dòng {number}: thiếu trường \"{text_field}\".")
            text = obj[text_field]
            if not isinstance(text, str):
                raise ValueError(f"Dòng {number}: trường \"{text_field}\" phải là chuỗi ký tự.")
            when = None
            if date_field and obj.get(date_field) not in (None, ""):
                try:
                    when = _day(obj[date_field])
                except (TypeError, ValueError):
                    raise ValueError(
                        f"Dòng {number}: ngày \"{obj[date_field]}\" không đúng dạng YYYY-MM-DD."
                    ) from None
            records.append((number, obj.get("id"), text, when))
    return records


def group_jsonl(
    in_path: str | os.PathLike,
    out_path: str | os.PathLike,
    text_field: str = "text",
    *,
    date_field: str | None = "date",
    grouper: Grouper | None = None,
) -> dict[str, int]:
    """Group a JSONL file: one output object per non-blank input line, in the same order:
    ``{"line": n, "group": issue_id}`` (plus ``"id"`` when the input line had one).

    Every line is checked before anything is written; a bad line raises ValueError naming its
    number ("Dòng 7: ..."). Returns counts for the summary the CLI prints.
    """
    records = _read_jsonl(in_path, text_field, date_field)
    grouper = grouper or Grouper()
    groups = grouper.assign_many(
        (f"line:{number}", text, when) for number, _id, text, when in records
    )
    lines = []
    for (number, item_id, _text, _when), group in zip(records, groups, strict=True):
        row = {"line": number, "group": group}
        if item_id is not None:
            row["id"] = item_id
        lines.append(json.dumps(row, ensure_ascii=False))
    _atomic_write(Path(out_path), ("\n".join(lines) + "\n" if lines else "").encode("utf-8"))
    # Keys are shown to the user by the CLI summary, hence Vietnamese.
    return {"ý kiến": len(records), "vấn đề": len(set(groups))}
