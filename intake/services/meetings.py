"""The minutes of voter meetings and dialogues: each point raised becomes an opinion item."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from core.errors import ServiceError
from core.models import AuditEntry, Channel
from core.services import audit
from intake.models import Meeting, OpinionItem
from intake.services.common import _choice, _received_on, _unit_for, can_file
from intake.services.items import _create_item, _ItemInput, announce_filed
from orgs.models import Area, OrgUnit, User
from orgs.selectors import visible_unit_ids
from textops import services as textops

MEETING_CHANNELS = {
    Meeting.Kind.VOTER_MEETING: Channel.VOTER_MEETING,
    Meeting.Kind.DIALOGUE: Channel.DIALOGUE,
    Meeting.Kind.RECEPTION: Channel.DIALOGUE,  # a leader listening to residents face to face
}


@dataclass(frozen=True)
class PointInput:
    text: str
    topic_ids: Sequence[int] = ()
    attitude: str = ""
    area: Area | None = None


def file_meeting(
    *,
    user: User,
    kind: str,
    title: str,
    held_on: dt.date,
    place: str,
    delegates: str = "",
    unit: OrgUnit | None = None,
    area: Area | None = None,
    notes: str = "",
    points: Sequence[PointInput] = (),
) -> Meeting:
    """Record the minutes of a voter meeting or dialogue; each point becomes an opinion item."""
    if not can_file(user):
        raise ServiceError("Bạn không có quyền ghi biên bản.")
    kind = _choice(kind, Meeting.Kind, "kind", "loại buổi", required=True)
    title = (title or "").strip()
    place = (place or "").strip()
    if not title:
        raise ServiceError("Hãy nhập tiêu đề buổi tiếp xúc, đối thoại.", field="title")
    if not place:
        raise ServiceError("Hãy nhập địa điểm.", field="place")
    held_on = _received_on(held_on)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            kind=kind,
            title=title[:300],
            held_on=held_on,
            place=place[:300],
            # Minutes name delegates, not residents; still, no phone or ID number is kept.
            delegates=textops.mask_everything(delegates)[0] if delegates.strip() else "",
            unit=_unit_for(user, unit, area),
            area=area,
            notes=textops.mask_everything(notes)[0] if notes.strip() else "",
            created_by=user,
        )
        audit(
            actor=user,
            action=AuditEntry.Action.CREATE,
            obj=meeting,
            unit=meeting.unit,
            summary=f"Ghi biên bản {meeting.get_kind_display().lower()} ngày {held_on:%d/%m/%Y}",
            data={"kind": kind, "points": len(points)},
        )
        filed = []
        analyses = textops.analyse_many([point.text for point in points])  # one batch
        for number, (point, analysis) in enumerate(zip(points, analyses, strict=True), start=1):
            try:
                filed.append(_add_point(user, meeting, point, analysis).pk)
            except ServiceError as exc:
                raise ServiceError(
                    f"Ý kiến thứ {number}: {exc.message}", field=f"points.{number}"
                ) from exc
        announce_filed(filed)
    return meeting


def _add_point(
    user: User, meeting: Meeting, point: PointInput, analysis: textops.Analysis | None = None
) -> OpinionItem:
    return _create_item(
        user,
        _ItemInput(
            text=point.text,
            channel=MEETING_CHANNELS[meeting.kind],
            received_on=meeting.held_on,
            area=point.area or meeting.area,
            unit=meeting.unit,
            topic_ids=point.topic_ids,
            attitude=point.attitude,
            meeting=meeting,
        ),
        analysis,
    )


def add_meeting_point(
    *,
    user: User,
    meeting: Meeting,
    text: str,
    topic_ids: Sequence[int] = (),
    attitude: str = "",
    area: Area | None = None,
) -> OpinionItem:
    """Add one point raised at a meeting: an item on the meeting's channel, date and unit."""
    if not can_file(user):
        raise ServiceError("Bạn không có quyền ghi biên bản.")
    ids = visible_unit_ids(user)
    if ids is not None and meeting.unit_id not in ids:
        raise ServiceError("Bạn chỉ bổ sung được biên bản của đơn vị mình.")
    with transaction.atomic():
        item = _add_point(user, meeting, PointInput(text, topic_ids, attitude, area))
        announce_filed([item.pk])
    return item
