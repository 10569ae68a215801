"""Large batches: near-duplicates found for the whole batch in one array pass and the LSH
buckets filled at the end give exactly what one ``assign`` per item gives (issues, state)."""

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textengine.grouping import Grouper, _agreeing_keys, _Issue, _place_verdict, places_agree
from textengine.grouping import grouper as grouping  # where _BATCH_NEAR is read
from textengine.normalize import fold

D = dt.date(2026, 9, 1)

MATTERS = [
    "{p} ngập nặng mỗi khi mưa to, nước tràn vào nhà dân",
    "Cống thoát nước ở {p} bị tắc nên mưa là ngập",
    "Rác thải tập kết bừa bãi ở {p}, bốc mùi hôi thối",
    "Xe thu gom rác không đến {p}, rác ùn ứ cả tuần",
    "Đèn đường ở {p} hỏng cả tháng nay, tối đi rất nguy hiểm",
    "Quán karaoke tại {p} mở loa rất to sau 22 giờ",
    "Mặt đường {p} xuống cấp, ổ gà ổ voi rất nhiều",
    "Nước sinh hoạt ở {p} bị mất liên tục, có ngày mất cả ngày",
]
PLACES = ["đường Nguyễn Trãi", "tổ dân phố 5", "TDP 9", "ngõ 62 Hoàng Diệu", "chợ Hòa Bình",
          "đường Lê Lợi", "khu dân cư số 3", "phố Huế"]
EXTRAS = ["", "Bà con phản ánh: ", "Đề nghị phường xử lý: "]


def items(count: int, seed: int) -> list[str]:
    """Matters × places with and without diacritics, greetings, copies and blanks."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.03:
            out.append(rng.choice(["", "🙂🙂", "   "]))
            continue
        if roll < 0.15 and out:
            out.append(rng.choice(out))  # a forwarded copy
            continue
        text = rng.choice(EXTRAS) + rng.choice(MATTERS).format(p=rng.choice(PLACES))
        if rng.random() < 0.3:
            text = fold(text)
        if rng.random() < 0.3:
            words = text.split()
            del words[rng.randrange(len(words))]
            text = " ".join(words)
        out.append(text)
    return out


@pytest.fixture
def small_batches(monkeypatch):
    """The array pass from 20 new items on, so that moderate tests exercise it."""
    monkeypatch.setattr(grouping, "_BATCH_NEAR", 20)


def one_by_one(records, grouper=None):
    grouper = grouper or Grouper()
    return grouper, [grouper.assign(i, t, w) for i, t, w in records]


def test_a_large_batch_gives_what_one_assign_per_item_gives(small_batches):
    texts = items(1500, seed=1)
    records = [(n, t, D + dt.timedelta(days=n % 40)) for n, t in enumerate(texts)]
    sequential, expected = one_by_one(records)
    batch = Grouper()
    assert batch.assign_many(records) == expected
    assert batch.dumps() == sequential.dumps()


def test_a_batch_on_top_of_an_existing_grouper_with_known_and_repeated_ids(small_batches):
    first = [(n, t, None) for n, t in enumerate(items(600, seed=2))]
    later_texts = items(900, seed=3)
    later = [(1000 + n, t, None) for n, t in enumerate(later_texts)]
    later[10] = (5, "một ý kiến đã có", None)  # known before the batch: keeps its issue
    later[20] = (1000 + 15, "lặp lại mã trong lô", None)  # repeated inside the batch
    sequential, _ = one_by_one(first)
    _, expected = one_by_one(later, sequential)
    batch = Grouper()
    batch.assign_many(first)  # itself a batch
    assert batch.assign_many(later) == expected
    assert batch.dumps() == sequential.dumps()


def test_a_loaded_grouper_continues_a_batch_like_the_one_that_was_saved(small_batches):
    first = [(n, t, None) for n, t in enumerate(items(500, seed=4))]
    later = [(f"x{n}", t, None) for n, t in enumerate(items(500, seed=5))]
    kept = Grouper()
    kept.assign_many(first)
    loaded = Grouper.loads(kept.dumps())
    assert loaded.assign_many(later) == kept.assign_many(later)
    assert loaded.dumps() == kept.dumps()


def test_a_bad_record_stops_the_batch_with_what_came_before_it_indexed(small_batches):
    texts = items(400, seed=6)
    records = [(n, t, None) for n, t in enumerate(texts)]
    records[300] = (300, texts[300], "không phải ngày")
    batch = Grouper()
    with pytest.raises(ValueError):
        batch.assign_many(records)
    sequential, _ = one_by_one(records[:300])
    assert batch.dumps() == sequential.dumps()
    # The LSH buckets hold the 300 stored items: what follows is grouped the same way.
    more = [(f"m{n}", t, None) for n, t in enumerate(items(200, seed=7))]
    assert batch.assign_many(more) == [sequential.assign(i, t, w) for i, t, w in more]


def test_the_default_threshold_takes_the_array_pass_for_a_big_batch():
    texts = items(grouping._BATCH_NEAR + 100, seed=8)
    records = [(n, t, None) for n, t in enumerate(texts)]
    sequential, expected = one_by_one(records)
    assert Grouper().assign_many(records) == expected


key = st.lists(
    st.sampled_from(["tran", "hung", "dao", "tdp", "5", "nguyen", "trai", "du"]),
    min_size=1, max_size=3,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(key, max_size=4), st.dictionaries(key, st.integers(1, 5), max_size=6))
def test_place_agreement_by_sets_equals_pairwise_prefix_checks(places, issue_places):
    places = tuple(dict.fromkeys(places))
    issue = _Issue(1, places=dict(issue_places), placed=sum(issue_places.values()))
    same, longer = _agreeing_keys(places)
    for key in issue_places:
        pairwise = any(places_agree(mine, key) for mine in places)
        assert (key in same or key.startswith(longer)) == pairwise
    expected = 0
    if places and issue.placed:
        agreeing = sum(
            count for key, count in issue.places.items()
            if any(places_agree(mine, key) for mine in places)
        )
        share = min(agreeing, issue.placed) / issue.placed
        expected = 1 if share >= 0.5 else (-1 if share < 1 / 3 else 0)
    assert _place_verdict(places, issue) == expected
