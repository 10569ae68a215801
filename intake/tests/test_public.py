"""The residents' public form: no login, throttled per address, honeypot, minimum fill time."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from intake import services
from intake.models import OpinionItem, ResidentContact
from intake.tests.conftest import old_stamp

URL = "/gop-y/"


def post(client: Client, ip: str = "203.0.113.7", **data):
    payload = {
        "text": "Đèn đường ngõ 7 bị hỏng, đi lại buổi tối rất nguy hiểm.",
        "started": old_stamp(),
        "website": "",
    }
    payload.update(data)
    return client.post(URL, payload, REMOTE_ADDR=ip)


def test_url_name_and_form_render_without_login(db):
    assert reverse("public_feedback") == URL
    response = Client().get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Gửi ý kiến, kiến nghị" in page and 'name="website"' in page and 'name="started"' in page
    assert "Đăng xuất" not in page


def test_anonymous_feedback_is_filed_with_a_tracking_code(area_1):
    response = post(Client(), area=area_1.pk)
    assert response.status_code == 200
    item = OpinionItem.objects.get()
    assert item.created_by is None and not item.wants_reply
    assert item.area == area_1 and item.unit == area_1.unit  # routed to the area's cell
    assert re.fullmatch(r"[A-Z2-7]{10}", item.tracking_code)
    assert item.tracking_code in response.content.decode()
    assert not ResidentContact.objects.exists()


def test_tracking_codes_differ(db):
    codes = {
        services.submit_public_feedback(
            text=f"Ý kiến số {i} về rác", area_id=None, wants_reply=False, client_ip=f"10.0.0.{i}"
        )
        for i in range(20)
    }
    assert len(codes) == 20


def test_reply_needs_a_phone_or_email(db):
    response = post(Client(), wants_reply="on", name="Ngô Mai")
    assert response.status_code == 400
    assert "số điện thoại hoặc địa chỉ thư điện tử" in response.content.decode()
    assert not OpinionItem.objects.exists()
    assert post(Client(), wants_reply="on", phone="0977 111 222", consent="on").status_code == 200
    assert ResidentContact.objects.get().phone == "0977111222"
    assert OpinionItem.objects.get().wants_reply


def test_throttling_kicks_in_per_address_with_a_vietnamese_message(db):
    client = Client()
    for _ in range(services.PUBLIC_LIMIT):
        assert post(client).status_code == 200
    refused = post(client)
    assert refused.status_code == 429
    assert "thử lại sau ít phút" in refused.content.decode()
    assert OpinionItem.objects.count() == services.PUBLIC_LIMIT
    # Another address is not affected.
    assert post(client, ip="198.51.100.1").status_code == 200


def test_throttle_window_passes(db, time_machine):
    time_machine.move_to("2025-11-20 09:00 +07:00", tick=False)
    for _ in range(services.PUBLIC_LIMIT):
        services.submit_public_feedback(
            text="Ngõ ngập", area_id=None, wants_reply=False, client_ip="10.1.1.1"
        )
    with pytest.raises(services.ThrottledError):
        services.submit_public_feedback(
            text="Ngõ ngập", area_id=None, wants_reply=False, client_ip="10.1.1.1"
        )
    time_machine.move_to("2025-11-20 09:11 +07:00", tick=False)
    services.submit_public_feedback(
        text="Ngõ ngập", area_id=None, wants_reply=False, client_ip="10.1.1.1"
    )


def test_honeypot_refuses_without_storing(db):
    response = post(Client(), website="http://spam.example")
    assert response.status_code == 400
    assert "Không gửi được góp ý" in response.content.decode()
    assert not OpinionItem.objects.exists()


def test_too_fast_or_forged_start_time_is_refused(db):
    fast = post(Client(), started=old_stamp(seconds=0))
    assert fast.status_code == 400 and "nhanh quá" in fast.content.decode()
    forged = post(Client(), started="12345")
    assert forged.status_code == 400 and "hết hạn" in forged.content.decode()
    assert not OpinionItem.objects.exists()


def test_empty_and_enormous_texts_get_a_message(db):
    empty = post(Client(), text="   ")
    assert empty.status_code == 400 and "Hãy viết ý kiến" in empty.content.decode()
    huge = post(Client(), text="a" * 6000)
    assert huge.status_code == 400 and "5.000" in huge.content.decode()
    assert not OpinionItem.objects.exists()


def test_after_an_error_the_fill_time_still_counts_from_the_first_view(db):
    """A resident who fixes one field and sends again at once is not refused as too fast."""
    from intake.forms import PublicFeedbackForm

    first_view = old_stamp(10)
    refused = post(Client(), started=first_view, wants_reply="on")  # no phone or e-mail yet
    assert refused.status_code == 400
    restamped = refused.context["form"].data["started"]
    assert PublicFeedbackForm.started_at(restamped) == PublicFeedbackForm.started_at(first_view)
    accepted = post(Client(), started=restamped, wants_reply="on", phone="0977 111 222",
                    consent="on")
    assert accepted.status_code == 200 and OpinionItem.objects.count() == 1


def test_a_long_correction_does_not_expire_the_form(db, time_machine):
    time_machine.move_to("2025-11-20 08:00 +07:00", tick=False)
    shown = Client().get(URL).context["form"].initial["started"]
    time_machine.move_to("2025-11-20 13:59 +07:00", tick=False)  # just inside the 6 hours
    refused = post(Client(), started=shown, wants_reply="on")
    assert refused.status_code == 400
    restamped = refused.context["form"].data["started"]
    time_machine.move_to("2025-11-20 14:30 +07:00", tick=False)  # the first stamp has expired
    assert "hết hạn" in post(Client(), started=shown).content.decode()
    accepted = post(Client(), started=restamped, wants_reply="on", phone="0977 111 222",
                    consent="on")
    assert accepted.status_code == 200 and OpinionItem.objects.count() == 1


def test_a_forged_or_missing_stamp_starts_the_clock_now(db):
    from intake.forms import PublicFeedbackForm

    for started in ("", "forged", old_stamp(10)[:-2] + "xx"):
        response = post(Client(), started=started)
        assert response.status_code == 400
        assert "hết hạn" in response.content.decode()
        fresh = PublicFeedbackForm.started_at(response.context["form"].data["started"])
        assert fresh is not None and abs(fresh - time.time()) < 5
    assert not OpinionItem.objects.exists()
