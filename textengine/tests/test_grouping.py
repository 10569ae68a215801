"""Grouping items into issues: same matter joins (accents or not, weeks apart), others do not;
ids are stable across save/load; merge and split; the JSONL command's contract."""

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textengine.grouping import (
    Grouper,
    content_features,
    group_jsonl,
    place_keys,
    places_agree,
)

D = dt.date(2026, 9, 1)

FLOOD = [
    "Đường Nguyễn Trãi ngập nặng mỗi khi mưa to, nước tràn vào nhà dân",
    "duong nguyen trai ngap nang moi khi mua to nuoc tran vao nha dan",
    "Bà con phản ánh: đường Nguyễn Trãi lại ngập nặng sau trận mưa to tối qua, nước tràn vào nhà",
    "Mưa to là đường Nguyễn Trãi ngập nặng, đề nghị nạo vét cống",
]
GARBAGE = [
    "Rác thải tập kết bừa bãi ở chợ Hòa Bình, bốc mùi hôi thối",
    "rac thai tap ket bua bai o cho Hoa Binh boc mui hoi thoi qua",
    "Điểm tập kết rác ở chợ Hòa Bình bốc mùi hôi thối, rác thải ùn ứ",
]
KARAOKE = "Quán karaoke tại tổ dân phố 5 mở loa rất to sau 22 giờ"
KARAOKE_LATER = "Tiếng karaoke ở TDP 5 mở loa to sau 22 giờ đêm qua, không ai ngủ được"
KARAOKE_ELSEWHERE = "Quán karaoke tại tổ dân phố 9 mở loa rất to sau 22 giờ"


def _grouper(texts, start=0, day=D):
    g = Grouper()
    ids = [g.assign(f"i{start + n}", t, day + dt.timedelta(days=n)) for n, t in enumerate(texts)]
    return g, ids


def test_same_matter_with_and_without_diacritics_joins_one_issue():
    g, ids = _grouper(FLOOD)
    assert len(set(ids)) == 1


def test_unrelated_matters_open_different_issues():
    g, ids = _grouper([FLOOD[0], GARBAGE[0], KARAOKE])
    assert len(set(ids)) == 3


def test_a_paraphrase_weeks_later_joins_the_existing_issue():
    g, ids = _grouper(GARBAGE[:2])
    later = g.assign("late", GARBAGE[2], D + dt.timedelta(days=40))
    assert later == ids[0]
    assert g.span(later) == (D, D + dt.timedelta(days=40))


def test_same_problem_at_another_place_is_another_issue():
    g, ids = _grouper([KARAOKE, KARAOKE_LATER])
    assert ids[0] == ids[1]
    assert g.assign("x", KARAOKE_ELSEWHERE, D) != ids[0]
    assert g.assign("y", FLOOD[0].replace("Nguyễn Trãi", "Lê Lợi"), D) != ids[0]


def test_place_keys_read_numbered_and_named_places():
    assert place_keys("Quán karaoke tại TDP 5") == ["tdp 5"]
    assert place_keys("khu dân cư tổ dân phố 5 mất nước") == ["tdp 5"]
    assert place_keys("Đường Nguyễn Trãi ngập") == ["nguyen trai"]
    assert place_keys("ngo 62 hoang dieu ngap") == ["ngo 62", "hoang dieu"]
    assert place_keys("Rác ở chợ Hòa Bình") == ["hoa binh"]
    assert place_keys("cho em hoi ve rac") == []  # "cho" is only a market before a Name
    assert places_agree("tran hung", "tran hung dao")
    assert not places_agree("nguyen trai", "nguyen du")


def test_content_features_drop_function_words():
    feats = content_features("Đề nghị chính quyền xử lý việc ngập ở đường Nguyễn Trãi")
    assert "ngap" in feats and "nguyen_trai" in feats
    assert "o" not in feats and "de" not in feats


def test_re_assigning_a_known_item_keeps_its_issue():
    g, ids = _grouper(FLOOD + GARBAGE)
    assert g.assign("i0", "một văn bản hoàn toàn khác", D) == ids[0]


def test_saved_and_loaded_grouper_continues_exactly_like_the_original(tmp_path):
    first, rest = FLOOD[:2] + GARBAGE[:2], FLOOD[2:] + GARBAGE[2:] + [KARAOKE, KARAOKE_LATER]
    straight, ids_straight = _grouper(first + rest)
    g, ids_first = _grouper(first)
    g.save(tmp_path / "state.bin")
    loaded = Grouper.load(tmp_path / "state.bin")
    ids_rest = [
        loaded.assign(f"i{len(first) + n}", t, D + dt.timedelta(days=len(first) + n))
        for n, t in enumerate(rest)
    ]
    assert ids_first + ids_rest == ids_straight
    assert loaded.dumps() == straight.dumps()


def test_integer_and_string_item_ids_survive_saving():
    g = Grouper()
    g.assign(7, FLOOD[0], D)
    g.assign("bảy", FLOOD[1], D)
    loaded = Grouper.loads(g.dumps())
    assert loaded.issue_of(7) == loaded.issue_of("bảy") == g.issue_of(7)
    assert 7 in loaded and "7" not in loaded


def test_corrupt_state_is_refused_in_vietnamese():
    with pytest.raises(ValueError, match="không đọc được"):
        Grouper.loads(b"rubbish")


def test_merge_keeps_one_id_and_the_other_as_alias():
    g, ids = _grouper([FLOOD[0], GARBAGE[0]])
    a, b = ids
    assert g.merge(a, b) == a
    assert g.resolve(b) == a
    assert g.issues() == [a]
    assert set(g.members(b)) == {"i0", "i1"}
    assert g.aliases() == {b: a}
    # New items of either matter now land in the surviving id, never in the alias.
    assert g.assign("n1", GARBAGE[1], D) == a
    assert g.assign("n2", FLOOD[1], D) == a


def test_merge_does_not_change_other_issues_word_statistics():
    g, ids = _grouper([FLOOD[0], GARBAGE[0], KARAOKE])
    before = dict(g._df)
    g.merge(ids[0], ids[1])
    assert g._df == before
    assert g.assign("k", KARAOKE_LATER, D) == ids[2]


def test_split_moves_items_and_their_words_out_of_the_old_issue():
    g = Grouper(threshold=0.2, place_bonus=0.0)  # loose on purpose: garbage joins the flood issue
    a = g.assign("f0", FLOOD[0], D)
    assert g.assign("g0", "Rác thải tập kết bừa bãi ở đường Nguyễn Trãi mỗi khi mưa to", D) == a
    b = g.split(a, ["g0"])
    assert b != a
    assert g.members(a) == ["f0"] and g.members(b) == ["g0"]
    assert "rac" not in g._issues[a].counts and g._issues[b].counts["rac"] == 1
    assert g.cannot_link(a) == {b} and g.cannot_link(b) == {a}


def test_after_a_split_a_copy_of_a_moved_item_goes_to_its_new_issue():
    g = Grouper(threshold=0.2, place_bonus=0.0)
    a = g.assign("f0", FLOOD[0], D)
    g.assign("f1", FLOOD[1], D)
    moved = "Đường Nguyễn Trãi ngập nặng, rác thải trôi vào nhà dân khi mưa to"
    assert g.assign("g0", moved, D) == a
    b = g.split(a, ["g0"])
    # A near-copy of the moved item would score higher with the big flood centroid; the
    # cannot-link rule sends it after the item the office moved.
    assert g.assign("g1", moved + "!", D) == b


def test_split_refuses_bad_requests_in_vietnamese():
    g, ids = _grouper(FLOOD[:2])
    with pytest.raises(ValueError, match="không thuộc"):
        g.split(ids[0], ["nope"])
    with pytest.raises(ValueError, match="toàn bộ"):
        g.split(ids[0], ["i0", "i1"])
    with pytest.raises(ValueError, match="ít nhất"):
        g.split(ids[0], [])


def test_merging_split_parts_again_lifts_the_constraint():
    g, ids = _grouper(FLOOD[:3])
    b = g.split(ids[0], ["i2"])
    g.merge(ids[0], b)
    assert g.cannot_link(ids[0]) == set()


def test_state_after_merge_and_split_survives_saving():
    g, ids = _grouper(FLOOD + GARBAGE + [KARAOKE])
    b = g.split(ids[0], ["i3"])
    g.merge(ids[-1], ids[4])
    loaded = Grouper.loads(g.dumps())
    assert loaded.aliases() == g.aliases()
    assert loaded.cannot_link(ids[0]) == {b}
    assert {i: loaded.issue_of(i) for i in ["i0", "i3", "i4", "i7"]} == {
        i: g.issue_of(i) for i in ["i0", "i3", "i4", "i7"]
    }
    assert loaded.assign("z", KARAOKE_LATER, D) == g.assign("z", KARAOKE_LATER, D)


def test_empty_and_emoji_only_items_get_their_own_issue():
    g = Grouper()
    ids = [g.assign(n, t, D) for n, t in enumerate(["", "🙂🙂🙂", "   ", FLOOD[0]])]
    assert len(set(ids)) == 4


# ------------------------------------------------------------------ group_jsonl
def _write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_group_jsonl_writes_one_group_per_line_in_order(tmp_path):
    rows = [{"id": n, "text": t, "date": "2026-09-01"} for n, t in enumerate(FLOOD + GARBAGE)]
    src = _write(tmp_path / "in.jsonl", [json.dumps(r, ensure_ascii=False) for r in rows])
    summary = group_jsonl(src, tmp_path / "out.jsonl")
    out = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert [o["line"] for o in out] == list(range(1, 8))
    assert [o["id"] for o in out] == list(range(7))
    groups = [o["group"] for o in out]
    assert len(set(groups[:4])) == 1 and len(set(groups[4:])) == 1 and groups[0] != groups[4]
    assert summary == {"ý kiến": 7, "vấn đề": 2}


def test_group_jsonl_uses_another_text_field_and_skips_blank_lines(tmp_path):
    src = _write(tmp_path / "in.jsonl", ['{"noi_dung": "a"}', "", '{"noi_dung": "b"}'])
    group_jsonl(src, tmp_path / "out.jsonl", text_field="noi_dung")
    out = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert [o["line"] for o in out] == [1, 3]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "Dòng 2: không phải JSON hợp lệ"),
        ('["a"]', "Dòng 2: mỗi dòng phải là một đối tượng JSON"),
        ('{"label": "x"}', 'Dòng 2: thiếu trường "text"'),
        ('{"text": 5}', 'Dòng 2: trường "text" phải là chuỗi'),
        ('{"text": "a", "date": "hôm qua"}', "Dòng 2: ngày"),
    ],
)
def test_group_jsonl_names_the_bad_line_and_writes_nothing(tmp_path, line, message):
    src = _write(tmp_path / "in.jsonl", ['{"text": "ổn"}', line, '{"text": "ổn"}'])
    with pytest.raises(ValueError, match=message):
        group_jsonl(src, tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()


def test_group_jsonl_refuses_non_utf8(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"text": "ok"}\n{"text": "\xff\xfe"}\n')
    with pytest.raises(ValueError, match="Dòng 2: không phải văn bản UTF-8"):
        group_jsonl(src, tmp_path / "out.jsonl")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=60), max_size=12))
def test_any_texts_get_stable_ids_and_survive_a_round_trip(texts):
    g = Grouper()
    ids = [g.assign(n, t, None) for n, t in enumerate(texts)]
    assert all(isinstance(i, int) and i >= 1 for i in ids)
    loaded = Grouper.loads(g.dumps())
    assert [loaded.issue_of(n) for n in range(len(texts))] == ids
    assert [loaded.assign(n, "khác", None) for n in range(len(texts))] == ids


# ------------------------------------------------------------------ assign_many (batch)
BATCH = FLOOD + GARBAGE + [KARAOKE, KARAOKE_LATER, KARAOKE_ELSEWHERE, "", "🙂", FLOOD[0]]


def test_assign_many_gives_exactly_what_one_assign_per_item_gives():
    one_by_one, ids = _grouper(BATCH)
    batch = Grouper()
    got = batch.assign_many((f"i{n}", t, D + dt.timedelta(days=n)) for n, t in enumerate(BATCH))
    assert got == ids
    assert batch.dumps() == one_by_one.dumps()


def test_assign_many_continues_an_existing_grouper_and_keeps_known_items():
    g, ids = _grouper(FLOOD[:2] + GARBAGE[:1])
    got = g.assign_many(
        [("i0", "văn bản khác hẳn", D), ("n1", FLOOD[2], D), ("n2", GARBAGE[1], D),
         ("n1", "một lần nữa, khác hẳn", D)]  # an id repeated in the batch keeps its issue
    )
    assert got == [ids[0], ids[0], ids[2], ids[0]]
    assert len(g) == 5


def test_assign_many_of_nothing_changes_nothing():
    g, _ids = _grouper(FLOOD[:2])
    before = g.dumps()
    assert g.assign_many([]) == []
    assert g.dumps() == before


def test_assign_many_pauses_the_garbage_collector_only_while_it_runs():
    import gc

    g = Grouper()
    g.assign_many((n, BATCH[n % len(BATCH)], None) for n in range(1500))
    assert gc.isenabled()
    assert len(g) == 1500


def test_a_big_batch_groups_like_one_assign_per_item():
    texts = [f"{t} {n % 7}" if n % 3 else t for n, t in enumerate(BATCH * 20)]
    one_by_one = Grouper()
    ids = [one_by_one.assign(n, t, None) for n, t in enumerate(texts)]
    batch = Grouper()
    assert batch.assign_many((n, t, None) for n, t in enumerate(texts)) == ids
    assert batch.dumps() == one_by_one.dumps()
