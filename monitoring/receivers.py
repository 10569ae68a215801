"""The monitoring desk's answers to what the floors below announce (connected in
``MonitoringConfig.ready``): ``issues`` may not import this app."""

from __future__ import annotations

from issues.signals import issue_merged
from monitoring.models import Mention, Story


def follow_merged_issue(sender, *, keep, other, **kwargs) -> dict[str, int]:
    """The stories and mentions tied to a merged-away issue follow it to the issue it was merged
    into, in the merge's transaction (a story keeps one issue, and its mentions follow it)."""
    stories = Story.objects.filter(issue=other).update(issue=keep)
    mentions = Mention.objects.filter(issue=other).update(issue=keep)
    return {"stories": stories, "mentions": mentions}


def connect() -> None:
    issue_merged.connect(follow_merged_issue, dispatch_uid="monitoring.follow_merged_issue")
