"""Grouping a JSONL file, for the command line."""

from __future__ import annotations

import json
import os
from pathlib import Path

from textengine.grouping.grouper import Grouper
from textengine.grouping.records import _day
from textengine.grouping.state import _atomic_write


def _read_jsonl(in_path, text_field: str, date_field: str | None):
    records = []
    with open(in_path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                raise ValueError(f"Dòng {number}: không phải văn bản UTF-8.") from None
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"Dòng {number}: không phải JSON hợp lệ ({exc.msg}).") from None
            if not isinstance(obj, dict):
                raise ValueError(f"Dòng {number}: mỗi dòng phải là một đối tượng JSON.")
            if text_field not in obj:
                raise ValueError(f"Dòng {number}: thiếu trường \"{text_field}\".")
            text = obj[text_field]
            if not isinstance(text, str):
                raise ValueError(f"Dòng {number}: trường \"{text_field}\" phải là chuỗi ký tự.")
            when = None
            if date_field and obj.get(date_field) not in (None, ""):
                try:
                    when = _day(obj[date_field])
                except (TypeError, ValueError):
                    raise ValueError(
                        f"Dòng {number}: ngày \"{obj[date_field]}\" không đúng dạng YYYY-MM-DD."
                    ) from None
            records.append((number, obj.get("id"), text, when))
    return records


def group_jsonl(
    in_path: str | os.PathLike,
    out_path: str | os.PathLike,
    text_field: str = "text",
    *,
    date_field: str | None = "date",
    grouper: Grouper | None = None,
) -> dict[str, int]:
    """Group a JSONL file: one output object per non-blank input line, in the same order:
    ``{"line": n, "group": issue_id}`` (plus ``"id"`` when the input line had one).

    Every line is checked before anything is written; a bad line raises ValueError naming its
    number ("Dòng 7: ..."). Returns counts for the summary the CLI prints.
    """
    records = _read_jsonl(in_path, text_field, date_field)
    grouper = grouper or Grouper()
    groups = grouper.assign_many(
        (f"line:{number}", text, when) for number, _id, text, when in records
    )
    lines = []
    for (number, item_id, _text, _when), group in zip(records, groups, strict=True):
        row = {"line": number, "group": group}
        if item_id is not None:
            row["id"] = item_id
        lines.append(json.dumps(row, ensure_ascii=False))
    _atomic_write(Path(out_path), ("\n".join(lines) + "\n" if lines else "").encode("utf-8"))
    # Keys are shown to the user by the CLI summary, hence Vietnamese.
    return {"ý kiến": len(records), "vấn đề": len(set(groups))}
