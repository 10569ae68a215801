"""Writes of the issues app: grouping items into issues, the lifecycle, answers, burst alerts.

Every write that changes the text engine's grouping (new items, merge, split) goes through the
grouper state kept by ``textops.services.with_grouper`` (an optimistic version on one row, redone
on a conflict). So two workers can never overwrite each other's grouping, and the database rows
(issues, ``item.issue``) always agree with the saved engine state.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone

from core.dates import local_today
from core.errors import ConflictError, ServiceError
from core.models import AuditEntry, Topic
from core.services import audit, notify, require_office
from intake.models import OpinionItem, ResidentContact
from issues.models import Answer, BurstAlert, Issue, IssueEvent
from issues.signals import issue_merged
from orgs.models import OrgUnit, User
from textengine import bursts as burst_engine
from textengine.grouping import Grouper
from textops import services as textops

logger = logging.getLogger(__name__)

BURST_LOCK = "bursts"
GROUP_BATCH = 500
BURST_HISTORY_DAYS = 60
TITLE_MAX = 120

S = Issue.Status
STATUS_LABELS = dict(S.choices)

# Who may move an issue where. The ward's rhythm is forward (detected → watched → assigned →
# resolved → answered → closed); the backward steps are the real ones: an owner sent back to
# work, a resident not satisfied with the answer, a closed matter flaring up again.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.DETECTED: (S.WATCHING, S.ASSIGNED, S.CLOSED),
    S.WATCHING: (S.ASSIGNED, S.RESOLVED, S.CLOSED),
    S.ASSIGNED: (S.RESOLVED, S.WATCHING),
    S.RESOLVED: (S.ANSWERED, S.ASSIGNED),
    S.ANSWERED: (S.CLOSED, S.ASSIGNED),
    S.CLOSED: (S.WATCHING,),
}
# The one step the owner unit may take itself: reporting its work done.
OWNER_TRANSITIONS = {(S.ASSIGNED, S.RESOLVED)}





# --- Grouping new items -------------------------------------------------------------------------


_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s")


def draft_title(text: str) -> str:
    """A title from an item's (already masked) text: its first sentence, cut at a word."""
    text = " ".join((text or "").split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0].rstrip(".;:!? ") or text
    if len(first) > TITLE_MAX:
        cut = first[:TITLE_MAX].rsplit(" ", 1)[0]
        first = (cut or first[:TITLE_MAX]).rstrip(",;: ") + "…"
    return first or "Vấn đề chưa đặt tên"


def next_code(day: dt.date) -> str:
    """The next issue code of the year, "VD-2026-0001". Callers hold the grouper row lock,
    which serialises every creation of an issue."""
    prefix = f"VD-{day.year}-"
    codes = Issue.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(c[len(prefix):]) for c in codes if c[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _topic_of(item: OpinionItem) -> Topic | None:
    topics = list(item.topics.all())
    return topics[0] if topics else item.suggested_topic


def _new_issue(*, engine_id: int, item: OpinionItem, title: str = "", actor=None) -> Issue:
    issue = Issue.objects.create(
        code=next_code(local_today()),
        title=title or draft_title(item.text),
        topic=_topic_of(item),
        area=item.area,
        latent=item.latent,
        engine_key=str(engine_id),
        first_seen_on=item.received_on,
        last_seen_on=item.received_on,
    )
    IssueEvent.objects.create(
        issue=issue, actor=actor, kind=IssueEvent.Kind.CREATED, to_value=issue.code,
        note=f"Phát hiện từ ý kiến #{item.pk}.",
    )
    return issue


@dataclass
class GroupingRun:
    items: int = 0
    new_issues: int = 0
    joined: int = 0
    issue_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"items": self.items, "new_issues": self.new_issues, "joined": self.joined}


def _pending(limit: int) -> list[OpinionItem]:
    return list(
        OpinionItem.objects.filter(issue__isnull=True)
        .select_related("area", "suggested_topic")
        .prefetch_related("topics")
        .order_by("received_on", "id")[:limit]
    )


def _group_batch(grouper: Grouper, items: list[OpinionItem], run: GroupingRun) -> None:
    engine_ids = grouper.assign_many((i.pk, i.text, i.received_on) for i in items)
    by_key = {
        issue.engine_key: issue
        for issue in Issue.objects.filter(
            engine_key__in={str(grouper.resolve(e)) for e in engine_ids}
        )
    }
    touched: dict[int, Issue] = {}
    for item, engine_id in zip(items, engine_ids, strict=True):
        key = str(grouper.resolve(engine_id))
        issue = by_key.get(key)
        if issue is None:
            issue = by_key[key] = _new_issue(engine_id=int(key), item=item)
            run.new_issues += 1
        else:
            run.joined += 1
            IssueEvent.objects.create(
                issue=issue, kind=IssueEvent.Kind.ITEM, to_value=f"#{item.pk}",
                note=f"Ý kiến tiếp nhận ngày {item.received_on:%d/%m/%Y}.",
            )
        # Only items still unclaimed: an item filed twice is grouped once.
        OpinionItem.objects.filter(pk=item.pk, issue__isnull=True).update(issue=issue)
        issue.first_seen_on = min(filter(None, [issue.first_seen_on, item.received_on]))
        issue.last_seen_on = max(filter(None, [issue.last_seen_on, item.received_on]))
        touched[issue.pk] = issue
        run.items += 1
    for issue in touched.values():
        Issue.objects.filter(pk=issue.pk).update(
            first_seen_on=issue.first_seen_on, last_seen_on=issue.last_seen_on,
            updated_at=timezone.now(),
        )
    run.issue_ids.extend(touched)


def group_pending_items(*, batch_size: int = GROUP_BATCH) -> GroupingRun:
    """Group every item that has no issue yet, oldest first, into existing or new issues.

    Safe to run from many workers at once (see the module docstring): each batch is grouped and
    saved in one transaction against the grouper version it loaded, and redone on a conflict.
    Side effects: new :class:`Issue` rows, ``item.issue`` set, first/last seen dates, one
    :class:`IssueEvent` per created issue or joined item, one audit entry per batch.
    """
    run = GroupingRun()
    while True:
        before = run.items

        def work(grouper: Grouper) -> int:
            items = _pending(batch_size)
            if items:
                batch = GroupingRun()
                _group_batch(grouper, items, batch)
                audit(
                    actor=None, action=AuditEntry.Action.UPDATE, object_type="issues.issue",
                    summary=f"Nhóm {batch.items} ý kiến vào vấn đề ({batch.new_issues} vấn đề mới)",
                    data=batch.as_dict(),
                )
                run.items += batch.items
                run.new_issues += batch.new_issues
                run.joined += batch.joined
                run.issue_ids.extend(batch.issue_ids)
            return len(items)

        if not OpinionItem.objects.filter(issue__isnull=True).exists():
            return run
        try:
            claimed = textops.with_grouper(work)
        except ConflictError as exc:
            if exc.field != "grouper":
                raise
            # Others keep winning the state: each of them groups what is pending after its own
            # commit, so leaving the rest to them loses nothing.
            logger.info("Nhóm ý kiến: nhường cho tiến trình khác (%s)", exc.message)
            return run
        if claimed < batch_size or run.items == before:
            return run


# --- Office corrections: merge and split --------------------------------------------------------


def _engine_id(issue: Issue) -> int:
    if not issue.engine_key or not issue.engine_key.isdigit():
        raise ServiceError(
            f"Vấn đề {issue.code} không do máy nhóm nên không gộp, tách được.", field="issue"
        )
    return int(issue.engine_key)


def _locked(issue: Issue) -> Issue:
    return Issue.objects.select_for_update().get(pk=issue.pk)


def _check_version(issue: Issue, expected_version: int | None) -> None:
    if expected_version is not None and issue.version != expected_version:
        raise ConflictError(
            f"Vấn đề {issue.code} vừa được người khác cập nhật (phiên bản {issue.version}); "
            "hãy tải lại trang rồi làm lại.",
            field="version",
        )


def _refresh_span(issue: Issue) -> None:
    span = OpinionItem.objects.filter(issue=issue).aggregate(
        first=Min("received_on"), last=Max("received_on")
    )
    issue.first_seen_on, issue.last_seen_on = span["first"], span["last"]


def _event(issue: Issue, user, kind: str, *, from_value="", to_value="", note="") -> None:
    IssueEvent.objects.create(
        issue=issue, actor=user if getattr(user, "is_authenticated", False) else None,
        kind=kind, from_value=str(from_value)[:300], to_value=str(to_value)[:300], note=note,
    )


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
        moved = OpinionItem.objects.filter(issue=gone).update(issue=kept)
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
    title = " ".join((title or "").split())
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


# --- Lifecycle ----------------------------------------------------------------------------------


def allowed_next(issue: Issue, user: User | None = None) -> list[str]:
    """Statuses ``user`` may move the issue to now (all the table allows when no user)."""
    targets = list(TRANSITIONS.get(issue.status, ()))
    if user is None or user.is_office:
        return targets
    if _is_owner(user, issue):
        return [t for t in targets if (issue.status, t) in OWNER_TRANSITIONS]
    return []


def _is_owner(user: User, issue: Issue) -> bool:
    return bool(user.unit_id) and user.unit_id == issue.owner_unit_id and not user.sees_everything


def change_status(
    *, user: User, issue: Issue, to_status: str, note: str = "", expected_version: int | None
) -> Issue:
    """Move ``issue`` along its lifecycle (see ``TRANSITIONS``); records an event and an audit.

    The office may take any allowed step; the owner unit may report its work done."""
    if to_status not in STATUS_LABELS:
        raise ServiceError(f"Trạng thái “{to_status}” không có.", field="status")
    with transaction.atomic():
        current = _locked(issue)
        _check_version(current, expected_version)
        if current.merged_into_id:
            raise ServiceError(
                f"Vấn đề {current.code} đã gộp vào vấn đề khác; hãy cập nhật vấn đề đó.",
                field="status",
            )
        if not (user.is_office or _is_owner(user, current)):
            raise ServiceError(
                "Chỉ Ban Xây dựng Đảng hoặc đơn vị chịu trách nhiệm được đổi trạng thái.",
                field="status",
            )
        frm = current.status
        if to_status not in TRANSITIONS.get(frm, ()):
            allowed = ", ".join(f"“{STATUS_LABELS[s]}”" for s in TRANSITIONS.get(frm, ()))
            raise ServiceError(
                f"Trạng thái: không thể chuyển từ “{STATUS_LABELS[frm]}” sang "
                f"“{STATUS_LABELS[to_status]}”; chỉ chuyển được sang {allowed}.",
                field="status",
            )
        if not user.is_office and (frm, to_status) not in OWNER_TRANSITIONS:
            raise ServiceError(
                "Trạng thái: đơn vị chịu trách nhiệm chỉ báo được “Đã giải quyết”; "
                "bước khác do Ban Xây dựng Đảng thực hiện.",
                field="status",
            )
        if to_status == S.ASSIGNED and not current.owner_unit_id:
            raise ServiceError(
                "Đơn vị chịu trách nhiệm: hãy giao cho một đơn vị trước khi chuyển sang "
                "“Đã giao xử lý”.",
                field="owner_unit",
            )
        current.status = to_status
        current.version += 1
        current.save()
        note = (note or "").strip()
        _event(current, user, IssueEvent.Kind.STATUS, from_value=STATUS_LABELS[frm],
               to_value=STATUS_LABELS[to_status], note=note)
        audit(actor=user, action=AuditEntry.Action.UPDATE, obj=current, unit=user.unit,
              summary=f"{current.code}: {STATUS_LABELS[frm]} → {STATUS_LABELS[to_status]}",
              data={"from": frm, "to": to_status, "note": note[:300]})
    return current


def assign(
    *, user: User, issue: Issue, owner_unit: OrgUnit | None, due_on: dt.date | None,
    expected_version: int | None,
) -> Issue:
    """Give the issue an owner unit and a due date (office only).

    An issue still "detected" or "watched" becomes "assigned"; the owner unit's members are
    told in the app."""
    require_office(user, "giao xử lý vấn đề")
    if owner_unit is None:
        raise ServiceError("Đơn vị chịu trách nhiệm: hãy chọn một đơn vị.", field="owner_unit")
    today = local_today()
    if owner_unit.closed_on and owner_unit.closed_on < today:
        raise ServiceError(
            f"Đơn vị chịu trách nhiệm: {owner_unit.name} đã giải thể hoặc sáp nhập.",
            field="owner_unit",
        )
    with transaction.atomic():
        current = _locked(issue)
        _check_version(current, expected_version)
        if current.merged_into_id:
            raise ServiceError(f"Vấn đề {current.code} đã gộp vào vấn đề khác.",
                               field="owner_unit")
        if due_on is not None and due_on < today and due_on != current.due_on:
            raise ServiceError("Hạn xử lý: không được trước ngày hôm nay.", field="due_on")
        old_owner, old_due = current.owner_unit, current.due_on
        current.owner_unit, current.due_on = owner_unit, due_on
        if old_owner != owner_unit:
            _event(current, user, IssueEvent.Kind.ASSIGNED, from_value=old_owner or "",
                   to_value=owner_unit.name)
        if old_due != due_on:
            _event(current, user, IssueEvent.Kind.DUE,
                   from_value=f"{old_due:%d/%m/%Y}" if old_due else "",
                   to_value=f"{due_on:%d/%m/%Y}" if due_on else "")
        if current.status in (S.DETECTED, S.WATCHING):
            _event(current, user, IssueEvent.Kind.STATUS,
                   from_value=STATUS_LABELS[current.status], to_value=STATUS_LABELS[S.ASSIGNED])
            current.status = S.ASSIGNED
        current.version += 1
        current.save()
        if old_owner != owner_unit:
            _notify_owner(current)
        audit(actor=user, action=AuditEntry.Action.UPDATE, obj=current, unit=owner_unit,
              summary=f"Giao {current.code} cho {owner_unit.name}"
              + (f", hạn {due_on:%d/%m/%Y}" if due_on else ""),
              data={"owner_unit": owner_unit.pk, "due_on": due_on.isoformat() if due_on else None})
    return current


def _notify_owner(issue: Issue) -> None:
    url = reverse("issue_detail", args=[issue.pk])
    due = f", hạn {issue.due_on:%d/%m/%Y}" if issue.due_on else ""
    users = User.objects.filter(unit=issue.owner_unit, is_active=True)
    notify(users, url=url, text=f"Đơn vị được giao xử lý vấn đề {issue.code}: {issue.title}{due}")


# --- Answers ------------------------------------------------------------------------------------


def publish_answer(
    *, user: User, title: str, body: str, kind: str, issue_ids: Iterable[int],
    item_ids: Iterable[int] = (), answering_unit: OrgUnit | None = None,
) -> Answer:
    """Publish an answer or clarification linked to issues and items (office only).

    Linked open issues become "answered"; every resident who asked for a reply on a linked item
    (or an item of a linked issue) and left an e-mail gets one, sent after the commit, and their
    contact's ``notified_at`` is set. The public page shows the answer at once."""
    require_office(user, "công bố trả lời")
    title, body = " ".join((title or "").split()), (body or "").strip()
    if not title:
        raise ServiceError("Tiêu đề: không được để trống.", field="title")
    if len(title) > 300:
        raise ServiceError("Tiêu đề: dài quá 300 ký tự.", field="title")
    if not body:
        raise ServiceError("Nội dung: không được để trống.", field="body")
    if kind not in Answer.Kind.values:
        raise ServiceError(f"Loại trả lời “{kind}” không có.", field="kind")
    issue_ids, item_ids = list(dict.fromkeys(issue_ids)), list(dict.fromkeys(item_ids))
    if not issue_ids:
        raise ServiceError("Vấn đề: hãy chọn ít nhất một vấn đề được trả lời.", field="issue_ids")
    with transaction.atomic():
        issues = list(Issue.objects.select_for_update().filter(pk__in=issue_ids).order_by("pk"))
        if len(issues) != len(issue_ids):
            raise ServiceError("Vấn đề: có mã vấn đề không tồn tại.", field="issue_ids")
        items = list(OpinionItem.objects.filter(pk__in=item_ids))
        if len(items) != len(item_ids):
            raise ServiceError("Ý kiến: có mã ý kiến không tồn tại.", field="item_ids")
        answer = Answer.objects.create(
            kind=kind, title=title, body=body, answering_unit=answering_unit,
            published_at=timezone.now(), created_by=user,
        )
        answer.issues.set(issues)
        answer.items.set(items)
        for issue in issues:
            _event(issue, user, IssueEvent.Kind.ANSWER, to_value=answer.title,
                   note=f"Công bố {answer.get_kind_display().lower()} #{answer.pk}.")
            if issue.is_open:
                _event(issue, user, IssueEvent.Kind.STATUS, from_value=STATUS_LABELS[issue.status],
                       to_value=STATUS_LABELS[S.ANSWERED])
                issue.status = S.ANSWERED
            issue.version += 1
            issue.save()
        notified = _notify_residents(answer, issue_ids, item_ids)
        audit(actor=user, action=AuditEntry.Action.CREATE, obj=answer, unit=user.unit,
              summary=f"Công bố trả lời “{title[:200]}” ({len(issues)} vấn đề, "
              f"báo {notified} người dân)",
              data={"issues": issue_ids, "items": item_ids, "notified": notified})
    return answer


def _notify_residents(answer: Answer, issue_ids: list[int], item_ids: list[int]) -> int:
    contacts = list(
        ResidentContact.objects.select_related("item")
        .filter(item__wants_reply=True)
        .exclude(email="")
        .filter(Q(item__issue_id__in=issue_ids) | Q(item_id__in=item_ids))
        .order_by("pk")
    )
    if not contacts:
        return 0
    now = timezone.now()
    ResidentContact.objects.filter(pk__in=[c.pk for c in contacts]).update(notified_at=now)
    messages = [_answer_email(answer, contact) for contact in contacts]
    transaction.on_commit(lambda: _send_all(messages))
    return len(contacts)


def _answer_email(answer: Answer, contact: ResidentContact) -> EmailMessage:
    link = settings.LONGDAN_SITE_URL + reverse("public_answer", args=[answer.pk])
    code = contact.item.tracking_code
    greeting = f"Kính gửi {contact.name}," if contact.name else "Kính gửi ông/bà,"
    lines = [
        greeting,
        "",
        f"Ý kiến ông/bà gửi ngày {contact.item.received_on:%d/%m/%Y}"
        + (f" (mã tra cứu {code})" if code else "")
        + " đã được trả lời:",
        "",
        answer.title,
        "",
        answer.body,
        "",
        f"Xem trên trang công khai: {link}",
        "",
        "Trân trọng,",
        "Ban Xây dựng Đảng — Đảng ủy phường Hòa Bình",
    ]
    return EmailMessage(
        subject=f"Trả lời ý kiến của ông/bà: {answer.title}"[:200],
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[contact.email],
    )


def _send_all(messages: list[EmailMessage]) -> None:
    for message in messages:
        try:
            message.send()
        except Exception:  # one refused address must not stop the others
            logger.exception("Không gửi được thư báo trả lời tới %s", message.to)


# --- Alerts -------------------------------------------------------------------------------------


def acknowledge_alert(*, user: User, alert: BurstAlert) -> BurstAlert:
    require_office(user, "xác nhận cảnh báo")
    with transaction.atomic():
        if alert.acknowledged_at is None:
            alert.acknowledged_at, alert.acknowledged_by = timezone.now(), user
            alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
            audit(actor=user, action=AuditEntry.Action.UPDATE, obj=alert, unit=user.unit,
                  summary=f"Đã xem cảnh báo: {alert.reason}")
    return alert


@dataclass
class BurstRun:
    today: dt.date
    created: int = 0
    existing: int = 0

    def as_dict(self) -> dict:
        return {"today": self.today.isoformat(), "created": self.created,
                "existing": self.existing}


def _issue_series(start: dt.date, today: dt.date) -> dict[int, dict[dt.date, int]]:
    rows = (
        OpinionItem.objects.filter(
            issue__merged_into__isnull=True, received_on__range=(start, today),
        )
        .exclude(issue__status__in=[S.ANSWERED, S.CLOSED])
        .exclude(issue__isnull=True)
        .values("issue_id", "received_on")
        .annotate(n=Count("id"))
    )
    series: dict[int, dict[dt.date, int]] = {}
    for row in rows:
        series.setdefault(row["issue_id"], {})[row["received_on"]] = row["n"]
    return series


def _topic_series(start: dt.date, today: dt.date) -> dict[int, dict[dt.date, int]]:
    rows = (
        OpinionItem.objects.filter(received_on__range=(start, today), topics__isnull=False)
        .values("topics", "received_on")
        .annotate(n=Count("id"))
    )
    series: dict[int, dict[dt.date, int]] = {}
    for row in rows:
        series.setdefault(row["topics"], {})[row["received_on"]] = row["n"]
    return series


def detect_bursts(*, today: dt.date | None = None) -> BurstRun:
    """Raise an alert for each open issue and each topic whose last days hold far more items than
    its own baseline (``textengine.bursts``), at most one per issue or topic per day.

    Idempotent: a second run the same day finds the alerts and adds nothing. Runs are serialised
    by a lock row because the unique constraint lets NULL ``issue``/``topic`` through. Each new
    alert notifies the office in the app, with the reason in words."""
    today = today or local_today()
    start = today - dt.timedelta(days=BURST_HISTORY_DAYS)
    run = BurstRun(today)
    issue_found = burst_engine.detect_many(_issue_series(start, today), today)
    # A topic is observed since the ward's first item (or the start of the history looked at):
    # its quiet days before a burst are part of its baseline.
    earliest = OpinionItem.objects.aggregate(first=Min("received_on"))["first"] or today
    observed_from = max(earliest, start)
    topic_found = []
    for key, counts in _topic_series(start, today).items():
        burst = burst_engine.detect(counts, today, history_start=observed_from)
        if burst is not None:
            topic_found.append((key, burst))
    with transaction.atomic():
        textops.lock_state(BURST_LOCK)
        issues = Issue.objects.in_bulk([k for k, _ in issue_found])
        topics = Topic.objects.in_bulk([k for k, _ in topic_found])
        office = list(User.objects.filter(role=User.Role.OFFICE, is_active=True))
        for key, burst in issue_found:
            _raise_alert(run, burst, today, office, issue=issues[key])
        for key, burst in topic_found:
            _raise_alert(run, burst, today, office, topic=topics[key])
        if run.created:
            audit(actor=None, action=AuditEntry.Action.CREATE, object_type="issues.burstalert",
                  summary=f"Phát hiện {run.created} dấu hiệu dư luận mới nổi ngày "
                  f"{today:%d/%m/%Y}", data=run.as_dict())
    return run


def _raise_alert(run: BurstRun, burst, today: dt.date, office: list[User], *,
                 issue: Issue | None = None, topic: Topic | None = None) -> None:
    if BurstAlert.objects.filter(issue=issue, topic=topic, detected_on=today).exists():
        run.existing += 1
        return
    BurstAlert.objects.create(
        issue=issue, topic=topic, detected_on=today, window_days=burst.window_days,
        count=burst.count, baseline=round(burst.expected, 3), score=round(burst.score, 3),
        reason=burst.reason[:300],
    )
    run.created += 1
    subject = f"vấn đề {issue.code} “{issue.title}”" if issue else f"chủ đề “{topic}”"
    text = f"Dư luận mới nổi ở {subject}: {burst.reason}."
    url = reverse("issue_detail", args=[issue.pk]) if issue else reverse("alert_list")
    notify(office, text=text, url=url)
    if issue is not None:
        _event(issue, None, IssueEvent.Kind.NOTE, note=f"Cảnh báo dư luận mới nổi: {burst.reason}")
