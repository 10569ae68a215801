"""Issue 16: obfuscated contacts, full-width digits, bidi controls and person names are masked.

The name detector is measured on ``names.jsonl``: 201 sentences written for this test in the
style of the ward's reports (cadres' notes and citizens' messages), 128 names marked, with hard
negatives: streets and schools named after people ("đường Nguyễn Trãi", "trường Chu Văn An"),
"Chủ tịch Hồ Chí Minh", places that start like a surname ("Hà Nội", "Hồ Tây", "Quận Lê Chân").
See docs/PERFORMANCE.md, "Issue 16 — masking of names and obfuscated contacts".
"""

import json
from pathlib import Path

import pytest

from textengine.mask import clean, find_names, mask
from textengine.normalize import normalize
from textengine.pipeline import analyse_batch

CORPUS = Path(__file__).with_name("names.jsonl")


def _scores() -> tuple[int, int, int]:
    tp = fp = fn = 0
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = normalize(row["text"])
        gold = [normalize(name) for name in row["names"]]
        for start, end in find_names(text):
            if text[start:end] in gold:
                gold.remove(text[start:end])
                tp += 1
            else:
                fp += 1
        fn += len(gold)
    return tp, fp, fn


def test_name_detector_precision_and_recall():
    tp, fp, fn = _scores()
    assert tp + fn >= 120
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    # Measured 2026-12-04: precision 1.00, recall 0.953 (122 of 128; misses are names written
    # in lower case and given names with no title before them).
    assert precision >= 0.95
    assert recall >= 0.9


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ông Nguyễn Văn Hùng ở ngõ 5 phản ánh", "Ông ⟨HỌ TÊN⟩ ở ngõ 5 phản ánh"),
        ("chị Lan nói rác để cả tuần", "chị ⟨HỌ TÊN⟩ nói rác để cả tuần"),
        ("Trần Thị Mai phản ánh đèn hỏng", "⟨HỌ TÊN⟩ phản ánh đèn hỏng"),
        ("Ông Trưởng thôn Vũ Văn Hòa đồng ý", "Ông Trưởng thôn ⟨HỌ TÊN⟩ đồng ý"),
    ],
)
def test_names_are_masked(text, expected):
    result = clean(text)
    assert result == (expected, ("name",))
    assert clean(result.text).text == result.text  # masking the stored form again: no change


@pytest.mark.parametrize(
    "text",
    [
        "đường Nguyễn Trãi ngập nước",
        "ngõ 15 Lê Văn Lương bị đào",
        "Chủ tịch Hồ Chí Minh là tấm gương",
        "Thành phố Hồ Chí Minh",
        "Quận Lê Chân có nhiều phố ngập",
        "Phường Hòa Bình tổ chức đối thoại",
        "Giá đất ở Hà Nội tăng",
        "Hồ Tây có cá chết",
        "Trường THPT Trần Phú thu tiền",
        "Công ty Hoàng Long chậm trả lương",
        "Kỷ niệm ngày sinh Bác Hồ",
        "Trần nhà bị dột",
    ],
)
def test_places_and_historical_figures_are_kept(text):
    assert mask(text).kinds == ()
    assert clean(text).text == normalize(text)


@pytest.mark.parametrize(
    ("text", "secret", "kind"),
    [
        ("gọi ０９１２３４５６７８ nhé", "０９１２", "phone"),
        ("gửi vào ｎｇｕｙｅｎ＠ｇｍａｉｌ．ｃｏｍ", "ｎｇｕｙｅｎ", "email"),
        ("mail hung (at) gmail dot com nhé", "hung", "email"),
        ("mail hung [at] gmail [dot] com nhé", "hung", "email"),
        ("mail hung @ gmail . com nhé", "hung", "email"),
        ("mail hung.nv(at)yahoo(dot)com.vn", "hung.nv", "email"),
        ("số em không chín một hai ba bốn năm sáu bảy tám nhé", "bảy tám", "phone"),
        ("sdt khong chin mot hai ba bon nam sau bay tam", "bay tam", "phone"),
        ("cccd không ba một không chín năm không không một hai ba bốn", "hai ba bốn", "cccd"),
    ],
)
def test_obfuscated_contacts_are_masked(text, secret, kind):
    result = clean(text)
    assert secret not in result.text
    assert kind in result.kinds


def test_spelled_numbers_in_opinion_are_kept():
    text = "năm nay hai ba hộ bị ngập, một hai người ốm"
    assert clean(text) == (normalize(text), ())


@pytest.mark.parametrize("control", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                                     "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f"])
def test_bidi_controls_are_removed(control):
    text = f"gọi 0912{control}345678 ngay"
    result = clean(text)
    assert control not in result.text
    assert result.kinds == ("phone",)


def test_filing_pipeline_masks_the_new_kinds():
    texts = [
        "Ông Nguyễn Văn Hùng ở ngõ 5 phản ánh nước thải",
        "liên hệ ０９１２３４５６７８",
        "mail hung (at) gmail dot com",
        "đường Nguyễn Trãi ngập",
    ]
    results = analyse_batch(texts, signature_fn=None)
    assert [r.text for r in results] == [clean(t).text for t in texts]
    assert [r.masked for r in results] == [("name",), ("phone",), ("email",), ()]


if __name__ == "__main__":  # python -m textengine.tests.test_mask_issue16
    tp, fp, fn = _scores()
    print(f"names: {tp + fn}, found: {tp + fp}, right: {tp}")
    print(f"precision {tp / (tp + fp):.3f}, recall {tp / (tp + fn):.3f}")
