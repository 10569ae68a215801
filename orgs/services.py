"""Writes of the org registry: units, areas, the responsible person (R1), collaborators (R5).

Only the office (Ban Xây dựng Đảng) changes the registry. Every function here checks all input
before it writes, runs in one transaction and appends an audit entry, so a refused call leaves
nothing behind. Refusals are :class:`core.errors.ServiceError` with a Vietnamese message naming
the field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from core.errors import ServiceError
from core.models import AuditEntry, SocialGroup, Topic
from core.services import audit, require_office
from core.text import nfc
from orgs.models import AllowancePayment, Area, Collaborator, OrgUnit, User
from orgs.quarters import QuarterError, parse_quarter
from orgs.selectors import descendant_ids


class _Unset:
    """Marks an argument the caller did not pass, so ``None`` can still mean "clear it"."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()

_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Vietnamese numbers after removing spaces, dots and dashes: mobile 0[35789]xxxxxxxx (10 digits),
# landline 02xxxxxxxxx (11 digits). "+84"/"84" is the same number written internationally.
_MOBILE_RE = re.compile(r"^0[35789]\d{8}$")
_LANDLINE_RE = re.compile(r"^02\d{9}$")


# --- shared checks -------------------------------------------------------------------------


REFUSAL = "Bạn không có quyền thay đổi danh mục tổ chức; việc này do Ban Xây dựng Đảng thực hiện."


def _require_office(actor: User) -> None:
    require_office(actor, "thay đổi danh mục tổ chức", message=REFUSAL, field=None)


def _clean_name(value: str, *, field: str, label: str, max_length: int) -> str:
    text = " ".join(nfc(value or "").split())
    if not text:
        raise ServiceError(f"Chưa nhập {label}.", field=field)
    if len(text) > max_length:
        raise ServiceError(f"{label.capitalize()} dài quá {max_length} ký tự.", field=field)
    return text


def _check_dates(start: dt.date, end: dt.date | None, *, end_field: str, message: str) -> None:
    if end is not None and start is not None and end < start:
        raise ServiceError(message, field=end_field)


def _changes(obj: Any, values: dict[str, Any]) -> dict[str, list[str]]:
    """Set the passed values on ``obj``; return {field: [old, new]} for the audit entry."""
    changed = {}
    for name, new in values.items():
        if new is UNSET:
            continue
        old = getattr(obj, name)
        if old != new:
            changed[name] = [_printable(old), _printable(new)]
            setattr(obj, name, new)
    return changed


def _printable(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --- units ---------------------------------------------------------------------------------


def _clean_kind(kind: str) -> str:
    if kind not in OrgUnit.Kind.values:
        raise ServiceError("Loại đơn vị không hợp lệ.", field="kind")
    return kind


def _check_parent(unit: OrgUnit | None, parent: OrgUnit | None) -> None:
    """A unit may not sit under itself or under one of its own descendants (a cycle)."""
    if parent is None or unit is None or unit.pk is None:
        return
    if parent.pk in descendant_ids(unit.pk):
        raise ServiceError(
            f"Không thể đặt '{parent.name}' làm đơn vị cấp trên của '{unit.name}':"
            " như vậy cây tổ chức sẽ thành vòng lặp.",
            field="parent",
        )


def _check_responsible(
    unit: OrgUnit, person: User | None, *, accept_outside_unit: bool
) -> None:
    """The responsible person is a member of the unit unless the office explicitly accepts it."""
    if person is None:
        return
    if not person.is_active:
        raise ServiceError(
            f"Tài khoản '{person.username}' đã bị khóa, không thể làm người phụ trách.",
            field="responsible_person",
        )
    if person.unit_id != unit.pk and not accept_outside_unit:
        raise ServiceError(
            f"'{person}' không thuộc đơn vị '{unit.name}'. Chọn người của đơn vị, hoặc đánh dấu"
            " xác nhận của Ban Xây dựng Đảng để giao cho người ngoài đơn vị.",
            field="responsible_person",
        )


def create_unit(
    *,
    actor: User,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None = None,
    opened_on: dt.date | None = None,
    closed_on: dt.date | None = None,
) -> OrgUnit:
    """Add a unit to the tree. The responsible person is named afterwards, once it has members."""
    _require_office(actor)
    code = (code or "").strip().lower()
    if not _CODE_RE.match(code) or len(code) > 40:
        raise ServiceError(
            "Mã đơn vị chỉ gồm chữ thường không dấu, số và dấu gạch ngang (tối đa 40 ký tự).",
            field="code",
        )
    if OrgUnit.objects.filter(code=code).exists():
        raise ServiceError(f"Mã đơn vị '{code}' đã được dùng.", field="code")
    unit = OrgUnit(
        code=code,
        name=_clean_name(name, field="name", label="tên đơn vị", max_length=200),
        kind=_clean_kind(kind),
        parent=parent,
    )
    if opened_on is not None:
        unit.opened_on = opened_on
    unit.closed_on = closed_on
    _check_dates(
        unit.opened_on, closed_on, end_field="closed_on",
        message="Ngày giải thể/sáp nhập không được trước ngày thành lập.",
    )
    with transaction.atomic():
        unit.save()
        audit(
            actor=actor, action=AuditEntry.Action.CREATE, obj=unit, unit=unit,
            summary=f"Tạo đơn vị {unit.name}",
        )
    return unit


def update_unit(
    *,
    actor: User,
    unit: OrgUnit,
    name: str = UNSET,
    kind: str = UNSET,
    parent: OrgUnit | None = UNSET,
    opened_on: dt.date = UNSET,
    closed_on: dt.date | None = UNSET,
    responsible_person: User | None = UNSET,
    accept_outside_unit: bool = False,
) -> OrgUnit:
    """Change the passed fields only; refuse a cycle in the tree and a closing before opening."""
    _require_office(actor)
    values: dict[str, Any] = {
        "name": UNSET if name is UNSET
        else _clean_name(name, field="name", label="tên đơn vị", max_length=200),
        "kind": UNSET if kind is UNSET else _clean_kind(kind),
        "parent": parent,
        "opened_on": opened_on,
        "closed_on": closed_on,
        "responsible_person": responsible_person,
    }
    if opened_on is not UNSET and opened_on is None:
        raise ServiceError("Chưa nhập ngày thành lập.", field="opened_on")
    if parent is not UNSET:
        _check_parent(unit, parent)
    start = unit.opened_on if opened_on is UNSET else opened_on
    end = unit.closed_on if closed_on is UNSET else closed_on
    _check_dates(
        start, end, end_field="closed_on",
        message="Ngày giải thể/sáp nhập không được trước ngày thành lập.",
    )
    if responsible_person is not UNSET:
        _check_responsible(unit, responsible_person, accept_outside_unit=accept_outside_unit)
    with transaction.atomic():
        changed = _changes(unit, values)
        if not changed:
            return unit
        unit.save()
        audit(
            actor=actor, action=AuditEntry.Action.UPDATE, obj=unit, unit=unit,
            summary=f"Cập nhật đơn vị {unit.name}: {', '.join(sorted(changed))}",
            data={"changes": changed},
        )
    return unit


def set_responsible_person(
    *, actor: User, unit: OrgUnit, person: User | None, accept_outside_unit: bool = False
) -> OrgUnit:
    """Name (or clear, with ``None``) the unit's person responsible for public-opinion work (R1)."""
    return update_unit(
        actor=actor, unit=unit, responsible_person=person,
        accept_outside_unit=accept_outside_unit,
    )


# --- areas ---------------------------------------------------------------------------------


MAX_COUNT = 2**31 - 1  # a PositiveIntegerField


def _clean_count(value: int | str | None, *, field: str, label: str) -> int:
    if value is None:
        return 0
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise ServiceError(f"{label} phải là số nguyên.", field=field) from exc
    if number < 0:
        raise ServiceError(f"{label} không được âm.", field=field)
    if number > MAX_COUNT:  # the column holds 32 bits (PostgreSQL: "integer out of range")
        raise ServiceError(f"{label} quá lớn (tối đa {MAX_COUNT:,}).".replace(",", "."),
                           field=field)
    return number


def _check_area_name_free(name: str, *, exclude_pk: int | None = None) -> None:
    others = Area.objects.filter(name=name)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ServiceError(f"Đã có tổ dân phố tên '{name}'.", field="name")


def create_area(
    *,
    actor: User,
    name: str,
    population: int = 0,
    households: int = 0,
    former_ward: str = "",
    unit: OrgUnit | None = None,
) -> Area:
    _require_office(actor)
    area = Area(
        name=_clean_name(name, field="name", label="tên tổ dân phố", max_length=120),
        population=_clean_count(population, field="population", label="Số nhân khẩu"),
        households=_clean_count(households, field="households", label="Số hộ"),
        former_ward=" ".join(nfc(former_ward or "").split())[:120],
        unit=unit,
    )
    _check_area_name_free(area.name)
    with transaction.atomic():
        area.save()
        audit(
            actor=actor, action=AuditEntry.Action.CREATE, obj=area, unit=unit,
            summary=f"Tạo tổ dân phố {area.name}",
        )
    return area


def update_area(
    *,
    actor: User,
    area: Area,
    name: str = UNSET,
    population: int = UNSET,
    households: int = UNSET,
    former_ward: str = UNSET,
    unit: OrgUnit | None = UNSET,
) -> Area:
    _require_office(actor)
    values: dict[str, Any] = {
        "name": UNSET if name is UNSET
        else _clean_name(name, field="name", label="tên tổ dân phố", max_length=120),
        "population": UNSET if population is UNSET
        else _clean_count(population, field="population", label="Số nhân khẩu"),
        "households": UNSET if households is UNSET
        else _clean_count(households, field="households", label="Số hộ"),
        "former_ward": UNSET if former_ward is UNSET
        else " ".join(nfc(former_ward or "").split())[:120],
        "unit": unit,
    }
    if values["name"] is not UNSET:
        _check_area_name_free(values["name"], exclude_pk=area.pk)
    with transaction.atomic():
        changed = _changes(area, values)
        if not changed:
            return area
        area.save()
        audit(
            actor=actor, action=AuditEntry.Action.UPDATE, obj=area, unit=area.unit,
            summary=f"Cập nhật tổ dân phố {area.name}: {', '.join(sorted(changed))}",
            data={"changes": changed},
        )
    return area


# --- collaborators -------------------------------------------------------------------------


def normalize_phone(value: str) -> str:
    """A Vietnamese phone number in its plain national form ("0912345678"); "" stays "".

    Raises ``ServiceError`` on anything that is not a Vietnamese mobile or landline number.
    """
    raw = (value or "").strip()
    if not raw:
        return ""
    digits = re.sub(r"[\s.\-()]", "", raw)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if _MOBILE_RE.match(digits) or _LANDLINE_RE.match(digits):
        return digits
    raise ServiceError(
        f"Số điện thoại '{raw}' không đúng dạng số Việt Nam (ví dụ 0912 345 678 hoặc"
        " 0225 3123 456).",
        field="phone",
    )


def _clean_email(value: str) -> str:
    email = (value or "").strip().lower()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ServiceError(f"Địa chỉ thư điện tử '{email}' không hợp lệ.", field="email") from exc
    return email


def _clean_status(status: str) -> str:
    if status not in Collaborator.Status.values:
        raise ServiceError("Trạng thái cộng tác viên không hợp lệ.", field="status")
    return status


def _clean_ids(items: Iterable[Any], model: type, *, field: str, label: str) -> list[int]:
    ids = sorted({getattr(item, "pk", item) for item in items or ()})
    if len(ids) != model.objects.filter(pk__in=ids).count():
        raise ServiceError(f"Có {label} không tồn tại.", field=field)
    return ids


def _clean_regime(values: dict[str, Any]) -> dict[str, Any]:
    """The appointing decision, the allowance rate and the payment period (UNSET kept)."""
    cleaned: dict[str, Any] = {}
    for name, label, limit in (("decision_number", "số quyết định", 60),
                               ("decision_signer", "người ký quyết định", 150)):
        value = values.get(name, UNSET)
        if value is not UNSET:
            text = " ".join(nfc(value or "").split())
            if len(text) > limit:
                raise ServiceError(f"{label.capitalize()} dài quá {limit} ký tự.", field=name)
            cleaned[name] = text
    if values.get("decision_date", UNSET) is not UNSET:
        cleaned["decision_date"] = values["decision_date"]
    rate = values.get("allowance_rate", UNSET)
    if rate is not UNSET:
        cleaned["allowance_rate"] = _clean_count(
            rate, field="allowance_rate", label="Mức phụ cấp")
    period = values.get("payment_period", UNSET)
    if period is not UNSET:
        if period not in Collaborator.PaymentPeriod.values:
            raise ServiceError("Kỳ chi trả phụ cấp không hợp lệ (hằng tháng hoặc hằng quý).",
                               field="payment_period")
        cleaned["payment_period"] = period
    return cleaned


def _check_collaborator_user(user: User | None, *, exclude_pk: int | None = None) -> None:
    if user is None:
        return
    others = Collaborator.objects.filter(user=user)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ServiceError(
            f"Tài khoản '{user.username}' đã gắn với một cộng tác viên khác.", field="user"
        )


def create_collaborator(
    *,
    actor: User,
    full_name: str,
    unit: OrgUnit,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    status: str = Collaborator.Status.ACTIVE,
    areas: Iterable[Area | int] = (),
    topics: Iterable[Topic | int] = (),
    phone: str = "",
    email: str = "",
    user: User | None = None,
    social_groups: Iterable[SocialGroup | int] = (),
    decision_number: str = "",
    decision_date: dt.date | None = None,
    decision_signer: str = "",
    allowance_rate: int = 0,
    payment_period: str = Collaborator.PaymentPeriod.QUARTER,
) -> Collaborator:
    """Register a collaborator. Contact details never enter the audit log (privacy)."""
    _require_office(actor)
    if unit is None:
        raise ServiceError("Chưa chọn đơn vị.", field="unit")
    if started_on is None:
        raise ServiceError("Chưa nhập ngày bắt đầu.", field="started_on")
    _check_dates(
        started_on, ended_on, end_field="ended_on",
        message="Ngày kết thúc không được trước ngày bắt đầu.",
    )
    collaborator = Collaborator(
        full_name=_clean_name(full_name, field="full_name", label="họ và tên", max_length=150),
        unit=unit,
        started_on=started_on,
        ended_on=ended_on,
        status=_clean_status(status),
        phone=normalize_phone(phone),
        email=_clean_email(email),
        user=user,
        **_clean_regime({
            "decision_number": decision_number, "decision_date": decision_date,
            "decision_signer": decision_signer, "allowance_rate": allowance_rate,
            "payment_period": payment_period,
        }),
    )
    area_ids = _clean_ids(areas, Area, field="areas", label="địa bàn")
    topic_ids = _clean_ids(topics, Topic, field="topics", label="lĩnh vực")
    group_ids = _clean_ids(social_groups, SocialGroup, field="social_groups",
                           label="nhóm xã hội")
    _check_collaborator_user(user)
    with transaction.atomic():
        collaborator.save()
        collaborator.areas.set(area_ids)
        collaborator.topics.set(topic_ids)
        collaborator.social_groups.set(group_ids)
        audit(
            actor=actor, action=AuditEntry.Action.CREATE, obj=collaborator, unit=unit,
            summary=f"Tạo cộng tác viên {collaborator.full_name}",
        )
    return collaborator


def update_collaborator(
    *,
    actor: User,
    collaborator: Collaborator,
    full_name: str = UNSET,
    unit: OrgUnit = UNSET,
    started_on: dt.date = UNSET,
    ended_on: dt.date | None = UNSET,
    status: str = UNSET,
    areas: Iterable[Area | int] = UNSET,
    topics: Iterable[Topic | int] = UNSET,
    phone: str = UNSET,
    email: str = UNSET,
    user: User | None = UNSET,
    social_groups: Iterable[SocialGroup | int] = UNSET,
    decision_number: str = UNSET,
    decision_date: dt.date | None = UNSET,
    decision_signer: str = UNSET,
    allowance_rate: int = UNSET,
    payment_period: str = UNSET,
) -> Collaborator:
    """Change the passed fields. The audit entry names changed contact fields, not their values."""
    _require_office(actor)
    if unit is not UNSET and unit is None:
        raise ServiceError("Chưa chọn đơn vị.", field="unit")
    if started_on is not UNSET and started_on is None:
        raise ServiceError("Chưa nhập ngày bắt đầu.", field="started_on")
    start = collaborator.started_on if started_on is UNSET else started_on
    end = collaborator.ended_on if ended_on is UNSET else ended_on
    _check_dates(
        start, end, end_field="ended_on",
        message="Ngày kết thúc không được trước ngày bắt đầu.",
    )
    values: dict[str, Any] = {
        "full_name": UNSET if full_name is UNSET
        else _clean_name(full_name, field="full_name", label="họ và tên", max_length=150),
        "unit": unit,
        "started_on": started_on,
        "ended_on": ended_on,
        "status": UNSET if status is UNSET else _clean_status(status),
        "user": user,
        **_clean_regime({
            "decision_number": decision_number, "decision_date": decision_date,
            "decision_signer": decision_signer, "allowance_rate": allowance_rate,
            "payment_period": payment_period,
        }),
    }
    contact = {
        "phone": UNSET if phone is UNSET else normalize_phone(phone),
        "email": UNSET if email is UNSET else _clean_email(email),
    }
    area_ids = None if areas is UNSET else _clean_ids(areas, Area, field="areas", label="địa bàn")
    topic_ids = (
        None if topics is UNSET else _clean_ids(topics, Topic, field="topics", label="lĩnh vực")
    )
    group_ids = None if social_groups is UNSET else _clean_ids(
        social_groups, SocialGroup, field="social_groups", label="nhóm xã hội")
    if user is not UNSET:
        _check_collaborator_user(user, exclude_pk=collaborator.pk)
    with transaction.atomic():
        changed = _changes(collaborator, values)
        changed.update({name: ["…", "…"] for name in _changes(collaborator, contact)})
        changed.update(_set_m2m(collaborator.areas, area_ids, "areas"))
        changed.update(_set_m2m(collaborator.topics, topic_ids, "topics"))
        changed.update(_set_m2m(collaborator.social_groups, group_ids, "social_groups"))
        if not changed:
            return collaborator
        collaborator.save()
        audit(
            actor=actor, action=AuditEntry.Action.UPDATE, obj=collaborator,
            unit=collaborator.unit,
            summary=f"Cập nhật cộng tác viên {collaborator.full_name}: "
            f"{', '.join(sorted(changed))}",
            data={"changes": changed},
        )
    return collaborator


def _set_m2m(manager: Any, ids: list[int] | None, name: str) -> dict[str, list[str]]:
    if ids is None:
        return {}
    old = sorted(manager.values_list("pk", flat=True))
    if old == ids:
        return {}
    manager.set(ids)
    return {name: [",".join(map(str, old)), ",".join(map(str, ids))]}


def record_payment(
    *,
    actor: User,
    collaborator: Collaborator,
    quarter: str,
    amount: int | str | None,
    paid_on: dt.date,
    voucher: str = "",
) -> AllowancePayment:
    """The office records an allowance paid to a collaborator for a quarter (R5); ``amount``
    may be the text a form posted (checked here, the field named)."""
    _require_office(actor)
    try:
        key = parse_quarter(quarter)
    except QuarterError as exc:
        raise ServiceError(str(exc), field="quarter") from exc
    number = _clean_count(amount, field="amount", label="Số tiền đã chi")
    if number == 0:
        raise ServiceError("Số tiền đã chi phải lớn hơn 0.", field="amount")
    if paid_on is None:
        raise ServiceError("Chưa nhập ngày chi.", field="paid_on")
    if paid_on < key.start:
        raise ServiceError(f"Ngày chi {paid_on:%d/%m/%Y} trước {key.label}: phụ cấp chi cho quý"
                           " đã bắt đầu.", field="paid_on")
    text = " ".join(nfc(voucher or "").split())
    if len(text) > 60:
        raise ServiceError("Số chứng từ dài quá 60 ký tự.", field="voucher")
    with transaction.atomic():
        payment = AllowancePayment.objects.create(
            collaborator=collaborator, quarter=key.code, amount=number, paid_on=paid_on,
            voucher=text, created_by=actor)
        audit(
            actor=actor, action=AuditEntry.Action.CREATE, obj=payment, unit=collaborator.unit,
            summary=f"Ghi chi phụ cấp {key.label} cho cộng tác viên {collaborator.full_name}:"
                    f" {number:,} đồng".replace(",", "."),
            data={"quarter": key.code, "amount": number},
        )
    return payment


# --- passwords -----------------------------------------------------------------------------

# No 0/O, 1/l/I: the office reads the temporary password out over the phone.
_TEMP_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def reset_password(*, actor: User, user: User) -> str:
    """The office gives ``user`` a temporary password, returned to be shown once.

    The person must change it at their next login (``must_change_password``); their sessions
    elsewhere end (the password hash changed) and their API tokens are revoked.
    """
    import secrets

    from core import tokens

    require_office(actor, "đặt lại mật khẩu của người khác")
    if user.pk == actor.pk:
        raise ServiceError("Hãy đổi mật khẩu của chính bạn ở trang “Đổi mật khẩu”.")
    temporary = "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(12))
    with transaction.atomic():
        user.set_password(temporary)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        audit(
            actor=actor,
            action=AuditEntry.Action.PASSWORD_RESET,
            obj=user,
            unit=user.unit,
            summary=f"{actor.username} đặt mật khẩu tạm cho {user.username}",
        )
        tokens.revoke_all(user, actor=actor, reason="văn phòng đặt lại mật khẩu")
    return temporary
