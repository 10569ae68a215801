"""Sections I–IV drafted as a synthesis, on constructed unit reports with known overlaps."""

from __future__ import annotations

import re

from reporting import drafting
from reporting.consolidation import StreamData, UnitReportData, consolidate
from reporting.drafting import IssueRef, compact_names, units_phrase
from reporting.periods import parse_period
from synthesis import split_sentences

NOV = parse_period("2026-11")
FLOOD = [
    "Người dân bức xúc vì tình trạng ngập úng kéo dài sau mưa lớn ở tổ 5.",
    "Nhân dân bức xúc tình trạng ngập úng sau các trận mưa lớn ở tổ 5.",
    "Bà con bức xúc về tình trạng ngập úng kéo dài sau mưa lớn tại tổ 5.",
    "Nguoi dan buc xuc vi tinh trang ngap ung keo dai sau mua lon o to 5.",
]
SCAM = "Nhiều người lo lắng trước các thủ đoạn lừa đảo qua mạng giả danh công an phường."
PRICES = "Tiểu thương lo lắng về giá điện tăng cao trong các tháng nắng nóng vừa qua."
LONG = (
    "Tình hình tư tưởng của cán bộ, đảng viên và nhân dân trên địa bàn cơ bản ổn định, tin tưởng"
    " vào sự lãnh đạo của Đảng ủy và sự điều hành của chính quyền phường. Tuy nhiên, một bộ phận"
    " nhân dân còn băn khoăn về giá điện và tình trạng ngập úng sau mưa lớn kéo dài nhiều ngày ở"
    " các ngõ trũng thấp của phường."
)
RECOMMEND_SCAM = [
    "Đề nghị tăng cường tuyên truyền nhận diện lừa đảo qua mạng.",
    "Kiến nghị tăng cường tuyên truyền để nhận diện lừa đảo qua mạng.",
    "Đề nghị tăng cường tuyên truyền nhận diện các thủ đoạn lừa đảo qua mạng.",
]
RECOMMEND_UBND = "Đề nghị UBND phường nạo vét cống thoát nước ở các ngõ trũng thấp."


def stream(topic, summary, attitude="buc_xuc", **kwargs):
    return StreamData(
        topic=topic, attitude=attitude, reach="nhieu_y_kien", summary=summary, **kwargs
    )


def unit_report(n, *streams, period="2026-11", **sections):
    return UnitReportData(
        unit=f"Chi bộ Khu dân cư An Lư {n}",
        period=period,
        sections={"tu_tuong": LONG, **sections},
        streams=tuple(streams),
        report_id=100 + n,
    )


def world():
    reports = [
        unit_report(
            n,
            stream("Môi trường", text, social_groups=("Người cao tuổi",)),
            kien_nghi=RECOMMEND_UBND if n < 2 else "Không có.",
        )
        for n, text in enumerate(FLOOD)
    ]
    reports += [
        unit_report(
            10 + n,
            stream("Trật tự an toàn xã hội", SCAM, attitude="ban_khoan", issues=("VD-1",)),
            kien_nghi=text,
        )
        for n, text in enumerate(RECOMMEND_SCAM)
    ]
    reports.append(
        unit_report(
            20,
            stream("Đời sống", PRICES, latent=True, area="Tổ 7"),
            kien_nghi="1. Đề nghị ngành điện giải thích cách tính giá điện.",
        )
    )
    previous = [unit_report(n, stream("Môi trường", FLOOD[0]), period="2026-10") for n in range(1)]
    previous += [
        unit_report(10 + n, stream("Trật tự an toàn xã hội", SCAM), period="2026-10")
        for n in range(3)
    ]
    return reports, previous


def drafted(**kwargs):
    reports, previous = world()
    return consolidate(reports, period=NOV, expected_units=10, previous=previous, **kwargs)


def test_topic_paragraph_merges_statements_with_counts_units_groups_and_change():
    text = drafted().sections["du_luan_noi_bat"]
    env = next(line for line in text.splitlines() if line.startswith("1. Môi trường"))
    assert "4/10 đơn vị (Chi bộ Khu dân cư An Lư 0, 1, 2, 3) phản ánh (kỳ trước: 1); bức" in env
    assert "bức xúc 100%" in env and "nhóm xã hội: Người cao tuổi" in env
    # The four paraphrases of the flood are one merged statement of four units, quoted once.
    quoted = [line for line in text.splitlines() if line.startswith("- 4 đơn vị: “")]
    assert len(quoted) == 1
    assert quoted[0].split("“")[1].split("”")[0] in FLOOD
    scam = next(line for line in text.splitlines() if "Trật tự an toàn xã hội" in line)
    assert "phản ánh (kỳ trước: 3)" in scam


def test_the_number_of_streams_is_told_when_units_reported_several_each():
    reports = [unit_report(n, stream("Môi trường", FLOOD[0]), stream("Môi trường", SCAM))
               for n in range(3)]
    text = consolidate(reports, period=NOV, expected_units=10).sections["du_luan_noi_bat"]
    assert text.startswith("1. Môi trường: 3/10 đơn vị (Chi bộ Khu dân cư An Lư 0, 1, 2) phản"
                           " ánh, 6 luồng ý kiến; bức xúc 100%")


def test_every_topic_of_three_units_has_its_paragraph_and_the_rest_one_line():
    text = drafted().sections["du_luan_noi_bat"]
    assert re.search(r"^\d\. Môi trường:", text, re.M)
    assert re.search(r"^\d\. Trật tự an toàn xã hội:", text, re.M)
    assert "Các lĩnh vực khác có ít đơn vị phản ánh: Đời sống (Chi bộ Khu dân cư An Lư 20)." in text


def test_recommendations_to_one_addressee_saying_the_same_become_one_with_their_units():
    result = drafted(issues=[IssueRef(pk=7, code="VD-1", title="Lừa đảo qua mạng")])
    text = result.sections["kien_nghi"]
    lines = text.splitlines()
    scam = [line for line in lines if "lừa đảo" in line]
    assert len(scam) == 1
    assert scam[0].endswith("— 3 đơn vị (vấn đề VD-1).")
    assert "1. Đối với UBND phường:" in lines
    assert "- Nạo vét cống thoát nước ở các ngõ trũng thấp — 2 đơn vị." in lines
    assert "- Ngành điện giải thích cách tính giá điện — Chi bộ Khu dân cư An Lư 20." in lines
    assert text.startswith(
        "6/10 đơn vị có kiến nghị, đề xuất, đều ở Chi bộ Khu dân cư An Lư"
        " (6 đơn vị); sau khi gộp các ý kiến trùng nhau còn 3 kiến nghị:"
    )
    assert "Không có" not in text
    sources = result.sources["kien_nghi"]
    assert sources["issues"] == [{"id": 7, "code": "VD-1", "title": "Lừa đảo qua mạng"}]
    merged = next(s for s in sources["statements"] if "lừa đảo" in s["text"])
    assert merged["unit_count"] == 3 and merged["units"][0] == "Chi bộ Khu dân cư An Lư 10"


def test_every_distinct_recommendation_appears_once():
    text = drafted().sections["kien_nghi"]
    for request in ("lừa đảo", "nạo vét cống", "giá điện"):
        assert sum(request in line.lower() for line in text.splitlines()) == 1, request


def test_nothing_is_cut_every_quotation_is_whole_sentences_of_a_unit():
    result = drafted()
    reports, _previous = world()
    sentences = {
        s
        for r in reports
        for text in [*r.sections.values(), *(st.summary for st in r.streams)]
        for s in split_sentences(text)
    }
    body = "\n".join(result.sections.values())
    assert "…" not in body and "..." not in body
    for quotation in re.findall(r"“([^”]*)”", body):
        assert all(s in sentences for s in split_sentences(quotation)), quotation


def test_thought_section_opens_with_overview_and_shared_statements_with_counts():
    text = drafted().sections["tu_tuong"]
    overview, shared, standing = text.splitlines()
    assert overview.startswith("Tháng 11/2026, 8/10 đơn vị đã nộp 8 báo cáo, phản ánh 8 luồng")
    # LONG is in every report: both its sentences, whole, each with its eight units.
    assert shared == (
        "Các đơn vị nhận định: "
        + LONG.split(". ")[0]
        + " (8/10 đơn vị). "
        + LONG.split(". ")[1][:-1]
        + " (8/10 đơn vị)."
    )
    assert standing.startswith("Nổi lên trong kỳ là dư luận về Môi trường (4/10 đơn vị)")


def test_latent_section_merges_latent_streams_and_names_rising_topics():
    text = drafted().sections["du_luan_tiem_an"]
    assert text.startswith(
        "Có 1 luồng dư luận tiềm ẩn do 1/10 đơn vị (Chi bộ Khu dân cư An Lư 20) phản ánh"
    )
    assert f"- Đời sống (1 luồng ý kiến, Chi bộ Khu dân cư An Lư 20): “{PRICES}”" in text
    # Section I names the topics that rose most; III does not list them again...
    assert "So với kỳ trước, tăng rõ: Môi trường (từ 1 lên 4 đơn vị)" in drafted().sections[
        "tu_tuong"]
    assert "tăng so với kỳ trước" not in text
    # ...unless the template has no section I.
    alone = drafted(section_keys=("du_luan_noi_bat", "du_luan_tiem_an")).sections[
        "du_luan_tiem_an"]
    assert "Lĩnh vực dư luận tăng so với kỳ trước: Môi trường (từ 1 lên 4 đơn vị phản ánh," in alone


def test_a_latent_statement_quoted_in_section_two_is_pointed_to_not_repeated():
    reports = [
        unit_report(n, stream("Trật tự an toàn xã hội", SCAM, latent=n < 2)) for n in range(3)
    ]
    sections = consolidate(reports, period=NOV, expected_units=10).sections
    assert sections["du_luan_noi_bat"].count(SCAM) == 1
    latent = sections["du_luan_tiem_an"]
    assert SCAM not in latent
    assert "- Trật tự an toàn xã hội (2 luồng ý kiến, Chi bộ Khu dân cư An Lư 0, 1): như đã nêu" \
        " tại điểm 1 mục II." in latent


def test_topics_after_the_first_five_get_a_short_head():
    topics = ["Môi trường", "Y tế", "Giáo dục", "Việc làm", "Văn hóa", "Đời sống"]
    reports = [
        unit_report(n, *(stream(t, f"Ý kiến về {t.lower()} số {i}.", social_groups=("Phụ nữ",))
                         for i, t in enumerate(topics[: 6 - n % 4])))
        for n in range(12)
    ]
    text = consolidate(reports, period=NOV, expected_units=12).sections["du_luan_noi_bat"]
    heads = [line for line in text.splitlines() if re.match(r"^\d\. ", line)]
    assert len(heads) == 6
    assert all("mức độ: " in h and "nhóm xã hội: Phụ nữ" in h for h in heads[:5])
    assert heads[5].startswith("6. Đời sống: 3/12 đơn vị") and "mức độ" not in heads[5]
    assert "nhóm xã hội" not in heads[5] and heads[5].endswith("bức xúc 100%.")
    # Its three units say the same: quoted. Were they to say three different things, its head
    # would stand alone (a minor topic is quoted where three units or more agree).
    lines = text.splitlines()
    assert lines[lines.index(heads[5]) + 1].startswith("- 3 đơn vị: “Ý kiến về đời sống")
    scattered = [
        unit_report(n, *(stream(t, f"Ý kiến về {t.lower()} số {i}.") for i, t in
                         enumerate(topics[:5])),
                    *([stream("Đời sống", [FLOOD[0], SCAM, PRICES][n // 4])] if n % 4 == 0 else []))
        for n in range(12)
    ]
    text = consolidate(scattered, period=NOV, expected_units=12).sections["du_luan_noi_bat"]
    lines = text.splitlines()
    sixth = next(i for i, line in enumerate(lines) if line.startswith("6. Đời sống"))
    assert not [line for line in lines[sixth + 1:sixth + 2] if line.startswith("- ")]
    assert "Đời sống" in lines[sixth] and len(lines) > 5


def test_sources_link_each_section_to_the_reports_it_was_drawn_from():
    sources = drafted().sources
    ids = {ref["id"] for ref in sources["du_luan_tiem_an"]["reports"]}
    assert ids == {120}
    statements = sources["du_luan_noi_bat"]["statements"]
    flood = next(s for s in statements if s["topic"] == "Môi trường")
    assert flood["count"] == 4 and len(flood["units"]) == 4


def test_units_named_only_where_few():
    names = [f"Chi bộ Khu dân cư An Lư {n}" for n in (1, 3, 12)]
    assert units_phrase(names, 55) == "3/55 đơn vị (Chi bộ Khu dân cư An Lư 1, 3, 12)"
    many = [f"Chi bộ Khu dân cư An Lư {n}" for n in range(1, 8)] + ["Chi bộ Công an phường"]
    assert units_phrase(many, 55, "phản ánh") == (
        "8/55 đơn vị phản ánh, nhiều nhất ở Chi bộ Khu dân cư An Lư (7 đơn vị)"
    )
    assert compact_names(["Chi bộ Công an phường", "Chi bộ Khu dân cư An Lư 2"]) == (
        "Chi bộ Công an phường; Chi bộ Khu dân cư An Lư 2"
    )


def test_a_quotation_naming_no_place_is_preferred():
    specific = drafting.Specific(["Tổ dân phố An Lư 3"])
    assert specific("Nhân dân Tổ dân phố An Lư 3 phản ánh rác.") == 1
    assert specific("Nhân dân phản ánh rác.") == 0


def test_topics_residents_raise_that_few_units_report_are_named():
    from reporting.consolidation import Heard, HeardTopic

    channels = (("Khu dân cư", 20), ("Tiếp xúc cử tri", 10), ("Đối thoại", 4), ("Báo chí", 2),
                ("MTTQ và các đoàn thể", 2), ("Khác", 1), ("Cộng tác viên", 1))
    heard = Heard(
        items=40, aggrieved=10, channels=channels,
        topics=(HeardTopic("Đời sống", 20, 15), HeardTopic("Môi trường", 12, 0),
                HeardTopic("Y tế", 1, 0)),
        mentions=3, stories=(("Phường ra quân dọn rác", 2),),
    )
    reports, previous = world()
    text = consolidate(reports, period=NOV, expected_units=10, previous=previous,
                       heard=heard).sections["du_luan_noi_bat"]
    # Three channels named, the rest summed; nothing reads as cut off.
    assert ("Qua các kênh tiếp nhận trực tiếp (khu dân cư 20, tiếp xúc cử tri 10, đối thoại 4, các"
            " kênh khác 6), trong kỳ ghi nhận 40 ý kiến nhân dân, bức xúc, phản đối 25%.") in text
    assert "…" not in text
    # Đời sống: one unit reported it, residents raised it twenty times; Y tế is too small.
    assert ("Nhân dân nêu nhiều nhưng ít đơn vị báo cáo: Đời sống (20 ý kiến; 1 đơn vị báo cáo)."
            in text)
    assert "Y tế (" not in text.split("Nhân dân nêu nhiều")[1]
    env = next(line for line in text.splitlines() if line.startswith("1. Môi trường"))
    assert env.endswith("; ý kiến nhân dân qua các kênh: 12.")  # 0% aggrieved: not named
    assert ("Báo chí, mạng xã hội: 3 tin, bài về địa bàn phường; được đăng lại nhiều nhất:"
            " “Phường ra quân dọn rác” (2 trang).") in text
