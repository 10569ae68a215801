"""Restoring diacritics: the trigram model reads the neighbours, keeps what is written, and the
shipped model turns the titles the issue complained of into Vietnamese."""

from __future__ import annotations

from pathlib import Path

import pytest

from textengine import diacritics
from textengine.diacritics import Restorer, accented_share, is_accented
from textengine.titles import representative, title_words

TEXTS = [
    "Tổ dân phố số 3 họp bàn việc thu gom rác.",
    "Tổ dân phố họp về rác thải.",
    "Cái tô này to quá.",
    "Bà con tô lại tường nhà.",
    "Tờ giấy mời họp tổ dân phố.",
]


def test_the_neighbours_decide_between_the_forms_of_a_syllable():
    model = Restorer.train(TEXTS)
    assert model.restore("to dan pho hop") == "tổ dân phố họp"
    assert model.restore("cai to nay") == "cái tô này"
    # The baseline takes each syllable's most frequent form, whatever comes around it.
    assert model.most_frequent("cai to nay") == "cái tổ này"


def test_case_punctuation_numbers_and_written_marks_are_kept():
    model = Restorer.train(TEXTS)
    assert model.restore("TO DAN PHO so 3, Thu gom rac!") == "TỔ DÂN PHỐ số 3, Thu gom rác!"
    # A syllable written with its marks stays as written, an unknown one as typed.
    assert model.restore("tờ giay xyz") == "tờ giấy xyz"
    assert model.restore("") == ""


def test_the_model_survives_a_round_trip_through_its_file(tmp_path: Path):
    model = Restorer.train(TEXTS)
    again = Restorer.loads(model.dumps())
    assert again.restore("ba con to lai tuong nha") == model.restore("ba con to lai tuong nha")
    assert model.dumps() == Restorer.train(TEXTS).dumps()  # deterministic bytes


def test_the_shipped_model_restores_the_titles_of_the_issue():
    assert diacritics.default() is not None, "lexicon/diacritics.json.gz is missing"
    assert diacritics.restore("Tai buoi sinh hoat to dan pho") == "Tại buổi sinh hoạt tổ dân phố"
    assert (
        diacritics.restore("Hoi vien phan anh nguoi cao tuoi lo lang")
        == "Hội viên phản ánh người cao tuổi lo lắng"
    )


def test_the_build_reads_accented_text_only(tmp_path: Path):
    (tmp_path / "a.py").write_text(
        'X = "Rác thải ở chợ bốc mùi hôi."\nY = "rac thai o cho boc mui"\n', encoding="utf-8"
    )
    segments = [s for _name, s in diacritics.training_texts(tmp_path)]
    assert segments == ["Rác thải ở chợ bốc mùi hôi."]


@pytest.mark.parametrize(
    ("text", "accented"),
    [
        ("Rác thải ở chợ bốc mùi", True),
        ("rac thai o cho boc mui", False),
        ("Ngõ 5 Nguyen Trai", False),
        ("", False),
    ],
)
def test_a_text_counts_as_written_with_diacritics_by_its_share_of_marks(text, accented):
    assert is_accented(text) is accented
    assert 0.0 <= accented_share(text) <= 1.0


def test_title_words_prefer_the_representative_item_written_with_diacritics():
    texts = [
        "rac thai tap ket bua bai o cho, boc mui hoi thoi",
        "Ruồi nhặng bay khắp chợ",
        "Rác thải tập kết bừa bãi ở chợ, bốc mùi hôi thối",
    ]
    assert representative(texts, [1, 2]) == 2
    assert title_words(texts) == (["rác thải tập kết bừa bãi", "bốc mùi hôi thối"], False)
    # None written with diacritics: the most representative one, restored.
    words, restored = title_words(texts[:1] + ["nuoc ngap", "ko ai thu gom rac thai o cho"])
    assert restored and words == ["rác thải tập kết bừa bãi", "bốc mùi hôi thối"]
    assert title_words([]) == ([], False)
