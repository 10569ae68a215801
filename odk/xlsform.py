"""XLSForm → XForm with pyxform, every problem named by sheet, row and column, in Vietnamese.

Pure (no Django): :func:`convert_xlsform` takes the bytes of an ``.xlsx`` (or legacy ``.xls``)
file and returns a :class:`ConvertedForm` with the XForm XML, pyxform's definition (its JSON
dict), the form id, version, title and languages, and two lists of :class:`Issue` — errors (the
form cannot be used) and warnings (it can, but something deserves a look). Nothing raises for a
bad file: the caller decides what to do with the errors.

What pyxform does not check without Java (ODK Validate), we check ourselves before it runs: every
function called in an expression column (``relevant``, ``constraint``, ``calculation``,
``choice_filter``, ``required``, ``default`` …) must be an XPath or ODK XForms function, and the
parentheses must balance — so ``relevant = foo(${x})`` is refused with its row and column instead
of producing an XForm that ODK Collect would reject on the phone.

:func:`extract_questions` walks pyxform's definition (groups, repeats) into flat question specs,
the rows of the survey database.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import asdict, dataclass, field
from typing import Any

# --------------------------------------------------------------------------------------------
# Issues


@dataclass
class Issue:
    """One error or warning. ``row`` is the spreadsheet row (1 = header row) when known."""

    level: str  # "error" | "warning"
    message: str  # Vietnamese, for the user
    sheet: str = ""
    row: int | None = None
    column: str = ""  # the column header, e.g. "relevant"
    column_letter: str = ""  # e.g. "D"
    original: str = ""  # pyxform's English text, kept for what we do not translate

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def where(self) -> str:
        """"Trang survey, dòng 5, cột relevant (D)" — empty when nothing is known."""
        parts = []
        if self.sheet:
            parts.append(f"trang {self.sheet}")
        if self.row:
            parts.append(f"dòng {self.row}")
        if self.column:
            col = f"cột {self.column}"
            if self.column_letter:
                col += f" ({self.column_letter})"
            parts.append(col)
        text = ", ".join(parts)
        return text[:1].upper() + text[1:]

    def line(self) -> str:
        """One line for the CLI and logs."""
        label = "Lỗi" if self.level == "error" else "Cảnh báo"
        where = self.where
        return f"{label}: {where + ': ' if where else ''}{self.message}"


@dataclass
class ConvertedForm:
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    file_type: str = ""  # "xlsx" | "xls"
    xform: str = ""
    definition: dict = field(default_factory=dict)
    form_id: str = ""
    version: str = ""
    title: str = ""
    languages: list[str] = field(default_factory=list)
    default_language: str = ""
    # Explicit `concept` column values by question name (a shared key across rounds).
    concepts: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self, *, include_xform: bool = False) -> dict:
        data = {
            "ok": self.ok,
            "file_type": self.file_type,
            "form_id": self.form_id,
            "version": self.version,
            "title": self.title,
            "languages": self.languages,
            "default_language": self.default_language,
            "errors": [issue.as_dict() for issue in self.errors],
            "warnings": [issue.as_dict() for issue in self.warnings],
        }
        if include_xform:
            data["xform"] = self.xform
        return data


# --------------------------------------------------------------------------------------------
# Functions an expression may call (XPath 1.0 core as supported by JavaRosa + ODK XForms spec).

KNOWN_FUNCTIONS = frozenset(
    """
    last position count string concat starts-with ends-with contains substring substring-before
    substring-after string-length normalize-space translate boolean not true false lang number
    sum floor ceiling round local-name name namespace-uri id
    selected selected-at count-selected jr:choice-name jr:itext indexed-repeat if coalesce join
    substr regex digest base64-decode extract-signed uuid boolean-from-string int pow log log10
    abs sin cos tan asin acos atan atan2 sqrt exp exp10 pi today now decimal-date-time
    decimal-time date date-time format-date format-date-time area distance geofence min max
    random once instance current version property checklist weighted-checklist
    count-non-empty randomize pulldata upper-case lower-case trim string-length
    """.split()
)

# Columns of the survey sheet that hold expressions (pyxform's aliases folded in).
EXPRESSION_COLUMNS = {
    "relevant": "relevant",
    "bind::relevant": "relevant",
    "constraint": "constraint",
    "bind::constraint": "constraint",
    "calculation": "calculation",
    "calculate": "calculation",
    "bind::calculate": "calculation",
    "choice_filter": "choice_filter",
    "repeat_count": "repeat_count",
    "jr:count": "repeat_count",
    "required": "required",
    "bind::required": "required",
    "read_only": "read_only",
    "readonly": "read_only",
    "bind::readonly": "read_only",
    "default": "default",
    "trigger": None,  # a ${ref}, not an expression
}
_YES_NO = {"yes", "no", "true", "false", "true()", "false()", "1", "0", ""}

METADATA_TYPES = frozenset(
    "start end today deviceid subscriberid simserial phonenumber username email audit "
    "start-geopoint background-audio".split()
)

FORM_ID_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,99}$")
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def column_letter(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --------------------------------------------------------------------------------------------
# Translation of pyxform's messages

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
        (r"You must have a sheet named '(?P<s>[^']+)'",
         "Tệp thiếu trang (sheet) '{s}'. XLSForm cần trang 'survey' liệt kê các câu hỏi."),
        (r"Unknown question type '(?P<t>[^']*)'",
         "Kiểu câu hỏi '{t}' không tồn tại trong XLSForm. Kiểm tra chính tả cột type "
         "(ví dụ: text, integer, select_one danh_sach)."),
        (r"List name not in choices sheet: (?P<l>\S+)",
         "Danh sách lựa chọn '{l}' không có trong trang choices."),
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
         "Biểu mẫu dùng or_other cùng nhiều ngôn ngữ: phương án 'Khác' và câu hỏi ghi rõ sẽ "
         "có nhãn tiếng Anh ('Other', 'Specify other.') chưa dịch."),
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
# Reading the workbook


@dataclass
class _Sheet:
    headers: list[str]  # as written, index = column position
    rows: list[dict[str, str]]  # pyxform's rows, index 0 = spreadsheet row 2

    def letter_of(self, header: str) -> str:
        target = header.strip().lower()
        for index, name in enumerate(self.headers):
            if name and name.strip().lower() == target:
                return column_letter(index)
        return ""


def _file_type(content: bytes, filename: str) -> str | None:
    if content.startswith(ZIP_MAGIC):
        return "xlsx"
    if content.startswith(XLS_MAGIC):
        return "xls"
    return None


def _read_headers(content: bytes, file_type: str) -> dict[str, list[str]]:
    """First row of each sheet, lower-cased sheet name → header cells as written."""
    headers: dict[str, list[str]] = {}
    if file_type == "xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            for ws in wb.worksheets:
                first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
                headers[ws.title.lower()] = [
                    "" if cell is None else str(cell).strip() for cell in first
                ]
        finally:
            wb.close()
    else:
        import xlrd

        book = xlrd.open_workbook(file_contents=content)
        try:
            for sheet in book.sheets():
                first = sheet.row_values(0) if sheet.nrows else []
                headers[sheet.name.lower()] = [str(cell).strip() for cell in first]
        finally:
            book.release_resources()
    if len(headers) == 1 and "survey" not in headers:
        # pyxform reads a lone sheet of any name as the survey sheet.
        headers = {"survey": next(iter(headers.values()))}
    return headers


# --------------------------------------------------------------------------------------------
# Expression checks


def _check_expression(expr: str) -> str | None:
    """A Vietnamese problem with ``expr``, or ``None`` if it looks like a valid expression."""
    from pyxform.parsing.expression import parse_expression

    try:
        tokens = parse_expression(expr)
    except Exception:  # noqa: BLE001 - the lexer should not fail, but never crash on input
        return "Biểu thức không đọc được."
    depth = 0
    meaningful = []
    for token in tokens:
        if token.type == "WHITESPACE":
            continue
        meaningful.append(token)
        if token.type == "FUNC_CALL":
            name = token.value[:-1].strip()
            if name not in KNOWN_FUNCTIONS:
                return (
                    f"Hàm '{name}()' không có trong XLSForm/ODK. Kiểm tra chính tả (tên hàm "
                    f"phân biệt chữ hoa/thường) hoặc xem danh sách hàm tại "
                    f"docs.getodk.org/form-operators-functions."
                )
            depth += 1
        elif token.type == "OPEN_PAREN":
            depth += 1
        elif token.type == "CLOSE_PAREN":
            depth -= 1
            if depth < 0:
                return "Thừa dấu ngoặc đóng ')'."
        elif token.type == "PYXFORM_REF_START":
            return "Tham chiếu ${...} chưa đóng ngoặc '}'."
    if depth > 0:
        return "Thiếu dấu ngoặc đóng ')'."
    dangling = meaningful and (
        meaningful[-1].type in ("OPS_MATH", "OPS_COMP", "OPS_BOOL", "COMMA")
        # " and " needs spaces around it to lex as an operator; at the end it is a bare name.
        or (meaningful[-1].type == "NAME" and meaningful[-1].value in ("and", "or", "div", "mod")
            and len(meaningful) > 1)
    )
    if dangling:
        op = meaningful[-1].value.strip()
        return f"Biểu thức kết thúc bằng toán tử '{op}', còn thiếu vế sau."
    return None


def _check_expressions(survey: _Sheet) -> list[Issue]:
    issues = []
    for index, row in enumerate(survey.rows):
        for header, value in row.items():
            kind = EXPRESSION_COLUMNS.get(header.strip().lower())
            if not kind or not isinstance(value, str):
                continue
            expr = value.strip()
            if kind in ("required", "read_only") and expr.lower() in _YES_NO:
                continue
            if kind == "default" and "(" not in expr:
                continue  # a static default value
            problem = _check_expression(expr)
            if problem:
                issues.append(
                    Issue(
                        level="error",
                        message=problem,
                        sheet="survey",
                        row=index + 2,
                        column=header,
                        column_letter=survey.letter_of(header),
                        original=expr,
                    )
                )
    return issues


# --------------------------------------------------------------------------------------------
# Locating pyxform's errors


def _locate(message: str, sheets: dict[str, _Sheet]) -> Issue:
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
            if "or_other" in (values.get("type") or ""):
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
                    cell = values.get(col) or ""
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


# --------------------------------------------------------------------------------------------
# Conversion


def _stem(filename: str) -> str:
    stem = re.sub(r"\.(xlsx|xlsm|xls)$", "", (filename or "").rsplit("/", 1)[-1], flags=re.I)
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9_]+", "_", stem).strip("_").lower()
    if not stem or not (stem[0].isalpha() or stem[0] == "_"):
        stem = f"bieu_mau_{stem}" if stem else "bieu_mau"
    return stem


def _settings_row(workbook) -> dict:
    rows = getattr(workbook, "settings", None) or []
    return dict(rows[0]) if rows else {}


def _languages(definition: dict) -> list[str]:
    seen: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("label", "hint"):
                value = node.get(key)
                if isinstance(value, dict):
                    for lang in value:
                        if lang not in seen:
                            seen.append(lang)
            for child in node.get("children", []) or []:
                visit(child)
            choices = node.get("choices")
            for choice in choices if isinstance(choices, list) else []:
                visit(choice)

    visit(definition)
    named = [lang for lang in seen if lang != "default"]
    return named or (["default"] if "default" in seen else [])


def convert_xlsform(
    content: bytes,
    filename: str = "",
    *,
    now: dt.datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    form_id_fallback: str = "",
) -> ConvertedForm:
    """Convert one XLSForm file; never raises for bad input (see ``result.errors``).

    A form without ``form_id`` in its settings gets ``form_id_fallback`` (the survey's, when
    uploading a new version) or else a name made from the file name; a form without ``version``
    gets the upload time (``YYYYMMDDHHMM``, ODK's convention).
    """
    from pyxform.builder import create_survey_element_from_dict
    from pyxform.errors import PyXFormError
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import get_xlsform

    result = ConvertedForm()

    def fail(message: str, **kw) -> ConvertedForm:
        result.errors.append(Issue(level="error", message=message, **kw))
        return result

    if not content:
        return fail("Tệp rỗng, không có nội dung.")
    if len(content) > max_bytes:
        return fail(
            f"Tệp quá lớn ({len(content) // 1024:,} KB), giới hạn {max_bytes // 1024:,} KB."
            .replace(",", ".")
        )
    file_type = _file_type(content, filename)
    if file_type is None:
        return fail(
            "Tệp không phải bảng tính Excel. Hãy tải lên biểu mẫu XLSForm dạng .xlsx "
            "(hoặc .xls của Excel cũ)."
        )
    result.file_type = file_type
    if file_type == "xlsx":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
                bad = archive.testzip()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            return fail("Tệp Excel bị hỏng, không mở được (tệp nén .xlsx không hợp lệ).",
                        original=str(exc))
        if bad is not None:
            return fail(f"Tệp Excel bị hỏng (phần '{bad}' không đọc được).")
        if "xl/workbook.xml" not in names:
            return fail("Tệp nén không phải bảng tính Excel .xlsx (không có xl/workbook.xml).")
    try:
        raw_headers = _read_headers(content, file_type)
    except Exception as exc:  # noqa: BLE001 - any reader failure means a broken file
        return fail("Tệp Excel bị hỏng hoặc không đúng định dạng, không đọc được.",
                    original=f"{type(exc).__name__}: {exc}")

    for sheet_name, headers in raw_headers.items():
        seen: set[str] = set()
        for index, header in enumerate(headers):
            if header and header in seen:
                result.errors.append(Issue(
                    level="error", sheet=sheet_name, row=1, column=header,
                    column_letter=column_letter(index),
                    message=f"Tiêu đề cột '{header}' bị trùng trong trang {sheet_name}. Xóa hoặc "
                            "đổi tên một cột.",
                ))
            seen.add(header)
    if result.errors:
        return result

    try:
        workbook = get_xlsform(xlsform=io.BytesIO(content), file_type=f".{file_type}")
    except PyXFormError as exc:
        issue = _locate(str(exc), {})
        return fail(issue.message, sheet=issue.sheet, row=issue.row, column=issue.column,
                    original=str(exc))
    except Exception as exc:  # noqa: BLE001
        return fail("Tệp Excel bị hỏng hoặc không đúng định dạng, không đọc được.",
                    original=f"{type(exc).__name__}: {exc}")

    sheets: dict[str, _Sheet] = {}
    for name in ("survey", "choices", "settings", "external_choices", "entities"):
        rows = getattr(workbook, name, None)
        if rows is not None:
            sheets[name] = _Sheet(headers=raw_headers.get(name, []), rows=list(rows))

    if "survey" not in sheets:
        present = ", ".join(workbook.sheet_names or []) or "không có"
        return fail(
            f"Tệp thiếu trang (sheet) 'survey' liệt kê các câu hỏi. Các trang hiện có: {present}.",
            sheet="survey",
        )
    survey = sheets["survey"]
    if survey.rows and "type" not in {h.strip().lower() for h in survey.headers if h}:
        first = ", ".join(h for h in survey.headers if h)[:120]
        return fail(
            f"Trang survey thiếu cột 'type'. Dòng 1 phải là dòng tiêu đề (type, name, label…); "
            f"dòng 1 hiện là: {first}.",
            sheet="survey",
            row=1,
        )
    if not any(row.get("type") for row in survey.rows):
        return fail(
            "Trang survey chưa có câu hỏi nào (cột type trống). Mỗi dòng sau dòng tiêu đề là "
            "một câu hỏi: type, name, label.",
            sheet="survey",
            row=2,
            column="type",
            column_letter=survey.letter_of("type"),
        )
    result.errors.extend(_check_expressions(survey))

    # Always give the XForm an id and a version, so submissions can name both.
    settings = _settings_row(workbook)
    form_id = str(settings.get("form_id") or settings.get("id_string") or "").strip()
    version = str(settings.get("version") or "").strip()
    if form_id and not FORM_ID_RE.match(form_id):
        settings_sheet = sheets.get("settings")
        result.errors.append(Issue(
            level="error", sheet="settings", row=2, column="form_id",
            column_letter=settings_sheet.letter_of("form_id") if settings_sheet else "",
            message=f"form_id '{form_id}' không hợp lệ: chỉ gồm chữ không dấu, số, '_', '-', '.', "
                    "bắt đầu bằng chữ cái hoặc '_', không có dấu cách.",
        ))
        return result
    if not form_id:
        form_id = form_id_fallback or _stem(filename)
        source = "mã của cuộc khảo sát" if form_id_fallback else "tên tệp"
        result.warnings.append(Issue(
            level="warning", sheet="settings", column="form_id",
            message=f"Chưa khai báo form_id ở trang settings; dùng {source}: '{form_id}'. Nên "
                    "khai báo form_id cố định để các phiên bản sau cùng một mã.",
        ))
    if not version:
        version = (now or dt.datetime.now()).strftime("%Y%m%d%H%M")
        result.warnings.append(Issue(
            level="warning", sheet="settings", column="version",
            message=f"Chưa khai báo version ở trang settings; dùng thời điểm tải lên: "
                    f"'{version}'.",
        ))
    new_settings = dict(settings, form_id=form_id, version=version)
    new_settings.pop("id_string", None)
    workbook.settings = [new_settings]
    if not workbook.settings_header:
        workbook.settings_header = [{key: None for key in new_settings}]
    else:
        header = dict(workbook.settings_header[0])
        header.update({key: None for key in new_settings})
        workbook.settings_header = [header]
    result.form_id, result.version = form_id, version
    for row in survey.rows:
        concept = (row.get("concept") or "").strip()
        if concept and row.get("name"):
            result.concepts[row["name"]] = concept

    pyxform_warnings: list[str] = []
    try:
        definition = workbook_to_json(
            workbook_dict=workbook,
            form_name=None,
            fallback_form_name=form_id,
            default_language=None,
            warnings=pyxform_warnings,
        )
        survey_element = create_survey_element_from_dict(definition)
        xform = survey_element.to_xml(validate=False, pretty_print=False,
                                      warnings=pyxform_warnings)
    except PyXFormError as exc:
        result.errors.append(_locate(str(exc), sheets))
        return result
    except Exception as exc:  # noqa: BLE001 - pyxform bugs on odd input must not crash us
        result.errors.append(Issue(
            level="error",
            message="pyxform không chuyển được biểu mẫu này (lỗi không xác định).",
            original=f"{type(exc).__name__}: {exc}",
        ))
        return result
    for text in dict.fromkeys(pyxform_warnings):
        issue = _locate(text, sheets)
        issue.level = "warning"
        result.warnings.append(issue)
    if result.errors:
        return result
    result.xform = xform
    result.definition = definition
    result.title = str(definition.get("title") or form_id)
    result.languages = _languages(definition)
    default = str(definition.get("default_language") or "")
    if default == "default" or default not in result.languages:
        default = result.languages[0] if result.languages else ""
    result.default_language = "" if default == "default" else default
    if result.languages == ["default"]:
        result.languages = []
    return result


# --------------------------------------------------------------------------------------------
# Questions

TYPE_NAMES = {
    "select one": "select_one",
    "select all that apply": "select_multiple",
    "select one external": "select_one_external",
    "select one from file": "select_one_from_file",
    "select all that apply from file": "select_multiple_from_file",
    "add select one prompt using": "select_one",
    "add select multiple prompt using": "select_multiple",
}


def _text(value: Any, language: str) -> str:
    if isinstance(value, dict):
        if language and language in value:
            return str(value[language])
        if "default" in value:
            return str(value["default"])
        return str(next(iter(value.values()), ""))
    return "" if value is None else str(value)


def _labels(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    if value:
        return {"default": str(value)}
    return {}


def _is_required(bind: dict) -> bool:
    value = str((bind or {}).get("required", "")).strip().lower()
    return value in ("yes", "true", "true()", "1")


def extract_questions(definition: dict, *, language: str | None = None) -> list[dict]:
    """Flat question specs in form order: every question, note and calculation.

    Groups and repeats are not questions themselves; their names make ``group_path``
    ("thong_tin/ho_gia_dinh") and ``in_repeat``. pyxform's ``meta`` group and metadata types
    (start, end, deviceid …) are left out: nobody is asked them.
    """
    root = definition.get("name") or "data"
    lang = language if language is not None else str(definition.get("default_language") or "")
    choices_by_list = definition.get("choices") or {}
    specs: list[dict] = []

    def walk(children: list, path: str, groups: list[str], in_repeat: bool) -> None:
        for child in children or []:
            name = str(child.get("name") or "")
            kind = str(child.get("type") or "")
            xpath = f"{path}/{name}"
            if kind in ("group", "repeat"):
                if kind == "group" and name == "meta" and not groups:
                    continue
                walk(child.get("children"), xpath, groups + [name],
                     in_repeat or kind == "repeat")
                continue
            if kind in METADATA_TYPES:
                continue
            bind = child.get("bind") or {}
            list_name = str(child.get("list_name") or child.get("itemset") or "")
            raw_choices = child.get("choices")
            if raw_choices is None and list_name:
                raw_choices = choices_by_list.get(list_name)
            choices = [
                {
                    "name": str(choice.get("name", "")),
                    "label": _text(choice.get("label"), lang),
                    "labels": _labels(choice.get("label")),
                }
                for choice in (raw_choices or [])
            ]
            specs.append({
                "name": name,
                "path": xpath,
                "type": TYPE_NAMES.get(kind, kind),
                "list_name": list_name,
                "label": _text(child.get("label"), lang),
                "labels": _labels(child.get("label")),
                "hint": _text(child.get("hint"), lang),
                "choices": choices,
                "group_path": "/".join(groups),
                "in_repeat": in_repeat,
                "required": _is_required(bind),
                "relevant": str(bind.get("relevant") or ""),
                "constraint": str(bind.get("constraint") or ""),
                "calculation": str(bind.get("calculate") or ""),
                "choice_filter": str(child.get("choice_filter") or ""),
                "default": str(child.get("default") or ""),
                "appearance": str((child.get("control") or {}).get("appearance") or ""),
                "position": len(specs) + 1,
            })

    walk(definition.get("children"), f"/{root}", [], False)
    return specs


def check(content: bytes, filename: str = "") -> dict:
    """Convert and summarise, for the CLI and the "check without saving" page."""
    result = convert_xlsform(content, filename)
    data = result.as_dict()
    data["questions"] = extract_questions(result.definition) if result.ok else []
    return data
