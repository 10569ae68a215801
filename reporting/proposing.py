"""Opinion streams proposed from what a unit logged in the period (issue 15; pure, no Django).

A unit's monthly report summarises, as opinion streams, what its members heard. Much of it was
already filed during the month as opinion items (quick reports, meeting points, imports), so the
report proposes streams drawn from those items rather than asking for them to be typed again.
Nothing here writes: the unit keeps, merges or drops each proposal (``reporting.services``).

The rules, in order:

* **Grouping.** Items linked to an issue are grouped by the issue first (one proposal per issue,
  whatever the items' topics: they are one matter). The other items are grouped by topic: an item
  with several topics joins the one of its topics most of the unplaced items share (ties: the
  lower topic id), so that groups are as large as the labels allow; an item without a confirmed
  topic uses the text engine's suggestion; an item with neither is left out (``unplaced``). Each
  item is in at most one proposal.
* **Topic** of an issue's proposal: the topic most of its items carry (ties: the topic more of
  the unit's items carry, then the lower id).
* **Attitude**: the most frequent attitude among the items (a person's label, else the engine's
  suggestion); ties go to the more severe one (phản đối > bức xúc > băn khoăn > đồng tình), so a
  report never understates concern by an accident of order. With no attitude at all: băn khoăn.
* **Reach**: when items carry a reach, the most frequent (ties: the narrower). Otherwise from the
  count and the areas: one or two items, or three or four from one area, are "một số ý kiến";
  three or more from two areas or more, or five and more, are "nhiều ý kiến"; six and more from
  three areas or more, holding half the unit's items of the period, are "đa số". "Tuyệt đại đa
  số" is the unit's judgement and is never estimated from counts.
* **Summary**: the most typical item text (nearest to what the group says together: TF-IDF of the
  folded content words, ``synthesis.sentences.centrality``; a text repeated weighs more, one
  written without diacritics (``textengine.diacritics.is_accented``: "nhìu" or a masked
  "⟨SĐT⟩" in unmarked words does not make a text accented) 0.8 of its score), cut to whole
  sentences (``fit_sentences``, at most ``SUMMARY_WORDS`` words) — the residents' own masked
  words, never cut inside a sentence. A sensitive item's words are never drawn into a summary.
* **Channel**: the most frequent channel (ties: the lower code); **area**: the area when all
  placed items share one; **social groups**: those at least half the items name; **latent**:
  when more than half the items are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from synthesis.sentences import centrality, fit_sentences, split_sentences
from textengine.diacritics import is_accented

__all__ = [
    "ItemData",
    "Proposal",
    "Proposals",
    "SEVERITY",
    "merge_proposals",
    "propose",
]

SUMMARY_WORDS = 45
SEVERITY = ("phan_doi", "buc_xuc", "ban_khoan", "dong_tinh")  # most severe first
DEFAULT_ATTITUDE = "ban_khoan"
REACHES = ("mot_so_y_kien", "nhieu_y_kien", "da_so", "tuyet_dai_da_so")  # narrowest first
SOME, MANY, MAJORITY = REACHES[0], REACHES[1], REACHES[2]
SENSITIVE_SUMMARY = "Các ý kiến có nội dung nhạy cảm; đồng chí tự tóm tắt sau khi đọc từng ý kiến."


@dataclass(frozen=True)
class ItemData:
    """One opinion item of the unit, as the proposals need it (ids, not names)."""

    id: int
    text: str
    topic_ids: tuple[int, ...] = ()
    attitude: str = ""
    reach: str = ""
    issue_id: int | None = None
    area_id: int | None = None
    channel: str = ""
    social_group_ids: tuple[int, ...] = ()
    latent: bool = False
    sensitive: bool = False
    suggested_topic_id: int | None = None
    suggested_attitude: str = ""


@dataclass(frozen=True)
class Proposal:
    """A stream the unit may keep: its fields and the items (and issues) behind it."""

    key: str  # "issue-12" or "topic-5": stable while the grouping holds
    topic_id: int
    attitude: str
    reach: str
    summary: str
    item_ids: tuple[int, ...]
    channel: str = ""
    area_id: int | None = None
    social_group_ids: tuple[int, ...] = ()
    latent: bool = False
    issue_ids: tuple[int, ...] = ()
    attitudes: tuple[tuple[str, int], ...] = ()  # the mix behind the estimate, most first
    area_count: int = 0

    @property
    def count(self) -> int:
        return len(self.item_ids)


@dataclass(frozen=True)
class Proposals:
    proposals: tuple[Proposal, ...] = ()
    unplaced: tuple[int, ...] = ()  # items with no topic at all: not proposed
    total: int = 0  # the unit's items the proposals were drawn from

    def get(self, key: str) -> Proposal | None:
        return next((p for p in self.proposals if p.key == key), None)


def _topics_of(item: ItemData) -> tuple[int, ...]:
    if item.topic_ids:
        return tuple(sorted(set(item.topic_ids)))
    return (item.suggested_topic_id,) if item.suggested_topic_id is not None else ()


def _attitude_of(item: ItemData) -> str:
    return item.attitude or item.suggested_attitude


def _dominant(values: Iterable, tie=lambda v: v):
    """The most frequent of the non-empty ``values`` (None when there are none); among equals,
    the one with the smallest ``tie(value)``."""
    counts = Counter(v for v in values if v not in (None, ""))
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], tie(v)))


def estimate_attitude(items: Sequence[ItemData]) -> tuple[str, tuple[tuple[str, int], ...]]:
    """The dominant attitude (ties: the more severe) and the mix, most frequent first."""
    attitudes = [a for a in map(_attitude_of, items) if a in SEVERITY]
    counts = Counter(attitudes)
    mix = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], SEVERITY.index(kv[0]))))
    return _dominant(attitudes, tie=SEVERITY.index) or DEFAULT_ATTITUDE, mix


def estimate_reach(items: Sequence[ItemData], total: int) -> str:
    """The items' own reach when they carry one, else from the count, areas and share."""
    given = _dominant((i.reach for i in items if i.reach in REACHES), tie=REACHES.index)
    if given is not None:
        return given
    n = len(items)
    areas = len({i.area_id for i in items if i.area_id is not None})
    if n >= 6 and areas >= 3 and total and n * 2 >= total:
        return MAJORITY
    if n >= 5 or (n >= 3 and areas >= 2):
        return MANY
    return SOME


def summarise(items: Sequence[ItemData], max_words: int = SUMMARY_WORDS) -> str:
    """The most typical text of the items, whole sentences only (none from a sensitive item)."""
    said = Counter(i.text.strip() for i in items if not i.sensitive and i.text.strip())
    if not said:
        return SENSITIVE_SUMMARY if items else ""
    texts = sorted(said, key=lambda t: (-said[t], t))
    if len(texts) > 1:
        scores = centrality(texts)
        # A text said several times weighs more, one written without diacritics less (0.8);
        # among equals the shorter, then the first.
        weight = [said[t] * (1.0 if is_accented(t) else 0.8) for t in texts]
        best = max(range(len(texts)),
                   key=lambda i: (round(scores[i] * weight[i], 9), -len(texts[i]), -i))
    else:
        best = 0
    text = texts[best]
    if not split_sentences(text):
        return text
    return fit_sentences(text, max_words).replace("\n", " ")


def _build(key: str, topic_id: int, items: Sequence[ItemData], total: int,
           issue_ids: Iterable[int] = ()) -> Proposal:
    attitude, mix = estimate_attitude(items)
    areas = {i.area_id for i in items if i.area_id is not None}
    groups = Counter(g for i in items for g in set(i.social_group_ids))
    return Proposal(
        key=key,
        topic_id=topic_id,
        attitude=attitude,
        reach=estimate_reach(items, total),
        summary=summarise(items),
        item_ids=tuple(sorted(i.id for i in items)),
        channel=_dominant(i.channel for i in items) or "",
        area_id=next(iter(areas)) if len(areas) == 1 and all(i.area_id for i in items) else None,
        social_group_ids=tuple(sorted(g for g, n in groups.items() if 2 * n >= len(items))),
        latent=2 * sum(i.latent for i in items) > len(items),
        issue_ids=tuple(sorted(set(issue_ids))),
        attitudes=mix,
        area_count=len(areas),
    )


def _order(proposal: Proposal) -> tuple:
    """Largest first; among equals the more severe, then the key (deterministic)."""
    return (-proposal.count, SEVERITY.index(proposal.attitude), proposal.key)


def propose(items: Iterable[ItemData]) -> Proposals:
    """Proposals from a unit's items of one period; see the module's rules."""
    items = sorted(items, key=lambda i: i.id)
    total = len(items)
    share = Counter(t for i in items for t in _topics_of(i))  # how many items carry each topic
    proposals: list[Proposal] = []
    by_issue: dict[int, list[ItemData]] = {}
    rest: list[ItemData] = []
    for item in items:
        if item.issue_id is not None:
            by_issue.setdefault(item.issue_id, []).append(item)
        else:
            rest.append(item)
    unplaced: list[int] = []
    for issue_id, members in by_issue.items():
        topic = _dominant((t for i in members for t in _topics_of(i)),
                          tie=lambda t: (-share[t], t))
        if topic is None:
            unplaced.extend(i.id for i in members)
            continue
        proposals.append(_build(f"issue-{issue_id}", topic, members, total, [issue_id]))
    free = Counter(t for i in rest for t in _topics_of(i))
    by_topic: dict[int, list[ItemData]] = {}
    for item in rest:
        topics = _topics_of(item)
        if not topics:
            unplaced.append(item.id)
            continue
        topic = min(topics, key=lambda t: (-free[t], t))
        by_topic.setdefault(topic, []).append(item)
    for topic, members in by_topic.items():
        proposals.append(_build(f"topic-{topic}", topic, members, total))
    return Proposals(tuple(sorted(proposals, key=_order)), tuple(sorted(unplaced)), total)


def merge_proposals(chosen: Sequence[Proposal], items: Iterable[ItemData],
                    total: int) -> Proposal:
    """One proposal from several: their items together, estimated again; the topic of the
    largest (the first among equals as given)."""
    if not chosen:
        raise ValueError("nothing to merge")
    ids = {i for p in chosen for i in p.item_ids}
    members = [i for i in items if i.id in ids]
    largest = min(chosen, key=lambda p: -p.count)
    key = "+".join(p.key for p in chosen)
    return _build(key, largest.topic_id, members, total,
                  [i for p in chosen for i in p.issue_ids])
