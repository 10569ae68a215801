"""Personal data never survives masking (golden cases and hypothesis)."""

import re

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from textengine.mask import _OBF_EMAIL_HINT, _PATTERN, _mask_with, mask, mask_text
from textengine.normalize import normalize
from textengine.tests.hypothesis_profiles import examples

CASES = [
    ("Gọi em 0912 345 678 nhé", "0912 345 678", "phone"),
    ("sđt: +84 912.345.678", "912.345.678", "phone"),
    ("(+84) 912345678 chị Lan", "912345678", "phone"),
    ("84912345678", "84912345678", "phone"),
    ("0912-345-678", "0912-345-678", "phone"),
    ("LH 028 3829 1234", "3829 1234", "phone"),
    ("CCCD 031095001234 của tôi", "031095001234", "cccd"),
    ("cccd 031 095 001 234", "031 095 001 234", "cccd"),
    ("cmnd 031234567", "031234567", "cmnd"),
    ("email nguyen.van.a@gmail.com nhé", "nguyen.van.a@gmail.com", "email"),
    ("STK 1903 4567 8901 23 Techcombank", "1903 4567 8901 23", "stk"),
    ("chuyển vào số tài khoản: 0123456789012", "0123456789012", "stk"),
    ("Vietcombank 0071001234567", "0071001234567", "stk"),
    ("xe biển 15A-123.45 đỗ trước cửa", "15A-123.45", "plate"),
    ("xe 29H1-12345 vượt đèn đỏ", "29H1-12345", "plate"),
    ("biển số 15b1 234.56", "15b1 234.56", "plate"),
]


@pytest.mark.parametrize(("text", "secret", "kind"), CASES)
def test_golden(text, secret, kind):
    result = mask(text)
    assert secret not in result.text
    assert kind in result.kinds
    assert "⟨" in result.text


@pytest.mark.parametrize(
    "text",
    [
        "mất 150.000.000 đồng",
        "hỗ trợ 1.200.000 đ mỗi hộ",
        "năm 2025 có 47168 dân",
        "tổ dân phố số 15, ngõ 123",
        "giá điện tăng 15%",
        "không có số nào",
    ],
)
def test_opinion_numbers_are_kept(text):
    assert mask(text) == (text, ())


def _digits(s):
    return re.sub(r"\D", "", s)


sep = st.sampled_from(["", " ", ".", "-"])
mobile_prefix = st.sampled_from(["03", "05", "07", "08", "09"])


@st.composite
def phones(draw):
    digits = draw(mobile_prefix) + "".join(
        draw(st.lists(st.sampled_from("0123456789"), min_size=8, max_size=8))
    )
    s = draw(sep)
    body = digits[:4] + s + digits[4:7] + s + digits[7:]
    style = draw(st.sampled_from(["0", "+84", "84", "(+84) "]))
    return body if style == "0" else style + body[1:]


@st.composite
def ids(draw, n):
    return "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=n, max_size=n)))


filler = st.text(
    alphabet=st.sampled_from(list("abc đường ngập úng, phường Hòa Bình.")), max_size=40
)


@examples(300)
@given(filler, phones(), filler)
def test_no_phone_survives(before, phone, after):
    masked = mask_text(normalize(f"{before} {phone} {after}"))
    assert _digits(phone)[-9:] not in _digits(masked)


@examples(200)
@given(filler, ids(12), filler)
def test_no_cccd_survives(before, number, after):
    masked = mask_text(f"{before} CCCD {number} {after}")
    assert number not in masked


@examples(200)
@given(filler, ids(9), filler)
def test_no_cmnd_survives(before, number, after):
    # A currency word right after the number would make it money, not an ID: "ở" prevents that.
    masked = mask_text(f"{before} {number} ở {after}")
    assert number not in masked


CONTEXTS = st.sampled_from(
    ["STK", "số tài khoản", "so tai khoan", "TK ngân hàng", "Agribank", "stk:", "MB Bank số"]
)


@examples(200)
@given(filler, st.integers(8, 15).flatmap(ids), CONTEXTS)
def test_no_account_survives(before, number, context):
    masked = mask_text(f"{before} {context} {number}")
    assert number not in masked


@examples(200)
@given(
    st.from_regex(r"[a-z][a-z0-9._]{0,15}@[a-z]{2,10}\.(com|vn|com\.vn)", fullmatch=True), filler
)
def test_no_email_survives(address, after):
    assert address not in mask_text(f"liên hệ {address} {after}")


@examples(200)
@given(st.from_regex(r"[1-9][0-9][A-Z][0-9]?-[0-9]{3}\.[0-9]{2}", fullmatch=True), filler)
def test_no_plate_survives(plate, after):
    assert plate not in mask_text(f"xe {plate} {after}")


pii_ish = st.lists(
    st.sampled_from(
        list("0123456789 .-+()@,:\n")
        + ["CCCD", "cmnd", "STK", "số tài khoản", "Agribank", "căn cước", "gmail.com", "a.b"]
        + ["0912", "345", "678", "84", "đồng", "triệu", "\u00a0", "ſ", "K", "٣", "🙏"]
    ),
    max_size=40,
).map("".join)
any_text = st.one_of(st.text(), pii_ish)


@examples(300)
@given(any_text)
# Regression (hypothesis): the "CMND" inside "⟨CMND⟩" announced the 10-digit number after it on
# a second pass.
@example("000000000:0000000000")
@example("000000000:00000000\xa00")
@example("STK 12345678 99999999")
def test_never_crashes_and_idempotent(text):
    once = mask_text(text)
    assert mask_text(once) == once
    normal = mask_text(normalize(text))
    assert mask_text(normalize(normal)) == normal


@examples(300)
@given(any_text)
@example("ghi: (84) 912 345 678")  # a match that starts with a space or "("
@example("tai khoan 19034567890123 va email a@b.vn")
def test_fast_paths_find_what_the_full_pattern_finds(text):
    """The cheap pre-check and the look-ahead pattern used without an "@" change nothing: the
    result equals one pass of the full pattern over the text. (Addresses written around a spaced
    or bracketed "@" are masked by a pass of their own before, and are left out here.)"""
    assume(not _OBF_EMAIL_HINT.search(text))
    assert mask(text) == _mask_with(_PATTERN, text)


def test_an_address_around_a_spaced_at_is_masked_across_a_line_break():
    assert mask("0@\r0.AA").text == "⟨EMAIL⟩"
    assert mask("ten @\ngmail . com").text == "⟨EMAIL⟩"


def test_enormous_text_is_masked_quickly():
    import time

    text = "Gọi 0912 345 678 hoặc số tài khoản 1903 4567 8901 23 nhé. " * 1500
    start = time.perf_counter()
    result = mask(text)
    assert time.perf_counter() - start < 2.0
    assert "0912" not in result.text and "1903" not in result.text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # A resident who shares a hero's name: an honorific or kinship title says so.
        ("ông Lê Văn Tám ở ngõ 5 phản ánh", "ông ⟨HỌ TÊN⟩ ở ngõ 5 phản ánh"),
        ("Chị Võ Thị Sáu bán hàng ở chợ", "Chị ⟨HỌ TÊN⟩ bán hàng ở chợ"),
        ("bà Triệu Thị Mai bức xúc", "bà ⟨HỌ TÊN⟩ bức xúc"),
        # The figures themselves, and the places named after them, are kept.
        ("Chủ tịch Hồ Chí Minh", "Chủ tịch Hồ Chí Minh"),
        ("đồng chí Lê Duẩn", "đồng chí Lê Duẩn"),
        ("Bác Hồ kính yêu", "Bác Hồ kính yêu"),
        ("khởi nghĩa bà Triệu", "khởi nghĩa bà Triệu"),
        ("đường Lê Văn Tám ngập", "đường Lê Văn Tám ngập"),
    ],
)
def test_a_heros_name_after_a_persons_title_is_a_resident(text, masked):
    assert mask_text(text) == masked
