"""House addresses are masked; lanes and streets alone are places and kept (issue 18)."""

import pytest

from textengine.mask import clean, mask

MASKED = [
    ("Tôi là Lê Văn Tám, nhà 12 ngõ 5, rác ở chợ bốc mùi", "nhà 12 ngõ 5",
     "Tôi là ⟨HỌ TÊN⟩, ⟨ĐỊA CHỈ⟩, rác ở chợ bốc mùi"),
    ("số nhà 7, ngách 3, ngõ 45 Trần Phú bị ngập", "ngách 3", "⟨ĐỊA CHỈ⟩ bị ngập"),
    ("trước số 34 đường Trần Phú có ổ gà", "34", "trước ⟨ĐỊA CHỈ⟩ có ổ gà"),
    ("căn hộ 305 bị thấm nước", "305", "⟨ĐỊA CHỈ⟩ bị thấm nước"),
    ("nhà số 12B/3 phố Hàng Bông mất điện", "12B", "⟨ĐỊA CHỈ⟩ mất điện"),
    ("Nhà 5 ngõ 3 ngách 2 bị lún", "ngách 2", "⟨ĐỊA CHỈ⟩ bị lún"),
]

KEPT = [
    "ngõ 5 ngập nước mỗi khi mưa",
    "đường Nguyễn Trãi hỏng nặng",
    "số 34 người dân đã ký đơn",
    "có 12 nhà 4 tầng xây trái phép",
    "nhà 2 tầng bị nứt tường",
    "tổ dân phố số 15, ngõ 123",
    "đường Lê Văn Tám ngập sâu",
]


@pytest.mark.parametrize(("text", "secret", "expected"), MASKED)
def test_house_addresses_are_masked(text, secret, expected):
    result = mask(text)
    assert result.text == expected
    assert secret not in result.text
    assert "address" in result.kinds
    assert secret not in clean(text).text


@pytest.mark.parametrize("text", KEPT)
def test_places_without_a_house_number_are_kept(text):
    assert mask(text).text == text


def test_a_self_introduced_name_is_masked_even_when_a_street_bears_it():
    assert mask("Tôi là Lê Văn Tám, ở tổ 3").text == "Tôi là ⟨HỌ TÊN⟩, ở tổ 3"
    assert mask("tên tôi là Phạm Thị Hoa").kinds == ("name",)


def test_masking_twice_changes_nothing():
    once = mask("nhà 12 ngõ 5 Lê Văn Hưu ngập").text
    assert mask(once).text == once
