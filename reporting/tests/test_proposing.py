"""Streams proposed from a unit's logged items (issue 15): the pure rules of reporting.proposing."""

from __future__ import annotations

from bench.bench_report_proposals import match_streams
from reporting.proposing import (
    MAJORITY,
    MANY,
    SENSITIVE_SUMMARY,
    SOME,
    ItemData,
    estimate_attitude,
    estimate_reach,
    merge_proposals,
    propose,
)
from synthesis.sentences import centrality, split_sentences
from textengine.normalize import strip_diacritics

ENV, ORDER, LIFE = 1, 2, 3  # topic ids
GARBAGE = "Rác thải tồn đọng ở chợ Hòa Bình nhiều ngày, bốc mùi hôi thối."
GARBAGE_2 = "Bà con phản ánh rác thải ở chợ Hòa Bình chưa được thu gom, bốc mùi hôi."
THEFT = "Trộm cắp xe máy ban đêm tái diễn ở tổ dân phố 3, đề nghị lắp camera an ninh."
WATER = "Nước máy đục mấy hôm nay, bà con lo lắng. Đề nghị công ty cấp nước kiểm tra sớm."


def item(id, text=GARBAGE, topics=(ENV,), attitude="", **fields):
    return ItemData(id=id, text=text, topic_ids=tuple(topics), attitude=attitude, **fields)


def test_grouped_by_issue_first_then_by_topic_each_item_once():
    items = [
        item(1, topics=(ENV,), issue_id=7, attitude="buc_xuc"),
        item(2, GARBAGE_2, topics=(LIFE,), issue_id=7, attitude="buc_xuc"),  # same issue
        item(3, GARBAGE_2, topics=(ENV,), attitude="ban_khoan"),
        item(4, THEFT, topics=(ORDER,), attitude="phan_doi"),
        item(5, THEFT, topics=(ORDER,), attitude="phan_doi"),
        item(6, WATER, topics=(LIFE,), attitude="ban_khoan"),
    ]
    result = propose(items)
    by_key = {p.key: p for p in result.proposals}
    assert set(by_key) == {"issue-7", f"topic-{ENV}", f"topic-{ORDER}", f"topic-{LIFE}"}
    assert by_key["issue-7"].item_ids == (1, 2)
    assert by_key["issue-7"].issue_ids == (7,)
    assert by_key[f"topic-{ENV}"].item_ids == (3,)
    assert by_key[f"topic-{ORDER}"].item_ids == (4, 5)
    assert by_key[f"topic-{LIFE}"].item_ids == (6,)
    every = [i for p in result.proposals for i in p.item_ids]
    assert sorted(every) == [1, 2, 3, 4, 5, 6]  # each item in exactly one proposal
    assert result.total == 6


def test_an_issue_takes_its_items_most_common_topic_ties_to_the_units_commoner_topic():
    items = [
        item(1, topics=(ENV,), issue_id=9),
        item(2, topics=(LIFE,), issue_id=9),
        item(3, WATER, topics=(LIFE,)),  # the unit speaks more of LIFE
    ]
    issue = propose(items).get("issue-9")
    assert issue.topic_id == LIFE


def test_an_item_with_several_topics_joins_the_one_most_items_share():
    items = [
        item(1, topics=(ENV, ORDER)),
        item(2, topics=(ORDER,)),
        item(3, THEFT, topics=(ORDER,)),
    ]
    result = propose(items)
    assert [p.key for p in result.proposals] == [f"topic-{ORDER}"]
    assert result.proposals[0].item_ids == (1, 2, 3)


def test_suggested_topic_is_used_and_items_without_any_topic_are_left_out():
    items = [
        item(1, topics=(), suggested_topic_id=ORDER),
        item(2, THEFT, topics=(ORDER,)),
        item(3, WATER, topics=()),
    ]
    result = propose(items)
    assert result.get(f"topic-{ORDER}").item_ids == (1, 2)
    assert result.unplaced == (3,)


def test_attitude_is_the_dominant_one_ties_go_to_the_more_severe():
    assert estimate_attitude([item(1, attitude="dong_tinh"), item(2, attitude="dong_tinh"),
                              item(3, attitude="buc_xuc")])[0] == "dong_tinh"
    attitude, mix = estimate_attitude([item(1, attitude="ban_khoan"), item(2, attitude="phan_doi")])
    assert attitude == "phan_doi"
    assert mix == (("phan_doi", 1), ("ban_khoan", 1))
    # the engine's suggestion stands in for a missing label; nothing at all: băn khoăn
    assert estimate_attitude([item(1, suggested_attitude="buc_xuc")])[0] == "buc_xuc"
    assert estimate_attitude([item(1)])[0] == "ban_khoan"


def test_reach_from_count_areas_and_share_unless_the_items_carry_one():
    one_area = [item(i, area_id=1) for i in range(4)]
    assert estimate_reach(one_area[:2], 10) == SOME
    assert estimate_reach(one_area[:3], 10) == SOME  # three from one area
    assert estimate_reach([item(1, area_id=1), item(2, area_id=2), item(3, area_id=2)], 10) == MANY
    assert estimate_reach([item(i, area_id=1) for i in range(5)], 20) == MANY
    wide = [item(i, area_id=i % 3) for i in range(6)]
    assert estimate_reach(wide, 12) == MAJORITY
    assert estimate_reach(wide, 13) == MANY  # under half of the unit's items
    assert estimate_reach([item(1, reach="da_so"), item(2, reach="mot_so_y_kien")], 2) == SOME
    assert estimate_reach([item(1, reach="da_so"), item(2, reach="da_so")], 2) == MAJORITY


def test_summary_is_a_typical_item_text_in_whole_sentences_never_a_sensitive_one():
    secret = "Ông X ở số nhà [số] nói xấu lãnh đạo phường trên mạng."
    items = [
        item(1, GARBAGE), item(2, GARBAGE_2), item(3, GARBAGE),
        item(4, secret, sensitive=True),
    ]
    proposal = propose(items).proposals[0]
    assert proposal.summary == GARBAGE  # said twice, the most typical
    assert "nói xấu" not in proposal.summary
    long = " ".join([WATER] * 8)
    summary = propose([item(1, long, topics=(LIFE,))]).proposals[0].summary
    assert summary and len(summary.split()) <= 45
    assert all(s in split_sentences(long) for s in split_sentences(summary))
    only_secret = propose([item(1, secret, sensitive=True)]).proposals[0]
    assert only_secret.summary == SENSITIVE_SUMMARY


def test_diacritics_preferred_for_the_summary():
    # The same words without their marks: as central, as long, and sorted first ("Rac" < "Rác"),
    # so every other tie-break would pick it; only the preference for diacritics picks GARBAGE.
    plain = strip_diacritics(GARBAGE)
    assert plain < GARBAGE and len(plain) == len(GARBAGE)
    assert centrality([plain, GARBAGE])[0] >= centrality([plain, GARBAGE])[1]
    for items in ([item(1, plain), item(2, GARBAGE)], [item(1, GARBAGE), item(2, plain)]):
        assert propose(items).proposals[0].summary == GARBAGE


def test_other_fields_channel_area_groups_latent():
    items = [
        item(1, channel="tiep_xuc_cu_tri", area_id=4, social_group_ids=(1, 2), latent=True),
        item(2, channel="tiep_xuc_cu_tri", area_id=4, social_group_ids=(1,), latent=True),
        item(3, channel="khu_dan_cu", area_id=4, social_group_ids=(), latent=False),
    ]
    p = propose(items).proposals[0]
    assert p.channel == "tiep_xuc_cu_tri"
    assert p.area_id == 4 and p.area_count == 1
    assert p.social_group_ids == (1,)
    assert p.latent is True


def test_merge_takes_the_items_together_and_estimates_again():
    items = [
        item(1, topics=(ENV,), attitude="ban_khoan"),
        item(2, THEFT, topics=(ORDER,), attitude="phan_doi"),
        item(3, THEFT, topics=(ORDER,), attitude="phan_doi"),
    ]
    result = propose(items)
    merged = merge_proposals(result.proposals, items, result.total)
    assert merged.item_ids == (1, 2, 3)
    assert merged.topic_id == ORDER  # the larger proposal's
    assert merged.attitude == "phan_doi"


def test_proposals_are_ordered_largest_first_then_most_severe():
    items = [item(1, WATER, topics=(LIFE,), attitude="dong_tinh"),
             item(2, THEFT, topics=(ORDER,), attitude="phan_doi"),
             item(3, topics=(ENV,), attitude="ban_khoan"), item(4, topics=(ENV,))]
    assert [p.topic_id for p in propose(items).proposals] == [ENV, ORDER, LIFE]


def test_match_streams_counts_streams_a_proposal_of_the_same_topic_gives():
    result = propose([item(1), item(2, THEFT, topics=(ORDER,))])
    match = match_streams(result.proposals, [(ENV, "abc"), (ENV, "de"), (LIFE, "xyz")])
    assert (match.streams, match.kept) == (3, 1)  # each proposal used once
    assert match.characters_saved == len(GARBAGE) + 4
    assert match.characters_typed == 3 + 2 + 3 + 3 * 4
    assert match.unmatched_topics == [ENV, LIFE]
