"""Writes of the picture app, one module a subject; this package re-exports their public names
(callers use ``from picture import services``).

:mod:`~picture.services.briefs`: the weekly brief (Bản tin dư luận) and briefs on demand.
"""

from picture.services.briefs import (
    brief_figures,
    brief_window,
    draft_brief,
    export_docx,
    period_window,
    update_notes,
)

__all__ = [
    "brief_figures",
    "brief_window",
    "draft_brief",
    "export_docx",
    "period_window",
    "update_notes",
]
