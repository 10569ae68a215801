"""Sentence splitting and fitting: never a cut inside a sentence."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from synthesis import fit_sentences, join_sentences, split_sentences, word_count


def test_abbreviations_numbers_and_dates_do_not_end_a_sentence():
    text = (
        "TP. Hồ Chí Minh có 1.500 người dự, ngày 25/11. Ông Nguyễn V. An ở P. Tân Định, Q. 1 "
        "phản ánh. TS. Lan, ThS. Bình đồng tình. Điện, nước, rác v.v. đều được quan tâm."
    )
    assert split_sentences(text) == [
        "TP. Hồ Chí Minh có 1.500 người dự, ngày 25/11.",
        "Ông Nguyễn V. An ở P. Tân Định, Q. 1 phản ánh.",
        "TS. Lan, ThS. Bình đồng tình.",
        "Điện, nước, rác v.v. đều được quan tâm.",
    ]


def test_ellipsis_question_exclamation_and_quotes():
    text = 'Chờ đợi... mãi chưa xong. Vì sao vậy? Thật đáng lo! Bà nói: "Rất tốt." Sau đó ổn… Hết'
    assert split_sentences(text) == [
        "Chờ đợi... mãi chưa xong.",
        "Vì sao vậy?",
        "Thật đáng lo!",
        'Bà nói: "Rất tốt."',
        "Sau đó ổn…",
        "Hết",
    ]


def test_lines_and_list_items_are_boundaries_and_markers_are_left_out():
    text = (
        "Dư luận tập trung vào các vấn đề sau:\n1. Ngập úng ở tổ 5\n2) Rác thải\n"
        "- Giá điện tăng\n• Lừa đảo qua mạng\na) Học phí\nII. Kiến nghị"
    )
    assert split_sentences(text) == [
        "Dư luận tập trung vào các vấn đề sau:", "Ngập úng ở tổ 5", "Rác thải",
        "Giá điện tăng", "Lừa đảo qua mạng", "Học phí", "Kiến nghị",
    ]


def test_lower_case_after_a_dot_is_not_a_new_sentence():
    assert split_sentences("Giá tăng 2. còn lại giữ nguyên.") == ["Giá tăng 2. còn lại giữ nguyên."]


def test_empty():
    assert split_sentences("") == [] and split_sentences(None) == []
    assert fit_sentences("", 10) == ""


REPORT = (
    "Tháng 11/2026, tình hình tư tưởng của nhân dân trên địa bàn ổn định. "
    "Nhân dân phấn khởi trước kết quả Ngày hội Đại đoàn kết toàn dân tộc. "
    "Tuy nhiên, một bộ phận nhân dân còn băn khoăn về tình trạng ngập úng sau mưa lớn ở tổ 5. "
    "Nhiều hộ dân bức xúc vì ngập úng kéo dài, nước tràn vào nhà. "
    "Chi bộ đã họp bàn."
)


def test_fit_keeps_whole_central_sentences_in_order():
    out = fit_sentences(REPORT, 30)
    chosen = split_sentences(out)
    sentences = split_sentences(REPORT)
    assert set(chosen) <= set(sentences)
    assert chosen == [s for s in sentences if s in chosen]  # original order
    assert sum(map(word_count, chosen)) <= 30
    assert any("ngập úng" in s for s in chosen)  # what the text is mostly about


def test_fit_never_cuts_a_sentence_longer_than_the_limit():
    long = "Nhân dân " + "rất " * 40 + "phấn khởi. Ngắn gọn hơn nhiều câu này."
    out = fit_sentences("Nhân dân " + "rất " * 40 + "phấn khởi.", 5)
    assert out == "Nhân dân " + "rất " * 40 + "phấn khởi."
    assert "…" not in fit_sentences(long, 3)
    assert fit_sentences(long, 3) in split_sentences(long)


def test_fit_returns_everything_when_it_fits():
    assert split_sentences(fit_sentences(REPORT, 500)) == split_sentences(REPORT)


def test_join_puts_a_line_break_where_a_space_would_glue_two_sentences():
    assert join_sentences(["Ở TP.", "Hà Nội mưa."]) == "Ở TP.\nHà Nội mưa."
    assert join_sentences(["Gạch một", "Gạch hai"]) == "Gạch một\nGạch hai"
    assert join_sentences(["Một.", "Hai."]) == "Một. Hai."


_WORDS = st.sampled_from(
    "Nhân dân phấn khởi TP. P. Q. TS. v.v. 1.500 25/11 ngập úng rác. điện? Giá! … ... Tổ 5 "
    "“Ông” (bà) - • 1. 2) a) \n \n\n ông bà UBND phường. Đề nghị lừa đảo, qua mạng".split(" ")
)
_TEXT = st.lists(_WORDS, max_size=60).map(" ".join) | st.text(max_size=200)


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.integers(min_value=0, max_value=40))
@example("Ở TP.\nHà Nội mưa. Một câu khác nữa.", 3)
@example("a.\n\nB", 1)
def test_every_output_sentence_is_a_whole_sentence_of_the_input(text, max_words):
    sentences = split_sentences(text)
    out = fit_sentences(text, max_words)
    chosen = split_sentences(out)
    assert set(chosen) <= set(sentences)
    if sentences:
        assert chosen
        assert len(chosen) == 1 or sum(map(word_count, chosen)) <= max_words


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_splitting_is_stable(text):
    sentences = split_sentences(text)
    assert split_sentences(join_sentences(sentences)) == sentences
    for sentence in sentences:
        assert split_sentences(sentence) == [sentence]
