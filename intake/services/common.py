"""Checks shared by every intake writer: texts, choices, dates, links, vocabularies, units,
contact details, and who may file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db.models import Q

from core.dates import local_today
from core.errors import ServiceError
from core.models import Channel, SocialGroup, Topic
from orgs.models import Area, OrgUnit, User
from orgs.selectors import visible_unit_ids
from textengine.mask import mask


def _clean_text(text: str, *, limit: int | None = None) -> str:
    limit = limit or settings.LONGDAN_MAX_TEXT
    if not isinstance(text, str) or not text.strip():
        raise ServiceError("Hãy nhập nội dung ý kiến.", field="text")
    if "\x00" in text:
        raise ServiceError("Nội dung có ký tự không hợp lệ (dữ liệu nhị phân).", field="text")
    if len(text) > limit:
        shown = f"{limit:,}".replace(",", ".")
        raise ServiceError(
            f"Nội dung dài quá {shown} ký tự; hãy tách thành nhiều ý kiến.", field="text"
        )
    return text


def _choice(value: str, choices, field_name: str, label: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            raise ServiceError(f"Hãy chọn {label}.", field=field_name)
        return ""
    if value not in choices.values:
        raise ServiceError(f"{label.capitalize()} “{value}” không hợp lệ.", field=field_name)
    return value


def _check_filed_by_hand(channel: str, field_name: str) -> None:
    """A person files under any channel but the public form's: that one is what residents sent
    themselves (each with a tracking code), and the office triages it as such."""
    if channel == Channel.PUBLIC_FORM:
        raise ServiceError(
            f"Kênh “{Channel.PUBLIC_FORM.label}” chỉ dành cho góp ý người dân tự gửi qua trang"
            " góp ý; hãy chọn kênh khác.",
            field=field_name,
        )


def _received_on(day: dt.date | None) -> dt.date:
    today = local_today()
    if day is None:
        return today
    if not isinstance(day, dt.date):
        raise ServiceError("Ngày tiếp nhận không hợp lệ.", field="received_on")
    if isinstance(day, dt.datetime):
        day = day.date()
    if day > today:
        raise ServiceError("Ngày tiếp nhận không được sau hôm nay.", field="received_on")
    if day < dt.date(2000, 1, 1):
        raise ServiceError("Ngày tiếp nhận quá xa trong quá khứ.", field="received_on")
    return day


def _source_link(url: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise ServiceError(
            "Đường dẫn nguồn phải là địa chỉ http(s) hợp lệ.", field="source_link"
        ) from exc
    if len(url) > 500:
        raise ServiceError("Đường dẫn nguồn dài quá 500 ký tự.", field="source_link")
    # A link can carry a phone number or e-mail in its query; keep it only when it is clean.
    if mask(url).kinds:
        raise ServiceError(
            "Đường dẫn nguồn có chứa thông tin cá nhân (số điện thoại, thư điện tử…); hãy bỏ"
            " phần đó.",
            field="source_link",
        )
    return url


def _topics(topic_ids: Iterable[int] | None) -> list[Topic]:
    return _topics_and_suggestion(topic_ids, None)[0]


def _topics_and_suggestion(
    topic_ids: Iterable[int] | None, suggestion: dict | None
) -> tuple[list[Topic], Topic | None]:
    """The chosen topics (every id must exist) and the engine's suggested topic, in one query.

    ``suggestion``: a field lookup (``textops.selectors.topic_lookup_for_code``); the topic is
    the first row in the topics' order that matches it, as ``.filter(**lookup).first()``."""
    ids = {int(pk) for pk in (topic_ids or [])}
    wanted = Q(pk__in=ids)
    if suggestion:
        wanted |= Q(**suggestion)
    rows = list(Topic.objects.filter(wanted)) if ids or suggestion else []
    topics = [row for row in rows if row.pk in ids]
    if len(topics) != len(ids):
        raise ServiceError("Có chủ đề không tồn tại.", field="topics")
    matches = [row for row in rows if suggestion and _matches(row, suggestion)]
    return topics, (matches[0] if matches else None)


def _matches(row, lookup: dict) -> bool:
    return all(getattr(row, key) == value for key, value in lookup.items())


def _social_groups(group_ids: Iterable[int] | None) -> list[SocialGroup]:
    ids = {int(pk) for pk in (group_ids or [])}
    groups = list(SocialGroup.objects.filter(pk__in=ids))
    if len(groups) != len(ids):
        raise ServiceError("Có nhóm xã hội không tồn tại.", field="social_groups")
    return groups


def _unit_for(user: User | None, unit: OrgUnit | None, area: Area | None) -> OrgUnit | None:
    """The receiving unit: the one given (if the writer may file for it), else the writer's own."""
    if user is None:  # a resident: the unit responsible for the area, if any
        return area.unit if area is not None else None
    if unit is None:
        return user.unit if user.unit_id else (area.unit if area is not None else None)
    ids = visible_unit_ids(user)
    if ids is not None and unit.pk not in ids:
        raise ServiceError("Bạn chỉ ghi nhận được ý kiến cho đơn vị của mình.", field="unit")
    return unit


def can_file(user: User) -> bool:
    """Who records opinion items and meetings: the office, reporters (for their units) and
    collaborators. Leaders read everything and write nothing."""
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_office or user.role in (User.Role.REPORTER, User.Role.COLLABORATOR)
    )


def _clean_contact(contact: dict) -> dict:
    name = " ".join(str(contact.get("name") or "").split())[:150]
    phone = "".join(ch for ch in str(contact.get("phone") or "") if ch.isdigit() or ch == "+")
    email = str(contact.get("email") or "").strip()
    address = " ".join(str(contact.get("address") or "").split())[:300]
    if phone and not 9 <= len(phone.lstrip("+")) <= 12:
        raise ServiceError("Số điện thoại không hợp lệ.", field="phone")
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ServiceError("Địa chỉ thư điện tử không hợp lệ.", field="email") from exc
    return {"name": name, "phone": phone[:20], "email": email[:254], "address": address}
