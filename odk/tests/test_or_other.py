"""pyxform's or_other in Vietnamese (issue 17): "Khác" and "Khác (ghi rõ)" at import."""

from __future__ import annotations

import pyxform.constants

from odk.or_other import translate_question_spec
from odk.questions import extract_questions
from odk.tests import builder
from odk.xlsform import convert_xlsform


def _single_language_form() -> bytes:
    return builder.xlsx_bytes(
        survey=[
            ["type", "name", "label"],
            ["select_one yn or_other", "y_kien", "Ông/bà có đồng ý không?"],
        ],
        choices=[["list_name", "name", "label"], ["yn", "co", "Có"], ["yn", "khong", "Không"]],
        settings=[["form_id", "version"], ["f", "1"]],
    )


def _by_name(result) -> dict[str, dict]:
    return {spec["name"]: spec for spec in extract_questions(result.definition)}


def test_a_single_language_form_reads_vietnamese_everywhere():
    result = convert_xlsform(_single_language_form(), "f.xlsx")
    assert result.ok
    questions = _by_name(result)
    assert questions["y_kien_other"]["label"] == "Khác (ghi rõ)"
    assert questions["y_kien"]["choices"][-1] == {
        "name": "other", "label": "Khác", "labels": {"default": "Khác"}
    }
    assert "<label>Khác (ghi rõ)</label>" in result.xform and "<label>Khác</label>" in result.xform
    assert "Specify other" not in result.xform and ">Other<" not in result.xform
    # pyxform's shared constant is never edited: the next form starts from English again.
    assert pyxform.constants.OR_OTHER_CHOICE == {"name": "other", "label": "Other"}


def test_a_bilingual_form_keeps_english_for_its_english_column():
    result = convert_xlsform(builder.standard_xlsx(), "chuan.xlsx")
    questions = _by_name(result)
    assert questions["van_de_other"]["labels"] == {
        "Tiếng Việt": "Khác (ghi rõ)", "English": "Specify other."
    }
    assert questions["van_de_other"]["label"] == "Khác (ghi rõ)"  # the default language
    other_choice = questions["van_de"]["choices"][-1]
    assert other_choice["labels"] == {"Tiếng Việt": "Khác", "English": "Other"}
    # The follow-up question still appears only when "other" is chosen.
    assert 'relevant="selected(../van_de, \'other\')"' in result.xform


def test_a_label_the_author_wrote_is_left_alone():
    spec = {"type": "text", "label": "Ghi rõ nghề nghiệp", "labels": {}}
    assert translate_question_spec(spec) == spec
    choice = {"name": "other", "label": "Nghề khác", "labels": {"default": "Nghề khác"}}
    assert translate_question_spec({"type": "select_one", "choices": [choice]})["choices"] == [
        choice
    ]


def test_a_stored_english_question_spec_is_translated():
    spec = translate_question_spec({
        "type": "text", "label": "Specify other.",
        "labels": {"default": "Specify other.", "English": "Specify other."},
    })
    assert spec["label"] == "Khác (ghi rõ)"
    assert spec["labels"] == {"default": "Khác (ghi rõ)", "English": "Specify other."}
