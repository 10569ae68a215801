"""``Grouper``: assigning items to issues (the scoring of candidate issues) and the issues'
bookkeeping. The candidate searches, the office corrections and the saved state are mixed in
from ``candidates``, ``corrections`` and ``state``; see the package docstring for the method."""

from __future__ import annotations

import datetime as dt
import gc
import math
from collections import Counter
from collections.abc import Iterable
from itertools import repeat
from operator import mul

import numpy as np

from textengine.grouping.candidates import _CandidateSearch
from textengine.grouping.corrections import _Corrections
from textengine.grouping.features import _prepare_texts
from textengine.grouping.places import _place_verdict
from textengine.grouping.records import ItemId, _day, _Issue, _Item
from textengine.grouping.state import _State
from textengine.signature import NUM_PERM

_COPY = 0.97  # a near-duplicate this close is a copy: no other candidate is searched for
_NORM_REFRESH = 16  # recompute an issue's norm from scratch every this many changes
_VIRTUAL_ITEMS = 100
_GC_PAUSE = 1000  # batches larger than this run with the cyclic garbage collector paused
_BATCH_NEAR = 512  # new items from which a batch finds its near-duplicates in one array pass
_ZEROS = repeat(0)  # counts.get(word, 0) for every word, through map()


class Grouper(_CandidateSearch, _Corrections, _State):
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

    # ------------------------------------------------------------------ bookkeeping
    def _new_issue(self) -> int:
        issue_id = self._next_id
        self._next_id += 1
        self._issues[issue_id] = _Issue(issue_id)
        return issue_id

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
