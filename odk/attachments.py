"""Forms that need a file attached, which this server does not serve (issue 10, XLSForm parity).

pyxform converts a form whose choices or data come from a file sent with it (a form
attachment): ``select_one_from_file xa.csv``, ``select_one_external`` (itemsets.csv),
``csv-external`` / ``xml-external`` (a secondary instance), ``pulldata('file', …)`` and the
``search('file')`` appearance. ODK Collect downloads those files from the form's manifest; this
server's manifest lists none (odk_views.odk_manifest), so on the phone the question would have no
choices or the form would fail to load. Such a form is refused at upload, each row named, with
what to do instead. Image, audio and video columns only decorate a question: the form works
without the files, so they are a warning, not an error.
"""

from __future__ import annotations

import re

from odk.issues import Issue
from odk.workbook import Sheet

_FROM_FILE = re.compile(
    r"^(select_one_from_file|select_multiple_from_file|select one from file|"
    r"select all that apply from file)\s+(?P<file>\S+)", re.IGNORECASE)
_EXTERNAL = re.compile(r"^(select_one_external|select one external)\s+(?P<file>\S+)",
                       re.IGNORECASE)
_SECONDARY = re.compile(r"^(csv-external|xml-external)$", re.IGNORECASE)
_PULLDATA = re.compile(r"pulldata\s*\(\s*['\"](?P<file>[^'\"]*)['\"]")
_SEARCH = re.compile(r"search\s*\(\s*['\"](?P<file>[^'\"]*)['\"]")

NO_ATTACHMENTS = (
    "ODK Collect phải tải tệp đính kèm '{file}' cùng biểu mẫu, nhưng hệ thống chưa gửi tệp đính "
    "kèm cho ODK Collect, nên {effect}. {instead}"
)
_CHOICES_INSTEAD = (
    "Hãy chép các lựa chọn vào trang choices và dùng select_one/select_multiple (lọc theo câu "
    "trước bằng cột choice_filter nếu cần)."
)


def _issue(sheet: Sheet, index: int, column: str, message: str, original: str) -> Issue:
    header = sheet.header_for(*_TOKENS[column]) or column
    return Issue(level="error", sheet="survey", row=index + 2, column=header,
                 column_letter=sheet.letter_of(header), message=message, original=original)


_TOKENS = {
    "type": ("type",),
    "calculation": ("bind", "calculate"),
    "relevant": ("bind", "relevant"),
    "constraint": ("bind", "constraint"),
    "default": ("default",),
    "choice_filter": ("choice_filter",),
    "appearance": ("control", "appearance"),
}


def check_attachments(survey: Sheet) -> tuple[list[Issue], list[Issue]]:
    """(errors, warnings) for the survey sheet's use of form attachments."""
    errors: list[Issue] = []
    warnings: list[Issue] = []
    for index, row in enumerate(survey.rows):
        kind = survey.value(row, "type").strip()
        found = _FROM_FILE.match(kind) or _EXTERNAL.match(kind)
        if found:
            file = found.group("file")
            if _EXTERNAL.match(kind):
                file = "itemsets.csv"
            errors.append(_issue(survey, index, "type", NO_ATTACHMENTS.format(
                file=file, effect="câu hỏi sẽ không có lựa chọn nào", instead=_CHOICES_INSTEAD,
            ), kind))
            continue
        if _SECONDARY.match(kind):
            name = survey.value(row, "name")
            errors.append(_issue(survey, index, "type", NO_ATTACHMENTS.format(
                file=f"{name}.{kind.split('-')[0].lower()}",
                effect="biểu mẫu không mở được trên điện thoại",
                instead="Hãy bỏ dòng này và đưa dữ liệu vào trang choices.",
            ), kind))
            continue
        for column in ("calculation", "relevant", "constraint", "default", "choice_filter"):
            expr = survey.value(row, *_TOKENS[column])
            pulled = _PULLDATA.search(expr)
            if pulled:
                errors.append(_issue(survey, index, column, NO_ATTACHMENTS.format(
                    file=f"{pulled.group('file')}.csv",
                    effect="hàm pulldata() sẽ không có dữ liệu",
                    instead="Hãy thay pulldata() bằng một câu hỏi hoặc phép tính trong biểu mẫu.",
                ), expr))
        appearance = survey.value(row, "control", "appearance")
        searched = _SEARCH.search(appearance)
        if searched:
            errors.append(_issue(survey, index, "appearance", NO_ATTACHMENTS.format(
                file=f"{searched.group('file')}.csv", effect="câu hỏi sẽ không có lựa chọn nào",
                instead=_CHOICES_INSTEAD,
            ), appearance))
    for header, tokens in survey.tokens.items():
        if tokens[0] != "media":
            continue
        files = sorted({str(row[header]) for row in survey.rows if row.get(header)})
        if files:
            warnings.append(Issue(
                level="warning", sheet="survey", row=1, column=header,
                column_letter=survey.letter_of(header),
                message=(
                    f"Cột {header} dùng tệp đa phương tiện ({', '.join(files[:5])}"
                    f"{'…' if len(files) > 5 else ''}); hệ thống chưa gửi tệp đính kèm cho ODK "
                    "Collect nên điện thoại sẽ không hiện các tệp này (câu hỏi vẫn dùng được)."
                ),
            ))
    return errors, warnings
