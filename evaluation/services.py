"""Writes of the evaluation: criteria sets (a new version each time), the office's entered
scores, a unit's comment on its card, finalising (locking) cards. Keyword-only arguments, one
transaction, an audit entry each; bad input is refused whole, naming the field or row."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.dates import local_today
from core.errors import LockedError, ServiceError
from core.models import AuditEntry
from core.services import audit, require_office
from evaluation import measures, scoring
from evaluation.models import CriteriaSet, Criterion, EnteredScore, Scorecard
from evaluation.selectors import compute_board, criteria_set_for
from orgs.models import OrgUnit, User
from plans import services as plan_services
from reporting.periods import PeriodKey, parse_period

MEASURES = dict(Criterion.Measure.choices)
MISSING_RULES = dict(Criterion.Missing.choices)


def _number(value, where: str) -> float:
    try:
        number = float(str(value).replace(",", "."))
    except (TypeError, ValueError) as exc:
        raise ServiceError(f"{where}: '{value}' không phải là số.", field=where) from exc
    if not math.isfinite(number):
        raise ServiceError(f"{where}: '{value}' không phải là số.", field=where)
    return number


def _vn(number: float) -> str:
    """A number as typed in Vietnamese: no ".0", a decimal comma."""
    return f"{number:g}".replace(".", ",")


def _criterion(row: dict, number: int, seen: set[str]) -> Criterion:
    where = f"Tiêu chí dòng {number}"
    code = (row.get("code") or "").strip().lower()
    name = (row.get("name") or "").strip()
    if not code or not code.replace("_", "").replace("-", "").isalnum() or len(code) > 40:
        raise ServiceError(f"{where}: mã tiêu chí chỉ gồm chữ không dấu, số, '-' hoặc '_'.",
                           field=where)
    if code in seen:
        raise ServiceError(f"{where}: mã tiêu chí '{code}' bị trùng.", field=where)
    seen.add(code)
    if not name:
        raise ServiceError(f"{where}: chưa có tên tiêu chí.", field=where)
    measure = row.get("measure") or ""
    if measure not in MEASURES:
        raise ServiceError(f"{where}: cách đo '{measure}' không có trong danh mục.", field=where)
    missing = row.get("missing") or scoring.EXCLUDE
    if missing not in MISSING_RULES:
        raise ServiceError(f"{where}: cách xử lý khi thiếu số liệu không hợp lệ.", field=where)
    weight = _number(row.get("weight"), f"{where}, trọng số")
    target = _number(row.get("target"), f"{where}, mức đạt điểm tối đa")
    floor = _number(row.get("floor", 0) or 0, f"{where}, mức 0 điểm")
    if weight <= 0:
        raise ServiceError(f"{where}: trọng số phải lớn hơn 0.", field=where)
    if target == floor:
        # Every measure: the points grow from the floor to the target, so the two must differ
        # (scoring.points_for divides by their difference).
        raise ServiceError(f"{where}: mức đạt điểm tối đa ({_vn(target)}) và mức 0 điểm"
                           f" ({_vn(floor)}) phải khác nhau.", field=where)
    if measure == Criterion.Measure.INCIDENTS:
        # Lower is better: full points at ``target`` incidents (0), none from ``floor`` on.
        if target != 0 or floor <= 0:
            raise ServiceError(f"{where}: với cách đo vụ việc, mức đạt điểm tối đa là 0 vụ và"
                               " mức 0 điểm là số vụ làm mất hết điểm (lớn hơn 0).",
                               field=where)
    elif target <= floor:
        raise ServiceError(f"{where}: mức đạt điểm tối đa phải lớn hơn mức 0 điểm.", field=where)
    return Criterion(position=number, code=code, name=name[:300], weight=weight,
                     measure=measure, target=target, floor=floor, missing=missing)


def create_criteria_set(
    *,
    actor: User,
    year: int,
    name: str,
    criteria: Sequence[dict],
    excellent_min: float = 90,
    good_min: float = 75,
    pass_min: float = 50,
    note: str = "",
) -> CriteriaSet:
    """A new version of the year's set (version 1 for a year without one). A set is never
    edited: what was scored with it stays explainable; finalised cards keep their snapshot."""
    require_office(actor, "lập bộ tiêu chí đánh giá")
    year = int(_number(year, "Năm áp dụng"))
    if not 2000 <= year <= 2100:
        raise ServiceError("Năm áp dụng phải trong khoảng 2000–2100.", field="year")
    if not (name or "").strip():
        raise ServiceError("Chưa có tên bộ tiêu chí.", field="name")
    excellent = _number(excellent_min, "Ngưỡng hoàn thành xuất sắc")
    good = _number(good_min, "Ngưỡng hoàn thành tốt")
    passed = _number(pass_min, "Ngưỡng hoàn thành")
    if not 0 <= passed <= good <= excellent <= 100:
        raise ServiceError("Các ngưỡng xếp loại phải tăng dần trong khoảng 0–100: hoàn thành ≤"
                           " hoàn thành tốt ≤ hoàn thành xuất sắc.", field="thresholds")
    seen: set[str] = set()
    rows = [_criterion(row, n, seen) for n, row in enumerate(criteria, start=1)]
    if not rows:
        raise ServiceError("Bộ tiêu chí phải có ít nhất một tiêu chí.", field="criteria")
    with transaction.atomic():
        last = CriteriaSet.objects.select_for_update().filter(year=year).aggregate(
            v=Max("version"))["v"] or 0
        criteria_set = CriteriaSet.objects.create(
            year=year, version=last + 1, name=name.strip()[:200], excellent_min=excellent,
            good_min=good, pass_min=passed, note=(note or "").strip(), created_by=actor,
        )
        for row in rows:
            row.criteria_set = criteria_set
        Criterion.objects.bulk_create(rows)
        audit(actor=actor, action=AuditEntry.Action.CREATE, obj=criteria_set,
              summary=f"Lập bộ tiêu chí '{criteria_set.name}' năm {year}, phiên bản"
                      f" {criteria_set.version} ({len(rows)} tiêu chí)",
              data={"criteria": [r.code for r in rows]})
    return criteria_set


def _period(period: str | PeriodKey) -> PeriodKey:
    return period if isinstance(period, PeriodKey) else parse_period(period)


def _refuse_if_final(unit: OrgUnit, key: PeriodKey) -> None:
    if Scorecard.objects.filter(unit=unit, period=key.code, state=Scorecard.State.FINAL).exists():
        raise LockedError(f"Phiếu đánh giá {key.label} của {unit.name} đã chốt, không sửa được.",
                          field="period")


def enter_score(
    *,
    actor: User,
    criterion: Criterion,
    unit: OrgUnit,
    period: str | PeriodKey,
    value,
    evidence: str,
    evidence_ref: str = "",
    upload: plan_services.Upload | None = None,
) -> EnteredScore:
    """The office scores an entered criterion for a unit, with its evidence (required) and,
    optionally, the evidence's file (checked as the plans' files are; kept when none is sent)."""
    require_office(actor, "chấm tiêu chí")
    key = _period(period)
    if not criterion.is_entered:
        raise ServiceError(f"Tiêu chí '{criterion.name}' được tính từ số liệu, không chấm tay.",
                           field="criterion")
    in_force = criteria_set_for(key)
    if in_force is None or in_force.pk != criterion.criteria_set_id:
        raise ServiceError(f"Tiêu chí '{criterion.name}' không thuộc bộ tiêu chí áp dụng cho"
                           f" {key.label}.", field="criterion")
    number = _number(value, "Điểm chấm")
    if not criterion.floor <= number <= criterion.target:
        raise ServiceError(f"Điểm chấm phải trong khoảng {criterion.floor:g}–"
                           f"{criterion.target:g}.", field="value")
    if not (evidence or "").strip():
        raise ServiceError("Chưa có minh chứng: ghi căn cứ chấm điểm.", field="evidence")
    with transaction.atomic():
        _refuse_if_final(unit, key)
        stored = plan_services.store_file(actor, unit, upload)
        defaults = {"value": number, "evidence": evidence.strip(),
                    "evidence_ref": (evidence_ref or "").strip()[:200], "entered_by": actor}
        if stored is not None:
            defaults["evidence_file"] = stored
        entry, _created = EnteredScore.objects.update_or_create(
            criterion=criterion, unit=unit, period=key.code, defaults=defaults,
        )
        audit(actor=actor, action=AuditEntry.Action.UPDATE, obj=entry, unit=unit,
              summary=f"Chấm '{criterion.name}' cho {unit.name}, {key.label}: {number:g}",
              data={"criterion": criterion.code, "period": key.code, "value": number,
                    "file": stored.sha256 if stored else None})
    return entry


def comment_card(*, actor: User, unit: OrgUnit, period: str | PeriodKey, comment: str) -> Scorecard:
    """The unit's comment on its own card, before the office finalises it (the office may
    record a comment the unit sent on paper)."""
    key = _period(period)
    own = actor.unit_id == unit.pk and actor.role == User.Role.REPORTER
    if not (own or getattr(actor, "is_office", False)):
        raise ServiceError("Chỉ người phụ trách của đơn vị được góp ý kiến vào phiếu đánh giá"
                           " của đơn vị mình.", field="user")
    text = (comment or "").strip()
    if not text:
        raise ServiceError("Chưa có nội dung ý kiến.", field="comment")
    with transaction.atomic():
        record, _ = Scorecard.objects.select_for_update().get_or_create(unit=unit, period=key.code)
        if record.is_final:
            raise LockedError(f"Phiếu đánh giá {key.label} đã chốt, không góp ý kiến được nữa.",
                              field="comment")
        record.comment = text[:4000]
        record.commented_by = actor
        record.commented_at = timezone.now()
        record.save(update_fields=["comment", "commented_by", "commented_at"])
        audit(actor=actor, action=AuditEntry.Action.UPDATE, obj=record, unit=unit,
              summary=f"Đơn vị góp ý kiến vào phiếu đánh giá {key.label}",
              data={"period": key.code})
    return record


def finalise_cards(
    *, actor: User, period: str | PeriodKey, unit_ids: Iterable[int] | None = None
) -> int:
    """Lock the cards of the period (all scored units, or ``unit_ids``): each keeps its values,
    points, evidence and the set it was scored with; later reads show this snapshot. Cards
    already final are left as they are. Returns how many were finalised."""
    require_office(actor, "chốt phiếu đánh giá")
    key = _period(period)
    today = local_today()
    with transaction.atomic():
        board = compute_board(key, unit_ids=set(unit_ids) if unit_ids is not None else None,
                              today=today)
        if board.criteria_set is None:
            raise ServiceError(f"Chưa có bộ tiêu chí áp dụng cho {key.label}.", field="period")
        pending = [c for c in board.cards
                   if not (c.unit_id in board.records and board.records[c.unit_id].is_final)]
        if not pending:
            return 0
        ctx = measures.context_for(key, today, {c.unit_id for c in pending})
        evidence = measures.evidence_for(ctx, [c.unit_id for c in pending])
        now = timezone.now()
        for card in pending:
            snapshot = scoring.card_as_dict(card)
            snapshot["evidence"] = {k: list(v) for k, v in evidence.get(card.unit_id, {}).items()}
            snapshot["criteria_set"] = board.criteria_set.pk
            record, _ = Scorecard.objects.update_or_create(
                unit_id=card.unit_id, period=key.code,
                defaults={"state": Scorecard.State.FINAL, "snapshot": snapshot,
                          "criteria_set": board.criteria_set, "total": card.total,
                          "classification": card.classification or "", "finalised_by": actor,
                          "finalised_at": now},
            )
            unit = board.units[card.unit_id]
            audit(actor=actor, action=AuditEntry.Action.UPDATE, obj=record,
                  unit=OrgUnit(pk=unit.id),
                  summary=f"Chốt phiếu đánh giá {key.label} của {unit.name}:"
                          f" {card.total if card.total is not None else 'chưa đủ số liệu'}"
                          f" điểm, {card.classification_label.lower()}",
                  data={"period": key.code, "total": card.total,
                        "classification": card.classification})
    return len(pending)
