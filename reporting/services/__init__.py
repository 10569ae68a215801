"""Writes of the reporting app, one module per subject.

:mod:`~reporting.services.reports` (the report cycle: drafts, submission, return, periods),
:mod:`~reporting.services.streams` (links from report streams to issues),
:mod:`~reporting.services.proposals` (keeping, merging, dropping the streams proposed from the
unit's logged items),
:mod:`~reporting.services.reminders` (deadline reminders),
:mod:`~reporting.services.approval` (the approval chain: the level above approves, the office
accepts and unlocks; the chain itself is the pure :mod:`reporting.approval`),
:mod:`~reporting.services.inbox` (the office's inbox: reports read, "Nhắc đơn vị"),
:mod:`~reporting.services.consolidation` (the office's consolidated report; the drafting algorithm
itself is the pure :mod:`reporting.consolidation`), :mod:`~reporting.services.templates` (template
editing). This package is the app's write API: callers use ``from reporting import services`` and
the names listed in ``__all__``. Every write runs in one transaction, appends an audit entry, and
refuses bad input with a :class:`core.errors.ServiceError` naming the field.
"""

from reporting.services.approval import (
    accept_report,
    actor_of,
    approve_report,
    reviewing_unit,
    unlock_report,
)
from reporting.services.consolidation import (
    COMPLIANCE_TITLE,
    DEFAULT_RECIPIENTS,
    HIGHLIGHTS_KEY,
    MAX_SECTION_TEXT,
    SOURCE_ACCEPTED,
    SOURCE_SUBMITTED,
    SOURCES,
    build_workbook,
    default_title,
    edited_sections,
    export_docx,
    export_pdf,
    export_xlsx,
    generate_consolidated,
    may_author,
    party_document,
    report_tables,
    section_titles,
    update_consolidated,
)
from reporting.services.inbox import AlreadyRemindedError, mark_seen_by_office, remind_unit
from reporting.services.proposals import drop_proposals, keep_proposals, restore_proposals
from reporting.services.reminders import (
    BEFORE,
    OVERDUE,
    OVERDUE_LOOKBACK,
    DueReminder,
    ReminderRun,
    due_reminders,
    period_containing,
    send_due_reminders,
)
from reporting.services.reports import (
    StreamInput,
    ensure_period,
    may_write_report,
    recipients_of,
    return_report,
    save_draft,
    snapshot,
    streams_of,
    submit_report,
)
from reporting.services.streams import carry_stream_links, link_stream_issues
from reporting.services.templates import (
    MAX_SECTIONS,
    SECTION_KEY,
    create_template,
    update_template,
)

__all__ = [
    "SOURCES",
    "SOURCE_ACCEPTED",
    "SOURCE_SUBMITTED",
    "accept_report",
    "actor_of",
    "approve_report",
    "reviewing_unit",
    "unlock_report",
    "AlreadyRemindedError",
    "BEFORE",
    "COMPLIANCE_TITLE",
    "DEFAULT_RECIPIENTS",
    "HIGHLIGHTS_KEY",
    "MAX_SECTIONS",
    "MAX_SECTION_TEXT",
    "OVERDUE",
    "OVERDUE_LOOKBACK",
    "SECTION_KEY",
    "DueReminder",
    "ReminderRun",
    "StreamInput",
    "build_workbook",
    "create_template",
    "carry_stream_links",
    "default_title",
    "drop_proposals",
    "due_reminders",
    "ensure_period",
    "export_docx",
    "export_pdf",
    "export_xlsx",
    "generate_consolidated",
    "keep_proposals",
    "may_author",
    "may_write_report",
    "edited_sections",
    "link_stream_issues",
    "mark_seen_by_office",
    "party_document",
    "period_containing",
    "recipients_of",
    "remind_unit",
    "report_tables",
    "restore_proposals",
    "return_report",
    "save_draft",
    "section_titles",
    "send_due_reminders",
    "snapshot",
    "streams_of",
    "submit_report",
    "update_consolidated",
    "update_template",
]
