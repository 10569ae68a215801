"""Writes of the office's findings of distorted or false information (R9): mark a mention, a
story or an issue, add or change the correction published, withdraw a finding. Each in one
transaction with an audit entry; the note and the correction are masked like every stored text."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from core.dates import local_today
from core.errors import ServiceError
from core.models import AuditEntry
from core.services import audit, require_office
from issues.models import Issue
from monitoring.models import Mention, Misinformation, Story
from textops.services import mask_everything

ACTION = "đánh dấu thông tin sai sự thật"


def mark(
    *,
    actor,
    verdict: str,
    note: str,
    mention_id: int | None = None,
    story_id: int | None = None,
    issue_id: int | None = None,
    correction_url: str = "",
    correction_text: str = "",
    corrected_on: dt.date | None = None,
) -> Misinformation:
    """Record that a mention, a story or an issue (exactly one) is distorted or false."""
    require_office(actor, ACTION)
    fields = _checked(verdict, note, correction_url, correction_text, corrected_on)
    with transaction.atomic():
        target = _target(mention_id=mention_id, story_id=story_id, issue_id=issue_id)
        finding = Misinformation.objects.create(created_by=actor, **target, **fields)
        audit(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=finding,
            summary=f"Đánh dấu {finding.get_verdict_display().lower()}: {finding.target_label}",
            data=_facts(finding),
        )
    return finding


def update(
    *,
    actor,
    finding_id: int,
    verdict: str,
    note: str,
    correction_url: str = "",
    correction_text: str = "",
    corrected_on: dt.date | None = None,
) -> Misinformation:
    """Change a finding: its verdict, note, or the correction published (its link, text, day)."""
    require_office(actor, ACTION)
    fields = _checked(verdict, note, correction_url, correction_text, corrected_on)
    with transaction.atomic():
        finding = _locked(finding_id)
        changed = [k for k, v in fields.items() if getattr(finding, k) != v]
        if not changed:
            return finding
        for key in changed:
            setattr(finding, key, fields[key])
        finding.save()
        audit(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=finding,
            summary=f"Cập nhật đánh giá thông tin sai sự thật: {finding.target_label}",
            data=_facts(finding) | {"changed": sorted(changed)},
        )
    return finding


def withdraw(*, actor, finding_id: int) -> None:
    """Remove a finding made in error (the audit log keeps what it said)."""
    require_office(actor, ACTION)
    with transaction.atomic():
        finding = _locked(finding_id)
        audit(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=finding,
            summary=f"Bỏ đánh dấu thông tin sai sự thật: {finding.target_label}",
            data=_facts(finding),
        )
        finding.delete()


# --- checks --------------------------------------------------------------------------------


def _locked(finding_id: int) -> Misinformation:
    finding = (
        Misinformation.objects.select_for_update(of=("self",))
        .select_related("mention", "story", "issue")
        .filter(pk=finding_id)
        .first()
    )
    if finding is None:
        raise ServiceError("Không tìm thấy đánh giá thông tin sai sự thật này.", field="finding")
    return finding


def _target(*, mention_id, story_id, issue_id) -> dict:
    given = [x for x in (mention_id, story_id, issue_id) if x]
    if len(given) != 1:
        raise ServiceError("Hãy chọn đúng một tin, một câu chuyện hoặc một vấn đề.", field="target")
    if mention_id:
        target = {"mention": Mention.objects.filter(pk=mention_id).first()}
        noun = "Tin này"
    elif story_id:
        target = {"story": Story.objects.filter(pk=story_id).first()}
        noun = "Câu chuyện này"
    else:
        target = {"issue": Issue.objects.filter(pk=issue_id).first()}
        noun = "Vấn đề này"
    ((key, obj),) = target.items()
    if obj is None:
        raise ServiceError(f"{noun} không còn trong hệ thống.", field="target")
    if Misinformation.objects.filter(**{key: obj}).exists():
        raise ServiceError(
            f"{noun} đã được đánh dấu; hãy sửa đánh giá đã có thay vì tạo mới.", field="target"
        )
    return target


def _checked(verdict, note, correction_url, correction_text, corrected_on) -> dict:
    if verdict not in Misinformation.Verdict.values:
        raise ServiceError(
            "Kết luận: hãy chọn sai sự thật hoặc xuyên tạc, sai lệch.", field="verdict"
        )
    note = (note or "").strip()
    if not note:
        raise ServiceError(
            "Nhận định của Ban: hãy ghi vì sao thông tin này sai hoặc xuyên tạc.", field="note"
        )
    if len(note) > 4000:
        raise ServiceError("Nhận định của Ban: dài quá 4.000 ký tự.", field="note")
    correction_url = (correction_url or "").strip()
    if correction_url:
        try:
            URLValidator(schemes=["http", "https"])(correction_url)
        except ValidationError as exc:
            raise ServiceError(
                "Đường dẫn bài đính chính: không phải địa chỉ web hợp lệ (http:// hoặc https://).",
                field="correction_url",
            ) from exc
    correction_text = (correction_text or "").strip()
    if len(correction_text) > 8000:
        raise ServiceError("Nội dung đính chính: dài quá 8.000 ký tự.", field="correction_text")
    if corrected_on and corrected_on > local_today():
        raise ServiceError("Ngày đính chính: không được sau hôm nay.", field="corrected_on")
    if corrected_on and not (correction_url or correction_text):
        raise ServiceError(
            "Ngày đính chính: hãy kèm đường dẫn hoặc nội dung bài đính chính.",
            field="corrected_on",
        )
    if (correction_url or correction_text) and not corrected_on:
        raise ServiceError(
            "Ngày đính chính: hãy ghi ngày Ban đăng bài đính chính.", field="corrected_on"
        )
    return {
        "verdict": verdict,
        "note": mask_everything(note)[0],
        "correction_url": correction_url,
        "correction_text": mask_everything(correction_text)[0] if correction_text else "",
        "corrected_on": corrected_on,
    }


def _facts(finding: Misinformation) -> dict:
    return {
        "verdict": finding.verdict,
        "mention": finding.mention_id,
        "story": finding.story_id,
        "issue": finding.issue_id,
        "correction_url": finding.correction_url,
        "corrected_on": finding.corrected_on.isoformat() if finding.corrected_on else None,
    }
