"""Sections the floors above add to the office's consolidated report.

Reporting may not import the apps above it, yet the report must carry what they know (the
Standing Committee's directions live in ``picture``). An upper app registers a section in its
``AppConfig.ready()``::

    register_section("y_kien_chi_dao", "Ý kiến chỉ đạo của Ban Thường vụ", provider)

where ``provider(period_start, period_end, unit_ids)`` returns the section's lines (strings;
``unit_ids`` is None for the whole ward). Generating a consolidated report appends each
registered section, in the order registered, to the drafted sections; the office edits them like
any other, and the DOCX carries them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

Provider = Callable[[dt.date, dt.date, "set[int] | None"], Iterable[str]]
EMPTY_TEXT = "Trong kỳ không có."


@dataclass(frozen=True)
class ExtraSection:
    key: str
    title: str
    provider: Provider


_SECTIONS: dict[str, ExtraSection] = {}


def register_section(key: str, title: str, provider: Provider) -> None:
    """Add (or replace, so a reloaded app does not add it twice) a section of the report."""
    _SECTIONS[key] = ExtraSection(key=key, title=title, provider=provider)


def unregister_section(key: str) -> None:
    _SECTIONS.pop(key, None)


def registered_sections() -> list[ExtraSection]:
    return list(_SECTIONS.values())


def drafted_sections(
    start: dt.date, end: dt.date, unit_ids: set[int] | None = None
) -> list[tuple[dict, str]]:
    """Each registered section as (``{"key", "title"}``, its drafted text)."""
    drafted = []
    for section in _SECTIONS.values():
        lines = [line for line in section.provider(start, end, unit_ids) if line]
        drafted.append(({"key": section.key, "title": section.title},
                        "\n".join(lines) or EMPTY_TEXT))
    return drafted
