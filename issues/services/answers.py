"""Publishing answers to issues, and telling the residents who asked for a reply."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.errors import ServiceError
from core.models import AuditEntry
from core.services import audit, require_office
from intake.models import OpinionItem, ResidentContact
from issues.models import Answer, Issue, IssueEvent
from issues.services.common import STATUS_LABELS, S, _event
from orgs.models import OrgUnit, User

logger = logging.getLogger(__name__)


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
