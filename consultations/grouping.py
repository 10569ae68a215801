"""Comments on one provision grouped by the text engine (pure: no Django).

``group_keys`` gives each comment the key of its group: the text engine's grouper
(``textengine.grouping.Grouper``: content words, near-duplicate signatures) fed the comments in
the order they came, so an earlier comment never moves and a key stays valid as comments are
added. A comment repeating an earlier one word for word (case and spacing aside) takes its key
without going through the grouper: copied comments are common, and a text sent many times would
otherwise weigh on the word statistics as many residents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from textengine.grouping import Grouper


def same_words(text: str) -> str:
    return " ".join(text.split()).casefold()


def group_keys(comments: Sequence[tuple[int, str]]) -> list[int]:
    """``(id, text)`` of one provision's comments, oldest first -> the group key of each."""
    first: dict[str, int] = {}
    distinct: list[tuple[int, str, None]] = []
    for pk, text in comments:
        if first.setdefault(same_words(text), pk) == pk:
            distinct.append((pk, text, None))
    keys = dict(zip((pk for pk, _, _ in distinct), Grouper().assign_many(distinct), strict=True))
    return [keys[first[same_words(text)]] for _pk, text in comments]


def typical(texts: Sequence[str]) -> str:
    """The text said most often in a group (the first said among equals)."""
    counts = Counter(same_words(t) for t in texts)
    best = max(range(len(texts)), key=lambda i: (counts[same_words(texts[i])], -i))
    return texts[best]
