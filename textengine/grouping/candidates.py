"""Finding the issues a new item might join, so each assignment scores a handful of issues
whatever their number: near-duplicates through the LSH buckets (one item at a time, or a whole
batch in one array pass), issues holding the item's rarest content words, and issues at the
places it names. Also where an item's signature row is stored and indexed."""

from __future__ import annotations

from itertools import compress, repeat

import numpy as np

from textengine.grouping.features import _Prepared
from textengine.grouping.records import ItemId
from textengine.signature import BANDS, NUM_PERM

_RARE_TOKENS = 4  # rarest content words of X used to find candidate issues
_POSTING_CAP = 120  # a word in more issues than this is too common to find candidates with
_BUCKET_CAP = 8  # newest members per LSH bucket looked at (one member speaks for its issue)
_PLACE_POOL_CAP = 60  # issues at one place scored in full; more than that and the place is vague
_PLACE_WORDS = 5  # strongest non-place words an issue at the same place must share one of
_MAX_CANDIDATES = 4  # issues sharing the most rare-word weight, scored with a full cosine
_NEAR_FLOOR = 0.7  # LSH hits below this (same wording, another street) are left to the word index
_PAIR_CHUNK = 65_536  # signature pairs compared per block
_ZEROS_F = repeat(0.0)
_NO_POSTING = repeat(())
_USABLE = range(1, _POSTING_CAP + 1)  # posting sizes worth a candidate search


class _CandidateSearch:
    """The candidate searches and the LSH index of ``Grouper`` (mixed into it)."""

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
