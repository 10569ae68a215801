"""Writes of survey collection: responses from every channel, anonymous tokens, quotas, imports.

Invariants every writer here keeps:

* a response is stored once per ``instanceID``, however often and however concurrently it is
  sent: the unique constraint decides, and a losing insert returns the stored response
  (``created=False``) without storing anything else;
* one transaction per call: a response, its attachments, the token it used and its audit entry
  land together or not at all;
* privacy: text answers are masked (phone, ID and account numbers, …) and normalised before
  they are stored, in the answers and in the kept XML alike; fields ODK fills from the phone
  (device id, phone number, SIM) are dropped; a token is marked used with nothing tying it to
  the response; audit entries name the survey and the channel, never an answer;
* a closed (or not yet open) survey takes no new response but keeps what it has, and still
  acknowledges a retry of one it already stored.

Areas are read from the answer to ``survey.area_field`` (see :mod:`surveys.collect.areas`);
imports from a spreadsheet are in :mod:`surveys.collect.imports`.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
import secrets
from collections.abc import Mapping

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import ServiceError
from core.models import AuditEntry
from core.services import audit
from odk import openrosa
from orgs.models import Collaborator, User
from surveys.collect import sampling, selectors
from surveys.collect.areas import derived_fields
from surveys.collect.selectors import (
    dimension_categories,
    may_collect,
    structure_of,
    survey_areas,
    token_hash,
)
from surveys.models import (
    CollectorCredential,
    DigestNonce,
    FormVersion,
    Quota,
    Response,
    Survey,
    SurveyToken,
)
from textops.services import mask_everything

MAX_TOKENS_PER_BATCH = 5_000
MAX_ATTACHMENTS = 50
_SAFE_NAME = re.compile(r"^[^/\\\x00-\x1f]{1,255}$")


class CollectError(ServiceError):
    """A refused response; ``status_code`` is the HTTP status an endpoint answers with."""

    def __init__(self, message: str, *, status: int = 400, field: str | None = None):
        super().__init__(message, field=field)
        self.status_code = status


def max_attachment_bytes() -> int:
    return int(getattr(settings, "LONGDAN_SURVEY_MAX_ATTACHMENT_MB", 10)) * 1024 * 1024


def mask_text(text: str) -> str:
    return mask_everything(text)[0]


# --- receiving a response ----------------------------------------------------------------------


def _check_attachments(attachments: Mapping[str, tuple[bytes, str]]) -> None:
    limit = max_attachment_bytes()
    if len(attachments) > MAX_ATTACHMENTS:
        raise CollectError(f"Bản nộp có quá nhiều tệp đính kèm (tối đa {MAX_ATTACHMENTS}).")
    for name, (content, _) in attachments.items():
        check_attachment(name, len(content), limit)


def check_attachment(name: str, size: int, limit: int | None = None) -> None:
    """Refuse an attachment by its name and size alone (before reading it into memory)."""
    limit = max_attachment_bytes() if limit is None else limit
    if not _SAFE_NAME.match(name or ""):
        raise CollectError(f"Tên tệp đính kèm “{name}” không hợp lệ.", field=name)
    if size > limit:
        raise CollectError(
            f"Tệp đính kèm “{name}” quá lớn ({size / 1048576:.1f} MB; tối đa"
            f" {limit // 1048576} MB).",
            status=413,
            field=name,
        )


def _find_version(submission: openrosa.Submission, survey: Survey | None) -> FormVersion:
    version = selectors.version_by_form(submission.form_id, submission.version)
    if version is None:
        if Survey.objects.filter(form_id=submission.form_id).exists():
            raise CollectError(
                f"Biểu mẫu “{submission.form_id}” không có phiên bản “{submission.version}”: hãy"
                " tải lại biểu mẫu mới nhất rồi điền lại.",
                status=404,
            )
        raise CollectError(
            f"Không có biểu mẫu nào mang mã “{submission.form_id}” trên máy chủ.", status=404
        )
    if survey is not None and version.survey_id != survey.pk:
        raise CollectError(
            f"Bản nộp thuộc biểu mẫu “{submission.form_id}”, không phải của cuộc khảo sát"
            f" “{survey.title}”.",
            status=404,
        )
    return version


def refuse_if_not_open(survey: Survey) -> None:
    if survey.status == Survey.Status.CLOSED:
        raise CollectError(
            f"Cuộc khảo sát “{survey.title}” đã đóng, không nhận thêm phiếu.", status=403
        )
    if survey.status != Survey.Status.OPEN:
        raise CollectError(
            f"Cuộc khảo sát “{survey.title}” chưa mở thu thập, chưa nhận phiếu.", status=403
        )


def _stored(instance_id: str) -> Response | None:
    return Response.objects.filter(instance_id=instance_id).order_by().first()


def _add_attachments(response: Response, attachments: Mapping[str, tuple[bytes, str]]) -> int:
    if not attachments:
        return 0
    have = set(response.attachments.values_list("name", flat=True))
    added = 0
    for name, (content, content_type) in attachments.items():
        if name in have:
            continue
        response.attachments.create(
            name=name, content_type=(content_type or "")[:100], size=len(content), content=content
        )
        added += 1
    return added


def _redeem(survey: Survey, token: str) -> None:
    """Mark ``token`` used, atomically: of two concurrent uses exactly one wins.

    Only the day is kept: an exact time would match the response's receipt time and so tie
    whoever was handed this link to the answers it allowed.
    """
    used = SurveyToken.objects.filter(
        survey=survey, token_hash=token_hash(token), used_at__isnull=True
    ).update(used_at=_start_of_today())
    if used == 1:
        return
    if SurveyToken.objects.filter(survey=survey, token_hash=token_hash(token)).exists():
        raise CollectError(
            "Liên kết này đã được dùng để trả lời rồi: mỗi liên kết chỉ dùng được một lần.",
            status=403,
        )
    raise CollectError(
        "Liên kết trả lời không hợp lệ hoặc không thuộc cuộc khảo sát này.", status=403
    )


def _start_of_today():
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))


_MOMENT = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}")


def day_only(text: str) -> str:
    """``text`` with a date-and-time (ISO 8601) cut to its date; any other text unchanged."""
    found = _MOMENT.match(text or "")
    return found.group(1) if found else text


def day_only_submission(submission: openrosa.Submission) -> openrosa.Submission:
    """A copy keeping only the day of every moment (``start``, ``end``, ``timeEnd``,
    ``submissionDate``, any dateTime answer): what is kept of an anonymous-link response."""
    root = copy.deepcopy(submission.root)
    for element in root.iter():
        if element.text:
            element.text = day_only(element.text)
        for name, value in list(element.attrib.items()):
            element.set(name, day_only(value))
    return dataclasses.replace(submission, root=root)


class _LostRace(Exception):
    """Another request stored this instanceID first: roll back everything, return theirs."""


SOURCE_LABELS = dict(Response.Source.choices)


def receive_submission(
    *,
    xml: bytes | str,
    attachments: Mapping[str, tuple[bytes, str]] | None = None,
    source: str,
    interviewer: Collaborator | None = None,
    token: str | None = None,
    survey: Survey | None = None,
    collector: User | None = None,
) -> tuple[Response, bool]:
    """Store one submitted instance; return ``(response, created)``.

    ``survey`` (web pages) requires the instance to belong to it; ``collector`` (an
    authenticated sender) must be allowed to collect for the survey, else it is "not found";
    ``token`` (anonymous links) is redeemed in the same transaction. A repeated ``instanceID``
    returns the stored response with ``created=False`` (and keeps any attachment it lacked).
    Refusals raise :class:`CollectError` (404 unknown form or version, 403 closed survey or
    used link, 413 oversized attachment, 400 malformed XML).
    """
    attachments = dict(attachments or {})
    if source not in SOURCE_LABELS:
        raise CollectError(f"Nguồn phiếu “{source}” không hợp lệ.")
    try:
        submission = openrosa.parse_submission(xml)
    except openrosa.SubmissionError as exc:
        raise CollectError(exc.message, status=exc.status) from exc
    _check_attachments(attachments)
    version = _find_version(submission, survey)
    # The version may come from the process cache; its survey (status!) is always read afresh.
    target = Survey.objects.select_related("unit").get(pk=version.survey_id)
    if collector is not None and not may_collect(collector, target):
        raise CollectError(
            f"Không có biểu mẫu nào mang mã “{submission.form_id}” trên máy chủ.", status=404
        )
    if source == Response.Source.PUBLIC_LINK and (not token or not target.allow_public_link):
        raise CollectError("Cuộc khảo sát này không nhận trả lời qua liên kết ẩn danh.", status=403)
    structure = structure_of(version)
    cleaned = submission.cleaned(structure, mask_text)
    anonymous = source == Response.Source.PUBLIC_LINK
    if anonymous:
        cleaned = day_only_submission(cleaned)
    data = cleaned.answers(structure)
    derived = derived_fields(target, structure, data)  # read before the write lock is taken
    try:
        with transaction.atomic():
            existing = _stored(submission.instance_id)
            if existing is not None:
                return _duplicate(existing, target, attachments), False
            refuse_if_not_open(target)
            if token:
                try:
                    _redeem(target, token)
                except CollectError:
                    # A retry of this very response may have used the token a moment ago.
                    again = _stored(submission.instance_id)
                    if again is not None:
                        return _duplicate(again, target, attachments), False
                    raise
            try:
                with transaction.atomic():
                    response = Response.objects.create(
                        survey=target,
                        form_version=version,
                        instance_id=submission.instance_id,
                        data=data,
                        xml=cleaned.to_xml(),
                        source=source,
                        interviewer=interviewer,
                        submitted_at=_start_of_today() if anonymous else submission.submitted_at,
                        **derived,
                    )
                    if anonymous:
                        # received_at is auto_now_add: only an update can keep the day alone.
                        response.received_at = _start_of_today()
                        Response.objects.filter(pk=response.pk).update(
                            received_at=response.received_at
                        )
            except IntegrityError as exc:
                raise _LostRace from exc
            _add_attachments(response, attachments)
            audit(
                actor=collector,
                action=AuditEntry.Action.SUBMIT,
                # An anonymous answer's log entry names the survey, not the response: its exact
                # time would otherwise tie the response to whoever was handed the link.
                obj=target if anonymous else response,
                unit=target.unit,
                summary=f"Nhận phiếu khảo sát “{target.title}” qua {SOURCE_LABELS[source]}",
                data={
                    "survey": target.pk,
                    "form_version": version.version,
                    "source": source,
                    "attachments": len(attachments),
                },
            )
    except _LostRace as lost:
        existing = _stored(submission.instance_id)
        if existing is None:
            raise lost.__cause__ from None
        with transaction.atomic():
            return _duplicate(existing, target, attachments), False
    return response, True


def _duplicate(existing: Response, survey: Survey, attachments) -> Response:
    if existing.survey_id != survey.pk:
        raise CollectError(
            "Mã bản ghi (instanceID) này đã được dùng cho phiếu của một cuộc khảo sát khác.",
            status=409,
        )
    if attachments:
        _add_attachments(existing, attachments)
    return existing


# --- anonymous single-use links ----------------------------------------------------------------


def issue_tokens(*, survey: Survey, count: int, batch: str = "", user: User) -> list[str]:
    """Make ``count`` single-use tokens; return them in plain text, the only time they exist.

    Only their SHA-256 hashes are stored, so a lost list cannot be shown again: issue more.
    """
    if not user.is_office:
        raise ServiceError("Chỉ Ban Xây dựng Đảng được phát hành liên kết trả lời ẩn danh.")
    if not survey.allow_public_link:
        raise ServiceError(
            "Cuộc khảo sát này chưa cho phép liên kết ẩn danh: hãy bật “cho phép liên kết ẩn"
            " danh” trong phần sửa khảo sát trước.",
            field="count",
        )
    if survey.status == Survey.Status.CLOSED:
        raise ServiceError("Cuộc khảo sát đã đóng: không phát hành thêm liên kết.", field="count")
    if isinstance(count, bool) or not isinstance(count, int) or not (
        1 <= count <= MAX_TOKENS_PER_BATCH
    ):
        raise ServiceError(
            f"Số liên kết phải từ 1 đến {MAX_TOKENS_PER_BATCH:,}.".replace(",", "."),
            field="count",
        )
    batch = " ".join((batch or "").split())[:100]
    tokens = [secrets.token_urlsafe(16) for _ in range(count)]
    with transaction.atomic():
        SurveyToken.objects.bulk_create(
            [SurveyToken(survey=survey, token_hash=token_hash(t), batch=batch) for t in tokens]
        )
        audit(
            actor=user,
            action=AuditEntry.Action.CREATE,
            obj=survey,
            unit=survey.unit,
            summary=f"Phát hành {count} liên kết trả lời ẩn danh cho khảo sát “{survey.title}”",
            data={"count": count, "batch": batch},
        )
    return tokens


# --- quotas and the sample plan ----------------------------------------------------------------


def set_quotas(
    *, survey: Survey, dimension: str, targets: Mapping[str, int], user: User
) -> list[Quota]:
    """Replace the targets of one dimension; a category with target 0 has none."""
    if not user.is_office:
        raise ServiceError("Chỉ Ban Xây dựng Đảng được đặt chỉ tiêu mẫu.")
    if dimension not in Quota.Dimension.values:
        raise ServiceError(f"Chiều chỉ tiêu “{dimension}” không hợp lệ.", field="dimension")
    known = dict(dimension_categories(survey, dimension))
    cleaned: dict[str, int] = {}
    for category, target in targets.items():
        category = str(category).strip()
        label = known.get(category, category)
        if known and category not in known:
            raise ServiceError(f"Nhóm “{category}” không có trong danh mục.", field=category)
        if isinstance(target, bool) or not isinstance(target, int) or target < 0:
            raise ServiceError(
                f"Chỉ tiêu của “{label}” phải là số nguyên không âm.", field=category
            )
        if target:
            cleaned[category] = target
    with transaction.atomic():
        survey.quotas.filter(dimension=dimension).exclude(category__in=cleaned).delete()
        saved = []
        for category, target in cleaned.items():
            quota, _ = Quota.objects.update_or_create(
                survey=survey, dimension=dimension, category=category,
                defaults={"target": target},
            )
            saved.append(quota)
        audit(
            actor=user,
            action=AuditEntry.Action.UPDATE,
            obj=survey,
            unit=survey.unit,
            summary=f"Đặt chỉ tiêu mẫu theo {Quota.Dimension(dimension).label.lower()} cho khảo"
            f" sát “{survey.title}” (tổng {sum(cleaned.values())})",
            data={"dimension": dimension, "targets": cleaned},
        )
    return saved


def population_plan(survey: Survey, sample_size: int | None = None) -> dict[str, int]:
    """Interviews per area (by id) for the sample size, in proportion to population."""
    size = survey.sample_size if sample_size is None else sample_size
    areas = survey_areas(survey)
    if not areas:
        raise ServiceError("Chưa có tổ dân phố nào: hãy thêm địa bàn trước khi phân bổ mẫu.")
    if not size:
        raise ServiceError(
            "Chưa có cỡ mẫu dự kiến: hãy nhập cỡ mẫu của cuộc khảo sát trước.", field="sample_size"
        )
    try:
        shares = sampling.allocate(size, {str(a.pk): a.population for a in areas})
    except sampling.AllocationError as exc:
        raise ServiceError(exc.message, field="sample_size") from exc
    return shares


def apply_population_plan(
    *, survey: Survey, user: User, sample_size: int | None = None
) -> dict[str, int]:
    """Set the area quotas from :func:`population_plan`; return the shares."""
    shares = population_plan(survey, sample_size)
    set_quotas(survey=survey, dimension=Quota.Dimension.AREA, targets=shares, user=user)
    return shares


# --- ODK Collect logins ------------------------------------------------------------------------

ODK_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: typed on a phone


def odk_realm() -> str:
    return getattr(settings, "LONGDAN_ODK_REALM", "Long Dan")


def use_digest_nonce(nonce: str, nc: int, *, keep_seconds: int) -> bool:
    """Record one use of a Digest ``nonce`` with count ``nc``; False if the count is not new.

    A replayed ``Authorization`` header carries a (nonce, nc) already seen, and is refused. The
    check-and-set is one conditional UPDATE (or one INSERT that a unique key guards), so two
    processes cannot both accept the same header. Nonces older than ``keep_seconds`` (expired:
    their headers are refused as stale before reaching here) are pruned when a new one arrives.
    """
    if DigestNonce.objects.filter(nonce=nonce, highest_nc__lt=nc).update(highest_nc=nc):
        return True
    if DigestNonce.objects.filter(nonce=nonce).exists():
        return False
    try:
        with transaction.atomic():
            DigestNonce.objects.create(nonce=nonce, highest_nc=nc)
    except IntegrityError:  # another process recorded this nonce just now: use the count check
        return bool(
            DigestNonce.objects.filter(nonce=nonce, highest_nc__lt=nc).update(highest_nc=nc)
        )
    DigestNonce.objects.filter(
        created_at__lt=timezone.now() - dt.timedelta(seconds=keep_seconds)
    ).delete()
    return True


def can_hold_odk_login(user: User) -> bool:
    return user.is_active and user.role != User.Role.LEADER


def issue_odk_credential(*, user: User, by: User) -> tuple[CollectorCredential, str]:
    """Give ``user`` a new ODK Collect password; return it in plain text (shown once).

    The login name is the person's user name; only HA1 (see
    :class:`~surveys.models.CollectorCredential`) is stored, and a new password replaces the old.
    """
    if not by.is_office:
        raise ServiceError("Chỉ Ban Xây dựng Đảng được cấp mã đăng nhập ODK.")
    if not can_hold_odk_login(user):
        raise ServiceError(
            f"{user} là lãnh đạo hoặc tài khoản đã khóa: không cấp mã đăng nhập ODK."
        )
    raw = "".join(secrets.choice(ODK_PASSWORD_ALPHABET) for _ in range(12))
    password = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
    realm = odk_realm()
    with transaction.atomic():
        credential, created = CollectorCredential.objects.update_or_create(
            user=user,
            defaults={
                "username": user.username,
                "realm": realm,
                "ha1": openrosa.digest_ha1(user.username, realm, password),
                "created_by": by,
            },
        )
        audit(
            actor=by,
            action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
            obj=credential,
            unit=user.unit,
            summary=f"{'Cấp' if created else 'Cấp lại'} mã đăng nhập ODK cho {user}",
        )
    return credential, password


def revoke_odk_credential(*, user: User, by: User) -> None:
    if not by.is_office:
        raise ServiceError("Chỉ Ban Xây dựng Đảng được thu hồi mã đăng nhập ODK.")
    with transaction.atomic():
        deleted, _ = CollectorCredential.objects.filter(user=user).delete()
        if deleted:
            audit(
                actor=by,
                action=AuditEntry.Action.DELETE,
                object_type="surveys.collectorcredential",
                object_id=str(user.pk),
                unit=user.unit,
                summary=f"Thu hồi mã đăng nhập ODK của {user}",
            )
