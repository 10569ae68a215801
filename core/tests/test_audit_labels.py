"""The audit log names every kind of object in Vietnamese (issue 17): no "Reminder #n",
"Consolidated report" or "demo"."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from core.audit_labels import OBJECT_TYPE_NOUNS, object_type_label
from core.models import AuditEntry
from core.services import audit

# Object types written by name rather than from a model (grep "object_type=" in the services).
NAMED_TYPES = ["demo", "reporting.compliance", "picture", "picture.drill"]


def _project_models():
    root = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if root in path.parents and ".venv" not in path.parts:
            yield from config.get_models()


def _is_vietnamese(label: str) -> bool:
    return not label.isascii() and label[:1].isupper()


def test_every_project_model_has_a_vietnamese_name_in_the_log():
    models = list(_project_models())
    assert len(models) > 40  # the walk found the project's apps
    english = {
        model._meta.label_lower: object_type_label(model._meta.label_lower)
        for model in models
        if not _is_vietnamese(object_type_label(model._meta.label_lower))
    }
    assert english == {}


@pytest.mark.parametrize("object_type", NAMED_TYPES)
def test_types_that_are_not_models_have_a_vietnamese_name(object_type):
    assert _is_vietnamese(object_type_label(object_type))


def test_the_names_the_issue_saw_in_english():
    assert object_type_label("reporting.reminder") == "Nhắc hạn"
    assert object_type_label("reporting.consolidatedreport") == "Báo cáo tổng hợp"
    assert object_type_label("demo") == "Dữ liệu mẫu"
    # A verbose name keeps its own capitals: "API" stays "API".
    assert object_type_label("core.apitoken") == "Mã truy cập API"
    assert set(NAMED_TYPES) <= set(OBJECT_TYPE_NOUNS)


@pytest.mark.django_db
def test_the_log_page_and_its_export_show_vietnamese_names(client, vanphong):
    audit(actor=None, action=AuditEntry.Action.REMIND, object_type="reporting.reminder",
          object_id="7", summary="Nhắc hạn nộp báo cáo")
    audit(actor=None, action=AuditEntry.Action.GENERATE,
          object_type="reporting.consolidatedreport", object_id="2", summary="Lập báo cáo")
    audit(actor=None, action=AuditEntry.Action.CREATE, object_type="demo",
          summary="Nạp dữ liệu mẫu phường Hòa Bình, thành phố Hải Phòng")
    client.force_login(vanphong)
    html = client.get(reverse("audit_log")).content.decode()
    assert re.search(r"Nhắc hạn <span class=\"muted\">#7</span>", html)
    assert "Báo cáo tổng hợp" in html and "Dữ liệu mẫu" in html
    for english in ("Reminder", "Consolidated report", ">demo<", ">Demo<"):
        assert english not in html
    # The filter's choices say the same.
    assert '<option value="reporting.reminder">Nhắc hạn</option>' in html
    book = load_workbook(BytesIO(client.get(reverse("audit_export")).content))
    types = {row[3] for row in book.active.iter_rows(min_row=2, values_only=True)}
    assert {"Nhắc hạn", "Báo cáo tổng hợp", "Dữ liệu mẫu"} <= types


@pytest.mark.django_db
def test_a_kept_report_version_reads_vietnamese(monthly, an, cell_a, full_sections):
    from reporting import services
    from reporting.models import ReportVersion
    from reporting.periods import parse_period

    report = services.save_draft(
        user=an, template=monthly, period=services.ensure_period(parse_period("2025-11")),
        unit=cell_a, sections=full_sections, streams=None, expected_version=None,
    )
    version = ReportVersion.objects.filter(report=report).order_by("number").first()
    assert str(version).endswith("phiên bản 1 (tạo)")
