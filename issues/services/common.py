"""What every issue writer shares: the status names, the row lock, the version check, events."""

from __future__ import annotations

from core.errors import ConflictError
from issues.models import Issue, IssueEvent

S = Issue.Status
STATUS_LABELS = dict(S.choices)


def _locked(issue: Issue) -> Issue:
    return Issue.objects.select_for_update().get(pk=issue.pk)


def _check_version(issue: Issue, expected_version: int | None) -> None:
    if expected_version is not None and issue.version != expected_version:
        raise ConflictError(
            f"Vấn đề {issue.code} vừa được người khác cập nhật (phiên bản {issue.version}); "
            "hãy tải lại trang rồi làm lại.",
            field="version",
        )


def _event(issue: Issue, user, kind: str, *, from_value="", to_value="", note="") -> None:
    IssueEvent.objects.create(
        issue=issue, actor=user if getattr(user, "is_authenticated", False) else None,
        kind=kind, from_value=str(from_value)[:300], to_value=str(to_value)[:300], note=note,
    )
