"""Proposals to merge whole issues that are one matter: a second pass over issues, not items.

The grouper decides item by item, against the issues a new item's rarest words, places and
near-copies lead to, and favours precision: a complaint worded differently from the first ones
(a paraphrase, a forward typed without diacritics) can open an issue of its own, and the matter
then lives in two or three issues. Once issues have several items, their centroids say what each
is about much better than any one item did, so the second pass compares issues with issues:

* **place**: the places most of each issue's items name must agree (the same complaint about
  another street stays apart), or neither issue names one (a ward-wide matter); one naming a
  place and the other none is left to the office;
* **matter**: the cosine of the two centroids (content words and pairs weighted by IDF, as the
  grouper weighs them) *without the words of their places and numbers*: at one busy street,
  flooding, karaoke and theft share the street's name and the residents' openers, and a
  centroid's place words would make them look alike; candidates are found through the issues
  that share an issue's heaviest words;
* **time**: the two issues were heard within ``window_days`` of each other (longer than the
  item grouping looks: a matter that comes back after a quiet month is still the same matter);
* **matter words**: two issues at the same place that each keep repeating one of the topic
  lexicon's cue words or phrases ("ngập", "thoát nước", "karaoke": said by at least half of
  each issue's items) are one matter worded two ways ("Cống thoát nước tắc nên mưa là ngập",
  "Mưa lớn chiều qua làm tổ 3 ngập gần nửa mét"); such a pair needs only ``cue_threshold``;
* **topic**: when the caller knows each issue's topic (``labels``), two issues of different
  topics are never proposed;
* never a pair the office split apart (the grouper's cannot-link constraints).

A pair scoring ``threshold`` or more is proposed, never merged: the office accepts it in one
click or dismisses it. ``keep`` is the issue with more items (the older one on a tie).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textengine import lexicon
from textengine.grouping.places import places_agree
from textengine.grouping.words import STOPWORDS

if TYPE_CHECKING:
    from textengine.grouping.grouper import Grouper
    from textengine.grouping.records import _Issue

__all__ = ["MergeCandidate", "merge_candidates"]

THRESHOLD = 0.5
CUE_THRESHOLD = 0.3
WINDOW_DAYS = 180
_HEAVY_WORDS = 8  # an issue's heaviest words through which other issues are found
_POSTING_CAP = 150  # a word in more issues than this finds nothing (too common)
_SCORED = 8  # issues with the most shared weight scored with a full cosine
_REASON_WORDS = 4
# Words that introduce a place ("tổ dân phố", "khu vực", "ngõ", "đường"): part of a place, not
# of a matter, like the place's own name.
_MARKER_WORDS = frozenset(
    "to dan pho tdp kp kdc khu vuc cu ngo ngach hem kiet duong thon xom kdt".split()
)


@dataclass(frozen=True)
class MergeCandidate:
    keep: int  # the grouper's issue ids
    other: int
    score: float
    words: tuple[str, ...]  # the strongest content words both issues share (folded)
    places: tuple[str, ...]  # the places both name (folded keys), if any


def _dominant_places(issue: _Issue) -> list[str]:
    """Places at least half of the issue's placed items name."""
    if not issue.placed:
        return []
    return [key for key, count in issue.places.items() if 2 * count >= issue.placed]


def _place_verdict(a: list[str], b: list[str]) -> tuple[int, tuple[str, ...]]:
    """+1 (and the shared keys) when both name places and some agree, 0 when neither names one,
    -1 otherwise (none agree, or only one names a place)."""
    if not a and not b:
        return 0, ()
    shared = tuple(sorted({x for x in a for y in b if places_agree(x, y)}))
    return (1, shared) if shared else (-1, ())


def _place_words(*issues: _Issue) -> frozenset[str]:
    named = {w for issue in issues for key in issue.places for w in key.split()}
    return frozenset(named) | _MARKER_WORDS


def _matter(vector: dict[str, float], place_words: frozenset[str]) -> tuple[dict, float]:
    """The centroid without its place words, numbers and pairs holding either."""
    kept = {
        t: v
        for t, v in vector.items()
        if not any(p.isdigit() or p in place_words for p in t.split("_"))
    }
    return kept, math.sqrt(sum(v * v for v in kept.values()))


def _cue_features() -> list[tuple[str, tuple[str, ...]]]:
    """(cue, the grouper's features that spell it) for each topic cue made of content words."""
    out = []
    for tokens in lexicon.default("topic").index:
        if any(t in STOPWORDS or len(t) < 2 for t in tokens):
            continue
        features = (
            tuple(tokens)
            if len(tokens) == 1
            else tuple(f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False))
        )
        out.append((" ".join(tokens), features))
    return out


def _central_cues(issue: _Issue, cues) -> frozenset[str]:
    """Cues at least half of the issue's items say."""
    half = len(issue.members) / 2
    counts = issue.counts
    return frozenset(
        cue for cue, features in cues if all(counts.get(f, 0) >= half for f in features)
    )


def _labels_differ(a: object, b: object) -> bool:
    return a is not None and b is not None and a != b


def _apart(a: _Issue, b: _Issue, window_days: int) -> bool:
    if None in (a.first, a.last, b.first, b.last):
        return False
    gap = max(b.first - a.last, a.first - b.last, 0)
    return gap > window_days


class _Vectors:
    """IDF-weighted centroids of issues, computed once each, with their norms."""

    def __init__(self, grouper: Grouper):
        self.grouper = grouper
        self.cache: dict[int, tuple[dict[str, float], float]] = {}

    def of(self, issue_id: int) -> tuple[dict[str, float], float]:
        found = self.cache.get(issue_id)
        if found is None:
            counts = self.grouper._issues[issue_id].counts
            weights = self.grouper._weigh(counts)
            vector = {t: c * w for (t, c), w in zip(counts.items(), weights, strict=True)}
            norm = math.sqrt(sum(v * v for v in vector.values()))
            found = self.cache[issue_id] = (vector, norm)
        return found


def _cosine(a: tuple[dict[str, float], float], b: tuple[dict[str, float], float]) -> float:
    (va, na), (vb, nb) = a, b
    if not na or not nb:
        return 0.0
    if len(vb) < len(va):
        va, vb = vb, va
    return sum(v * vb[t] for t, v in va.items() if t in vb) / (na * nb)


def _neighbours(grouper: Grouper, vectors: _Vectors, issue_id: int) -> list[int]:
    """Issues sharing most weight of ``issue_id``'s heaviest words that some other issue has
    too, and the issues at its own places."""
    vector, _norm = vectors.of(issue_id)
    postings = grouper._postings
    usable = [t for t in vector if 2 <= len(postings.get(t, ())) <= _POSTING_CAP]
    heavy = sorted(usable, key=lambda t: (-vector[t], t))[:_HEAVY_WORDS]
    shared: dict[int, float] = {}
    for token in heavy:
        for other in postings[token]:
            if other != issue_id:
                shared[other] = shared.get(other, 0.0) + vector[token]
    found = sorted(shared, key=lambda i: (-shared[i], i))[:_SCORED]
    for key in _dominant_places(grouper._issues[issue_id]):
        at = grouper._place_postings.get(key, ())
        if len(at) <= _POSTING_CAP:
            found += sorted(i for i in at if i != issue_id and i not in found)
    return found


def merge_candidates(
    grouper: Grouper,
    issue_ids: Iterable[int] | None = None,
    *,
    threshold: float = THRESHOLD,
    cue_threshold: float = CUE_THRESHOLD,
    window_days: int = WINDOW_DAYS,
    labels: Mapping[int, object] | None = None,
) -> list[MergeCandidate]:
    """Pairs of live issues (at least one of ``issue_ids``, default all) that look like one
    matter, best first; see the module docstring."""
    issues = grouper._issues
    scope = sorted(
        {grouper.resolve(i) for i in issue_ids if i in issues or i in grouper._alias}
        if issue_ids is not None
        else issues
    )
    vectors = _Vectors(grouper)
    cues = _cue_features()
    seen: set[tuple[int, int]] = set()
    found: list[MergeCandidate] = []
    for a_id in scope:
        a = issues[a_id]
        cannot = grouper._cannot.get(a_id, set())
        for b_id in _neighbours(grouper, vectors, a_id):
            pair = (min(a_id, b_id), max(a_id, b_id))
            if pair in seen or b_id in cannot:
                continue
            seen.add(pair)
            if labels is not None and _labels_differ(labels.get(a_id), labels.get(b_id)):
                continue
            b = issues[b_id]
            if _apart(a, b, window_days):
                continue
            verdict, places = _place_verdict(_dominant_places(a), _dominant_places(b))
            if verdict < 0:
                continue
            place_words = _place_words(a, b)
            ma = _matter(vectors.of(a_id)[0], place_words)
            mb = _matter(vectors.of(b_id)[0], place_words)
            score = _cosine(ma, mb) + grouper.place_bonus * verdict
            shared_cues = (
                _central_cues(a, cues) & _central_cues(b, cues) if verdict > 0 else frozenset()
            )
            if score < (cue_threshold if shared_cues else threshold):
                continue
            keep, other = sorted(pair, key=lambda i: (-len(issues[i].members), i))
            va, vb = ma[0], mb[0]
            words = sorted(
                (t for t in va if t in vb and "_" not in t),
                key=lambda t: (-va[t] * vb[t], t),
            )[:_REASON_WORDS]
            found.append(
                MergeCandidate(keep, other, round(min(score, 1.0), 4), tuple(words), places)
            )
    found.sort(key=lambda c: (-c.score, c.keep, c.other))
    return found
