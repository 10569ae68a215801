"""Labelled JSONL files: one JSON object a line with a string ``text`` and, for training and
measuring, a label field (pure: no Django).

Refusals are :class:`DatasetError`, whose message is one Vietnamese sentence naming the file and
the line.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["DatasetError", "group_field", "read_jsonl"]


class DatasetError(ValueError):
    """A file that cannot be used as it is; ``message`` is Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def read_jsonl(path: str, label_field: str | None = None) -> list[dict]:
    """Rows of a JSONL file, each with a string ``text`` (and ``label_field`` when given)."""
    file = Path(path)
    if not file.is_file():
        raise DatasetError(f"không tìm thấy tệp {path}.")
    rows: list[dict] = []
    try:
        with file.open(encoding="utf-8-sig") as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    raise DatasetError(
                        f"dòng {number} của {path} không phải JSON hợp lệ."
                    ) from None
                if not isinstance(row, dict):
                    raise DatasetError(f"dòng {number} của {path} không phải một đối tượng JSON.")
                if not isinstance(row.get("text"), str):
                    raise DatasetError(f"dòng {number} của {path} thiếu trường “text”.")
                if label_field is not None:
                    value = row.get(label_field)
                    if value is None or value == "" or isinstance(value, dict | list):
                        raise DatasetError(
                            f"dòng {number} của {path} thiếu trường nhãn “{label_field}”."
                        )
                    row[label_field] = str(value)
                rows.append(row)
    except UnicodeDecodeError:
        raise DatasetError(f"tệp {path} không phải văn bản UTF-8.") from None
    if not rows:
        raise DatasetError(f"tệp {path} không có dòng dữ liệu nào.")
    return rows


AUTO_GROUP_FIELDS = ("group", "template")


def group_field(rows: list[dict], asked: str | None, path: str) -> str | None:
    """The field that groups rows for quality measurement: the one asked for (every row must
    have it), else "group" or "template" when every row has it, else None."""

    def usable(field: str) -> bool:
        return all(
            r.get(field) not in (None, "") and not isinstance(r.get(field), dict | list)
            for r in rows
        )

    if asked:
        if not usable(asked):
            raise DatasetError(f"không phải dòng nào của {path} cũng có trường nhóm “{asked}”.")
        return asked
    return next((f for f in AUTO_GROUP_FIELDS if usable(f)), None)
