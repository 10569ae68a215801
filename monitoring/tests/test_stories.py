from monitoring import stories
from textengine.signature import Sig, signature

BASE = (
    "Sáng 20/11, phường Hòa Bình khởi công nâng cấp tuyến đường ven sông Cấm dài hơn hai ki-lô-mét."
    " Theo kế hoạch, công trình hoàn thành trong sáu tháng, mặt đường được mở rộng lên bảy mét."
    " Nhiều hộ dân bày tỏ phấn khởi vì con đường đã xuống cấp nhiều năm, xe cộ đi lại khó khăn."
)
TRIMMED = BASE.rsplit(".", 2)[0] + ". Đây là công trình trọng điểm của địa phương năm nay."
OTHER = "Giá vàng hôm nay tăng mạnh trong phiên sáng, nhà đầu tư đổ xô đi mua tích trữ."


def test_keys_fit_a_bigint_and_equal_texts_share_all():
    keys = stories.band_keys(signature(BASE).values)
    assert len(keys) == stories.BANDS == 32
    assert all(-(2**63) <= k < 2**63 for k in keys)
    assert keys == stories.band_keys(signature(BASE).values)


def test_a_trimmed_copy_is_a_candidate_and_above_the_threshold_an_other_text_is_not():
    base, copy, other = (signature(t) for t in (BASE, TRIMMED, OTHER))
    assert set(stories.band_keys(base.values)) & set(stories.band_keys(copy.values))
    overlap = stories.shares(base.values, [copy.to_bytes(), other.to_bytes()])
    assert overlap[0] >= stories.THRESHOLD > overlap[1]
    assert isinstance(Sig.from_bytes(copy.to_bytes()), Sig)
