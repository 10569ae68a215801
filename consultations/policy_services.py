"""Writes of the policy register and its consultation files (R3, R7).

The office registers and edits a policy, moves its stage, links the sources of each moment
(surveys, meetings, items, issues, answers, drafts) and records the difficulties named; a leader
grants the waiver that lets a policy be issued without its "before" consultation. Every write
checks who may make it, names the field in Vietnamese when refused, runs in one transaction on
the locked policy row and leaves an audit entry. An edit and a stage change carry the version
they read: a change someone else saved in between is refused, never overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from consultations.models import ConsultationLink, Difficulty, Draft, Moment, Policy, Waiver
from consultations.policy_rules import DRAFTING, marks_of, needs_before, requirement
from consultations.policy_selectors import before_on_record
from core.errors import ConflictError, ServiceError
from core.models import AuditEntry
from core.services import audit, require_office
from intake.models import Meeting, OpinionItem
from issues.models import Answer, Issue
from orgs.models import OrgUnit
from surveys.models import Survey
from textops.services import mask_everything

Action = AuditEntry.Action
MAX_TITLE = 300
MAX_OWNER = 200
MAX_SUMMARY = 5_000
MAX_REASON = 2_000
MAX_DIFFICULTY = 1_000
MIN_REASON = 10
SOURCE_MODELS = {
    ConsultationLink.Source.SURVEY: Survey, ConsultationLink.Source.MEETING: Meeting,
    ConsultationLink.Source.ITEM: OpinionItem, ConsultationLink.Source.ISSUE: Issue,
    ConsultationLink.Source.ANSWER: Answer, ConsultationLink.Source.DRAFT: Draft,
}


@dataclass(frozen=True)
class PolicyInput:
    title: str
    kind: str
    level: str
    owner_unit_id: int | None = None
    owner_name: str = ""
    summary: str = ""
    affects_many: bool = False
    costs_money: bool = False
    affects_land: bool = False
    affects_way_of_life: bool = False

    def marks(self) -> dict[str, bool]:
        return marks_of(self)


def _clean(data: PolicyInput) -> PolicyInput:
    title = " ".join((data.title or "").split())
    if not title:
        raise ServiceError("Hãy nhập tên chính sách, đề án, dự án.", field="title")
    if len(title) > MAX_TITLE:
        raise ServiceError(f"Tên dài quá {MAX_TITLE} ký tự.", field="title")
    if data.kind not in Policy.Kind.values:
        raise ServiceError("Hãy chọn loại (chính sách, đề án, dự án, cuộc vận động, phong trào).",
                           field="kind")
    if data.level not in Policy.Level.values:
        raise ServiceError("Hãy chọn cấp ban hành (thành phố hoặc phường).", field="level")
    owner_name = " ".join((data.owner_name or "").split())
    if data.owner_unit_id is not None:
        if not OrgUnit.objects.filter(pk=data.owner_unit_id).exists():
            raise ServiceError("Cơ quan chủ trì không có trong danh sách đơn vị.",
                               field="owner_unit")
        owner_name = ""
    elif not owner_name:
        raise ServiceError("Hãy chọn cơ quan chủ trì trong danh sách đơn vị hoặc ghi tên cơ"
                           " quan (ví dụ: Sở Xây dựng thành phố).", field="owner_name")
    if len(owner_name) > MAX_OWNER:
        raise ServiceError(f"Tên cơ quan chủ trì dài quá {MAX_OWNER} ký tự.", field="owner_name")
    summary = (data.summary or "").strip()
    if len(summary) > MAX_SUMMARY:
        raise ServiceError(f"Nội dung chính dài quá {MAX_SUMMARY:,} ký tự.".replace(",", "."),
                           field="summary")
    return PolicyInput(**{**data.__dict__, "title": title, "owner_name": owner_name,
                          "summary": summary})


def _apply(policy: Policy, data: PolicyInput) -> None:
    policy.title, policy.kind, policy.level = data.title, data.kind, data.level
    policy.owner_unit_id, policy.owner_name = data.owner_unit_id, data.owner_name
    policy.summary = data.summary
    for key, value in data.marks().items():
        setattr(policy, key, value)
    # requires_consultation is the database's (a generated column of the marks).


def create_policy(*, user, data: PolicyInput) -> Policy:
    """Register a policy (the office's); it starts at "đang xây dựng": a policy already issued is
    moved there afterwards, through the same step as any other."""
    require_office(user, "ghi chính sách, đề án, dự án vào danh mục")
    data = _clean(data)
    with transaction.atomic():
        policy = Policy(created_by=user, stage=Policy.Stage.DRAFTING)
        _apply(policy, data)
        policy.save()
        rule = requirement(**data.marks())
        audit(actor=user, action=Action.CREATE, obj=policy,
              summary=f"Ghi vào danh mục {policy.get_kind_display().lower()}: {policy.title}"[:500],
              data={"requires_consultation": rule.required, "reasons": list(rule.reasons)})
    return policy


def _locked(policy: Policy, expected_version: int | None, what: str) -> Policy:
    locked = Policy.objects.select_for_update().get(pk=policy.pk)
    if expected_version is None or int(expected_version) != locked.version:
        raise ConflictError(
            f"{what} không được lưu: chính sách đã được người khác sửa (phiên bản"
            f" {locked.version}) sau khi bạn mở trang (phiên bản {expected_version or '?'})."
            " Hãy tải lại trang để xem thay đổi rồi làm lại.", field="version")
    return locked


def _required(policy: Policy) -> bool:
    """The rule on the marks as they are on the instance (the generated column is the stored
    value, not refreshed by save())."""
    return requirement(**marks_of(policy)).required


def _is_waived(policy: Policy) -> bool:
    return Waiver.objects.filter(policy=policy).exists()


def _refusal(policy: Policy, stage_label: str) -> str:
    return (f"Chưa chuyển được “{policy.title}” sang “{stage_label}”: đây là việc bắt buộc lấy"
            f" ý kiến nhân dân ({'; '.join(requirement(**marks_of(policy)).reasons)}) mà chưa có"
            " nguồn lấy ý kiến nào ở thời điểm “Trước khi ban hành, triển khai”. Hãy gắn khảo"
            " sát, tiếp xúc cử tri, ý kiến hoặc dự thảo lấy ý kiến vào thời điểm này, hoặc đề"
            " nghị lãnh đạo (Ban Thường vụ) quyết định miễn, có ghi lý do.")


def update_policy(*, user, policy: Policy, data: PolicyInput,
                  expected_version: int | None) -> Policy:
    """Edit what the office typed. Ticking a mark that makes an issued policy one that needed
    consultation is refused while its "before" moment is empty and not waived."""
    require_office(user, "sửa chính sách, đề án, dự án")
    data = _clean(data)
    with transaction.atomic():
        locked = _locked(policy, expected_version, "Thay đổi")
        before = {"title": locked.title, "requires_consultation": locked.requires_consultation,
                  **marks_of(locked)}
        _apply(locked, data)
        required = _required(locked)
        if needs_before(required=required, target_stage=locked.stage,
                        has_before=before_on_record(locked), waived=_is_waived(locked)):
            raise ServiceError(
                f"Chính sách đang ở giai đoạn “{locked.get_stage_display()}” mà chưa có ý kiến"
                " trước khi ban hành: không đánh dấu thêm tiêu chí bắt buộc lấy ý kiến được khi"
                " chưa gắn nguồn ý kiến “Trước” hoặc chưa có quyết định miễn của lãnh đạo.",
                field="affects_many")
        locked.version += 1
        locked.save()
        locked.refresh_from_db(fields=["requires_consultation"])
        audit(actor=user, action=Action.UPDATE, obj=locked,
              summary=f"Sửa chính sách, đề án: {locked.title}"[:500],
              data={"version": locked.version, "before": before,
                    "requires_consultation": required})
    return locked


def change_stage(*, user, policy: Policy, stage: str, expected_version: int | None) -> Policy:
    """Move a policy to ``stage`` (the office's). A policy that requires consultation is not
    moved past drafting without a "before" source on record or a leader's waiver."""
    require_office(user, "chuyển giai đoạn của chính sách, đề án")
    if stage not in Policy.Stage.values:
        raise ServiceError("Hãy chọn giai đoạn.", field="stage")
    with transaction.atomic():
        locked = _locked(policy, expected_version, "Việc chuyển giai đoạn")
        if locked.stage == stage:
            raise ServiceError(f"Chính sách đã ở giai đoạn “{locked.get_stage_display()}”.",
                               field="stage")
        label = Policy.Stage(stage).label
        has_before, waived = before_on_record(locked), _is_waived(locked)
        if needs_before(required=locked.requires_consultation, target_stage=stage,
                        has_before=has_before, waived=waived):
            raise ServiceError(_refusal(locked, label), field="stage")
        previous = locked.stage
        locked.stage, locked.stage_changed_at = stage, timezone.now()
        locked.version += 1
        locked.save()
        audit(actor=user, action=Action.UPDATE, obj=locked,
              summary=(f"Chuyển “{locked.title}” từ “{Policy.Stage(previous).label}” sang"
                       f" “{label}”" + (" (theo quyết định miễn lấy ý kiến)"
                                          if waived and not has_before
                                          and locked.requires_consultation else ""))[:500],
              data={"from": previous, "to": stage, "version": locked.version,
                    "requires_consultation": locked.requires_consultation,
                    "before_on_record": has_before, "waived": waived})
    return locked


def grant_waiver(*, user, policy: Policy, reason: str) -> Waiver:
    """A leader's waiver of the "before" consultation, with the reason (audited)."""
    if not (getattr(user, "is_authenticated", False) and user.role == user.Role.LEADER):
        raise ServiceError("Chỉ lãnh đạo (Ban Thường vụ) được quyết định miễn lấy ý kiến trước"
                           " khi ban hành.", field="user")
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ServiceError("Hãy ghi rõ lý do miễn lấy ý kiến (ít nhất"
                           f" {MIN_REASON} ký tự).", field="reason")
    if len(reason) > MAX_REASON:
        raise ServiceError(f"Lý do dài quá {MAX_REASON:,} ký tự.".replace(",", "."),
                           field="reason")
    masked, kinds = mask_everything(reason)
    with transaction.atomic():
        locked = Policy.objects.select_for_update().get(pk=policy.pk)
        if not locked.requires_consultation:
            raise ServiceError("Chính sách này không thuộc diện bắt buộc lấy ý kiến: không cần"
                               " quyết định miễn.", field="reason")
        if Waiver.objects.filter(policy=locked).exists():
            raise ServiceError("Chính sách này đã có quyết định miễn lấy ý kiến.",
                               field="reason")
        waiver = Waiver.objects.create(policy=locked, reason=masked, granted_by=user)
        audit(actor=user, action=Action.CREATE, obj=waiver,
              summary=f"Miễn lấy ý kiến trước khi ban hành: {locked.title}"[:500],
              data={"policy": locked.pk, "stage": locked.stage, "masked": list(kinds),
                    "before_on_record": before_on_record(locked)})
    return waiver


def link_sources(*, user, policy: Policy, moment: str, source: str,
                 ids: Iterable[int]) -> list[ConsultationLink]:
    """Tie sources of one kind to a moment of the policy's file (the office's); a source
    already tied to that moment is left as it is."""
    require_office(user, "gắn nguồn ý kiến vào hồ sơ lấy ý kiến")
    if moment not in Moment.values:
        raise ServiceError("Hãy chọn thời điểm (trước, trong, sau).", field="moment")
    if source not in SOURCE_MODELS:
        raise ServiceError("Hãy chọn loại nguồn.", field="source")
    try:
        wanted = sorted({int(i) for i in ids})
    except (TypeError, ValueError) as exc:
        raise ServiceError("Nguồn đã chọn không hợp lệ.", field="ids") from exc
    if not wanted:
        raise ServiceError("Hãy chọn ít nhất một nguồn để gắn.", field="ids")
    model = SOURCE_MODELS[source]
    found = set(model.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = [i for i in wanted if i not in found]
    if missing:
        raise ServiceError(f"Không tìm thấy {ConsultationLink.Source(source).label.lower()}"
                           f" số {', '.join(map(str, missing[:5]))}.", field="ids")
    with transaction.atomic():
        locked = Policy.objects.select_for_update().get(pk=policy.pk)
        have = set(ConsultationLink.objects.filter(policy=locked, moment=moment)
                   .values_list(source, flat=True))
        fresh = [ConsultationLink(policy=locked, moment=moment, source=source,
                                  linked_by=user, **{source: model(pk=i)})
                 for i in wanted if i not in have]
        for link in fresh:
            link.save()
        if fresh:
            audit(actor=user, action=Action.UPDATE, obj=locked,
                  summary=(f"Gắn {len(fresh)} {ConsultationLink.Source(source).label.lower()}"
                           f" vào thời điểm “{Moment(moment).label}”: {locked.title}")[:500],
                  data={"moment": moment, "source": source, "ids": [i for i in wanted
                                                                     if i not in have]})
    return fresh


def unlink_source(*, user, link: ConsultationLink) -> None:
    """Take a source out of a moment (the office's). The last "before" source of a policy
    already past drafting stays: the step it records cannot be undone after the fact."""
    require_office(user, "bỏ nguồn ý kiến khỏi hồ sơ lấy ý kiến")
    with transaction.atomic():
        locked = Policy.objects.select_for_update().get(pk=link.policy_id)
        others = ConsultationLink.objects.filter(policy=locked, moment=Moment.BEFORE).exclude(
            pk=link.pk)
        if (link.moment == Moment.BEFORE and locked.requires_consultation
                and locked.stage != DRAFTING and not others.exists()
                and not _is_waived(locked)):
            raise ServiceError("Không bỏ được nguồn ý kiến cuối cùng của thời điểm “Trước”:"
                               " chính sách đã qua giai đoạn xây dựng.", field="link")
        ConsultationLink.objects.filter(pk=link.pk).delete()
        audit(actor=user, action=Action.UPDATE, obj=locked,
              summary=(f"Bỏ {link.get_source_display().lower()} khỏi thời điểm"
                       f" “{link.get_moment_display()}”: {locked.title}")[:500],
              data={"moment": link.moment, "source": link.source,
                    "id": getattr(link, f"{link.source}_id")})


def add_difficulty(*, user, policy: Policy, moment: str, text: str) -> Difficulty:
    """Record a difficulty named at one moment (the office's), masked like every stored text."""
    require_office(user, "ghi khó khăn, vướng mắc")
    if moment not in Moment.values:
        raise ServiceError("Hãy chọn thời điểm (trước, trong, sau).", field="moment")
    raw = " ".join((text or "").split())
    if not raw:
        raise ServiceError("Hãy ghi khó khăn, vướng mắc được nêu.", field="text")
    if len(raw) > MAX_DIFFICULTY:
        raise ServiceError(f"Nội dung dài quá {MAX_DIFFICULTY:,} ký tự.".replace(",", "."),
                           field="text")
    masked, kinds = mask_everything(raw)
    with transaction.atomic():
        difficulty = Difficulty.objects.create(policy=policy, moment=moment, text=masked,
                                               masked_kinds=list(kinds), recorded_by=user)
        audit(actor=user, action=Action.CREATE, obj=difficulty,
              summary=f"Ghi khó khăn, vướng mắc ({Moment(moment).label}): {policy.title}"[:500],
              data={"policy": policy.pk, "moment": moment, "masked": list(kinds)})
    return difficulty
