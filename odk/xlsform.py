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

:func:`odk.questions.extract_questions` walks pyxform's definition (groups, repeats) into flat
question specs, the rows of the survey database. The checks live by subject: :mod:`odk.workbook`
(reading the sheets), :mod:`odk.expressions`, :mod:`odk.translate` (pyxform's messages located
and in Vietnamese), :mod:`odk.issues`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

from documents.archive import ArchiveError, check_archive, check_sheet_sizes, vn_int
from odk.appearance import searchable_long_lists
from odk.attachments import check_attachments
from odk.expressions import check_expressions
from odk.issues import Issue, column_letter
from odk.or_other import vietnamese_or_other
from odk.questions import extract_questions
from odk.translate import locate
from odk.workbook import (
    MAX_SHEET_ROWS,
    Sheet,
    WorkbookTooLarge,
    detect_file_type,
    read_headers,
    snake,
)

MAX_VERSION = 100  # FormVersion.version; the form list shows it
MAX_NAME = 200  # Question.name


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


# The ids this app makes itself (from a file name or a survey's title) are plain ASCII names.
FORM_ID_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,99}$")
MAX_FORM_ID = 100  # Survey.form_id
# An XML attribute cannot hold control characters; anything else is an id ODK Collect and
# Central use as it is (spaces and Vietnamese letters included, as pyxform allows).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def usable_form_id(form_id: str) -> bool:
    """A form_id from the settings sheet we can keep: what pyxform writes, up to 100 characters."""
    return bool(form_id) and len(form_id) <= MAX_FORM_ID and not _CONTROL.search(form_id)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# A legacy .xls is not compressed but xlrd holds every cell as a Python object (~50 × the file):
# a 2,000-question form takes a few hundred KB.
MAX_XLS_BYTES = 3 * 1024 * 1024
# An .xlsx form expanded: 2,000 questions with 20,000 choice rows take about 5 MB. (openpyxl and
# pyxform each parse a sheet that does not declare its size twice: ~4 s per 15 MB.)
MAX_XLSX_UNCOMPRESSED = 15 * 1024 * 1024
# Cells of any one sheet: 2,000 questions or 20,000 choices of ten filled columns.
MAX_XLSFORM_CELLS = 200_000

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
            f"Tệp quá lớn ({vn_int(len(content) // 1024)} KB), giới hạn"
            f" {vn_int(max_bytes // 1024)} KB."
        )
    file_type = detect_file_type(content, filename)
    if file_type is None:
        return fail(
            "Tệp không phải bảng tính Excel. Hãy tải lên biểu mẫu XLSForm dạng .xlsx "
            "(hoặc .xls của Excel cũ)."
        )
    result.file_type = file_type
    if file_type == "xls" and len(content) > MAX_XLS_BYTES:
        return fail(
            f"Tệp .xls (Excel cũ) lớn {vn_int(len(content) // 1024)} KB, vượt giới hạn"
            f" {vn_int(MAX_XLS_BYTES // 1024)} KB cho định dạng này. Hãy lưu lại dưới dạng .xlsx."
        )
    if file_type == "xlsx":
        try:
            # A zip bomb is refused before anything is expanded.
            check_archive(content, max_uncompressed=MAX_XLSX_UNCOMPRESSED)
            # A sheet that does not declare its size would be parsed whole to learn it.
            check_sheet_sizes(content, max_rows=MAX_SHEET_ROWS, max_cells=MAX_XLSFORM_CELLS)
        except ArchiveError as exc:
            return fail(exc.message)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            return fail("Tệp Excel bị hỏng, không mở được (tệp nén .xlsx không hợp lệ).",
                        original=str(exc))
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
                bad = archive.testzip()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
            return fail("Tệp Excel bị hỏng, không mở được (tệp nén .xlsx không hợp lệ).",
                        original=str(exc))
        if bad is not None:
            return fail(f"Tệp Excel bị hỏng (phần '{bad}' không đọc được).")
        if "xl/workbook.xml" not in names:
            return fail("Tệp nén không phải bảng tính Excel .xlsx (không có xl/workbook.xml).")
    try:
        raw_headers = read_headers(content, file_type)
    except WorkbookTooLarge as exc:
        return fail(exc.message, sheet=exc.sheet)
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
        issue = locate(str(exc), {})
        return fail(issue.message, sheet=issue.sheet, row=issue.row, column=issue.column,
                    original=str(exc))
    except Exception as exc:  # noqa: BLE001
        return fail("Tệp Excel bị hỏng hoặc không đúng định dạng, không đọc được.",
                    original=f"{type(exc).__name__}: {exc}")

    sheets: dict[str, Sheet] = {}
    for name in ("survey", "choices", "settings", "external_choices", "entities"):
        rows = getattr(workbook, name, None)
        if rows is not None:
            sheets[name] = Sheet(headers=raw_headers.get(name, []), rows=list(rows), kind=name)

    if "survey" not in sheets:
        present = ", ".join(workbook.sheet_names or []) or "không có"
        return fail(
            f"Tệp thiếu trang (sheet) 'survey' liệt kê các câu hỏi. Các trang hiện có: {present}.",
            sheet="survey",
        )
    survey = sheets["survey"]
    # Headers are read as pyxform reads them: "TYPE", "Type" and "type" are one column.
    type_header = survey.header_for("type")
    if survey.rows and type_header is None:
        first = ", ".join(h for h in survey.headers if h)[:120]
        return fail(
            f"Trang survey thiếu cột 'type'. Dòng 1 phải là dòng tiêu đề (type, name, label…); "
            f"dòng 1 hiện là: {first}.",
            sheet="survey",
            row=1,
        )
    if not any(survey.value(row, "type") for row in survey.rows):
        return fail(
            "Trang survey chưa có câu hỏi nào (cột type trống). Mỗi dòng sau dòng tiêu đề là "
            "một câu hỏi: type, name, label.",
            sheet="survey",
            row=2,
            column=type_header or "type",
            column_letter=survey.letter_of(type_header or "type"),
        )
    result.errors.extend(check_expressions(survey))
    name_header = survey.header_for("name") or "name"
    for index, row in enumerate(survey.rows):
        name = survey.value(row, "name")
        if len(name) > MAX_NAME:
            result.errors.append(Issue(
                level="error", sheet="survey", row=index + 2, column=name_header,
                column_letter=survey.letter_of(name_header),
                message=f"Tên dài {vn_int(len(name))} ký tự; hệ thống giữ tên câu hỏi tối đa "
                        f"{MAX_NAME} ký tự (kho dữ liệu khảo sát lưu câu trả lời theo tên).",
                original=name[:120],
            ))
    attachment_errors, attachment_warnings = check_attachments(survey)
    result.errors.extend(attachment_errors)
    result.warnings.extend(attachment_warnings)

    # Always give the XForm an id and a version, so submissions can name both.
    settings = _settings_row(workbook)
    settings_sheet = sheets.get("settings") or Sheet(headers=[], rows=[settings], kind="settings")
    # "form_id", "Form ID", "id_string" … all name pyxform's id_string; "Version" is "version".
    id_headers = [h for h, t in settings_sheet.tokens.items() if t == ("id_string",)]
    version_headers = [h for h, t in settings_sheet.tokens.items() if t == ("version",)]
    form_id = next((str(settings[h]).strip() for h in id_headers if settings.get(h)), "")
    version = next((str(settings[h]).strip() for h in version_headers if settings.get(h)), "")
    id_header = id_headers[0] if id_headers else "form_id"
    version_header = version_headers[0] if version_headers else "version"
    if form_id and not usable_form_id(form_id):
        result.errors.append(Issue(
            level="error", sheet="settings", row=2, column=id_header,
            column_letter=settings_sheet.letter_of(id_header),
            message=(
                f"form_id dài {vn_int(len(form_id))} ký tự; hệ thống giữ form_id tối đa "
                f"{MAX_FORM_ID} ký tự." if len(form_id) > MAX_FORM_ID else
                "form_id chứa ký tự điều khiển (xuống dòng, tab…), không ghi được vào XForm."
            ) + " Nên dùng chữ không dấu, số và '_', ví dụ khao_sat_2026.",
        ))
        return result
    if len(version) > MAX_VERSION:
        result.errors.append(Issue(
            level="error", sheet="settings", row=2, column=version_header,
            column_letter=settings_sheet.letter_of(version_header),
            message=f"version dài {vn_int(len(version))} ký tự; hệ thống giữ version tối đa "
                    f"{MAX_VERSION} ký tự (ODK Collect hiện nó trong danh sách biểu mẫu). Nên "
                    "dùng số hoặc ngày giờ, ví dụ 2026120501.",
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
    # The value goes under the header(s) the author wrote, so pyxform sees the same columns.
    new_settings = dict(settings)
    new_settings.update({header: form_id for header in id_headers or [id_header]})
    new_settings.update({header: version for header in version_headers or [version_header]})
    workbook.settings = [new_settings]
    if not workbook.settings_header:
        workbook.settings_header = [{key: None for key in new_settings}]
    else:
        header = dict(workbook.settings_header[0])
        header.update({key: None for key in new_settings})
        workbook.settings_header = [header]
    result.form_id, result.version = form_id, version
    concept_header = next((h for h in survey.tokens if snake(h) == "concept"), None)
    for row in survey.rows:
        concept = str(row.get(concept_header) or "").strip() if concept_header else ""
        name = survey.value(row, "name")
        if concept and name:
            result.concepts[name] = concept

    pyxform_warnings: list[str] = []
    try:
        definition = workbook_to_json(
            workbook_dict=workbook,
            form_name=None,
            fallback_form_name=form_id,
            default_language=None,
            warnings=pyxform_warnings,
        )
        definition = searchable_long_lists(vietnamese_or_other(definition))
        survey_element = create_survey_element_from_dict(definition)
        xform = survey_element.to_xml(validate=False, pretty_print=False,
                                      warnings=pyxform_warnings)
    except PyXFormError as exc:
        result.errors.append(locate(str(exc), sheets))
        return result
    except Exception as exc:  # noqa: BLE001 - pyxform bugs on odd input must not crash us
        result.errors.append(Issue(
            level="error",
            message="pyxform không chuyển được biểu mẫu này (lỗi không xác định).",
            original=f"{type(exc).__name__}: {exc}",
        ))
        return result
    for text in dict.fromkeys(pyxform_warnings):
        issue = locate(text, sheets)
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



def check(content: bytes, filename: str = "") -> dict:
    """Convert and summarise, for the CLI and the "check without saving" page."""
    result = convert_xlsform(content, filename)
    data = result.as_dict()
    data["questions"] = extract_questions(result.definition) if result.ok else []
    return data
