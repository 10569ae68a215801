"""The approval chain's writes (issue 15): the level above approves, the office accepts and
unlocks. The chain itself (what leads where, who may) is the pure table in
:mod:`reporting.approval`; every write here goes through :func:`apply_step` under the row lock,
checks the version the reader saw (optimistic), keeps a version and appends an audit entry.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.errors import ConflictError, ServiceError
from core.models import AuditEntry
from core.services import audit, notify
from core.text import nfc
from orgs.models import OrgUnit, User
from reporting import approval as chain
from reporting.models import UnitReport
from reporting.services.reports import _keep_version, recipients_of

REVIEWING_KINDS = (OrgUnit.Kind.PARTY_COMMITTEE,)


def reviewing_unit(unit: OrgUnit) -> OrgUnit | None:
    """The level between a unit and the office: its parent when that is a đảng bộ trực thuộc."""
    parent = unit.parent
    if parent is not None and parent.kind in REVIEWING_KINDS:
        return parent
    return None


def reviewer_unit_ids(user: User) -> set[int]:
    """The units whose reports ``user`` reviews: the children of the đảng bộ they report for."""
    if user.role != User.Role.REPORTER or user.unit_id is None:
        return set()
    unit = user.unit
    if unit.kind not in REVIEWING_KINDS:
        return set()
    return set(OrgUnit.objects.filter(parent=unit).values_list("pk", flat=True))


def actor_of(user: User, report: UnitReport) -> str | None:
    """How ``user`` stands to ``report`` in the chain: the office, the reviewer, the unit."""
    if user.is_office:
        return chain.OFFICE
    reviewer = reviewing_unit(report.unit)
    if reviewer is not None and user.role == User.Role.REPORTER and user.unit_id == reviewer.pk:
        return chain.REVIEWER
    if user.role == User.Role.REPORTER and user.unit_id == report.unit_id:
        return chain.UNIT
    return None


def position_of(report: UnitReport) -> chain.Position:
    return chain.Position(report.state, report.approval,
                          reviewing_unit(report.unit) is not None)


def apply_step(report: UnitReport, user: User, action: str) -> None:
    """Move ``report`` (read under the row lock) by ``action``; refuse what the chain refuses."""
    try:
        state, approval = chain.step(position_of(report), action, actor_of(user, report) or "")
    except chain.StepRefused as exc:
        raise ServiceError(exc.message, field=exc.field) from exc
    report.state, report.approval = state, approval
    if approval != chain.ACCEPTED:
        report.accepted_at, report.accepted_by = None, None
    if approval == chain.NONE:
        report.approved_at, report.approved_by = None, None


def _locked(report: UnitReport, expected_version: int | None) -> UnitReport:
    current = UnitReport.objects.select_for_update(of=("self",)).select_related("unit__parent").get(
        pk=report.pk)
    if expected_version is None or expected_version != current.version:
        raise ConflictError(
            f"Báo cáo đã thay đổi (phiên bản {current.version}) sau khi đồng chí mở (phiên bản"
            f" {expected_version}). Hãy tải lại trang để xem trước khi thao tác.",
            field="version",
        )
    return current


def approve_report(*, user: User, report: UnitReport, expected_version: int | None) -> UnitReport:
    """The đảng bộ approves a chi bộ's submitted report; it now waits for the office."""
    with transaction.atomic():
        report = _locked(report, expected_version)
        apply_step(report, user, chain.APPROVE)
        report.approved_at, report.approved_by = timezone.now(), user
        report.version += 1
        report.save()
        _keep_version(report, action="approve", user=user)
        audit(actor=user, action=AuditEntry.Action.UPDATE, obj=report, unit=report.unit,
              summary=f"Duyệt báo cáo {report.period} của {report.unit}"
                      + (f" (thay {report.unit.parent})" if user.is_office else ""),
              data={"step": chain.APPROVE, "version": report.version})
    return report


def accept_report(*, user: User, report: UnitReport, expected_version: int | None) -> UnitReport:
    """The office accepts a report: locked for everyone from now on."""
    with transaction.atomic():
        report = _locked(report, expected_version)
        apply_step(report, user, chain.ACCEPT)
        report.accepted_at, report.accepted_by = timezone.now(), user
        report.version += 1
        report.save()
        _keep_version(report, action="accept", user=user)
        audit(actor=user, action=AuditEntry.Action.UPDATE, obj=report, unit=report.unit,
              summary=f"Chấp nhận báo cáo {report.period} của {report.unit}",
              data={"step": chain.ACCEPT, "version": report.version})
        notify(recipients_of(report.unit),
               text=f"Ban Xây dựng Đảng đã chấp nhận báo cáo {report.period} của {report.unit}.",
               url=f"/bao-cao/{report.pk}/")
    return report


def unlock_report(*, user: User, report: UnitReport, reason: str,
                  expected_version: int | None) -> UnitReport:
    """The office unlocks an accepted report, with a reason kept in the audit log; it goes back
    to the step before acceptance (the office may then return it to the unit)."""
    reason = nfc(reason or "").strip()
    if not user.is_office:
        raise ServiceError("Chỉ Ban Xây dựng Đảng mở khóa được báo cáo đã chấp nhận.",
                           field="state")
    if not reason:
        raise ServiceError("Hãy ghi lý do mở khóa: lý do được lưu vào nhật ký.", field="reason")
    if len(reason) > 2000:
        raise ServiceError("Lý do mở khóa quá dài (tối đa 2.000 ký tự).", field="reason")
    with transaction.atomic():
        report = _locked(report, expected_version)
        apply_step(report, user, chain.UNLOCK)
        report.version += 1
        report.save()
        _keep_version(report, action="unlock", user=user)
        audit(actor=user, action=AuditEntry.Action.UPDATE, obj=report, unit=report.unit,
              summary=f"Mở khóa báo cáo {report.period} của {report.unit}: {reason[:200]}",
              data={"step": chain.UNLOCK, "reason": reason, "version": report.version})
    return report
