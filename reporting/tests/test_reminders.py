import datetime as dt
import threading
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction

from core.models import AuditEntry, Notification
from reporting import services
from reporting.models import Reminder, ReportTemplate
from reporting.periods import MONTH, PeriodKey, parse_period
from reporting.services.reminders import (
    BEFORE,
    OVERDUE,
    DueReminder,
    due_reminders,
    send_due_reminders,
)

NOV = parse_period("2025-11")
OCT = parse_period("2025-10")
SEP = parse_period("2025-09")
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture
def cast(an, binh, vanphong, monthly):
    """The conftest cast with e-mail addresses, so reminders reach them by mail too.

    These tests date themselves by a template due "đến hết ngày 25" (the 25th itself on time);
    the plan's reading, "trước ngày 25", is the default and has its own test below."""
    ReportTemplate.objects.filter(pk=monthly.pk).update(deadline_inclusive=True)
    monthly.refresh_from_db()
    for user, email in ((an, "an@example.vn"), (binh, "binh@example.vn"),
                        (vanphong, "vanphong@example.vn")):
        user.email = email
        user.save()
    return monthly


def run(capture, today: str | None = None):
    """One run, committing as a worker would: on-commit callbacks (the e-mail) are executed."""
    with capture(execute=True):
        return send_due_reminders(today=day(today) if today else None)


def reminders(kind: str | None = None, key: PeriodKey = NOV) -> set[tuple[str, str]]:
    rows = Reminder.objects.filter(period__code=key.code)
    if kind:
        rows = rows.filter(kind=kind)
    return set(rows.values_list("unit__code", "kind"))


def submit(user, template, unit, sections, key=NOV):
    period = services.ensure_period(key)
    report = services.save_draft(user=user, template=template, period=period, unit=unit,
                                 sections=sections, streams=None, expected_version=None)
    return services.submit_report(user=user, report=report, expected_version=report.version)


# --- Which periods are due (pure) ---------------------------------------------------------------


def due(today: str, days_before: int = 3, deadline_day: int = 25) -> list[DueReminder]:
    return due_reminders(period_kind=MONTH, deadline_day=deadline_day,
                         remind_days_before=days_before, today=day(today))


def test_before_window_opens_n_days_before_the_deadline_and_closes_after_it():
    assert [d for d in due("2025-11-21") if d.kind == BEFORE] == []
    assert DueReminder(NOV, BEFORE, day("2025-11-25")) in due("2025-11-22")
    assert DueReminder(NOV, BEFORE, day("2025-11-25")) in due("2025-11-25")
    assert [d for d in due("2025-11-26") if d.kind == BEFORE] == []
    assert DueReminder(NOV, BEFORE, day("2025-11-25")) in due("2025-11-18", days_before=7)
    assert [d for d in due("2025-11-17", days_before=7) if d.kind == BEFORE] == []


def test_overdue_covers_only_the_current_and_previous_period():
    assert [(d.key, d.kind) for d in due("2025-11-26")] == [(NOV, OVERDUE), (OCT, OVERDUE)]
    assert [(d.key, d.kind) for d in due("2025-11-24")] == [(NOV, BEFORE), (OCT, OVERDUE)]
    assert [(d.key, d.kind) for d in due("2025-11-10")] == [(OCT, OVERDUE)]


def test_an_early_deadline_in_the_next_period_is_seen():
    # Deadline on the 1st of the month: on 29 November, December's deadline is 2 days away.
    dec = parse_period("2025-12")
    assert DueReminder(dec, BEFORE, day("2025-12-01")) in due("2025-11-29", deadline_day=1)


def test_deadline_clamped_to_short_month():
    assert DueReminder(parse_period("2026-02"), BEFORE, day("2026-02-28")) in due(
        "2026-02-28", deadline_day=31
    )


# --- The run ------------------------------------------------------------------------------------


def test_before_reminder_reaches_both_cells_in_app_and_by_mail(
    cast, an, binh, django_capture_on_commit_callbacks
):
    result = run(django_capture_on_commit_callbacks, "2025-11-22")
    assert reminders(BEFORE) == {("chi-bo-1", BEFORE), ("chi-bo-2", BEFORE)}
    assert result.before == 2
    note = Notification.objects.get(user=an, text__startswith="Nhắc hạn")
    assert "tháng 11/2025" in note.text and "còn 3 ngày" in note.text
    assert note.url.endswith("?period=2025-11")
    nov_mail = [m for m in mail.outbox if "tháng 11/2025" in m.subject]
    assert sorted(m.to[0] for m in nov_mail) == ["an@example.vn", "binh@example.vn"]
    message = next(m for m in nov_mail if m.to == ["an@example.vn"])
    assert message.subject == "Nhắc hạn nộp báo cáo tháng 11/2025 — hạn 25/11/2025"
    assert "Kính gửi đồng chí Lê Văn An" in message.body
    assert "Chi bộ Tổ dân phố 1" in message.body
    assert "Hạn nộp: 25/11/2025 — còn 3 ngày" in message.body
    assert "&quot;" not in message.body  # plain text, not HTML-escaped


def test_not_sent_before_the_configured_number_of_days(cast, django_capture_on_commit_callbacks):
    ReportTemplate.objects.filter(pk=cast.pk).update(remind_days_before=5)
    run(django_capture_on_commit_callbacks, "2025-11-19")
    assert reminders(BEFORE) == set()
    run(django_capture_on_commit_callbacks, "2025-11-20")
    assert reminders(BEFORE) == {("chi-bo-1", BEFORE), ("chi-bo-2", BEFORE)}


def test_the_day_is_the_local_date_not_the_utc_one(cast, django_capture_on_commit_callbacks):
    # 21/11 23:59 in Hà Nội is still outside the window; 22/11 00:00 local (21/11 17:00 UTC) is in.
    with time_machine.travel(dt.datetime(2025, 11, 21, 23, 59, tzinfo=HANOI), tick=False):
        result = run(django_capture_on_commit_callbacks)
    assert result.today == day("2025-11-21")
    assert reminders(BEFORE) == set()
    with time_machine.travel(dt.datetime(2025, 11, 21, 17, 0, tzinfo=dt.UTC), tick=False):
        result = run(django_capture_on_commit_callbacks)
    assert result.today == day("2025-11-22")
    assert reminders(BEFORE) == {("chi-bo-1", BEFORE), ("chi-bo-2", BEFORE)}


def test_the_deadline_day_itself_still_gets_before_not_overdue(
    cast, django_capture_on_commit_callbacks
):
    with time_machine.travel(dt.datetime(2025, 11, 25, 23, 30, tzinfo=HANOI), tick=False):
        run(django_capture_on_commit_callbacks)
    assert reminders() == {("chi-bo-1", BEFORE), ("chi-bo-2", BEFORE)}
    assert Notification.objects.filter(text__contains="hôm nay là hạn cuối").count() == 2


def test_before_the_25th_the_24th_is_the_last_day(
    cast, an, django_capture_on_commit_callbacks
):
    """The plan's reading (the default): "trước ngày 25" ends with the 24th."""
    ReportTemplate.objects.filter(pk=cast.pk).update(deadline_inclusive=False)
    with time_machine.travel(dt.datetime(2025, 11, 24, 23, 30, tzinfo=HANOI), tick=False):
        run(django_capture_on_commit_callbacks)
    assert reminders() == {("chi-bo-1", BEFORE), ("chi-bo-2", BEFORE)}
    note = Notification.objects.get(user=an, text__startswith="Nhắc hạn")
    assert "hạn 24/11/2025" in note.text
    run(django_capture_on_commit_callbacks, "2025-11-25")
    assert reminders(OVERDUE) == {("chi-bo-1", OVERDUE), ("chi-bo-2", OVERDUE)}


def test_no_reminder_for_a_submitted_report(
    cast, an, cell_a, full_sections, django_capture_on_commit_callbacks
):
    submit(an, cast, cell_a, full_sections)
    run(django_capture_on_commit_callbacks, "2025-11-23")
    run(django_capture_on_commit_callbacks, "2025-11-26")
    assert reminders() == {("chi-bo-2", BEFORE), ("chi-bo-2", OVERDUE)}
    assert not any("an@example.vn" in m.to for m in mail.outbox if "11/2025" in m.subject)


def test_draft_and_returned_reports_are_still_reminded(
    cast, an, binh, vanphong, cell_a, cell_b, full_sections, django_capture_on_commit_callbacks
):
    period = services.ensure_period(NOV)
    draft = services.save_draft(user=an, template=cast, period=period, unit=cell_a,
                                sections={"tu_tuong": "Ổn định."}, streams=None,
                                expected_version=None)
    returned = submit(binh, cast, cell_b, full_sections)
    services.return_report(user=vanphong, report=returned, reason="Thiếu số liệu tổ dân phố.")
    run(django_capture_on_commit_callbacks, "2025-11-24")
    assert reminders(BEFORE) == {("chi-bo-1", BEFORE), ("chi-bo-2", BEFORE)}
    assert Notification.objects.get(user=an, text__startswith="Nhắc hạn").url == (
        f"/bao-cao/{draft.pk}/"
    )
    binh_note = Notification.objects.get(user=binh, text__startswith="Nhắc hạn")
    assert "bị trả lại" in binh_note.text
    binh_mail = next(m for m in mail.outbox
                     if m.to == ["binh@example.vn"] and "11/2025" in m.subject)
    assert "Lý do trả lại: Thiếu số liệu tổ dân phố." in binh_mail.body


def test_overdue_reminder_after_the_25th(cast, an, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks, "2025-11-27")
    assert reminders(OVERDUE) == {("chi-bo-1", OVERDUE), ("chi-bo-2", OVERDUE)}
    assert reminders(BEFORE) == set()  # the window was missed; no "due soon" once it has passed
    message = next(m for m in mail.outbox
                   if m.to == ["an@example.vn"] and m.subject.endswith("25/11/2025"))
    assert message.subject == "Quá hạn nộp báo cáo tháng 11/2025 — hạn 25/11/2025"
    assert "đã quá hạn nộp 2 ngày (hạn nộp: 25/11/2025)" in message.body
    assert Notification.objects.filter(user=an, text__contains="đã quá hạn 2 ngày").exists()


def test_running_again_sends_nothing_new(cast, django_capture_on_commit_callbacks):
    first = run(django_capture_on_commit_callbacks, "2025-11-26")
    counts = (len(mail.outbox), Notification.objects.count(), Reminder.objects.count(),
              AuditEntry.objects.filter(action="remind").count())
    assert first.sent == Reminder.objects.count() > 0
    assert counts[3] == first.sent
    for _ in range(3):
        again = run(django_capture_on_commit_callbacks, "2025-11-26")
        assert again.sent == 0 and again.emails == 0 and again.skipped == first.sent
    assert (len(mail.outbox), Notification.objects.count(), Reminder.objects.count(),
            AuditEntry.objects.filter(action="remind").count()) == counts


def test_a_later_day_sends_only_the_new_kind(cast, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks, "2025-11-23")
    before_mail = len(mail.outbox)
    run(django_capture_on_commit_callbacks, "2025-11-24")
    assert len(mail.outbox) == before_mail
    run(django_capture_on_commit_callbacks, "2025-11-26")
    assert reminders() == {("chi-bo-1", BEFORE), ("chi-bo-2", BEFORE),
                           ("chi-bo-1", OVERDUE), ("chi-bo-2", OVERDUE)}
    assert len(mail.outbox) == before_mail + 2


def test_closed_unit_is_not_reminded_after_it_closed(cast, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks, "2025-11-26")
    assert not Reminder.objects.filter(unit__code="chi-bo-cu", period__code__in=["2025-11",
                                                                                 "2025-10"]).exists()


def test_closed_unit_is_reminded_for_the_period_it_was_open_in_via_the_office(
    cast, vanphong, django_capture_on_commit_callbacks
):
    # Closed 15/09: compliance still expects its September report, so the reminder follows it;
    # it has no responsible person, so the office is told instead.
    run(django_capture_on_commit_callbacks, "2025-09-23")
    assert reminders(BEFORE, SEP) == {("chi-bo-1", BEFORE), ("chi-bo-2", BEFORE),
                                      ("chi-bo-cu", BEFORE)}
    reminder = Reminder.objects.get(unit__code="chi-bo-cu", period__code="2025-09")
    assert reminder.recipients == [vanphong.pk]


def test_unit_without_responsible_person_notifies_the_office(
    monthly, an, vanphong, lanhdao, django_capture_on_commit_callbacks
):
    # cell_b has no responsible person and no reporter (binh is not in this test).
    vanphong.email = "vanphong@example.vn"
    vanphong.save()
    run(django_capture_on_commit_callbacks, "2025-11-22")
    reminder = Reminder.objects.get(unit__code="chi-bo-2", period__code="2025-11")
    assert reminder.recipients == [vanphong.pk]
    note = Notification.objects.get(user=vanphong, text__contains="tháng 11/2025")
    assert note.text.startswith("Đơn vị chưa có người phụ trách")
    assert "Chi bộ Tổ dân phố 2" in note.text
    assert not Notification.objects.filter(user=lanhdao).exists()
    office_mail = [m for m in mail.outbox
                   if m.to == ["vanphong@example.vn"] and "11/2025" in m.subject]
    assert len(office_mail) == 1
    assert "Đơn vị Chi bộ Tổ dân phố 2 chưa có người phụ trách" in office_mail[0].body
    entry = AuditEntry.objects.get(action="remind", unit__code="chi-bo-2",
                                   data__period="2025-11")
    assert entry.data["to_office"] is True and entry.actor is None


def test_mail_only_to_recipients_with_an_address(cell_a, cell_b, an, binh,
                                                 django_capture_on_commit_callbacks):
    template = ReportTemplate.objects.get(period_kind="month")
    template.units.set([cell_a, cell_b])
    an.email = "an@example.vn"
    an.save()
    result = run(django_capture_on_commit_callbacks, "2025-11-01")  # only October is overdue
    assert (result.overdue, result.notifications, result.emails) == (2, 2, 1)
    assert [m.to for m in mail.outbox] == [["an@example.vn"]]
    assert Notification.objects.filter(user=binh).exists()


def test_inactive_template_is_not_reminded(cast, django_capture_on_commit_callbacks):
    ReportTemplate.objects.filter(pk=cast.pk).update(active=False)
    result = run(django_capture_on_commit_callbacks, "2025-11-26")
    assert result.sent == 0 and Reminder.objects.count() == 0


def test_a_rollback_sends_no_mail_and_leaves_nothing(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            result = send_due_reminders(today=day("2025-11-26"))
            assert result.emails > 0
            raise RuntimeError("the worker died before committing")
    assert callbacks == []
    assert mail.outbox == []
    assert Reminder.objects.count() == Notification.objects.count() == 0
    assert not AuditEntry.objects.filter(action="remind").exists()
    # Nothing was recorded, so the next run sends them.
    assert run(django_capture_on_commit_callbacks, "2025-11-26").sent == result.sent
    assert len(mail.outbox) == result.emails


def test_mail_waits_for_the_commit(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = send_due_reminders(today=day("2025-11-26"))
    assert result.emails > 0 and mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == result.emails


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_the_same_moment_send_once(cast):
    barrier = threading.Barrier(4)
    results, errors = [], []

    def worker():
        from django.db import connections

        try:
            barrier.wait()
            results.append(send_due_reminders(today=day("2025-11-26")))
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    keys = [key for result in results for key in result.sent_keys]
    assert len(keys) == len(set(keys)) == Reminder.objects.count() > 0
    # Every other worker skipped each reminder, by the pre-check or by losing the insert race.
    assert sum(result.skipped for result in results) == 3 * len(keys)
    assert sum(result.emails for result in results) == len(mail.outbox)
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == len(mail.outbox)
    assert Notification.objects.count() == sum(r.notifications for r in results)
