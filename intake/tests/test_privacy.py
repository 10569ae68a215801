"""Personal numbers never reach stored text or the audit log; contact details: office only."""

from __future__ import annotations

import json
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from core.models import AuditEntry
from intake import services
from intake.models import ImportBatch, OpinionItem, ResidentContact
from intake.tests.conftest import DIGITS, PERSONAL, client_for, digits_only, file

CASES = [(kind, value) for kind, values in PERSONAL.items() for value in values]


def _stored_everywhere() -> str:
    """Every place an item's text could leak to: the item, the audit log, import tables."""
    parts = []
    for item in OpinionItem.objects.all():
        parts += [item.text, item.text_folded]
    for entry in AuditEntry.objects.all():
        parts += [entry.summary, json.dumps(entry.data, ensure_ascii=False)]
    for batch in ImportBatch.objects.all():
        parts += [bytes(batch.file_data or b"").decode("utf-8"), json.dumps(batch.errors)]
    return "\n".join(parts)


def _assert_clean(value: str) -> None:
    stored = _stored_everywhere()
    assert value not in stored
    digits = digits_only(value)
    if len(digits) >= 7:
        assert digits not in stored


@pytest.mark.parametrize(("kind", "value"), CASES)
def test_personal_numbers_never_reach_stored_text(an, kind, value):
    item = file(an, f"Bà Lan phản ánh rác thải ùn ứ, liên hệ {value} để biết thêm.")
    assert kind in item.masked_kinds
    _assert_clean(value)
    assert not any(d in item.text or d in item.text_folded for d in DIGITS)


@pytest.mark.parametrize(("kind", "value"), CASES)
def test_personal_numbers_masked_in_public_feedback(db, kind, value):
    services.submit_public_feedback(
        text=f"Đường ngập, gọi tôi {value}", area_id=None, wants_reply=False, client_ip="10.0.0.9"
    )
    _assert_clean(value)


def test_personal_numbers_masked_in_imports_and_meetings(an):
    data = (
        "Nội dung;Ngày\nGọi 0912345678 về rác thải;01/11/2025\n"
        "CCCD 001203004567 bị giữ;02/11/2025\n"
    ).encode()
    batch = services.start_import(user=an, file_name="y-kien.csv", data=data)
    _assert_clean("0912345678")  # the pending table is masked too
    services.apply_import(user=an, batch=batch, mapping={"text": "Nội dung", "received_on": "Ngày"})
    from intake.models import Meeting

    services.file_meeting(
        user=an,
        kind=Meeting.Kind.DIALOGUE,
        title="Đối thoại",
        held_on=an.date_joined.date(),
        place="Nhà văn hóa",
        points=[services.PointInput("Anh Nam 0987654321 hỏi về đất")],
    )
    for value in ("0912345678", "001203004567", "0987654321"):
        _assert_clean(value)


@pytest.fixture
def resident_item(db, area_1):
    code = services.submit_public_feedback(
        text="Đèn đường ngõ 5 hỏng cả tháng nay",
        area_id=area_1.pk,
        wants_reply=True,
        name="Ngô Thị Mai",
        phone="0977 111 222",
        email="mai.ngo@example.vn",
        address="Số 5 ngõ 12",
        consent=True,
        client_ip="10.0.0.1",
    )
    return OpinionItem.objects.get(tracking_code=code)


def test_contact_is_stored_apart_from_the_item(resident_item):
    contact = ResidentContact.objects.get(item=resident_item)
    assert contact.phone == "0977111222" and contact.name == "Ngô Thị Mai"
    assert "0977" not in resident_item.text and "Mai" not in resident_item.text
    _assert_clean("0977111222")
    assert "mai.ngo" not in _stored_everywhere()


SECRETS = ("Ngô Thị Mai", "0977111222", "mai.ngo@example.vn", "Số 5 ngõ 12")


def test_only_the_office_sees_contact_on_the_page(resident_item, vanphong, lanhdao, an, collab):
    url = reverse("item_detail", args=[resident_item.pk])
    office_page = client_for(vanphong).get(url).content.decode()
    assert all(secret in office_page for secret in SECRETS)
    for user in (lanhdao, an, collab):
        response = client_for(user).get(url)
        assert response.status_code == 200, user  # the item is in cell_a's area
        page = response.content.decode()
        assert not any(secret in page for secret in SECRETS), user


def test_only_the_office_sees_contact_in_the_api(resident_item, vanphong, lanhdao, an, collab):
    def get(user, path):
        client = APIClient()
        client.force_authenticate(user)
        return client.get(path)

    detail = f"/api/v1/items/{resident_item.pk}/"
    office = get(vanphong, detail).json()
    assert office["contact"]["phone"] == "0977111222"
    for user in (lanhdao, an, collab):
        for path in (detail, "/api/v1/items/"):
            body = get(user, path).content.decode()
            assert '"contact"' not in body, (user, path)
            assert not any(secret in body for secret in SECRETS), (user, path)


def _sheet_text(response) -> str:
    workbook = load_workbook(BytesIO(response.content))
    return "\n".join(str(c) for row in workbook.active.iter_rows(values_only=True) for c in row)


def test_only_the_office_sees_contact_in_the_export(resident_item, vanphong, lanhdao, an, collab):
    office = _sheet_text(client_for(vanphong).get(reverse("item_export")))
    assert "0977111222" in office and "Ngô Thị Mai" in office
    for user in (lanhdao, an, collab):
        sheet = _sheet_text(client_for(user).get(reverse("item_export")))
        assert "Đèn đường" in sheet  # the item itself is exported
        assert not any(secret in sheet for secret in SECRETS), user


def test_raw_client_address_is_never_stored(resident_item):
    assert "10.0.0.1" not in _stored_everywhere()
