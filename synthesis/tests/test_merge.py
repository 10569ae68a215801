"""Merged statements and recommendations on constructed unit reports with known overlaps."""

from __future__ import annotations

import random

from synthesis import (
    OTHER,
    Statement,
    detect_addressee,
    merge_recommendations,
    merge_statements,
    quote_candidates,
    split_sentences,
)

FLOOD = [
    "Người dân bức xúc vì tình trạng ngập úng kéo dài sau mưa lớn ở tổ 5.",
    "Nhân dân bức xúc tình trạng ngập úng sau các trận mưa lớn ở tổ 5.",
    "Nguoi dan buc xuc vi tinh trang ngap ung keo dai sau mua lon o to 5.",
    "Bà con bức xúc về tình trạng ngập úng kéo dài sau mưa lớn tại tổ 5.",
]
WASTE = [
    "Người dân phản ánh rác thải tồn đọng lâu ngày tại điểm tập kết đầu ngõ.",
    "Rác thải tồn đọng lâu ngày ở điểm tập kết đầu ngõ gây mùi hôi.",
]
SCAM = "Nhiều người lo lắng trước các thủ đoạn lừa đảo qua mạng giả danh công an."
FESTIVAL = "Nhân dân phấn khởi trước kết quả Ngày hội Đại đoàn kết toàn dân tộc."


def _reports() -> list[Statement]:
    statements = []
    for n, text in enumerate(FLOOD):
        statements.append(Statement(text, ("stream", n), f"Chi bộ {n + 1:02}", group="Hưu trí",
                                    topic="Môi trường", attitude="buc_xuc"))
    for n, text in enumerate(WASTE):
        statements.append(Statement(text, ("stream", 10 + n), f"Chi bộ {n + 11:02}",
                                    topic="Môi trường", attitude="ban_khoan"))
    statements.append(Statement(SCAM, ("stream", 20), "Chi bộ 20", topic="An ninh trật tự"))
    statements.append(Statement(FESTIVAL, ("stream", 21), "Chi bộ 21", topic="Chính trị"))
    statements.append(Statement(FESTIVAL, ("stream", 22), "Chi bộ 22", topic="Chính trị",
                                attitude="dong_tinh"))
    # The same unit saying the same again counts as one unit.
    statements.append(Statement(FLOOD[0], ("stream", 23), "Chi bộ 01", topic="Môi trường",
                                attitude="ban_khoan"))
    return statements


def test_paraphrases_merge_with_their_counts_and_units_and_different_matters_do_not():
    merged = merge_statements(_reports())
    assert [m.unit_count for m in merged] == [4, 2, 2, 1]
    flood, second, third, scam = merged
    assert flood.count == 5
    assert flood.units == ("Chi bộ 01", "Chi bộ 02", "Chi bộ 03", "Chi bộ 04")
    assert flood.text in FLOOD
    assert flood.topics == (("Môi trường", 5),)
    assert flood.attitudes == (("buc_xuc", 4), ("ban_khoan", 1))
    assert flood.groups == (("Hưu trí", 4),)
    assert set(flood.sources) == {("stream", n) for n in (0, 1, 2, 3, 23)}
    assert {second.text, third.text} == {FESTIVAL, second.text if second.text != FESTIVAL
                                         else third.text}
    waste = second if second.text != FESTIVAL else third
    assert waste.text in WASTE and waste.units == ("Chi bộ 11", "Chi bộ 12")
    assert scam.text == SCAM and scam.units == ("Chi bộ 20",)
    assert flood.label == f"{flood.text[:-1]} — 4 đơn vị"


def test_representative_is_the_most_central_member():
    texts = [
        "Nhân dân bức xúc tình trạng ngập úng sau mưa lớn.",
        "Nhân dân bức xúc tình trạng ngập úng sau mưa lớn.",
        "Nhân dân bức xúc tình trạng ngập úng sau các trận mưa lớn kéo dài.",
        "Nhân dân rất bức xúc về tình trạng ngập úng sau mưa lớn, đề nghị sớm xử lý.",
    ]
    statements = [Statement(t, n, f"U{n}") for n, t in enumerate(texts)]
    [merged] = merge_statements(statements)
    assert merged.text == texts[0]
    assert merged.representative is statements[0]
    assert merged.members[0] is statements[0]


def test_topics_are_blocks_unless_asked_otherwise():
    a = Statement(FLOOD[0], 1, "A", topic="Môi trường")
    b = Statement(FLOOD[0], 2, "B", topic="Hạ tầng")
    assert len(merge_statements([a, b])) == 2
    [merged] = merge_statements([a, b], by_topic=False)
    assert merged.topics == (("Hạ tầng", 1), ("Môi trường", 1))


def test_deterministic_and_the_same_groups_whatever_the_input_order():
    statements = _reports()
    first = merge_statements(statements)
    assert merge_statements(statements) == first
    shuffled = statements[:]
    random.Random(7).shuffle(shuffled)
    again = merge_statements(shuffled)
    # Ties in the order (as many units, as many members) go to the statement given first.
    assert sorted((m.units, m.count) for m in again) == sorted((m.units, m.count) for m in first)
    assert [m.unit_count for m in again] == [m.unit_count for m in first]


def test_empty_and_blank_statements():
    assert merge_statements([]) == []
    [merged] = merge_statements([Statement("", 1, "A"), Statement("  ", 2, "B")])
    assert merged.unit_count == 2


SCAM_REQUESTS = [
    "Đề nghị tăng cường tuyên truyền nhận diện thủ đoạn lừa đảo qua mạng trên loa truyền thanh.",
    "Kiến nghị đẩy mạnh tuyên truyền để người dân nhận diện các thủ đoạn lừa đảo qua mạng.",
    "De nghi tang cuong tuyen truyen nhan dien lua dao qua mang.",
    "Đề nghị tăng cường tuyên truyền nhận diện lừa đảo qua mạng.",
]


def test_addressee_detection_from_the_rule_table():
    assert detect_addressee("Đề nghị UBND phường làm việc với công ty cấp nước") == "ubnd"
    assert detect_addressee("Kiến nghị Ủy ban nhân dân phường sớm duy tu đường") == "ubnd"
    assert detect_addressee("Đề nghị Ủy ban MTTQ phường vận động hỗ trợ") == "mttq"
    assert detect_addressee("Đề nghị Đoàn Thanh niên phường duy trì tổ công nghệ số") == "mttq"
    assert detect_addressee("De nghi Dang uy phuong huong dan mien sinh hoat dang") == "dang_uy"
    assert detect_addressee("Đề nghị cấp có thẩm quyền sớm giải quyết chế độ") == "cap_tren"
    assert detect_addressee("Đề nghị ngành điện kiểm tra công tơ") == "cap_tren"
    assert detect_addressee(SCAM_REQUESTS[0]) == OTHER


def test_same_request_to_the_same_addressee_becomes_one_with_a_label():
    statements = [Statement(t, n, f"CB{n:02}") for n, t in enumerate(SCAM_REQUESTS * 3)]
    statements += [
        Statement("Đề nghị UBND phường bố trí lịch thu gom rác cố định.", 50, "CB50"),
        Statement("Đề nghị UBND phường bố trí lịch thu gom rác cố định, đúng giờ.", 51, "CB51"),
        # The same words to another addressee stay apart.
        Statement("Đề nghị Ủy ban MTTQ phường bố trí lịch thu gom rác cố định.", 52, "CB52"),
        # Another matter for the same addressee stays apart.
        Statement("Đề nghị UBND phường sớm duy tu tuyến đường liên tổ dân phố.", 53, "CB53"),
        Statement("Đề nghị tăng cường tuyên truyền về an toàn giao thông cho học sinh.", 54,
                  "CB54"),
    ]
    merged = merge_recommendations(statements)
    summary = [(m.addressee, m.unit_count) for m in merged]
    assert summary == [(OTHER, 12), ("ubnd", 2), ("mttq", 1), ("ubnd", 1), (OTHER, 1)]
    scam = merged[0]
    assert scam.label.endswith(" — 12 đơn vị")
    assert scam.label.startswith("Tăng cường tuyên truyền nhận diện")
    waste = merged[1]
    assert waste.label.startswith("Bố trí lịch thu gom rác cố định")
    assert merged[2].label == "Bố trí lịch thu gom rác cố định — 1 đơn vị"


def test_a_given_addressee_is_kept():
    statements = [
        Statement("Sớm sửa đèn chiếu sáng ngõ 62.", 1, "A", addressee="ubnd"),
        Statement("Sớm sửa đèn chiếu sáng ngõ 62.", 2, "B"),
    ]
    assert [m.addressee for m in merge_recommendations(statements)] == ["ubnd", OTHER]


def test_quotations_are_whole_sentences_from_distinct_units():
    statements = [
        Statement(FLOOD[0] + " Nước tràn vào nhà nhiều hộ.", 1, "A"),
        Statement(FLOOD[1] + " Đề nghị sớm nạo vét cống.", 2, "B"),
        Statement(FLOOD[3], 3, "C"),
    ]
    [merged] = merge_statements(statements)
    quotes = quote_candidates(merged, k=2)
    assert 1 <= len(quotes) <= 2
    every = {s: st.unit for st in statements for s in split_sentences(st.text)}
    for quote in quotes:
        assert every[quote.text] == quote.unit
    assert len({q.unit for q in quotes}) == len(quotes)
    assert quote_candidates(merged, k=0) == []
