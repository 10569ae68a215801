"""Flash reports (issue 15): asked of chosen units with a deadline in hours; the units see them
first on their home page; compliance and reminders in hours, with the clock moved."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from core.errors import ConflictError, LockedError, ServiceError
from core.models import AuditEntry, Notification
from flash import services, timing
from flash.models import FlashReminder, FlashReport
from flash.selectors import compliance_of, requests_visible_to, waiting_for_unit
from reporting.tasks import send_reminders

ASKED = dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
SECTIONS = {"dien_bien": "Sáng nay có tụ tập đông người ở chợ.",
            "du_luan": "Nhân dân lo ngại về việc giải tỏa.",
            "kien_nghi": "Đề nghị phường đối thoại sớm."}


@pytest.fixture
def asked(vanphong, an, binh, cell_a, cell_b):
    with time_machine.travel(ASKED, tick=False):
        return services.create_request(
            user=vanphong, title="Tụ tập đông người ở chợ Hòa Bình",
            event="Sáng 10/3 có khoảng 50 người tụ tập phản đối việc giải tỏa ki-ốt.",
            deadline=ASKED + dt.timedelta(hours=6), unit_ids=[cell_a.pk, cell_b.pk])


def test_asking_notifies_the_units_and_only_office_or_leaders_ask(asked, an, binh, lanhdao,
                                                                  cell_a):
    assert Notification.objects.filter(user=an, text__contains="báo cáo nhanh").exists()
    assert Notification.objects.filter(user=binh, text__contains="báo cáo nhanh").exists()
    assert AuditEntry.objects.filter(object_id=str(asked.pk), action="create").exists()
    with pytest.raises(ServiceError, match="Chỉ Ban Xây dựng Đảng hoặc lãnh đạo"):
        services.create_request(user=an, title="X", event="Y",
                                deadline=ASKED + dt.timedelta(hours=3), unit_ids=[cell_a.pk],
                                now=ASKED)
    leader_ask = services.create_request(user=lanhdao, title="Sự cố ngập", event="Ngập sâu.",
                                         deadline=ASKED + dt.timedelta(hours=2),
                                         unit_ids=[cell_a.pk], now=ASKED)
    assert leader_ask.asked_by == lanhdao
    with pytest.raises(ServiceError, match="ít nhất 1 giờ") as error:
        services.create_request(user=lanhdao, title="Gấp", event="Gấp.",
                                deadline=ASKED + dt.timedelta(minutes=20), unit_ids=[cell_a.pk],
                                now=ASKED)
    assert error.value.field == "deadline"


def test_compliance_in_hours_with_the_clock_moved(asked, an, binh, cell_a, cell_b, vanphong):
    with time_machine.travel(ASKED + dt.timedelta(hours=2), tick=False):
        rows, tally = compliance_of(vanphong, asked)
        assert [r.status for r in rows] == ["pending", "pending"]
        assert rows[0].when == "còn 4 giờ"
        services.save_flash_report(user=an, request=asked, unit=cell_a, sections=SECTIONS,
                                   expected_version=None, submit=True)
    with time_machine.travel(ASKED + dt.timedelta(hours=7, minutes=30), tick=False):
        rows, tally = compliance_of(vanphong, asked)
        by_unit = {r.unit: r for r in rows}
        assert by_unit[cell_a].status == "on_time"
        assert by_unit[cell_a].when == "nộp trước hạn 4 giờ"
        assert by_unit[cell_b].status == "missing"
        assert by_unit[cell_b].when == "quá hạn 1 giờ 30 phút"
        services.save_flash_report(user=binh, request=asked, unit=cell_b, sections=SECTIONS,
                                   expected_version=None, submit=True)
        rows, tally = compliance_of(vanphong, asked)
    assert (tally.expected, tally.on_time, tally.late, tally.missing) == (2, 1, 1, 0)
    late = next(r for r in rows if r.unit == cell_b)
    assert late.when == "nộp muộn 1 giờ 30 phút"


def test_reminders_at_half_time_and_an_hour_before_once_each(asked, an, binh, cell_a, cell_b):
    with time_machine.travel(ASKED + dt.timedelta(hours=2, minutes=59), tick=False):
        assert services.send_due_flash_reminders().sent == 0
    with time_machine.travel(ASKED + dt.timedelta(hours=3), tick=False):
        services.save_flash_report(user=an, request=asked, unit=cell_a, sections=SECTIONS,
                                   expected_version=None, submit=True)
        result = send_reminders.call(None)  # the reporting cycle's hourly task sends them too
        assert result["flash"]["sent"] == 1 and result["flash"]["units"] == [cell_b.name]
        assert services.send_due_flash_reminders().sent == 0  # idempotent
    with time_machine.travel(ASKED + dt.timedelta(hours=5, minutes=10), tick=False):
        run = services.send_due_flash_reminders()
    assert run.sent == 1
    kinds = sorted(FlashReminder.objects.filter(unit=cell_b).values_list("kind", flat=True))
    assert kinds == ["half", "hour"]
    assert not FlashReminder.objects.filter(unit=cell_a).exists()
    note = (Notification.objects.filter(user=binh, text__startswith="Nhắc báo cáo nhanh")
            .order_by("pk").last())
    assert "còn 50 phút" in note.text
    with time_machine.travel(ASKED + dt.timedelta(hours=6, minutes=1), tick=False):
        assert services.send_due_flash_reminders().sent == 0  # past the deadline: none


def test_the_due_reminders_table():
    start, end = ASKED, ASKED + dt.timedelta(hours=2)
    assert timing.due_reminders(start, end, start + dt.timedelta(hours=1)) == ["half"]
    assert timing.due_reminders(start, end, start + dt.timedelta(minutes=59)) == []
    long_end = ASKED + dt.timedelta(hours=24)
    assert timing.due_reminders(start, long_end, long_end - dt.timedelta(minutes=30)) == [
        "half", "hour"]


def test_a_submitted_flash_report_is_locked_and_versions_are_checked(asked, an, cell_a):
    with time_machine.travel(ASKED + dt.timedelta(hours=1), tick=False):
        draft = services.save_flash_report(user=an, request=asked, unit=cell_a,
                                           sections={"dien_bien": "Đang nắm."},
                                           expected_version=None)
        with pytest.raises(ConflictError):
            services.save_flash_report(user=an, request=asked, unit=cell_a,
                                       sections={"dien_bien": "Sửa."}, expected_version=0)
        with pytest.raises(ServiceError, match="còn trống phần"):
            services.save_flash_report(user=an, request=asked, unit=cell_a, sections={},
                                       expected_version=draft.version, submit=True)
        done = services.save_flash_report(user=an, request=asked, unit=cell_a,
                                          sections=SECTIONS, expected_version=draft.version,
                                          submit=True)
        with pytest.raises(LockedError):
            services.save_flash_report(user=an, request=asked, unit=cell_a, sections=SECTIONS,
                                       expected_version=done.version)
    assert FlashReport.objects.get().state == "submitted"


def test_scoping_a_unit_sees_its_own_and_not_anothers(asked, an, binh, cell_a, cell_b, client,
                                                      vanphong, ward):
    from orgs.models import OrgUnit

    other = OrgUnit.objects.create(code="chi-bo-9", name="Chi bộ Tổ dân phố 9",
                                   kind=OrgUnit.Kind.PARTY_CELL, parent=ward)
    hidden = services.create_request(user=vanphong, title="Cháy kho hàng", event="Cháy.",
                                     deadline=ASKED + dt.timedelta(hours=4), unit_ids=[other.pk],
                                     now=ASKED)
    assert list(requests_visible_to(an)) == [asked]
    with pytest.raises(ServiceError):
        services.save_flash_report(user=an, request=hidden, unit=cell_a, sections=SECTIONS,
                                   expected_version=None)
    with pytest.raises(ServiceError):
        services.save_flash_report(user=an, request=asked, unit=cell_b, sections=SECTIONS,
                                   expected_version=None)
    client.force_login(an)
    assert client.get(reverse("flash_detail", args=[hidden.pk])).status_code == 404
    page = client.get(reverse("flash_detail", args=[asked.pk])).content.decode()
    assert cell_b.name not in page  # a chi bộ does not read who else answered
    assert client.get(reverse("flash_create")).status_code == 403


def test_the_unit_sees_it_first_on_its_home_page_and_answers(asked, an, cell_a, client):
    client.force_login(an)
    with time_machine.travel(ASKED + dt.timedelta(hours=1), tick=False):
        assert [row["request"] for row in waiting_for_unit(an)] == [asked]
        home = client.get(reverse("home")).content.decode()
        assert 'id="flash-card"' in home and "còn 5 giờ" in home
        assert home.index('id="flash-card"') < home.index("Thường làm")  # first on the page
        answer = {f"s_{k}": v for k, v in SECTIONS.items()} | {"action": "submit", "version": ""}
        response = client.post(reverse("flash_detail", args=[asked.pk]), answer)
        assert response.status_code == 302
        assert waiting_for_unit(an) == []
        assert 'id="flash-card"' not in client.get(reverse("home")).content.decode()


def test_the_office_asks_from_the_page(vanphong, cell_a, cell_b, client, an):
    client.force_login(vanphong)
    response = client.post(reverse("flash_create"), {
        "title": "Sự cố mất nước diện rộng", "event": "Mất nước từ 6 giờ sáng ở tổ 1, 2.",
        "hours": 3, "units": [cell_a.pk, cell_b.pk]})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'data-kpi="flash-pending">2<' in page
    assert "mat nuoc" not in page and "Sự cố mất nước" in page
    listing = client.get(reverse("flash_list") + "?q=mat nuoc").content.decode()
    assert "Sự cố mất nước diện rộng" in listing


def test_the_compliance_table_exports_to_xlsx_for_the_units_the_reader_sees(
    asked, an, cell_a, cell_b, vanphong, client
):
    import io

    from openpyxl import load_workbook

    with time_machine.travel(ASKED + dt.timedelta(hours=1), tick=False):
        services.save_flash_report(user=an, request=asked, unit=cell_a, sections=SECTIONS,
                                   expected_version=None, submit=True)
        client.force_login(vanphong)
        response = client.get(reverse("flash_export", args=[asked.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Đơn vị", "Tình trạng", "Thời gian", "Nộp lúc")
    by_unit = {row[0]: row for row in rows[1:]}
    assert by_unit[cell_a.name][1] == "Nộp đúng hạn"
    assert by_unit[cell_a.name][4] == SECTIONS["dien_bien"]
    assert by_unit[cell_b.name][1] == "Chưa nộp (còn hạn)"
    client.force_login(an)
    mine = load_workbook(io.BytesIO(client.get(reverse("flash_export", args=[asked.pk])).content))
    assert [row[0] for row in list(mine.active.iter_rows(values_only=True))[1:]] == [cell_a.name]
