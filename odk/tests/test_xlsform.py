"""Our handling of pyxform's output: questions, languages, choices, XForm, located errors.

pyxform itself is not re-tested; these check what we make of what it returns, on forms built by
``odk.tests.builder`` that cover every type and column the issue lists.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest

from odk.expressions import KNOWN_FUNCTIONS
from odk.issues import Issue, column_letter
from odk.questions import extract_questions
from odk.tests import builder
from odk.tests.builder import coverage_rows, with_survey_rows, xls_bytes, xlsx_bytes
from odk.translate import translate
from odk.xlsform import convert_xlsform


def convert(rows: dict, name: str = "form.xlsx", **kw):
    return convert_xlsform(xlsx_bytes(**rows), name, **kw)


def only_error(result):
    assert not result.ok
    assert len(result.errors) == 1, [e.line() for e in result.errors]
    return result.errors[0]


# --- every type and column ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def coverage():
    result = convert(coverage_rows(), "kiem_thu.xlsx")
    assert result.ok, [e.line() for e in result.errors]
    return result, {q["name"]: q for q in extract_questions(result.definition)}


def test_coverage_form_metadata(coverage):
    result, _ = coverage
    assert result.file_type == "xlsx"
    assert (result.form_id, result.version, result.title) == ("kiem_thu", "3", "Biểu mẫu kiểm thử")
    assert result.languages == ["Tiếng Việt", "English"]
    assert result.default_language == "Tiếng Việt"
    assert '<data id="kiem_thu" version="3">' in result.xform
    assert result.concepts == {"tuoi": "tuoi_nguoi_tra_loi"}


def test_coverage_every_type_mapped(coverage):
    _, questions = coverage
    types = {name: q["type"] for name, q in questions.items()}
    assert types == {
        "loi_chao": "note",
        "ho_ten_ctv": "text",
        "tuoi": "integer",
        "thu_nhap": "decimal",
        "tinh_trang": "select_one",
        "van_de": "select_multiple",
        "van_de_other": "text",  # made by or_other
        "uu_tien": "rank",
        "khu_pho": "select_one",
        "ngay": "date",
        "ghi_chu": "text",
        "tuoi_con": "integer",
        "tong": "calculate",
    }
    # Groups, repeats and pyxform's meta/instanceID are not questions.
    assert not {"nhom", "con", "meta", "instanceID"} & set(questions)
    assert [q["position"] for q in questions.values()] == list(range(1, 14))


def test_coverage_paths_groups_repeats(coverage):
    _, q = coverage
    assert q["ghi_chu"]["path"] == "/data/nhom/ghi_chu"
    assert (q["ghi_chu"]["group_path"], q["ghi_chu"]["in_repeat"]) == ("nhom", False)
    assert q["tuoi_con"]["path"] == "/data/con/tuoi_con"
    assert (q["tuoi_con"]["group_path"], q["tuoi_con"]["in_repeat"]) == ("con", True)
    assert (q["tuoi"]["group_path"], q["tuoi"]["in_repeat"]) == ("", False)


def test_coverage_labels_choices_languages(coverage):
    _, q = coverage
    assert q["tuoi"]["label"] == "Tuổi"
    assert q["tuoi"]["labels"] == {"Tiếng Việt": "Tuổi", "English": "Age"}
    assert q["tinh_trang"]["list_name"] == "tinh_trang"
    assert q["tinh_trang"]["choices"] == [
        {"name": "tot", "label": "Tốt", "labels": {"Tiếng Việt": "Tốt", "English": "Good"}},
        {"name": "xau", "label": "Xấu", "labels": {"Tiếng Việt": "Xấu", "English": "Bad"}},
    ]
    assert [c["name"] for c in q["van_de"]["choices"]] == ["rac", "on", "other"]
    assert [c["name"] for c in q["uu_tien"]["choices"]] == ["duong", "truong", "tram"]
    english = extract_questions(coverage[0].definition, language="English")
    assert {x["name"]: x["label"] for x in english}["tuoi"] == "Age"


def test_coverage_required_relevant_constraint_filter_default(coverage):
    result, q = coverage
    assert q["ho_ten_ctv"]["required"] and q["tuoi"]["required"]
    assert not q["thu_nhap"]["required"]
    assert q["thu_nhap"]["relevant"] == "${tuoi} >= 18"
    assert q["tuoi"]["constraint"] == ". >= 18 and . <= 110"
    assert q["khu_pho"]["choice_filter"] == "khu = ${tinh_trang}"
    assert q["thu_nhap"]["default"] == "0.5"
    assert q["ngay"]["default"] == "today()"
    assert q["tong"]["calculation"].startswith("if(${thu_nhap} > 0")
    xml = result.xform
    # The skip logic and checks reach the XForm with ${} resolved to paths.
    assert re.search(r'nodeset="/data/thu_nhap"[^>]*relevant=" /data/tuoi  &gt;= 18"', xml)
    assert re.search(r'nodeset="/data/tuoi"[^>]*required="true\(\)"', xml)
    assert re.search(r'nodeset="/data/tuoi"[^>]*constraint="\. &gt;= 18 and', xml)
    assert "instance('khu_pho')/root/item[khu =  /data/tinh_trang ]" in xml
    assert re.search(r'nodeset="/data/nhom" relevant=', xml)
    assert 'type="odk:rank"' in xml
    assert "<thu_nhap>0.5</thu_nhap>" in xml
    assert 'lang="English"' in xml and 'lang="Tiếng Việt"' in xml


def test_coverage_warnings_are_located(coverage):
    result, _ = coverage
    or_other = next(w for w in result.warnings if "or_other" in w.message)
    assert (or_other.sheet, or_other.row, or_other.column, or_other.column_letter) == (
        "survey", 7, "type", "A"
    )
    assert all(w.level == "warning" for w in result.warnings)
    assert "This form uses or_other" in or_other.original


def test_standard_questionnaire():
    result = convert_xlsform(builder.standard_xlsx(), "chuan.xlsx")
    assert result.ok
    questions = extract_questions(result.definition)
    names = [q["name"] for q in questions]
    assert names[:4] == ["gioi_thieu", "khu_vuc", "gioi_tinh", "nhom_tuoi"]
    assert set(builder.STATEMENT_NAMES) <= set(names)
    khu_vuc = questions[1]
    assert khu_vuc["path"] == "/data/thong_tin/khu_vuc"
    assert [c["label"] for c in khu_vuc["choices"]] == ["Tổ dân phố 1", "Tổ dân phố 2",
                                                          "Tổ dân phố 3"]


# --- legacy .xls ----------------------------------------------------------------------------


def test_legacy_xls_gives_the_same_form():
    rows = coverage_rows()
    old = convert_xlsform(xls_bytes(**rows), "kiem_thu.xls")
    new = convert(rows)
    assert old.file_type == "xls" and old.ok, [e.line() for e in old.errors]
    assert (old.form_id, old.version, old.languages) == (new.form_id, new.version, new.languages)
    strip = [{k: v for k, v in q.items()} for q in extract_questions(old.definition)]
    assert strip == extract_questions(new.definition)


def test_legacy_xls_errors_are_located():
    rows = with_survey_rows([["text", "a", "A", "bogus(1)", "", ""]])
    issue = only_error(convert_xlsform(xls_bytes(**rows), "loi.xls"))
    assert (issue.sheet, issue.row, issue.column, issue.column_letter) == (
        "survey", 2, "relevant", "D"
    )


# --- defaults for form_id and version -----------------------------------------------------------


def test_missing_settings_take_file_name_and_upload_time():
    rows = with_survey_rows([["text", "a", "A", "", "", ""]])
    rows["settings"] = None
    result = convert(rows, "Khảo sát tháng 5 (bản cuối).xlsx", now=dt.datetime(2026, 5, 3, 9, 7))
    assert result.ok
    assert (result.form_id, result.version) == ("khao_sat_thang_5_ban_cuoi", "202605030907")
    assert '<data id="khao_sat_thang_5_ban_cuoi" version="202605030907">' in result.xform
    assert {(w.sheet, w.column) for w in result.warnings} >= {
        ("settings", "form_id"), ("settings", "version")
    }


def test_form_id_fallback_is_the_survey_one():
    rows = with_survey_rows([["text", "a", "A", "", "", ""]])
    rows["settings"] = [["version"], ["7"]]
    result = convert(rows, "x.xlsx", form_id_fallback="ks_2026")
    assert (result.form_id, result.version) == ("ks_2026", "7")
    assert 'id="ks_2026"' in result.xform


# --- bad files ------------------------------------------------------------------------------


def test_not_an_excel_file():
    issue = only_error(convert_xlsform(b"type,name,label\ntext,a,A\n", "form.csv"))
    assert "không phải bảng tính Excel" in issue.message


def test_empty_file():
    assert "rỗng" in only_error(convert_xlsform(b"", "x.xlsx")).message


def test_corrupt_xlsx():
    good = xlsx_bytes(**with_survey_rows([["text", "a", "A", "", "", ""]]))
    issue = only_error(convert_xlsform(good[: len(good) // 2], "cut.xlsx"))
    assert "bị hỏng" in issue.message


def test_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "xin chào")
    issue = only_error(convert_xlsform(buffer.getvalue(), "x.xlsx"))
    assert "không phải bảng tính Excel" in issue.message


def test_corrupt_xls():
    issue = only_error(convert_xlsform(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "x.xls"))
    assert "bị hỏng" in issue.message


def test_too_large():
    issue = only_error(convert_xlsform(b"PK\x03\x04" + b"0" * 2000, "x.xlsx", max_bytes=1000))
    assert "quá lớn" in issue.message


def test_missing_survey_sheet():
    content = xlsx_bytes(
        survey=None,
        choices=[["list_name", "name", "label"], ["yn", "y", "Có"]],
        settings=[["form_id"], ["x"]],
    )
    issue = only_error(convert_xlsform(content, "x.xlsx"))
    assert issue.sheet == "survey"
    assert "thiếu trang (sheet) 'survey'" in issue.message
    assert "choices, settings" in issue.message


def test_empty_survey_sheet():
    issue = only_error(convert(with_survey_rows([])))
    assert (issue.sheet, issue.row, issue.column, issue.column_letter) == ("survey", 2, "type", "A")
    assert "chưa có câu hỏi" in issue.message


# --- expressions: what pyxform lets through without Java -----------------------------------------


@pytest.mark.parametrize(
    ("column", "index", "letter", "expr", "fragment"),
    [
        ("relevant", 3, "D", "foo(${x}) = 1", "Hàm 'foo()'"),
        ("constraint", 4, "E", ". > 0 and Today() > .", "Hàm 'Today()'"),
        ("calculation", 5, "F", "sum2(${x})", "Hàm 'sum2()'"),
        ("relevant", 3, "D", "(${x} > 1", "Thiếu dấu ngoặc đóng"),
        ("relevant", 3, "D", "${x} > 1)", "Thừa dấu ngoặc đóng"),
        ("constraint", 4, "E", ". >", "kết thúc bằng toán tử '>'"),
        ("relevant", 3, "D", "${x} = 1 and", "kết thúc bằng toán tử 'and'"),
    ],
)
def test_bad_expression_refused_with_row_and_column(column, index, letter, expr, fragment):
    row = ["integer", "y", "Y", "", "", ""]
    if column == "calculation":
        row = ["calculate", "y", "", "", "", ""]
    row[index] = expr
    result = convert(with_survey_rows([["integer", "x", "X", "", "", ""], row]))
    issue = only_error(result)
    assert (issue.sheet, issue.row, issue.column, issue.column_letter) == (
        "survey", 3, column, letter
    )
    assert fragment in issue.message
    assert issue.original == expr
    assert not result.xform  # nothing usable is handed back


def test_unknown_function_in_choice_filter_and_required_expression():
    head = ["type", "name", "label", "choice_filter", "required"]
    rows = with_survey_rows(
        [["select_one yn", "a", "A", "nope(name)", ""], ["text", "b", "B", "", "myfn(1)"]],
        head=head,
    )
    result = convert(rows)
    located = sorted((e.row, e.column, e.column_letter) for e in result.errors)
    assert located == [(2, "choice_filter", "D"), (3, "required", "E")]


def test_known_functions_pass():
    exprs = [
        "selected(${x}, 'y') and count-selected(${x}) > 0",
        "if(${n} > 0, concat('a', string(${n})), '')",
        "format-date(today(), '%Y') != '' and jr:choice-name(${x}, '${x}') != ''",
        "regex(., '^[0-9]+$') and string-length(.) < 10",
        "not(boolean-from-string('true')) or round(${n}, 1) = coalesce(${n}, 0)",
    ]
    survey = [["select_multiple yn", "x", "X", "", "", ""], ["integer", "n", "N", "", "", ""]]
    survey += [["text", f"t{i}", "T", expr, "", ""] for i, expr in enumerate(exprs)]
    result = convert(with_survey_rows(survey))
    assert result.ok, [e.line() for e in result.errors]
    assert {"selected", "jr:choice-name", "format-date", "indexed-repeat"} <= KNOWN_FUNCTIONS


def test_static_yes_no_and_defaults_are_not_expressions():
    head = ["type", "name", "label", "required", "default"]
    rows = with_survey_rows(
        [["text", "a", "A", "yes", "Không rõ (chưa hỏi)"], ["text", "b", "B", "no", ""]],
        head=head,
    )
    assert convert(rows).ok


# --- pyxform's own errors, located and translated ------------------------------------------------


def test_duplicate_names():
    rows = with_survey_rows([["text", "a", "A", "", "", ""], ["text", "a", "A2", "", "", ""]])
    issue = only_error(convert(rows))
    assert (issue.sheet, issue.row, issue.column, issue.column_letter) == (
        "survey", 3, "name", "B"
    )
    assert "phải là duy nhất" in issue.message
    assert "'a'" in issue.message


def test_select_without_choices_list():
    issue = only_error(convert(with_survey_rows([["select_one zz", "a", "A", "", "", ""]])))
    assert (issue.sheet, issue.row, issue.column) == ("survey", 2, "type")
    assert issue.message == "Danh sách lựa chọn 'zz' không có trong trang choices."


def test_unknown_type_is_found_in_the_sheet():
    rows = with_survey_rows([["text", "a", "A", "", "", ""], ["textt", "b", "B", "", "", ""]])
    issue = only_error(convert(rows))
    assert (issue.sheet, issue.row, issue.column, issue.column_letter) == (
        "survey", 3, "type", "A"
    )
    assert "Kiểu câu hỏi 'textt'" in issue.message


def test_missing_label_is_found_by_name():
    rows = with_survey_rows([["text", "a", "A", "", "", ""], ["integer", "so", "", "", "", ""]])
    issue = only_error(convert(rows))
    assert (issue.row, issue.column, issue.column_letter) == (3, "label", "C")
    assert "Câu hỏi 'so' chưa có nội dung" in issue.message


def test_unknown_reference():
    rows = with_survey_rows([["text", "a", "A", "${khong_co} = 1", "", ""]])
    issue = only_error(convert(rows))
    assert (issue.sheet, issue.row, issue.column, issue.column_letter) == (
        "survey", 2, "relevant", "D"
    )
    assert "${khong_co}" in issue.message


def test_unmatched_group():
    rows = with_survey_rows([["begin_group", "g", "G", "", "", ""], ["text", "a", "A", "", "", ""]])
    issue = only_error(convert(rows))
    assert issue.row == 2 and "begin_group" in issue.message


def test_duplicate_choice_names_point_at_the_choices_sheet():
    rows = with_survey_rows([["select_one yn", "a", "A", "", "", ""]])
    rows["choices"].append(["yn", "y", "Có (lặp)"])
    issue = only_error(convert(rows))
    assert (issue.sheet, issue.row, issue.column, issue.column_letter) == (
        "choices", 4, "name", "B"
    )
    assert "trùng" in issue.message


def test_rows_count_blank_lines():
    rows = with_survey_rows(
        [["text", "a", "A", "", "", ""], [None] * 6, [None] * 6, ["text", "a", "A", "", "", ""]]
    )
    assert only_error(convert(rows)).row == 5


def test_duplicate_column_header():
    rows = with_survey_rows([["text", "a", "A", "B"]], head=["type", "name", "label", "label"])
    issue = only_error(convert(rows))
    assert (issue.sheet, issue.row, issue.column, issue.column_letter) == (
        "survey", 1, "label", "D"
    )
    assert "bị trùng" in issue.message


def test_missing_header_row():
    issue = only_error(convert({"survey": [["text", "a", "A"], ["text", "b", "B"]]}))
    assert (issue.sheet, issue.row) == ("survey", 1)
    assert "thiếu cột 'type'" in issue.message and "text, a, A" in issue.message


def test_a_form_id_with_spaces_and_vietnamese_letters_is_kept():
    # pyxform writes it, and ODK Collect and Central use it as it is (pyxform issue #388).
    rows = with_survey_rows([["text", "a", "A", "", "", ""]])
    rows["settings"] = [["version", "form_id"], ["1", "khảo sát 1"]]
    result = convert(rows)
    assert result.ok and result.form_id == "khảo sát 1"
    assert 'id="khảo sát 1"' in result.xform


def test_a_form_id_longer_than_the_server_keeps_is_refused_where_it_is():
    rows = with_survey_rows([["text", "a", "A", "", "", ""]])
    rows["settings"] = [["version", "Form ID"], ["1", "k" * 101]]
    issue = only_error(convert(rows))
    assert (issue.sheet, issue.row, issue.column, issue.column_letter) == (
        "settings", 2, "Form ID", "B"
    )
    assert "tối đa 100 ký tự" in issue.message


def test_end_without_begin():
    rows = with_survey_rows([["text", "a", "A", "", "", ""], ["end_group", "", "", "", "", ""]])
    issue = only_error(convert(rows))
    assert (issue.row, issue.column) == (3, "type")
    assert "'end_group'" in issue.message and "unknown" not in issue.message


def test_choice_filter_with_or_other():
    rows = with_survey_rows(
        [["select_one yn or_other", "a", "A", "name = 'y'"]],
        head=["type", "name", "label", "choice_filter"],
    )
    issue = only_error(convert(rows))
    assert (issue.row, issue.column) == (2, "type")
    assert issue.message.startswith("Không dùng được choice_filter cùng với or_other")


def test_unknown_pyxform_message_keeps_english():
    from odk.translate import UNTRANSLATED, locate

    issue = locate("[row : 7] Something entirely new happened.", {})
    assert (issue.row, issue.message) == (7, UNTRANSLATED)
    assert issue.original == "Something entirely new happened."
    generic = locate(
        "[row : 4] On the 'survey' sheet, the 'appearance' value 'x' is invalid. Odd.", {}
    )
    assert (generic.sheet, generic.row, generic.column) == ("survey", 4, "appearance")
    assert generic.message == "Giá trị cột 'appearance' ('x') ở trang survey không hợp lệ."
    assert generic.original.endswith("Odd.")


def test_untranslated_message_keeps_english():
    text, known = translate("Something entirely new happened.")
    assert (text, known) == ("Something entirely new happened.", False)
    vi, known = translate("[row : 4] Missing calculation.".split("] ", 1)[1])
    assert known and vi.startswith("Dòng calculate")


# --- small pieces ---------------------------------------------------------------------------


def test_issue_line_and_column_letters():
    issue = Issue(level="error", message="Sai.", sheet="survey", row=5, column="relevant",
                  column_letter="D")
    assert issue.line() == "Lỗi: Trang survey, dòng 5, cột relevant (D): Sai."
    assert Issue(level="warning", message="Chú ý.").line() == "Cảnh báo: Chú ý."
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A", "Z", "AA", "AB", "ZZ", "AAA"
    ]


def test_as_dict_is_json_ready():
    import json

    result = convert(with_survey_rows([["text", "a", "A", "oops(", "", ""]]))
    data = json.loads(json.dumps(result.as_dict()))
    assert data["ok"] is False
    assert data["errors"][0]["row"] == 2 and data["errors"][0]["sheet"] == "survey"


# --- upload bombs: refused before pyxform (or openpyxl) expands anything ----------------------


def test_zip_bomb_form_refused_fast_and_light():
    import resource
    import time

    from documents.tests.bombs import long_sheet, zip_bomb

    convert_xlsform(xlsx_bytes(survey=[["type", "name", "label"], ["text", "a", "A"]]))  # warm
    bomb = zip_bomb(200, base=long_sheet(3))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    issue = only_error(convert_xlsform(bomb, "bom.xlsx"))
    assert time.perf_counter() - started < 1.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024
    assert "bom nén" in issue.message


def test_too_much_expanded_data_refused():
    from documents.tests.bombs import zip_bomb

    # 16 entries of 1 MB (each too small for its ratio to be judged): 16 MB > 15 MB.
    extra = {f"xl/media/x{i}.bin": b"\0" * (1024 * 1024) for i in range(15)}
    from documents.tests.bombs import long_sheet

    bomb = zip_bomb(1, base=long_sheet(3), entry="xl/media/y.bin", extra_entries=extra)
    issue = only_error(convert_xlsform(bomb, "to.xlsx"))
    assert "16 MB" in issue.message and "giới hạn 15 MB" in issue.message


def test_too_many_questions_refused_before_pyxform(monkeypatch):
    import time

    from documents.tests.bombs import long_sheet
    from odk import workbook

    monkeypatch.setattr(workbook, "MAX_QUESTIONS", 200)
    for write_only, found in ((False, "3.000 dòng câu hỏi"), (True, "hơn 200 dòng câu hỏi")):
        monkeypatch.setattr(workbook, "MAX_SHEET_ROWS", 2_000 if not write_only else 20_000)
        content = long_sheet(3_000, write_only=write_only)
        started = time.perf_counter()
        issue = only_error(convert_xlsform(content, "dai.xlsx"))
        assert time.perf_counter() - started < 2.0
        assert found in issue.message and "giới hạn 200 câu hỏi" in issue.message
        assert issue.sheet == "survey"


def test_real_limits_are_sane():
    from odk import workbook

    assert workbook.MAX_QUESTIONS == 2_000 and workbook.MAX_SHEET_ROWS == 20_000


def test_large_legacy_xls_refused_by_size():
    from odk.xlsform import MAX_XLS_BYTES

    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * MAX_XLS_BYTES
    issue = only_error(convert_xlsform(content, "cu.xls"))
    assert ".xls" in issue.message and "3.072 KB" in issue.message
