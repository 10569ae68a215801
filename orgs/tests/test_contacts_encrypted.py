"""Collaborators' and users' contact details are encrypted at rest (issue 10), as residents' are:
the stored bytes hold neither the phone nor the e-mail; the app reads them in clear; rows stored
before the migration are encrypted by it."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from core import datakey
from orgs import services
from orgs.models import Collaborator, User

PHONE, EMAIL = "0912345678", "hoa.tran@example.vn"
USER_PHONE, USER_EMAIL = "0987654321", "an.le@example.vn"


def _raw(table: str, pk: int) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT phone, email FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()


@pytest.fixture
def collaborator(vanphong, cell_a) -> Collaborator:
    return services.create_collaborator(
        actor=vanphong, full_name="Trần Thị Hoa", unit=cell_a,
        started_on=dt.date(2025, 10, 1), phone=PHONE, email=EMAIL,
    )


def test_a_collaborators_contacts_are_unreadable_in_the_database(collaborator):
    phone, email = _raw("orgs_collaborator", collaborator.pk)
    for stored, clear in ((phone, PHONE), (email, EMAIL)):
        assert stored.startswith(datakey.PREFIX)
        assert clear not in stored and clear.split("@")[0] not in stored
    fresh = Collaborator.objects.get(pk=collaborator.pk)
    assert (fresh.phone, fresh.email) == (PHONE, EMAIL)


def test_a_users_contacts_are_unreadable_in_the_database(an):
    User.objects.filter(pk=an.pk).update(phone=USER_PHONE, email=USER_EMAIL)
    phone, email = _raw("orgs_user", an.pk)
    assert phone.startswith(datakey.PREFIX) and USER_PHONE not in phone
    assert email.startswith(datakey.PREFIX) and "an.le" not in email
    fresh = User.objects.get(pk=an.pk)
    assert (fresh.phone, fresh.email) == (USER_PHONE, USER_EMAIL)
    # The reminders' recipients are still found: "has an e-mail" is a test for the empty string.
    assert User.objects.filter(pk=an.pk).exclude(email="").exists()


def test_no_search_by_contact_details(collaborator):
    with pytest.raises(FieldError):
        list(Collaborator.objects.filter(phone__icontains="0912"))
    with pytest.raises(FieldError):
        list(User.objects.filter(email=USER_EMAIL))


def test_the_migration_encrypts_rows_stored_in_clear(collaborator, an):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE orgs_collaborator SET phone = %s, email = %s WHERE id = %s",
                       [PHONE, EMAIL, collaborator.pk])
        cursor.execute("UPDATE orgs_user SET phone = %s, email = %s WHERE id = %s",
                       [USER_PHONE, USER_EMAIL, an.pk])

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    import_module("orgs.migrations.0005_encrypt_staff_contacts").encrypt_rows(None, editor)
    assert all(v.startswith(datakey.PREFIX) for v in _raw("orgs_collaborator", collaborator.pk))
    assert all(v.startswith(datakey.PREFIX) for v in _raw("orgs_user", an.pk))
    assert Collaborator.objects.get(pk=collaborator.pk).phone == PHONE
    assert User.objects.get(pk=an.pk).email == USER_EMAIL
    import_module("orgs.migrations.0005_encrypt_staff_contacts").decrypt_rows(None, editor)
    assert _raw("orgs_collaborator", collaborator.pk) == (PHONE, EMAIL)


def test_the_admin_shows_and_saves_a_users_encrypted_contacts(vanphong, an):
    from django.test import Client

    User.objects.filter(pk=an.pk).update(phone=USER_PHONE, email=USER_EMAIL)
    vanphong.is_staff = vanphong.is_superuser = True
    vanphong.save()
    client = Client()
    client.force_login(vanphong)
    page = client.get(f"/quan-tri/orgs/user/{an.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert USER_EMAIL in html and USER_PHONE in html  # decrypted into the form
    listing = client.get("/quan-tri/orgs/user/", {"q": "an"})
    assert listing.status_code == 200  # the search skips the encrypted e-mail
