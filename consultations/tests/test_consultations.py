"""Drafts, comments on a clause, grouping, answers, and the bản tổng hợp (pages and services)."""

from __future__ import annotations

import datetime as dt
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from consultations import services
from consultations.models import Comment, CommentGroup, Draft, Provision
from consultations.tests.drafts import docx_bytes, with_chapters
from core.dates import local_today
from core.errors import ServiceError
from core.models import AuditEntry

TODAY = local_today()

SIDEWALK = [
    "Đề nghị cho phép hộ kinh doanh sử dụng một phần vỉa hè có thu phí.",
    "Đề nghị cho phép hộ kinh doanh sử dụng một phần vỉa hè có thu phí hợp lý.",
    "đề nghị cho phép hộ kinh doanh sử dụng 1 phần vỉa hè, có thu phí",
]
RUBBISH = "Cần quy định rõ giờ đổ rác thải sinh hoạt để tránh ùn ứ ở đầu ngõ."


@pytest.fixture
def draft(vanphong) -> Draft:
    return services.upload_draft(
        user=vanphong, title="Quy chế quản lý trật tự đô thị", issuing_body="UBND phường Hòa Bình",
        opens_on=TODAY - dt.timedelta(days=5), closes_on=TODAY + dt.timedelta(days=25),
        file_name="quy-che.docx", data=docx_bytes(with_chapters()))


def _provision(draft, article, clause="") -> Provision:
    return draft.provisions.get(article=article, clause=clause)


# --- the draft -----------------------------------------------------------------------------------


def test_an_upload_stores_every_article_and_clause(draft):
    labels = [p.label for p in draft.provisions.order_by("position")]
    assert labels[:4] == ["Điều 1", "Điều 2", "Khoản 1 Điều 2", "Khoản 2 Điều 2"]
    assert "Khoản 3 Điều 3" in labels and len(labels) == 5 + 7
    prohibited = _provision(draft, "3", "2")
    assert prohibited.chapter == "I" and prohibited.title == "Nguyên tắc"
    assert prohibited.text.splitlines()[-2].startswith("đ) Các hành vi khác")
    entry = AuditEntry.objects.get(object_type="consultations.draft")
    assert entry.data["articles"] == 5 and entry.data["clauses"] == 7


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"title": " "}, "title", "Hãy nhập tên dự thảo"),
        ({"issuing_body": ""}, "issuing_body", "cơ quan chủ trì"),
        ({"closes_on": dt.date(2026, 1, 1), "opens_on": dt.date(2026, 2, 1)}, "closes_on",
         "trước ngày bắt đầu"),
        ({"data": b"not a docx"}, "file", "không phải tệp Word"),
        ({"data": docx_bytes(["Không có điều nào."])}, "file", "Không tìm thấy điều nào"),
    ],
)
def test_a_bad_upload_names_its_field_and_stores_nothing(vanphong, changes, field, words):
    args = dict(user=vanphong, title="Quy chế", issuing_body="UBND phường",
                opens_on=TODAY, closes_on=TODAY, file_name="a.docx",
                data=docx_bytes(with_chapters()))
    with pytest.raises(ServiceError) as caught:
        services.upload_draft(**{**args, **changes})
    assert caught.value.field == field and words in caught.value.message
    assert not Draft.objects.exists() and not Provision.objects.exists()


def test_only_the_office_uploads_a_draft(an, lanhdao):
    for user in (an, lanhdao):
        with pytest.raises(ServiceError, match="Chỉ Ban Xây dựng Đảng"):
            services.upload_draft(user=user, title="Quy chế", issuing_body="UBND",
                                  opens_on=TODAY, closes_on=TODAY, file_name="a.docx",
                                  data=docx_bytes(with_chapters()))


def test_the_upload_page_shows_the_structure(client, vanphong):
    client.force_login(vanphong)
    upload = SimpleUploadedFile("quy-che.docx", docx_bytes(with_chapters()))
    response = client.post(reverse("consult_draft_upload"), {
        "title": "Quy chế trật tự đô thị", "issuing_body": "UBND phường Hòa Bình",
        "opens_on": TODAY.isoformat(), "closes_on": (TODAY + dt.timedelta(days=30)).isoformat(),
        "file": upload}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chương I" in page and "Điều 3. Nguyên tắc" in page and "Góp ý Khoản 2 Điều 3" in page
    assert "đ) Các hành vi khác" in page


def test_the_upload_page_says_why_a_file_is_refused(client, vanphong):
    client.force_login(vanphong)
    response = client.post(reverse("consult_draft_upload"), {
        "title": "Quy chế", "issuing_body": "UBND", "opens_on": TODAY.isoformat(),
        "closes_on": TODAY.isoformat(),
        "file": SimpleUploadedFile("a.docx", b"PK\x03\x04broken")})
    assert response.status_code == 400
    assert "Tệp Word bị hỏng" in response.content.decode()


# --- comments ------------------------------------------------------------------------------------


def test_a_unit_comments_on_a_clause_from_the_web(client, an, draft):
    clause = _provision(draft, "3", "2")
    client.force_login(an)
    url = reverse("consult_provision", kwargs={"pk": draft.pk, "provision_pk": clause.pk})
    response = client.post(url, {"source": "unit", "text": SIDEWALK[0]}, follow=True)
    assert response.status_code == 200
    comment = Comment.objects.get()
    assert (comment.provision, comment.unit, comment.source) == (clause, an.unit, "unit")
    assert comment.group is not None and comment.group.size == 1
    assert SIDEWALK[0] in response.content.decode()
    assert AuditEntry.objects.filter(object_type="consultations.comment",
                                     object_id=str(comment.pk)).exists()


def test_a_comment_is_masked_and_checked(an, ctv_user, draft):
    clause = _provision(draft, "3", "2")
    comment = services.add_comment(user=an, provision=clause, source="resident",
                                   text="Bà Nguyễn Thị Lan, số 0912345678, đề nghị giảm phí.")
    assert "0912345678" not in comment.text
    with pytest.raises(ServiceError) as caught:
        services.add_comment(user=an, provision=clause, source="organisation", text="Góp ý.")
    assert caught.value.field == "organisation"
    with pytest.raises(ServiceError) as caught:
        services.add_comment(user=an, provision=clause, source="unit", text="  ")
    assert caught.value.field == "text"
    with pytest.raises(ServiceError) as caught:  # a collaborator records residents only
        services.add_comment(user=ctv_user, provision=clause, source="unit", text="Góp ý.")
    assert caught.value.field == "source"
    late = draft.closes_on + dt.timedelta(days=1)
    with pytest.raises(ServiceError, match="chỉ nhận góp ý từ ngày"):
        services.add_comment(user=an, provision=clause, source="unit", text="Góp ý.", today=late)
    assert Comment.objects.count() == 1


def test_a_leader_does_not_comment(lanhdao, draft):
    with pytest.raises(ServiceError):
        services.add_comment(user=lanhdao, provision=_provision(draft, "1"), source="unit",
                             text="Góp ý.")


def test_near_identical_comments_are_grouped_per_clause(an, binh, vanphong, draft):
    clause, other = _provision(draft, "3", "2"), _provision(draft, "4", "1")
    for text in SIDEWALK:
        services.add_comment(user=an, provision=clause, source="resident", text=text)
    services.add_comment(user=binh, provision=clause, source="unit", text=SIDEWALK[0])
    services.add_comment(user=an, provision=clause, source="unit", text=RUBBISH)
    services.add_comment(user=binh, provision=other, source="unit", text=SIDEWALK[0])
    groups = {g.size: g for g in CommentGroup.objects.filter(provision=clause)}
    assert sorted(groups) == [1, 4]
    assert groups[4].text == SIDEWALK[0]  # said twice, so the group's typical comment
    assert groups[1].text == RUBBISH
    # the same words on another clause are that clause's own group
    assert CommentGroup.objects.get(provision=other).size == 1
    # a group keeps its key, and its answer, when more comments come
    services.answer_group(user=vanphong, group=groups[4], response="tiep_thu", reason="")
    services.add_comment(user=binh, provision=clause, source="resident", text=SIDEWALK[1])
    grown = CommentGroup.objects.get(pk=groups[4].pk)
    assert grown.size == 5 and grown.response == "tiep_thu"


def test_a_reporter_sees_only_the_comments_of_their_units(client, an, binh, draft):
    clause = _provision(draft, "3", "2")
    services.add_comment(user=an, provision=clause, source="unit", text=RUBBISH)
    services.add_comment(user=binh, provision=clause, source="unit",
                         text="Chi bộ 2 đề nghị bỏ quy định thu phí vỉa hè.")
    client.force_login(an)
    page = client.get(reverse("consult_provision",
                              kwargs={"pk": draft.pk, "provision_pk": clause.pk})).content.decode()
    assert RUBBISH in page and "bỏ quy định thu phí" not in page
    assert "Chi bộ Tổ dân phố 2" not in page
    for name in ("consult_synthesis", "consult_synthesis_docx"):
        assert client.get(reverse(name, kwargs={"pk": draft.pk})).status_code == 404


# --- answers and the bản tổng hợp ----------------------------------------------------------------


def test_an_answer_needs_a_reason_unless_accepted(vanphong, an, draft):
    clause = _provision(draft, "3", "2")
    services.add_comment(user=an, provision=clause, source="unit", text=RUBBISH)
    group = CommentGroup.objects.get()
    for response in ("giai_trinh", "khong_tiep_thu"):
        with pytest.raises(ServiceError) as caught:
            services.answer_group(user=vanphong, group=group, response=response, reason=" ")
        assert caught.value.field == "reason"
    with pytest.raises(ServiceError) as caught:
        services.answer_group(user=vanphong, group=group, response="maybe", reason="x")
    assert caught.value.field == "response"
    with pytest.raises(ServiceError, match="Chỉ Ban Xây dựng Đảng"):
        services.answer_group(user=an, group=group, response="tiep_thu", reason="")
    services.answer_group(user=vanphong, group=group, response="khong_tiep_thu",
                          reason="Giờ đổ rác do tổ dân phố thống nhất, không quy định tại Quy chế.")
    group.refresh_from_db()
    assert group.response == "khong_tiep_thu" and group.answered_by == vanphong


def _docx_tables(content: bytes):
    return Document(io.BytesIO(content))


def test_the_synthesis_docx_is_a_landscape_table_with_residents_counted(
        client, vanphong, an, binh, draft):
    clause = _provision(draft, "3", "2")
    for text in SIDEWALK:
        services.add_comment(user=an, provision=clause, source="resident", text=text)
    services.add_comment(user=binh, provision=clause, source="organisation",
                         organisation="Hội Cựu chiến binh phường", text=SIDEWALK[0])
    services.add_comment(user=an, provision=_provision(draft, "1"), source="unit", text=RUBBISH)
    group = CommentGroup.objects.get(provision=clause)
    services.answer_group(user=vanphong, group=group, response="giai_trinh",
                          reason="Việc sử dụng vỉa hè thực hiện theo quy định của thành phố.")
    client.force_login(vanphong)
    response = client.get(reverse("consult_synthesis_docx", kwargs={"pk": draft.pk}))
    assert response.status_code == 200
    document = _docx_tables(response.content)
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape A4
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210
    table = next(t for t in document.tables
                 if t.rows[0].cells[0].text == "Số TT")
    assert [c.text for c in table.rows[0].cells] == [
        "Số TT", "Điều, khoản", "Nội dung góp ý", "Đơn vị, cá nhân góp ý",
        "Ý kiến tiếp thu, giải trình"]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert [row[1] for row in rows] == ["Điều 1", "Khoản 2 Điều 3"]
    sidewalk = rows[1]
    assert sidewalk[0] == "2" and "4 ý kiến cùng nội dung" in sidewalk[2]
    assert sidewalk[3] == "Hội Cựu chiến binh phường; 3 ý kiến người dân"
    assert sidewalk[4].startswith("Giải trình: Việc sử dụng vỉa hè")
    assert rows[0][3] == "Chi bộ Tổ dân phố 1" and rows[0][4].startswith("Chưa có ý kiến")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BẢN TỔNG HỢP, TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý" in text
    assert "Dự thảo Quy chế quản lý trật tự đô thị" in text
    widths = [round(c.width.mm) for c in table.rows[0].cells]
    assert sum(widths) == pytest.approx(252, abs=2) and widths[2] > widths[0] * 4
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT,
                                     object_type="consultations.draft").exists()


def test_the_office_answers_on_the_synthesis_page(client, vanphong, an, draft):
    services.add_comment(user=an, provision=_provision(draft, "3", "2"), source="unit",
                         text=RUBBISH)
    group = CommentGroup.objects.get()
    client.force_login(vanphong)
    page = client.get(reverse("consult_synthesis", kwargs={"pk": draft.pk})).content.decode()
    assert RUBBISH in page and "Chi bộ Tổ dân phố 1" in page
    url = reverse("consult_answer", kwargs={"pk": draft.pk, "group_pk": group.pk})
    response = client.post(url, {"response": "giai_trinh", "reason": ""}, follow=True)
    assert "Hãy ghi nội dung giải trình" in response.content.decode()
    client.post(url, {"response": "tiep_thu", "reason": "Bổ sung giờ đổ rác vào khoản 2."})
    group.refresh_from_db()
    assert group.response == "tiep_thu" and group.reason.startswith("Bổ sung")


# --- the residents' public page ------------------------------------------------------------------


def _public_post(client, draft, provision, text, *, seconds_ago=60, **extra):
    from intake.forms import PublicFeedbackForm

    body = {"provision": provision.pk, "text": text,
            "started": PublicFeedbackForm.stamp(time.time() - seconds_ago), **extra}
    return client.post(reverse("consult_public", kwargs={"pk": draft.pk}), body,
                       REMOTE_ADDR="203.0.113.7")


def test_a_resident_comments_on_the_public_page_anonymously(client, vanphong, draft):
    clause = _provision(draft, "3", "2")
    page = client.get(reverse("consult_public", kwargs={"pk": draft.pk})).content.decode()
    assert "Toàn văn dự thảo" in page and "đ) Các hành vi khác" in page
    response = _public_post(client, draft, clause, "Tôi là Trần Văn Bình, 0987654321, đề nghị"
                            " giảm phí vỉa hè.")
    assert response.status_code == 200 and "Cảm ơn bạn đã góp ý" in response.content.decode()
    comment = Comment.objects.get()
    assert comment.source == "resident" and comment.unit is None and comment.created_by is None
    assert "0987654321" not in comment.text
    entry = AuditEntry.objects.get(object_type="consultations.comment")
    assert entry.actor is None and entry.data["ip"] and "203.0.113.7" not in str(entry.data)
    rows = services.synthesis_rows(draft)
    assert rows[0].residents == 1 and rows[0].units == []


def test_the_public_page_keeps_bots_out_and_throttles(client, draft):
    clause = _provision(draft, "1")
    fast = _public_post(client, draft, clause, "Góp ý nhanh.", seconds_ago=0)
    assert fast.status_code == 400 and "nhanh quá" in fast.content.decode()
    bot = _public_post(client, draft, clause, "Quảng cáo.", website="http://spam.example")
    assert bot.status_code == 400 and not Comment.objects.exists()
    for number in range(5):
        assert _public_post(client, draft, clause, f"Góp ý thứ {number}.").status_code == 200
    throttled = _public_post(client, draft, clause, "Góp ý thứ sáu.")
    assert throttled.status_code == 429 and "Bạn đã gửi 5 góp ý" in throttled.content.decode()
    assert Comment.objects.count() == 5


def test_the_public_page_refuses_outside_the_window(client, vanphong):
    closed = services.upload_draft(
        user=vanphong, title="Quy chế cũ", issuing_body="UBND phường",
        opens_on=TODAY - dt.timedelta(days=40), closes_on=TODAY - dt.timedelta(days=10),
        file_name="cu.docx", data=docx_bytes(with_chapters()))
    page = client.get(reverse("consult_public", kwargs={"pk": closed.pk})).content.decode()
    assert "không trong thời gian nhận góp ý" in page
    response = _public_post(client, closed, closed.provisions.first(), "Góp ý muộn.")
    assert response.status_code == 400 and not Comment.objects.exists()
