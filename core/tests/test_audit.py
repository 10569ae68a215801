"""The audit log: written on login and on every write; read by the office and leaders only."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import PASSWORD
from core.models import AuditEntry
from core.selectors import AuditFilter, audit_entries_for
from core.services import audit
from orgs import services


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _entry(at: dt.datetime, **fields) -> AuditEntry:
    """An entry at a fixed moment (``at`` is auto_now_add, so it is set after creation)."""
    defaults = {"actor": None, "action": "update", "object_type": "orgs.orgunit", "summary": "x"}
    entry = audit(**{**defaults, **fields})
    AuditEntry.objects.filter(pk=entry.pk).update(at=at)
    entry.refresh_from_db()
    return entry


# --- writing -------------------------------------------------------------------------------


def test_login_through_the_login_page_writes_an_audit_entry(an):
    response = Client().post(
        "/dang-nhap/", {"username": "an", "password": PASSWORD, "next": "/don-vi/"}
    )
    assert response.status_code == 302 and response["Location"] == "/don-vi/"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN)
    assert entry.actor == an
    assert entry.unit == an.unit
    assert "an" in entry.summary


def test_failed_login_is_logged_without_an_actor(an):
    response = Client().post("/dang-nhap/", {"username": "an", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert entry.actor is None and "an" in entry.summary


def test_service_writes_land_in_the_log_with_actor_and_unit(vanphong, ward):
    unit = services.create_unit(actor=vanphong, code="cb", name="Chi bộ mới", kind="chi_bo",
                                parent=ward)
    entry = AuditEntry.objects.get(action="create")
    assert (entry.actor, entry.unit, entry.object_id) == (vanphong, unit, str(unit.pk))


# --- reading: who ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["vanphong", "lanhdao"])
def test_office_and_leaders_read_the_log(request, who, an):
    user = request.getfixturevalue(who)
    audit(actor=an, action="submit", object_type="reporting.unitreport", object_id="7",
          unit=an.unit, summary="an nộp báo cáo tháng 11/2025")
    response = client_for(user).get(reverse("audit_log"))
    assert response.status_code == 200
    assert "an nộp báo cáo tháng 11/2025" in response.content.decode()


def test_reporters_get_not_found(an, binh):
    client = client_for(an)
    assert client.get(reverse("audit_log")).status_code == 404
    assert client.get(reverse("audit_export")).status_code == 404


def test_the_nav_link_is_shown_to_leaders_only(lanhdao, an):
    assert 'href="/nhat-ky/"' in client_for(lanhdao).get(reverse("unit_list")).content.decode()
    assert 'href="/nhat-ky/"' not in client_for(an).get(reverse("unit_list")).content.decode()


# --- reading: what --------------------------------------------------------------------------


def test_newest_first_and_fifty_per_page(lanhdao):
    start = timezone.now() - dt.timedelta(days=1)
    for minute in range(120):
        _entry(start + dt.timedelta(minutes=minute), summary=f"dòng {minute}")
    client = client_for(lanhdao)  # logging in adds a "login" entry: filter it out
    first = client.get(reverse("audit_log"), {"action": "update"})
    summaries = [entry.summary for entry in first.context["page"]]
    assert len(summaries) == 50
    assert summaries[0] == "dòng 119" and summaries[1] == "dòng 118"
    last = client.get(reverse("audit_log"), {"action": "update", "page": 3})
    assert len(last.context["page"].object_list) == 20
    assert last.context["page"].object_list[-1].summary == "dòng 0"


def test_times_are_shown_in_local_time(lanhdao):
    # 2025-11-24 18:30 UTC is 2025-11-25 01:30 in Hà Nội / Hải Phòng.
    _entry(dt.datetime(2025, 11, 24, 18, 30, tzinfo=dt.UTC), summary="nửa đêm")
    body = client_for(lanhdao).get(reverse("audit_log")).content.decode()
    assert "25/11/2025 01:30:00" in body
    assert "24/11/2025 18:30" not in body


def test_filters_by_action_actor_object_type_and_local_dates(lanhdao, vanphong, an):
    _entry(dt.datetime(2025, 11, 24, 16, 59, tzinfo=dt.UTC), actor=an, action="submit",
           object_type="reporting.unitreport", summary="trước nửa đêm 24/11")  # 23:59 local
    _entry(dt.datetime(2025, 11, 24, 17, 0, tzinfo=dt.UTC), actor=an, action="submit",
           object_type="reporting.unitreport", summary="đầu ngày 25/11")  # 00:00 local
    _entry(dt.datetime(2025, 11, 25, 3, 0, tzinfo=dt.UTC), actor=vanphong, action="return",
           object_type="reporting.unitreport", summary="văn phòng trả lại")
    _entry(dt.datetime(2025, 11, 25, 4, 0, tzinfo=dt.UTC), actor=vanphong, action="update",
           object_type="orgs.orgunit", summary="sửa đơn vị")

    def summaries(**params):
        response = client_for(lanhdao).get(reverse("audit_log"), params)
        assert response.status_code == 200
        return {entry.summary for entry in response.context["page"]}

    assert summaries(action="submit") == {"trước nửa đêm 24/11", "đầu ngày 25/11"}
    assert summaries(actor="vanph") == {"văn phòng trả lại", "sửa đơn vị"}
    assert summaries(object_type="orgs.orgunit") == {"sửa đơn vị"}
    assert summaries(date_from="2025-11-25", date_to="2025-11-25") == {
        "đầu ngày 25/11", "văn phòng trả lại", "sửa đơn vị",
    }
    assert summaries(date_to="2025-11-24") == {"trước nửa đêm 24/11"}


def test_object_type_filter_offers_readable_names(lanhdao, vanphong, ward):
    services.create_unit(actor=vanphong, code="cb", name="Chi bộ", kind="chi_bo", parent=ward)
    form = client_for(lanhdao).get(reverse("audit_log")).context["form"]
    assert ("orgs.orgunit", "Đơn vị") in form.fields["object_type"].choices


def test_selector_refuses_reporters(an):
    with pytest.raises(Http404):
        audit_entries_for(an, AuditFilter())


def test_export_has_local_times_follows_filters_and_is_itself_audited(lanhdao, an):
    _entry(dt.datetime(2025, 11, 24, 18, 30, tzinfo=dt.UTC), actor=an, action="submit",
           summary="nộp muộn")
    _entry(dt.datetime(2025, 11, 20, 1, 0, tzinfo=dt.UTC), actor=an, action="update",
           summary="sửa nháp")
    response = client_for(lanhdao).get(reverse("audit_export"), {"action": "submit"})
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Thời điểm (giờ Việt Nam)"
    assert rows[1:] == [
        (dt.datetime(2025, 11, 25, 1, 30), "an", "Nộp", "Đơn vị", None, None, "nộp muộn"),
    ]
    export = AuditEntry.objects.get(action="export")
    assert export.actor == lanhdao and export.data["rows"] == 1
