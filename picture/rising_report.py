"""The consolidated report's rising topics: what the opinion items show rising in the last seven
days of the period, with the reason, appended to "Dư luận tiềm ẩn, dự báo". Registered with
``reporting.extensions`` in ``PictureConfig.ready()`` (reporting may not import picture)."""

from __future__ import annotations

import datetime as dt

from core.dates import local_today
from core.text import fold
from picture.selectors import rising_now

PARAGRAPHS_KEY = "dang_noi_len"
SECTION_KEY = "du_luan_tiem_an"
SHOWN = 3  # the strongest; the picture lists them all


def _named(row: dict) -> str:
    """ "chủ đề Đời sống"; "Tổ dân phố An Lư 1" rather than "tổ dân phố Tổ dân phố An Lư 1"."""
    if fold(row["name"]).startswith(fold(row["kind_label"])):
        return row["name"]
    return f"{row['kind_label']} {row['name']}"


def rising_lines(start: dt.date, end: dt.date, unit_ids: set[int] | None = None) -> list[str]:
    """One line on the rising topics, areas and issues of the ward (the report is the ward's:
    ``unit_ids`` narrows nothing here), each with why it counts as rising."""
    anchor = min(end, local_today())
    if anchor < start:
        return []
    rows = rising_now(anchor)[:SHOWN]
    if not rows:
        return []
    since = anchor - dt.timedelta(days=6)
    parts = [f"{_named(row)} ({row['reason']})" for row in rows]
    return [
        f"Theo ý kiến nhân dân ghi nhận từ {since:%d/%m} đến {anchor:%d/%m/%Y}, đang tăng"
        " vượt mức bình thường: " + "; ".join(parts) + "."
    ]
