"""Deadline reminders: in-app and e-mail, before the deadline and when overdue (issue 2).

``send_due_reminders`` is safe to run as often as one likes, from as many workers as one likes: each
(template, period, unit, kind) is *claimed* by inserting a :class:`Reminder` row whose unique
constraint lets exactly one insert win. Only the winner writes notifications, the audit entry and
queues the e-mail in the outbox (``core.outbox``), all in the same transaction, so a rollback
sends nothing. The background worker sends the outbox after the commit and retries a message the
mail server refused, with back-off; the office sees each message's state on the system page.

Who is reminded follows ``reporting.compliance``: units assigned to the template and open at some
time during the period. A unit is reminded while its report is not submitted: no report, a draft,
or a report *returned* for revision, because a returned report does not count as submitted in the
reporting rate, so its unit still has something to deliver by the deadline.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from core import faults
from core.models import AuditEntry
from core.outbox import queue_email
from core.services import audit, notify
from orgs.models import OrgUnit, User
from reporting.models import Period, Reminder, ReportTemplate, UnitReport
from reporting.periods import HALF, MONTH, YEAR, PeriodKey
from reporting.services.reports import ensure_period, recipients_of

logger = logging.getLogger(__name__)

BEFORE = Reminder.Kind.BEFORE.value
OVERDUE = Reminder.Kind.OVERDUE.value

# Overdue reminders concern the current period and the one before it, no older: a fresh install
# (or a worker that was down for months) must not flood units about long-gone periods.
OVERDUE_LOOKBACK = 2


# --- Which periods are due: plain date arithmetic, no Django ------------------------------------


def period_containing(kind: str, day: dt.date) -> PeriodKey:
    if kind == MONTH:
        return PeriodKey(day.year, MONTH, day.month)
    if kind == HALF:
        return PeriodKey(day.year, HALF, 1 if day.month <= 6 else 2)
    return PeriodKey(day.year, YEAR, 1)


@dataclass(frozen=True)
class DueReminder:
    key: PeriodKey
    kind: str  # BEFORE | OVERDUE
    deadline: dt.date


def due_reminders(
    *, period_kind: str, deadline_day: int, remind_days_before: int, today: dt.date,
    overdue_lookback: int = OVERDUE_LOOKBACK,
) -> list[DueReminder]:
    """The (period, kind) pairs a template owes a reminder for on ``today`` (a local date).

    "before": today lies in [deadline - remind_days_before, deadline]. "overdue": the deadline has
    passed, for the current period and the ``overdue_lookback - 1`` before it. The next period is
    looked at too, because an early deadline can fall within the window of the previous period.
    """
    current = period_containing(period_kind, today)
    key = period_containing(period_kind, current.end + dt.timedelta(days=1))
    due: list[DueReminder] = []
    for _ in range(overdue_lookback + 1):  # next, current, previous, ...
        deadline = key.deadline(deadline_day)
        if deadline - dt.timedelta(days=remind_days_before) <= today <= deadline:
            due.append(DueReminder(key, BEFORE, deadline))
        elif deadline < today:
            due.append(DueReminder(key, OVERDUE, deadline))
        key = key.previous()
    return due


# --- The run ------------------------------------------------------------------------------------


@dataclass
class ReminderRun:
    """What one run did. ``skipped`` counts reminders some earlier (or concurrent) run sent."""

    today: dt.date
    before: int = 0
    overdue: int = 0
    skipped: int = 0
    notifications: int = 0
    emails: int = 0
    to_office: int = 0  # reminders sent to the office because the unit had nobody to receive them
    sent_keys: list[tuple[int, str, int, str]] = field(default_factory=list, repr=False)

    @property
    def sent(self) -> int:
        return self.before + self.overdue

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("sent_keys")
        data["today"] = self.today.isoformat()
        data["sent"] = self.sent
        return data


def send_due_reminders(
    *, today: dt.date | None = None, now: dt.datetime | None = None
) -> ReminderRun:
    """Send every reminder due on ``today`` (default: the local date of ``now`` or of the clock).

    Side effects, per reminder claimed: one :class:`Reminder` row, one
    :class:`core.models.Notification` per recipient, one audit entry ("remind"), and after commit
    one e-mail per recipient who has an address. Reminders already sent are skipped, so running
    again sends nothing new.
    """
    if today is None:
        today = timezone.localdate(now) if now is not None else timezone.localdate()
    run = ReminderRun(today=today)
    office = _office_users()
    for template in ReportTemplate.objects.filter(active=True).order_by("pk"):
        units = list(
            template.units.select_related("responsible_person").order_by("sort_key", "name"))
        if not units:
            continue
        for due in due_reminders(
            # The last day on time: the 24th for a template due "trước ngày 25".
            period_kind=template.period_kind, deadline_day=template.last_day,
            remind_days_before=template.remind_days_before, today=today,
        ):
            _remind_period(run, template, due, units, office)
    return run


def _office_users() -> list[User]:
    return list(User.objects.filter(role=User.Role.OFFICE, is_active=True).order_by("pk"))


def _remind_period(
    run: ReminderRun, template: ReportTemplate, due: DueReminder, units: list[OrgUnit],
    office: list[User],
) -> None:
    expected = [u for u in units if template.expects(u, due.key)]
    if not expected:
        return
    period = ensure_period(due.key)
    reports = {
        r.unit_id: r for r in UnitReport.objects.filter(template=template, period=period)
    }
    # Read once to skip the common case cheaply; the unique constraint still decides races.
    already = set(
        Reminder.objects.filter(template=template, period=period, kind=due.kind)
        .values_list("unit_id", flat=True)
    )
    for unit in expected:
        report = reports.get(unit.pk)
        if report is not None and report.state == UnitReport.State.SUBMITTED:
            continue
        if unit.pk in already or not _remind_unit(run, template, period, due, unit, report, office):
            run.skipped += 1


def _remind_unit(
    run: ReminderRun, template: ReportTemplate, period: Period, due: DueReminder, unit: OrgUnit,
    report: UnitReport | None, office: list[User],
) -> bool:
    """Claim and send one reminder; False when another run had already claimed it."""
    people = recipients_of(unit)
    to_office = not people
    recipients = office if to_office else people
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                template=template, period=period, unit=unit, kind=due.kind,
                recipients=[user.pk for user in recipients],
            )
            message = _Message(template, due, unit, report, run.today, to_office)
            notify(recipients, text=message.notification, url=message.url)
            emails = [message.email(user) for user in recipients if user.email]
            audit(
                actor=None, action=AuditEntry.Action.REMIND, obj=reminder, unit=unit,
                summary=f"{message.subject} — {unit.name}",
                data={
                    "kind": due.kind, "period": due.key.code, "template": template.pk,
                    "recipients": [user.username for user in recipients],
                    "to_office": to_office, "emails": len(emails),
                },
            )
            for email in emails:
                queue_email(email, kind="reminder", ref=f"reminder:{reminder.pk}")
            faults.pause("reporting.reminder.before_commit")
    except IntegrityError:
        # A concurrent run inserted the same (template, period, unit, kind) first.
        return False
    if due.kind == BEFORE:
        run.before += 1
    else:
        run.overdue += 1
    run.notifications += len(recipients)
    run.emails += len(emails)
    run.to_office += int(to_office)
    run.sent_keys.append((template.pk, due.key.code, unit.pk, due.kind))
    faults.pause("reporting.reminder.after_commit")  # one unit reminded, the next one not yet
    return True


def _url(name: str, default: str, **kwargs) -> str:
    """Another app owns the page; fall back to its planned path if it is not routed yet."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return default


class _Message:
    """The Vietnamese wording of one reminder, for the notification, the subject and the body."""

    def __init__(
        self, template: ReportTemplate, due: DueReminder, unit: OrgUnit,
        report: UnitReport | None, today: dt.date, to_office: bool,
    ):
        self.template, self.due, self.unit, self.report = template, due, unit, report
        self.today, self.to_office = today, to_office
        period_label = due.key.label[0].lower() + due.key.label[1:]
        deadline = f"{due.deadline:%d/%m/%Y}"
        lead = "Nhắc hạn nộp" if due.kind == BEFORE else "Quá hạn nộp"
        self.subject = f"{lead} báo cáo {period_label} — hạn {deadline}"
        self.period_label, self.deadline_text = period_label, deadline
        if report is not None:
            self.url = _url("report_detail", f"/bao-cao/{report.pk}/", pk=report.pk)
        else:
            self.url = _url("report_start", "/bao-cao/moi/") + f"?period={due.key.code}"
        self.notification = self._notification()[:500]

    @property
    def days(self) -> int:
        return abs((self.due.deadline - self.today).days)

    def _notification(self) -> str:
        if self.due.kind == BEFORE:
            when = "hôm nay là hạn cuối" if self.days == 0 else f"còn {self.days} ngày"
        else:
            when = f"đã quá hạn {self.days} ngày"
        state = " (bị trả lại, cần sửa và nộp lại)" if self._returned else ""
        text = (
            f"{self.subject}: báo cáo của {self.unit.name} chưa nộp{state}, {when}."
        )
        if self.to_office:
            text = f"Đơn vị chưa có người phụ trách nhận nhắc hạn. {text}"
        return text

    @property
    def _returned(self) -> bool:
        return self.report is not None and self.report.state == UnitReport.State.RETURNED

    def email(self, user: User) -> EmailMessage:
        body = render_to_string(
            f"reporting/email/reminder_{self.due.kind}.txt",
            {
                "name": user.full_name or user.username,
                "unit": self.unit.name,
                "template": self.template.name,
                "period": self.period_label,
                "deadline": self.deadline_text,
                "days": self.days,
                "returned": self._returned,
                "return_reason": self.report.return_reason if self._returned else "",
                "to_office": self.to_office,
                "link": getattr(settings, "LONGDAN_SITE_URL", "").rstrip("/") + self.url,
            },
        )
        return EmailMessage(
            subject=self.subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
