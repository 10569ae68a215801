"""The round's two DOCX reports from the database (the layout is ``petitions.report_docx``):
what each point says, where it was raised, who must answer and what was done; each export is
audited."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from core.models import AuditEntry
from core.services import audit
from intake.models import OpinionItem
from orgs.models import User
from petitions import rules
from petitions import selectors as sel
from petitions.models import Field, Point, Round
from petitions.report_docx import (
    UNCLASSIFIED,
    ReportPoint,
    RoundFacts,
    render_compilation,
    render_result,
)

FIELD_ORDER = {value: index for index, value in enumerate(Field.values)}
KINDS = {"tong-hop": "tổng hợp ý kiến, kiến nghị của cử tri",
         "ket-qua": "kết quả giải quyết, trả lời ý kiến, kiến nghị của cử tri"}


def result_text(point: Point | None) -> str:
    if point is None:
        return "Chưa phân loại, chưa xử lý."
    if point.disposition == Point.Disposition.ANSWERED:
        return f"Đã trả lời tại hội nghị ({point.answered_by}): {point.answer}"
    if point.disposition == Point.Disposition.REFERRED:
        if point.replied_on:
            return f"{point.agency_label} trả lời ngày {point.replied_on:%d/%m/%Y}: {point.reply}"
        return (f"Đã chuyển {point.agency_label}, hạn trả lời {point.due_on:%d/%m/%Y};"
                " chưa có trả lời.")
    issue = point.issue
    due = f", hạn xử lý {issue.due_on:%d/%m/%Y}" if issue.due_on else ""
    return f"Theo dõi thành vấn đề {issue.code} ({issue.get_status_display().lower()}{due})."


def agency_of(point: Point | None) -> str:
    if point is None:
        return ""
    if point.agency_label:
        return point.agency_label
    if point.issue_id and point.issue.owner_unit_id:
        return point.issue.owner_unit.name
    return ""


def report_point(item: OpinionItem, today: dt.date) -> ReportPoint:
    point = getattr(item, "petition", None)
    state = sel.state_of(item, today)
    return ReportPoint(
        text=item.text, field=Field(point.field).label if point else UNCLASSIFIED,
        field_order=FIELD_ORDER[point.field] if point else len(FIELD_ORDER),
        place=f"{item.meeting.title}, ngày {item.meeting.held_on:%d/%m/%Y}",
        agency=agency_of(point), disposition=point.get_disposition_display() if point else "",
        result=result_text(point), state=rules.STATE_LABELS[state],
        answered=state == rules.ANSWERED, overdue=state == rules.OVERDUE,
        due_on=(point.due_on or (point.issue.due_on if point.issue_id else None))
        if point else None,
        at_meeting=bool(point) and point.disposition == Point.Disposition.ANSWERED)


def round_facts(user: User, round_: Round) -> RoundFacts:
    meetings = list(sel.round_meetings(user, round_))
    groups = {m.petition_link.delegate_group_id for m in meetings
              if m.petition_link.delegate_group_id}
    return RoundFacts(
        title=round_.title, timing="trước" if round_.timing == Round.Timing.BEFORE else "sau",
        session_name=round_.session_name, session_on=round_.session_on,
        starts_on=round_.starts_on, ends_on=round_.ends_on, council=round_.council,
        meetings=len(meetings), groups=len(groups))


def export_report(*, user: User, round_: Round, kind: str, now: dt.datetime | None = None) -> bytes:
    """One of the round's two reports over the points the reader may see; audited."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    points = [report_point(item, today) for item in sel.report_points(user, round_)]
    render = render_compilation if kind == "tong-hop" else render_result
    content = render(facts=round_facts(user, round_), points=points,
                     # the council's standing body answers to the ward's Party committee
                     superior_body=settings.LONGDAN_ISSUING_BODY, place=settings.LONGDAN_PLACE,
                     day=today, generated_at=now)
    audit(actor=user, action=AuditEntry.Action.EXPORT, obj=round_, unit=user.unit,
          summary=f"Xuất báo cáo {KINDS[kind]} — {round_.title}"[:500],
          data={"kind": kind, "points": len(points)})
    return content
