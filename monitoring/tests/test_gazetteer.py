"""The ward's name is ambiguous: the context decides, in both directions."""

import pytest

from monitoring.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer(
        ward_names=["Hòa Bình", "Hoà Bình"],
        city_names=["Hải Phòng"],
        areas=["Tổ dân phố An Lư 3", "Tổ dân phố Đông Sơn"],
        former_wards=["Hòa Bình cũ", "An Lư", "Thủy Hà"],
        places=["Lạch Sông Cấm"],
    )


@pytest.mark.parametrize(
    "text",
    [
        "UBND phường Hòa Bình tổ chức hội nghị lấy ý kiến nhân dân.",
        "UBND phường Hoà Bình tổ chức hội nghị lấy ý kiến nhân dân.",  # the other spelling
        "Phường Hòa Bình, thành phố Hải Phòng khởi công đường mới.",
        "Hải Phòng: Hòa Bình khởi công tuyến đường ven sông.",  # bare name, the city nearby
        "Người dân tổ dân phố An Lư 3 phản ánh ngập úng.",
        "Người dân TDP Đông Sơn phản ánh rác thải.",
        "Trụ sở phường An Lư cũ được sửa thành nhà văn hóa.",
    ],
)
def test_about_the_ward(gaz, text):
    verdict = gaz.judge(text)
    assert verdict.relevance == "ward", verdict
    assert verdict.score >= 0.5 and verdict.places


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mưa lớn gây sạt lở ở tỉnh Hòa Bình, nhiều tuyến đường bị chia cắt.", "none"),
        ("Thủy điện Hòa Bình mở thêm cửa xả đáy.", "none"),
        ("Nhà máy thủy điện Hòa Bình xả lũ; Hòa Bình chuẩn bị ứng phó.", "none"),
        ("Hồ Hòa Bình ở Hải Phòng? Không, hồ Hòa Bình thuộc tỉnh miền núi.", "city"),
        ("Khát vọng hòa bình của nhân dân Hải Phòng.", "city"),  # the common noun, lower case
        ("Hòa bình là mong ước của mọi dân tộc.", "none"),
        ("Hòa Bình khởi công tuyến đường mới.", "none"),  # bare name, nothing says which
        ("Phường Hòa Bình, tỉnh Đồng Nai tổ chức lễ hội.", "none"),  # another ward of that name
        ("Giá xăng ở Hải Phòng tăng từ chiều nay.", "city"),
    ],
)
def test_not_about_the_ward(gaz, text, expected):
    verdict = gaz.judge(text)
    assert verdict.relevance == expected, verdict
    assert verdict.score < 0.5


@pytest.mark.parametrize(
    "text, expected",
    [
        ("UBND phuong Hoa Binh to chuc hop dan ve duong ven song", "ward"),
        ("Nguoi dan to dan pho An Lu 3 phan anh rac thai", "ward"),
        ("Hai Phong: Hoa Binh khoi cong duong moi", "ward"),
        ("Thuy dien Hoa Binh xa lu, tinh Hoa Binh mua lon", "none"),
        ("khat vong hoa binh cua nhan dan Hai Phong", "city"),
        ("Hoa Binh khoi cong duong moi", "none"),
    ],
)
def test_text_without_diacritics(gaz, text, expected):
    verdict = gaz.judge(text)
    assert verdict.relevance == expected, verdict
    if expected == "ward":
        assert verdict.places[0] in ("Hòa Bình", "Tổ dân phố An Lư 3")  # the registry's spelling


def test_all_capitals_headline(gaz):
    assert gaz.judge("PHƯỜNG HÒA BÌNH RA QUÂN DỌN VỆ SINH").relevance == "ward"
    assert gaz.judge("THỦY ĐIỆN HÒA BÌNH XẢ LŨ").relevance == "none"


def test_title_and_text_are_judged_together(gaz):
    assert gaz.judge("Hòa Bình khởi công đường", "Dự án ở tổ dân phố An Lư 3").relevance == "ward"


def test_an_area_whose_name_ends_another_areas_is_told_apart():
    """All areas are one pattern: "Cẩm Phố" must not take the place of "Cẩm Phố 2"."""
    gaz = Gazetteer(ward_names=["Hòa Bình"], city_names=["Hải Phòng"],
                    areas=["Tổ dân phố Cẩm Phố", "Tổ dân phố Cẩm Phố 2"])
    assert gaz.judge("Người dân tổ dân phố Cẩm Phố 2 phản ánh ngập úng.").places == [
        "Tổ dân phố Cẩm Phố 2"]
    assert gaz.judge("Người dân tổ dân phố Cẩm Phố phản ánh ngập úng.").places == [
        "Tổ dân phố Cẩm Phố"]
    assert gaz.judge("TDP Cẩm Phố 2 và TDP Cẩm Phố cùng họp.").places == [
        "Tổ dân phố Cẩm Phố", "Tổ dân phố Cẩm Phố 2"]
