"""Several templates, each for its reporter (issue 15, first slice): the office creates one from
a preset on the page, and the compliance page reads one template or all of them."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from core.errors import ServiceError
from core.models import AuditEntry
from reporting import services
from reporting.models import ReportTemplate
from reporting.periods import parse_period
from reporting.template_presets import PRESETS


def test_the_office_creates_a_front_template_from_its_preset(vanphong, client, cell_a, an):
    client.force_login(vanphong)
    page = client.get(reverse("template_create") + "?mau=mttq").content.decode()
    assert PRESETS["mttq"]["name"] in page and "nhan_thuc | Nhận thức" in page
    response = client.post(reverse("template_create"), {
        "name": "Báo cáo của Mặt trận (R4)", "deadline_day": 20, "deadline_rule": "through",
        "remind_days_before": 2, "version": 1,
        "sections_text": "nhan_thuc | Nhận thức theo chủ đề\ndong_thuan | Mức độ đồng thuận\n"
                         "kho_khan | Khó khăn",
        "units": [cell_a.pk]})
    assert response.status_code == 302
    template = ReportTemplate.objects.get(name="Báo cáo của Mặt trận (R4)")
    assert template.section_keys() == ["nhan_thuc", "dong_thuan", "kho_khan"]
    assert list(template.units.all()) == [cell_a] and template.deadline_inclusive
    assert AuditEntry.objects.filter(object_id=str(template.pk), action="create").exists()
    with pytest.raises(ServiceError, match="Đã có mẫu"):
        services.create_template(user=vanphong, name="Báo cáo của Mặt trận (R4)",
                                 deadline_day=20, remind_days_before=2,
                                 sections=[{"key": "a", "title": "A"}], unit_ids=[])
    with pytest.raises(ServiceError, match="Chỉ Ban Xây dựng Đảng"):
        services.create_template(user=an, name="Mẫu khác", deadline_day=20,
                                 remind_days_before=2, sections=[{"key": "a", "title": "A"}],
                                 unit_ids=[])
    client.force_login(an)
    assert client.get(reverse("template_create")).status_code in (403, 404)


def test_compliance_for_one_template_or_all(vanphong, monthly, cell_a, cell_b, an, client,
                                            full_sections):
    front = services.create_template(
        user=vanphong, name="Báo cáo của Mặt trận (R4)", deadline_day=25, remind_days_before=2,
        sections=[{"key": "nhan_thuc", "title": "Nhận thức"}], unit_ids=[cell_a.pk])
    period = services.ensure_period(parse_period("2025-11"))
    with time_machine.travel("2025-11-20 09:00 +07:00", tick=False):
        report = services.save_draft(user=an, template=front, period=period, unit=cell_a,
                                     sections={"nhan_thuc": "Đồng tình cao."}, streams=None,
                                     expected_version=None)
        services.submit_report(user=an, report=report, expected_version=report.version)
    with time_machine.travel("2025-12-05 09:00 +07:00", tick=False):
        client.force_login(vanphong)
        page = client.get(reverse("compliance") + f"?period=2025-11&mau={front.pk}")
        html = page.content.decode()
        assert "Báo cáo của Mặt trận (R4) · hạn nộp" in html
        assert page.context["data"]["expected"] == 1 and page.context["data"]["on_time"] == 1
        every = {row["template"].pk: row["total"] for row in page.context["every_template"]}
        assert every[front.pk].submitted == 1 and every[monthly.pk].submitted == 0
        assert every[monthly.pk].expected == 2  # cell_a and cell_b (cell_closed was closed)
        assert 'id="every-template"' in html
        default = client.get(reverse("compliance") + "?period=2025-11")
        assert default.context["template"] == monthly


def test_a_unit_starts_a_report_of_its_other_template_from_home(vanphong, monthly, cell_a, an,
                                                               client):
    front = services.create_template(
        user=vanphong, name="Báo cáo của Mặt trận (R4)", deadline_day=25, remind_days_before=2,
        sections=[{"key": "nhan_thuc", "title": "Nhận thức"}], unit_ids=[cell_a.pk])
    client.force_login(an)
    home = client.get(reverse("home")).content.decode()
    assert 'id="other-templates"' in home and f"?mau={front.pk}" in home
    start = client.get(reverse("report_start") + f"?mau={front.pk}").content.decode()
    assert "Báo cáo của Mặt trận (R4)" in start
    month = start.split('name="period"')[1].split('value="')[1].split('"')[0]
    response = client.post(reverse("report_start"), {"mau": front.pk, "period": month,
                                                     "unit": cell_a.pk})
    assert response.status_code == 302
    report = an.unit.reports.get()
    assert report.template == front


def test_the_report_list_reads_one_template(vanphong, monthly, cell_a, an, client,
                                            full_sections):
    front = services.create_template(
        user=vanphong, name="Báo cáo của Mặt trận (R4)", deadline_day=25, remind_days_before=2,
        sections=[{"key": "nhan_thuc", "title": "Nhận thức"}], unit_ids=[cell_a.pk])
    period = services.ensure_period(parse_period("2025-11"))
    for template, sections in ((front, {"nhan_thuc": "Đồng tình."}), (monthly, full_sections)):
        services.save_draft(user=an, template=template, period=period, unit=cell_a,
                            sections=sections, streams=None, expected_version=None)
    client.force_login(vanphong)
    every = client.get(reverse("report_list")).context["page"].object_list
    only = client.get(reverse("report_list") + f"?mau={front.pk}").context["page"].object_list
    assert len(every) == 2
    assert [r.template for r in only] == [front]
