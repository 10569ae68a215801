"""Checks of XLSForm expressions that pyxform leaves to ODK Validate (Java).

Every function called in an expression column must be an XPath or ODK XForms function, and the
parentheses must balance.
"""

from __future__ import annotations

from odk.issues import Issue
from odk.workbook import Sheet

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

# Columns of the survey sheet that hold expressions, as pyxform reads their headers
# (odk.workbook.canonical_headers: "Relevant", "relevance", "bind::relevant" are one column).
EXPRESSION_COLUMNS = {
    ("bind", "relevant"): "relevant",
    ("bind", "constraint"): "constraint",
    ("bind", "calculate"): "calculation",
    ("choice_filter",): "choice_filter",
    ("control", "jr:count"): "repeat_count",
    ("bind", "required"): "required",
    ("bind", "readonly"): "read_only",
    ("default",): "default",
}
_YES_NO = {"yes", "no", "true", "false", "true()", "false()", "1", "0", ""}



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


def _dynamic_default(value: str, question_type: str) -> bool:
    from pyxform.utils import default_is_dynamic

    try:
        return bool(default_is_dynamic(value, question_type.split(" ")[0]))
    except Exception:  # noqa: BLE001 - pyxform decides on its own run; we only skip our check
        return "(" in value


def check_expressions(survey: Sheet) -> list[Issue]:
    issues = []
    for index, row in enumerate(survey.rows):
        for header, value in row.items():
            kind = EXPRESSION_COLUMNS.get(survey.tokens.get(header, (header,)))
            if not kind or not isinstance(value, str):
                continue
            expr = value.strip()
            if kind in ("required", "read_only") and expr.lower() in _YES_NO:
                continue
            if kind == "default" and not _dynamic_default(expr, survey.value(row, "type")):
                continue  # a static default value: text, not an expression (as pyxform says)
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
