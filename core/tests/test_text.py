"""``core.text.fold``: the search key that makes "hoa binh" find "Hòa Bình" and "Hoà Bình"."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.text import fold, nfc


@pytest.mark.parametrize(
    "text",
    [
        "Hòa Bình",  # new tone placement, precomposed
        "Hoà Bình",  # old tone placement, as official data often spell the ward
        "Ho\u0300a Bi\u0300nh",  # decomposed (NFD) input, as some keyboards send
        "HÒA BÌNH",
        "  hoa   binh ",
    ],
)
def test_every_spelling_of_hoa_binh_folds_the_same(text):
    assert fold(text) == "hoa binh"


def test_d_with_stroke_becomes_d_in_both_cases():
    assert fold("Đảng ủy phường") == "dang uy phuong"
    assert fold("đoàn thể") == "doan the"


def test_other_vietnamese_letters_lose_their_marks():
    assert fold("Thủy Nguyên, An Lư, Ưu tiên, Ơn") == "thuy nguyen, an lu, uu tien, on"


def test_empty_and_none_fold_to_empty():
    assert fold("") == ""
    assert fold(None) == ""


def test_nfc_composes():
    assert nfc("Ho\u0300a") == "Hòa"


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_fold_leaves_no_combining_marks_and_no_d_with_stroke(text):
    folded = fold(text)
    assert not any(unicodedata.category(ch) == "Mn" for ch in unicodedata.normalize("NFD", folded))
    assert "đ" not in folded and "Đ" not in folded


@given(st.text(alphabet="aăâeêioôơuưyđAĂÂEÊIOÔƠUƯYĐ \u0300\u0301\u0303\u0309\u0323"))
def test_fold_of_vietnamese_text_is_plain_ascii(text):
    assert fold(text).isascii()


def test_fold_is_the_text_engines_fold_so_every_search_agrees():
    from textengine.normalize import fold as engine_fold

    for text in ["Trường Kỹ thuật", "trường kĩ thuật", "Qui định", "Thuỷ Hà", "Hoà Bình"]:
        assert fold(text) == engine_fold(text)
    assert fold("kĩ thuật") == fold("kỹ thuật")


def test_fold_drops_nonspacing_marks_of_combining_class_zero():
    # Found by hypothesis: U+034F is a nonspacing mark whose combining class is 0.
    assert fold("a\u034fb") == "ab"


# --- natural order (issue 17) ---------------------------------------------------------------------


def test_numbers_sort_as_numbers_and_letters_as_the_vietnamese_alphabet():
    from core.text import natural_key

    names = ["Tổ dân phố An Lư 10", "Tổ dân phố An Lư 2", "Tổ dân phố Đông Hải",
             "Tổ dân phố Dương Kinh", "Tổ dân phố An Lư", "Tổ dân phố Ấp Chợ",
             "Tổ dân phố An Lư 1", "Tổ dân phố Anh Dũng", "tổ dân phố an lư 3"]
    assert sorted(names, key=natural_key) == [
        "Tổ dân phố An Lư", "Tổ dân phố An Lư 1", "Tổ dân phố An Lư 2", "tổ dân phố an lư 3",
        "Tổ dân phố An Lư 10", "Tổ dân phố Anh Dũng", "Tổ dân phố Ấp Chợ",
        "Tổ dân phố Dương Kinh", "Tổ dân phố Đông Hải",
    ]
    # Digits only: any database collation orders it the same way.
    assert natural_key("Chi bộ Khu dân cư An Lư 12").isdigit()
    # Tones do not count; composed and decomposed spellings are one key.
    assert natural_key("Hòa Bình") == natural_key("Hoà Bình") == natural_key("Hoa Binh".replace(
        "Hoa", "Hóa"))
