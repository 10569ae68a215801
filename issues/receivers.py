"""The issues app's answers to what the floors below announce (connected in ``IssuesConfig``)."""

from __future__ import annotations

import logging

from core.enqueue import enqueue_nudge
from intake.signals import items_filed
from issues import tasks

logger = logging.getLogger(__name__)


def group_filed_items(sender, *, item_ids, **kwargs) -> None:
    """New items were filed: enqueue one grouping run (it takes every pending item).

    Intake sends one signal per committed transaction, so a transaction that filed thousands of
    items costs one run. A nudge (the scheduler enqueues the same run every tick): its commit
    does not wait for the disk a second time after the filing's."""
    try:
        enqueue_nudge(tasks.group_items)
    except Exception:  # grouping is catch-up work; a failed enqueue must not lose the item
        logger.exception("Không xếp được việc gom nhóm ý kiến vào hàng đợi.")


def connect() -> None:
    items_filed.connect(group_filed_items, dispatch_uid="issues.group_filed_items")
