"""The petitions pages: scoping, quick marking, the waiting list and its XLSX, the reports'
DOCX from the database, the leaders' calendar."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from core.models import AuditEntry
from petitions import services
from petitions.models import Point
from petitions.services import MarkInput
from petitions.tests.conftest import make_meeting


@pytest.fixture
def marked(world, vanphong, ubnd):
    a1 = world.items["a1"]
    services.mark_point(user=vanphong, item=a1[0], expected_version=0, data=MarkInput(
        disposition="chuyen_co_quan", field="giao_thong", agency=ubnd,
        due_on=dt.date(2026, 11, 25)))  # overdue whatever today is after it
    services.mark_point(user=vanphong, item=a1[1], expected_version=0, data=MarkInput(
        disposition="tai_hoi_nghi", field="dat_dai", answered_by="Chủ tịch UBND phường",
        answer="Đã giải thích tại hội nghị."))
    return world


def test_a_unit_sees_its_own_meetings_only(client, marked, an, binh):
    client.force_login(binh)
    page = client.get(reverse("petition_round", args=[marked.round.pk])).content.decode()
    assert "Tiếp xúc cử tri Tổ dân phố 2" in page
    assert "Tiếp xúc cử tri Tổ dân phố 1" not in page
    assert client.get(reverse("petition_meeting", args=[marked.meetings["a1"].pk])).status_code \
        == 404
    points = client.get(reverse("petition_points")).content.decode()
    assert "Tiếp xúc cử tri Tổ dân phố 1" not in points and "Tổ dân phố 2" in points
    # a write on another unit's point is "not found"
    item = marked.items["a1"][2]
    response = client.post(reverse("petition_mark", args=[item.pk]), {
        "disposition": "tai_hoi_nghi", "field": "khac", "answered_by": "A", "answer": "B",
        "version": 0})
    assert response.status_code == 404 and not Point.objects.filter(item=item).exists()
    client.force_login(an)
    page = client.get(reverse("petition_round", args=[marked.round.pk])).content.decode()
    assert "Tiếp xúc cử tri Tổ dân phố 1" in page and "Tiếp xúc cử tri Tổ dân phố 2" not in page


def test_quick_marking_from_the_meeting_page(client, marked, an):
    client.force_login(an)
    meeting = marked.meetings["a1"]
    page = client.get(reverse("petition_meeting", args=[meeting.pk])).content.decode()
    assert "Quá hạn" in page and "Đã trả lời tại hội nghị (Chủ tịch UBND phường)" in page
    item = marked.items["a1"][2]
    response = client.post(reverse("petition_mark", args=[item.pk]), {
        "disposition": "chuyen_co_quan", "field": "moi_truong",
        "agency_name": "Công ty Cấp nước", "due_on": "2026-12-30", "version": 0})
    assert response.status_code == 302 and response["Location"].endswith(f"#y-kien-{item.pk}")
    point = Point.objects.get(item=item)
    assert (point.disposition, point.agency_name, point.marked_by) == (
        "chuyen_co_quan", "Công ty Cấp nước", an)
    # the same form posted again with the old version is refused, nothing overwritten
    response = client.post(reverse("petition_mark", args=[item.pk]), {
        "disposition": "tai_hoi_nghi", "field": "khac", "answered_by": "A", "answer": "B",
        "version": 0}, follow=True)
    assert "vừa được người khác cập nhật" in response.content.decode()
    assert Point.objects.get(item=item).disposition == "chuyen_co_quan"
    # the agency's reply
    client.post(reverse("petition_reply", args=[item.pk]), {
        "reply": "Đã kiểm tra chất lượng nước.", "replied_on": "2026-12-03", "version": 1})
    assert Point.objects.get(item=item).replied_on == dt.date(2026, 12, 3)


def test_the_waiting_list_and_its_xlsx(client, marked, vanphong, binh):
    client.force_login(vanphong)
    page = client.get(reverse("petition_points"), {"tinh_trang": "overdue"}).content.decode()
    assert page.count('class="overdue"') == 1
    response = client.get(reverse("petition_points_xlsx"), {"tinh_trang": "waiting"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Mã ý kiến" and rows[0][-1] == "Tình trạng"
    assert len(rows) - 1 == 8  # 9 points, one answered at the meeting
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT,
                                     object_type="petitions.point").exists()
    client.force_login(binh)
    sheet = load_workbook(io.BytesIO(client.get(reverse("petition_points_xlsx")).content)).active
    assert sheet.max_row - 1 == 3  # cell B's three points only


def test_the_reports_from_the_database(client, marked, vanphong, an, lanhdao):
    client.force_login(an)
    url = reverse("petition_compilation_docx", args=[marked.round.pk])
    assert client.get(url).status_code == 404
    client.force_login(lanhdao)
    response = client.get(url)
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "đã tổ chức 3 buổi tiếp xúc cử tri. Cử tri đã nêu 9 ý kiến" in text
    assert "Đất đai, quy hoạch, xây dựng (1 ý kiến, kiến nghị)" in text
    assert "Chưa phân loại lĩnh vực (7 ý kiến, kiến nghị)" in text  # the unmarked ones, last
    agency = next(t for t in document.tables if t.rows[0].cells[1].text == "Cơ quan phải trả lời")
    assert agency.rows[1].cells[1].text == "Ủy ban nhân dân phường"
    result = client.get(reverse("petition_result_docx", args=[marked.round.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(result.content)).paragraphs)
    assert "đã trả lời 1 ý kiến, kiến nghị (tỷ lệ 11%)" in text
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT,
                                     object_type="petitions.round").count() == 2


def test_the_leaders_calendar(client, vanphong, lanhdao, an, binh, cell_a, area_1):
    reception, _ = make_meeting(cell_a, area_1, "Tiếp công dân định kỳ", dt.date(2026, 12, 1), 2,
                                kind="tiep_dan")
    services.link_meeting(user=vanphong, meeting=reception, round_=None, leader=lanhdao)
    make_meeting(cell_a, area_1, "Đối thoại tháng trước", dt.date(2026, 11, 12), 1,
                 kind="doi_thoai")
    make_meeting(cell_a, area_1, "Tiếp xúc cử tri thường kỳ", dt.date(2026, 12, 2), 1)
    client.force_login(lanhdao)
    page = client.get(reverse("petition_calendar"), {"thang": "2026-12"}).content.decode()
    assert "Tháng 12 năm 2026: 1 buổi, 2 ý kiến" in page
    assert "Tiếp công dân định kỳ: kiến nghị số 1" in page  # the points it raised
    assert "Tiếp xúc cử tri thường kỳ" not in page  # not a meeting with a leader
    assert 'class="event kind-tiep_dan"' in page
    page = client.get(reverse("petition_calendar"), {"thang": "2026-11", "xem": "danh-sach"})
    assert "Đối thoại tháng trước" in page.content.decode()
    assert "table class=\"calendar\"" not in page.content.decode()
    page = client.get(reverse("petition_calendar"),
                      {"thang": "2026-12", "lanh-dao": vanphong.pk}).content.decode()
    assert "Tháng 12 năm 2026: 0 buổi" in page
    client.force_login(binh)  # another unit's receptions are not theirs to see
    page = client.get(reverse("petition_calendar"), {"thang": "2026-12"}).content.decode()
    assert "Tiếp công dân định kỳ" not in page
    assert client.get(reverse("petition_calendar"), {"thang": "2026-13"}).status_code == 200


def test_an_office_page_is_not_found_for_a_unit(client, an, vanphong):
    client.force_login(an)
    assert client.get(reverse("petition_round_create")).status_code == 404
    client.force_login(vanphong)
    response = client.post(reverse("petition_round_create"), {
        "title": "Đợt sau kỳ họp", "timing": "sau", "session_name": "kỳ họp thứ 5",
        "session_on": "2026-12-18", "starts_on": "2026-12-20", "ends_on": "2026-12-10",
        "council": "Thường trực HĐND phường"})
    assert response.status_code == 400
    assert "Ngày kết thúc đợt phải sau ngày bắt đầu." in response.content.decode()
