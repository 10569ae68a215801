"""Writes of the petitions app: rounds, delegate groups, a meeting's place in a round, and what
was done with each voter's point. Keyword-only arguments, one transaction, an audit entry each;
a point's marking carries the version the writer read (a concurrent change is refused, never
overwritten)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from core.errors import ConflictError, ServiceError
from core.models import AuditEntry
from core.services import audit, require_office
from intake.models import Meeting, OpinionItem
from issues import services as issue_services
from orgs.models import OrgUnit, User
from orgs.selectors import visible_unit_ids
from petitions.models import DelegateGroup, Field, MeetingLink, Point, Round
from textops import services as textops

RESIDENT_MEETINGS = (Meeting.Kind.VOTER_MEETING, Meeting.Kind.DIALOGUE, Meeting.Kind.RECEPTION)


def _masked(text: str) -> str:
    text = (text or "").strip()
    return textops.mask_everything(text)[0] if text else ""


# --- rounds and delegate groups -----------------------------------------------------------------


@dataclass(frozen=True)
class RoundInput:
    title: str
    timing: str
    session_name: str
    session_on: dt.date
    starts_on: dt.date
    ends_on: dt.date
    council: str = "Thường trực HĐND phường"


def _check_round(data: RoundInput) -> None:
    if not data.title.strip():
        raise ServiceError("Hãy nhập tên đợt tiếp xúc cử tri.", field="title")
    if data.timing not in Round.Timing.values:
        raise ServiceError("Hãy chọn trước hay sau kỳ họp.", field="timing")
    if not data.session_name.strip():
        raise ServiceError("Hãy nhập tên kỳ họp HĐND.", field="session_name")
    if data.ends_on < data.starts_on:
        raise ServiceError("Ngày kết thúc đợt phải sau ngày bắt đầu.", field="ends_on")
    if not data.council.strip():
        raise ServiceError("Hãy nhập cơ quan tổng hợp.", field="council")


def create_round(*, user: User, data: RoundInput) -> Round:
    require_office(user, "tạo đợt tiếp xúc cử tri")
    _check_round(data)
    with transaction.atomic():
        round_ = Round.objects.create(
            title=data.title.strip()[:300], timing=data.timing,
            session_name=data.session_name.strip()[:300], session_on=data.session_on,
            starts_on=data.starts_on, ends_on=data.ends_on, council=data.council.strip()[:200],
            created_by=user)
        audit(actor=user, action=AuditEntry.Action.CREATE, obj=round_, unit=user.unit,
              summary=f"Tạo đợt tiếp xúc cử tri “{round_.title}”",
              data={"timing": round_.timing, "session_on": round_.session_on.isoformat()})
    return round_


def create_delegate_group(*, user: User, name: str, members: str = "") -> DelegateGroup:
    require_office(user, "tạo tổ đại biểu")
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError("Hãy nhập tên tổ đại biểu.", field="name")
    if DelegateGroup.objects.filter(name__iexact=name).exists():
        raise ServiceError(f"Đã có “{name}”.", field="name")
    with transaction.atomic():
        group = DelegateGroup.objects.create(name=name[:200], members=_masked(members))
        audit(actor=user, action=AuditEntry.Action.CREATE, obj=group, unit=user.unit,
              summary=f"Tạo {group.name}")
    return group


# --- a meeting's place ----------------------------------------------------------------------


def can_mark(user: User, meeting: Meeting) -> bool:
    """The office, and the responsible persons of the meeting's unit (or a unit above it)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_office:
        return True
    if user.role != User.Role.REPORTER:
        return False
    ids = visible_unit_ids(user)
    return ids is not None and meeting.unit_id in ids


def _require_marker(user: User, meeting: Meeting) -> None:
    if not can_mark(user, meeting):
        raise ServiceError("Chỉ Ban Xây dựng Đảng và đơn vị tổ chức buổi được cập nhật kiến nghị"
                           " của buổi này.", field="user")


def link_meeting(
    *,
    user: User,
    meeting: Meeting,
    round_: Round | None,
    delegate_group: DelegateGroup | None = None,
    leader: User | None = None,
) -> MeetingLink:
    """Put a meeting in a round (or none), with its delegate group and the leader who chaired it."""
    _require_marker(user, meeting)
    if meeting.kind not in RESIDENT_MEETINGS:
        raise ServiceError("Chỉ gắn được buổi tiếp xúc cử tri, đối thoại, tiếp công dân.",
                           field="meeting")
    if round_ is not None and meeting.kind != Meeting.Kind.VOTER_MEETING:
        raise ServiceError("Chỉ buổi tiếp xúc cử tri thuộc một đợt tiếp xúc cử tri.",
                           field="round")
    if round_ is not None and not round_.starts_on <= meeting.held_on <= round_.ends_on:
        raise ServiceError(
            f"Buổi ngày {meeting.held_on:%d/%m/%Y} nằm ngoài thời gian của đợt"
            f" ({round_.starts_on:%d/%m/%Y}–{round_.ends_on:%d/%m/%Y}).", field="round")
    if leader is not None and not leader.is_leader:
        raise ServiceError("Người chủ trì phải là tài khoản lãnh đạo.", field="leader")
    with transaction.atomic():
        link, created = MeetingLink.objects.select_for_update().get_or_create(meeting=meeting)
        before = {"round": link.round_id, "delegate_group": link.delegate_group_id,
                  "leader": link.leader_id}
        link.round, link.delegate_group, link.leader = round_, delegate_group, leader
        link.save()
        after = {"round": link.round_id, "delegate_group": link.delegate_group_id,
                 "leader": link.leader_id}
        audit(actor=user, action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
              obj=link, unit=meeting.unit,
              summary=f"Gắn buổi ngày {meeting.held_on:%d/%m/%Y}"
                      + (f" vào đợt “{round_.title}”" if round_ else " (không thuộc đợt nào)"),
              data={"meeting": meeting.pk, "before": before, "after": after})
    return link


# --- marking a point ------------------------------------------------------------------------


@dataclass(frozen=True)
class MarkInput:
    disposition: str
    field: str = Field.OTHER
    agency: OrgUnit | None = None
    agency_name: str = ""
    answered_by: str = ""
    answer: str = ""
    due_on: dt.date | None = None


def _check_mark(data: MarkInput) -> None:
    if data.disposition not in Point.Disposition.values:
        raise ServiceError("Hãy chọn cách xử lý ý kiến.", field="disposition")
    if data.field not in Field.values:
        raise ServiceError("Hãy chọn lĩnh vực.", field="field")
    if data.disposition == Point.Disposition.ANSWERED:
        if not data.answered_by.strip():
            raise ServiceError("Hãy ghi ai đã trả lời tại hội nghị.", field="answered_by")
        if not data.answer.strip():
            raise ServiceError("Hãy ghi nội dung đã trả lời tại hội nghị.", field="answer")
    if data.disposition == Point.Disposition.REFERRED:
        if data.agency is None and not data.agency_name.strip():
            raise ServiceError("Hãy chọn hoặc ghi cơ quan phải trả lời.", field="agency")
        if data.due_on is None:
            raise ServiceError("Hãy ghi hạn trả lời của cơ quan.", field="due_on")


def _issue_for(user: User, item: OpinionItem, data: MarkInput, meeting: Meeting):
    """The issue a point becomes: the one its item already joined, or a new one (the office)."""
    if item.issue_id:
        issue = item.issue
        while issue.merged_into_id:  # an alias leads to the issue kept
            issue = issue.merged_into
        return issue
    if not user.is_office:
        raise ServiceError("Ý kiến này chưa thuộc vấn đề nào; chỉ Ban Xây dựng Đảng mở vấn đề"
                           " mới.", field="disposition")
    return issue_services.open_issue(
        user=user, topic=item.topics.order_by("pk").first(), area=item.area or meeting.area,
        owner_unit=data.agency or meeting.unit,
        note=f"Kiến nghị cử tri tại buổi ngày {meeting.held_on:%d/%m/%Y} (ý kiến #{item.pk}).")


def mark_point(
    *, user: User, item: OpinionItem, data: MarkInput, expected_version: int | None
) -> Point:
    """Say what was done with a point: answered at the meeting, passed to an agency, made an issue.

    ``expected_version`` is the version the writer read (0 for a point not marked yet)."""
    meeting = item.meeting
    if meeting is None:
        raise ServiceError("Ý kiến này không thuộc buổi tiếp xúc, đối thoại nào.", field="item")
    _require_marker(user, meeting)
    _check_mark(data)
    with transaction.atomic():
        point = Point.objects.select_for_update().filter(item=item).first()
        current = point.version if point else 0
        if expected_version is None or int(expected_version) != current:
            raise ConflictError(
                f"Ý kiến #{item.pk} vừa được người khác cập nhật sau khi bạn mở trang. Hãy tải"
                " lại trang để xem thay đổi rồi làm lại.", field="version")
        before = _snapshot(point)
        point = point or Point(item=item)
        point.field = data.field
        point.agency = data.agency
        point.agency_name = "" if data.agency else data.agency_name.strip()[:200]
        point.disposition = data.disposition
        point.answered_by = point.answer = point.reply = ""
        point.due_on = point.replied_on = point.issue = None
        if data.disposition == Point.Disposition.ANSWERED:
            point.answered_by = data.answered_by.strip()[:200]
            point.answer = _masked(data.answer)
        elif data.disposition == Point.Disposition.REFERRED:
            point.due_on = data.due_on
            if before and before["disposition"] == Point.Disposition.REFERRED:
                point.reply, point.replied_on = before["reply"], before["replied_on"]
        else:
            point.issue = _issue_for(user, item, data, meeting)
        point.marked_by = user
        point.version = current + 1
        point.save()
        after = _snapshot(point)
        changed = sorted(k for k in after if not before or before[k] != after[k])
        audit(actor=user, action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
              obj=point, unit=meeting.unit,
              summary=f"Kiến nghị #{item.pk}: {point.get_disposition_display().lower()}"
                      + (f" (trước: {Point.Disposition(before['disposition']).label.lower()})"
                         if before and before["disposition"] != point.disposition else ""),
              data={"item": item.pk, "changed": changed,
                    "before": _loggable(before), "after": _loggable(after)})
    return point


def record_reply(
    *, user: User, point: Point, reply: str, replied_on: dt.date, expected_version: int | None
) -> Point:
    """The agency's answer to a point passed to it, and the day it answered."""
    meeting = point.item.meeting
    _require_marker(user, meeting)
    if point.disposition != Point.Disposition.REFERRED:
        raise ServiceError("Chỉ ghi trả lời của cơ quan cho ý kiến đã chuyển cơ quan.",
                           field="reply")
    if not (reply or "").strip():
        raise ServiceError("Hãy ghi nội dung trả lời của cơ quan.", field="reply")
    if replied_on is None:
        raise ServiceError("Hãy ghi ngày cơ quan trả lời.", field="replied_on")
    if replied_on < meeting.held_on:
        raise ServiceError("Ngày trả lời không thể trước ngày tiếp xúc.", field="replied_on")
    with transaction.atomic():
        locked = Point.objects.select_for_update().get(pk=point.pk)
        if expected_version is None or int(expected_version) != locked.version:
            raise ConflictError(
                f"Ý kiến #{locked.item_id} vừa được người khác cập nhật sau khi bạn mở trang."
                " Hãy tải lại trang để xem thay đổi rồi làm lại.", field="version")
        if locked.disposition != Point.Disposition.REFERRED:
            raise ServiceError("Ý kiến này không còn ở trạng thái chuyển cơ quan.", field="reply")
        had = locked.replied_on
        locked.reply = _masked(reply)
        locked.replied_on = replied_on
        locked.marked_by = user
        locked.version += 1
        locked.save()
        audit(actor=user, action=AuditEntry.Action.UPDATE, obj=locked, unit=meeting.unit,
              summary=f"Kiến nghị #{locked.item_id}: ghi trả lời của {locked.agency_label}"
                      f" ngày {replied_on:%d/%m/%Y}",
              data={"item": locked.item_id, "replied_on": replied_on.isoformat(),
                    "replaced": had.isoformat() if had else None})
    return locked


def _snapshot(point: Point | None) -> dict | None:
    if point is None:
        return None
    return {"disposition": point.disposition, "field": point.field,
            "agency": point.agency_id, "agency_name": point.agency_name,
            "answered_by": point.answered_by, "answer": point.answer, "due_on": point.due_on,
            "reply": point.reply, "replied_on": point.replied_on, "issue": point.issue_id}


def _loggable(snapshot: dict | None) -> dict | None:
    """What the audit keeps of a marking: no free text (masked or not), only the facts."""
    if snapshot is None:
        return None
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in snapshot.items()
            if k not in ("answer", "reply")}
