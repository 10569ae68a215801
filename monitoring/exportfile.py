"""Reading a social-network export (no Django import): posts and comments exported from Facebook
groups and pages, YouTube, TikTok or a listening vendor, as CSV, JSON or XLSX.

A file becomes a :class:`Sheet` (headers and rows of cells). CSV and XLSX are read by
``documents.tabular`` (the encoding decided from the bytes, the delimiter sniffed, zip bombs and
oversized sheets refused before openpyxl parses anything, the same limits as every upload). JSON
is a list of objects or an object holding one (``{"data": [...]}``), or JSON Lines; a nested
object is flattened with dots (``from.name``, ``reactions.summary.total_count``) and a list inside
a record is left out.

Which column holds the text, the time, the link, the author and the reactions is the source's
saved mapping or, when it has none, guessed from common header names in Vietnamese and English
(:func:`guess_columns`). :func:`parse_rows` reads each row; a row refused gets a Vietnamese
message naming the row and the column, never the cell's value (a wrongly mapped column may hold
the authors' names). The author comes back as a raw name here, in memory only: the caller hashes
it before anything is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass

from documents.archive import vn_int
from documents.tabular import MAX_BYTES, MAX_ROWS, TableError, cell_text, read_table
from monitoring.addresses import AddressError, canonical_url

__all__ = [
    "FIELDS",
    "ExportError",
    "Row",
    "Sheet",
    "columns_for",
    "guess_columns",
    "normal_name",
    "parse_rows",
    "read_sheet",
    "synthetic_url",
]

# The fields of a mention an export's columns may fill, with the Vietnamese name of each.
FIELDS = {
    "text": "nội dung",
    "time": "thời gian",
    "link": "đường dẫn",
    "author": "tác giả",
    "reactions": "lượt tương tác",
}
MAX_TEXT = 50_000  # characters of one post or comment
MAX_LINK = 2000  # Mention.url
MAX_COUNT = 2**31 - 1  # Mention.reactions (a PositiveIntegerField: 32 bits in PostgreSQL)
MAX_JSON_COLUMNS = 200  # flattened keys of a JSON export kept (a CSV/XLSX keeps 60)
MAX_JSON_DEPTH = 4  # levels of nested objects flattened


class ExportError(ValueError):
    """A file or a mapping refused as a whole; ``message`` is Vietnamese."""

    def __init__(self, message: str, *, headers: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.headers = headers or []  # the file's columns, when it could be read that far


# --- header names ------------------------------------------------------------------------------


def _names(listed: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in listed.split(","))


# Header names per field, in order of preference, compared as :func:`_key` gives them (no
# diacritics, lower case, punctuation as spaces): "Nội dung" → "noi dung", "from_name" → "from
# name", "authorMeta.name" → "authormeta name". First every field looks for an exact name; then
# the fields still missing look for a header containing one of ``_CONTAINED`` ("Nội dung bài
# viết", "Total Interactions").
CANDIDATES = {
    "text": _names(
        "noi dung, message, text, content, comment, comment text, binh luan, caption, body, "
        "post text, post message, text original, textoriginal, text display, textdisplay, "
        "snippet, description, title, tieu de"
    ),
    "time": _names(
        "thoi gian, ngay dang, thoi diem, thoi gian dang, ngay gio, ngay, created time, "
        "created at, createtimeiso, create time iso, createtime, create time, published, "
        "published at, publishedat, published date, publish time, post created, "
        "post created date, date, time, timestamp, datetime, updated time"
    ),
    "link": _names(
        "link, url, permalink, permalink url, post url, post link, duong dan, lien ket, "
        "link bai viet, web video url, webvideourl, video url, comment url, comment link"
    ),
    "author": _names(
        "tac gia, nguoi dang, nguoi viet, nguoi binh luan, ten nguoi dung, author, "
        "author name, authordisplayname, author display name, authormeta name, from name, "
        "from, user name, username, user, commenter, commenter name, profile name, name, "
        "ten, ho ten, ho va ten, nickname, uniqueid, unique id"
    ),
    "reactions": _names(
        "luot tuong tac, tuong tac, luot thich, reactions, reaction count, reactions count, "
        "reactions summary total count, total interactions, interactions, engagement, "
        "engagements, likes, like count, likecount, likes count, diggcount, digg count"
    ),
}
_CONTAINED = {
    "text": ("noi dung", "binh luan", "message", "content"),
    "time": ("thoi gian", "ngay dang", "thoi diem", "published", "created"),
    "link": ("duong dan", "lien ket", "permalink"),
    "author": ("tac gia", "nguoi dang", "nguoi viet", "nguoi binh luan", "author"),
    "reactions": ("tuong tac", "luot thich", "reactions", "interactions"),
}


def _key(header: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", _plain(header)).split())


def guess_columns(headers: list[str]) -> dict[str, str]:
    """``{field: header}`` for the fields whose column could be told from the header names."""
    keys = {header: _key(header) for header in headers}
    found: dict[str, str] = {}
    for field, names in CANDIDATES.items():
        for name in names:
            match = next((h for h in headers if keys[h] == name and h not in found.values()), None)
            if match:
                found[field] = match
                break
    for field, parts in _CONTAINED.items():
        if field in found:
            continue
        for part in parts:
            pattern = re.compile(rf"(?<![a-z0-9]){re.escape(part)}(?![a-z0-9])")
            match = next(
                (h for h in headers if pattern.search(keys[h]) and h not in found.values()), None
            )
            if match:
                found[field] = match
                break
    return {field: found[field] for field in FIELDS if field in found}


# What an error shows of the names looked for, as people write them.
EXAMPLES = {
    "text": "“nội dung”, “message”, “text”, “content”…",
    "time": "“thời gian”, “created_time”, “published”, “date”…",
    "link": "“link”, “url”, “permalink”…",
    "author": "“tác giả”, “author”, “from_name”, “name”…",
    "reactions": "“lượt tương tác”, “reactions”, “likes”…",
}


def columns_for(headers: list[str], column_map: dict | None) -> tuple[dict[str, str], list[str]]:
    """The mapping to read a file with (the given one checked, or guessed) and notes on the
    optional fields no column was found for. A text column that cannot be found, or a mapped
    column missing from the file, refuses the file (ExportError naming the column)."""
    if column_map:
        columns = {f: h for f, h in column_map.items() if f in FIELDS and h}
        for field, header in columns.items():
            if header not in headers:
                raise ExportError(
                    f"Tệp không có cột “{header}” (cột {FIELDS[field]} đã ghép cho nguồn này)."
                    f" Các cột của tệp: {_listed(headers)}. Hãy ghép lại các cột.",
                    headers=headers,
                )
        if "text" not in columns:
            raise ExportError("Hãy chọn cột chứa nội dung.", headers=headers)
        return columns, []
    columns = guess_columns(headers)
    if "text" not in columns:
        raise ExportError(
            f"Không tìm thấy cột nội dung: tệp không có cột nào tên {EXAMPLES['text']}"
            f" Các cột của tệp: {_listed(headers)}. Hãy chọn cột chứa nội dung.",
            headers=headers,
        )
    notes = [
        f"Không tìm thấy cột {FIELDS[field]} (tìm theo tên {EXAMPLES[field]}): {_LOSS[field]}"
        for field in FIELDS
        if field not in columns
    ]
    return columns, notes


_LOSS = {
    "time": "các tin không có thời điểm đăng.",
    "link": "mỗi tin được nhận ra bằng nội dung của nó.",
    "author": "không đếm được số người viết.",
    "reactions": "không có lượt tương tác.",
}


def _listed(headers: list[str]) -> str:
    shown = ", ".join(f"“{h}”" for h in headers[:15])
    return shown + (f" và {len(headers) - 15} cột khác" if len(headers) > 15 else "")


# --- reading the file ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    headers: list[str]
    rows: list[list]
    first_row: int  # number of rows[0]
    row_word: str  # "Dòng" (a spreadsheet's row) or "Bản ghi" (a JSON record)

    def label(self, index: int) -> str:
        return f"{self.row_word} {self.first_row + index}"


def read_sheet(file_name: str, data: bytes) -> Sheet:
    """The headers and rows of an export: JSON by its name or first character, else CSV/XLSX."""
    name = (file_name or "").lower()
    start = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if name.endswith((".json", ".jsonl", ".ndjson")) or (
        start in (b"[", b"{") and not name.endswith((".csv", ".xlsx", ".xlsm", ".txt"))
    ):
        return _json_sheet(data)
    try:
        table = read_table(file_name, data)
    except TableError as exc:
        raise ExportError(exc.message) from exc
    return Sheet(table.headers, table.rows, table.first_row, "Dòng")


_LIST_KEYS = ("data", "items", "posts", "comments", "results", "rows", "records", "entries")


def _json_sheet(data: bytes) -> Sheet:
    if not data.strip():
        raise ExportError("Tệp rỗng: không có dữ liệu nào để nhập.")
    if len(data) > MAX_BYTES:
        raise ExportError(
            f"Tệp quá lớn ({vn_int(len(data) // 1024)} KB; tối đa {MAX_BYTES // (1024 * 1024)} MB)."
        )
    records = _records(_json_value(data))
    if len(records) > MAX_ROWS:
        raise ExportError(
            f"Tệp có quá nhiều bản ghi: {vn_int(len(records))}, vượt giới hạn"
            f" {vn_int(MAX_ROWS)} bản ghi mỗi lần nhập. Hãy chia thành nhiều tệp nhỏ hơn."
        )
    flat = [_flatten(r) if isinstance(r, dict) else {} for r in records]
    headers: list[str] = []
    for record in flat:
        for key in record:
            if key not in headers and len(headers) < MAX_JSON_COLUMNS:
                headers.append(key)
    if not headers:
        raise ExportError("Tệp JSON không có bản ghi nào có dữ liệu.")
    return Sheet(headers, [[r.get(h) for h in headers] for r in flat], 1, "Bản ghi")


def _json_value(data: bytes):
    try:
        text = data.decode("utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExportError("Tệp JSON phải được lưu bằng bảng mã UTF-8.") from exc
    try:
        return json.loads(text, parse_int=_json_int)
    except RecursionError as exc:
        raise ExportError("Tệp JSON lồng quá nhiều tầng, không đọc.") from exc
    except json.JSONDecodeError as whole:
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) > 1:
            try:  # JSON Lines: one object a line
                return [json.loads(line, parse_int=_json_int) for line in lines]
            except (json.JSONDecodeError, RecursionError):
                pass
        raise ExportError(
            f"Tệp JSON không đúng định dạng (dòng {whole.lineno}, cột {whole.colno})."
        ) from whole


def _json_int(text: str) -> int | str:
    """A JSON integer; past 18 digits (an id, or junk) kept as its text: Python refuses to read
    one of more than 4,300 digits, and no count or time is that long."""
    return int(text) if len(text) <= 18 else text


def _records(value) -> list:
    """The list of records: the value itself, or the list an object holds (two levels deep)."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        found = _list_in(value)
        if found is None:
            for inner in value.values():
                found = _list_in(inner) if isinstance(inner, dict) else None
                if found is not None:
                    break
        if found is not None:
            return found
    raise ExportError(
        "Tệp JSON không chứa danh sách bài đăng: cần một mảng các đối tượng, hoặc một đối"
        ' tượng chứa mảng đó (ví dụ {"data": [...]}).'
    )


def _list_in(value: dict) -> list | None:
    keys = [k for k in _LIST_KEYS if k in value] + [k for k in value if k not in _LIST_KEYS]
    for key in keys:
        inner = value[key]
        if isinstance(inner, list) and any(isinstance(x, dict) for x in inner):
            return inner
    return None


def _flatten(record: dict, prefix: str = "", depth: int = 0) -> dict:
    out: dict = {}
    for key, value in record.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            if depth + 1 < MAX_JSON_DEPTH:
                out.update(_flatten(value, name, depth + 1))
        elif not isinstance(value, list):
            out[name] = value
    return out


# --- reading the rows ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    label: str  # "Dòng 5", "Bản ghi 3"
    text: str  # as written: masked by the caller
    published_at: dt.datetime | None  # aware
    link: str  # canonical, or ""
    author: str  # :func:`normal_name` of the author, or "": hashed by the caller
    reactions: int | None


class _RowError(ValueError):
    pass


def parse_rows(sheet: Sheet, columns: dict[str, str], tz: dt.tzinfo) -> tuple[list[Row], list[str]]:
    """The rows read, and a message per refused row; blank rows are skipped."""
    index = {field: sheet.headers.index(header) for field, header in columns.items()}
    rows: list[Row] = []
    errors: list[str] = []
    for offset, cells in enumerate(sheet.rows):
        if all(cell_text(c) == "" for c in cells):
            continue
        label = sheet.label(offset)
        try:
            rows.append(_row(label, cells, index, columns, tz))
        except _RowError as exc:
            errors.append(f"{label}: {exc}")
    return rows, errors


def _row(label, cells, index, columns, tz) -> Row:
    def cell(field):
        return cells[index[field]] if field in index else None

    text = _text(cell("text"))
    if not text:
        raise _RowError(f"thiếu nội dung (cột “{columns['text']}”).")
    if len(text) > MAX_TEXT:
        raise _RowError(
            f"nội dung dài {vn_int(len(text))} ký tự, vượt giới hạn {vn_int(MAX_TEXT)} ký tự"
            f" (cột “{columns['text']}”)."
        )
    return Row(
        label=label,
        text=text,
        published_at=_field(parse_time, cell("time"), columns.get("time"), tz),
        link=_field(_link, cell("link"), columns.get("link")) or "",
        author=normal_name(cell_text(cell("author"))),
        reactions=_field(parse_count, cell("reactions"), columns.get("reactions")),
    )


_WHAT = {
    "time": "không phải thời gian đọc được (ví dụ 20/11/2026 08:30 hoặc 2026-11-20T08:30:00+07:00)",
    "link": "không phải địa chỉ http(s)",
    "count": "không phải một số lượt tương tác",
}


def _field(read, cell, header, *args):
    if header is None or cell_text(cell) == "":
        return None
    try:
        return read(cell, *args)
    except ValueError as exc:
        raise _RowError(f"cột “{header}” {exc}.") from None


def _text(cell) -> str:
    if cell is None:
        return ""
    text = unicodedata.normalize("NFC", str(cell)).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def _link(cell) -> str:
    try:
        link = canonical_url(cell_text(cell))
    except AddressError:
        raise ValueError(_WHAT["link"]) from None
    if len(link) > MAX_LINK:
        raise ValueError(f"dài quá {vn_int(MAX_LINK)} ký tự")
    return link


def normal_name(name: str) -> str:
    """An author's name as hashed: composed, case folded, single spaces ("Nguyễn  Văn A" and
    "nguyễn văn a" are one voice; diacritics are kept, "Nguyen Van A" may be someone else)."""
    return " ".join(unicodedata.normalize("NFC", name or "").casefold().split())


_DAY_FIRST = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%H:%M %d/%m/%Y",
    "%H:%M:%S %d/%m/%Y",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
)


def parse_time(cell, tz: dt.tzinfo) -> dt.datetime:
    """An aware time from a cell: a spreadsheet date, Unix seconds or milliseconds, ISO 8601 or a
    Vietnamese day-first date ("20/11/2026 08:30"); a time without a zone is ``tz``'s."""
    if isinstance(cell, dt.datetime):
        value = cell
    elif isinstance(cell, dt.date):
        value = dt.datetime.combine(cell, dt.time())
    elif isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if isinstance(cell, int) and abs(cell) > 10**15:  # float() would overflow on 10**400
            raise ValueError(_WHAT["time"])
        value = _epoch(float(cell))
    else:
        value = _time_text(cell_text(cell))
    return value if value.tzinfo else value.replace(tzinfo=tz)


def _epoch(number: float) -> dt.datetime:
    if 1e12 <= number < 1e14:
        number /= 1000  # milliseconds (TikTok, JavaScript)
    if not 1e8 <= number < 1e11:
        raise ValueError(_WHAT["time"])
    return dt.datetime.fromtimestamp(number, tz=dt.UTC)


def _time_text(text: str) -> dt.datetime:
    if re.fullmatch(r"\d{9,14}(\.\d+)?", text):
        return _epoch(float(text))
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    for pattern in _DAY_FIRST:
        try:
            return dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise ValueError(_WHAT["time"])


_SCALE = {"k": 1_000, "n": 1_000, "nghin": 1_000, "ngan": 1_000, "m": 1_000_000, "tr": 1_000_000}


def parse_count(cell) -> int:
    """A count from a cell: 1234, "1.234", "1,234", "12.0", "1,2K", "3 tr"; never negative,
    never more than the column holds (:data:`MAX_COUNT`)."""
    count = _count(cell)
    if count > MAX_COUNT:
        raise ValueError(_WHAT["count"])
    return count


def _count(cell) -> int:
    if isinstance(cell, bool):
        raise ValueError(_WHAT["count"])
    if isinstance(cell, (int, float)):
        if not 0 <= cell <= MAX_COUNT:  # negative, NaN, infinite or past the column
            raise ValueError(_WHAT["count"])
        return int(cell)
    text = _plain(cell_text(cell)).replace(" ", "")
    if len(text) > 20:  # past MAX_COUNT however written (and int() refuses 4,300 digits)
        raise ValueError(_WHAT["count"])
    match = re.fullmatch(r"(\d+(?:[.,]\d+)*)([a-z]*)", text)
    if not match or (match.group(2) and match.group(2) not in _SCALE):
        raise ValueError(_WHAT["count"])
    digits, unit = match.groups()
    if unit and re.fullmatch(r"\d+(?:[.,]\d+)?", digits):
        return int(float(digits.replace(",", ".")) * _SCALE[unit])
    if unit:
        raise ValueError(_WHAT["count"])
    if re.fullmatch(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*", digits):
        return int(re.sub(r"[.,]", "", digits))  # thousands separators
    if re.fullmatch(r"\d+(?:[.,]0+)?", digits):
        return int(re.split(r"[.,]", digits)[0])
    raise ValueError(_WHAT["count"])


def _plain(text: str) -> str:
    """Lower case without diacritics ("1,2 Nghìn" → "1,2 nghin")."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in plain if not unicodedata.combining(c)).lower()


# --- identity ------------------------------------------------------------------------------------


def synthetic_url(source_id: int, text: str, published_at: str, link: str = "") -> str:
    """The stable identity of a row that has no address of its own (``Mention.url`` is unique):
    its source, (masked) text and time, and its link when several texts share one (the comments
    exported with their post's address). The same row read again gives the same identity."""
    digest = hashlib.sha256(f"{link}\n{text}\n{published_at}".encode()).hexdigest()
    return f"export:{source_id}:{digest}"
