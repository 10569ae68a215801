"""The approval chain of a unit report (issue 15, DHIS2-style), as one pure table.

A report's place in the chain is its ``state`` (draft, submitted, returned: what the unit did)
and its ``approval`` (none, approved by the level above, accepted by the office). Approval is a
second field, not more states, so a report the level above approved or the office accepted is
still "submitted" for every count that asks whether a unit submitted (compliance, the picture,
the scorecards): the chain says who has reviewed it, not whether it came in on time.

The chain of a chi bộ under a đảng bộ: the chi bộ submits; the đảng bộ (the "reviewer")
approves or returns it; the office accepts or returns it. A unit with no level between it and the
ward (a chi bộ directly under the Đảng ủy, the Front...) goes straight to the office. The office
may approve in the đảng bộ's place (as DHIS2 lets a level approve for the levels below it), so a
chain never stays stuck on an absent reviewer; the audit entry says who did. An accepted
report is locked for everyone; only the office unlocks it, with a reason, back to the step before.

This module has no Django import: the services ask :func:`step` what a transition leads to and
raise its refusal as a ``ServiceError``.
"""

from __future__ import annotations

from dataclasses import dataclass

# states (UnitReport.state) and approvals (UnitReport.approval)
DRAFT, SUBMITTED, RETURNED = "draft", "submitted", "returned"
NONE, APPROVED, ACCEPTED = "", "approved", "accepted"

# who acts
UNIT, REVIEWER, OFFICE = "unit", "reviewer", "office"

# actions
SUBMIT, APPROVE, ACCEPT, RETURN, UNLOCK = "submit", "approve", "accept", "return", "unlock"

APPROVAL_LABELS = {
    NONE: "",
    APPROVED: "Cấp trên đã duyệt",
    ACCEPTED: "Ban Xây dựng Đảng đã chấp nhận",
}

ACTION_LABELS = {
    SUBMIT: "nộp",
    APPROVE: "duyệt",
    ACCEPT: "chấp nhận",
    RETURN: "trả lại",
    UNLOCK: "mở khóa",
}


class StepRefused(Exception):
    """The transition is not allowed from where the report stands, or not by this actor."""

    def __init__(self, message: str, field: str = "state"):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Position:
    state: str
    approval: str
    has_reviewer: bool  # a level (a đảng bộ) stands between the unit and the office


def step(at: Position, action: str, actor: str) -> tuple[str, str]:
    """The (state, approval) ``action`` by ``actor`` leads to from ``at``; refused otherwise.

    The single place where the chain is decided: every service goes through it."""
    state, approval = at.state, at.approval
    if approval == ACCEPTED and action != UNLOCK:
        raise StepRefused(
            "Báo cáo đã được Ban Xây dựng Đảng chấp nhận nên bị khóa với mọi người; chỉ Ban Xây"
            " dựng Đảng mở khóa được (ghi rõ lý do)."
        )
    if action == SUBMIT:
        if actor not in (UNIT, OFFICE):
            raise StepRefused("Chỉ đơn vị (hoặc Ban Xây dựng Đảng) nộp được báo cáo.")
        if state == SUBMITTED:
            raise StepRefused("Báo cáo đã nộp.")
        return SUBMITTED, NONE
    if state != SUBMITTED:
        raise StepRefused(f"Báo cáo chưa nộp nên chưa thể {ACTION_LABELS[action]}.")
    if action == APPROVE:
        if not at.has_reviewer:
            raise StepRefused(
                "Đơn vị này nộp thẳng cho Ban Xây dựng Đảng, không qua cấp trên trực tiếp."
            )
        if actor not in (REVIEWER, OFFICE):  # the office may approve for a level that is stuck
            raise StepRefused("Chỉ đảng bộ cấp trên trực tiếp của đơn vị duyệt được báo cáo.")
        if approval == APPROVED:
            raise StepRefused("Báo cáo đã được cấp trên duyệt.")
        return SUBMITTED, APPROVED
    if action == ACCEPT:
        if actor != OFFICE:
            raise StepRefused("Chỉ Ban Xây dựng Đảng chấp nhận được báo cáo.")
        if at.has_reviewer and approval != APPROVED:
            raise StepRefused(
                "Báo cáo đang chờ đảng bộ cấp trên duyệt; chấp nhận được sau khi cấp trên duyệt."
            )
        return SUBMITTED, ACCEPTED
    if action == RETURN:
        if actor == REVIEWER:
            if approval != NONE:
                raise StepRefused(
                    "Cấp trên đã duyệt báo cáo; nay chỉ Ban Xây dựng Đảng trả lại được."
                )
        elif actor != OFFICE:
            raise StepRefused("Chỉ cấp trên trực tiếp hoặc Ban Xây dựng Đảng trả lại được báo cáo.")
        return RETURNED, NONE
    if action == UNLOCK:
        if actor != OFFICE:
            raise StepRefused("Chỉ Ban Xây dựng Đảng mở khóa được báo cáo đã chấp nhận.")
        if approval != ACCEPTED:
            raise StepRefused("Chỉ mở khóa được báo cáo đã chấp nhận.")
        return SUBMITTED, (APPROVED if at.has_reviewer else NONE)
    raise StepRefused(f"Thao tác '{action}' không có.", field="action")


def waits_for(at: Position) -> str | None:
    """Who the report waits for: the unit, the reviewer, the office, or nobody (accepted)."""
    if at.state in (DRAFT, RETURNED):
        return UNIT
    if at.approval == ACCEPTED:
        return None
    if at.has_reviewer and at.approval == NONE:
        return REVIEWER
    return OFFICE
