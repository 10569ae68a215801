"""A đảng bộ's consolidated report of the chi bộ below it (issue 13): the same services as the
ward's, read over the unit's subtree only, drafted by the office or the unit's own reporter."""

import io
import json
import shutil

import docx
import pytest
from django.conf import settings
from django.urls import reverse

from conftest import _user
from core.errors import ServiceError
from core.models import AuditEntry, Topic
from longdan.commands import main
from orgs.models import OrgUnit, User
from reporting import services
from reporting.models import ConsolidatedReport
from reporting.periods import parse_period
from reporting.services import consolidation as cs

NOV = parse_period("2025-11")
HEALTH_WORDS = "Cử tri khu Bắc lo về giá khám bệnh ở trạm y tế."


def submitted(user, template, unit, sections, streams):
    period = services.ensure_period(NOV)
    report = services.save_draft(user=user, template=template, period=period, unit=unit,
                                 sections=sections, streams=streams, expected_version=None)
    return services.submit_report(user=user, report=report, expected_version=report.version)


@pytest.fixture
def party(ward, cell_a) -> OrgUnit:
    """A đảng bộ between the ward and cell_a; cell_b stays directly under the ward."""
    unit = OrgUnit.objects.create(code="dang-bo-1", name="Đảng bộ Khối Bắc",
                                  kind=OrgUnit.Kind.PARTY_COMMITTEE, parent=ward)
    cell_a.parent = unit
    cell_a.save()
    return unit


@pytest.fixture
def chu(party) -> User:
    return _user("chu", User.Role.REPORTER, party, "Hoàng Văn Chư")


@pytest.fixture
def november(party, an, binh, monthly, full_sections, stream):
    """cell_a (inside the đảng bộ) and cell_b (outside it) both submitted November."""
    health = services.StreamInput(**{**stream.__dict__, "summary": HEALTH_WORDS,
                                     "topic_id": Topic.objects.get(name="Y tế").pk})
    submitted(an, monthly, an.unit, full_sections, [stream])
    submitted(binh, monthly, binh.unit, full_sections, [health])


def test_a_unit_report_reads_only_the_units_below_it(november, party, chu, vanphong):
    report = cs.generate_consolidated(user=chu, period=NOV, unit=party)
    assert report.unit == party
    assert report.data["report_count"] == 1
    assert report.data["units"] == ["Chi bộ Tổ dân phố 1"]
    assert [t["topic"] for t in report.data["topics"]] == ["Môi trường"]
    assert report.data["expected_units"] == 1
    assert [u["unit"] for u in report.data["compliance"]["units"]] == ["Chi bộ Tổ dân phố 1"]
    everything = json.dumps([report.sections, report.data], ensure_ascii=False)
    assert "Chi bộ Tổ dân phố 2" not in everything and HEALTH_WORDS not in everything
    assert report.recipients == cs.UNIT_RECIPIENTS
    # The ward's report of the same month is another report, of every unit.
    ward_report = cs.generate_consolidated(user=vanphong, period=NOV)
    assert ward_report.pk != report.pk and ward_report.unit is None
    assert ward_report.data["report_count"] == 2
    assert ConsolidatedReport.objects.filter(period__code="2025-11").count() == 2
    entry = AuditEntry.objects.filter(action="generate").order_by("pk").first()
    assert entry.actor == chu and entry.object_id == str(report.pk)


def test_refreshing_a_unit_report_keeps_it_one_report(november, party, chu):
    first = cs.generate_consolidated(user=chu, period=NOV, unit=party)
    again = cs.generate_consolidated(user=chu, period=NOV, unit=party)
    assert again.pk == first.pk and again.version == first.version + 1


def test_who_may_draft_a_unit_report(november, party, chu, an, binh, vanphong, lanhdao):
    assert cs.generate_consolidated(user=vanphong, period=NOV, unit=party).unit == party
    for user in (an, binh, lanhdao):
        with pytest.raises(ServiceError, match="Chỉ Ban Xây dựng Đảng hoặc người phụ trách"):
            cs.generate_consolidated(user=user, period=NOV, unit=party)
    with pytest.raises(ServiceError, match="Chỉ Ban Xây dựng Đảng được tạo"):
        cs.generate_consolidated(user=chu, period=NOV)


def test_a_unit_without_units_below_it_has_nothing_to_consolidate(november, cell_b, vanphong):
    with pytest.raises(ServiceError, match="không có đơn vị trực thuộc"):
        cs.generate_consolidated(user=vanphong, period=NOV, unit=cell_b)


def test_the_unit_report_docx_is_issued_by_the_unit(november, party, chu):
    report = cs.generate_consolidated(user=chu, period=NOV, unit=party)
    buffer = io.BytesIO()
    cs.export_docx(user=chu, consolidated=report, out=buffer)
    header = "\n".join(cell.text for table in docx.Document(buffer).tables[:1]
                       for row in table.rows for cell in row.cells)
    assert "ĐẢNG BỘ KHỐI BẮC" in header
    assert settings.LONGDAN_ISSUING_BODY in header  # the ward, its superior
    assert settings.LONGDAN_SUPERIOR_BODY not in header


def test_readers_of_a_unit_report(november, party, chu, an, vanphong, lanhdao):
    report = cs.generate_consolidated(user=chu, period=NOV, unit=party)
    for user in (chu, vanphong, lanhdao):
        cs.export_xlsx(user=user, consolidated=report, out=io.BytesIO())
    with pytest.raises(ServiceError):
        cs.export_xlsx(user=an, consolidated=report, out=io.BytesIO())
    ward_report = cs.generate_consolidated(user=vanphong, period=NOV)
    with pytest.raises(ServiceError):
        cs.export_docx(user=chu, consolidated=ward_report, out=io.BytesIO())


# --- the pages ---------------------------------------------------------------------------------


def test_the_party_reporter_drafts_and_edits_on_the_pages(client, november, party, chu):
    client.force_login(chu)
    page = client.get(reverse("consolidated_list"))
    assert page.status_code == 200
    assert "Báo cáo tổng hợp của Đảng bộ Khối Bắc" in page.content.decode()
    made = client.post(reverse("consolidated_generate"), {"period": "2025-11"})
    report = ConsolidatedReport.objects.get(unit=party)
    assert made.status_code == 302 and made.url == reverse("consolidated_detail", args=[report.pk])
    saved = client.post(reverse("consolidated_detail", args=[report.pk]),
                        {"version": report.version, "title": "Báo cáo của Đảng bộ Khối Bắc"})
    assert saved.status_code == 302
    report.refresh_from_db()
    assert report.title == "Báo cáo của Đảng bộ Khối Bắc"
    assert client.get(reverse("consolidated_docx", args=[report.pk])).status_code == 200
    pdf = client.get(reverse("consolidated_pdf", args=[report.pk]))
    assert pdf.status_code == (200 if shutil.which("soffice") else 503)


def test_the_party_reporter_never_sees_the_ward_report(client, november, party, chu, vanphong):
    ward_report = cs.generate_consolidated(user=vanphong, period=NOV)
    own = cs.generate_consolidated(user=chu, period=NOV, unit=party)
    client.force_login(chu)
    listed = client.get(reverse("consolidated_list")).content.decode()
    assert reverse("consolidated_detail", args=[own.pk]) in listed
    assert reverse("consolidated_detail", args=[ward_report.pk]) not in listed
    for name in ("consolidated_detail", "consolidated_docx", "consolidated_xlsx",
                 "consolidated_pdf"):
        assert client.get(reverse(name, args=[ward_report.pk])).status_code == 404


def test_a_chi_bo_reporter_still_finds_no_consolidated_pages(client, november, party, chu, an):
    own = cs.generate_consolidated(user=chu, period=NOV, unit=party)
    client.force_login(an)
    assert client.get(reverse("consolidated_list")).status_code == 404
    assert client.get(reverse("consolidated_detail", args=[own.pk])).status_code == 404
    assert client.post(reverse("consolidated_generate"), {"period": "2025-11"}).status_code == 404


def test_leaders_list_the_ward_and_the_unit_reports(client, november, party, chu, lanhdao,
                                                    vanphong):
    cs.generate_consolidated(user=vanphong, period=NOV)
    cs.generate_consolidated(user=chu, period=NOV, unit=party)
    client.force_login(lanhdao)
    listed = client.get(reverse("consolidated_list")).content.decode()
    assert "Đảng ủy phường" in listed and "Đảng bộ Khối Bắc" in listed


# --- the command line --------------------------------------------------------------------------


def test_cli_consolidates_a_unit(capsys, tmp_path, november, party):
    out = tmp_path / "dang-bo.docx"
    code = main(["consolidate", "--period", "2025-11", "--unit", "dang-bo-1", "--out", str(out)])
    stdout, err = capsys.readouterr()
    assert code == 0, err
    assert "của Đảng bộ Khối Bắc" in stdout
    document = docx.Document(out)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert "Chi bộ Tổ dân phố 1" in text and HEALTH_WORDS not in text


def test_cli_refuses_a_unit_it_cannot_find(capsys, tmp_path, november):
    code = main(["consolidate", "--period", "2025-11", "--unit", "khong-co",
                 "--out", str(tmp_path / "x.docx")])
    assert code != 0
    assert "không tìm thấy đơn vị 'khong-co'" in capsys.readouterr().err
