"""pyxform's English messages in Vietnamese, located by sheet, row and column."""

from __future__ import annotations

import re

from odk.issues import Issue
from odk.workbook import Sheet

ROW_RE = re.compile(r"\[row\s*:\s*(\d+)\]\s*")
LEARN_MORE_RE = re.compile(r"\s*Learn more:?\s*\S+\.?\)?\s*$", re.IGNORECASE)
SHEET_VALUE_RE = re.compile(
    r"On the '(?P<sheet>[^']+)' sheet, the '(?P<column>[^']+)' value(?: '(?P<value>[^']*)')? is "
    r"(?:invalid|problematic)\.\s*(?P<rest>.*)",
    re.DOTALL,
)

# (regex on the English message without its "[row : N]" prefix, Vietnamese template).
# Templates use the named groups of the regex.
PATTERNS: list[tuple[re.Pattern, str]] = [
    (re.compile(p, re.IGNORECASE | re.DOTALL), vi)
    for p, vi in [
        (r"There should be a choices sheet in this xlsform",
         "Biểu mẫu có câu hỏi chọn lựa (select_one, select_multiple, rank…) nhưng thiếu trang "
         "choices. Thêm trang choices với các cột list_name, name, label."),
        (r"File name for '(?P<t>[^']+)' should end with one of the supported file "
         r"extensions: (?P<e>.+?)\.?$",
         "Tên tệp trong '{t}' phải có đuôi {e}."),
        (r"the parameter '(?P<p>[^']+)' must be (?:a number|an integer)",
         "Tham số '{p}' ở cột parameters phải là một số."),
        (r"You must have a sheet named '(?P<s>[^']+)'",
         "Tệp thiếu trang (sheet) '{s}'. XLSForm cần trang 'survey' liệt kê các câu hỏi."),
        (r"Unknown question type '(?P<t>[^']*)'",
         "Kiểu câu hỏi '{t}' không tồn tại trong XLSForm. Kiểm tra chính tả cột type "
         "(ví dụ: text, integer, select_one danh_sach)."),
        (r"List name not in choices sheet: (?P<l>\S+)",
         "Danh sách lựa chọn '{l}' không có trong trang choices."),
        (r"Question with no type",
         "Dòng có tên hoặc nội dung nhưng chưa có kiểu câu hỏi (cột type)."),
        (r"Question or group with no name",
         "Câu hỏi hoặc nhóm chưa có tên (cột name)."),
        (r"The survey element named '(?P<n>[^']+)' has no label or hint",
         "Câu hỏi '{n}' chưa có nội dung (cột label) hoặc gợi ý (cột hint)."),
        (r"Missing calculation", "Dòng calculate chưa có công thức ở cột calculation."),
        (r"Unmatched '(?P<b>begin_\w+|end_\w+)'.*?name '(?P<n>(?!unknown')[^']*)'",
         "Dòng '{b}' của '{n}' không có dòng đóng/mở tương ứng (begin_group/end_group, "
         "begin_repeat/end_repeat)."),
        (r"Unmatched '(?P<b>begin_\w+|end_\w+)'",
         "Dòng '{b}' không có dòng đóng/mở tương ứng."),
        (r"Duplicate column header: (?P<h>.+)",
         "Tiêu đề cột '{h}' bị trùng trong cùng một trang."),
        (r"Invalid headers provided for sheet: '(?P<s>[^']+)'.*required column headers were "
         r"not found: (?P<m>[^.]+)",
         "Trang '{s}' thiếu cột bắt buộc: {m}."),
        (r"Invalid headers provided for sheet: '(?P<s>[^']+)'.*different names for the same "
         r"column were found: (?P<a>'[^']+'), (?P<b>'[^']+')",
         "Trang '{s}' có hai cột cùng nghĩa: {a} và {b}. Bỏ bớt một cột."),
        (r"Invalid headers provided for sheet: '(?P<s>[^']+)'",
         "Trang '{s}' thiếu dòng tiêu đề cột hoặc tiêu đề không hợp lệ."),
        (r"There are more than one survey elements named '(?P<n>[^']+)'",
         "Có nhiều câu hỏi cùng tên '{n}'."),
        (r"Language '(?P<lang>[^']+)' is missing the (?P<s>\w+) columns? (?P<c>.+?)\.?$",
         "Ngôn ngữ '{lang}' thiếu cột {c} ở trang {s}."),
        (r"This form uses or_other and translations",
         "Biểu mẫu dùng or_other cùng nhiều ngôn ngữ: phương án 'Khác' và câu hỏi 'Khác (ghi "
         "rõ)' được tự đặt nhãn tiếng Việt (tiếng Anh cho cột tiếng Anh); các ngôn ngữ khác "
         "nên tự thêm phương án 'other' vào danh sách."),
        (r"The following language declarations do not contain valid machine-readable codes: "
         r"(?P<l>.+?)\.?$",
         "Tên ngôn ngữ chưa kèm mã ngôn ngữ chuẩn: {l}. Có thể ghi dạng 'Tiếng Việt (vi)'."),
        (r"Repeat names must not be the same as the survey root",
         "Tên nhóm lặp không được trùng tên gốc của biểu mẫu ('data')."),
        (r"is a case-insensitive match to another name",
         "Tên này chỉ khác một tên khác ở chữ hoa/thường; nhiều công cụ phân tích sẽ coi là "
         "trùng."),
        (r"Questions, groups, and repeats must be unique",
         "Tên câu hỏi, nhóm phải là duy nhất trong cùng một nhóm (hoặc trong cả biểu mẫu)."),
        (r"Repeat names must unique anywhere",
         "Tên nhóm lặp (repeat) phải là duy nhất trong toàn biểu mẫu."),
        (r"The name 'meta' is reserved", "Tên 'meta' dành riêng cho dữ liệu hệ thống."),
        (r"Choices must have a name", "Phương án trả lời chưa có tên (cột name)."),
        (r"Choice names must be unique for each choice list",
         "Tên phương án bị trùng trong cùng một danh sách lựa chọn."),
        (r"Choices should have a label", "Phương án trả lời chưa có nhãn (cột label)."),
        (r"Names must begin with a letter or underscore",
         "Tên phải bắt đầu bằng chữ cái hoặc dấu gạch dưới, sau đó chỉ gồm chữ, số, '_', '-', "
         "'.' (không dấu cách)."),
        (r"Reference variables must contain a name from the 'survey' sheet\. Could not find the "
         r"name '(?P<n>[^']+)'",
         "Tham chiếu ${{{n}}} không trỏ tới câu hỏi nào trong trang survey."),
        (r"Reference variable '(?P<n>[^']+)' is used in (?:a )?(?P<c>\S+)",
         "Tham chiếu ${{{n}}} dùng không hợp lệ ở cột {c}."),
        (r"Column headers must not be empty and must not contain spaces",
         "Tiêu đề cột không được để trống và không được chứa dấu cách."),
        (r"Invalid value for (?:question )?(?:type )?'?(?P<c>\w+)'?",
         "Giá trị cột {c} không hợp lệ."),
        (r"choice_filter.*?(?:not supported|invalid)",
         "Biểu thức choice_filter không hợp lệ."),
        (r"Error reading \.xlsx? file",
         "Không đọc được tệp Excel (tệp hỏng hoặc không đúng định dạng)."),
        (r"Argument 'definition' was not recognized as a supported type",
         "Tệp không phải bảng tính Excel (.xlsx hoặc .xls)."),
        (r"Choice filter not supported with or_other",
         "Không dùng được choice_filter cùng với or_other; bỏ or_other và thêm phương án "
         "'khác' vào danh sách lựa chọn."),
        (r"uses a deprecated",
         "Biểu mẫu dùng cú pháp đã lỗi thời; nên cập nhật theo xlsform.org."),
        (r"appearance .*? not supported|Unrecognized appearance",
         "Kiểu hiển thị (appearance) không được hỗ trợ."),
        (r"Unrecognized .*parameter|parameters value is invalid|Accepted parameters",
         "Tham số (cột parameters) không hợp lệ."),
        (r"Group has no label|no label",
         "Nhóm hoặc câu hỏi chưa có nhãn (cột label)."),
    ]
]

UNTRANSLATED = "pyxform báo một vấn đề chưa có bản dịch; xem thông báo gốc (tiếng Anh)."
GENERIC_INVALID = "Giá trị cột '{column}'{value} ở trang {sheet} không hợp lệ."


def translate(message: str) -> tuple[str, bool]:
    """(Vietnamese text, translated?) for one pyxform message (without its row prefix)."""
    text = LEARN_MORE_RE.sub("", message.strip())
    for regex, vi in PATTERNS:
        m = regex.search(text)
        if m:
            return vi.format(**{k: (v or "") for k, v in m.groupdict().items()}), True
    return text, False



# --------------------------------------------------------------------------------------------
# Locating pyxform's errors


def locate(message: str, sheets: dict[str, Sheet]) -> Issue:
    """Turn one pyxform message into an Issue with sheet/row/column as far as we can tell."""
    row = None
    m = ROW_RE.search(message)
    if m:
        row = int(m.group(1))
    body = ROW_RE.sub("", message).strip()
    sheet = column = value = ""
    sm = SHEET_VALUE_RE.search(body)
    if sm:
        sheet, column, value = sm.group("sheet"), sm.group("column"), sm.group("value") or ""
    vi, translated = translate(body)
    if sm and not translated:
        rest_vi, rest_ok = translate(sm.group("rest"))
        base = GENERIC_INVALID.format(
            column=column, sheet=sheet, value=f" ('{value}')" if value else ""
        )
        # The generic sentence is still a located Vietnamese message; the English stays beside.
        vi = f"{base} {rest_vi}" if rest_ok else base
        translated = True
    elif sm and value:
        vi = f"Giá trị '{value}' ở cột '{column}': {vi}"
    survey = sheets.get("survey")
    lower = body.lower()
    if sheet == "settings" and row == 1:
        row = 2  # pyxform counts the settings sheet's one row of values as row 1
    # Guess the sheet and row from what the message names.
    if not sheet:
        if lower.startswith("list name not in choices"):
            sheet = "survey"
        elif "choices sheet" in lower or "'choices'" in lower:
            sheet = "choices"
        elif "settings" in lower and "sheet" in lower:
            sheet = "settings"
        elif survey is not None:
            sheet = "survey"
    if survey is not None and row is None and "or_other" in lower:
        for index, values in enumerate(survey.rows):
            if "or_other" in survey.value(values, "type"):
                row, column = index + 2, "type"
                break
    if survey is not None and row is None and "language" in lower:
        # Language warnings are about the header row's label::X columns.
        row = 1
        for header in survey.headers:
            if "::" in header:
                column = header
                break
    if survey is not None and row is None:
        # (message pattern, column searched for the quoted value, column reported)
        for pattern, col, reported in (
            (r"Unknown question type '([^']*)'", "type", "type"),
            (r"survey element named '([^']+)' has no label", "name", "label"),
            (r"survey element named '([^']+)'", "name", "name"),
            (r"more than one survey elements named '([^']+)'", "name", "name"),
        ):
            found = re.search(pattern, body)
            if found:
                needle = found.group(1)
                for index, values in enumerate(survey.rows):
                    cell = survey.value(values, col)
                    if cell == needle or (col == "type" and cell.split(" ")[0] == needle):
                        row = index + 2
                        column = column or reported
                        break
                break
    if not column:
        if "list name" in lower or "question type" in lower or "unmatched" in lower:
            column = "type"
        elif "no name" in lower:
            column = "name"
        elif "calculation" in lower:
            column = "calculation"
        elif "or_other" in lower:
            column = "type"
        elif "no label" in lower:
            column = "label"
    letter = sheets[sheet].letter_of(column) if sheet in sheets and column else ""
    if not letter and sheet in sheets and column == "label":
        for header in sheets[sheet].headers:
            if header.lower().startswith("label"):
                letter = sheets[sheet].letter_of(header)
                column = header
                break
    if not translated:
        vi = UNTRANSLATED
    return Issue(
        level="error",
        message=vi,
        sheet=sheet,
        row=row,
        column=column,
        column_letter=letter,
        original=body,
    )
