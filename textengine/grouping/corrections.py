"""Office corrections: ``merge`` two issues (one becomes an alias of the other) and ``split`` an
issue in two with a cannot-link constraint between the parts."""

from __future__ import annotations

from collections.abc import Iterable

from textengine.grouping.records import ItemId


class _Corrections:
    """``merge`` and ``split`` of ``Grouper`` (mixed into it)."""

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
