"""Pages and exports holding personal data are not kept in caches (issue 18, finding 5)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_signed_in_page_and_an_export_are_not_stored(vanphong):
    client = _signed_in(vanphong)
    for url in (reverse("item_list"), reverse("item_export"), reverse("collaborator_export")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_a_form_answer_is_not_stored(db):
    response = Client().post(reverse("public_track"), {"code": "VD-0000-0000"})
    assert "no-store" in response["Cache-Control"]


def test_published_answers_stay_cacheable(db):
    response = Client().get(reverse("public_answers"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
