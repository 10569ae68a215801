"""The reporting pages, through the Django test client with the fixed cast (see conftest.py)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEntry, Notification, SocialGroup, Topic
from reporting import services
from reporting.models import ReportTemplate, UnitReport
from reporting.periods import parse_period

# 10 Nov 2025, 09:00 in Hà Nội: November's deadline (the 25th) is still ahead, October's passed.
NOW = dt.datetime(2025, 11, 10, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def november(monthly):
    return services.ensure_period(parse_period("2025-11"))


@pytest.fixture
def draft_a(an, cell_a, monthly, november):
    return services.save_draft(
        user=an, template=monthly, period=november, unit=cell_a, sections={}, streams=None,
        expected_version=None,
    )


@pytest.fixture
def draft_b(binh, cell_b, monthly, november):
    return services.save_draft(
        user=binh, template=monthly, period=november, unit=cell_b, sections={}, streams=None,
        expected_version=None,
    )


@pytest.fixture
def submitted_a(an, draft_a, full_sections, stream, monthly, november, cell_a):
    report = services.save_draft(
        user=an, template=monthly, period=november, unit=cell_a, sections=full_sections,
        streams=[stream], expected_version=draft_a.version,
    )
    return services.submit_report(user=an, report=report, expected_version=report.version)


def login(client, user):
    client.force_login(user)
    return client


def edit_payload(report: UnitReport, sections: dict, streams: list[dict] | None = None,
                 **extra) -> dict:
    """What the edit page's form posts: section textareas, the formset, the version."""
    data = {"version": str(report.version), **{f"sec_{k}": v for k, v in sections.items()}}
    streams = streams or []
    data.update({
        "streams-TOTAL_FORMS": str(len(streams)),
        "streams-INITIAL_FORMS": "0",
        "streams-MIN_NUM_FORMS": "0",
        "streams-MAX_NUM_FORMS": "1000",
    })
    for index, row in enumerate(streams):
        for key, value in row.items():
            data[f"streams-{index}-{key}"] = value
    data.update(extra)
    return data


def stream_row(**overrides) -> dict:
    row = {
        "topic": str(Topic.objects.get(name="Môi trường").pk),
        "summary": "Bà con phản ánh rác thải tồn đọng ở chợ.",
        "attitude": "buc_xuc",
        "reach": "nhieu_y_kien",
        "channel": "khu_dan_cu",
        "area": "",
    }
    row.update(overrides)
    return row


# --- every page renders for the right roles ---------------------------------------------------


@pytest.mark.parametrize("who", ["vanphong", "lanhdao", "an"])
def test_home_list_notifications_render_for_every_role(client, request, who, draft_a, draft_b):
    login(client, request.getfixturevalue(who))
    for name in ("home", "report_list", "notifications"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert "Lòng Dân" in response.content.decode()


def test_home_for_office_names_missing_units_of_last_due_month(client, vanphong, monthly, an):
    # October's deadline passed; nobody reported, so both open cells are named as missing.
    login(client, vanphong)
    body = client.get(reverse("home")).content.decode()
    assert "Tháng 10/2025" in body or "tháng 10/2025" in body
    assert "Chi bộ Tổ dân phố 1" in body and "Chi bộ Tổ dân phố 2" in body
    assert "?khong_phu_trach=1" in body or "chưa có người phụ trách" in body


def test_home_for_reporter_shows_countdown_and_start_button(client, an, monthly):
    login(client, an)
    body = client.get(reverse("home")).content.decode()
    assert "Còn <strong>14 ngày</strong>" in body  # to the 24th: "trước ngày 25"
    assert reverse("report_start") + "?period=2025-11" in body
    assert "Chưa nộp (quá hạn)" in body  # October was never started


def test_compliance_is_for_office_and_leaders_only(client, vanphong, lanhdao, an, monthly):
    for user in (vanphong, lanhdao):
        login(client, user)
        assert client.get(reverse("compliance"), {"period": "2025-11"}).status_code == 200
        assert client.get(reverse("compliance_export"), {"period": "2025-11"}).status_code == 200
    login(client, an)
    assert client.get(reverse("compliance")).status_code == 404
    assert client.get(reverse("compliance_export")).status_code == 404


def test_compliance_counts_submitted_unit_and_rate(client, vanphong, submitted_a, draft_b):
    login(client, vanphong)
    response = client.get(reverse("compliance"), {"period": "2025-11"})
    assert response.context["data"]["expected"] == 2
    assert response.context["data"]["submitted"] == 1
    body = response.content.decode()
    assert 'data-kpi="reporting-rate">50%' in body
    assert 'id="trend-data"' in body and "vendor/chart.umd.min.js" in body


def test_compliance_bad_period_says_why(client, vanphong, monthly):
    login(client, vanphong)
    body = client.get(reverse("compliance"), {"period": "2025-13"}).content.decode()
    assert "tháng 13 không hợp lệ" in body


def test_templates_pages_for_office_only(client, vanphong, lanhdao, an, monthly):
    login(client, vanphong)
    assert client.get(reverse("template_list")).status_code == 200
    assert client.get(reverse("template_edit", args=[monthly.pk])).status_code == 200
    for user in (lanhdao, an):
        login(client, user)
        assert client.get(reverse("template_list")).status_code == 404
        assert client.get(reverse("template_edit", args=[monthly.pk])).status_code == 404


# --- scoping: another unit's report is "not found" ------------------------------------------


def test_reporter_gets_404_on_another_units_report(client, an, draft_b):
    login(client, an)
    for name in ("report_detail", "report_edit"):
        assert client.get(reverse(name, args=[draft_b.pk])).status_code == 404
    assert client.post(reverse("report_edit", args=[draft_b.pk]), {}).status_code == 404
    submit = client.post(reverse("report_submit", args=[draft_b.pk]), {"version": "1"})
    assert submit.status_code == 404
    refused = client.post(reverse("report_return", args=[draft_b.pk]), {"reason": "x"})
    assert refused.status_code == 404
    draft_b.refresh_from_db()
    assert draft_b.state == UnitReport.State.DRAFT


def test_list_and_export_are_scoped_to_the_reporters_unit(client, an, vanphong, draft_a, draft_b):
    login(client, an)
    body = client.get(reverse("report_list")).content.decode()
    assert "Chi bộ Tổ dân phố 1" in body and "Chi bộ Tổ dân phố 2" not in body
    response = client.get(reverse("report_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    units = _xlsx_column(response.content, "Đơn vị")
    assert units == ["Chi bộ Tổ dân phố 1"]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, actor=an).exists()
    login(client, vanphong)
    assert sorted(_xlsx_column(client.get(reverse("report_export")).content, "Đơn vị")) == [
        "Chi bộ Tổ dân phố 1", "Chi bộ Tổ dân phố 2",
    ]


def _xlsx_column(content: bytes, header: str) -> list:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index(header)
    return [row[column] for row in rows[1:]]


def test_list_filters_by_unit_without_diacritics_and_state(client, vanphong, submitted_a, draft_b):
    login(client, vanphong)
    response = client.get(reverse("report_list"), {"q": "to dan pho 2"})
    assert [r.unit.code for r in response.context["page"].object_list] == ["chi-bo-2"]
    response = client.get(reverse("report_list"), {"state": "submitted"})
    assert [r.unit.code for r in response.context["page"].object_list] == ["chi-bo-1"]
    export = client.get(reverse("report_export"), {"state": "submitted"})
    assert _xlsx_column(export.content, "Đơn vị") == ["Chi bộ Tổ dân phố 1"]
    response = client.get(reverse("report_list"), {"sort": "-unit"})
    assert [r.unit.code for r in response.context["page"].object_list] == ["chi-bo-2", "chi-bo-1"]
    empty = client.get(reverse("report_list"), {"q": "khong co don vi nay"}).content.decode()
    assert "Không có báo cáo nào khớp bộ lọc" in empty


# --- start, edit, autosave, submit, return --------------------------------------------------


def test_start_creates_a_draft_and_reopens_it(client, an, monthly):
    login(client, an)
    page = client.get(reverse("report_start"), {"period": "2025-11"})
    assert page.status_code == 200
    response = client.post(reverse("report_start"), {"period": "2025-11", "unit": an.unit_id})
    report = UnitReport.objects.get(unit=an.unit, period__code="2025-11")
    assert response.url == reverse("report_edit", args=[report.pk])
    again = client.post(reverse("report_start"), {"period": "2025-11", "unit": an.unit_id})
    assert again.url == reverse("report_edit", args=[report.pk])
    assert UnitReport.objects.filter(unit=an.unit).count() == 1


def test_reporter_cannot_start_for_another_unit(client, an, cell_b, monthly):
    login(client, an)
    response = client.post(reverse("report_start"), {"period": "2025-11", "unit": cell_b.pk})
    assert response.status_code == 200  # the form refuses a unit outside its choices
    assert not UnitReport.objects.filter(unit=cell_b).exists()


def test_office_starts_on_behalf_of_a_unit(client, vanphong, cell_b, monthly):
    login(client, vanphong)
    response = client.post(reverse("report_start"), {"period": "2025-11", "unit": cell_b.pk})
    assert response.status_code == 302
    assert UnitReport.objects.filter(unit=cell_b, period__code="2025-11").exists()


def test_edit_page_saves_sections_and_streams(client, an, draft_a, full_sections):
    login(client, an)
    page = client.get(reverse("report_edit", args=[draft_a.pk])).content.decode()
    assert 'name="version"' in page and "js/report_edit.js" in page
    group = SocialGroup.objects.first()
    response = client.post(reverse("report_edit", args=[draft_a.pk]), edit_payload(
        draft_a, full_sections, [stream_row(social_groups=[str(group.pk)], latent="on")],
        action="save",
    ))
    assert response.status_code == 302
    draft_a.refresh_from_db()
    assert draft_a.version == 2
    assert draft_a.sections == full_sections
    saved = draft_a.streams.get()
    assert saved.latent and list(saved.social_groups.all()) == [group]


def test_autosave_returns_new_version_then_409_on_a_stale_one(client, an, draft_a, full_sections):
    login(client, an)
    url = reverse("report_edit", args=[draft_a.pk])
    first = client.post(url, edit_payload(draft_a, {"tu_tuong": "Bản đầu."}),
                        headers={"X-Autosave": "1"})
    assert first.status_code == 200
    assert first.json()["ok"] is True and first.json()["version"] == 2
    # A second editor still holding version 1 must not overwrite.
    stale = client.post(url, edit_payload(draft_a, {"tu_tuong": "Bản cũ ghi đè."}),
                        headers={"X-Autosave": "1"})
    assert stale.status_code == 409
    body = stale.json()
    assert body["ok"] is False and body["conflict"] is True
    assert "phiên bản 2" in body["error"] and "tải lại" in body["error"]
    draft_a.refresh_from_db()
    assert draft_a.sections["tu_tuong"] == "Bản đầu."


def test_stale_save_on_the_page_shows_conflict_and_keeps_the_typed_text(client, an, draft_a):
    login(client, an)
    url = reverse("report_edit", args=[draft_a.pk])
    client.post(url, edit_payload(draft_a, {"tu_tuong": "Người khác lưu trước."}))
    response = client.post(url, edit_payload(draft_a, {"tu_tuong": "Chữ tôi vừa gõ."}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "sau khi bạn mở" in body and "Chữ tôi vừa gõ." in body


def test_stream_error_names_the_row(client, an, draft_a):
    login(client, an)
    url = reverse("report_edit", args=[draft_a.pk])
    payload = edit_payload(draft_a, {}, [stream_row(), stream_row(summary="")])
    body = client.post(url, payload).content.decode()
    assert "Luồng ý kiến dòng 2: chưa nhập nội dung ý kiến." in body
    auto = client.post(url, payload, headers={"X-Autosave": "1"})
    assert auto.status_code == 400 and auto.json()["field"] == "streams-1-summary"
    draft_a.refresh_from_db()
    assert draft_a.version == 1


def test_submit_from_editor_refuses_empty_sections_naming_them(client, an, draft_a):
    login(client, an)
    url = reverse("report_edit", args=[draft_a.pk])
    body = client.post(url, edit_payload(draft_a, {"tu_tuong": "Chỉ một phần."},
                                         action="submit")).content.decode()
    assert "Chưa thể nộp: còn trống phần" in body and "Dư luận nổi bật" in body
    draft_a.refresh_from_db()
    assert draft_a.state == UnitReport.State.DRAFT and draft_a.version == 2
    # The page now carries the saved version, so the next save does not conflict with itself.
    assert 'name="version" value="2"' in body


def test_submit_twice_is_fine_and_the_report_locks(client, an, draft_a, full_sections):
    login(client, an)
    url = reverse("report_edit", args=[draft_a.pk])
    response = client.post(url, edit_payload(draft_a, full_sections, [stream_row()],
                                             action="submit"))
    assert response.url == reverse("report_detail", args=[draft_a.pk])
    draft_a.refresh_from_db()
    assert draft_a.state == UnitReport.State.SUBMITTED
    version = draft_a.version
    again = client.post(reverse("report_submit", args=[draft_a.pk]), {"version": "1"},
                        follow=True)
    assert "đã được nộp trước đó" in again.content.decode()
    draft_a.refresh_from_db()
    assert draft_a.version == version
    locked = client.get(url).content.decode()
    assert "bị khóa" in locked and 'id="report-form"' not in locked
    refused = client.post(url, edit_payload(draft_a, {"tu_tuong": "Sửa sau khi nộp"}),
                          headers={"X-Autosave": "1"})
    assert refused.status_code == 409 and "khóa" in refused.json()["error"]


def test_returned_flow(client, vanphong, an, submitted_a, full_sections):
    login(client, an)
    detail = client.get(reverse("report_detail", args=[submitted_a.pk])).content.decode()
    assert "Trả lại để đơn vị sửa" not in detail
    assert client.post(reverse("report_return", args=[submitted_a.pk]),
                       {"reason": "tự trả"}).status_code == 302
    submitted_a.refresh_from_db()
    assert submitted_a.state == UnitReport.State.SUBMITTED  # a reporter cannot return

    login(client, vanphong)
    detail = client.get(reverse("report_detail", args=[submitted_a.pk])).content.decode()
    assert "Trả lại để đơn vị sửa" in detail and "Lịch sử phiên bản" in detail
    client.post(reverse("report_return", args=[submitted_a.pk]),
                {"reason": "Bổ sung phần dư luận tiềm ẩn."})
    submitted_a.refresh_from_db()
    assert submitted_a.state == UnitReport.State.RETURNED
    note = Notification.objects.get(user=an)
    assert "Bổ sung phần dư luận tiềm ẩn." in note.text

    login(client, an)
    notes = client.get(reverse("notifications")).content.decode()
    assert "Bổ sung phần dư luận tiềm ẩn." in notes
    client.post(reverse("notifications"), {"id": note.pk})
    note.refresh_from_db()
    assert note.read_at is not None
    edit = client.get(reverse("report_edit", args=[submitted_a.pk])).content.decode()
    assert "Báo cáo bị trả lại" in edit and 'id="report-form"' in edit
    sections = {**full_sections, "du_luan_tiem_an": "Đã bổ sung."}
    client.post(reverse("report_edit", args=[submitted_a.pk]),
                edit_payload(submitted_a, sections, [stream_row()], action="submit"))
    submitted_a.refresh_from_db()
    assert submitted_a.state == UnitReport.State.SUBMITTED
    detail = client.get(reverse("report_detail", args=[submitted_a.pk])).content.decode()
    assert "Trả lại" in detail and "Nộp" in detail  # both actions listed in the history


def test_leader_reads_but_cannot_edit(client, lanhdao, submitted_a, draft_b):
    login(client, lanhdao)
    assert client.get(reverse("report_detail", args=[submitted_a.pk])).status_code == 200
    page = client.get(reverse("report_edit", args=[draft_b.pk])).content.decode()
    assert 'id="report-form"' not in page and "Chỉ người phụ trách" in page


# --- template editing -------------------------------------------------------------------------


def _template_payload(template: ReportTemplate, **overrides) -> dict:
    data = {
        "name": template.name,
        "deadline_day": "20",
        "deadline_rule": "before",
        "remind_days_before": "2",
        "sections_text": "tu_tuong | Tình hình tư tưởng\nKiến nghị, đề xuất",
        "units": [str(pk) for pk in template.units.values_list("pk", flat=True)],
        "version": str(template.version),
    }
    data.update(overrides)
    return data


def test_template_edit_saves_and_refuses_a_stale_version(client, vanphong, monthly):
    login(client, vanphong)
    url = reverse("template_edit", args=[monthly.pk])
    stale = _template_payload(monthly)
    response = client.post(url, _template_payload(monthly))
    assert response.status_code == 302
    monthly.refresh_from_db()
    assert monthly.deadline_day == 20 and monthly.version == 2
    assert monthly.sections == [
        {"key": "tu_tuong", "title": "Tình hình tư tưởng"},
        {"key": "kien_nghi_de_xuat", "title": "Kiến nghị, đề xuất"},
    ]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE,
                                     object_type="reporting.reporttemplate").exists()
    conflict = client.post(url, {**stale, "deadline_day": "10"})
    assert conflict.status_code == 200
    assert "đã được người khác sửa" in conflict.content.decode()
    monthly.refresh_from_db()
    assert monthly.deadline_day == 20


def test_template_edit_sets_the_deadline_rule_and_pages_show_it(client, vanphong, an, monthly,
                                                                 draft_a):
    login(client, vanphong)
    url = reverse("template_edit", args=[monthly.pk])
    page = client.get(url).content.decode()
    assert "trước ngày 25 (hạn cuối: hết ngày 24)" in page  # the plan's reading, the default
    response = client.post(url, _template_payload(monthly, deadline_day="25",
                                                  deadline_rule="through"))
    assert response.status_code == 302
    monthly.refresh_from_db()
    assert monthly.deadline_inclusive is True
    entry = AuditEntry.objects.filter(object_type="reporting.reporttemplate").latest("pk")
    assert entry.data["deadline_inclusive"] is True
    assert "đến hết ngày 25" in client.get(reverse("template_list")).content.decode()
    login(client, an)
    for name in ("report_detail", "report_edit"):
        body = client.get(reverse(name, args=[draft_a.pk])).content.decode()
        assert "Hạn cuối: hết ngày 25/11/2025" in body
    ReportTemplate.objects.filter(pk=monthly.pk).update(deadline_inclusive=False)
    body = client.get(reverse("report_detail", args=[draft_a.pk])).content.decode()
    assert "Hạn cuối: hết ngày 24/11/2025" in body


def test_before_day_one_is_refused_naming_the_field(client, vanphong, monthly):
    login(client, vanphong)
    url = reverse("template_edit", args=[monthly.pk])
    body = client.post(url, _template_payload(monthly, deadline_day="1")).content.decode()
    assert "“trước ngày 1” không thuộc tháng báo cáo" in body
    monthly.refresh_from_db()
    assert monthly.deadline_day == 25


def test_template_edit_bad_section_key_names_the_line(client, vanphong, monthly):
    login(client, vanphong)
    url = reverse("template_edit", args=[monthly.pk])
    body = client.post(url, _template_payload(
        monthly, sections_text="a | Một\na | Hai")).content.decode()
    assert "Dòng 2: mã phần &#x27;a&#x27; bị trùng." in body
    monthly.refresh_from_db()
    assert monthly.version == 1
