"""Writes of the issues app: grouping items into issues, the lifecycle, answers, burst alerts.

One module per subject: :mod:`~issues.services.grouping` (new items into issues),
:mod:`~issues.services.corrections` (merge and split), :mod:`~issues.services.proposals`
(the engine's merge proposals, accepted or dismissed by the office),
:mod:`~issues.services.lifecycle` (status and assignment), :mod:`~issues.services.answers`,
:mod:`~issues.services.bursts` (alerts), with
the helpers they share in :mod:`~issues.services.common`. This package is the app's write API:
callers use ``from issues import services`` and the names listed in ``__all__``.

Every write that changes the text engine's grouping (new items, merge, split) goes through the
grouper state kept by ``textops.services.with_grouper`` (an optimistic version on one row, redone
on a conflict). So two workers can never overwrite each other's grouping, and the database rows
(issues, ``item.issue``) always agree with the saved engine state.
"""

from issues.services.answers import publish_answer
from issues.services.bursts import (
    BURST_HISTORY_DAYS,
    BURST_LOCK,
    BurstRun,
    Signal,
    acknowledge_alert,
    detect_bursts,
    raise_issue_alert,
)
from issues.services.common import STATUS_LABELS
from issues.services.corrections import merge_issues, split_issue
from issues.services.grouping import (
    GROUP_BATCH,
    TITLE_MAX,
    GroupingRun,
    draft_title,
    group_pending_items,
    next_code,
    open_engine_issue,
)
from issues.services.lifecycle import (
    OWNER_TRANSITIONS,
    TRANSITIONS,
    allowed_next,
    assign,
    change_status,
    rename,
)
from issues.services.opening import open_issue
from issues.services.proposals import accept_proposal, dismiss_proposal, propose_merges

__all__ = [
    "BURST_HISTORY_DAYS",
    "BURST_LOCK",
    "GROUP_BATCH",
    "OWNER_TRANSITIONS",
    "STATUS_LABELS",
    "TITLE_MAX",
    "TRANSITIONS",
    "BurstRun",
    "GroupingRun",
    "Signal",
    "accept_proposal",
    "acknowledge_alert",
    "allowed_next",
    "assign",
    "change_status",
    "detect_bursts",
    "dismiss_proposal",
    "draft_title",
    "group_pending_items",
    "merge_issues",
    "next_code",
    "open_engine_issue",
    "open_issue",
    "propose_merges",
    "raise_issue_alert",
    "rename",
    "publish_answer",
    "split_issue",
]
