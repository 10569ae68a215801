"""The /api/v1/items/ and /api/v1/suggest/ endpoints: scoped, Vietnamese errors, documented."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

from core.models import Attitude, Channel
from intake.models import OpinionItem
from intake.tests.conftest import file


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def two_items(an, binh):
    return file(an, "Rác thải ở chợ"), file(binh, "Đường ngõ 3 ngập nước")


def test_list_and_retrieve_are_scoped(two_items, an, lanhdao):
    mine, theirs = two_items
    body = api(an).get("/api/v1/items/").json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert body["results"][0]["channel_label"] == "Khu dân cư"
    assert api(an).get(f"/api/v1/items/{theirs.pk}/").status_code == 404
    assert api(an).get(f"/api/v1/items/{theirs.pk}/").json()["detail"]
    assert api(lanhdao).get("/api/v1/items/").json()["count"] == 2


def test_list_filters(two_items, lanhdao):
    mine, theirs = two_items
    client = api(lanhdao)
    assert [r["id"] for r in client.get("/api/v1/items/", {"q": "ngap"}).json()["results"]] == [
        theirs.pk
    ]
    assert client.get("/api/v1/items/", {"status": "none"}).json()["count"] == 2
    bad = client.get("/api/v1/items/", {"date_from": "hôm qua"})
    assert bad.status_code == 400 and bad.json()["field"] == "date_from"
    assert client.get("/api/v1/items/", {"topic": "x"}).json()["field"] == "topic"


def test_create_masks_and_confirms_labels(an, env_topic, area_1):
    response = api(an).post(
        "/api/v1/items/",
        {
            "text": "Rác thải bốc mùi, liên hệ 0912 345 678",
            "channel": Channel.RESIDENTIAL,
            "area": area_1.pk,
            "topics": [env_topic.pk],
            "attitude": Attitude.AGGRIEVED,
            "received_on": (dt.date.today() - dt.timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert "0912" not in body["text"] and body["masked_kinds"] == ["phone"]
    assert body["labels_confirmed"] and body["topics"] == [env_topic.pk]
    assert body["unit"] == an.unit_id
    assert "contact" not in body


def test_create_errors_are_vietnamese(an, cell_b):
    bad = api(an).post("/api/v1/items/", {"channel": "bay"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["field"] in {"text", "channel"} and "Thiếu" in bad.json()["detail"]
    other_unit = api(an).post(
        "/api/v1/items/",
        {"text": "Ý kiến", "channel": Channel.OTHER, "unit": cell_b.pk},
        format="json",
    )
    assert other_unit.status_code == 400 and "đơn vị của mình" in other_unit.json()["detail"]
    assert not OpinionItem.objects.exists()


def test_anonymous_is_refused(db):
    response = api().get("/api/v1/items/")
    assert response.status_code == 401 and "Chưa xác thực" in response.json()["detail"]
    assert api().post("/api/v1/suggest/", {"text": "rác"}, format="json").status_code == 401


def test_suggest(an, env_topic):
    body = (
        api(an)
        .post("/api/v1/suggest/", {"text": "rac thai un u, dan buc xuc"}, format="json")
        .json()
    )
    assert body["topic_id"] == env_topic.pk and body["attitude"] == Attitude.AGGRIEVED
    assert body["model"] == "lexicon"
    empty = api(an).post("/api/v1/suggest/", {"text": ""}, format="json").json()
    assert empty["topic_id"] is None
    missing = api(an).post("/api/v1/suggest/", {}, format="json")
    assert missing.status_code == 400 and missing.json()["field"] == "text"


@pytest.mark.django_db
def test_schema_documents_the_intake_endpoints(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    paths = yaml.safe_load(out.read_text(encoding="utf-8"))["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/items/"])
    assert "get" in paths["/api/v1/items/{id}/"]
    assert "post" in paths["/api/v1/suggest/"]
