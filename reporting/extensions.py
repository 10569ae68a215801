"""Sections the floors above add to the office's consolidated report.

Reporting may not import the apps above it, yet the report must carry what they know (the
Standing Committee's directions live in ``picture``). An upper app registers a section in its
``AppConfig.ready()``::

    register_section("y_kien_chi_dao", "Ý kiến chỉ đạo của Ban Thường vụ", provider)

where ``provider(period_start, period_end, unit_ids)`` returns the section's lines (strings;
``unit_ids`` is None for the whole ward). A section with no line says "Trong kỳ không có.",
unless registered with ``omit_empty=True``: then a period without a line has no such section
(a rare event, such as a leader's waiver, is not noise in every report). Generating a
consolidated report appends each registered section, in the order registered, to the drafted
sections; the office edits them like any other, and the DOCX carries them.

An upper app may also add paragraphs to a section reporting drafts itself (the picture's rising
topics to "Dư luận tiềm ẩn, dự báo")::

    register_paragraphs("dang_noi_len", "du_luan_tiem_an", provider)

with the same kind of provider; its lines are appended to that section when the template has it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from reporting.figures import FigureBlock

Provider = Callable[[dt.date, dt.date, "set[int] | None"], Iterable[str]]
EMPTY_TEXT = "Trong kỳ không có."


@dataclass(frozen=True)
class ExtraSection:
    key: str
    title: str
    provider: Provider
    omit_empty: bool = False


@dataclass(frozen=True)
class ExtraParagraphs:
    key: str
    section_key: str
    provider: Provider


_SECTIONS: dict[str, ExtraSection] = {}
_PARAGRAPHS: dict[str, ExtraParagraphs] = {}


def register_paragraphs(key: str, section_key: str, provider: Provider) -> None:
    """Add (or replace) paragraphs appended to the drafted section ``section_key``."""
    _PARAGRAPHS[key] = ExtraParagraphs(key=key, section_key=section_key, provider=provider)


def unregister_paragraphs(key: str) -> None:
    _PARAGRAPHS.pop(key, None)


def drafted_paragraphs(
    start: dt.date, end: dt.date, unit_ids: set[int] | None = None, *,
    skip: Iterable[str] = (),
) -> dict[str, list[str]]:
    """The registered paragraphs' lines by the section they belong to (empty ones left out;
    ``skip``: keys of paragraphs not wanted, those a figure block says in full)."""
    out: dict[str, list[str]] = {}
    skipped = set(skip)
    for extra in _PARAGRAPHS.values():
        if extra.key in skipped:
            continue
        lines = [line for line in extra.provider(start, end, unit_ids) if line]
        if lines:
            out.setdefault(extra.section_key, []).extend(lines)
    return out


def register_section(key: str, title: str, provider: Provider, *,
                     omit_empty: bool = False) -> None:
    """Add (or replace, so a reloaded app does not add it twice) a section of the report;
    ``omit_empty``: leave the section out of a report whose period gives it no line."""
    _SECTIONS[key] = ExtraSection(key=key, title=title, provider=provider,
                                  omit_empty=omit_empty)


def unregister_section(key: str) -> None:
    _SECTIONS.pop(key, None)


def registered_sections() -> list[ExtraSection]:
    return list(_SECTIONS.values())


def drafted_sections(
    start: dt.date, end: dt.date, unit_ids: set[int] | None = None
) -> list[tuple[dict, str]]:
    """Each registered section as (``{"key", "title"}``, its drafted text); an empty one
    registered with ``omit_empty`` is left out."""
    drafted = []
    for section in _SECTIONS.values():
        lines = [line for line in section.provider(start, end, unit_ids) if line]
        if not lines and section.omit_empty:
            continue
        drafted.append(({"key": section.key, "title": section.title},
                        "\n".join(lines) or EMPTY_TEXT))
    return drafted


# --- the office's own figures of a 6-month or annual report -------------------------------------
#
# ``provider(start, end, unit_ids)`` returns a ``reporting.figures.FigureBlock`` or None (see that
# module for the contract: ``unit_ids`` None is the whole installation, otherwise the report's
# units, and a provider counts inside them only). Reporting registers its own (opinions, meetings,
# issues, answers, the press) in ``ReportingConfig.ready()``; an upper app registers its figures
# in its own ``ready()`` (surveys, collaborators, scorecards; the plan's tasks, dissemination
# sessions and inspections when that app lands), each a point of "Kết quả đạt được" that may add
# lines to "Hạn chế, nguyên nhân", "Phương hướng" and "Kiến nghị, đề xuất".

FigureProvider = Callable[[dt.date, dt.date, "set[int] | None"], "FigureBlock | None"]
_FIGURES: dict[str, FigureProvider] = {}


def register_figures(key: str, provider: FigureProvider) -> None:
    """Add (or replace) the provider of one subject's figures."""
    _FIGURES[key] = provider


def unregister_figures(key: str) -> None:
    _FIGURES.pop(key, None)


def registered_figures() -> list[str]:
    return list(_FIGURES)


def drafted_figures(
    start: dt.date, end: dt.date, unit_ids: set[int] | None = None
) -> list[FigureBlock]:
    """Every provider's block for the period and scope, in the blocks' order (None left out)."""
    blocks = [provider(start, end, unit_ids) for provider in _FIGURES.values()]
    return sorted((b for b in blocks if b is not None), key=lambda b: (b.order, b.key))
