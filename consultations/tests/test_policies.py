"""The policy register and its consultation files: the rule, the step that cannot be skipped, the
leader's waiver, the file's counts (hand-computed), scoping, and optimistic concurrency."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations import policy_selectors as selectors
from consultations import policy_services as services
from consultations.apps import WAIVER_SECTION_KEY, WAIVER_SECTION_TITLE
from consultations.models import ConsultationLink, Draft, Moment, Policy, Waiver
from consultations.policy_forms import PolicyForm
from consultations.policy_rules import CRITERIA, requirement, wilson
from consultations.policy_services import PolicyInput
from core.errors import ConflictError, ServiceError
from core.models import Attitude, AuditEntry, Channel, SocialGroup
from intake.models import Meeting
from issues.tests.helpers import issue as make_issue
from issues.tests.helpers import item
from orgs.models import Area
from reporting.periods import parse_period
from reporting.services import consolidation
from surveys.models import Response

D = dt.date(2026, 3, 2)
SIDEWALK = "Dự án chỉnh trang vỉa hè các tuyến phố chính"


def _input(**changes) -> PolicyInput:
    base = dict(title=SIDEWALK, kind=Policy.Kind.PROJECT, level=Policy.Level.WARD,
                owner_name="UBND phường Hòa Bình", affects_land=True)
    return PolicyInput(**{**base, **changes})


@pytest.fixture
def policy(vanphong) -> Policy:
    return services.create_policy(user=vanphong, data=_input())


def _stage(user, policy, stage):
    policy.refresh_from_db()
    return services.change_stage(user=user, policy=policy, stage=stage,
                                 expected_version=policy.version)


# --- the rule --------------------------------------------------------------------------------


def test_the_rule_requires_consultation_when_any_mark_is_ticked():
    assert not requirement().required
    rule = requirement(costs_money=True, affects_way_of_life=True)
    assert rule.required
    assert rule.reasons == ("người dân phải đóng góp, chi trả tiền",
                            "thay đổi nếp sống, sinh hoạt, sinh kế của người dân")
    assert rule.sentence().startswith("Bắt buộc lấy ý kiến nhân dân vì người dân phải đóng góp")
    with pytest.raises(ValueError):
        requirement(popular=True)


def test_wilson_interval_of_three_in_five():
    share = wilson(3, 5)
    assert share.share == pytest.approx(0.6)
    # (p + z²/2n) / (1 + z²/n) ± z √(p(1−p)/n + z²/4n²) / (1 + z²/n), z = 1.96
    assert share.low == pytest.approx(0.2307, abs=1e-4)
    assert share.high == pytest.approx(0.8824, abs=1e-4)
    assert wilson(0, 0) is None


def test_a_policy_is_registered_with_its_requirement_and_audited(policy):
    assert policy.requires_consultation and policy.stage == Policy.Stage.DRAFTING
    assert policy.title_folded == "du an chinh trang via he cac tuyen pho chinh"
    entry = AuditEntry.objects.get(object_type="consultations.policy", action="create")
    assert entry.data["reasons"] == ["liên quan đến đất đai, nhà ở của người dân"]


@pytest.mark.parametrize(("changes", "field"), [
    ({"title": "  "}, "title"), ({"kind": "x"}, "kind"), ({"level": ""}, "level"),
    ({"owner_name": ""}, "owner_name"), ({"owner_unit_id": 999999}, "owner_unit"),
])
def test_bad_input_names_its_field_and_stores_nothing(vanphong, changes, field):
    with pytest.raises(ServiceError) as caught:
        services.create_policy(user=vanphong, data=_input(**changes))
    assert caught.value.field == field
    assert not Policy.objects.exists()


def test_only_the_office_registers(lanhdao, an):
    for user in (lanhdao, an):
        with pytest.raises(ServiceError, match="Chỉ Ban Xây dựng Đảng"):
            services.create_policy(user=user, data=_input())
    assert not Policy.objects.exists()


# --- the step that cannot be skipped ---------------------------------------------------------


@pytest.mark.parametrize("stage", [Policy.Stage.ISSUED, Policy.Stage.IN_FORCE,
                                   Policy.Stage.EVALUATED])
def test_a_required_policy_is_not_issued_without_the_before_consultation(vanphong, policy,
                                                                         stage):
    with pytest.raises(ServiceError) as caught:
        _stage(vanphong, policy, stage)
    assert caught.value.field == "stage"
    assert "Trước khi ban hành, triển khai" in caught.value.message
    assert "đất đai" in caught.value.message
    policy.refresh_from_db()
    assert policy.stage == Policy.Stage.DRAFTING and policy.version == 1


def test_a_before_source_or_a_policy_not_required_lets_it_move(vanphong, policy, cell_a):
    meeting = Meeting.objects.create(kind=Meeting.Kind.VOTER_MEETING, title="Tiếp xúc cử tri",
                                     held_on=D, place="Nhà văn hóa", unit=cell_a)
    # a "during" source is not the "before" consultation
    services.link_sources(user=vanphong, policy=policy, moment=Moment.DURING,
                          source="meeting", ids=[meeting.pk])
    with pytest.raises(ServiceError):
        _stage(vanphong, policy, Policy.Stage.ISSUED)
    services.link_sources(user=vanphong, policy=policy, moment=Moment.BEFORE,
                          source="meeting", ids=[meeting.pk])
    moved = _stage(vanphong, policy, Policy.Stage.ISSUED)
    assert moved.stage == Policy.Stage.ISSUED and moved.version == 2
    entry = AuditEntry.objects.filter(object_type="consultations.policy").latest("pk")
    assert entry.data["before_on_record"] and not entry.data["waived"]
    free = services.create_policy(user=vanphong, data=_input(title="Phong trào đọc sách",
                                                             affects_land=False))
    assert _stage(vanphong, free, Policy.Stage.IN_FORCE).stage == Policy.Stage.IN_FORCE


def test_the_last_before_source_stays_once_issued(vanphong, policy, cell_a):
    meeting = Meeting.objects.create(kind=Meeting.Kind.DIALOGUE, title="Đối thoại",
                                     held_on=D, place="Hội trường", unit=cell_a)
    link, = services.link_sources(user=vanphong, policy=policy, moment=Moment.BEFORE,
                                  source="meeting", ids=[meeting.pk])
    _stage(vanphong, policy, Policy.Stage.ISSUED)
    with pytest.raises(ServiceError, match="nguồn ý kiến cuối cùng"):
        services.unlink_source(user=vanphong, link=link)
    assert ConsultationLink.objects.filter(pk=link.pk).exists()


# --- the leader's waiver ---------------------------------------------------------------------


REASON = "Thực hiện chỉ đạo khẩn của thành phố về phòng chống thiên tai."


def test_only_a_leader_waives_with_a_reason_and_it_is_audited(vanphong, lanhdao, an, policy):
    for user in (vanphong, an):
        with pytest.raises(ServiceError, match="Chỉ lãnh đạo"):
            services.grant_waiver(user=user, policy=policy, reason=REASON)
    for reason in ("", "   ", "khẩn"):
        with pytest.raises(ServiceError) as caught:
            services.grant_waiver(user=lanhdao, policy=policy, reason=reason)
        assert caught.value.field == "reason"
    assert not Waiver.objects.exists()
    waiver = services.grant_waiver(user=lanhdao, policy=policy, reason=REASON)
    entry = AuditEntry.objects.get(object_type="consultations.waiver")
    assert entry.actor == lanhdao and entry.data["policy"] == policy.pk
    with pytest.raises(ServiceError, match="đã có quyết định miễn"):
        services.grant_waiver(user=lanhdao, policy=policy, reason=REASON)
    moved = _stage(vanphong, policy, Policy.Stage.IN_FORCE)
    assert moved.stage == Policy.Stage.IN_FORCE
    stage_entry = AuditEntry.objects.filter(object_type="consultations.policy").latest("pk")
    assert stage_entry.data["waived"] and "theo quyết định miễn" in stage_entry.summary
    assert waiver.reason == REASON


def test_the_waiver_shows_in_the_file_and_the_period_selector(client, lanhdao, an, policy):
    services.grant_waiver(user=lanhdao, policy=policy, reason=REASON)
    client.force_login(an)
    page = client.get(reverse("consult_policy_detail", args=[policy.pk])).content.decode()
    assert REASON in page and "Trần Văn Minh" in page
    today = timezone.localdate(Waiver.objects.get().granted_at)
    lines = selectors.waivers_between(today - dt.timedelta(days=1), today)
    assert lines == [f"Dự án “{SIDEWALK}” được miễn lấy ý kiến trước khi ban hành"
                     f" ({today:%d/%m/%Y}, Trần Văn Minh): {REASON}"]
    assert selectors.waivers_between(today + dt.timedelta(days=1),
                                     today + dt.timedelta(days=180)) == []


def test_a_waiver_from_the_page_is_the_leaders_alone(client, vanphong, lanhdao, policy):
    url = reverse("consult_policy_waiver", args=[policy.pk])
    client.force_login(vanphong)
    assert client.post(url, {"reason": REASON}).status_code == 404
    client.force_login(lanhdao)
    page = client.get(reverse("consult_policy_detail", args=[policy.pk])).content.decode()
    assert "Quyết định miễn" in page and "Chuyển giai đoạn" not in page
    assert client.post(url, {"reason": ""}).status_code == 302 and not Waiver.objects.exists()
    assert client.post(url, {"reason": REASON}).status_code == 302
    assert Waiver.objects.get().granted_by == lanhdao


def test_a_waiver_of_the_period_is_a_section_of_the_consolidated_report(vanphong, lanhdao,
                                                                       policy, monthly):
    waiver = services.grant_waiver(user=lanhdao, policy=policy, reason=REASON)
    granted = dt.datetime(2025, 11, 10, 9, 0, tzinfo=timezone.get_current_timezone())
    Waiver.objects.filter(pk=waiver.pk).update(granted_at=granted)
    line = (f"Dự án “{SIDEWALK}” được miễn lấy ý kiến trước khi ban hành (10/11/2025,"
            f" Trần Văn Minh): {REASON}")
    for code in ("2025-11", "2025-H2"):  # the month, and the 6-month report
        report = consolidation.generate_consolidated(user=vanphong, period=parse_period(code))
        assert report.sections[WAIVER_SECTION_KEY] == line
        # (in the 6-month report, a point of "Kết quả đạt được": a title with its level)
        assert (WAIVER_SECTION_KEY, WAIVER_SECTION_TITLE) in [
            (t["key"], t["title"]) for t in consolidation.section_titles(report)]
    # a period without a waiver has no such section, not "Trong kỳ không có."
    quiet = consolidation.generate_consolidated(user=vanphong, period=parse_period("2025-10"))
    assert WAIVER_SECTION_KEY not in quiet.sections
    assert WAIVER_SECTION_KEY not in [t["key"] for t in consolidation.section_titles(quiet)]


# --- concurrency -----------------------------------------------------------------------------


def test_two_edits_never_silently_overwrite(vanphong, policy):
    read = policy.version
    free = services.create_policy(user=vanphong, data=_input(title="Phong trào đọc sách",
                                                             affects_land=False))
    services.change_stage(user=vanphong, policy=free, stage=Policy.Stage.ISSUED,
                          expected_version=free.version)
    with pytest.raises(ConflictError):
        services.change_stage(user=vanphong, policy=free, stage=Policy.Stage.IN_FORCE,
                              expected_version=1)
    services.update_policy(user=vanphong, policy=policy, data=_input(summary="Lát đá vỉa hè."),
                           expected_version=read)
    with pytest.raises(ConflictError) as caught:
        services.update_policy(user=vanphong, policy=policy, data=_input(summary="Khác."),
                               expected_version=read)
    assert caught.value.field == "version"
    policy.refresh_from_db()
    assert policy.summary == "Lát đá vỉa hè." and policy.version == read + 1


def test_a_stale_stage_change_from_the_page_changes_nothing(client, vanphong):
    free = services.create_policy(user=vanphong, data=_input(title="Phong trào đọc sách",
                                                             affects_land=False))
    client.force_login(vanphong)
    url = reverse("consult_policy_stage", args=[free.pk])
    client.post(url, {"stage": Policy.Stage.ISSUED, "version": 1})
    response = client.post(url, {"stage": Policy.Stage.EVALUATED, "version": 1}, follow=True)
    free.refresh_from_db()
    assert free.stage == Policy.Stage.ISSUED and free.version == 2
    assert "người khác sửa" in response.content.decode()


# --- the file's counts -----------------------------------------------------------------------


@pytest.fixture
def heard(vanphong, cell_a, cell_b, area_1, policy):
    """Before: a voter meeting of cell_a (3 items), one item of cell_b tied directly (and one
    of the meeting's again), an issue holding a cell_b item and a meeting item."""
    area_2 = Area.objects.create(name="Tổ dân phố 2", unit=cell_a)
    area_b = Area.objects.create(name="Tổ dân phố 7", unit=cell_b)
    elders, workers = SocialGroup.objects.order_by("pk")[:2]
    meeting = Meeting.objects.create(kind=Meeting.Kind.VOTER_MEETING,
                                     title="Tiếp xúc cử tri khu Đồng Mới", held_on=D,
                                     place="Nhà văn hóa", unit=cell_a, area=area_1)
    voter = Channel.VOTER_MEETING
    i1 = item("Đồng tình lát lại vỉa hè", channel=voter, meeting=meeting, unit=cell_a,
              area=area_1, attitude=Attitude.AGREE)
    i2 = item("Lo tiền đóng góp", channel=voter, meeting=meeting, unit=cell_a, area=area_1,
              attitude=Attitude.WORRIED)
    item("Nhất trí", channel=voter, meeting=meeting, unit=cell_a, area=area_2,
              attitude=Attitude.AGREE)
    i4 = item("Ủng hộ làm sớm", unit=cell_b, area=area_b, attitude=Attitude.AGREE)
    issue = make_issue()
    i5 = item("Phản đối thu tiền", unit=cell_b, issue=issue, attitude=Attitude.OPPOSE)
    i2.issue = issue
    i2.save()
    i1.social_groups.set([elders, workers])
    i4.social_groups.set([elders])
    i5.social_groups.set([elders])
    before = Moment.BEFORE
    services.link_sources(user=vanphong, policy=policy, moment=before, source="meeting",
                          ids=[meeting.pk])
    services.link_sources(user=vanphong, policy=policy, moment=before, source="item",
                          ids=[i4.pk, i1.pk])
    services.link_sources(user=vanphong, policy=policy, moment=before, source="issue",
                          ids=[issue.pk])
    services.add_difficulty(user=vanphong, policy=policy, moment=before,
                            text="Hộ kinh doanh lo mất chỗ bán hàng trong thời gian thi công.")
    return {"meeting": meeting, "elders": elders.name, "workers": workers.name}


def _before(user, policy):
    return selectors.consultation_file(user, policy)[0]


def test_the_office_reads_every_count(vanphong, policy, heard):
    file = _before(vanphong, policy)
    assert (file.items, file.meetings, file.issues, file.heard) == (5, 1, 1, 5)
    assert [(a.label, a.value) for a in file.areas] == [
        ("Tổ dân phố 1", "2"), ("Tổ dân phố 2", "1"), ("Tổ dân phố 7", "1")]
    assert [(g.label, g.value) for g in file.groups] == [
        (heard["elders"], "3"), (heard["workers"], "1")]
    rows = {c.label: c for c in file.consensus}
    assert (rows["Tiếp xúc cử tri"].agree, rows["Tiếp xúc cử tri"].total) == (2, 3)
    assert (rows["Khu dân cư"].agree, rows["Khu dân cư"].total) == (1, 2)
    pooled = rows["Mọi kênh (ý kiến)"]
    assert (pooled.agree, pooled.total, pooled.percent) == (3, 5, "60%")
    assert pooled.interval == "23–88%"
    assert [d.text for d in file.difficulties] == [
        "Hộ kinh doanh lo mất chỗ bán hàng trong thời gian thi công."]
    during, after = selectors.consultation_file(vanphong, policy)[1:]
    assert during.empty and after.empty


def test_a_unit_reads_its_own_counts_small_ones_hidden(an, binh, policy, heard, client):
    file = _before(an, policy)
    assert (file.items, file.meetings, file.issues, file.hidden_links) == (3, 1, 1, 1)
    assert [(a.label, a.value) for a in file.areas] == [
        ("Tổ dân phố 1", "< 3"), ("Tổ dân phố 2", "< 3")]
    assert [(g.label, g.value) for g in file.groups] == [
        (heard["elders"], "< 3"), (heard["workers"], "< 3")]
    (voters,) = file.consensus
    assert (voters.agree, voters.total, voters.hidden, voters.percent) == (2, 3, False, "67%")
    other = _before(binh, policy)
    assert (other.items, other.meetings, other.hidden_links) == (2, 0, 2)
    (residential,) = other.consensus
    assert residential.hidden and residential.share is None
    client.force_login(binh)
    page = client.get(reverse("consult_policy_detail", args=[policy.pk])).content.decode()
    assert heard["meeting"].title not in page and "Đồng tình lát lại" not in page
    assert "&lt; 3 ý kiến" in page


def test_a_survey_brings_its_own_estimate(vanphong, policy, open_survey):
    version = open_survey.versions.get()
    answers = ["dong_y", "dong_y", "dong_y", "khong_dong_y", "chua_ro"]
    for n, answer in enumerate(answers):
        Response.objects.create(survey=open_survey, form_version=version,
                                instance_id=f"uuid:{n}", source=Response.Source.WEB,
                                data={"dong_y_1": answer, "hai_long_chung": "hai_long"})
    suggested = selectors.candidates(policy, "survey")
    assert suggested[0].pk == open_survey.pk and suggested[0].suggested
    services.link_sources(user=vanphong, policy=policy, moment=Moment.BEFORE, source="survey",
                          ids=[open_survey.pk])
    file = _before(vanphong, policy)
    assert (file.surveys, file.responses, file.heard) == (1, 5, 5)
    row = next(c for c in file.consensus if c.kind == "survey")
    # three agree of the four who agreed or disagreed ("chưa rõ" has no attitude)
    assert (row.agree, row.total) == (3, 4) and row.share.share == pytest.approx(0.75)
    assert row.share.low < 0.75 < row.share.high


# --- the marks --------------------------------------------------------------------------------


def test_the_requirement_is_the_databases_and_follows_an_edit(vanphong, policy):
    assert Policy.objects.filter(requires_consultation=True).get() == policy
    edited = services.update_policy(user=vanphong, policy=policy,
                                    data=_input(affects_land=False), expected_version=1)
    assert not edited.requires_consultation
    assert not Policy.objects.get(pk=policy.pk).requires_consultation
    assert list(selectors.filter_policies(vanphong, required="khong")) == [policy]
    assert AuditEntry.objects.filter(object_type="consultations.policy").latest(
        "pk").data["requires_consultation"] is False
    services.update_policy(user=vanphong, policy=edited, data=_input(costs_money=True,
                                                                     affects_land=False),
                           expected_version=2)
    assert list(selectors.filter_policies(vanphong, required="co")) == [policy]


def test_every_list_of_the_marks_reads_the_rules_labels():
    form = PolicyForm()
    for key, reason in CRITERIA:
        assert form.fields[key].label == reason[0].upper() + reason[1:]
        assert Policy._meta.get_field(key).verbose_name == reason
    assert [f.name for f in form.criteria_fields()] == [key for key, _ in CRITERIA]


# --- candidates ------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["doi thoai", "đối thoại", "ĐỐI THOẠI nhân"])
def test_meetings_and_drafts_are_found_with_or_without_diacritics(policy, cell_a, q):
    meeting = Meeting.objects.create(kind=Meeting.Kind.DIALOGUE, title="Đối thoại với nhân dân",
                                     held_on=D, place="Hội trường", unit=cell_a)
    Meeting.objects.create(kind=Meeting.Kind.VOTER_MEETING, title="Tiếp xúc cử tri",
                           held_on=D, place="Nhà văn hóa", unit=cell_a)
    assert [c.pk for c in selectors.candidates(policy, "meeting", q)] == [meeting.pk]
    draft = Draft.objects.create(title="Dự thảo quy chế đối thoại với nhân dân",
                                 issuing_body="UBND phường", opens_on=D, closes_on=D,
                                 file_name="quy-che.docx")
    Draft.objects.create(title="Dự thảo quy chế dân chủ", issuing_body="UBND phường",
                         opens_on=D, closes_on=D, file_name="dan-chu.docx")
    assert [c.pk for c in selectors.candidates(policy, "draft", q)] == [draft.pk]
    assert len(selectors.candidates(policy, "meeting")) == 2  # no search: every meeting


# --- pages -----------------------------------------------------------------------------------


def test_the_list_searches_without_diacritics_and_pages(client, vanphong, an):
    for n in range(27):
        services.create_policy(user=vanphong, data=_input(title=f"Đề án số {n:02d}",
                                                          kind=Policy.Kind.SCHEME))
    services.create_policy(user=vanphong, data=_input())
    client.force_login(an)
    url = reverse("consult_policy_list")
    found = client.get(url, {"q": "via he"}).content.decode()
    assert SIDEWALK in found and "Đề án số 01" not in found
    assert "Trang 1 / 2" in client.get(url).content.decode()
    by_name = client.get(url, {"sort": "ten", "kind": "de_an"}).content.decode()
    assert by_name.index("Đề án số 00") < by_name.index("Đề án số 01")
    empty = client.get(url, {"q": "khong co gi"}).content.decode()
    assert "Không có mục nào khớp bộ lọc" in empty
    assert client.get(reverse("consult_policy_create")).status_code == 404


def test_the_office_creates_and_links_from_the_pages(client, vanphong, cell_a):
    client.force_login(vanphong)
    response = client.post(reverse("consult_policy_create"), {
        "title": "Cuộc vận động xây dựng nếp sống văn minh", "kind": "cuoc_van_dong",
        "level": "phuong", "owner_unit": cell_a.pk, "affects_way_of_life": "on"})
    policy = Policy.objects.get()
    assert response.status_code == 302 and policy.owner == cell_a.name
    assert policy.requires_consultation
    bad = client.post(reverse("consult_policy_create"), {"title": "X", "kind": "de_an",
                                                          "level": "phuong"})
    assert bad.status_code == 400 and "Hãy chọn cơ quan chủ trì" in bad.content.decode()
    meeting = Meeting.objects.create(kind=Meeting.Kind.DIALOGUE, title="Đối thoại nếp sống",
                                     held_on=D, place="Hội trường", unit=cell_a)
    client.post(reverse("consult_policy_link", args=[policy.pk]),
                {"moment": "truoc", "source": "meeting", "ids": [meeting.pk]})
    assert policy.links.get().meeting == meeting
    page = client.get(reverse("consult_policy_detail", args=[policy.pk])).content.decode()
    assert "Đối thoại nếp sống" in page and "Đã có ý kiến trước khi ban hành" in page
