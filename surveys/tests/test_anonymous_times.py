"""Responses through anonymous links keep only the day (issue 18, finding 3): in the row, in the
answers, in the stored XML and in every export; other channels keep their time."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import AuditEntry
from surveys.collect import services as collect
from surveys.models import Response
from surveys.tests.collect_support import standard_instance

pytestmark = pytest.mark.django_db

MOMENT = "2026-01-10T09:12:33.000+07:00"


def with_moments(xml: bytes) -> bytes:
    text = xml.decode()
    text = text.replace("<gioi_thieu/>", f"<start>{MOMENT}</start><end>{MOMENT}</end>"
                        "<today>2026-01-10</today><gioi_thieu/>")
    return text.replace(' id="', f' submissionDate="{MOMENT}" id="', 1).encode()


def is_midnight(value) -> bool:
    local = timezone.localtime(value)
    return (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)


@pytest.fixture
def responses(open_survey, vanphong):
    [token] = collect.issue_tokens(survey=open_survey, count=1, user=vanphong)
    anonymous, _ = collect.receive_submission(
        xml=with_moments(standard_instance(instance_id="uuid:an-danh", time_end=MOMENT)),
        source=Response.Source.PUBLIC_LINK, token=token,
    )
    odk, _ = collect.receive_submission(
        xml=with_moments(standard_instance(instance_id="uuid:odk", time_end=MOMENT)),
        source=Response.Source.ODK_COLLECT,
    )
    return anonymous, odk


def test_anonymous_response_keeps_only_the_day(responses):
    anonymous, odk = responses
    anonymous.refresh_from_db()
    assert is_midnight(anonymous.received_at) and is_midnight(anonymous.submitted_at)
    assert anonymous.data["start"] == anonymous.data["end"] == "2026-01-10"
    assert anonymous.data["today"] == "2026-01-10"
    assert not re.search(r"\d{2}:\d{2}", anonymous.xml), anonymous.xml
    # nor does the audit log tie the response to a moment
    [entry] = AuditEntry.objects.filter(action=AuditEntry.Action.SUBMIT,
                                        summary__contains="ẩn danh")
    assert entry.object_type != AuditEntry.objects.get(
        action=AuditEntry.Action.SUBMIT, summary__contains="ODK").object_type
    # other channels keep their time
    odk.refresh_from_db()
    assert odk.data["start"] == MOMENT and not is_midnight(odk.submitted_at)


def download(client, user, survey, fmt) -> bytes:
    client.force_login(user)
    response = client.get(reverse("survey_export", args=[survey.slug, fmt]))
    assert response.status_code == 200
    return response.content


def test_exports_show_only_the_day_for_anonymous_responses(client, responses, open_survey,
                                                           vanphong):
    rows = list(csv.DictReader(io.StringIO(
        download(client, vanphong, open_survey, "csv").decode("utf-8-sig"))))
    by_id = {row["ma_phieu"]: row for row in rows}
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", by_id["uuid:an-danh"]["thoi_diem"])
    assert not any(re.search(r"\d{2}:\d{2}", value or "")
                   for value in by_id["uuid:an-danh"].values())
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", by_id["uuid:odk"]["thoi_diem"])
    book = load_workbook(io.BytesIO(download(client, vanphong, open_survey, "xlsx")))
    data = list(book["Dữ liệu"].values)
    header = list(data[0])
    [row] = [r for r in data[1:] if r[header.index("ma_phieu")] == "uuid:an-danh"]
    assert not any(re.search(r"\d{2}:\d{2}", str(v)) for v in row if v is not None)


def test_migration_cuts_stored_anonymous_responses_to_the_day(responses):
    import importlib

    from django.apps import apps

    anonymous, odk = responses
    moment = timezone.make_aware(timezone.datetime(2026, 1, 10, 9, 12))
    Response.objects.filter(pk=anonymous.pk).update(
        received_at=moment, submitted_at=moment, data={"start": MOMENT, "so": "4"},
        xml=f'<data submissionDate="{MOMENT}"><start>{MOMENT}</start></data>')
    AuditEntry.objects.create(action=AuditEntry.Action.SUBMIT, object_type="surveys.response",
                              object_id=str(anonymous.pk), summary="Nhận phiếu")
    migration = importlib.import_module("surveys.migrations.0003_anonymous_responses_day_only")
    migration.forwards(apps, None)
    anonymous.refresh_from_db()
    assert is_midnight(anonymous.received_at) and is_midnight(anonymous.submitted_at)
    assert anonymous.data == {"start": "2026-01-10", "so": "4"}
    assert anonymous.xml == '<data submissionDate="2026-01-10"><start>2026-01-10</start></data>'
    assert not AuditEntry.objects.filter(object_type="surveys.response",
                                         object_id=str(anonymous.pk)).exists()
    odk.refresh_from_db()
    assert odk.data["start"] == MOMENT
