"""The survey report as PDF: the DOCX's pages (A4, Hướng dẫn 36-HD/VPTW margins, the charts),
with the page's filters, for the survey's own unit and the ward's readers only; a Vietnamese 503
without LibreOffice."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.urls import reverse

from core.models import AuditEntry
from core.pdf import CACHE
from documents.tests import pdfpages
from surveys.tests.analysis_world import build_world

pytestmark = pytest.mark.django_db
needs_tools = pytest.mark.skipif(bool(pdfpages.tools_missing()), reason=pdfpages.tools_missing())


@pytest.fixture
def survey(cell_a):
    caches[CACHE].clear()
    return build_world(cell_a)


def _get(client, user, name, survey, params=None):
    client.force_login(user)
    return client.get(reverse(name, args=[survey.slug]), params or {})


@needs_tools
def test_the_units_reporter_downloads_the_pdf_with_the_docx_layout(client, survey, an):
    filters = {"gender": "nu"}
    response = _get(client, an, "survey_report_pdf", survey, filters)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="bao-cao-khao-sat-{survey.slug}.pdf"')
    docx = _get(client, an, "survey_report_docx", survey, filters).content
    assert pdfpages.layout_problems(response.content, docx) == []
    text = " ".join(pdfpages.text_of(p) for p in pdfpages.pages(response.content))
    assert "Khảo sát chỉnh trang đô thị Hòa Bình" in text
    assert "Giới tính: Nữ" in text  # the filters of the page the link was on
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT, data__format="pdf")
    assert entry.actor == an and entry.data["rows"] == 6


def test_another_unit_gets_not_found(client, settings, survey, binh):
    settings.LONGDAN_SOFFICE = "/khong/co/soffice"  # a conversion attempt would answer 503
    assert _get(client, binh, "survey_report_pdf", survey).status_code == 404
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_without_libreoffice_the_page_says_so_and_links_the_same_docx(client, settings, survey,
                                                                      vanphong):
    settings.LONGDAN_SOFFICE = "/khong/co/soffice"
    response = _get(client, vanphong, "survey_report_pdf", survey,
                    {"gender": "nu", "dl": "abc12345xyz"})
    assert response.status_code == 503
    text = response.content.decode()
    assert "Máy chủ chưa có LibreOffice" in text
    docx_url = reverse("survey_report_docx", args=[survey.slug]) + "?gender=nu"
    assert f'href="{docx_url}"' in text
    assert client.get(docx_url).status_code == 200
    assert list(AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).values_list(
        "data__format", flat=True)) == ["docx"]


def test_the_analysis_and_survey_pages_link_the_pdf(client, survey, vanphong):
    url = reverse("survey_report_pdf", args=[survey.slug])
    results = _get(client, vanphong, "survey_results", survey, {"gender": "nu"}).content.decode()
    assert f'href="{url}?gender=nu"' in results
    assert url in _get(client, vanphong, "survey_detail", survey).content.decode()
