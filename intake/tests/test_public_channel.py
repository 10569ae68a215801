"""Public-form feedback has its own channel, "Góp ý trực tuyến" (issue 17), apart from "Khác"."""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from core.errors import ServiceError
from core.models import Channel
from intake import services
from intake.forms import ImportMapForm, QuickItemForm
from intake.models import OpinionItem
from intake.tests.conftest import file
from picture.models import DirtyDay
from picture.query import read_query
from picture.selectors import picture_for

MIGRATION = importlib.import_module("intake.migrations.0005_public_items_to_public_form_channel")


def _public(text: str = "Đèn đường ngõ 7 bị hỏng, đi lại buổi tối rất nguy hiểm.") -> OpinionItem:
    code = services.submit_public_feedback(
        text=text, area_id=None, wants_reply=False, client_ip="203.0.113.9"
    )
    return OpinionItem.objects.get(tracking_code=code)


def test_public_feedback_is_filed_under_its_own_channel(db):
    item = _public()
    assert item.channel == Channel.PUBLIC_FORM
    assert item.get_channel_display() == "Góp ý trực tuyến"


def test_a_person_cannot_file_under_the_public_forms_channel(vanphong):
    with pytest.raises(ServiceError) as refused:
        file(vanphong, channel=Channel.PUBLIC_FORM)
    assert refused.value.field == "channel" and "Góp ý trực tuyến" in str(refused.value)
    assert not OpinionItem.objects.exists()
    assert Channel.PUBLIC_FORM not in dict(QuickItemForm.base_fields["channel"].choices)
    form = ImportMapForm(headers=["Nội dung"])
    assert Channel.PUBLIC_FORM not in dict(form.fields["default_channel"].choices)


def test_the_migration_moves_only_public_items_still_under_other(vanphong):
    public = _public()
    refiled = _public("Cống thoát nước ngõ 3 bị tắc, mùi hôi.")
    typed = file(vanphong, channel=Channel.OTHER)
    OpinionItem.objects.filter(pk=public.pk).update(
        channel=Channel.OTHER, received_on=dt.date(2026, 3, 2)
    )
    OpinionItem.objects.filter(pk=refiled.pk).update(channel=Channel.PRESS)
    DirtyDay.objects.all().delete()

    MIGRATION.forwards(apps, SimpleNamespace(connection=connection))

    channels = dict(OpinionItem.objects.values_list("pk", "channel"))
    assert channels[public.pk] == Channel.PUBLIC_FORM
    assert channels[refiled.pk] == Channel.PRESS  # the office's own choice stays
    assert channels[typed.pk] == Channel.OTHER  # no tracking code: not from the public form
    # The picture counts by channel: the moved item's day is stale until recomputed.
    assert set(DirtyDay.objects.values_list("day", flat=True)) == {dt.date(2026, 3, 2)}
    MIGRATION.forwards(apps, SimpleNamespace(connection=connection))  # again: nothing breaks

    MIGRATION.backwards(apps, SimpleNamespace(connection=connection))
    assert OpinionItem.objects.get(pk=public.pk).channel == Channel.OTHER


def test_the_picture_counts_the_public_channel_with_its_label(vanphong):
    _public()
    _public("Cống thoát nước ngõ 3 bị tắc, mùi hôi.")
    file(vanphong, channel=Channel.OTHER)
    today = OpinionItem.objects.first().received_on
    period = f"{today.year}-{today.month:02d}"
    rows = {
        row["code"]: row
        for row in picture_for(read_query(vanphong, {"period": period}, today=today))["channels"]
    }
    assert rows[Channel.PUBLIC_FORM]["name"] == "Góp ý trực tuyến"
    assert rows[Channel.PUBLIC_FORM]["items"] == 2
    assert rows[Channel.OTHER]["items"] == 1
