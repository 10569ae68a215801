"""Reading response tables (CSV), population margins (JSON) and weights files; writing weights.

Every refusal is a ``TableError`` naming the file and, where there is one, the line and the
column, in Vietnamese. Response tables: UTF-8 (with or without the BOM Excel writes), a header
line with unique non-empty names, then one respondent per record; the delimiter (comma,
semicolon or tab) is the one the header line uses most. Lines are physical lines of the file,
so a quoted answer spanning several lines still points at the right place.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from documents import csvsafe
from surveystats._core import SurveyStatsError, label_of

WEIGHT_COLUMN = "weight"
ROW_COLUMN = "row"
_DELIMITERS = (",", ";", "\t")


class TableError(SurveyStatsError):
    def __init__(
        self, reason: str, *, path: Path | str, line: int | None = None, column: str | None = None
    ):
        self.reason = reason
        self.path = Path(path)
        self.line = line
        self.column = column
        where = [f"tệp {self.path.name}"]
        if line is not None:
            where.append(f"dòng {line}")
        if column is not None:
            where.append(f"cột “{column}”")
        place = ", ".join(where)
        super().__init__(f"{place[0].upper()}{place[1:]}: {reason}")


@dataclass(frozen=True)
class ResponseTable:
    path: Path
    header: list[str]
    columns: dict[str, list[str]]
    lines: list[int]  # the physical line each data row starts on

    @property
    def n_rows(self) -> int:
        return len(self.lines)

    def line_of(self, row: int) -> int:
        return self.lines[row]

    def require_column(self, name: str) -> list[str]:
        if name not in self.columns:
            raise TableError(
                f"không có cột “{name}” (các cột có: {', '.join(self.header)}).", path=self.path
            )
        return self.columns[name]


@dataclass(frozen=True)
class MarginsFile:
    path: Path
    margins: dict[str, dict[str, float]]
    text: str

    def line_of(self, variable: str, category: str | None = None) -> int | None:
        """Best-effort line of a variable (or one of its categories) for error messages."""
        found = re.search(re.escape(json.dumps(variable, ensure_ascii=False)) + r"\s*:", self.text)
        if found is None:
            return None
        position = found.start()
        if category is not None:
            key = re.escape(json.dumps(category, ensure_ascii=False)) + r"\s*:"
            inner = re.compile(key).search(self.text, found.end())
            position = inner.start() if inner else position
        return self.text.count("\n", 0, position) + 1


@dataclass(frozen=True)
class WeightsFile:
    path: Path
    id_column: str
    ids: list[str]
    weights: np.ndarray
    lines: list[int]


def read_text(path: Path | str) -> str:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TableError("không tìm thấy tệp.", path=path) from None
    except IsADirectoryError:
        raise TableError("đây là một thư mục, không phải tệp.", path=path) from None
    except OSError as error:
        raise TableError(f"không đọc được tệp ({error.strerror}).", path=path) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise TableError(
            "tệp không phải văn bản UTF-8; hãy lưu lại dưới dạng “CSV UTF-8”.", path=path, line=line
        ) from None


def read_response_table(path: Path | str) -> ResponseTable:
    """The whole table as text columns; empty lines are skipped, every other record kept."""
    path = Path(path)
    text = read_text(path)
    first_line = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first_line.count)
    # strict: an unclosed quote is an error instead of swallowing the rest of the file.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header = _header(_next_record(reader, path, 1), path)
    rows, lines = _records(reader, header, path)
    columns = {name: [row[index] for row in rows] for index, name in enumerate(header)}
    return ResponseTable(path=path, header=header, columns=columns, lines=lines)


def _header(record: list[str] | None, path: Path) -> list[str]:
    if not record:
        raise TableError("tệp trống: thiếu dòng tiêu đề.", path=path, line=1)
    header = [name.strip() for name in record]
    for index, name in enumerate(header):
        if not name:
            raise TableError(f"cột thứ {index + 1} của dòng tiêu đề không có tên.", path=path,
                             line=1)
        if name in header[:index]:
            raise TableError(f"tên cột “{name}” xuất hiện hai lần trong dòng tiêu đề.",
                             path=path, line=1, column=name)
    return header


def _next_record(reader, path: Path, start: int) -> list[str] | None:
    try:
        return next(reader, None)
    except csv.Error as error:
        raise TableError(f"không đọc được dòng CSV ({_csv_reason(error)}).", path=path,
                         line=start) from None


def _csv_reason(error: csv.Error) -> str:
    message = str(error)
    if "unexpected end of data" in message:
        return "dấu nháy kép mở mà không đóng"
    if "expected after" in message:
        return "sau dấu nháy kép đóng phải là dấu phân cách"
    return message


def _records(reader, header: list[str], path: Path) -> tuple[list[list[str]], list[int]]:
    rows: list[list[str]] = []
    lines: list[int] = []
    previous_end = reader.line_num
    while (record := _next_record(reader, path, previous_end + 1)) is not None:
        start, previous_end = previous_end + 1, reader.line_num
        if not record:
            continue
        if len(record) != len(header):
            raise TableError(
                f"có {len(record)} ô nhưng dòng tiêu đề có {len(header)} cột.", path=path,
                line=start,
            )
        rows.append(record)
        lines.append(start)
    return rows, lines


def read_margins(path: Path | str) -> MarginsFile:
    """``{"variable": {"category": population, ...}, ...}`` with every population positive."""
    path = Path(path)
    text = read_text(path)
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as error:
        raise TableError(
            f"JSON không hợp lệ ở ký tự thứ {error.colno} ({_json_reason(error.msg)}).",
            path=path, line=error.lineno,
        ) from None
    except _DuplicateKey as duplicate:
        raise TableError(f"khóa “{duplicate.key}” xuất hiện hai lần.", path=path) from None
    except ValueError:  # an integer past Python's 4,300 digits
        raise TableError("có một số quá lớn, không phải dân số.", path=path) from None
    if not isinstance(data, dict) or not data:
        raise TableError(
            'nội dung phải là một đối tượng JSON dạng {"biến": {"nhóm": dân số, ...}, ...}.',
            path=path, line=1,
        )
    margins_file = MarginsFile(path=path, margins={}, text=text)
    for variable, spec in data.items():
        margins_file.margins[variable] = _margin(margins_file, variable, spec)
    return margins_file


class _DuplicateKey(Exception):
    def __init__(self, key: str):
        self.key = key


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _json_reason(message: str) -> str:
    known = {
        "Expecting value": "thiếu giá trị",
        "Expecting property name enclosed in double quotes": "tên khóa phải nằm trong dấu nháy kép",
        "Expecting ',' delimiter": "thiếu dấu phẩy",
        "Expecting ':' delimiter": "thiếu dấu hai chấm",
        "Extra data": "có dữ liệu thừa sau đối tượng JSON",
        "Unterminated string starting at": "chuỗi chưa đóng dấu nháy",
    }
    return known.get(message, message)


def _margin(margins_file: MarginsFile, variable: str, spec: object) -> dict[str, float]:
    if not isinstance(spec, dict) or not spec:
        raise TableError(
            f"biên của biến “{variable}” phải là một đối tượng {{\"nhóm\": dân số, ...}} không"
            " rỗng.", path=margins_file.path, line=margins_file.line_of(variable),
        )
    margin = {}
    for category, population in spec.items():
        valid = isinstance(population, int | float) and not isinstance(population, bool)
        if not valid or not math.isfinite(population) or population <= 0:
            raise TableError(
                f"dân số của nhóm “{category}” (biến “{variable}”) phải là một số dương, đang"
                f" là {json.dumps(population, ensure_ascii=False)}.",
                path=margins_file.path, line=margins_file.line_of(variable, category),
            )
        margin[category] = float(population)
    return margin


def read_weights(path: Path | str, *, id_column: str | None = None) -> WeightsFile:
    """A weights file: an id column (or ``row``) and ``weight``, one line per respondent."""
    table = read_response_table(path)
    weights_text = table.require_column(WEIGHT_COLUMN)
    if id_column is None:
        others = [name for name in table.header if name != WEIGHT_COLUMN]
        if len(others) != 1:
            raise TableError(
                f"tệp trọng số phải có đúng hai cột: mã người trả lời (hoặc “{ROW_COLUMN}”) và"
                f" “{WEIGHT_COLUMN}”.", path=table.path, line=1,
            )
        id_column = others[0]
    # write_weights quotes an id that looks like a formula ('=x): read it back as written.
    ids = [label_of(csvsafe.unsafe_cell(value)) or ""
           for value in table.require_column(id_column)]
    weights = np.empty(table.n_rows)
    first_line: dict[str, int] = {}
    for row, (identifier, text) in enumerate(zip(ids, weights_text, strict=True)):
        line = table.line_of(row)
        if not identifier:
            raise TableError("thiếu mã.", path=table.path, line=line, column=id_column)
        if identifier in first_line:
            raise TableError(f"mã “{identifier}” đã có ở dòng {first_line[identifier]}.",
                             path=table.path, line=line, column=id_column)
        first_line[identifier] = line
        weights[row] = _weight(text, table.path, line)
    return WeightsFile(path=table.path, id_column=id_column, ids=ids, weights=weights,
                       lines=table.lines)


def _weight(text: str, path: Path, line: int) -> float:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise TableError(f"“{text}” không phải là số.", path=path, line=line,
                         column=WEIGHT_COLUMN) from None
    if not math.isfinite(value) or value < 0:
        raise TableError(f"trọng số phải là số không âm, đang là “{text}”.", path=path, line=line,
                         column=WEIGHT_COLUMN)
    return value


def write_weights(
    path: Path | str, ids: Sequence[str], weights: np.ndarray, *, id_column: str = ROW_COLUMN
) -> None:
    """One line per respondent; 17 significant digits so that nothing is lost on reading back."""
    path = Path(path)
    buffer = io.StringIO(newline="")
    # A respondent id that looks like a formula is written as text (read_weights undoes it).
    writer = csvsafe.writer(buffer, lineterminator="\n")
    writer.writerow([id_column, WEIGHT_COLUMN])
    writer.writerows((identifier, format(weight, ".17g")) for identifier, weight in
                     zip(ids, weights, strict=True))
    try:
        path.write_text(buffer.getvalue(), encoding="utf-8")
    except OSError as error:
        raise TableError(f"không ghi được tệp ({error.strerror}).", path=path) from None
