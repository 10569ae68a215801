"""The office's corrections of the grouping: merging two issues, splitting one."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Max, Min

from core.errors import ServiceError
from core.models import AuditEntry
from core.services import audit, require_office
from intake.models import OpinionItem
from issues.models import Issue, IssueEvent
from issues.services.common import _event, _locked
from issues.services.grouping import _new_issue
from issues.signals import issue_merged, items_relinked
from orgs.models import User
from textengine.grouping import Grouper
from textengine.mask import mask_text
from textops import services as textops


def _engine_id(issue: Issue) -> int:
    if not issue.engine_key or not issue.engine_key.isdigit():
        raise ServiceError(
            f"Vấn đề {issue.code} không do máy nhóm nên không gộp, tách được.", field="issue"
        )
    return int(issue.engine_key)


def _refresh_span(issue: Issue) -> None:
    span = OpinionItem.objects.filter(issue=issue).aggregate(
        first=Min("received_on"), last=Max("received_on")
    )
    issue.first_seen_on, issue.last_seen_on = span["first"], span["last"]


def merge_issues(*, user: User, keep: Issue, other: Issue) -> Issue:
    """Put ``other``'s items into ``keep``; ``other`` stays as an alias (``merged_into``).

    The engine merges the two clusters too, so later items about either part join ``keep``.
    Answers linked to ``other`` are linked to ``keep`` as well; the apps above learn of the merge
    through :data:`issues.signals.issue_merged` (reporting relinks its streams)."""
    require_office(user, "gộp vấn đề")
    if keep.pk == other.pk:
        raise ServiceError("Không thể gộp một vấn đề vào chính nó.", field="other")

    def work(grouper: Grouper) -> Issue:
        kept, gone = _locked(keep), _locked(other)
        for issue, name in ((kept, "keep"), (gone, "other")):
            if issue.merged_into_id:
                raise ServiceError(
                    f"Vấn đề {issue.code} đã được gộp vào vấn đề khác.", field=name
                )
        try:
            grouper.merge(_engine_id(kept), _engine_id(gone))
        except KeyError as exc:
            raise ServiceError("Máy nhóm không biết vấn đề này; hãy báo quản trị.",
                               field="other") from exc
        moving = list(OpinionItem.objects.filter(issue=gone).values_list("pk", flat=True))
        moved = OpinionItem.objects.filter(issue=gone).update(issue=kept)
        items_relinked.send(sender=Issue, item_ids=moving)
        for answer in gone.answers.all():
            answer.issues.add(kept)
        # Apps above (reporting's streams) carry their own links, in this transaction.
        issue_merged.send(sender=Issue, keep=kept, other=gone)
        gone.merged_into = kept
        gone.version += 1
        gone.save(update_fields=["merged_into", "version", "updated_at"])
        _refresh_span(kept)
        kept.latent = kept.latent or gone.latent
        kept.version += 1
        kept.save()
        _event(kept, user, IssueEvent.Kind.MERGED, from_value=gone.code, to_value=kept.code,
               note=f"Gộp {moved} ý kiến của {gone.code}: {gone.title}")
        _event(gone, user, IssueEvent.Kind.MERGED, from_value=gone.code, to_value=kept.code,
               note=f"Đã gộp vào {kept.code}: {kept.title}")
        audit(actor=user, action=AuditEntry.Action.UPDATE, obj=kept, unit=user.unit,
              summary=f"Gộp vấn đề {gone.code} vào {kept.code}",
              data={"keep": kept.pk, "other": gone.pk, "items": moved})
        return kept

    return textops.with_grouper(work)


def split_issue(*, user: User, issue: Issue, item_ids: Iterable[int], title: str) -> Issue:
    """Move ``item_ids`` out of ``issue`` into a new issue titled ``title``.

    The engine records that the two parts are different matters, so a later copy of a moved
    item never drifts back into the old issue (and the other way round)."""
    require_office(user, "tách vấn đề")
    ids = list(dict.fromkeys(int(i) for i in item_ids))
    title = mask_text(" ".join((title or "").split()))  # shown outside the office (issue 18)
    if not ids:
        raise ServiceError("Hãy chọn ít nhất một ý kiến để tách.", field="item_ids")
    if len(title) > 300:
        raise ServiceError("Tên vấn đề mới dài quá 300 ký tự.", field="title")

    def work(grouper: Grouper) -> Issue:
        source = _locked(issue)
        members = set(OpinionItem.objects.filter(issue=source).values_list("pk", flat=True))
        strangers = [i for i in ids if i not in members]
        if strangers:
            raise ServiceError(
                f"Ý kiến #{strangers[0]} không thuộc vấn đề {source.code}.", field="item_ids"
            )
        if len(ids) == len(members):
            raise ServiceError("Không thể tách toàn bộ ý kiến ra khỏi một vấn đề.",
                               field="item_ids")
        try:
            new_engine_id = grouper.split(_engine_id(source), ids)
        except (KeyError, ValueError) as exc:
            raise ServiceError(f"Máy nhóm từ chối tách: {exc}", field="item_ids") from exc
        first = (OpinionItem.objects.filter(pk__in=ids).select_related("area", "suggested_topic")
                 .prefetch_related("topics").order_by("received_on", "id").first())
        created = _new_issue(engine_id=new_engine_id, item=first, title=title, actor=user)
        OpinionItem.objects.filter(pk__in=ids).update(issue=created)
        items_relinked.send(sender=Issue, item_ids=ids)
        _refresh_span(created)
        created.save()
        _refresh_span(source)
        source.version += 1
        source.save()
        _event(source, user, IssueEvent.Kind.SPLIT, from_value=source.code,
               to_value=created.code, note=f"Tách {len(ids)} ý kiến sang {created.code}.")
        _event(created, user, IssueEvent.Kind.SPLIT, from_value=source.code,
               to_value=created.code, note=f"Tách từ {source.code}: {source.title}")
        audit(actor=user, action=AuditEntry.Action.CREATE, obj=created, unit=user.unit,
              summary=f"Tách {len(ids)} ý kiến từ {source.code} thành {created.code}",
              data={"from": source.pk, "items": ids})
        return created

    return textops.with_grouper(work)
