"""The consolidated report as PDF: the DOCX's pages (A4, Hướng dẫn 36-HD/VPTW margins), for the
office and the leaders only, made once per content, and a Vietnamese 503 without LibreOffice."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from core.models import AuditEntry
from core.pdf import CACHE
from documents.tests import pdfpages
from reporting import services
from reporting.periods import parse_period
from reporting.services import consolidation as cs

NOV = parse_period("2025-11")
needs_tools = pytest.mark.skipif(bool(pdfpages.tools_missing()), reason=pdfpages.tools_missing())
NO_SOFFICE = "/khong/co/libreoffice/soffice"


@pytest.fixture
def consolidated(an, monthly, full_sections, stream, vanphong):
    period = services.ensure_period(NOV)
    report = services.save_draft(user=an, template=monthly, period=period, unit=an.unit,
                                 sections=full_sections, streams=[stream], expected_version=None)
    services.submit_report(user=an, report=report, expected_version=report.version)
    return cs.generate_consolidated(user=vanphong, period=NOV)


@pytest.fixture(autouse=True)
def empty_pdf_cache():
    caches[CACHE].clear()
    yield
    caches[CACHE].clear()


def _get(client, user, name, pk):
    client.force_login(user)
    return client.get(reverse(name, args=[pk]))


@needs_tools
def test_the_leader_downloads_the_pdf_with_the_docx_layout(client, lanhdao, consolidated):
    response = _get(client, lanhdao, "consolidated_pdf", consolidated.pk)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-tong-hop-2025-11.pdf"'
    docx = _get(client, lanhdao, "consolidated_docx", consolidated.pk).content
    assert pdfpages.layout_problems(response.content, docx) == []
    pages = pdfpages.pages(response.content)
    first = pdfpages.text_of(pages[0])
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in first and "BÁO CÁO" in first
    assert "Nơi nhận:" in " ".join(pdfpages.text_of(p) for p in pages)
    exports = AuditEntry.objects.filter(action="export", actor=lanhdao)
    assert sorted(exports.values_list("data__format", flat=True)) == ["docx", "pdf"]
    assert exports.get(data__format="pdf").summary == "Xuất PDF báo cáo tổng hợp Tháng 11/2025"


@needs_tools
def test_a_second_download_is_not_converted_again_until_the_report_changes(
        client, settings, vanphong, consolidated):
    first = _get(client, vanphong, "consolidated_pdf", consolidated.pk)
    assert first.status_code == 200
    # No LibreOffice any more: the unchanged report still downloads, from the cache.
    settings.LONGDAN_SOFFICE = NO_SOFFICE
    again = _get(client, vanphong, "consolidated_pdf", consolidated.pk)
    assert again.status_code == 200 and again.content == first.content
    assert AuditEntry.objects.filter(action="export", data__format="pdf").count() == 2
    # An edit changes the pages: the old copy is not served for it.
    services.update_consolidated(
        user=vanphong, consolidated=consolidated, sections={}, number="07",
        title=consolidated.title, recipients=consolidated.recipients, signer_name="",
        expected_version=consolidated.version)
    assert _get(client, vanphong, "consolidated_pdf", consolidated.pk).status_code == 503


def test_without_libreoffice_the_page_says_so_and_the_docx_still_works(
        client, settings, vanphong, consolidated):
    settings.LONGDAN_SOFFICE = NO_SOFFICE
    response = _get(client, vanphong, "consolidated_pdf", consolidated.pk)
    assert response.status_code == 503
    text = response.content.decode()
    assert "Chưa tạo được bản PDF của tài liệu này" in text
    assert f"Máy chủ chưa có LibreOffice (không tìm thấy lệnh “{NO_SOFFICE}”)" in text
    assert "libreoffice-writer-nogui" in text
    docx_url = reverse("consolidated_docx", args=[consolidated.pk])
    assert f'href="{docx_url}"' in text
    assert not AuditEntry.objects.filter(action="export").exists()  # nothing was handed out
    assert client.get(docx_url).status_code == 200


def test_the_pages_link_the_pdf(client, vanphong, consolidated):
    url = reverse("consolidated_pdf", args=[consolidated.pk])
    assert url in _get(client, vanphong, "consolidated_detail", consolidated.pk).content.decode()
    client.force_login(vanphong)
    assert url in client.get(reverse("consolidated_list")).content.decode()


def test_a_reporter_gets_not_found_and_nothing_is_converted(client, settings, an, binh,
                                                            consolidated):
    settings.LONGDAN_SOFFICE = NO_SOFFICE  # a conversion attempt would answer 503, not 404
    for user in (an, binh):
        assert _get(client, user, "consolidated_pdf", consolidated.pk).status_code == 404
    assert not AuditEntry.objects.filter(action="export").exists()
