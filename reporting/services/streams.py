"""Links from a report's opinion streams to issues (issue 3): set by people, carried on merges."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from core.errors import LockedError, ServiceError
from core.models import AuditEntry
from core.services import audit
from issues.models import Issue
from orgs.models import User
from reporting.models import OpinionStream


def link_stream_issues(*, user: User, stream: OpinionStream, issues: Iterable[Issue]) -> None:
    """Say which issues a report's opinion stream summarises (replaces the previous links).

    The caller passes issues read through the reader's scope; the office and the reporting
    unit's own members may link."""
    report = stream.report
    if not (user.is_office or (user.role == User.Role.REPORTER and user.unit_id
                                and user.unit_id == report.unit_id)):
        raise ServiceError("Chỉ đơn vị báo cáo và Ban Xây dựng Đảng được liên kết vấn đề.",
                           field="issues")
    if report.approval == "accepted":
        raise LockedError("Báo cáo đã được chấp nhận nên bị khóa; Ban Xây dựng Đảng mở khóa"
                          " trước khi sửa liên kết.", field="issues")
    issues = list(issues)
    with transaction.atomic():
        before = sorted(stream.issues.values_list("code", flat=True))
        stream.issues.set(issues)
        after = sorted(i.code for i in issues)
        audit(actor=user, action=AuditEntry.Action.UPDATE, obj=stream, unit=report.unit,
              summary=f"Liên kết luồng ý kiến #{stream.pk} với vấn đề: {', '.join(after) or '—'}",
              data={"before": before, "after": after, "report": report.pk})


def carry_stream_links(*, keep: Issue, other: Issue) -> int:
    """When ``other`` is merged into ``keep``, streams that named ``other`` name ``keep`` too.

    Runs inside the merge's transaction (``issues.signals.issue_merged``); returns the count."""
    streams = list(OpinionStream.objects.filter(issues=other))
    for stream in streams:
        stream.issues.add(keep)
    return len(streams)
