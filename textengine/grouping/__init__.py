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

from textengine.grouping.features import analyse, content_features
from textengine.grouping.grouper import Grouper
from textengine.grouping.jsonl import group_jsonl
from textengine.grouping.places import _agreeing_keys, _place_verdict, place_keys, places_agree
from textengine.grouping.records import _Issue, _Item
from textengine.grouping.words import STOPWORDS

__all__ = [
    "Grouper",
    "content_features",
    "group_jsonl",
    "STOPWORDS",
    "analyse",
    "place_keys",
    "places_agree",
    "_Issue",
    "_Item",
    "_agreeing_keys",
    "_place_verdict",
]
