"""Distorted or false information (R9): the office marks a mention, its story or an issue, links
the correction it published, and reads the story's volume before and after the correction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from issues.models import Issue
from monitoring import misinformation
from monitoring import page_selectors as pages
from monitoring.models import Misinformation
from monitoring.reading import volume
from monitoring.tests.pages_support import mention, story, when

pytestmark = pytest.mark.django_db
NEW = "monitoring_finding_new"


@pytest.fixture
def rumour():
    """A false story: three copies before the correction (day -5, -4, -4 on two sites), two
    after it (day -3 and -1), and one a month earlier, outside the window."""
    s = story(when(40))
    made = [
        mention("Tin đồn di dời chợ Hòa Bình", story=s, at=when(40), site="x.vn"),
        mention("Chợ Hòa Bình sắp bị di dời?", story=s, at=when(5), site="a.vn"),
        mention("Di dời chợ Hòa Bình", story=s, at=when(4), site="b.vn"),
        mention("Di dời chợ Hòa Bình (chia sẻ)", story=s, at=when(4, 20), site="b.vn"),
        mention("Chợ Hòa Bình di dời: thật hay đồn", story=s, at=when(3, 15), site="c.vn"),
        mention("Vẫn đồn di dời chợ", story=s, at=when(1), site="a.vn"),
    ]
    return s, made


def _post(client, query: str, **data):
    return client.post(f"{reverse(NEW)}?{query}", data)


def test_marking_a_story_with_its_correction_shows_the_volume_before_and_after(
    client, vanphong, rumour
):
    s, made = rumour
    client.force_login(vanphong)
    corrected = when(3).date()
    response = _post(
        client, f"cau-chuyen={s.pk}", verdict="false",
        note="Phường không có kế hoạch di dời chợ; đã xác minh với Ban quản lý chợ.",
        correction_url="https://hoabinh.gov.vn/dinh-chinh-cho",
        corrected_on=corrected.isoformat(),
    )
    assert response.status_code == 302
    finding = Misinformation.objects.get()
    assert finding.story == s and finding.corrected_on == corrected
    entry = AuditEntry.objects.get(object_type="monitoring.misinformation")
    assert entry.action == "create" and entry.data["story"] == s.pk

    vol = pages.misinformation_volume(finding)
    assert (vol.before.mentions, vol.before.sites) == (3, 2)
    assert (vol.after.mentions, vol.after.sites) == (2, 2)
    assert vol.total == 6  # the month-old copy is counted in the story, not in the window
    assert vol.after.days == 4  # the correction's day to today

    body = client.get(response["Location"]).content.decode()
    assert 'data-side="before"' in body and 'id="volume-chart-data"' in body
    before = body[body.index('data-side="before"'):body.index('data-side="after"')]
    assert '<td class="num">3</td><td class="num">2</td>' in before
    assert "https://hoabinh.gov.vn/dinh-chinh-cho" in body

    story_page = client.get(reverse("monitoring_story", args=[s.pk])).content.decode()
    assert "Thông tin sai sự thật" in story_page and 'id="volume-summary"' in story_page
    listed = client.get(reverse("monitoring_list")).content.decode()
    assert listed.count("sai sự thật</span>") == len(made)


def test_a_mention_marked_follows_its_story_and_the_day_it_was_marked(client, vanphong, rumour):
    s, made = rumour
    client.force_login(vanphong)
    response = _post(client, f"tin={made[2].pk}", verdict="distorted", note="Cắt ghép thông tin.")
    assert response.status_code == 302
    finding = Misinformation.objects.get(mention=made[2])
    assert pages.reference_day(finding) == timezone.localdate()  # not corrected yet
    vol = pages.misinformation_volume(finding)
    assert vol.after.mentions == 0 and vol.before.mentions == 5
    # marking it again opens the finding instead of a second one
    again = _post(client, f"tin={made[2].pk}", verdict="false", note="Lần hai.")
    assert again["Location"] == reverse("monitoring_finding", args=[finding.pk])
    assert Misinformation.objects.count() == 1

    # the correction added later moves the reference day; audited
    edit = client.post(reverse("monitoring_finding", args=[finding.pk]), {
        "verdict": "distorted", "note": "Cắt ghép thông tin.",
        "correction_text": "Phường Hòa Bình đính chính: không di dời chợ.",
        "corrected_on": when(3).date().isoformat(),
    })
    assert edit.status_code == 302
    finding.refresh_from_db()
    assert pages.misinformation_volume(finding).after.mentions == 2
    update = AuditEntry.objects.get(object_type="monitoring.misinformation", action="update")
    assert update.data["changed"] == ["corrected_on", "correction_text"]


def test_an_issue_is_marked_by_its_code_and_counts_its_stories(client, vanphong, rumour):
    s, made = rumour
    issue = Issue.objects.create(code="VD-2026-0042", title="Di dời chợ Hòa Bình")
    made[1].issue = issue
    made[1].save(update_fields=["issue"])
    lone = mention("Bài khác cùng vấn đề", at=when(2), site="d.vn", issue=issue)
    client.force_login(vanphong)
    form = client.get(reverse(NEW), {"ma": "vd-2026-0042"})
    assert form.status_code == 200 and "VD-2026-0042 — Di dời chợ Hòa Bình" in form.content.decode()
    response = _post(client, "ma=VD-2026-0042", verdict="false", note="Sai sự thật.",
                     correction_url="https://hoabinh.gov.vn/a", corrected_on=when(3).date())
    assert response.status_code == 302
    finding = Misinformation.objects.get(issue=issue)
    covered = set(pages.covered_mentions(finding).values_list("pk", flat=True))
    assert covered == {m.pk for m in made} | {lone.pk}
    assert pages.misinformation_volume(finding).after.mentions == 3
    missing = client.get(reverse(NEW), {"ma": "VD-0000"})
    assert missing.status_code == 302
    listing = client.get(missing["Location"]).content.decode()
    assert "Không tìm thấy vấn đề có mã này." in listing and "VD-2026-0042" in listing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"verdict": "false", "note": ""}, "Nhận định của Ban: hãy ghi vì sao"),
        ({"verdict": "", "note": "x"}, "Kết luận: hãy chọn một."),
        ({"verdict": "false", "note": "x", "correction_url": "hoabinh gov",
          "corrected_on": "2026-01-01"}, "Đường dẫn bài đính chính: không phải địa chỉ web"),
        ({"verdict": "false", "note": "x", "correction_text": "Đính chính."},
         "Ngày đính chính: hãy ghi ngày Ban đăng bài đính chính."),
        ({"verdict": "false", "note": "x", "correction_text": "Đính chính.",
          "corrected_on": "2999-01-01"}, "Ngày đính chính: không được sau hôm nay."),
    ],
)
def test_a_wrong_form_is_named_in_vietnamese_and_stores_nothing(
    client, vanphong, rumour, data, message
):
    s, _made = rumour
    client.force_login(vanphong)
    response = _post(client, f"cau-chuyen={s.pk}", **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Misinformation.objects.exists()
    assert not AuditEntry.objects.filter(object_type="monitoring.misinformation").exists()


def test_the_note_is_masked_and_a_withdrawal_is_audited(client, vanphong, rumour):
    s, _made = rumour
    finding = misinformation.mark(
        actor=vanphong, story_id=s.pk, verdict="false",
        note="Tài khoản của ông Trần Văn Bình, số 0912345678, tung tin sai.",
    )
    assert "0912345678" not in finding.note and "Trần Văn Bình" not in finding.note
    client.force_login(vanphong)
    response = client.post(reverse("monitoring_finding_withdraw", args=[finding.pk]))
    assert response.status_code == 302 and not Misinformation.objects.exists()
    entry = AuditEntry.objects.get(object_type="monitoring.misinformation", action="delete")
    assert entry.summary == f"Bỏ đánh dấu thông tin sai sự thật: Câu chuyện số {s.pk}"


def test_leaders_read_findings_and_units_find_nothing(client, vanphong, lanhdao, an, rumour):
    s, made = rumour
    finding = misinformation.mark(actor=vanphong, story_id=s.pk, verdict="false", note="Sai.")
    client.force_login(lanhdao)
    page = client.get(reverse("monitoring_finding", args=[finding.pk]))
    assert page.status_code == 200 and "Sửa nhận định" not in page.content.decode()
    assert client.get(reverse("monitoring_findings")).status_code == 200
    assert _post(client, f"tin={made[1].pk}", verdict="false", note="x").status_code == 403
    edit = client.post(reverse("monitoring_finding", args=[finding.pk]),
                       {"verdict": "distorted", "note": "Đổi."})
    assert edit.status_code == 403
    client.force_login(an)
    for url in (reverse("monitoring_findings"), reverse("monitoring_finding", args=[finding.pk])):
        assert client.get(url).status_code == 404
    assert _post(client, f"tin={made[1].pk}", verdict="false", note="x").status_code == 404
    withdraw = client.post(reverse("monitoring_finding_withdraw", args=[finding.pk]))
    assert withdraw.status_code == 404
    finding.refresh_from_db()
    assert finding.verdict == "false" and Misinformation.objects.count() == 1


# --- the pure volume ---------------------------------------------------------------------------


def test_volume_counts_the_reference_day_after_and_stops_at_today():
    day = dt.date(2026, 3, 10)
    seen = [
        (dt.date(2026, 2, 1), "old.vn"),  # outside the window
        (dt.date(2026, 2, 24), "a.vn"),  # first day of the window (14 days before)
        (dt.date(2026, 3, 9), "a.vn"),
        (dt.date(2026, 3, 9), "b.vn"),
        (dt.date(2026, 3, 10), "a.vn"),
        (dt.date(2026, 3, 12), "c.vn"),
        (dt.date(2026, 3, 13), "d.vn"),  # after today
    ]
    vol = volume(seen, reference=day, today=dt.date(2026, 3, 12))
    assert (vol.before.days, vol.before.mentions, vol.before.sites) == (14, 3, 2)
    assert (vol.after.days, vol.after.mentions, vol.after.sites) == (3, 2, 2)
    assert vol.total == 7 and vol.days[0].day == dt.date(2026, 2, 24)
    assert [d.after for d in vol.days].index(True) == 14
    assert round(vol.before.per_day, 3) == round(3 / 14, 3)
