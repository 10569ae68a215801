"""The office decides on a latent-opinion candidate the engine proposed: confirm it (a latent
issue is opened and followed like any other) or dismiss it. Both audited; a candidate is decided
once."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.errors import ConflictError
from core.models import AuditEntry
from core.services import audit, require_office
from issues import services as issues
from orgs.models import User
from picture.models import LatentCandidate


def _locked_proposal(candidate: LatentCandidate) -> LatentCandidate:
    # Lock the candidate alone: its area may be absent, and PostgreSQL cannot lock an outer join.
    locked = (LatentCandidate.objects.select_for_update(of=("self",))
              .select_related("topic", "area").get(pk=candidate.pk))
    if locked.state != LatentCandidate.State.PROPOSED:
        raise ConflictError(
            f"Đề xuất này đã được xử lý ({locked.get_state_display().lower()}).", field="state"
        )
    return locked


def confirm_candidate(*, user: User, candidate: LatentCandidate) -> LatentCandidate:
    """Open a latent issue for the candidate's topic and area, and mark the candidate confirmed."""
    require_office(user, "xác nhận dư luận tiềm ẩn")
    with transaction.atomic():
        locked = _locked_proposal(candidate)
        issue = issues.open_issue(
            user=user, topic=locked.topic, area=locked.area, latent=True,
            note=f"Xác nhận dư luận tiềm ẩn: {locked.reason}",
        )
        locked.state = LatentCandidate.State.CONFIRMED
        locked.issue = issue
        locked.decided_by, locked.decided_at = user, timezone.now()
        locked.save()
        audit(actor=user, action=AuditEntry.Action.UPDATE, obj=locked, unit=user.unit,
              summary=f"Xác nhận dư luận tiềm ẩn, mở vấn đề {issue.code}",
              data={"issue": issue.pk, "topic": locked.topic_id, "area": locked.area_id})
    return locked


def dismiss_candidate(*, user: User, candidate: LatentCandidate) -> LatentCandidate:
    require_office(user, "bỏ qua đề xuất dư luận tiềm ẩn")
    with transaction.atomic():
        locked = _locked_proposal(candidate)
        locked.state = LatentCandidate.State.DISMISSED
        locked.decided_by, locked.decided_at = user, timezone.now()
        locked.save()
        audit(actor=user, action=AuditEntry.Action.UPDATE, obj=locked, unit=user.unit,
              summary=f"Bỏ qua đề xuất dư luận tiềm ẩn: {locked.reason[:120]}",
              data={"topic": locked.topic_id, "area": locked.area_id})
    return locked
