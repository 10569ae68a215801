"""Alerts to the people who must know (issue 8): who is told, once a day per subject, and how.

:func:`raise_alert` decides the recipients of one subject (a burst, a rising topic, an overdue
issue or direction) and writes one :class:`~picture.models.Alert` per person per day. The unique
constraint (user, subject, day) is the de-duplication: each insert runs in its own savepoint, so
when another run (or another worker) wrote the row first the insert fails quietly and nothing is
sent twice. Each new alert gives an in-app notification, and an e-mail at once through the outbox
when the person asked for it; a person on a daily digest gets the e-mail from
:func:`send_daily_digests`, which gathers everything not yet e-mailed, once a day.

Who subscribes: the office and the leaders only (they read the whole ward, so an alert never shows
a reader more than they may see). A subscription names a topic, an area, both, or neither (then it
is everything). Overdue issues and directions reach the office and every leader whatever they
subscribed to: escalation must reach them.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.errors import ServiceError
from core.models import AuditEntry, OutgoingEmail, Topic
from core.outbox import queue_email
from core.services import audit, notify
from orgs.models import Area, User
from picture.models import Alert, Subscription

logger = logging.getLogger(__name__)

# Subjects whose recipients are the office and every leader, subscribed or not.
ESCALATED_KINDS = frozenset({Alert.Kind.ISSUE_OVERDUE, Alert.Kind.DIRECTION_OVERDUE})
SUBSCRIBER_ROLES = (User.Role.OFFICE, User.Role.LEADER)
DIGEST_KIND = "alert_digest"
# A first digest (or one after a long pause) gathers no more than this: older alerts are stale.
DIGEST_LOOKBACK_DAYS = 30

WHO_MAY_SUBSCRIBE = (
    "Chỉ Ban Xây dựng Đảng và lãnh đạo (Ban Thường vụ) được đăng ký nhận cảnh báo; "
    "các đơn vị nhận nhắc hạn của việc mình phụ trách trong mục Thông báo."
)


# --- Who is told, and how ----------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    """How one person gets one alert: at once or in the daily digest, with or without e-mail."""

    user: User
    immediate: bool = True
    by_email: bool = True

    @property
    def email_now(self) -> bool:
        return self.immediate and self.by_email and bool(self.user.email)


def _id(value: Any) -> int | None:
    """A model instance or its id (or None), as the id."""
    if value is None or value == "":
        return None
    return getattr(value, "pk", value)


def _matches(sub: Subscription, topic_id: int | None, area_ids: set[int]) -> bool:
    if sub.topic_id is not None and sub.topic_id != topic_id:
        return False
    return sub.area_id is None or sub.area_id in area_ids


def _area_ids(area_id: int | None, unit_id: int | None) -> set[int]:
    """The areas an alert concerns: its own area, or else the areas of the unit it concerns."""
    if area_id is not None:
        return {area_id}
    if unit_id is not None:
        return set(Area.objects.filter(unit_id=unit_id).values_list("pk", flat=True))
    return set()


def recipients(
    *, kind: str, topic: Any = None, area: Any = None, unit: Any = None, also: Any = (),
) -> list[Delivery]:
    """Who gets an alert of ``kind`` about ``topic`` / ``area`` / ``unit``, and how.

    A person with several matching subscriptions gets it at once if any of them says so, by
    e-mail if any of the deciding ones does. A person reached only by escalation (no matching
    subscription) gets it as a subscription's defaults say: at once, by e-mail when they have an
    address. ``also`` (ids) names people who must be told whatever they subscribed to, such as
    the leader who gave a direction that falls due; only the office and leaders are kept.
    """
    topic_id, areas = _id(topic), _area_ids(_id(area), _id(unit))
    people = User.objects.filter(is_active=True, role__in=SUBSCRIBER_ROLES)
    subs = Subscription.objects.filter(user__in=people).select_related("user").order_by("pk")
    matched: dict[int, list[Subscription]] = {}
    for sub in subs:
        if _matches(sub, topic_id, areas):
            matched.setdefault(sub.user_id, []).append(sub)
    deliveries = {}
    for user_id, own in matched.items():
        immediate = [s for s in own if s.frequency == Subscription.Frequency.IMMEDIATE]
        deciding = immediate or own
        deliveries[user_id] = Delivery(
            user=own[0].user, immediate=bool(immediate), by_email=any(s.by_email for s in deciding)
        )
    if kind in ESCALATED_KINDS:
        for user in people.order_by("pk"):
            deliveries.setdefault(user.pk, Delivery(user=user))
    named = {_id(person) for person in also} - {None} - set(deliveries)
    for user in people.filter(pk__in=named).order_by("pk"):
        deliveries[user.pk] = Delivery(user=user)
    return [deliveries[k] for k in sorted(deliveries)]


# --- Raising one alert --------------------------------------------------------------------------


@dataclass
class AlertResult:
    """What one :func:`raise_alert` did. ``skipped``: people already told about it that day."""

    subject: str
    day: dt.date
    created: list[str] = field(default_factory=list)  # usernames newly alerted
    skipped: int = 0
    emails: int = 0

    def as_dict(self) -> dict:
        data = asdict(self)
        data["day"] = self.day.isoformat()
        return data


def raise_alert(
    *, kind: str, subject: str, text: str, url: str = "", topic: Any = None, area: Any = None,
    unit: Any = None, day: dt.date | None = None, also: Any = (),
) -> AlertResult:
    """Tell the people who must know about ``subject``, each at most once on ``day``.

    ``topic``, ``area`` and ``unit`` (instances or ids) route the alert to subscriptions, ``also``
    adds people who must know (see :func:`recipients`); ``day``
    defaults to the local date. Returns who was told, who had been already, and the e-mails
    queued. Safe to call again and from several workers: a repeat on the same day does nothing.
    """
    if kind not in Alert.Kind.values:
        raise ServiceError(f"Loại cảnh báo '{kind}' không có.", field="kind")
    subject, text, url = subject[:80], text[:500], url[:300]
    day = day or timezone.localdate()
    result = AlertResult(subject=subject, day=day)
    with transaction.atomic():
        deliveries = recipients(kind=kind, topic=topic, area=area, unit=unit, also=also)
        already = _already_told(subject, day)
        for delivery in deliveries:
            if delivery.user.pk in already or not _claim(delivery, kind, subject, text, url, day,
                                                         result):
                result.skipped += 1
    return result


def _already_told(subject: str, day: dt.date) -> set[int]:
    """Read once to skip the common case cheaply; the unique constraint still decides races."""
    return set(Alert.objects.filter(subject=subject, day=day).values_list("user_id", flat=True))


def _claim(
    delivery: Delivery, kind: str, subject: str, text: str, url: str, day: dt.date,
    result: AlertResult,
) -> bool:
    """Write one person's alert, notify them, queue the e-mail; False if the row was there."""
    user = delivery.user
    try:
        with transaction.atomic():  # a savepoint: a lost race leaves the outer work intact
            alert = Alert.objects.create(user=user, kind=kind, subject=subject, day=day,
                                         text=text, url=url)
    except IntegrityError:
        return False
    notify([user], text=text, url=url)
    if delivery.email_now:
        queue_email(_alert_email(alert, user), kind="alert", ref=f"alert:{alert.pk}")
        alert.emailed_at = timezone.now()
        alert.save(update_fields=["emailed_at"])
        result.emails += 1
    result.created.append(user.username)
    return True


def _site_link(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return getattr(settings, "LONGDAN_SITE_URL", "").rstrip("/") + url


def _alert_email(alert: Alert, user: User) -> EmailMessage:
    body = render_to_string("picture/email/alert.txt", {
        "name": user.full_name or user.username, "alert": alert,
        "kind": alert.get_kind_display(), "link": _site_link(alert.url),
        "settings_link": _site_link("/theo-doi/"),
    })
    return EmailMessage(
        subject=f"[Lòng Dân] {alert.get_kind_display()}: {alert.text}"[:200], body=body,
        from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email],
    )


# --- The daily digest ---------------------------------------------------------------------------


@dataclass
class DigestRun:
    today: dt.date
    sent: int = 0  # digests queued
    alerts: int = 0  # alerts they carried
    skipped: int = 0  # people who had their digest today already, or had nothing new

    def as_dict(self) -> dict:
        data = asdict(self)
        data["today"] = self.today.isoformat()
        return data


def digest_ref(user: User, today: dt.date) -> str:
    return f"digest:{user.pk}:{today.isoformat()}"


def send_daily_digests(*, today: dt.date | None = None) -> DigestRun:
    """One e-mail per person on a daily, by-e-mail subscription, gathering their alerts not yet
    e-mailed (since the last digest, at most 30 days back); at most one digest a day each."""
    today = today or timezone.localdate()
    run = DigestRun(today=today)
    users = (
        User.objects.filter(
            is_active=True, role__in=SUBSCRIBER_ROLES,
            picture_subscriptions__frequency=Subscription.Frequency.DAILY,
            picture_subscriptions__by_email=True,
        ).exclude(email="").distinct().order_by("pk")
    )
    for user in users:
        count = _send_digest(user, today)
        if count:
            run.sent += 1
            run.alerts += count
        else:
            run.skipped += 1
    return run


def _send_digest(user: User, today: dt.date) -> int:
    """Queue one person's digest for ``today``; the number of alerts it carries (0: none sent)."""
    with transaction.atomic():
        # Lock the person's row: two workers sending digests at once take turns here, and the
        # second finds the first one's outbox row (SQLite's write lock does the same).
        User.objects.select_for_update().filter(pk=user.pk).first()
        ref = digest_ref(user, today)
        if OutgoingEmail.objects.filter(kind=DIGEST_KIND, ref=ref).exists():
            return 0
        since = today - dt.timedelta(days=DIGEST_LOOKBACK_DAYS)
        pending = Alert.objects.filter(
            user=user, emailed_at__isnull=True, day__lte=today, day__gt=since
        ).order_by("day", "created_at", "pk")
        alerts = list(pending)
        if not alerts:
            return 0
        queue_email(_digest_email(user, alerts, today), kind=DIGEST_KIND, ref=ref)
        Alert.objects.filter(pk__in=[a.pk for a in alerts]).update(emailed_at=timezone.now())
    return len(alerts)


def _digest_email(user: User, alerts: list[Alert], today: dt.date) -> EmailMessage:
    body = render_to_string("picture/email/digest.txt", {
        "name": user.full_name or user.username, "today": today,
        "alerts": [{"alert": a, "kind": a.get_kind_display(), "link": _site_link(a.url)}
                   for a in alerts],
        "settings_link": _site_link("/theo-doi/"),
    })
    return EmailMessage(
        subject=f"[Lòng Dân] Tóm tắt cảnh báo ngày {today:%d/%m/%Y}: {len(alerts)} cảnh báo",
        body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email],
    )


# --- Subscriptions ------------------------------------------------------------------------------


def may_subscribe(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        getattr(user, "role", None) in SUBSCRIBER_ROLES
    )


def _describe(topic: Topic | None, area: Area | None) -> str:
    parts = [f"chủ đề {topic.name}" if topic else "", f"{area.name}" if area else ""]
    return ", ".join(p for p in parts if p) or "mọi cảnh báo"


def subscribe(
    *, user: User, topic: Topic | None = None, area: Area | None = None,
    frequency: str = Subscription.Frequency.IMMEDIATE, by_email: bool = True,
) -> Subscription:
    """Follow a topic, an area, both, or everything (neither); the same pair again updates how."""
    if not may_subscribe(user):
        raise ServiceError(WHO_MAY_SUBSCRIBE, field="user")
    if frequency not in Subscription.Frequency.values:
        raise ServiceError("Tần suất: chọn 'Ngay khi có' hoặc 'Tóm tắt hằng ngày'.",
                           field="frequency")
    if by_email and not user.email:
        raise ServiceError(
            "Gửi thư điện tử: tài khoản của bạn chưa có địa chỉ thư; bỏ chọn ô này hoặc nhờ "
            "Ban Xây dựng Đảng thêm địa chỉ.", field="by_email")
    with transaction.atomic():
        sub, created = Subscription.objects.select_for_update().get_or_create(
            user=user, topic=topic, area=area,
            defaults={"frequency": frequency, "by_email": by_email},
        )
        if not created:
            if (sub.frequency, sub.by_email) == (frequency, by_email):
                return sub
            sub.frequency, sub.by_email = frequency, by_email
            sub.save(update_fields=["frequency", "by_email"])
        what = _describe(topic, area)
        audit(
            actor=user, action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
            obj=sub,
            summary=f"{'Đăng ký' if created else 'Đổi cách'} nhận cảnh báo: {what} "
                    f"({sub.get_frequency_display().lower()}"
                    f"{', qua thư điện tử' if by_email else ''})",
            data={"topic": _id(topic), "area": _id(area), "frequency": frequency,
                  "by_email": by_email},
        )
    return sub


def unsubscribe(*, user: User, subscription: Subscription) -> None:
    """Stop following; only one's own subscription (another person's is "not found")."""
    if subscription.user_id != user.pk:
        raise ServiceError("Không tìm thấy đăng ký này trong các đăng ký của bạn.",
                           field="subscription")
    with transaction.atomic():
        what = _describe(subscription.topic, subscription.area)
        audit(actor=user, action=AuditEntry.Action.DELETE, obj=subscription,
              summary=f"Hủy đăng ký nhận cảnh báo: {what}",
              data={"topic": subscription.topic_id, "area": subscription.area_id})
        subscription.delete()

