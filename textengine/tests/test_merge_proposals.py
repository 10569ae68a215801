"""The second pass over whole issues: one matter worded two ways at one place is proposed; another
matter at the same place, the same matter at another place, another topic, issues heard far
apart and issues the office split are not."""

from __future__ import annotations

import datetime as dt

from textengine.grouping import Grouper
from textengine.grouping.proposals import merge_candidates

D = dt.date(2026, 3, 1)
DRAIN = ["Cống thoát nước ở tổ dân phố 3 bị tắc nên mưa là ngập",
         "Cống thoát nước tổ dân phố 3 tắc, mưa là ngập nặng"]
RAIN = ["Mưa lớn chiều qua làm tổ dân phố 3 ngập gần nửa mét, đề nghị nạo vét",
        "Mưa lớn chiều qua tổ dân phố 3 ngập gần nửa mét"]
KARAOKE = ["Quán karaoke ở tổ dân phố 3 mở loa rất to sau 22 giờ",
           "Karaoke tổ dân phố 3 mở loa to sau 22 giờ"]
ELSEWHERE = ["Mưa lớn chiều qua làm tổ dân phố 5 ngập gần nửa mét, đề nghị nạo vét",
             "Mưa lớn tổ dân phố 5 ngập gần nửa mét"]


def grouped(*groups: list[str], days: tuple[int, ...] = ()) -> tuple[Grouper, list[int]]:
    grouper = Grouper()
    issues = []
    for n, texts in enumerate(groups):
        when = D + dt.timedelta(days=days[n] if days else 0)
        ids = grouper.assign_many((f"{n}-{i}", t, when) for i, t in enumerate(texts))
        assert len(set(ids)) == 1, "each group is one issue for the item grouping"
        issues.append(ids[0])
    assert len(set(issues)) == len(groups), "and the item grouping keeps them apart"
    return grouper, issues


def test_one_matter_worded_two_ways_at_one_place_is_proposed_and_nothing_else():
    grouper, (drain, rain, karaoke, elsewhere) = grouped(DRAIN, RAIN, KARAOKE, ELSEWHERE)
    found = merge_candidates(grouper)
    assert [(c.keep, c.other) for c in found] == [(drain, rain)]
    assert found[0].places == ("tdp 3",)
    assert "ngap" in found[0].words and "to" not in found[0].words  # no place words
    assert karaoke and elsewhere


def test_issues_of_different_topics_heard_far_apart_or_split_are_not_proposed():
    grouper, (drain, rain) = grouped(DRAIN, RAIN)
    assert merge_candidates(grouper, labels={drain: "moi_truong", rain: "giao_duc"}) == []
    assert merge_candidates(grouper, labels={drain: "moi_truong", rain: None})
    far, _ = grouped(DRAIN, RAIN, days=(0, 400))
    assert merge_candidates(far) == []
    assert merge_candidates(far, window_days=500)
    # The office split them: a cannot-link, never proposed again.
    joined = Grouper()
    ids = joined.assign_many((i, t, D) for i, t in enumerate(DRAIN + DRAIN))
    joined.split(ids[0], [2, 3])
    assert merge_candidates(joined) == []


def test_the_scope_limits_the_issues_looked_at_but_not_their_partners():
    grouper, (drain, rain, karaoke, _elsewhere) = grouped(DRAIN, RAIN, KARAOKE, ELSEWHERE)
    assert merge_candidates(grouper, [karaoke]) == []
    assert [(c.keep, c.other) for c in merge_candidates(grouper, [rain])] == [(drain, rain)]
