"""A resident's feedback from the public form: throttled per address, answered by tracking code."""

from __future__ import annotations

import base64
import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.dates import local_today
from core.errors import ServiceError
from core.models import AuditEntry, Channel
from core.salts import address_hashes
from intake.services.common import _clean_contact
from intake.services.items import _create_item, _ItemInput, announce_filed
from orgs.models import Area
from textops import services as textops

PUBLIC_MAX_TEXT = 5_000
PUBLIC_LIMIT = 5  # public submissions per address ...
PUBLIC_WINDOW = dt.timedelta(minutes=10)  # ... per this window
TRACKING_CODE_LENGTH = 10
ITEM_TYPE = "intake.opinionitem"


class ThrottledError(ServiceError):
    """Too many public submissions from one address in a short time."""

    status_code = 429


def _address_hashes(client_ip: str, now: dt.datetime) -> list[str]:
    """Salted hashes of the address for today and yesterday. The salt is random, changes daily and
    is deleted after 48 hours (``core.salts``), so the log cannot link a resident's visits across
    days nor be reversed with the SECRET_KEY; the raw address is never stored."""
    return address_hashes(client_ip, now, "public-feedback")


def _check_throttle(hashes: list[str], now: dt.datetime) -> None:
    recent = AuditEntry.objects.filter(
        object_type=ITEM_TYPE,
        action=AuditEntry.Action.CREATE,
        actor__isnull=True,
        at__gte=now - PUBLIC_WINDOW,
        data__ip__in=hashes,
    ).count()
    if recent >= PUBLIC_LIMIT:
        minutes = int(PUBLIC_WINDOW.total_seconds() // 60)
        raise ThrottledError(
            f"Bạn đã gửi {recent} góp ý trong {minutes} phút qua. Để tránh gửi trùng, xin vui lòng"
            f" thử lại sau ít phút nữa.",
        )


def _new_tracking_code() -> str:
    # 50 random bits in base32 (A-Z, 2-7): unguessable, easy to read out over the phone.
    return base64.b32encode(secrets.token_bytes(7)).decode("ascii")[:TRACKING_CODE_LENGTH]


def submit_public_feedback(
    *,
    text: str,
    area_id: int | None,
    wants_reply: bool,
    name: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    consent: bool = False,
    client_ip: str,
    analysis: textops.Analysis | None = None,
) -> str:
    """File a resident's feedback from the public form and return its tracking code.

    Anonymous unless the resident asks for a reply: then the contact details are stored apart
    (office only, encrypted), and only with the resident's ``consent`` to keep them (Law 91/2025:
    the form says what is kept, why and how long; ``consented_at`` records when).
    Throttled per address through the audit log (a salted daily hash, no raw IP).
    ``analysis``: given when the caller analysed a batch (the demo), and then it must be
    ``textops.analyse_many`` of exactly this raw ``text``; otherwise the text is analysed here.
    """
    now = timezone.now()
    hashes = _address_hashes(client_ip, now)
    area = None
    if area_id:
        area = Area.objects.filter(pk=area_id).first()
        if area is None:
            raise ServiceError("Tổ dân phố không tồn tại.", field="area")
    contact = None
    if wants_reply:
        contact = _clean_contact({"name": name, "phone": phone, "email": email, "address": address})
        if not (contact["phone"] or contact["email"]):
            raise ServiceError(
                "Để nhận trả lời, hãy để lại số điện thoại hoặc địa chỉ thư điện tử.", field="phone"
            )
        if not consent:
            raise ServiceError(
                "Hãy đánh dấu ô “Tôi đồng ý cho lưu thông tin liên hệ” để chúng tôi lưu số điện"
                " thoại, thư điện tử của bạn và trả lời bạn; nếu không, hãy bỏ chọn “Tôi muốn"
                " được trả lời” để gửi ẩn danh.",
                field="consent",
            )
        contact["consented_at"] = now
    with transaction.atomic():
        _check_throttle(hashes, now)
        for _attempt in range(5):
            code = _new_tracking_code()
            try:
                with transaction.atomic():
                    item = _create_item(
                        None,
                        _ItemInput(
                            text=text,
                            channel=Channel.PUBLIC_FORM,
                            received_on=local_today(),
                            area=area,
                            contact=contact,
                            wants_reply=bool(wants_reply),
                            tracking_code=code,
                            text_limit=PUBLIC_MAX_TEXT,
                            extra_audit={"public": True, "ip": hashes[0]},
                        ),
                        analysis,
                    )
                break
            except IntegrityError:  # a tracking code collision: astronomically rare, retry
                continue
        else:
            raise ServiceError("Không tạo được mã tra cứu; xin vui lòng gửi lại.")
        announce_filed([item.pk])
    return code
