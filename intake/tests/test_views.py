"""Intake pages for each role: quick report, suggestion, list with filters and export, labels,
meetings and the model page."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Attitude, AuditEntry, Channel, Topic
from intake.models import Meeting, OpinionItem
from intake.tests.conftest import client_for, file
from issues.models import Issue


@pytest.mark.parametrize("who", ["vanphong", "lanhdao", "an", "collab"])
@pytest.mark.parametrize("name", ["item_list", "item_quick", "meeting_list", "meeting_create"])
def test_pages_render_for_every_role(request, who, name):
    user = request.getfixturevalue(who)
    response = client_for(user).get(reverse(name))
    if who == "lanhdao" and name in ("item_quick", "meeting_create"):
        assert response.status_code == 404  # leaders read everything and write nothing
        return
    assert response.status_code == 200
    assert "Đăng xuất" in response.content.decode()


def test_pages_need_login(db):
    from django.test import Client

    for name in ("item_list", "item_quick", "meeting_list", "import_upload", "model_status"):
        assert Client().get(reverse(name)).status_code == 302


def test_quick_report_is_phone_friendly_and_files_in_one_post(collab, area_1, env_topic):
    client = client_for(collab)
    page = client.get(reverse("item_quick")).content.decode()
    assert 'name="viewport"' in page and "quick_report.js" in page and "button" in page
    assert f'value="{Channel.COLLABORATOR}" selected' in page  # a collaborator's own channel
    response = client.post(
        reverse("item_quick"),
        {
            "text": "Dân bức xúc vì rác thải ở chợ, gọi 0912345678",
            "area": area_1.pk,
            "channel": Channel.COLLABORATOR,
            "topic": env_topic.pk,
            "attitude": Attitude.AGGRIEVED,
            "received_on": dt.date.today().isoformat(),
            "sensitivity": "thuong",
        },
    )
    assert response.status_code == 302 and response.url == reverse("item_quick")
    item = OpinionItem.objects.get()
    assert item.created_by == collab and item.labels_confirmed and "⟨SĐT⟩" in item.text
    again = client.get(reverse("item_quick")).content.decode()
    assert f"Đã ghi nhận ý kiến #{item.pk}" in again
    assert f'<option value="{area_1.pk}" selected>' in again  # the last area is remembered


def start_area(user):
    return client_for(user).get(reverse("item_quick")).context["form"]["area"].value()


def test_quick_report_starts_on_the_one_area_the_person_covers(collab, an, area_1, area_2):
    from orgs.models import Area, Collaborator

    record = Collaborator.objects.create(
        full_name=collab.full_name, user=collab, unit=collab.unit, started_on=dt.date(2025, 1, 1)
    )
    record.areas.set([area_1])
    assert start_area(collab) == area_1.pk
    # A reporter's unit with one area starts there too; with two, the person chooses.
    assert start_area(an) == area_1.pk
    Area.objects.create(name="Tổ dân phố 9", unit=an.unit)
    assert start_area(an) is None
    record.areas.add(area_2)
    assert start_area(collab) is None


def test_quick_report_keeps_a_deliberate_unknown_area(collab, area_1):
    from orgs.models import Collaborator

    record = Collaborator.objects.create(
        full_name=collab.full_name, user=collab, unit=collab.unit, started_on=dt.date(2025, 1, 1)
    )
    record.areas.set([area_1])
    client = client_for(collab)
    response = client.post(
        reverse("item_quick"),
        {"text": "Ý kiến chung về phường", "area": "", "channel": Channel.COLLABORATOR,
         "received_on": dt.date.today().isoformat(), "sensitivity": "thuong"},
    )
    assert response.status_code == 302
    # "Không rõ" was chosen last time: the next form starts there, not on the collaborator's area.
    assert client.get(reverse("item_quick")).context["form"]["area"].value() is None


def test_quick_report_shows_service_errors_beside_the_field(an):
    response = client_for(an).post(
        reverse("item_quick"),
        {
            "text": "Ý kiến",
            "channel": Channel.RESIDENTIAL,
            "sensitivity": "thuong",
            "received_on": (dt.date.today() + dt.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "không được sau hôm nay" in response.content.decode()
    assert not OpinionItem.objects.exists()


def test_suggest_endpoint_works_without_diacritics(an, env_topic):
    client = client_for(an)
    data = client.post(
        reverse("item_suggest"), {"text": "rac thai bốc mùi, dan rat buc xuc"}
    ).json()
    assert data["topic_id"] == env_topic.pk and data["topic_name"] == "Môi trường"
    assert data["attitude"] == Attitude.AGGRIEVED and data["cues"]
    assert client.post(reverse("item_suggest"), {"text": ""}).json()["topic_id"] is None
    assert client.get(reverse("item_suggest")).status_code == 405


@pytest.fixture
def items(an, binh, area_1, area_2, env_topic):
    education = Topic.objects.get(name="Giáo dục")
    a1 = file(
        an,
        "Rác thải ở chợ",
        area=area_1,
        topic_ids=[env_topic.pk],
        received_on=dt.date(2025, 11, 1),
    )
    a2 = file(
        an,
        "Học phí tăng, phụ huynh lo lắng",
        area=area_1,
        topic_ids=[education.pk],
        attitude=Attitude.WORRIED,
        channel=Channel.SOCIAL_MEDIA,
        received_on=dt.date(2025, 11, 10),
    )
    b1 = file(binh, "Đường ngõ 3 ngập nước", area=area_2, received_on=dt.date(2025, 11, 5))
    issue = Issue.objects.create(code="VD-0001", title="Rác ở chợ", status=Issue.Status.ASSIGNED)
    OpinionItem.objects.filter(pk=a1.pk).update(issue=issue)
    return {"a1": a1, "a2": a2, "b1": b1, "education": education}


def _ids(response) -> set[int]:
    return {item.pk for item in response.context["page"].object_list}


def test_list_is_scoped_and_filtered(items, an, binh, lanhdao, env_topic):
    a1, a2, b1 = items["a1"], items["a2"], items["b1"]
    assert _ids(client_for(an).get(reverse("item_list"))) == {a1.pk, a2.pk}
    assert _ids(client_for(binh).get(reverse("item_list"))) == {b1.pk}
    leader = client_for(lanhdao)
    url = reverse("item_list")
    assert _ids(leader.get(url)) == {a1.pk, a2.pk, b1.pk}
    # b1 has no confirmed topic: the engine's suggestion (Môi trường, from "ngập") stands in.
    assert b1.suggested_topic == env_topic
    assert _ids(leader.get(url, {"topic": env_topic.pk})) == {a1.pk, b1.pk}
    assert _ids(leader.get(url, {"topic": items["education"].pk})) == {a2.pk}
    assert _ids(leader.get(url, {"attitude": Attitude.WORRIED})) == {a2.pk}
    assert _ids(leader.get(url, {"channel": Channel.SOCIAL_MEDIA})) == {a2.pk}
    assert _ids(leader.get(url, {"date_from": "2025-11-02", "date_to": "2025-11-06"})) == {b1.pk}
    assert _ids(leader.get(url, {"status": Issue.Status.ASSIGNED})) == {a1.pk}
    assert _ids(leader.get(url, {"status": "none"})) == {a2.pk, b1.pk}
    assert _ids(leader.get(url, {"q": "hoc phi"})) == {a2.pk}
    assert _ids(leader.get(url, {"area": items["b1"].area_id})) == {b1.pk}


def test_list_names_the_suggested_attitude_in_words(an):
    file(an, "Rác thải ùn ứ ở chợ, dân rất bức xúc.")
    page = client_for(an).get(reverse("item_list")).content.decode()
    assert "Bức xúc?" in page and "buc_xuc?" not in page


def test_list_paginates(an):
    for i in range(35):
        file(an, f"Ý kiến số {i} về đường sá")
    first = client_for(an).get(reverse("item_list"))
    assert len(first.context["page"].object_list) == 30
    second = client_for(an).get(reverse("item_list"), {"page": 2})
    assert len(second.context["page"].object_list) == 5


def test_export_is_scoped_like_the_list_and_audited(items, binh):
    response = client_for(binh).get(reverse("item_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Mã" and "Liên hệ" not in " ".join(map(str, rows[0]))
    assert [r[0] for r in rows[1:]] == [items["b1"].pk]
    assert AuditEntry.objects.filter(action="export", actor=binh).exists()


def test_detail_of_another_unit_is_not_found(items, binh):
    client = client_for(binh)
    assert client.get(reverse("item_detail", args=[items["a1"].pk])).status_code == 404
    assert client.get(reverse("item_edit", args=[items["a1"].pk])).status_code == 404
    assert client.get(reverse("item_detail", args=[items["b1"].pk])).status_code == 200


def test_labels_are_confirmed_from_the_edit_page(items, an, env_topic):
    item = items["a2"]
    client = client_for(an)
    page = client.get(reverse("item_edit", args=[item.pk])).content.decode()
    assert "Lưu nhãn" in page
    response = client.post(
        reverse("item_edit", args=[item.pk]),
        {
            "topics": [env_topic.pk],
            "attitude": Attitude.AGGRIEVED,
            "version": item.version,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.attitude == Attitude.AGGRIEVED and item.version == 2
    stale = client.post(
        reverse("item_edit", args=[item.pk]),
        {
            "topics": [env_topic.pk],
            "attitude": Attitude.AGREE,
            "version": 1,
        },
    )
    assert stale.status_code == 200 and "vừa được người khác sửa" in stale.content.decode()


def test_meeting_pages(an, binh, area_1):
    client = client_for(an)
    response = client.post(
        reverse("meeting_create"),
        {
            "kind": Meeting.Kind.VOTER_MEETING,
            "title": "Tiếp xúc cử tri tháng 11",
            "held_on": "2025-11-03",
            "place": "Nhà văn hóa tổ 1",
            "area": area_1.pk,
            "points": "- Đề nghị sửa đường ngõ 12\n\n- Lo lắng về học phí\n",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "meeting_detail", args=[meeting.pk]
    )
    assert meeting.points.count() == 2
    detail = client.get(response.url).content.decode()
    assert "Đề nghị sửa đường ngõ 12" in detail
    client.post(response.url, {"text": "Hỏi về chợ tạm"})
    assert meeting.points.count() == 3
    assert set(meeting.points.values_list("channel", flat=True)) == {Channel.VOTER_MEETING}
    assert client_for(binh).get(response.url).status_code == 404


def test_model_page_is_for_the_office_only(vanphong, lanhdao, an):
    page = client_for(vanphong).get(reverse("model_status"))
    assert page.status_code == 200 and "đang gợi ý bằng từ điển" in page.content.decode()
    for user in (lanhdao, an):
        assert client_for(user).get(reverse("model_status")).status_code == 404
