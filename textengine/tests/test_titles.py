"""Issue titles come from the matter and the place, never from a resident's words (issue 18)."""

import pytest

from textengine.titles import TITLE_MAX, build_title, matter_words


@pytest.mark.parametrize(("text", "words"), [
    ("Tôi là Lê Văn Tám, nhà 12 ngõ 5, rác thải ở chợ bốc mùi", ["rác thải", "chợ bốc mùi"]),
    ("Tôi là Lê Văn Tám, ⟨ĐỊA CHỈ⟩, rác thải ở chợ bốc mùi", ["rác thải", "chợ bốc mùi"]),
    ("tôi là lê văn tám, rác thải bốc mùi", ["rác thải bốc mùi"]),
    ("Phạm Thị Hoa phản ánh đường làng xuống cấp, ổ gà", ["đường làng xuống cấp"]),
    ("Rác thải tập kết bừa bãi ở chợ Hòa Bình, bốc mùi hôi thối",
     ["rác thải tập kết bừa bãi", "bốc mùi hôi thối"]),
    ("Cuộc gọi giả danh cán bộ phường đòi tiền", ["cuộc gọi giả danh cán bộ"]),
    ("Đường Nguyễn Trãi ngập nặng mỗi khi mưa to", ["ngập nặng", "mưa to"]),
    ("⟨HỌ TÊN⟩ ⟨SĐT⟩", []),
    ("", []),
])
def test_matter_words_leave_out_names_addresses_and_function_words(text, words):
    assert matter_words(text) == words


def test_a_title_is_topic_words_and_place():
    title = build_title(topic="Môi trường", words=["rác thải", "bốc mùi"], place="Tổ dân phố 3")
    assert title == "Môi trường — rác thải, bốc mùi — Tổ dân phố 3"
    assert build_title(place="Tổ dân phố 3") == "Vấn đề mới — Tổ dân phố 3"
    assert build_title() == "Vấn đề mới"


def test_a_title_is_masked_and_short():
    assert "⟨HỌ TÊN⟩" in build_title(topic="Môi trường", words=["ông Trần Văn Bình"])
    long = build_title(topic="Môi trường", words=["rác thải bốc mùi"] * 40)
    assert len(long) <= TITLE_MAX + 1 and long.endswith("…")
