"""Residents' personal data (issue 10; Law 91/2025, Decree 356/2025): encrypted at rest with a key
outside the database, every read audited, erased after the retention, erased on request, kept
only with consent."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import stat
from io import BytesIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from core import datakey
from core.models import AuditEntry, Notification
from intake import services
from intake.models import ErasureRequest, OpinionItem, ResidentContact
from intake.tests.conftest import client_for, old_stamp
from issues.models import Answer, Issue

NAME, PHONE, EMAIL, ADDRESS = "Ngô Thị Mai", "0977111222", "mai.ngo@example.vn", "Số 5 ngõ 12"
SECRETS = (NAME, PHONE, EMAIL, ADDRESS)
READ = AuditEntry.Action.READ_PERSONAL
ERASE = AuditEntry.Action.ERASE_PERSONAL


@pytest.fixture(autouse=True)
def _fresh_keys(monkeypatch):
    monkeypatch.delenv(datakey.KEY_ENV, raising=False)
    monkeypatch.delenv(datakey.KEY_FILE_ENV, raising=False)
    datakey.reset()
    yield
    datakey.reset()


def submit(text="Đèn đường ngõ 5 hỏng cả tháng nay", ip="10.0.0.1", **contact) -> OpinionItem:
    details = dict(name=NAME, phone=PHONE, email=EMAIL, address=ADDRESS)
    details.update(contact)
    code = services.submit_public_feedback(
        text=text, area_id=None, wants_reply=True, consent=True, client_ip=ip, **details
    )
    return OpinionItem.objects.get(tracking_code=code)


def raw_contact(item) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, phone, email, address FROM intake_residentcontact WHERE item_id = %s",
            [item.pk],
        )
        return cursor.fetchone()


def audit_dump() -> str:
    return "\n".join(
        e.summary + json.dumps(e.data, ensure_ascii=False) for e in AuditEntry.objects.all()
    )


# --- encryption at rest --------------------------------------------------------------------------


def test_stored_bytes_are_not_readable_and_the_orm_reads_clear_text(db, private_var_dir):
    item = submit()
    stored = raw_contact(item)
    assert all(value.startswith(datakey.PREFIX) for value in stored)
    blob = " ".join(stored)
    for secret in (*SECRETS, "0977", "mai.ngo", "Ngô"):
        assert secret not in blob
    contact = ResidentContact.objects.get(item=item)
    assert (contact.name, contact.phone, contact.email, contact.address) == SECRETS
    # The key was made in var/ (the demo's and the tests' case), readable by the owner only.
    key_file = private_var_dir / datakey.KEY_FILE_NAME
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    # Each value is its own random token: the same phone twice is stored differently.
    other = submit(ip="10.0.0.2")
    assert raw_contact(other)[1] != stored[1]


def test_the_key_from_the_environment_is_used_and_another_key_cannot_read(db, monkeypatch):
    key = Fernet.generate_key().decode()
    monkeypatch.setenv(datakey.KEY_ENV, key)
    item = submit()
    token = raw_contact(item)[1][len(datakey.PREFIX):]
    assert Fernet(key.encode()).decrypt(token.encode()).decode() == PHONE
    monkeypatch.setenv(datakey.KEY_ENV, Fernet.generate_key().decode())
    with pytest.raises(datakey.DataKeyError, match="không giải mã được"):
        ResidentContact.objects.get(item=item)


def test_a_key_file_rotates_keys(db, monkeypatch, tmp_path):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    key_file = tmp_path / "khoa"
    key_file.write_text(f"# khóa cũ\n{old}\n", encoding="utf-8")
    monkeypatch.setenv(datakey.KEY_FILE_ENV, str(key_file))
    item = submit()
    key_file.write_text(f"{new}\n{old}\n", encoding="utf-8")
    datakey.reset()
    assert ResidentContact.objects.get(item=item).phone == PHONE  # the old key still reads
    assert datakey.rotate_all() == 4
    key_file.write_text(f"{new}\n", encoding="utf-8")
    datakey.reset()
    assert ResidentContact.objects.get(item=item).phone == PHONE  # only the new key now


def test_no_key_with_encrypted_data_refuses_and_makes_no_new_key(db, settings, tmp_path):
    from longdan.commands.parser import CliError
    from longdan.commands.serve import check_data_key

    item = submit()
    settings.VAR_DIR = tmp_path / "moved"  # the server moved without its key
    settings.VAR_DIR.mkdir()
    datakey.reset()
    with pytest.raises(datakey.DataKeyError, match="LONGDAN_DATA_KEY_FILE") as refused:
        ResidentContact.objects.get(item=item)
    assert "Không tìm thấy khóa mã hóa dữ liệu cá nhân" in refused.value.message
    with pytest.raises(CliError, match="không tự tạo khóa"):
        check_data_key()
    with pytest.raises(SystemExit, match="không tự tạo khóa"):  # a web process (longdan/wsgi.py)
        datakey.refuse_to_start_without_key()
    assert not (settings.VAR_DIR / datakey.KEY_FILE_NAME).exists()
    # Nor is anything stored in clear: a new contact is refused too.
    with pytest.raises(datakey.DataKeyError):
        submit(ip="10.0.0.3")
    assert ResidentContact.objects.count() == 1


def test_the_data_key_commands(db, capsys, monkeypatch, tmp_path, settings):
    from longdan.commands import main

    assert main(["data-key", "new"]) == 0
    printed = capsys.readouterr().out.strip()
    Fernet(printed.encode())  # a usable key
    key_file = tmp_path / "khoa"
    key_file.write_text(printed + "\n", encoding="utf-8")
    monkeypatch.setenv(datakey.KEY_FILE_ENV, str(key_file))
    item = submit()
    assert main(["data-key", "status"]) == 0
    assert f"tệp {key_file}" in capsys.readouterr().out
    newer = Fernet.generate_key().decode()
    key_file.write_text(f"{newer}\n{printed}\n", encoding="utf-8")
    assert main(["data-key", "rotate"]) == 0
    assert "Đã mã hóa lại 4 giá trị" in capsys.readouterr().out
    key_file.write_text(newer + "\n", encoding="utf-8")
    datakey.reset()
    assert ResidentContact.objects.get(item=item).email == EMAIL
    monkeypatch.delenv(datakey.KEY_FILE_ENV)
    settings.VAR_DIR = tmp_path / "khac"
    settings.VAR_DIR.mkdir()
    datakey.reset()
    assert main(["data-key", "status"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: Không tìm thấy khóa mã hóa dữ liệu cá nhân")


def test_a_malformed_key_is_refused_in_vietnamese(db, monkeypatch):
    monkeypatch.setenv(datakey.KEY_ENV, "ngan-qua")
    with pytest.raises(datakey.DataKeyError, match="không hợp lệ"):
        submit()


def test_lookups_on_encrypted_fields_are_refused_except_empty(db):
    submit()
    submit(ip="10.0.0.2", email="")
    with pytest.raises(FieldError):
        list(ResidentContact.objects.filter(phone=PHONE))
    with pytest.raises(FieldError):
        list(ResidentContact.objects.filter(name__icontains="Mai"))
    assert ResidentContact.objects.exclude(email="").count() == 1
    assert ResidentContact.objects.filter(email="").count() == 1
    assert ResidentContact.objects.filter(email__isnull=False).count() == 2  # Django's own isnull


def test_the_migration_encrypts_rows_stored_in_clear_and_reverses(db):
    item = submit()
    with connection.cursor() as cursor:  # a row as the app stored it before issue 10
        cursor.execute(
            "UPDATE intake_residentcontact SET name = %s, phone = %s, email = %s, address = %s"
            " WHERE item_id = %s", [*SECRETS, item.pk],
        )
    migration = importlib.import_module("intake.migrations.0006_encrypt_resident_contacts")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.encrypt_rows(None, editor)
    assert all(v.startswith(datakey.PREFIX) for v in raw_contact(item))
    assert ResidentContact.objects.get(item=item).address == ADDRESS
    migration.encrypt_rows(None, editor)  # twice is harmless
    assert ResidentContact.objects.get(item=item).address == ADDRESS
    migration.decrypt_rows(None, editor)
    assert raw_contact(item) == SECRETS


# --- audited reads --------------------------------------------------------------------------------


def test_the_office_reading_a_contact_is_audited_and_others_see_none(
        db, vanphong, lanhdao, an):
    item = submit()
    url = reverse("item_detail", args=[item.pk])
    page = client_for(vanphong).get(url).content.decode()
    assert all(secret in page for secret in SECRETS)
    entry = AuditEntry.objects.get(action=READ)
    assert (entry.actor, entry.object_type, entry.object_id) == (
        vanphong, "intake.residentcontact", str(item.pk))
    assert entry.data["rows"] == 1 and entry.data["where"] == "trang ý kiến"
    for user in (lanhdao, an):
        client_for(user).get(url)
    assert AuditEntry.objects.filter(action=READ).count() == 1  # nothing shown, nothing read
    for secret in SECRETS:
        assert secret not in audit_dump()


def test_an_export_with_contact_details_is_audited_with_its_row_count(db, vanphong):
    for n in range(3):
        submit(text=f"Ý kiến số {n} về đèn đường", ip=f"10.0.1.{n}")
    submit(text="Một ý kiến khác, đã xóa liên hệ", ip="10.0.1.9", phone="", email=EMAIL)
    ResidentContact.objects.filter(item__text__contains="đã xóa").update(
        name="", phone="", email="", address="", erased_at=timezone.now())
    response = client_for(vanphong).get(reverse("item_export"))
    sheet = load_workbook(BytesIO(response.content)).active
    assert PHONE in [cell.value for row in sheet.iter_rows() for cell in row]
    read = AuditEntry.objects.get(action=READ)
    assert read.data["rows"] == 3 and read.data["where"] == "xuất tệp ý kiến"
    export = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert export.data["personal"] is True and export.data["contact_rows"] == 3


def test_the_api_audits_one_read_per_page(db, vanphong, an):
    for n in range(3):
        submit(text=f"Ý kiến số {n} về đèn đường", ip=f"10.0.2.{n}")
    api = APIClient()
    api.force_authenticate(vanphong)
    listing = api.get("/api/v1/items/").json()
    assert {row["contact"]["phone"] for row in listing["results"]} == {PHONE}
    assert AuditEntry.objects.filter(action=READ).count() == 1
    assert AuditEntry.objects.get(action=READ).data["rows"] == 3
    one = OpinionItem.objects.first()
    assert api.get(f"/api/v1/items/{one.pk}/").json()["contact"]["email"] == EMAIL
    assert AuditEntry.objects.filter(action=READ).count() == 2
    api.force_authenticate(an)
    api.get("/api/v1/items/")
    assert AuditEntry.objects.filter(action=READ).count() == 2


def test_leaders_review_the_personal_data_entries(db, vanphong, lanhdao, an):
    item = submit()
    client_for(vanphong).get(reverse("item_detail", args=[item.pk]))
    client_for(vanphong).get(reverse("unit_list"))  # not personal
    response = client_for(lanhdao).get(reverse("audit_log"), {"personal": "on"})
    entries = list(response.context["page"].object_list)
    assert [e.action for e in entries] == [READ]
    assert "Xem thông tin liên hệ của 1 người dân" in response.content.decode()
    by_action = client_for(lanhdao).get(reverse("audit_log"), {"action": READ})
    assert [e.action for e in by_action.context["page"].object_list] == [READ]
    assert client_for(an).get(reverse("audit_log"), {"personal": "on"}).status_code == 404


# --- retention ------------------------------------------------------------------------------------


def _answer(days_ago: int, *, issue=None, items=()) -> Answer:
    answer = Answer.objects.create(
        title="Trả lời", body="Đã sửa.", published_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    if issue is not None:
        answer.issues.add(issue)
    answer.items.add(*items)
    return answer


def test_contacts_are_erased_after_the_retention_and_the_erasure_is_logged(db, settings):
    settings.LONGDAN_CONTACT_RETENTION_DAYS = 90
    now = timezone.now()
    mailed_long_ago = submit(ip="10.0.3.1")
    mailed_recently = submit(ip="10.0.3.2")
    ResidentContact.objects.filter(item=mailed_long_ago).update(
        notified_at=now - dt.timedelta(days=91))
    ResidentContact.objects.filter(item=mailed_recently).update(
        notified_at=now - dt.timedelta(days=89))
    by_issue = submit(ip="10.0.3.3", email="")  # a phone only: answered through its issue
    issue = Issue.objects.create(code="VD-2026-0901", title="Đèn đường")
    OpinionItem.objects.filter(pk=by_issue.pk).update(issue=issue)
    _answer(100, issue=issue)
    unanswered = submit(ip="10.0.3.4")

    from intake.tasks import erase_expired_contacts

    result = erase_expired_contacts.enqueue().return_value
    assert result == {"erased": 2}
    erased = ResidentContact.objects.filter(erased_at__isnull=False)
    assert {c.item_id for c in erased} == {mailed_long_ago.pk, by_issue.pk}
    assert all(c.is_empty and c.erasure == "retention" for c in erased)
    assert all(not v for v in raw_contact(mailed_long_ago))  # gone from the table itself
    for kept in (mailed_recently, unanswered):
        assert ResidentContact.objects.get(item=kept).phone == PHONE
    entry = AuditEntry.objects.get(action=ERASE)
    assert entry.actor is None and entry.data["rows"] == 2
    assert sorted(entry.data["items"]) == sorted([mailed_long_ago.pk, by_issue.pk])
    for secret in SECRETS:
        assert secret not in audit_dump()
    assert services.erase_expired_contacts() == 0  # idempotent
    settings.LONGDAN_CONTACT_RETENTION_DAYS = 10  # the setting decides
    assert services.erase_expired_contacts() == 1


def test_contacts_never_answered_are_erased_at_the_longest_keep(db, settings):
    settings.LONGDAN_CONTACT_MAX_DAYS = 30
    old = submit(ip="10.0.4.1")
    OpinionItem.objects.filter(pk=old.pk).update(
        received_on=timezone.localdate() - dt.timedelta(days=31))
    submit(ip="10.0.4.2")
    assert services.expired_contact_ids() == [ResidentContact.objects.get(item=old).pk]
    settings.LONGDAN_CONTACT_MAX_DAYS = 0
    assert services.expired_contact_ids() == []


def test_the_scheduler_runs_the_retention():
    from longdan.commands.serve import PERIODIC_TASKS

    assert "intake.tasks.erase_expired_contacts" in PERIODIC_TASKS


# --- residents' requests --------------------------------------------------------------------------


def test_a_resident_sees_what_is_kept_asks_for_erasure_and_the_office_completes_it(
        db, vanphong, lanhdao, an):
    item = submit()
    code = item.tracking_code
    resident = Client()
    page = resident.get(reverse("public_track"), {"ma": code}).content.decode()
    kept = page[page.index('id="kept-data"'):]
    assert "Đèn đường ngõ 5 hỏng" in kept and "09•••••222" in kept and "m•••@example.vn" in kept
    assert "N. T. Mai" in kept and "Địa chỉ: có lưu" in kept
    for secret in SECRETS:
        assert secret not in page
    seen = AuditEntry.objects.get(action=READ)
    assert seen.actor is None and "mã tra cứu" in seen.summary

    response = resident.post(reverse("public_erasure_request"), {"ma": code.lower()})
    assert response.status_code == 302
    resident.post(reverse("public_erasure_request"), {"ma": code})  # twice: still one request
    request = ErasureRequest.objects.get()
    assert request.item == item and request.state == "open"
    assert Notification.objects.filter(user=vanphong).count() == 1
    assert "đang chờ" in resident.get(reverse("public_track"), {"ma": code}).content.decode()

    listing = reverse("erasure_requests")
    assert f"Ý kiến #{item.pk}" in client_for(vanphong).get(listing).content.decode()
    for user in (lanhdao, an):
        assert client_for(user).get(listing).status_code == 404
        client_for(user).post(reverse("erasure_request_complete", args=[request.pk]))
    assert ResidentContact.objects.get(item=item).phone == PHONE  # refused to them

    client_for(vanphong).post(reverse("erasure_request_complete", args=[request.pk]))
    request.refresh_from_db()
    contact = ResidentContact.objects.get(item=item)
    assert request.state == "done" and request.completed_by == vanphong
    assert contact.is_empty and contact.erasure == "request" and contact.erased_at
    entry = AuditEntry.objects.get(action=ERASE)
    assert entry.actor == vanphong and entry.data == {
        "rows": 1, "items": [item.pk], "reason": "request"}
    after = resident.get(reverse("public_track"), {"ma": code}).content.decode()
    assert "Đã xóa lúc" in after and 'id="erasure-form"' not in after
    for secret in SECRETS:
        assert secret not in audit_dump()


def test_open_erasure_requests_are_listed_before_done_ones(db, vanphong):
    from intake.selectors import erasure_requests_for

    waiting = services.request_erasure(code=submit(ip="10.0.6.1").tracking_code)
    done = services.request_erasure(code=submit(ip="10.0.6.2").tracking_code)
    services.complete_erasure_request(user=vanphong, request_id=done.pk)
    # The open one was asked for earlier than the one already done: still first.
    ErasureRequest.objects.filter(pk=waiting.pk).update(
        requested_at=timezone.now() - dt.timedelta(days=3))
    assert list(erasure_requests_for(vanphong)) == [waiting, done]
    page = client_for(vanphong).get(reverse("erasure_requests")).content.decode()
    assert page.index(f"Ý kiến #{waiting.item_id}") < page.index(f"Ý kiến #{done.item_id}")


def test_an_anonymous_resident_has_nothing_to_erase(db):
    code = services.submit_public_feedback(
        text="Ý kiến ẩn danh về rác", area_id=None, wants_reply=False, client_ip="10.0.5.1")
    page = Client().get(reverse("public_track"), {"ma": code}).content.decode()
    assert "Không lưu: bạn gửi ẩn danh." in page and 'id="erasure-form"' not in page
    response = Client().post(reverse("public_erasure_request"), {"ma": code})
    assert response.status_code == 400
    assert "Không có thông tin liên hệ nào" in response.content.decode()
    assert not ErasureRequest.objects.exists()



def test_an_erasure_request_without_a_code_says_why(db):
    response = Client().post(reverse("public_erasure_request"), {"ma": ""})
    page = response.content.decode()
    assert response.status_code == 400 and 'role="alert">Mã tra cứu:' in page
    assert not ErasureRequest.objects.exists()
    # The tracking page says the same for the same mistake (it said nothing before).
    assert 'role="alert">Mã tra cứu:' in Client().get(
        reverse("public_track"), {"ma": "X" * 33}).content.decode()
    assert "Không tìm thấy" in Client().post(
        reverse("public_erasure_request"), {"ma": " ab cd "}).content.decode()

# --- consent on the public form -------------------------------------------------------------------


def _post(**data):
    payload = {"text": "Đèn đường ngõ 7 bị hỏng, đi lại buổi tối rất nguy hiểm.",
               "started": old_stamp(), "website": ""}
    payload.update(data)
    return Client().post(reverse("public_feedback"), payload, REMOTE_ADDR="203.0.113.50")


def test_the_form_says_what_why_how_long_and_asks_consent_for_contact_details(db, settings):
    settings.LONGDAN_CONTACT_RETENTION_DAYS = 45
    page = Client().get(reverse("public_feedback")).content.decode()
    notice = page[page.index('id="privacy-notice"'):]
    assert "Thu thập gì" in notice and "Để làm gì" in notice and "Lưu bao lâu" in notice
    assert "45 ngày sau khi bạn được trả lời" in notice and 'name="consent"' in page

    refused = _post(wants_reply="on", phone="0977 111 222")
    assert refused.status_code == 400
    assert "Tôi đồng ý cho lưu thông tin liên hệ" in str(refused.context["form"].errors["consent"])
    assert not OpinionItem.objects.exists()

    assert _post(text="Ẩn danh thì không cần đồng ý gì cả.").status_code == 200
    assert not ResidentContact.objects.exists()

    accepted = _post(wants_reply="on", phone="0977 111 222", consent="on")
    assert accepted.status_code == 200
    assert ResidentContact.objects.get().consented_at is not None
