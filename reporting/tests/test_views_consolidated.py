"""The consolidated report pages: the office edits, leaders read and download, reporters see 404."""

import io

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEntry
from reporting import services
from reporting.models import ConsolidatedReport
from reporting.periods import parse_period
from reporting.services import consolidation as cs

NOV = parse_period("2025-11")


@pytest.fixture
def nov_submitted(an, monthly, full_sections, stream):
    period = services.ensure_period(NOV)
    report = services.save_draft(user=an, template=monthly, period=period, unit=an.unit,
                                 sections=full_sections, streams=[stream], expected_version=None)
    return services.submit_report(user=an, report=report, expected_version=report.version)


@pytest.fixture
def consolidated(nov_submitted, vanphong):
    return cs.generate_consolidated(user=vanphong, period=NOV)


def login(client, user):
    client.force_login(user)
    return client


def test_empty_list_tells_the_office_what_to_do(client, vanphong, monthly):
    page = login(client, vanphong).get(reverse("consolidated_list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Chưa có báo cáo tổng hợp nào." in text
    assert "rồi bấm “Lập dự thảo”" in text
    assert reverse("consolidated_generate") in text


def test_empty_list_for_a_leader_has_no_generate_form(client, lanhdao, monthly):
    text = login(client, lanhdao).get(reverse("consolidated_list")).content.decode()
    assert "Ban Xây dựng Đảng lập báo cáo tổng hợp" in text
    assert reverse("consolidated_generate") not in text


def test_office_generates_then_sees_the_draft(client, vanphong, nov_submitted):
    response = login(client, vanphong).post(reverse("consolidated_generate"),
                                            {"period": "2025-11"})
    report = ConsolidatedReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("consolidated_detail", args=[report.pk])
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "1. Môi trường: 1/2 đơn vị (Chi bộ Tổ dân phố 1) phản ánh" in text
    assert "Đã lập dự thảo báo cáo tổng hợp Tháng 11/2025 từ 1 báo cáo đã nộp." in text
    assert 'name="version" value="1"' in text
    assert reverse("consolidated_docx", args=[report.pk]) in text


def test_generate_half_year_and_year_from_the_form(client, vanphong, nov_submitted):
    login(client, vanphong)
    client.post(reverse("consolidated_generate"), {"period": "2025-H2"})
    client.post(reverse("consolidated_generate"), {"period": "2025"})
    codes = set(ConsolidatedReport.objects.values_list("period__code", flat=True))
    assert codes == {"2025-H2", "2025"}


def test_bad_period_is_refused_with_the_reason(client, vanphong, monthly):
    response = login(client, vanphong).post(reverse("consolidated_generate"),
                                            {"period": "2025-13"}, follow=True)
    assert "tháng 13 không hợp lệ" in response.content.decode()
    assert not ConsolidatedReport.objects.exists()


def test_list_filters_by_period(client, vanphong, consolidated):
    login(client, vanphong)
    assert consolidated.title in client.get(reverse("consolidated_list"),
                                            {"period": "2025"}).content.decode()
    assert consolidated.title in client.get(reverse("consolidated_list"),
                                            {"period": "2025-11"}).content.decode()
    other = client.get(reverse("consolidated_list"), {"period": "2025-10"}).content.decode()
    assert consolidated.title not in other
    assert "Chưa có báo cáo tổng hợp nào trong kỳ 2025-10." in other
    bad = client.get(reverse("consolidated_list"), {"period": "abc"}).content.decode()
    assert "không đúng định dạng" in bad


def test_office_edits_with_the_version(client, vanphong, consolidated):
    url = reverse("consolidated_detail", args=[consolidated.pk])
    form = {
        "version": consolidated.version, "number": "12", "title": "Báo cáo tháng 11/2025",
        "section_tu_tuong": "Tư tưởng ổn định.", "recipients": "- Lưu.",
        "signer_name": "Nguyễn Văn Hùng",
    }
    response = login(client, vanphong).post(url, form)
    assert response.status_code == 302
    consolidated.refresh_from_db()
    assert consolidated.sections["tu_tuong"] == "Tư tưởng ổn định."
    assert (consolidated.number, consolidated.version) == ("12", 2)
    # Sections the form did not send are kept, not blanked.
    assert consolidated.sections["du_luan_noi_bat"].startswith("1. Môi trường: 1/2 đơn vị")


def test_stale_version_shows_a_conflict_and_keeps_the_typed_text(client, vanphong,
                                                                consolidated):
    url = reverse("consolidated_detail", args=[consolidated.pk])
    login(client, vanphong)
    base = {"number": "", "title": "T", "recipients": "", "signer_name": ""}
    client.post(url, {**base, "version": 1, "section_tu_tuong": "Bản thứ nhất."})
    response = client.post(url, {**base, "version": 1, "section_tu_tuong": "Bản thứ hai."})
    assert response.status_code == 409
    text = response.content.decode()
    assert "đã được thay đổi (phiên bản 2)" in text
    assert "Bản thứ hai." in text
    consolidated.refresh_from_db()
    assert consolidated.sections["tu_tuong"] == "Bản thứ nhất."


def test_leader_reads_and_downloads_but_cannot_edit(client, lanhdao, consolidated):
    login(client, lanhdao)
    url = reverse("consolidated_detail", args=[consolidated.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "<textarea" not in page.content.decode()
    assert client.post(url, {"version": 1, "title": "x"}).status_code == 403
    assert client.post(reverse("consolidated_generate"), {"period": "2025-11"}).status_code == 403
    response = client.get(reverse("consolidated_docx", args=[consolidated.pk]))
    assert response.status_code == 200
    assert 'filename="bao-cao-tong-hop-2025-11.docx"' in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    assert document.tables[0].rows[0].cells[1].paragraphs[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    response = client.get(reverse("consolidated_xlsx", args=[consolidated.pk]))
    assert response.status_code == 200
    assert "Lĩnh vực - thái độ" in load_workbook(io.BytesIO(response.content)).sheetnames
    exports = AuditEntry.objects.filter(action="export", actor=lanhdao)
    assert sorted(exports.values_list("data__format", flat=True)) == ["docx", "xlsx"]


@pytest.mark.parametrize("name", ["consolidated_detail", "consolidated_docx",
                                  "consolidated_xlsx"])
def test_reporter_gets_not_found(client, an, consolidated, name):
    response = login(client, an).get(reverse(name, args=[consolidated.pk]))
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="export").exists()


def test_reporter_gets_not_found_on_list_and_generate(client, an, monthly):
    login(client, an)
    assert client.get(reverse("consolidated_list")).status_code == 404
    assert client.post(reverse("consolidated_generate"), {"period": "2025-11"}).status_code == 404
    assert not ConsolidatedReport.objects.exists()


def test_unknown_report_is_not_found_and_anonymous_must_log_in(client, vanphong, monthly):
    assert client.get(reverse("consolidated_list")).status_code == 302
    login(client, vanphong)
    assert client.get(reverse("consolidated_detail", args=[999])).status_code == 404


def test_edit_page_shows_sources_beside_sections_and_the_redraft_choice(client, vanphong,
                                                                      consolidated,
                                                                      nov_submitted):
    url = reverse("consolidated_detail", args=[consolidated.pk])
    text = login(client, vanphong).get(url).content.decode()
    assert reverse("report_detail", args=[nov_submitted.pk]) in text
    assert "ý kiến đã gộp" in text and "Chi bộ Tổ dân phố 1" in text
    assert "Soạn lại cả các phần đã sửa" not in text  # nothing edited yet
    form = {"version": consolidated.version, "number": "", "title": consolidated.title,
            "section_tu_tuong": "Ban viết lại phần này.", "recipients": "", "signer_name": ""}
    client.post(url, form)
    text = client.get(url).content.decode()
    assert "Ban đã sửa (giữ nguyên khi lập lại dự thảo)" in text
    assert 'name="redraft_edited"' in text
    client.post(reverse("consolidated_generate"), {"period": "2025-11"})
    consolidated.refresh_from_db()
    assert consolidated.sections["tu_tuong"] == "Ban viết lại phần này."
    client.post(reverse("consolidated_generate"), {"period": "2025-11", "redraft_edited": "1"})
    consolidated.refresh_from_db()
    assert consolidated.sections["tu_tuong"] != "Ban viết lại phần này."


def test_the_items_drawn_on_are_linked_beside_section_two(client, vanphong, an, nov_submitted):
    import datetime as dt

    from intake.models import OpinionItem

    for day in (dt.date(2025, 11, 5), dt.date(2025, 11, 28), dt.date(2025, 12, 2)):
        OpinionItem.objects.create(text=f"Ý kiến ngày {day:%d/%m}", channel="khu_dan_cu",
                                   received_on=day, unit=an.unit)
    report = cs.generate_consolidated(user=vanphong, period=NOV)
    text = login(client, vanphong).get(reverse("consolidated_detail", args=[report.pk]))
    link = f"{reverse('item_list')}?date_from=2025-11-01&amp;date_to=2025-11-30"
    assert f'<a href="{link}">2 ý kiến nhân dân</a>' in text.content.decode()
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert "Ý kiến ngày 05/11" in listed and "Ý kiến ngày 28/11" in listed
    assert "Ý kiến ngày 02/12" not in listed
