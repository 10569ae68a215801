"""Listeners on the floors below: every write that changes what the picture counts marks the days
it touches as dirty (picture.rollups), in the writer's transaction; the worker, enqueued after the
commit, refreshes them.

What is followed: an opinion item saved (its old day too, when the day moved) or deleted, its
topics and social groups changed; an opinion stream saved, deleted or relabelled (it counts only
while its report is submitted, on the report period's last day); a report submitted, returned or
deleted; items linked to issues in bulk (``issues.signals.items_relinked``) and filed in bulk
(``intake.signals.items_filed``, a safety net after the commit); a unit moved in the org tree, or
an area, topic, social group or issue deleted (their rows are changed by cascades that send no
signal), which marks everything.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from core.models import SocialGroup, Topic
from intake.models import OpinionItem
from intake.signals import items_filed
from issues.models import Issue
from issues.signals import items_relinked
from orgs.models import Area, OrgUnit
from picture import rollups
from picture.models import DirtyDay
from reporting.models import OpinionStream, UnitReport

UID = "picture.rollups."


# -- opinion items ------------------------------------------------------------------------------


def item_before_save(sender, instance: OpinionItem, raw=False, **kwargs) -> None:
    """An edit that moves an item to another day leaves its old day stale too."""
    if raw or instance._state.adding or instance.pk is None:
        return
    old = OpinionItem.objects.filter(pk=instance.pk).values_list("received_on", flat=True).first()
    if old is not None and old != instance.received_on:
        rollups.mark_days([old])


def item_saved(sender, instance: OpinionItem, raw=False, **kwargs) -> None:
    if not raw:
        rollups.mark_days([instance.received_on])


def item_deleted(sender, instance: OpinionItem, **kwargs) -> None:
    rollups.mark_days([instance.received_on])


def item_labels_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """``item.topics`` or ``item.social_groups`` changed (reversed: ``topic.opinionitem_set``)."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        rollups.mark_days([instance.received_on])
    elif action == "pre_clear":
        field = "topics" if isinstance(instance, Topic) else "social_groups"
        ids = OpinionItem.objects.filter(**{field: instance}).values_list("pk", flat=True)
        rollups.mark_days(rollups.days_of_items(ids))
    else:
        rollups.mark_days(rollups.days_of_items(pk_set or ()))


def items_announced(sender, *, item_ids, **kwargs) -> None:
    """Filed in bulk (after the commit). Each item's save already marked its day in the filing
    transaction; only items whose day has no mark standing (rows written without a save) are
    marked here, so an ordinary filing writes nothing more, and reads once: the days of the
    items that have no mark, in one query (it runs after every filing's commit)."""
    ids = list(item_ids)
    if ids:
        rollups.mark_days(
            list(
                OpinionItem.objects.filter(pk__in=ids)
                .exclude(received_on__in=DirtyDay.objects.values("day"))
                .values_list("received_on", flat=True)
                .distinct()
                .order_by()
            )
        )


def items_linked(sender, *, item_ids, **kwargs) -> None:
    rollups.mark_days(rollups.days_of_items(item_ids))


# -- opinion streams and reports ----------------------------------------------------------------


def stream_changed(sender, instance: OpinionStream, raw=False, **kwargs) -> None:
    if raw or instance.report_id is None:
        return
    report = (
        UnitReport.objects.filter(pk=instance.report_id).values_list("state", "period__end").first()
    )
    if report and report[0] == UnitReport.State.SUBMITTED:
        rollups.mark_days([report[1]])


def stream_labels_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        stream_changed(sender, instance)
    elif action == "pre_clear":
        rel = {SocialGroup: "social_groups", Issue: "issues", OpinionItem: "items"}.get(
            type(instance))
        if rel:
            ids = OpinionStream.objects.filter(**{rel: instance}).values_list("pk", flat=True)
            rollups.mark_days(rollups.days_of_streams(ids))
    else:
        rollups.mark_days(rollups.days_of_streams(pk_set or ()))


def report_saved(sender, instance: UnitReport, raw=False, **kwargs) -> None:
    """A report counts while submitted: submitting, returning (and editing a returned report,
    harmlessly) changes its period's last day."""
    if raw:
        return
    if instance.state == UnitReport.State.SUBMITTED or instance.first_submitted_at is not None:
        rollups.mark_days([instance.period.end])


def report_deleted(sender, instance: UnitReport, **kwargs) -> None:
    if instance.state == UnitReport.State.SUBMITTED:
        rollups.mark_days([instance.period.end])


# -- the org tree and the labels every row may carry --------------------------------------------


def unit_before_save(sender, instance: OrgUnit, raw=False, **kwargs) -> None:
    """A unit moved under another parent: every ancestor chain below it changed."""
    if raw or instance._state.adding or instance.pk is None:
        return
    old = OrgUnit.objects.filter(pk=instance.pk).values_list("parent_id", flat=True).first()
    if old != instance.parent_id:
        rollups.mark_everything()


def label_deleted(sender, instance, **kwargs) -> None:
    rollups.mark_everything()


def issue_deleted(sender, instance: Issue, **kwargs) -> None:
    ids = OpinionItem.objects.filter(issue=instance).values_list("pk", flat=True)
    rollups.mark_days(rollups.days_of_items(ids))
    streams = OpinionStream.objects.filter(issues=instance).values_list("pk", flat=True)
    rollups.mark_days(rollups.days_of_streams(streams))


_CONNECTED: list[tuple] = []  # (signal, sender, dispatch_uid) of each connection


def _on(signal, receiver, uid: str, sender=None) -> None:
    signal.connect(receiver, sender=sender, dispatch_uid=UID + uid)
    _CONNECTED.append((signal, sender, UID + uid))


def disconnect() -> None:
    """Stop following writes (the benchmark's "rollups off"; connect() follows them again)."""
    while _CONNECTED:
        signal, sender, uid = _CONNECTED.pop()
        signal.disconnect(sender=sender, dispatch_uid=uid)


def connect() -> None:
    _on(pre_save, item_before_save, "item_before", OpinionItem)
    _on(post_save, item_saved, "item_saved", OpinionItem)
    _on(post_delete, item_deleted, "item_deleted", OpinionItem)
    for field in (OpinionItem.topics, OpinionItem.social_groups):
        _on(m2m_changed, item_labels_changed, f"item_{field.field.name}", field.through)
    _on(items_filed, items_announced, "items_filed")
    _on(items_relinked, items_linked, "items_relinked")
    _on(post_save, stream_changed, "stream_saved", OpinionStream)
    _on(post_delete, stream_changed, "stream_deleted", OpinionStream)
    # A stream's items decide whether it counts at all (picture.counting.counted_streams).
    for field in (OpinionStream.social_groups, OpinionStream.issues, OpinionStream.items):
        _on(m2m_changed, stream_labels_changed, f"stream_{field.field.name}", field.through)
    _on(post_save, report_saved, "report_saved", UnitReport)
    _on(post_delete, report_deleted, "report_deleted", UnitReport)
    _on(pre_save, unit_before_save, "unit_before", OrgUnit)
    for model in (Area, Topic, SocialGroup):
        _on(pre_delete, label_deleted, model.__name__, model)
    _on(pre_delete, issue_deleted, "issue_deleted", Issue)
