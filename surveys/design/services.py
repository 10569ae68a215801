"""Writes of survey design: surveys, form versions (XLSForm uploads), status, question keys.

Every function runs in one transaction with an audit entry, and refuses bad input with a
:class:`core.errors.ServiceError` (Vietnamese, naming the field) before anything is written. An
XLSForm refused by the converter raises :class:`XLSFormRejected`, which carries every error with
its sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from core.errors import ConflictError, ServiceError
from core.models import AuditEntry, SocialGroup
from core.services import audit
from core.text import fold, nfc
from odk.isolated import convert_isolated
from odk.issues import Issue
from odk.questions import extract_questions
from orgs.models import Area, OrgUnit, User
from surveys.models import FormVersion, PolicyStage, Question, Survey

MAX_XLSFORM_BYTES = 10 * 1024 * 1024
FORM_ID_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,99}$")


class XLSFormRejected(ServiceError):
    """The uploaded XLSForm has errors; ``issues`` lists each with its sheet, row and column."""

    def __init__(self, message: str, *, issues: list[Issue], warnings=None):
        super().__init__(message, field="xlsform")
        self.issues = issues
        self.warnings = list(warnings or [])

    def as_dict(self) -> dict:
        data = super().as_dict()
        data["errors"] = [issue.as_dict() for issue in self.issues]
        data["warnings"] = [issue.as_dict() for issue in self.warnings]
        return data


@dataclass
class SurveyInput:
    """What the office types about a survey (everything but its questionnaire)."""

    title: str
    kind: str = Survey.Kind.PERIODIC
    purpose: str = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    unit_id: int | None = None
    target_area_ids: tuple[int, ...] = ()
    target_group_ids: tuple[int, ...] = ()
    target_population: str = ""
    sample_size: int = 0
    policy_title: str = ""
    policy_stage: str = ""
    allow_public_link: bool = False
    allow_interviewers: bool = True
    area_field: str = "khu_vuc"
    gender_field: str = "gioi_tinh"
    age_group_field: str = "nhom_tuoi"
    form_id: str = ""
    slug: str = ""
    extra: dict = field(default_factory=dict)


def _check_office(user: User) -> None:
    if not getattr(user, "is_office", False):
        raise ServiceError("Chỉ Ban Xây dựng Đảng được thiết kế, sửa và đóng/mở khảo sát.")


def _clean(data: SurveyInput, *, survey: Survey | None = None) -> SurveyInput:
    title = nfc(data.title or "").strip()
    if not title:
        raise ServiceError("Chưa nhập tên cuộc khảo sát.", field="title")
    if len(title) > 300:
        raise ServiceError("Tên cuộc khảo sát dài quá 300 ký tự.", field="title")
    if data.kind not in Survey.Kind.values:
        raise ServiceError("Loại khảo sát không hợp lệ.", field="kind")
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise ServiceError("Ngày kết thúc phải sau ngày bắt đầu.", field="ends_on")
    if data.unit_id is not None and not OrgUnit.objects.filter(pk=data.unit_id).exists():
        raise ServiceError("Đơn vị chủ trì không tồn tại.", field="unit")
    areas = set(data.target_area_ids)
    if areas and Area.objects.filter(pk__in=areas).count() != len(areas):
        raise ServiceError("Có địa bàn khảo sát không tồn tại.", field="target_areas")
    groups = set(data.target_group_ids)
    if groups and SocialGroup.objects.filter(pk__in=groups).count() != len(groups):
        raise ServiceError("Có nhóm đối tượng không tồn tại.", field="target_groups")
    if data.sample_size is None or int(data.sample_size) < 0:
        raise ServiceError("Cỡ mẫu phải là số không âm.", field="sample_size")
    if data.policy_stage and data.policy_stage not in PolicyStage.values:
        raise ServiceError("Giai đoạn lấy ý kiến không hợp lệ.", field="policy_stage")
    if data.policy_stage and not (data.policy_title or "").strip():
        raise ServiceError(
            "Đã chọn giai đoạn nhưng chưa nhập chủ trương, chính sách hoặc dự án được lấy ý kiến.",
            field="policy_title",
        )
    for name in ("area_field", "gender_field", "age_group_field"):
        value = (getattr(data, name) or "").strip()
        if value and not FORM_ID_RE.match(value):
            raise ServiceError(
                f"Tên câu hỏi '{value}' không hợp lệ (chỉ gồm chữ không dấu, số, '_').",
                field=name,
            )
    form_id = (data.form_id or "").strip()
    if form_id:
        # An id adopted from an uploaded XLSForm may be anything pyxform allows (spaces,
        # Vietnamese letters); a new one typed here is a plain name.
        unchanged = survey is not None and form_id == survey.form_id
        if not unchanged and not FORM_ID_RE.match(form_id):
            raise ServiceError(
                "Mã biểu mẫu (form_id) chỉ gồm chữ không dấu, số, '_', '-', '.', bắt đầu bằng "
                "chữ cái.",
                field="form_id",
            )
        clash = Survey.objects.filter(form_id=form_id)
        if survey is not None:
            clash = clash.exclude(pk=survey.pk)
        if clash.exists():
            raise ServiceError(
                f"Mã biểu mẫu '{form_id}' đã dùng cho cuộc khảo sát khác.", field="form_id"
            )
    return SurveyInput(
        **{
            **data.__dict__,
            "title": title,
            "purpose": nfc(data.purpose or "").strip(),
            "target_population": nfc(data.target_population or "").strip()[:300],
            "policy_title": nfc(data.policy_title or "").strip()[:300],
            "sample_size": int(data.sample_size or 0),
            "form_id": form_id,
        }
    )


# Path segments a slug must not shadow (khao-sat/moi/, khao-sat/kiem-tra/, api surveys/check/,
# surveys/weigh/, surveys/estimate/).
RESERVED_SLUGS = frozenset({"moi", "kiem-tra", "check", "weigh", "estimate"})


def _unique_slug(title: str, wanted: str = "") -> str:
    base = slugify(wanted or fold(title))[:70].strip("-") or "khao-sat"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Survey.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _unique_form_id(slug: str) -> str:
    base = slug.replace("-", "_")[:90]
    if not base[:1].isalpha():
        base = f"ks_{base}"
    form_id, n = base, 2
    while Survey.objects.filter(form_id=form_id).exists():
        form_id = f"{base}_{n}"
        n += 1
    return form_id


def _apply(survey: Survey, data: SurveyInput) -> None:
    for name in (
        "title", "kind", "purpose", "starts_on", "ends_on", "target_population", "sample_size",
        "policy_title", "policy_stage", "allow_public_link", "allow_interviewers",
    ):
        setattr(survey, name, getattr(data, name))
    survey.unit_id = data.unit_id
    survey.area_field = (data.area_field or "").strip()
    survey.gender_field = (data.gender_field or "").strip()
    survey.age_group_field = (data.age_group_field or "").strip()


def create_survey(*, user: User, data: SurveyInput) -> Survey:
    """A new survey in draft; its form_id is typed or made from the slug (see upload)."""
    _check_office(user)
    data = _clean(data)
    with transaction.atomic():
        survey = Survey(created_by=user)
        _apply(survey, data)
        survey.slug = _unique_slug(data.title, data.slug)
        survey.form_id = data.form_id or _unique_form_id(survey.slug)
        survey.save()
        survey.target_areas.set(data.target_area_ids)
        survey.target_groups.set(data.target_group_ids)
        audit(
            actor=user, action=AuditEntry.Action.CREATE, obj=survey, unit=survey.unit,
            summary=f"Tạo cuộc khảo sát '{survey.title}'",
            data={"slug": survey.slug, "form_id": survey.form_id},
        )
    return survey


def update_survey(
    *, user: User, survey: Survey, data: SurveyInput, expected_version: int | None
) -> Survey:
    """Edit what the office typed; refuses if someone saved since ``expected_version``.

    The form_id cannot change once a version is uploaded (ODK Collect and every stored response
    know the form by it).
    """
    _check_office(user)
    data = _clean(data, survey=survey)
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if expected_version is None or expected_version != locked.version:
            raise ConflictError(
                f"Cuộc khảo sát đã được người khác sửa (phiên bản {locked.version}) sau khi bạn "
                f"mở (phiên bản {expected_version}). Hãy tải lại trang để xem thay đổi trước "
                "khi lưu.",
                field="version",
            )
        if data.form_id and data.form_id != locked.form_id:
            if locked.versions.exists():
                raise ServiceError(
                    "Không đổi được mã biểu mẫu (form_id) khi đã tải lên biểu mẫu: ODK Collect "
                    "và các phiếu đã thu nhận biểu mẫu theo mã này.",
                    field="form_id",
                )
            locked.form_id = data.form_id
        _apply(locked, data)
        locked.version += 1
        locked.save()
        locked.target_areas.set(data.target_area_ids)
        locked.target_groups.set(data.target_group_ids)
        audit(
            actor=user, action=AuditEntry.Action.UPDATE, obj=locked, unit=locked.unit,
            summary=f"Sửa thông tin cuộc khảo sát '{locked.title}'",
            data={"version": locked.version},
        )
    return locked


def _concept_key(spec: dict, concepts: dict[str, str]) -> str:
    explicit = concepts.get(spec["name"])
    if explicit:
        return fold(explicit)[:300]
    return (fold(spec["label"]) or spec["name"])[:300]


def upload_form_version(
    *,
    user: User,
    survey: Survey,
    content: bytes,
    filename: str,
    now: dt.datetime | None = None,
) -> FormVersion:
    """Convert and store one XLSForm as a new version of ``survey``, with its questions.

    Refuses (storing nothing) a file with errors, a version string already uploaded for this
    survey, and a form_id other than the survey's. The first upload of a survey may bring its
    own form_id: the survey adopts it if no other survey uses it.
    """
    _check_office(user)
    first = not survey.versions.exists()
    result = convert_isolated(
        content, filename, now=now or timezone.localtime(), max_bytes=MAX_XLSFORM_BYTES,
        form_id_fallback=survey.form_id,
    )
    if not result.ok:
        count = len(result.errors)
        raise XLSFormRejected(
            f"Biểu mẫu có {count} lỗi, chưa lưu. Sửa các lỗi dưới đây rồi tải lên lại.",
            issues=result.errors,
            warnings=result.warnings,
        )
    if result.form_id != survey.form_id:
        if not first:
            raise XLSFormRejected(
                "Mã biểu mẫu không khớp, chưa lưu.",
                issues=[Issue(
                    level="error", sheet="settings", row=2, column="form_id",
                    message=(
                        f"form_id của tệp là '{result.form_id}' nhưng cuộc khảo sát dùng "
                        f"'{survey.form_id}'. Phiên bản mới của cùng một bảng hỏi phải giữ "
                        f"nguyên form_id (chỉ đổi version); nếu đây là bảng hỏi khác, hãy tạo "
                        f"cuộc khảo sát mới."
                    ),
                )],
            )
        if Survey.objects.filter(form_id=result.form_id).exclude(pk=survey.pk).exists():
            raise XLSFormRejected(
                "Mã biểu mẫu đã được dùng, chưa lưu.",
                issues=[Issue(
                    level="error", sheet="settings", row=2, column="form_id",
                    message=(
                        f"form_id '{result.form_id}' đã thuộc một cuộc khảo sát khác. Đổi form_id "
                        f"trong trang settings (ví dụ '{survey.form_id}')."
                    ),
                )],
            )
    if survey.versions.filter(version=result.version).exists():
        raise XLSFormRejected(
            "Phiên bản đã tồn tại, chưa lưu.",
            issues=[Issue(
                level="error", sheet="settings", row=2, column="version",
                message=(
                    f"Phiên bản '{result.version}' đã được tải lên cho cuộc khảo sát này. Mỗi "
                    f"lần sửa bảng hỏi phải tăng version trong trang settings (ví dụ theo ngày "
                    f"giờ: {timezone.localtime():%Y%m%d%H})."
                ),
            )],
        )
    specs = extract_questions(result.definition)
    try:
        with transaction.atomic():
            locked = Survey.objects.select_for_update().get(pk=survey.pk)
            if locked.form_id != result.form_id:
                locked.form_id = result.form_id
                locked.version += 1
                locked.save(update_fields=["form_id", "version", "updated_at"])
            version = FormVersion.objects.create(
                survey=locked,
                version=result.version,
                title=result.title[:300],
                default_language=result.default_language[:60],
                languages=result.languages,
                xlsform=content,
                xlsform_name=(filename or f"{result.form_id}.{result.file_type}")[-255:],
                xform_xml=result.xform,
                xform_md5=hashlib.md5(result.xform.encode("utf-8")).hexdigest(),
                definition=result.definition,
                warnings=[issue.as_dict() for issue in result.warnings],
                uploaded_by=user,
            )
            questions = [
                Question(
                    form_version=version,
                    name=spec["name"][:200],
                    path=spec["path"][:1000],
                    type=spec["type"][:60],
                    list_name=spec["list_name"][:200],
                    label=spec["label"],
                    label_folded=fold(spec["label"]),
                    labels=spec["labels"],
                    choices=spec["choices"],
                    group_path=spec["group_path"][:1000],
                    in_repeat=spec["in_repeat"],
                    required=spec["required"],
                    position=spec["position"],
                    concept_key=_concept_key(spec, result.concepts),
                )
                for spec in specs
            ]
            Question.objects.bulk_create(questions)
            audit(
                actor=user, action=AuditEntry.Action.CREATE, obj=version, unit=locked.unit,
                summary=(
                    f"Tải lên biểu mẫu '{version.xlsform_name}' phiên bản {version.version} cho "
                    f"'{locked.title}'"
                ),
                data={
                    "survey": locked.slug, "version": version.version,
                    "questions": len(questions), "warnings": len(result.warnings),
                },
            )
    except IntegrityError as exc:
        raise ConflictError(
            f"Phiên bản '{result.version}' vừa được tải lên cùng lúc. Hãy tải lại trang.",
            field="version",
        ) from exc
    survey.refresh_from_db()
    return version


STATUS_MOVES = {
    (Survey.Status.DRAFT, Survey.Status.OPEN),
    (Survey.Status.OPEN, Survey.Status.CLOSED),
    (Survey.Status.CLOSED, Survey.Status.OPEN),
}


def set_survey_status(
    *, user: User, survey: Survey, status: str, expected_version: int | None = None
) -> Survey:
    """Open (needs an uploaded form), close (keeps every response), or reopen a survey."""
    _check_office(user)
    if status not in Survey.Status.values:
        raise ServiceError("Trạng thái không hợp lệ.", field="status")
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if expected_version is not None and expected_version != locked.version:
            raise ConflictError(
                "Cuộc khảo sát vừa được người khác thay đổi. Hãy tải lại trang.",
                field="version",
            )
        if locked.status == status:
            return locked
        if (locked.status, status) not in STATUS_MOVES:
            raise ServiceError(
                f"Không chuyển được từ '{locked.get_status_display()}' sang "
                f"'{Survey.Status(status).label}'.",
                field="status",
            )
        if status == Survey.Status.OPEN and not locked.versions.exists():
            raise ServiceError(
                "Chưa có biểu mẫu: hãy tải lên bảng hỏi XLSForm trước khi mở thu thập.",
                field="status",
            )
        before = locked.status
        locked.status = status
        locked.version += 1
        locked.save(update_fields=["status", "version", "updated_at"])
        verb = {
            Survey.Status.OPEN: "Mở thu thập" if before == Survey.Status.DRAFT else "Mở lại",
            Survey.Status.CLOSED: "Đóng",
        }.get(status, "Đổi trạng thái")
        audit(
            actor=user, action=AuditEntry.Action.UPDATE, obj=locked, unit=locked.unit,
            summary=f"{verb} cuộc khảo sát '{locked.title}'",
            data={"status": status, "before": before},
        )
    return locked


def set_concept_key(*, user: User, question: Question, concept_key: str) -> Question:
    """Link a question to the same question in other rounds (the survey database, R6)."""
    _check_office(user)
    key = fold(concept_key or "").strip()
    if not key:
        raise ServiceError("Khóa câu hỏi lặp lại không được để trống.", field="concept_key")
    if len(key) > 300:
        raise ServiceError("Khóa câu hỏi lặp lại dài quá 300 ký tự.", field="concept_key")
    with transaction.atomic():
        before = question.concept_key
        question.concept_key = key
        question.save(update_fields=["concept_key"])
        audit(
            actor=user, action=AuditEntry.Action.UPDATE, obj=question,
            unit=question.form_version.survey.unit,
            summary=f"Đặt khóa câu hỏi lặp lại cho '{question.name}'",
            data={"before": before, "after": key},
        )
    return question
