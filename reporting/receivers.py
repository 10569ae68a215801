"""Reporting's answers to what the floors below announce (connected in ``ReportingConfig``)."""

from __future__ import annotations

from issues.signals import issue_merged
from reporting import services


def carry_stream_links(sender, *, keep, other, **kwargs) -> None:
    """Streams that named a merged issue name the issue it was merged into as well."""
    services.carry_stream_links(keep=keep, other=other)


def connect() -> None:
    issue_merged.connect(carry_stream_links, dispatch_uid="reporting.carry_stream_links")
