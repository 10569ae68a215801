"""The office's inbox (issue 17): what the office has read, and its own "Nhắc đơn vị" reminders.

A report counts as read when an office user opens its page (:func:`mark_seen_by_office`, called
by the detail view): opening is what reading is, and a separate "Đã xem" button would be one more
click that people forget, leaving the inbox full of reports already read. It is one UPDATE that
touches only ``office_seen_at`` (not ``version`` nor ``updated_at``: nothing the unit wrote
changed), and is not audited: it records a read, as the notifications' "read" mark is not.

A manual reminder (:func:`remind_unit`) goes to the unit's responsible people in-app and by e-mail
through the outbox, as the automatic ones do (``reporting.services.reminders``), and is kept as a
:class:`Reminder` of kind "manual": its unique constraint allows one per template, period, unit
and local day, so a second click (or two office users at once) the same day sends nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.dates import local_today
from core.errors import ServiceError
from core.models import AuditEntry
from core.outbox import queue_email
from core.services import audit, notify, require_office
from orgs.models import OrgUnit, User
from reporting.models import Period, Reminder, ReportTemplate, UnitReport
from reporting.periods import PeriodKey
from reporting.services.reports import ensure_period, recipients_of


class AlreadyRemindedError(ServiceError):
    """The office already reminded this unit about this report today."""

    status_code = 409


def mark_seen_by_office(*, user: User, report: UnitReport) -> bool:
    """Record that the office opened ``report``; True when it was unread. Others: nothing."""
    if not user.is_office or report.state != UnitReport.State.SUBMITTED:
        return False
    return bool(
        UnitReport.objects.filter(pk=report.pk, state=UnitReport.State.SUBMITTED)
        .filter(Q(office_seen_at__isnull=True) | Q(office_seen_at__lt=F("submitted_at")))
        .update(office_seen_at=timezone.now())
    )


def remind_unit(*, user: User, template: ReportTemplate, key: PeriodKey, unit: OrgUnit) -> Reminder:
    """The office reminds ``unit`` to submit (or resubmit) its report of ``key``, at most once a
    day: notifications, e-mails through the outbox, a ``Reminder`` row and an audit entry."""
    require_office(user, "nhắc đơn vị nộp báo cáo")
    if not template.expects(unit, key):
        raise ServiceError(
            f"{unit.name} không phải nộp “{template.name}” {key.label.lower()}.", field="unit"
        )
    report = UnitReport.objects.filter(template=template, period__code=key.code, unit=unit).first()
    if report is not None and report.state == UnitReport.State.SUBMITTED:
        raise ServiceError(
            f"{unit.name} đã nộp báo cáo {key.label.lower()}; không cần nhắc nữa.", field="unit"
        )
    people = recipients_of(unit)
    if not people:
        raise ServiceError(
            f"{unit.name} chưa có người phụ trách nhận nhắc; hãy giao người phụ trách cho đơn vị"
            " trước.",
            field="unit",
        )
    today = local_today()
    with transaction.atomic():
        period = ensure_period(key)
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    template=template,
                    period=period,
                    unit=unit,
                    kind=Reminder.Kind.MANUAL,
                    sent_on=today,
                    sent_by=user,
                    recipients=[person.pk for person in people],
                )
        except IntegrityError as exc:
            raise AlreadyRemindedError(
                f"Hôm nay đã nhắc {unit.name} về báo cáo {key.label.lower()} rồi; mỗi ngày chỉ"
                " nhắc một lần, ngày mai có thể nhắc lại.",
                field="unit",
            ) from exc
        message = _Message(template, period, unit, report, today)
        notify(people, text=message.notification, url=message.url)
        emails = [message.email(person) for person in people if person.email]
        audit(
            actor=user,
            action=AuditEntry.Action.REMIND,
            obj=reminder,
            unit=unit,
            summary=f"{message.subject} — {unit.name}",
            data={
                "kind": Reminder.Kind.MANUAL.value,
                "period": key.code,
                "template": template.pk,
                "recipients": [person.username for person in people],
                "emails": len(emails),
            },
        )
        for email in emails:
            queue_email(email, kind="reminder", ref=f"reminder:{reminder.pk}")
    return reminder


class _Message:
    """The Vietnamese wording of one manual reminder."""

    def __init__(
        self,
        template: ReportTemplate,
        period: Period,
        unit: OrgUnit,
        report: UnitReport | None,
        today,
    ):
        self.template, self.unit, self.report = template, unit, report
        self.deadline = template.deadline_for(period)
        self.days_late = (today - self.deadline).days
        self.period_label = period.key.label[0].lower() + period.key.label[1:]
        self.returned = report is not None and report.state == UnitReport.State.RETURNED
        self.subject = f"Ban Xây dựng Đảng nhắc nộp báo cáo {self.period_label}"
        if report is not None:
            self.url = reverse("report_detail", kwargs={"pk": report.pk})
        else:
            self.url = reverse("report_start") + f"?period={period.code}"
        state = "bị trả lại, chưa nộp lại" if self.returned else "chưa nộp"
        if self.days_late > 0:
            when = f"đã quá hạn {self.days_late} ngày"
        else:
            when = f"hạn nộp {self.deadline:%d/%m/%Y}"
        self.notification = (
            f"{self.subject}: báo cáo của {unit.name} {state}, {when}. Đề nghị đồng chí hoàn thành"
            " và nộp báo cáo."
        )

    def email(self, user: User) -> EmailMessage:
        body = render_to_string(
            "reporting/email/reminder_manual.txt",
            {
                "name": user.full_name or user.username,
                "unit": self.unit.name,
                "template": self.template.name,
                "period": self.period_label,
                "deadline": f"{self.deadline:%d/%m/%Y}",
                "days_late": self.days_late,
                "returned": self.returned,
                "return_reason": self.report.return_reason if self.returned else "",
                "link": getattr(settings, "LONGDAN_SITE_URL", "").rstrip("/") + self.url,
            },
        )
        return EmailMessage(
            subject=self.subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
