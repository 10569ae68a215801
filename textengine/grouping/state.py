"""The grouper's state saved as compressed JSON (no pickle) and loaded back, so a loaded
grouper continues exactly as the one that was saved would have."""

from __future__ import annotations

import base64
import json
import os
import tempfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from textengine.grouping.records import ItemId, _Issue, _Item
from textengine.signature import NUM_PERM, band_keys

if TYPE_CHECKING:
    from textengine.grouping.grouper import Grouper

_STATE_VERSION = 1


class _State:
    """``dumps``/``loads`` and ``save``/``load`` of ``Grouper`` (mixed into it)."""

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


def _is_empty(sig: np.ndarray) -> bool:
    return bool((sig == 0xFFFFFFFF).all())


def _key_out(item_id: ItemId):
    """Item ids survive JSON with their type (int or str)."""
    if isinstance(item_id, bool) or not isinstance(item_id, int | str):
        raise TypeError("mã ý kiến phải là số nguyên hoặc chuỗi")
    return item_id


def _key_in(value):
    return value
