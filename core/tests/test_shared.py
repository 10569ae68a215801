"""What every app shares from core (issue 14): notifications, the office-only guards, "today"."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from core.dates import local_today
from core.errors import ServiceError
from core.models import Notification
from core.selectors import unread_notifications
from core.services import mark_notifications_read, notify, require_office
from core.views import require_office as require_office_page


def test_notification_keeps_its_first_table():
    # Moved from reporting without touching the rows: the table keeps reporting's name.
    assert Notification._meta.db_table == "reporting_notification"
    assert Notification._meta.app_label == "core"


@pytest.mark.django_db
def test_notify_writes_one_notice_per_user_cut_to_the_column(an, binh):
    notify([an, binh], text="Thông báo " + "x" * 600, url="/van-de/1/")
    notes = Notification.objects.order_by("user__username")
    assert [n.user for n in notes] == [an, binh]
    assert all(len(n.text) == 500 and n.url == "/van-de/1/" for n in notes)
    assert unread_notifications(an).count() == 1
    assert mark_notifications_read(user=an) == 1
    assert unread_notifications(an).count() == 0 and unread_notifications(binh).count() == 1


@pytest.mark.django_db
def test_the_notifications_page_is_cores_and_keeps_its_address(client, an):
    notify([an], text="Nhắc hạn nộp báo cáo", url="/bao-cao/")
    assert reverse("notifications") == "/thong-bao/"
    client.force_login(an)
    assert "Nhắc hạn nộp báo cáo" in client.get("/thong-bao/").content.decode()
    client.post("/thong-bao/")
    assert not unread_notifications(an).exists()


@pytest.mark.django_db
def test_the_service_guard_keeps_each_apps_sentence(an, vanphong):
    require_office(vanphong, "gộp vấn đề")
    with pytest.raises(ServiceError) as refused:
        require_office(an, "gộp vấn đề")
    assert refused.value.message == "Chỉ Ban Xây dựng Đảng được gộp vấn đề."
    assert refused.value.field == "user"
    with pytest.raises(ServiceError) as worded:
        require_office(an, "sửa", message="Bạn không có quyền.", field=None)
    assert worded.value.message == "Bạn không có quyền." and worded.value.field is None


@pytest.mark.django_db
def test_the_page_guard_hides_or_refuses(an, lanhdao, vanphong):
    require_office_page(vanphong)
    with pytest.raises(Http404):
        require_office_page(an)
    with pytest.raises(PermissionDenied, match="Chỉ Ban"):
        require_office_page(an, refusal="Chỉ Ban Xây dựng Đảng được sửa.")
    # hide_from_units: leaders are told why, unit readers are told nothing exists.
    with pytest.raises(PermissionDenied):
        require_office_page(lanhdao, refusal="Chỉ Ban.", hide_from_units=True)
    with pytest.raises(Http404):
        require_office_page(an, refusal="Chỉ Ban.", hide_from_units=True)


def test_today_is_the_local_date():
    # 20:00 UTC on 31 December is already 1 January in Hà Nội.
    with time_machine.travel(dt.datetime(2025, 12, 31, 20, 0, tzinfo=dt.UTC), tick=False):
        assert local_today() == dt.date(2026, 1, 1)
