"""The XLSForm parity corpus (issue 10): forms pyxform converts and forms it refuses.

Each :class:`Case` is a small XLSForm built from Python lists (see :mod:`odk.tests.builder`)
covering one feature of the XLSForm spec (question types, groups and repeats, translations,
choice filters, or_other, settings, header spelling and case) or one way of getting it wrong.
``pyxform_converts`` records what pyxform 4.5.0 itself does with the file, so the corpus keeps
both sides; ``odk_collect_cannot`` names, for a form pyxform converts, why ODK Collect could not
use it and so why our upload refuses it (the documented exceptions: ``EXCEPTIONS``).

pyxform ships no test fixtures in its wheel, so the corpus is written here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from odk.tests.builder import xls_bytes, xlsx_bytes

H = ["type", "name", "label"]
YN = [["list_name", "name", "label"], ["yn", "co", "Có"], ["yn", "khong", "Không"]]
S = [["form_id", "version"], ["ks_parity", "1"]]

# Why ODK Collect could not use a form pyxform converts (the key is what the test matches in
# our refusal's message).
EXCEPTIONS = {
    "unknown_function": (
        "an expression calls a function that is not XPath or ODK XForms: ODK Validate and "
        "ODK Collect refuse the form when they load it (pyxform does not check without Java)",
        "không có trong XLSForm/ODK",
    ),
    "unbalanced_expression": (
        "an expression's parentheses do not balance or it ends with an operator: ODK Collect "
        "cannot parse it and refuses the form",
        "dấu ngoặc|toán tử",
    ),
    "needs_media_file": (
        "the choices or data come from a file attached to the form (select_one_from_file, "
        "select_one_external, csv-external, xml-external): ODK Collect needs the file in the "
        "form's manifest and this server serves no form attachments, so the question could "
        "not be shown",
        "tệp đính kèm",
    ),
    "too_long_for_server": (
        "the version or form_id is longer than 100 characters, or a question's name longer than "
        "200: ODK Collect could use it, but the server keeps them up to that length "
        "(FormVersion.version, Survey.form_id, Question.name); refused with the limit rather "
        "than cut, since submissions and answers are matched by them",
        "tối đa (100|200) ký tự",
    ),
    "no_questions": (
        "the survey sheet has no question at all: pyxform makes an XForm with only its meta "
        "block, which ODK Collect would open and send empty; refused so that the office does "
        "not open a survey that asks nothing",
        "chưa có câu hỏi nào",
    ),
}


@dataclass
class Case:
    name: str
    survey: list | None
    choices: list | None = None
    settings: list | None = field(default_factory=lambda: S)
    extra: dict | None = None
    pyxform_converts: bool = True
    odk_collect_cannot: str = ""  # a key of EXCEPTIONS when pyxform converts but we refuse
    xls: bool = False  # build a legacy .xls instead of .xlsx

    def content(self) -> bytes:
        if self.xls:
            return xls_bytes(survey=self.survey, choices=self.choices, settings=self.settings)
        return xlsx_bytes(survey=self.survey, choices=self.choices, settings=self.settings,
                          extra=self.extra)

    @property
    def filename(self) -> str:
        return f"{self.name}.{'xls' if self.xls else 'xlsx'}"


def _ok(name, survey, **kw) -> Case:
    return Case(name, survey, **kw)


def _bad(name, survey, **kw) -> Case:
    return Case(name, survey, pyxform_converts=False, **kw)


CASES: list[Case] = [
    # --- question types -----------------------------------------------------------------------
    _ok("text", [H, ["text", "q", "Ý kiến của ông/bà"]]),
    _ok("numbers", [H, ["integer", "tuoi", "Tuổi"], ["decimal", "thu_nhap", "Thu nhập"]]),
    _ok("dates", [H, ["date", "ngay", "Ngày"], ["time", "gio", "Giờ"],
                  ["datetime", "luc", "Lúc"]]),
    _ok("geo", [H, ["geopoint", "diem", "Vị trí"], ["geotrace", "duong", "Tuyến"],
                ["geoshape", "vung", "Vùng"]]),
    _ok("media_questions", [H, ["image", "anh", "Ảnh"], ["audio", "am", "Ghi âm"],
                            ["video", "phim", "Video"], ["file", "tep", "Tệp"]]),
    _ok("barcode_acknowledge", [H, ["barcode", "ma", "Mã vạch"],
                                ["acknowledge", "xac_nhan", "Tôi đồng ý"]]),
    _ok("note_and_hidden", [H, ["note", "ghi_chu", "Cảm ơn ông/bà"], ["hidden", "an", ""]]),
    _ok("metadata", [H, ["start", "start", ""], ["end", "end", ""], ["today", "today", ""],
                     ["deviceid", "deviceid", ""], ["audit", "audit", ""],
                     ["text", "q", "Câu"]]),
    _ok("select_one", [H, ["select_one yn", "q", "Đồng ý?"]], choices=YN),
    _ok("select_multiple", [H, ["select_multiple yn", "q", "Chọn"]], choices=YN),
    _ok("select_spaces_alias", [H, ["select one yn", "q", "Đồng ý?"],
                                ["select all that apply yn", "q2", "Chọn"]], choices=YN),
    _ok("rank", [H, ["rank yn", "q", "Xếp hạng"]], choices=YN),
    _ok("range", [H + ["parameters"], ["range", "q", "Mức độ", "start=1 end=5 step=1"]]),
    _ok("randomize", [H + ["parameters"], ["select_one yn", "q", "Đồng ý?", "randomize=true"]],
        choices=YN),
    _ok("or_other", [H, ["select_one yn or_other", "q", "Đồng ý?"]], choices=YN),
    _ok("select_multiple_or_other", [H, ["select_multiple yn or_other", "q", "Chọn"]],
        choices=YN),
    _ok("calculate", [H + ["calculation"], ["integer", "a", "A", ""],
                      ["calculate", "b", "", "${a} * 2"], ["note", "c", "Kết quả: ${b}", ""]]),
    _ok("calculate_upper_header", [["TYPE", "NAME", "LABEL", "CALCULATION"],
                                   ["integer", "a", "A", ""], ["calculate", "b", "", "${a}+1"]]),
    _ok("trigger", [H + ["calculation", "trigger"], ["integer", "a", "A", "", ""],
                    ["calculate", "b", "", "now()", "${a}"]]),
    _bad("uppercase_type", [H, ["TEXT", "q", "Câu"], ["Integer", "n", "Số"]]),
    # --- groups and repeats -------------------------------------------------------------------
    _ok("group", [H, ["begin_group", "g", "Nhóm"], ["text", "q", "Câu"], ["end_group", "", ""]]),
    _ok("group_spaces", [H, ["begin group", "g", "Nhóm"], ["text", "q", "Câu"],
                         ["end group", "", ""]]),
    _ok("group_field_list", [H + ["appearance"], ["begin_group", "g", "Nhóm", "field-list"],
                             ["text", "q", "Câu", ""], ["end_group", "", "", ""]]),
    _ok("nested_groups", [H, ["begin_group", "a", "A"], ["begin_group", "b", "B"],
                          ["text", "q", "Câu"], ["end_group", "", ""], ["end_group", "", ""]]),
    _ok("repeat", [H, ["begin_repeat", "r", "Thành viên"], ["text", "ten", "Tên"],
                   ["end_repeat", "", ""]]),
    _ok("repeat_count", [H + ["repeat_count"], ["integer", "n", "Số người", ""],
                         ["begin_repeat", "r", "Người", "${n}"], ["text", "ten", "Tên", ""],
                         ["end_repeat", "", "", ""]]),
    _ok("repeat_in_group", [H, ["begin_group", "g", "G"], ["begin_repeat", "r", "R"],
                            ["integer", "x", "X"], ["end_repeat", "", ""],
                            ["end_group", "", ""]]),
    _ok("same_name_in_two_groups", [H, ["begin_group", "g1", "G1"], ["text", "q", "Câu"],
                                    ["end_group", "", ""], ["begin_group", "g2", "G2"],
                                    ["text", "q", "Câu"], ["end_group", "", ""]]),
    # --- expressions --------------------------------------------------------------------------
    _ok("relevant_constraint_required",
        [H + ["relevant", "constraint", "constraint_message", "required", "required_message"],
         ["integer", "a", "A", "", ". >= 0 and . <= 120", "Từ 0 đến 120", "yes", "Bắt buộc"],
         ["text", "b", "B", "${a} > 18", "", "", "true()", ""]]),
    _ok("aliases_relevance_caption", [["type", "name", "caption", "relevance"],
                                      ["integer", "a", "A", ""], ["text", "b", "B", "${a} > 1"]]),
    _ok("static_default_with_a_parenthesis", [H + ["default"],
                                              ["text", "t", "Ghi chú", "Không có (ghi rõ"]]),
    Case("dynamic_default_unbalanced", [H + ["default"], ["integer", "n", "Số", "1 + (2"]],
         odk_collect_cannot="unbalanced_expression"),
    _ok("default_and_readonly", [H + ["default", "read_only"],
                                 ["date", "d", "Ngày", "today()", ""],
                                 ["text", "t", "T", "xin chào", "yes"]]),
    _ok("choice_filter", [H + ["choice_filter"], ["select_one tinh", "tinh", "Tỉnh", ""],
                          ["select_one xa", "xa", "Xã", "tinh=${tinh}"]],
        choices=[["list_name", "name", "label", "tinh"], ["tinh", "hp", "Hải Phòng", ""],
                 ["tinh", "hn", "Hà Nội", ""], ["xa", "hb", "Hòa Bình", "hp"],
                 ["xa", "bd", "Ba Đình", "hn"]]),
    _ok("selected_and_functions", [H + ["relevant", "calculation"],
                                   ["select_multiple yn", "a", "A", "", ""],
                                   ["text", "b", "B", "selected(${a}, 'co')", ""],
                                   ["calculate", "c", "", "", "count-selected(${a})"],
                                   ["calculate", "d", "", "", "concat('x', string(${c}))"]],
        choices=YN),
    _ok("relevant_upper_header", [["Type", "Name", "Label", "Relevant"], ["integer", "a", "A", ""],
                                  ["text", "b", "B", "${a} > 1"]]),
    _ok("pulldata_free_expression", [H + ["calculation"], ["integer", "a", "A", ""],
                                     ["calculate", "b", "", "if(${a} > 1, 'x', 'y')"]]),
    Case("unknown_function", [H + ["relevant"], ["integer", "a", "A", ""],
                              ["text", "b", "B", "foo(${a})"]],
         odk_collect_cannot="unknown_function"),
    Case("unknown_function_upper_header", [["TYPE", "NAME", "LABEL", "RELEVANT"],
                                           ["integer", "a", "A", ""],
                                           ["text", "b", "B", "nope(${a})"]],
         odk_collect_cannot="unknown_function"),
    Case("unbalanced_parenthesis", [H + ["constraint"], ["integer", "a", "A", "(. > 1"]],
         odk_collect_cannot="unbalanced_expression"),
    Case("dangling_operator", [H + ["calculation"], ["integer", "a", "A", ""],
                               ["calculate", "b", "", "${a} +"]],
         odk_collect_cannot="unbalanced_expression"),
    # --- translations -------------------------------------------------------------------------
    _ok("translated_vi_en", [["type", "name", "label::Vietnamese (vi)", "label::English (en)",
                              "hint::Vietnamese (vi)", "hint::English (en)"],
                             ["text", "q", "Ý kiến", "Opinion", "Ghi rõ", "Be specific"]],
        settings=[["form_id", "version", "default_language"], ["ks_parity", "1",
                                                                "Vietnamese (vi)"]]),
    _ok("translated_upper_header", [["TYPE", "NAME", "Label::Tiếng Việt (vi)",
                                     "LABEL::English (en)"],
                                    ["select_one yn", "q", "Đồng ý?", "Agree?"]],
        choices=[["list_name", "name", "label::Tiếng Việt (vi)", "label::English (en)"],
                 ["yn", "co", "Có", "Yes"], ["yn", "khong", "Không", "No"]]),
    _ok("translated_or_other", [["type", "name", "label::Tiếng Việt (vi)", "label::English (en)"],
                                ["select_one yn or_other", "q", "Đồng ý?", "Agree?"]],
        choices=[["list_name", "name", "label::Tiếng Việt (vi)", "label::English (en)"],
                 ["yn", "co", "Có", "Yes"], ["yn", "khong", "Không", "No"]]),
    _ok("media_columns", [["type", "name", "label", "image", "audio::Tiếng Việt (vi)"],
                          ["note", "n", "Xem ảnh", "anh.png", "am.mp3"]]),
    _ok("guidance_hint", [H + ["hint", "guidance_hint"],
                          ["text", "q", "Câu", "Gợi ý", "Hướng dẫn"]]),
    # --- choices sheet ------------------------------------------------------------------------
    _ok("choices_upper_headers", [H, ["select_one yn", "q", "Đồng ý?"]],
        choices=[["LIST_NAME", "NAME", "LABEL"], ["yn", "co", "Có"], ["yn", "khong", "Không"]]),
    _ok("choices_list_name_spaced", [H, ["select_one yn", "q", "Đồng ý?"]],
        choices=[["list name", "name", "label"], ["yn", "co", "Có"], ["yn", "khong", "Không"]]),
    _ok("choices_value_alias", [H, ["select_one yn", "q", "Đồng ý?"]],
        choices=[["list_name", "value", "label"], ["yn", "co", "Có"], ["yn", "khong", "Không"]]),
    _ok("numeric_choice_names", [H, ["select_one so", "q", "Số con"]],
        choices=[["list_name", "name", "label"], ["so", 1, "Một"], ["so", 2, "Hai"]]),
    # --- settings -----------------------------------------------------------------------------
    _ok("no_settings_sheet", [H, ["text", "q", "Câu"]], settings=None),
    _ok("settings_title_style", [H, ["text", "q", "Câu"]],
        settings=[["form_title", "form_id", "version", "instance_name"],
                  ["Khảo sát", "ks_parity", "2026120501", "concat('ks-', ${q})"]]),
    _ok("settings_upper_headers", [H, ["text", "q", "Câu"]],
        settings=[["Form_ID", "Version", "Form_Title"], ["ks_parity", "2", "Khảo sát"]]),
    _ok("settings_spaced_headers", [H, ["text", "q", "Câu"]],
        settings=[["form id", "version", "form title"], ["ks_parity", "3", "Khảo sát"]]),
    _ok("settings_id_string", [H, ["text", "q", "Câu"]],
        settings=[["id_string", "version"], ["ks_parity", "4"]]),
    _ok("settings_root_name", [H, ["text", "q", "Câu"]],
        settings=[["form_id", "version", "name"], ["ks_parity", "5", "du_lieu"]]),
    Case("settings_long_version", [H, ["text", "q", "Câu"]],
         settings=[["form_id", "version"], ["ks_parity", "1" * 120]],
         odk_collect_cannot="too_long_for_server"),
    # --- sheets and headers -------------------------------------------------------------------
    _ok("sheet_names_upper", None, settings=None,
        extra={"Survey": [H, ["select_one yn", "q", "Đồng ý?"]], "Choices": YN,
               "Settings": S}),
    _ok("headers_with_spaces", [[" type ", "name ", " label"], ["text", "q", "Câu"]]),
    _ok("concept_column", [H + ["Concept"], ["text", "q", "Câu", "y_kien_chung"]]),
    _ok("legacy_xls", [H, ["select_one yn", "q", "Đồng ý?"]], choices=YN, xls=True),
    # --- files ODK Collect would need attached ------------------------------------------------
    Case("select_one_from_file", [H, ["select_one_from_file xa.csv", "q", "Xã"]],
         odk_collect_cannot="needs_media_file"),
    Case("select_multiple_from_file", [H, ["select_multiple_from_file ds.xml", "q", "Chọn"]],
         odk_collect_cannot="needs_media_file"),
    Case("csv_external", [H + ["calculation"], ["csv-external", "ds", "", ""],
                          ["calculate", "x", "", "count(instance('ds')/root/item)"]],
         odk_collect_cannot="needs_media_file"),
    Case("select_one_external", [H + ["choice_filter"], ["select_one yn", "a", "A", ""],
                                 ["select_one_external xa", "q", "Xã", "a=${a}"]],
         choices=YN, extra={"external_choices": [["list_name", "name", "label", "a"],
                                                 ["xa", "hb", "Hòa Bình", "co"]]},
         odk_collect_cannot="needs_media_file"),
    Case("xml_external", [H, ["xml-external", "ds", ""], ["text", "q", "Câu"]],
         odk_collect_cannot="needs_media_file"),
    Case("pulldata", [H + ["calculation"], ["text", "ma", "Mã", ""],
                      ["calculate", "ten", "", "pulldata('ho_dan', 'ten', 'ma', ${ma})"]],
         odk_collect_cannot="needs_media_file"),
    Case("search_appearance", [H + ["appearance"],
                               ["select_one yn", "q", "Câu", "search('ds')"]],
         choices=YN, odk_collect_cannot="needs_media_file"),
    # --- more of the spec ---------------------------------------------------------------------
    _ok("entities_create", [H, ["text", "ten", "Tên"]],
        extra={"entities": [["dataset", "label"], ["ho_dan", "${ten}"]]}),
    _ok("metadata_more", [H, ["start-geopoint", "vi_tri", ""], ["background-audio", "ghi", ""],
                          ["text", "q", "Câu"]]),
    _bad("question_without_label", [H, ["text", "q", ""], ["integer", "n", "Số"]]),
    _ok("choice_without_label", [H, ["select_one yn", "q", "Câu"]],
        choices=[["list_name", "name", "label"], ["yn", "co", ""], ["yn", "khong", "Không"]]),
    _ok("allow_choice_duplicates", [H, ["select_one yn", "q", "Câu"]],
        choices=[["list_name", "name", "label"], ["yn", "co", "Có"], ["yn", "co", "Có nữa"]],
        settings=[["form_id", "version", "allow_choice_duplicates"], ["ks_parity", "1", "yes"]]),
    _ok("long_name", [H, ["text", "q" * 150, "Câu"]]),
    Case("name_longer_than_the_server_keeps", [H, ["text", "q" * 201, "Câu"]],
         odk_collect_cannot="too_long_for_server"),
    _ok("unicode_labels_and_hints", [H + ["hint", "constraint_message"],
                                     ["integer", "tuoi", "Tuổi (năm) — “ghi số”", "Ví dụ: 45",
                                      "Tuổi phải ≥ 18"]]),
    _ok("label_references", [H, ["text", "ten", "Tên"], ["note", "n", "Xin chào ${ten}!"]]),
    _ok("choices_translated_only", [["type", "name", "label::Tiếng Việt (vi)"],
                                    ["select_one yn", "q", "Đồng ý?"]],
        choices=[["list_name", "name", "label::Tiếng Việt (vi)"], ["yn", "co", "Có"],
                 ["yn", "khong", "Không"]]),
    _ok("style_theme_grid", [H, ["text", "q", "Câu"]],
        settings=[["form_id", "version", "style"], ["ks_parity", "1", "theme-grid"]]),
    _ok("xls_upper_headers", [["TYPE", "NAME", "LABEL"], ["text", "q", "Câu"]], xls=True,
        settings=[["FORM_ID", "VERSION"], ["ks_parity", "7"]]),
    _ok("lone_sheet_any_name", None, settings=None,
        extra={"Bảng hỏi": [H, ["text", "q", "Câu"]]}),
    _ok("form_id_with_space_and_accents", [H, ["text", "q", "Câu"]],
        settings=[["form_id", "version"], ["khảo sát 2026", "1"]]),
    Case("settings_long_form_id", [H, ["text", "q", "Câu"]],
         settings=[["form_id", "version"], ["k" * 120, "1"]],
         odk_collect_cannot="too_long_for_server"),
    # --- forms pyxform refuses ----------------------------------------------------------------
    _bad("missing_type_column", [["name", "label"], ["q", "Câu"]]),
    _bad("row_without_type", [H, ["text", "q", "Câu"], ["", "q2", "Câu 2"]]),
    _bad("unknown_type", [H, ["txet", "q", "Câu"]]),
    _bad("bad_choice_list", [H, ["select_one khong_co", "q", "Câu"]], choices=YN),
    _bad("select_without_list", [H, ["select_one", "q", "Câu"]], choices=YN),
    _bad("no_choices_sheet", [H, ["select_one yn", "q", "Câu"]]),
    _bad("duplicate_names", [H, ["text", "q", "Câu"], ["integer", "q", "Câu 2"]]),
    _bad("duplicate_choice_names", [H, ["select_one yn", "q", "Câu"]],
         choices=[["list_name", "name", "label"], ["yn", "co", "Có"], ["yn", "co", "Có nữa"]]),
    _bad("choice_without_name", [H, ["select_one yn", "q", "Câu"]],
         choices=[["list_name", "name", "label"], ["yn", "", "Có"]]),
    _bad("choices_without_name_column", [H, ["select_one yn", "q", "Câu"]],
         choices=[["list_name", "label"], ["yn", "Có"]]),
    _bad("unclosed_group", [H, ["begin_group", "g", "Nhóm"], ["text", "q", "Câu"]]),
    _bad("end_without_begin", [H, ["text", "q", "Câu"], ["end_group", "", ""]]),
    _bad("unclosed_repeat", [H, ["begin_repeat", "r", "R"], ["text", "q", "Câu"]]),
    _bad("group_closed_as_repeat", [H, ["begin_group", "g", "G"], ["text", "q", "Câu"],
                                    ["end_repeat", "", ""]]),
    _bad("name_starts_with_digit", [H, ["text", "1q", "Câu"]]),
    _bad("name_with_space", [H, ["text", "cau hoi", "Câu"]]),
    _bad("question_without_name", [H, ["text", "", "Câu"]]),
    _bad("unknown_reference", [H + ["relevant"], ["text", "q", "Câu", "${khong_co} = 1"]]),
    _bad("calculate_without_calculation", [H + ["calculation"], ["calculate", "c", "", ""]]),
    _bad("or_other_with_choice_filter", [H + ["choice_filter"],
                                         ["select_one yn or_other", "q", "Câu", "name='co'"]],
         choices=YN),
    _bad("duplicate_header", [["type", "name", "label", "label"], ["text", "q", "Câu", "Câu"]]),
    _bad("reserved_meta", [H, ["begin_group", "meta", "M"], ["text", "q", "Câu"],
                           ["end_group", "", ""]]),
    _bad("bad_settings_root_name", [H, ["text", "q", "Câu"]],
         settings=[["form_id", "version", "name"], ["ks_parity", "1", "1 bad"]]),
    _bad("same_header_two_cases", [["type", "Type", "name", "label"],
                                   ["text", "text", "q", "Câu"]]),
    _bad("survey_sheet_missing", None, settings=None, extra={"cau_hoi": [H, ["text", "q", "C"]],
                                                             "choices": YN}),
    Case("empty_survey", [H], odk_collect_cannot="no_questions"),
    Case("only_a_group_header", [H, ["", "", ""]], odk_collect_cannot="no_questions"),
    _bad("group_with_no_name", [H, ["begin_group", "", "Nhóm"], ["text", "q", "Câu"],
                                ["end_group", "", ""]]),
    _bad("duplicate_names_upper", [["TYPE", "NAME", "LABEL"], ["text", "q", "Câu"],
                                   ["text", "q", "Câu 2"]]),
    _bad("bad_choice_list_upper", [["TYPE", "NAME", "LABEL"], ["select_one khong_co", "q", "C"]],
         choices=YN),
    _bad("select_one_from_file_bad_extension", [H, ["select_one_from_file xa.txt", "q", "Xã"]]),
    _bad("range_bad_parameters", [H + ["parameters"], ["range", "q", "Mức", "start=x end=5"]]),
    _bad("repeat_named_like_root", [H, ["begin_repeat", "data", "R"], ["text", "q", "Câu"],
                                    ["end_repeat", "", ""]], settings=[["form_id", "version"],
                                                                       ["data", "1"]]),
]
