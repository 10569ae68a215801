"""The office's inbox (issue 17): what waits for the office, and the "Nhắc đơn vị" button."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from core.errors import ServiceError
from core.models import AuditEntry, Channel, Notification, OutgoingEmail
from intake.models import OpinionItem
from issues.models import Issue
from orgs.models import User
from reporting import inbox_selectors as inbox
from reporting import services
from reporting.models import Reminder, UnitReport
from reporting.periods import parse_period
from reporting.services.reminders import send_due_reminders

# 10 Dec 2025, 09:00 in Hà Nội: November's deadline (the 25th) has passed, December's has not.
NOW = dt.datetime(2025, 12, 10, 2, 0, tzinfo=dt.UTC)
NOV = parse_period("2025-11")
URL = "/hop-thu/"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def cast(an, binh, vanphong, monthly):
    for user, email in ((an, "an@example.vn"), (binh, "binh@example.vn")):
        user.email = email
        user.save()
    return monthly


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def submit(user, template, unit, sections, key=NOV) -> UnitReport:
    period = services.ensure_period(key)
    report = services.save_draft(
        user=user,
        template=template,
        period=period,
        unit=unit,
        sections=sections,
        streams=None,
        expected_version=None,
    )
    return services.submit_report(user=user, report=report, expected_version=report.version)


def remind(client: Client, unit, template, follow: bool = True):
    return client.post(
        reverse("office_inbox_remind", kwargs={"pk": unit.pk}),
        {"template": template.pk, "period": NOV.code, "next": URL},
        follow=follow,
    )


def test_a_submitted_report_waits_until_the_office_opens_it(
    cast, an, cell_a, vanphong, lanhdao, full_sections
):
    report = submit(an, cast, cell_a, full_sections)
    assert list(inbox.reports_to_read(vanphong)) == [report]
    page = client_for(vanphong).get(URL).content.decode()
    assert "Chi bộ Tổ dân phố 1" in page and 'inbox-tag">mới<' in page
    assert reverse("report_detail", kwargs={"pk": report.pk}) in page

    # A leader reading it is not the office reading it.
    assert client_for(lanhdao).get(f"/bao-cao/{report.pk}/").status_code == 200
    assert list(inbox.reports_to_read(vanphong)) == [report]

    before = UnitReport.objects.get(pk=report.pk)
    assert client_for(vanphong).get(f"/bao-cao/{report.pk}/").status_code == 200
    seen = UnitReport.objects.get(pk=report.pk)
    assert seen.office_seen_at is not None
    assert (seen.version, seen.updated_at) == (before.version, before.updated_at)
    assert not inbox.reports_to_read(vanphong).exists()


def test_a_returned_report_waits_for_the_unit_then_comes_back_as_resubmitted(
    cast, an, cell_a, vanphong, full_sections, frozen_clock
):
    report = submit(an, cast, cell_a, full_sections)
    client_for(vanphong).get(f"/bao-cao/{report.pk}/")
    services.return_report(user=vanphong, report=report, reason="Thiếu phần kiến nghị.")
    frozen_clock.shift(dt.timedelta(days=3))
    assert list(inbox.reports_returned(vanphong)) == [report]
    assert not inbox.reports_to_read(vanphong).exists()
    page = client_for(vanphong).get(URL).content.decode()
    assert "chờ 3 ngày" in page and "Thiếu phần kiến nghị." in page

    report = UnitReport.objects.get(pk=report.pk)
    report = services.save_draft(
        user=an,
        template=cast,
        period=report.period,
        unit=cell_a,
        sections=full_sections,
        streams=None,
        expected_version=report.version,
    )
    services.submit_report(user=an, report=report, expected_version=report.version)
    assert not inbox.reports_returned(vanphong).exists()
    [again] = inbox.reports_to_read(vanphong)
    assert inbox.is_resubmission(again)
    page = client_for(vanphong).get(URL).content.decode()
    assert 'inbox-tag">nộp lại<' in page and 'inbox-tag">mới<' not in page


def test_the_latest_period_returned_comes_first(cast, an, cell_a, vanphong, full_sections):
    october = submit(an, cast, cell_a, full_sections, parse_period("2025-10"))
    november = submit(an, cast, cell_a, full_sections)
    for report in (october, november):
        services.return_report(user=vanphong, report=report, reason="Bổ sung số liệu.")
    assert list(inbox.reports_returned(vanphong)) == [november, october]


def test_units_that_have_not_submitted_past_the_deadline_are_listed(
    cast, an, cell_a, vanphong, full_sections
):
    submit(an, cast, cell_a, full_sections)
    month = inbox.missing_month(vanphong)
    assert month.key == NOV
    # Chi bộ 2 owes November; the closed cell (closed in September) owes nothing.
    assert [unit.name for unit in month.units] == ["Chi bộ Tổ dân phố 2"]
    page = client_for(vanphong).get(f"{URL}?muc={inbox.MISSING}").content.decode()
    # Due by the end of the 24th (the plan's "trước ngày 25"): 16 days late on 10 December.
    assert "Chi bộ Tổ dân phố 2" in page and "quá hạn 16 ngày" in page and "Nhắc đơn vị" in page


def test_remind_notifies_mails_records_and_audits_once_a_day(
    cast, binh, cell_b, vanphong, frozen_clock
):
    client = client_for(vanphong)
    page = remind(client, cell_b, cast).content.decode()
    assert "Đã nhắc Chi bộ Tổ dân phố 2" in page and "Đã nhắc hôm nay" in page
    reminder = Reminder.objects.get(kind=Reminder.Kind.MANUAL)
    assert (reminder.unit, reminder.sent_on, reminder.sent_by) == (
        cell_b,
        dt.date(2025, 12, 10),
        vanphong,
    )
    assert reminder.recipients == [binh.pk]
    note = Notification.objects.get(user=binh)
    assert "Ban Xây dựng Đảng nhắc" in note.text and "quá hạn 16 ngày" in note.text
    mail = OutgoingEmail.objects.get()
    assert mail.to == ["binh@example.vn"] and "tháng 11/2025" in mail.subject.lower()
    assert "Đề nghị đồng chí hoàn thành" in mail.body
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REMIND)
    assert entry.actor == vanphong and entry.unit == cell_b and entry.data["kind"] == "manual"

    second = remind(client, cell_b, cast).content.decode()
    assert "Hôm nay đã nhắc Chi bộ Tổ dân phố 2" in second and "mỗi ngày chỉ nhắc một lần" in second
    assert Reminder.objects.filter(kind=Reminder.Kind.MANUAL).count() == 1
    assert Notification.objects.filter(user=binh).count() == 1
    assert OutgoingEmail.objects.count() == 1

    frozen_clock.shift(dt.timedelta(days=1))
    client.force_login(vanphong)  # the session lapsed overnight
    assert "Đã nhắc Chi bộ Tổ dân phố 2" in remind(client, cell_b, cast).content.decode()
    assert Reminder.objects.filter(kind=Reminder.Kind.MANUAL).count() == 2


def test_manual_reminders_do_not_stop_the_automatic_ones(cast, binh, cell_b, vanphong):
    services.remind_unit(user=vanphong, template=cast, key=NOV, unit=cell_b)
    run = send_due_reminders()
    assert ("chi-bo-2", "overdue") in set(
        Reminder.objects.filter(period__code=NOV.code).values_list("unit__code", "kind")
    )
    assert run.overdue >= 1
    # The automatic kinds stay once per (template, period, unit, kind).
    period = services.ensure_period(NOV)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            template=cast, period=period, unit=cell_b, kind="overdue", sent_on=dt.date(2025, 12, 11)
        )


def test_remind_refuses_what_makes_no_sense(
    cast, an, cell_a, cell_b, cell_closed, vanphong, full_sections
):
    submit(an, cast, cell_a, full_sections)
    with pytest.raises(ServiceError) as refused:
        services.remind_unit(user=vanphong, template=cast, key=NOV, unit=cell_a)
    assert "đã nộp" in refused.value.message and refused.value.field == "unit"
    with pytest.raises(ServiceError) as refused:
        services.remind_unit(user=vanphong, template=cast, key=NOV, unit=cell_closed)
    assert "không phải nộp" in refused.value.message
    with pytest.raises(ServiceError) as refused:
        services.remind_unit(user=an, template=cast, key=NOV, unit=cell_b)
    assert "Chỉ Ban Xây dựng Đảng" in refused.value.message
    cell_b.responsible_person = None
    cell_b.save()
    User.objects.filter(unit=cell_b).update(is_active=False)
    with pytest.raises(ServiceError) as refused:
        services.remind_unit(user=vanphong, template=cast, key=NOV, unit=cell_b)
    assert "chưa có người phụ trách" in refused.value.message
    assert not Reminder.objects.exists()


def test_only_the_office_has_an_inbox(cast, an, binh, cell_b, lanhdao, vanphong):
    for user in (an, lanhdao):
        client = client_for(user)
        response = client.get(URL)
        assert response.status_code == 403
        assert "Chỉ Ban Xây dựng Đảng xem được hộp thư" in response.content.decode()
        assert remind(client, cell_b, cast, follow=False).status_code in (403, 404)
    assert not Reminder.objects.exists() and not Notification.objects.exists()
    assert client_for(an).post(URL).status_code == 403
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(vanphong)
    assert remind(csrf, cell_b, cast, follow=False).status_code == 403  # no CSRF token
    assert not Reminder.objects.exists()


def _public_item(n: int, cell, **fields) -> OpinionItem:
    return OpinionItem.objects.create(
        text=f"Góp ý số {n} về đèn đường hỏng.",
        channel=Channel.PUBLIC_FORM,
        received_on=dt.date(2025, 12, 1),
        unit=cell,
        tracking_code=f"CODE{n:06d}",
        **fields,
    )


def test_public_feedback_and_collaborators_items_wait_for_triage(cast, cell_a, vanphong):
    waiting = _public_item(1, cell_a)
    labelled = _public_item(2, cell_a, labels_confirmed=True)
    issue = Issue.objects.create(code="VD-2025-0001", title="Đèn đường")
    done = _public_item(3, cell_a, labels_confirmed=True, issue=issue)
    other = OpinionItem.objects.create(
        text="Ý kiến khác", channel=Channel.OTHER, received_on=dt.date(2025, 12, 1), unit=cell_a
    )
    assert set(inbox.public_to_triage(vanphong)) == {waiting, labelled}

    ctv = User.objects.create(
        username="ctv", role=User.Role.COLLABORATOR, unit=cell_a, full_name="Đỗ Thị Cúc"
    )
    new = OpinionItem.objects.create(
        text="Dân phản ánh ngõ ngập",
        channel=Channel.COLLABORATOR,
        received_on=dt.date(2025, 12, 2),
        unit=cell_a,
        created_by=ctv,
    )
    OpinionItem.objects.create(
        text="Đã phân loại",
        channel=Channel.COLLABORATOR,
        received_on=dt.date(2025, 12, 2),
        unit=cell_a,
        created_by=ctv,
        labels_confirmed=True,
    )
    OpinionItem.objects.create(
        text="Văn phòng ghi",
        channel=Channel.RESIDENTIAL,
        received_on=dt.date(2025, 12, 2),
        unit=cell_a,
        created_by=vanphong,
    )
    assert list(inbox.collaborators_to_classify(vanphong)) == [new]

    page = client_for(vanphong).get(URL).content.decode()
    for item in (waiting, labelled, new):
        assert reverse("item_detail", kwargs={"pk": item.pk}) in page
    for item in (done, other):
        assert reverse("item_detail", kwargs={"pk": item.pk}) not in page
    assert "chưa thuộc vấn đề nào" in page and "CTV Đỗ Thị Cúc" in page


def test_long_lists_are_paginated_and_empty_ones_say_what_to_do(cast, cell_a, vanphong):
    client = client_for(vanphong)
    page = client.get(URL).content.decode()
    assert "Không có góp ý trực tuyến nào cần phân loại" in page
    assert "Không có báo cáo nào mới nộp mà chưa xem" in page
    for n in range(30):
        _public_item(n, cell_a)
    overview = client.get(URL).content.decode()
    assert overview.count('class="inbox-row"') >= 5 and "Xem tất cả 30 mục" in overview
    first = client.get(URL, {"muc": inbox.PUBLIC}).content.decode()
    assert first.count('class="inbox-row"') == 25 and "Trang 1 / 2" in first
    second = client.get(URL, {"muc": inbox.PUBLIC, "page": 2}).content.decode()
    assert second.count('class="inbox-row"') == 5


def test_the_office_home_shows_the_inbox_counts(cast, an, cell_a, vanphong, full_sections):
    submit(an, cast, cell_a, full_sections)
    _public_item(1, cell_a)
    page = client_for(vanphong).get("/").content.decode()
    assert "Hộp thư công việc" in page
    counts = inbox.counts(vanphong)
    assert counts == {
        inbox.TO_READ: 1,
        inbox.RETURNED: 0,
        inbox.MISSING: 1,
        inbox.PUBLIC: 1,
        inbox.COLLABORATORS: 0,
    }
    assert f"{URL}?muc={inbox.TO_READ}" in page
    assert 'href="/hop-thu/" class="navtop">Hộp thư' in page
    assert "Hộp thư công việc" not in client_for(an).get("/").content.decode()
