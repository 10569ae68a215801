"""Writes of the incidents (R8): the office records a deviation, omission or passivity of a unit
and, after the review, its outcome. Keyword-only arguments, one transaction, an audit entry
each; bad input is refused naming the field.

A card finalised before an incident was recorded or reviewed keeps its snapshot (its points do
not change); the card lists the incident with that note.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from core.dates import local_today
from core.errors import ServiceError
from core.models import AuditEntry
from core.services import audit, require_office
from core.text import nfc
from evaluation.models import DismissedCandidate, Incident
from orgs.models import OrgUnit, User

MAX_TEXT = 4000


def _text(value: str, *, field: str, label: str, required: bool = True) -> str:
    text = nfc(value or "").strip()
    if required and not text:
        raise ServiceError(f"Chưa nhập {label}.", field=field)
    if len(text) > MAX_TEXT:
        raise ServiceError(f"{label.capitalize()} dài quá {MAX_TEXT} ký tự.", field=field)
    return text


def _day(value: dt.date | None, *, field: str, label: str) -> dt.date:
    if value is None:
        raise ServiceError(f"Chưa nhập {label} (ngày/tháng/năm).", field=field)
    if value > local_today():
        raise ServiceError(f"{label.capitalize()} {value:%d/%m/%Y} ở tương lai.", field=field)
    return value


def record_incident(
    *,
    actor: User,
    unit: OrgUnit | None,
    kind: str,
    occurred_on: dt.date | None,
    description: str,
    source: str = Incident.Source.OTHER,
    source_pk: int | None = None,
    source_label: str = "",
) -> Incident:
    """Record an incident of ``unit``; ``source``/``source_pk`` name the record it was found
    from (an alert, a latent finding, an overdue issue), each recorded once per unit."""
    require_office(actor, "ghi nhận vụ việc lệch lạc, sơ hở, bị động")
    if unit is None:
        raise ServiceError("Chưa chọn đơn vị.", field="unit")
    if kind not in Incident.Kind.values:
        raise ServiceError("Loại vụ việc không hợp lệ (lệch lạc, sơ hở, bị động).", field="kind")
    if source not in Incident.Source.values:
        raise ServiceError("Nguồn phát hiện không hợp lệ.", field="source")
    if source != Incident.Source.OTHER and source_pk is None:
        raise ServiceError("Thiếu bản ghi phát hiện (cảnh báo, vấn đề).", field="source")
    day = _day(occurred_on, field="occurred_on", label="thời điểm xảy ra")
    text = _text(description, field="description", label="nội dung vụ việc")
    try:
        with transaction.atomic():
            incident = Incident.objects.create(
                unit=unit, kind=kind, occurred_on=day, description=text, source=source,
                source_pk=source_pk if source != Incident.Source.OTHER else None,
                source_label=nfc(source_label or "").strip()[:300], recorded_by=actor,
            )
            audit(actor=actor, action=AuditEntry.Action.CREATE, obj=incident, unit=unit,
                  summary=f"Ghi nhận vụ việc {incident.get_kind_display().lower()} của"
                          f" {unit.name} ngày {day:%d/%m/%Y}",
                  data={"kind": kind, "source": source, "source_pk": source_pk})
    except IntegrityError as exc:
        raise ServiceError("Bản ghi phát hiện này đã được ghi nhận thành vụ việc của đơn vị.",
                           field="source") from exc
    return incident


def review_incident(
    *,
    actor: User,
    incident: Incident,
    outcome: str,
    review: str,
    decided_on: dt.date | None,
    decision_ref: str = "",
) -> Incident:
    """The review's outcome: no fault, commendation, criticism or discipline, with its date,
    conclusion and decision number (required for discipline). May be revised; each is audited."""
    require_office(actor, "kết luận vụ việc")
    if outcome not in Incident.Outcome.values or outcome == Incident.Outcome.PENDING:
        raise ServiceError("Chưa chọn kết quả xem xét.", field="outcome")
    text = _text(review, field="review", label="nội dung kết luận")
    day = _day(decided_on, field="decided_on", label="ngày kết luận")
    if day < incident.occurred_on:
        raise ServiceError("Ngày kết luận không được trước thời điểm xảy ra vụ việc.",
                           field="decided_on")
    ref = nfc(decision_ref or "").strip()[:200]
    if outcome == Incident.Outcome.DISCIPLINE and not ref:
        raise ServiceError("Kỷ luật phải có số quyết định.", field="decision_ref")
    previous = incident.get_outcome_display()
    with transaction.atomic():
        incident.outcome, incident.review, incident.decided_on = outcome, text, day
        incident.decision_ref, incident.reviewed_by = ref, actor
        incident.save(update_fields=["outcome", "review", "decided_on", "decision_ref",
                                     "reviewed_by"])
        audit(actor=actor, action=AuditEntry.Action.UPDATE, obj=incident, unit=incident.unit,
              summary=f"Kết luận vụ việc của {incident.unit.name}:"
                      f" {incident.get_outcome_display().lower()}",
              data={"outcome": outcome, "previous": previous, "decision_ref": ref})
    return incident


def dismiss_candidate(*, actor: User, unit: OrgUnit | None, source: str,
                      source_pk: int | None, reason: str) -> DismissedCandidate:
    """The office looked at a candidate the data suggested and found no incident: it is not
    offered again; the reason is kept and audited."""
    require_office(actor, "bỏ qua dấu hiệu vụ việc")
    if unit is None:
        raise ServiceError("Chưa chọn đơn vị.", field="unit")
    if source not in Incident.Source.values or source == Incident.Source.OTHER \
            or source_pk is None:
        raise ServiceError("Thiếu bản ghi phát hiện (cảnh báo, vấn đề).", field="source")
    text = _text(reason, field="reason", label="lý do bỏ qua")
    try:
        with transaction.atomic():
            row = DismissedCandidate.objects.create(unit=unit, source=source,
                                                    source_pk=source_pk, reason=text,
                                                    dismissed_by=actor)
            audit(actor=actor, action=AuditEntry.Action.UPDATE, obj=row, unit=unit,
                  summary=f"Bỏ qua dấu hiệu ({Incident.Source(source).label.lower()})"
                          f" của {unit.name}: {text}",
                  data={"source": source, "source_pk": source_pk})
    except IntegrityError as exc:
        raise ServiceError("Dấu hiệu này đã được bỏ qua.", field="source") from exc
    return row
