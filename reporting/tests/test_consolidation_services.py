"""Generating, editing and exporting the consolidated report, with the conftest cast."""

import io

import docx
import pytest
from openpyxl import load_workbook

from core.errors import ConflictError, ServiceError
from core.models import Attitude, AuditEntry, Reach, Topic
from reporting import consolidation, services
from reporting.models import ConsolidatedReport
from reporting.periods import parse_period
from reporting.services import consolidation as cs

NOV = parse_period("2025-11")


def submitted(user, template, code, unit, sections, streams):
    """A unit report saved and submitted by ``user`` through the real services."""
    period = services.ensure_period(parse_period(code))
    report = services.save_draft(user=user, template=template, period=period, unit=unit,
                                 sections=sections, streams=streams, expected_version=None)
    return services.submit_report(user=user, report=report, expected_version=report.version)


@pytest.fixture
def health_stream(stream):
    return services.StreamInput(**{
        **stream.__dict__,
        "topic_id": Topic.objects.get(name="Y tế").pk,
        "summary": "Băn khoăn về giá dịch vụ khám bệnh.",
        "attitude": Attitude.WORRIED,
        "reach": Reach.SOME,
        "latent": True,
    })


@pytest.fixture
def world(an, binh, vanphong, lanhdao, monthly, full_sections, stream, health_stream):
    """cell_a submitted Nov; cell_b only drafted Nov (a health stream that must not count)."""
    sections = {**full_sections, "kien_nghi": "Đề nghị UBND thu gom rác đúng giờ."}
    report_a = submitted(an, monthly, "2025-11", an.unit, sections, [stream])
    period = services.ensure_period(NOV)
    services.save_draft(user=binh, template=monthly, period=period, unit=binh.unit,
                        sections=full_sections, streams=[health_stream], expected_version=None)
    return report_a


def test_labels_match_the_vocabulary():
    assert list(consolidation.ATTITUDE_LABELS) == Attitude.values
    assert list(consolidation.REACH_LABELS) == Reach.values
    assert [label.lower() for label in Reach.labels] == list(consolidation.REACH_LABELS.values())


def test_generate_uses_submitted_reports_only_and_audits(world, vanphong):
    report = cs.generate_consolidated(user=vanphong, period=NOV)
    data = report.data
    assert data["report_count"] == 1
    assert data["units"] == ["Chi bộ Tổ dân phố 1"]
    assert [t["topic"] for t in data["topics"]] == ["Môi trường"]  # the draft's "Y tế" is absent
    assert data["latent"] == []
    # Two chi bộ had to report in November (the closed one closed in September).
    assert data["expected_units"] == 2
    assert report.sections["du_luan_noi_bat"].startswith(
        "1. Môi trường: 1/2 đơn vị (Chi bộ Tổ dân phố 1) phản ánh; bức xúc 100%"
    )
    assert "- Thu gom rác đúng giờ — Chi bộ Tổ dân phố 1." in report.sections["kien_nghi"]
    assert report.title == "Tình hình tư tưởng và dư luận xã hội tháng 11/2025"
    assert "Số" not in report.number
    compliance = data["compliance"]
    assert [m["period"] for m in compliance["months"]] == ["2025-11"]
    assert compliance["months"][0]["submitted"] == 1
    statuses = {u["unit"]: u["statuses"]["2025-11"] for u in compliance["units"]}
    assert statuses["Chi bộ Tổ dân phố 1"] in {"on_time", "late"}
    assert statuses["Chi bộ Tổ dân phố 2"] in {"draft", "missing"}
    entry = AuditEntry.objects.get(action="generate")
    assert entry.actor == vanphong and entry.object_id == str(report.pk)


def test_returned_report_is_excluded(world, binh, vanphong, monthly, full_sections,
                                     health_stream):
    period = services.ensure_period(NOV)
    draft = binh.unit.reports.get(period=period)
    done = services.submit_report(user=binh, report=draft, expected_version=draft.version)
    assert cs.generate_consolidated(user=vanphong, period=NOV).data["report_count"] == 2
    services.return_report(user=vanphong, report=done, reason="Thiếu phân tích.")
    refreshed = cs.generate_consolidated(user=vanphong, period=NOV)
    assert refreshed.data["report_count"] == 1
    assert [t["topic"] for t in refreshed.data["topics"]] == ["Môi trường"]
    assert ConsolidatedReport.objects.count() == 1


def test_refresh_keeps_office_fields_and_bumps_version(world, vanphong):
    report = cs.generate_consolidated(user=vanphong, period=NOV)
    report = cs.update_consolidated(
        user=vanphong, consolidated=report, sections={"tu_tuong": "Bản đã sửa."}, number="12",
        title="Báo cáo tháng 11", recipients="- Lưu.", signer_name="Nguyễn Văn Hùng",
        expected_version=report.version,
    )
    again = cs.generate_consolidated(user=vanphong, period=NOV)
    assert again.pk == report.pk
    assert again.version == report.version + 1
    assert (again.number, again.title, again.signer_name) == ("12", "Báo cáo tháng 11",
                                                              "Nguyễn Văn Hùng")


def test_edited_sections_survive_regeneration_unless_the_office_asks(world, vanphong):
    report = cs.generate_consolidated(user=vanphong, period=NOV)
    drafted = dict(report.sections)
    assert cs.edited_sections(report) == []
    report = cs.update_consolidated(
        user=vanphong, consolidated=report, sections={"tu_tuong": "Bản đã sửa.",
                                                      "kien_nghi": drafted["kien_nghi"] + "  "},
        number="", title=report.title, recipients="", signer_name="",
        expected_version=report.version,
    )
    # Saving the draft again with stray spaces is no edit.
    assert cs.edited_sections(report) == ["tu_tuong"]
    again = cs.generate_consolidated(user=vanphong, period=NOV)
    assert again.sections["tu_tuong"] == "Bản đã sửa."
    assert again.sections["du_luan_noi_bat"] == drafted["du_luan_noi_bat"]
    assert cs.edited_sections(again) == ["tu_tuong"]  # still the office's, for the next time
    entry = AuditEntry.objects.filter(action="generate").latest("pk")
    assert entry.data["kept_edited"] == ["tu_tuong"] and entry.data["redrafted_edited"] == []
    assert "giữ 1 phần Ban đã sửa" in entry.summary
    redrafted = cs.generate_consolidated(user=vanphong, period=NOV, redraft_edited=True)
    assert redrafted.sections["tu_tuong"] == drafted["tu_tuong"]
    assert cs.edited_sections(redrafted) == []
    entry = AuditEntry.objects.filter(action="generate").latest("pk")
    assert entry.data["redrafted_edited"] == ["tu_tuong"] and entry.data["kept_edited"] == []


def test_a_report_drafted_before_drafts_were_kept_counts_nothing_as_edited(world, vanphong):
    report = cs.generate_consolidated(user=vanphong, period=NOV)
    data = dict(report.data)
    del data["drafted_sections"]
    ConsolidatedReport.objects.filter(pk=report.pk).update(
        data=data, sections={**report.sections, "tu_tuong": "Bản cũ."})
    again = cs.generate_consolidated(user=vanphong, period=NOV)
    assert again.sections["tu_tuong"] != "Bản cũ."


def test_half_year_is_drafted_from_the_months_it_covers(an, vanphong, monthly, full_sections,
                                                       stream, health_stream):
    submitted(an, monthly, "2026-01", an.unit, full_sections, [health_stream])
    submitted(an, monthly, "2025-07", an.unit, full_sections, [stream])
    submitted(an, monthly, "2025-11", an.unit, full_sections, [stream, health_stream])
    report = cs.generate_consolidated(user=vanphong, period=parse_period("2025-H2"))
    assert report.period.code == "2025-H2"
    assert report.data["report_count"] == 2  # January 2026 belongs to another half
    assert report.data["months"] == [f"2025-{m:02d}" for m in range(7, 13)]
    topics = {t["topic"]: t for t in report.data["topics"]}
    assert topics["Môi trường"]["stream_count"] == 2 and topics["Môi trường"]["unit_count"] == 1
    assert topics["Y tế"]["months"] == ["2025-11"]
    compliance = report.data["compliance"]
    assert len(compliance["months"]) == 6
    # The unit closed in September had to report July to September only.
    closed = next(u for u in compliance["units"] if u["unit"] == "Chi bộ An Lư cũ")
    assert sorted(closed["statuses"]) == ["2025-07", "2025-08", "2025-09"]
    assert report.title.endswith("6 tháng cuối năm 2025")


def test_cli_acts_as_the_system(world):
    report = cs.generate_consolidated(user=None, period=parse_period("2025"))
    assert report.data["report_count"] == 1
    assert len(report.data["compliance"]["months"]) == 12
    assert AuditEntry.objects.get(action="generate").actor is None
    out = io.BytesIO()
    cs.export_docx(user=None, consolidated=report, out=out)
    assert AuditEntry.objects.filter(action="export", actor=None).count() == 1


def test_stale_version_is_a_conflict_and_changes_nothing(world, vanphong):
    report = cs.generate_consolidated(user=vanphong, period=NOV)
    stale = report.version
    edit = dict(number="", title="Bản thứ nhất", recipients="", signer_name="")
    cs.update_consolidated(user=vanphong, consolidated=report, sections={},
                           expected_version=stale, **edit)
    with pytest.raises(ConflictError, match="phiên bản") as info:
        cs.update_consolidated(user=vanphong, consolidated=report,
                               sections={"tu_tuong": "Bản thứ hai"}, expected_version=stale,
                               **{**edit, "title": "Bản thứ hai"})
    assert info.value.field == "version"
    report.refresh_from_db()
    assert report.title == "Bản thứ nhất"
    assert report.sections["tu_tuong"] != "Bản thứ hai"


def test_unchanged_save_keeps_the_version(world, vanphong):
    report = cs.generate_consolidated(user=vanphong, period=NOV)
    same = cs.update_consolidated(
        user=vanphong, consolidated=report, sections=dict(report.sections), number=report.number,
        title=report.title, recipients=report.recipients, signer_name=report.signer_name,
        expected_version=report.version,
    )
    assert same.version == report.version
    assert not AuditEntry.objects.filter(action="update",
                                         object_type="reporting.consolidatedreport").exists()


def test_bad_edits_name_the_field(world, vanphong):
    report = cs.generate_consolidated(user=vanphong, period=NOV)
    base = dict(user=vanphong, consolidated=report, sections={}, number="", title="T",
                recipients="", signer_name="", expected_version=report.version)
    with pytest.raises(ServiceError) as info:
        cs.update_consolidated(**{**base, "title": "  "})
    assert info.value.field == "title"
    with pytest.raises(ServiceError) as info:
        cs.update_consolidated(**{**base, "number": "1" * 21})
    assert info.value.field == "number"
    with pytest.raises(ServiceError, match="không có trong báo cáo tổng hợp"):
        cs.update_consolidated(**{**base, "sections": {"bi_mat": "x"}})


def test_leader_and_reporter_cannot_write(world, vanphong, lanhdao, an):
    report = cs.generate_consolidated(user=vanphong, period=NOV)
    with pytest.raises(ServiceError, match="Chỉ Ban Xây dựng Đảng được sửa"):
        cs.update_consolidated(user=lanhdao, consolidated=report, sections={}, number="",
                               title="Lãnh đạo sửa", recipients="", signer_name="",
                               expected_version=report.version)
    with pytest.raises(ServiceError, match="Chỉ Ban Xây dựng Đảng được tạo"):
        cs.generate_consolidated(user=lanhdao, period=NOV)
    with pytest.raises(ServiceError):
        cs.generate_consolidated(user=an, period=NOV)
    with pytest.raises(ServiceError, match="Không tìm thấy"):
        cs.export_docx(user=an, consolidated=report, out=io.BytesIO())
    report.refresh_from_db()
    assert report.title != "Lãnh đạo sửa"
    assert not AuditEntry.objects.filter(action="export").exists()


def test_export_docx_is_audited_and_carries_the_report(world, vanphong, lanhdao, tmp_path):
    report = cs.generate_consolidated(user=vanphong, period=NOV)
    report = cs.update_consolidated(
        user=vanphong, consolidated=report, sections={}, number="12", title=report.title,
        recipients="- Ban Thường vụ Thành ủy,\n- Lưu.", signer_name="Nguyễn Văn Hùng",
        expected_version=report.version,
    )
    path = tmp_path / "bao-cao.docx"
    cs.export_docx(user=lanhdao, consolidated=report, out=path)
    document = docx.Document(str(path))
    header = document.tables[0].rows[0].cells[0].text
    assert "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG" in header and "Số 12-BC/ĐU" in header
    texts = [p.text for p in document.paragraphs]
    assert "Tình hình tư tưởng và dư luận xã hội tháng 11/2025" in texts
    assert "II. DƯ LUẬN NỔI BẬT" in texts
    assert any(t.startswith("1. Môi trường: 1/2 đơn vị") for t in texts)
    table_heads = [t.rows[0].cells[1].text for t in document.tables[1:-2]]
    assert "Lĩnh vực" in table_heads and "Đơn vị" in table_heads
    closing = document.tables[-2].rows[0].cells
    assert "- Lưu." in closing[0].text and "Nguyễn Văn Hùng" in closing[1].text
    # After the signature, on a new page, the annex: every report's texts, whole.
    annex = document.tables[-1]
    assert [c.text for c in annex.rows[0].cells] == ["STT", "Đơn vị", "Kỳ", "Phần", "Nội dung"]
    cells = [row.cells[4].text for row in annex.rows[1:]]
    assert "Đề nghị UBND thu gom rác đúng giờ." in cells
    assert "PHỤ LỤC" in texts and "TOÀN VĂN BÁO CÁO CỦA CÁC ĐƠN VỊ" in texts
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor == lanhdao and entry.data["format"] == "docx"


def test_export_xlsx_one_sheet_per_table_and_audited(world, vanphong):
    report = cs.generate_consolidated(user=vanphong, period=NOV)
    out = io.BytesIO()
    cs.export_xlsx(user=vanphong, consolidated=report, out=out)
    workbook = load_workbook(io.BytesIO(out.getvalue()))
    assert workbook.sheetnames == [
        "Lĩnh vực - thái độ", "Lĩnh vực - mức độ", "Tỷ lệ nộp theo tháng",
        "Tỷ lệ nộp theo đơn vị", "Dư luận tiềm ẩn", "Kiến nghị, đề xuất", "Phụ lục - toàn văn",
    ]
    # The annex sheet holds every section and stream of every report, whole.
    annex = [[c.value for c in row] for row in workbook["Phụ lục - toàn văn"].iter_rows()]
    assert annex[0] == ["STT", "Đơn vị", "Kỳ", "Phần", "Nội dung"]
    assert annex[1][:4] == [1, "Chi bộ Tổ dân phố 1", "Tháng 11/2025", "Tình hình tư tưởng"]
    texts = [row[4] for row in annex[1:]]
    assert "Đề nghị UBND thu gom rác đúng giờ." in texts
    assert "Nhân dân bức xúc vì rác thải tồn đọng ở khu chợ Hòa Bình." in texts
    topics = workbook["Lĩnh vực - thái độ"]
    assert [c.value for c in topics[2]][:4] == [1, "Môi trường", 1, 1]
    assert topics["A1"].font.b
    assert AuditEntry.objects.get(action="export").data["format"] == "xlsx"


def test_no_active_monthly_template_is_a_clear_error(vanphong, monthly):
    monthly.active = False
    monthly.save()
    with pytest.raises(ServiceError, match="Chưa có mẫu báo cáo tháng"):
        cs.generate_consolidated(user=vanphong, period=NOV)


def test_what_the_other_channels_and_the_press_heard_is_drafted_beside_the_streams(
    world, vanphong, an
):
    import datetime as dt

    from django.utils import timezone

    from core.models import Channel
    from intake.models import OpinionItem
    from monitoring.models import Mention

    waste = Topic.objects.get(name="Môi trường")
    for day, attitude, channel in ((10, Attitude.AGGRIEVED, Channel.VOTER_MEETING),
                                   (12, Attitude.OPPOSE, Channel.DIALOGUE),
                                   (20, Attitude.WORRIED, Channel.DIALOGUE),
                                   (1, Attitude.AGGRIEVED, Channel.DIALOGUE)):  # December: out
        month = 12 if day == 1 else 11
        item = OpinionItem.objects.create(
            text="Rác thải tồn đọng ở đầu ngõ.", channel=channel, attitude=attitude,
            received_on=dt.date(2025, month, day), unit=an.unit,
        )
        item.topics.set([waste])
    when = timezone.make_aware(dt.datetime(2025, 11, 15, 9))
    for n, relevance in enumerate((Mention.Relevance.WARD, Mention.Relevance.CITY)):
        Mention.objects.create(url=f"https://bao.example/{n}", site="bao.example",
                               title=f"Tin {n}", text="Nội dung.", relevance=relevance,
                               published_at=when)

    report = cs.generate_consolidated(user=vanphong, period=NOV)

    heard = report.data["heard"]
    assert (heard["items"], heard["aggrieved"], heard["mentions"]) == (3, 2, 1)
    assert heard["channels"] == [["Đối thoại", 2], ["Tiếp xúc cử tri", 1]]
    assert heard["topics"] == [{"topic": "Môi trường", "count": 3, "aggrieved": 2, "in_streams": 0}]
    assert heard["in_streams"] == 0  # no stream was drawn from these items
    text = report.sections["du_luan_noi_bat"]
    assert "; ý kiến nhân dân qua các kênh: 3 (bức xúc, phản đối 67%)." in text
    assert ("Qua các kênh tiếp nhận trực tiếp (đối thoại 2, tiếp xúc cử tri 1), trong kỳ ghi nhận"
            " 3 ý kiến nhân dân, bức xúc, phản đối 67%.") in text
    assert "Báo chí, mạng xã hội: 1 tin, bài về địa bàn phường." in text
