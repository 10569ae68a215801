"""Headers read as pyxform reads them, and forms needing attachments (issue 10, XLSForm parity).

Regression tests for the divergences the parity corpus (surveys/tests/test_xlsform_parity.py)
found: our own reading of the sheets compared headers as written, so "TYPE", "Form_ID",
"form id" or "Concept" were missed although pyxform reads them.
"""

from __future__ import annotations

from odk.questions import extract_questions
from odk.tests.builder import xlsx_bytes
from odk.xlsform import convert_xlsform

S = [["form_id", "version"], ["ks", "1"]]


def convert(**sheets):
    return convert_xlsform(xlsx_bytes(**sheets), "ks.xlsx")


def test_upper_case_survey_headers_are_read():
    result = convert(survey=[["TYPE", "NAME", "LABEL"], ["text", "q", "Câu hỏi"]], settings=S)
    assert result.ok, [issue.line() for issue in result.errors]
    assert [q["name"] for q in extract_questions(result.definition)] == ["q"]


def test_an_expression_under_an_upper_case_or_aliased_header_is_still_checked():
    for header in ("RELEVANT", "Relevance", "bind::relevant"):
        result = convert(survey=[["Type", "Name", "Label", header], ["integer", "a", "A", ""],
                                 ["text", "b", "B", "foo(${a})"]], settings=S)
        assert [(i.row, i.column, i.column_letter) for i in result.errors] == [
            (3, header, "D")], header
        assert "foo()" in result.errors[0].message


def test_settings_headers_in_any_case_or_spacing_give_the_form_id_and_version():
    for headers in (["Form_ID", "Version"], ["form id", "VERSION"], ["id_string", "version"]):
        result = convert(survey=[["type", "name", "label"], ["text", "q", "Câu"]],
                         settings=[headers, ["khao_sat_x", "7"]])
        assert result.ok, (headers, [issue.line() for issue in result.errors])
        assert (result.form_id, result.version) == ("khao_sat_x", "7"), headers
        assert 'id="khao_sat_x"' in result.xform and 'version="7"' in result.xform


def test_a_concept_column_in_any_case_gives_the_concept():
    result = convert(survey=[["type", "name", "label", "Concept"],
                             ["text", "q", "Câu", "y_kien_chung"]], settings=S)
    assert result.concepts == {"q": "y_kien_chung"}


def test_a_form_needing_an_attached_file_is_refused_where_it_says_so():
    result = convert(survey=[["Type", "name", "label"], ["text", "a", "A"],
                             ["select_one_from_file xa.csv", "q", "Xã"]], settings=S)
    [issue] = result.errors
    assert (issue.sheet, issue.row, issue.column, issue.column_letter) == ("survey", 3, "Type",
                                                                           "A")
    assert "'xa.csv'" in issue.message and "trang choices" in issue.message


def test_pulldata_is_refused_in_its_column():
    result = convert(survey=[["type", "name", "label", "calculation"], ["text", "a", "A", ""],
                             ["calculate", "b", "", "pulldata('ho', 'ten', 'ma', ${a})"]],
                     settings=S)
    [issue] = result.errors
    assert (issue.row, issue.column, issue.column_letter) == (3, "calculation", "D")
    assert "'ho.csv'" in issue.message


def test_media_columns_are_a_warning_only():
    result = convert(survey=[["type", "name", "label", "image"], ["note", "n", "Xem", "a.png"]],
                     settings=S)
    assert result.ok
    [warning] = [w for w in result.warnings if w.column == "image"]
    assert "a.png" in warning.message and warning.column_letter == "D"


def test_a_choices_sheet_missing_is_said_in_vietnamese():
    result = convert(survey=[["type", "name", "label"], ["select_one yn", "q", "Câu"]],
                     settings=S)
    [issue] = result.errors
    assert issue.sheet == "choices" and "thiếu trang choices" in issue.message


def test_a_static_default_with_a_parenthesis_is_text_not_an_expression():
    # pyxform keeps "Không có (ghi rõ" as a static default; we checked it as an expression
    # ("Thiếu dấu ngoặc đóng") and refused a form pyxform converts.
    result = convert(survey=[["type", "name", "label", "default"],
                             ["text", "t", "Ghi chú", "Không có (ghi rõ"],
                             ["integer", "n", "Số", "1 + (2"]], settings=S)
    assert [(issue.row, issue.column) for issue in result.errors] == [(3, "default")]
