"""A survey's data as CSV, XLSX and SPSS ``.sav`` (R6: "export any survey's data").

One :class:`ExportTable` is built from an analysis (the filtered rows, the weights of the whole
sample) and written in each format:

* CSV: UTF-8 with a byte-order mark (Excel opens Vietnamese correctly), one header row of
  variable names, answers as the questionnaire's codes.
* XLSX: the same data on a sheet, plus the codebook (questions and their choices), the
  frequency tables and a sheet saying what was exported (filters, weighting).
* SAV (pyreadstat): variable labels from the questions, value labels from the choices; single
  choice answers become numbers 1..k in choice order (or the codes themselves when every code
  is a whole number), each option of a multiple-choice question a 0/1 variable. Names are made
  valid for SPSS (ASCII letters, digits and "_", at most 64 bytes).

Open answers are masked (phone numbers, ID numbers …) before they leave, as everywhere else.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field

from django.utils import timezone
from openpyxl import Workbook

from documents import csvsafe
from documents.xlsx import save_workbook, write_table
from surveys.analysis.frame import to_float
from surveys.analysis.results import SurveyAnalysis
from surveys.analysis.vocabulary import CATEGORICAL, METHODS, MULTIPLE, NUMERIC, SOURCES, TEXT
from surveys.models import Response

WEIGHT_NAME = "trong_so"
SPSS_LABEL_BYTES = 255
SPSS_VALUE_LABEL_BYTES = 120
SPSS_NAME_BYTES = 64


@dataclass
class ExportColumn:
    name: str
    label: str
    kind: str  # "string", "number", "code" (single choice), "flag" (0/1 option)
    value_labels: dict[str, str] = field(default_factory=dict)  # code -> label ("code" kind)


@dataclass
class ExportTable:
    title: str
    columns: list[ExportColumn]
    rows: list[list]  # values: str, float or None


def _mask(text: str) -> str:
    from textops.services import mask_everything

    return mask_everything(text)[0]


def answered_at(when, source: str) -> str | None:
    """When a response was answered, as exported: to the minute, but only the day for an
    anonymous-link response (its time would tie it to whoever was handed the link)."""
    if not when:
        return None
    pattern = "%Y-%m-%d" if source == Response.Source.PUBLIC_LINK else "%Y-%m-%d %H:%M"
    return timezone.localtime(when).strftime(pattern)


def build_export(analysis: SurveyAnalysis) -> ExportTable:
    """The filtered responses, one row each, with their weight when the survey is weighted."""
    table, mask = analysis.table, analysis.mask
    index = [int(i) for i in mask.nonzero()[0]]
    columns = [
        ExportColumn("stt", "Số thứ tự", "number"),
        ExportColumn("ma_phieu", "Mã phiếu (instanceID)", "string"),
        ExportColumn("phien_ban", "Phiên bản biểu mẫu", "string"),
        ExportColumn("nguon", "Nguồn phiếu", "code", dict(SOURCES)),
        ExportColumn("thoi_diem", "Thời điểm trả lời", "string"),
        ExportColumn("dia_ban", "Địa bàn (tổ dân phố)", "string"),
    ]
    data: list[list] = [[] for _ in index]
    for number, (row, i) in enumerate(zip(data, index, strict=True), start=1):
        row += [
            float(number), table.instance_ids[i], table.version[i], table.source[i],
            answered_at(table.when[i], table.source[i]), table.area[i],
        ]
    for question in analysis.questions:
        values = table.column(question.name)[mask]
        if question.kind == CATEGORICAL:
            columns.append(ExportColumn(question.name, question.label, "code",
                                        dict(question.choices)))
            for row, value in zip(data, values, strict=True):
                row.append(value)
        elif question.kind == MULTIPLE:
            columns.append(ExportColumn(question.name, question.label, "string"))
            options = [name for name, _ in question.choices]
            seen = {o for v in values if v for o in str(v).split()}
            options += sorted(seen - set(options))
            labels = dict(question.choices)
            for option in options:
                columns.append(ExportColumn(
                    f"{question.name}/{option}",
                    f"{question.label}: {labels.get(option, option)}", "flag",
                ))
            for row, value in zip(data, values, strict=True):
                chosen = set(str(value).split()) if value else None
                row.append(value)
                row += [None if chosen is None else float(o in chosen) for o in options]
        elif question.kind == NUMERIC:
            columns.append(ExportColumn(question.name, question.label, "number"))
            numbers, _ = to_float(values)
            for row, number in zip(data, numbers, strict=True):
                row.append(None if number != number else float(number))
        elif question.kind == TEXT:
            columns.append(ExportColumn(question.name, question.label, "string"))
            for row, value in zip(data, values, strict=True):
                row.append(_mask(value) if value else None)
        else:
            columns.append(ExportColumn(question.name, question.label, "string"))
            for row, value in zip(data, values, strict=True):
                row.append(value)
    weights = analysis.weighting.weights
    if weights is not None:
        columns.append(ExportColumn(
            WEIGHT_NAME, f"Trọng số ({METHODS.get(analysis.weighting.method, '')})", "number"
        ))
        for row, w in zip(data, weights[mask], strict=True):
            row.append(float(w))
    return ExportTable(analysis.survey.title, columns, data)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def to_csv(export: ExportTable) -> bytes:
    buffer = io.StringIO()
    # Free-text answers that look like formulas are written as text (a number stays a number).
    writer = csvsafe.writer(buffer, lineterminator="\r\n", format=_text)
    writer.writerow([c.name for c in export.columns])
    writer.writerows(export.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(export: ExportTable, analysis: SurveyAnalysis) -> bytes:
    workbook = Workbook()
    write_table(workbook, "Dữ liệu", [c.name for c in export.columns],
                [[v for v in row] for row in export.rows])
    write_table(
        workbook, "Câu hỏi", ["Tên biến", "Nội dung câu hỏi", "Kiểu", "Có trong phiên bản"],
        [[q.name, q.label, q.type_label, ", ".join(q.versions)] for q in analysis.questions],
    )
    write_table(
        workbook, "Phương án trả lời", ["Tên biến", "Mã", "Nhãn"],
        [[q.name, code, label] for q in analysis.questions for code, label in q.choices],
    )
    weighted = analysis.weights is not None
    rows = []
    for result in analysis.frequencies():
        for r in result.rows:
            rows.append([
                result.question.name, result.question.label, r.label, r.n,
                round(r.percent, 2),
                round(r.weighted_percent, 2) if r.weighted_percent is not None else None,
                round(r.ci_low, 2) if r.ci_low is not None else None,
                round(r.ci_high, 2) if r.ci_high is not None else None,
                round(r.moe, 2) if r.moe is not None else None,
                round(r.deff, 3) if (weighted and r.deff is not None) else None,
            ])
        if result.mean is not None:
            m = result.mean
            rows.append([
                result.question.name, result.question.label, "Trung bình", m.n,
                round(m.mean, 3), round(m.weighted_mean, 3) if m.weighted_mean is not None
                else None, round(m.ci_low, 3), round(m.ci_high, 3), round(m.moe, 3),
                round(m.deff, 3) if weighted else None,
            ])
    write_table(
        workbook, "Tần suất",
        ["Tên biến", "Câu hỏi", "Phương án", "Số phiếu", "Tỷ lệ (%)", "Tỷ lệ gia quyền (%)",
         "KTC 95% - dưới", "KTC 95% - trên", "Sai số (±)", "Hệ số thiết kế (deff)"],
        rows,
    )
    info = [
        ["Cuộc khảo sát", analysis.survey.title],
        ["Số phiếu xuất", len(export.rows)],
        ["Tổng số phiếu", analysis.n_total],
        ["Bộ lọc", "; ".join(analysis.filter_words()) or "Không"],
        ["Gia quyền", (f"{analysis.weighting.method_label}: "
                       f"{', '.join(analysis.weighting.variable_labels)}")
         if analysis.weighting.ok else (analysis.weighting.error or "Không")],
        ["Thời điểm xuất", timezone.localtime().strftime("%d/%m/%Y %H:%M")],
    ]
    write_table(workbook, "Thông tin", ["Mục", "Nội dung"], info)
    return save_workbook(workbook)


# --- SPSS ------------------------------------------------------------------------------------


def _ascii(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def spss_names(names: list[str]) -> dict[str, str]:
    """A valid, unique SPSS variable name for each export column name."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        base = re.sub(r"[^A-Za-z0-9_]", "_", _ascii(name))
        if not base or not base[0].isalpha():
            base = f"v_{base}"
        base = base[:SPSS_NAME_BYTES]
        candidate, counter = base, 2
        while candidate.lower() in taken:
            suffix = f"_{counter}"
            candidate = base[: SPSS_NAME_BYTES - len(suffix)] + suffix
            counter += 1
        taken.add(candidate.lower())
        out[name] = candidate
    return out


def _cut(text: str, limit: int) -> str:
    """At most ``limit`` UTF-8 bytes, never cutting a character in two."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


def _codes(column: ExportColumn, values: list) -> dict[str, float]:
    names = list(column.value_labels)
    names += sorted({str(v) for v in values if v is not None} - set(names))
    if names and all(re.fullmatch(r"-?\d+", n) for n in names):
        return {n: float(int(n)) for n in names}
    return {n: float(i) for i, n in enumerate(names, start=1)}


def to_sav(export: ExportTable) -> bytes:
    import polars as pl
    import pyreadstat

    names = spss_names([c.name for c in export.columns])
    data: dict[str, pl.Series] = {}
    labels: dict[str, str] = {}
    value_labels: dict[str, dict[float, str]] = {}
    measures: dict[str, str] = {}
    for position, column in enumerate(export.columns):
        name = names[column.name]
        values = [row[position] for row in export.rows]
        labels[name] = _cut(column.label, SPSS_LABEL_BYTES)
        if column.kind == "code":
            codes = _codes(column, values)
            data[name] = pl.Series(name, [codes[str(v)] if v is not None else None
                                          for v in values], dtype=pl.Float64)
            value_labels[name] = {
                code: _cut(column.value_labels.get(key, key), SPSS_VALUE_LABEL_BYTES)
                for key, code in codes.items()
            }
            measures[name] = "nominal"
        elif column.kind in ("number", "flag"):
            data[name] = pl.Series(name, values, dtype=pl.Float64)
            if column.kind == "flag":
                value_labels[name] = {0.0: "Không chọn", 1.0: "Có chọn"}
                measures[name] = "nominal"
            else:
                measures[name] = "scale"
        else:
            data[name] = pl.Series(name, [v if v is not None else "" for v in values],
                                   dtype=pl.String)
            measures[name] = "nominal"
    frame = pl.DataFrame(list(data.values())) if data else pl.DataFrame()
    handle, path = tempfile.mkstemp(suffix=".sav")
    os.close(handle)
    try:
        pyreadstat.write_sav(
            frame, path, file_label=_cut(export.title, 64), column_labels=labels,
            variable_value_labels=value_labels, variable_measure=measures,
        )
        with open(path, "rb") as stream:
            return stream.read()
    finally:
        os.unlink(path)
