"""The demo ward: its shape, its 18 months of reports and opinions, its logins, and that it loads
the same way. The opinion history the picture needs (seasons, the rising topic, the silent areas,
the latent worry) is tested in ``test_demo_history``, on the same world.

The ward is loaded once for the module inside a transaction that is rolled back at the end, so the
other test modules still start from an empty database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from core.errors import ServiceError
from core.models import AuditEntry, Topic
from core.text import fold
from intake.models import Meeting, OpinionItem, ResidentContact
from issues.models import Answer, BurstAlert, Issue, IssueEvent
from issues.selectors import overdue_issues
from longdan import demo
from orgs.models import Area, Collaborator, OrgUnit, User
from orgs.selectors import units_without_responsible
from reporting.models import OpinionStream, ReportTemplate, ReportVersion, UnitReport
from reporting.periods import parse_period
from reporting.selectors import compliance_for
from surveys.models import PopulationMargin, Question, Response, Survey

TODAY = dt.date(2026, 1, 10)  # the window is July 2024 – December 2025 (18 months)
WINDOW = [f"{year}-{month:02d}" for year, month in
          [(2024, m) for m in range(7, 13)] + [(2025, m) for m in range(1, 13)]]


# Measured on this 2-core machine (SQLite file, `longdan demo`, 18 months): about 30 s of CPU
# for the whole ward, of which about two thirds for the ~1,800 opinion items, issues, answers
# and alerts (66 s of wall time while other test suites ran beside it). PostgreSQL over TCP pays
# a round trip per query. The bounds leave room for a busy CI machine. The monitoring desk (issue
# 9: ~300 mentions fetched, imported and linked through the services) adds 7–13 s of CPU
# (docs/PERFORMANCE.md, "The demo's monitoring desk").
LOAD_SECONDS = {"sqlite": 180, "postgresql": 900}
PHONE_OR_ID = re.compile(r"(?<!\d)(?:\+?84|0)\d{2,3}[ .-]?\d{3}[ .-]?\d{3,4}(?!\d)|\d{9,12}")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            summary = demo.load_demo(today=TODAY)
            yield summary
            transaction.set_rollback(True)


@pytest.fixture
def office(world, db) -> User:
    return User.objects.get(username="vanphong")


def fingerprint() -> list:
    """What a person sees, independent of database ids."""
    units = sorted(OrgUnit.objects.values_list("code", "name", "kind", "opened_on", "closed_on"))
    people = sorted(User.objects.values_list("username", "full_name", "role", "unit__code"))
    areas = sorted(Area.objects.values_list("name", "population", "households", "unit__code"))
    reports = sorted(
        UnitReport.objects.values_list(
            "unit__code", "period__code", "state", "first_submitted_at", "submitted_at", "sections"
        ),
        key=lambda row: (row[0], row[1]),
    )
    streams = sorted(
        OpinionStream.objects.values_list(
            "report__unit__code", "report__period__code", "position", "summary", "attitude",
            "reach", "channel", "latent", "topic__name", "area__name",
        )
    )
    collaborators = sorted(Collaborator.objects.values_list("full_name", "unit__code", "phone"))
    items = sorted(
        OpinionItem.objects.values_list(
            "received_on", "channel", "text", "area__name", "unit__code", "attitude",
            "labels_confirmed", "source_link", "issue__code", "meeting__title",
        ),
        key=repr,
    )
    issues = sorted(Issue.objects.values_list(
        "code", "title", "status", "owner_unit__code", "due_on", "merged_into__code",
        "first_seen_on", "last_seen_on",
    ))
    alerts = sorted(BurstAlert.objects.values_list("issue__code", "topic__name", "reason"),
                    key=repr)
    return [units, people, areas, reports, streams, collaborators, items, issues, alerts]


def test_the_ward_has_55_grassroots_organisations_and_the_agencies(world, db):
    grassroots = OrgUnit.objects.filter(kind__in=demo.GRASSROOTS_KINDS)
    open_now = grassroots.filter(closed_on__isnull=True, opened_on__lte=TODAY)
    assert open_now.count() == 55 == world.grassroots_open
    assert OrgUnit.objects.get(kind=OrgUnit.Kind.WARD_COMMITTEE).name == "Đảng ủy phường Hòa Bình"
    assert OrgUnit.objects.get(kind=OrgUnit.Kind.OFFICE).name == "Ban Xây dựng Đảng"
    for kind in (OrgUnit.Kind.COUNCIL, OrgUnit.Kind.PEOPLES_COMMITTEE, OrgUnit.Kind.FRONT):
        assert OrgUnit.objects.filter(kind=kind).count() == 1
    front = OrgUnit.objects.get(kind=OrgUnit.Kind.FRONT)
    assert OrgUnit.objects.filter(kind=OrgUnit.Kind.MASS_ORG, parent=front).count() == 4
    assert grassroots.filter(kind=OrgUnit.Kind.PARTY_COMMITTEE).count() == 3
    names = " ".join(grassroots.values_list("name", flat=True))
    for place in ("Hòa Bình", "An Lư", "Thủy Hà", "Trường", "Trạm Y tế", "Công an", "Quân sự"):
        assert place in names


def test_one_cell_merged_and_one_opened_during_the_window(world, db):
    window_start, window_end = dt.date(2024, 7, 1), dt.date(2025, 12, 31)
    merged = OrgUnit.objects.get(closed_on__isnull=False)
    assert window_start < merged.closed_on < window_end
    assert not merged.areas.exists()  # its residential groups went to the cell it merged into
    opened = OrgUnit.objects.get(opened_on__gt=window_start)
    assert opened.opened_on < window_end
    reports = UnitReport.objects.filter(unit=opened).values_list("period__code", flat=True)
    assert set(reports) <= {"2025-11", "2025-12", "2026-01"}


def test_residential_groups_hold_the_wards_population(world, db):
    areas = Area.objects.all()
    assert 60 <= areas.count() <= 70
    assert abs(sum(a.population for a in areas) - 47_168) <= 50
    assert all(a.unit_id and a.households and a.former_ward for a in areas)
    assert {a.former_ward for a in areas} == {"Hòa Bình cũ", "An Lư", "Thủy Hà"}
    assert Area.objects.filter(name_folded__contains="an lu").exists()


def test_every_month_of_the_window_has_reports_with_every_status(world, office):
    template = ReportTemplate.objects.get(period_kind="month")
    seen = set()
    for code in WINDOW:
        view = compliance_for(office, template=template, period=parse_period(code), today=TODAY)
        tally = view.period.total
        assert tally.expected in (54, 55)  # 54 between the merger and the new cell's opening
        assert tally.submitted / tally.expected > 0.8
        seen |= {status for status, count in tally.as_dict().items()
                 if isinstance(count, int) and count and status != "expected"}
    assert {"on_time", "late", "missing", "returned"} <= seen
    december = compliance_for(office, template=template, period=parse_period("2025-12"),
                              today=TODAY)
    assert december.period.total.late + december.period.total.missing > 0


def test_roughly_realistic_rates(world, db):
    outcomes = world.outcomes
    total = sum(count for outcome, count in outcomes.items())
    late = outcomes.get("late", 0) + outcomes.get("late+resubmitted", 0)
    missing = outcomes.get("none", 0) + outcomes.get("draft", 0)
    assert 0.04 <= late / total <= 0.2
    assert 0.02 <= missing / total <= 0.12
    assert outcomes.get("on_time+resubmitted", 0) + outcomes.get("late+resubmitted", 0) > 0


def test_reports_went_through_the_services_with_realistic_times(world, db):
    tz = timezone.get_default_timezone()
    submitted = UnitReport.objects.filter(state=UnitReport.State.SUBMITTED)
    assert submitted.count() > 250
    for report in submitted.select_related("period"):
        local = timezone.localtime(report.first_submitted_at, tz)
        assert report.period.start <= local.date() <= report.period.end + dt.timedelta(days=20)
        assert report.submitted_at >= report.first_submitted_at
        assert report.created_at <= report.first_submitted_at
        assert set(report.sections) == {"tu_tuong", "du_luan_noi_bat", "du_luan_tiem_an",
                                        "kien_nghi"}
        assert all(report.sections.values())
    actions = set(ReportVersion.objects.values_list("action", flat=True))
    assert {"create", "submit", "return"} <= actions
    audit = AuditEntry.objects.filter(object_type="reporting.unitreport")
    assert audit.filter(action="submit").count() >= submitted.count()
    assert not audit.filter(at__gt=timezone.now() - dt.timedelta(hours=1)).exists()
    returned = UnitReport.objects.exclude(return_reason="")
    assert returned.exists() and all(r.returned_at > r.first_submitted_at for r in returned)


def test_opinion_streams_are_varied_and_realistic(world, db):
    streams = OpinionStream.objects.all()
    assert streams.count() > 3 * 300 * 0.8
    assert streams.filter(latent=True).exists()
    assert len(set(streams.values_list("topic__name", flat=True))) >= 10
    assert len(set(streams.values_list("attitude", flat=True))) == 4
    assert len(set(streams.values_list("channel", flat=True))) >= 6
    text = " ".join(streams.values_list("summary", flat=True)[:2000])
    for phrase in ("rác thải", "mưa lớn", "ven sông", "sáp nhập", "giá điện", "bảo hiểm y tế",
                   "lừa", "khu công nghiệp"):
        assert phrase in text


def test_some_units_have_no_responsible_person(world, office):
    missing = units_without_responsible(office)
    assert 2 <= missing.count() <= 3
    assert all(u.kind in demo.GRASSROOTS_KINDS for u in missing)
    for unit in OrgUnit.objects.filter(kind__in=demo.GRASSROOTS_KINDS).exclude(
        pk__in=missing.values("pk")
    ).exclude(closed_on__isnull=False):
        assert unit.responsible_person.role == User.Role.REPORTER
        assert unit.responsible_person.unit_id == unit.pk


def test_every_demo_login_works(world, db):
    usernames = [login.username for login in world.logins]
    assert usernames[:2] == ["vanphong", "lanhdao"]
    assert len(usernames) == len(set(usernames)) >= 50
    for username in usernames:
        assert authenticate(username=username, password="longdan-demo") is not None, username
    assert User.objects.get(username="vanphong").role == User.Role.OFFICE
    assert User.objects.get(username="lanhdao").role == User.Role.LEADER
    assert authenticate(username="vanphong", password="sai-mat-khau") is None


def test_collaborators_cover_areas_and_topics(world, db):
    collaborators = Collaborator.objects.all()
    assert 35 <= collaborators.count() <= 45
    assert all(c.phone and c.topics.exists() for c in collaborators)
    assert sum(1 for c in collaborators if c.areas.exists()) >= 35
    assert collaborators.exclude(status=Collaborator.Status.ACTIVE).exists()


def test_loading_again_is_refused_without_reset(world, db):
    with pytest.raises(ServiceError, match="đã có đơn vị"):
        demo.load_demo(today=TODAY)


def test_reset_reloads_the_same_ward(world, db):
    before = fingerprint()
    summary = demo.load_demo(today=TODAY, reset=True)
    assert fingerprint() == before
    assert summary.outcomes == world.outcomes


def test_the_demos_audit_log_is_one_unbroken_hash_chain(world, db):
    """The demo backdates its history, then reseals the chain (core.auditchain)."""
    from core import auditchain

    report = auditchain.verify()
    assert report.broken is None and report.rows > 1000



# --- opinion intake, issues, answers, alerts (issue 3) -------------------------------------------


def test_the_demo_loads_within_the_stated_time(world, db):
    assert world.seconds < LOAD_SECONDS[connection.vendor], f"{world.seconds:.1f} s"


def test_opinion_items_of_the_window_from_every_channel(world, db):
    items = OpinionItem.objects.all()
    assert 1_200 <= items.count() <= 2_800 and world.items == items.count()
    days = set(items.values_list("received_on", flat=True))
    assert min(days) >= dt.date(2024, 7, 1) and max(days) <= TODAY
    assert world.opinion_line().startswith(f"Ý kiến từ 01/07/2024: {items.count():,}"
                                           .replace(",", "."))
    channels = set(items.values_list("channel", flat=True))
    assert {"cong_tac_vien", "khu_dan_cu", "tiep_xuc_cu_tri", "doi_thoai", "gop_y_truc_tuyen",
            "bao_chi", "mang_xa_hoi", "mttq"} <= channels
    assert Meeting.objects.filter(kind="tiep_xuc_cu_tri").count() >= 2
    # the residents' dialogue of the opinions (the leader's dialogues are the petitions' calendar)
    dialogue = Meeting.objects.get(kind="doi_thoai", petition_link__isnull=True)
    assert dialogue.points.count() >= 5 and "ven sông" in dialogue.title
    press = items.filter(channel__in=["bao_chi", "mang_xa_hoi"])
    assert press.exists() and all(i.source_link.startswith("https://") for i in press)
    assert items.filter(created_by__role=User.Role.COLLABORATOR, channel="cong_tac_vien").exists()
    assert items.filter(labels_confirmed=True).count() > 0.6 * items.count()
    texts = list(items.values_list("text", flat=True))
    joined = " ".join(texts)
    for phrase in ("rác thải", "ngập úng", "ven sông", "sáp nhập", "tiền điện", "học phí",
                   "bảo hiểm y tế", "trộm cắp", "lừa", "khu công nghiệp"):
        assert phrase in joined, phrase
    without_marks = [t for t in texts if t == fold(t) or fold(t) == t.lower()]
    assert len(without_marks) > 30  # typed without a Vietnamese keyboard
    assert any(re.search(r"\b(ko|dc)\b", t) for t in texts)  # teen-code


def test_residents_forms_keep_contact_details_apart(world, db):
    public = OpinionItem.objects.filter(channel="gop_y_truc_tuyen", tracking_code__isnull=False)
    assert public.count() >= 20
    asked = public.filter(wants_reply=True)
    assert asked.exists() and public.filter(wants_reply=False).exists()
    contacts = ResidentContact.objects.filter(item__in=asked)
    assert contacts.count() == asked.count()
    assert all(c.phone and c.email.endswith("@example.com") for c in contacts)
    texts = " ".join(OpinionItem.objects.values_list("text", flat=True))
    assert not any(c.phone in texts.replace(" ", "").replace(".", "") for c in contacts)


def test_no_raw_phone_or_id_number_in_any_item(world, db):
    masked = OpinionItem.objects.exclude(masked_kinds=[])
    assert masked.count() >= 10
    kinds = {kind for row in masked.values_list("masked_kinds", flat=True) for kind in row}
    assert {"phone", "cccd"} <= kinds
    for text, folded in OpinionItem.objects.values_list("text", "text_folded"):
        assert not PHONE_OR_ID.search(text), text
        assert not PHONE_OR_ID.search(folded), folded
    assert OpinionItem.objects.filter(text__contains="⟨SĐT⟩").exists()
    assert OpinionItem.objects.filter(text__contains="⟨CCCD⟩").exists()


def test_items_are_grouped_into_issues_followed_up_by_owners(world, office):
    live = Issue.objects.filter(merged_into__isnull=True)
    assert live.count() == world.issues
    assert not OpinionItem.objects.filter(issue__isnull=True).exists()
    big = [i for i in live if i.items.count() > 1]
    assert len(big) >= 10
    assert max(i.items.count() for i in big) >= 15
    statuses = set(live.values_list("status", flat=True))
    assert {"moi_phat_hien", "dang_theo_doi", "da_giao_xu_ly", "da_giai_quyet",
            "da_tra_loi_dan", "dong"} <= statuses
    owned = live.exclude(owner_unit=None)
    owners = set(owned.values_list("owner_unit__code", flat=True))
    assert {"ubnd-phuong", "cong-an-phuong"} <= owners
    assert all(i.due_on for i in owned)
    overdue = overdue_issues(office, today=TODAY)
    assert overdue.exists() and all(i.due_on < TODAY for i in overdue)
    assert live.filter(status="da_giao_xu_ly", due_on__gt=TODAY).exists()  # not yet due
    assert Issue.objects.filter(merged_into__isnull=False).exists()  # the office merged some
    events = IssueEvent.objects.all()
    assert {"created", "item", "assigned", "due", "status", "answer", "merged"} <= set(
        events.values_list("kind", flat=True))
    latest = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(23, 59)))
    assert all(e.at <= latest for e in events)  # history told in the demo's own time


def test_a_surge_in_the_last_three_days_raises_an_alert(world, db):
    alerts = BurstAlert.objects.filter(detected_on=TODAY)
    assert alerts.count() == world.alerts >= 1
    on_issue = alerts.exclude(issue=None).first()
    # The title names the matter (issue 18: built from its words, not copied from a sentence).
    assert on_issue is not None and "giả danh cán bộ" in on_issue.issue.title
    assert re.fullmatch(r"\d+ ý kiến trong 3 ngày, gấp \d+ lần mức thường", on_issue.reason)


def test_published_answers_reach_the_residents_who_asked(world, db):
    answers = Answer.objects.filter(published_at__isnull=False)
    assert answers.count() == world.answers >= 2
    for answer in answers:
        assert answer.published_at.date() < TODAY
        assert all(i.status in ("da_tra_loi_dan", "dong") for i in answer.issues.all())
    notified = ResidentContact.objects.filter(notified_at__isnull=False)
    assert notified.exists() and all(c.item.wants_reply and c.email for c in notified)


def test_latest_reports_streams_link_to_issues(world, db):
    linked = OpinionStream.objects.filter(issues__isnull=False).distinct()
    assert linked.count() >= 5
    assert {s.report.period.code for s in linked} <= {"2025-12", "2026-01"}


def test_collaborators_with_a_login_file_quick_reports(world, db):
    users = User.objects.filter(role=User.Role.COLLABORATOR)
    assert users.count() >= 5
    assert authenticate(username="ctv01", password="longdan-demo") is not None
    assert all(u.collaborator.unit_id == u.unit_id for u in users)
    assert "ctv01" in [login.username for login in world.logins]


def test_two_survey_rounds_with_a_skewed_sample_and_population_margins(world, db):
    rounds = list(Survey.objects.filter(slug__startswith="chinh-trang").order_by("slug"))
    assert [s.status for s in rounds] == [Survey.Status.CLOSED, Survey.Status.OPEN]
    assert Survey.objects.get(slug="nha-van-hoa").status == Survey.Status.DRAFT
    assert world.surveys == 3 and world.survey_responses == Response.objects.count() == 1460
    for survey in rounds:
        assert survey.versions.count() == 1
        assert survey.responses.count() == survey.sample_size
    # The same questions in both rounds share a concept key: the question bank's time series.
    keys = Question.objects.filter(name="hai_long").values_list("concept_key", flat=True)
    assert len(set(keys)) == 1 and len(keys) == 3
    # Women are over-represented in the sample compared with the ward's margins.
    women = Response.objects.filter(gender="nu").count() / Response.objects.count()
    margins = dict(PopulationMargin.objects.filter(variable="gioi_tinh")
                   .values_list("category", "population"))
    assert women > 0.55 > margins["nu"] / sum(margins.values())
    total_population = sum(Area.objects.values_list("population", flat=True))
    assert sum(margins.values()) == total_population
    # The open round has its sample plan and anonymous links (kept only as hashes).
    open_round = rounds[1]
    assert open_round.quotas.filter(dimension="khu_vuc").count() == Area.objects.count()
    assert sum(open_round.quotas.filter(dimension="gioi_tinh")
               .values_list("target", flat=True)) == open_round.sample_size
    assert open_round.tokens.count() == 40
    # Every response carries the area it names, and no respondent is identified.
    assert not Response.objects.filter(area__isnull=True).exists()
    assert all(PHONE_OR_ID.search(text or "") is None
               for text in Response.objects.values_list("data__kien_nghi", flat=True))


# --- the history the opinion picture needs (issue 8) ----------------------------------------------

WORRIED = ("ban_khoan", "buc_xuc", "phan_doi")


def weekly(items, weeks: int) -> list[int]:
    """Items per seven-day week ending on TODAY, the last ``weeks`` weeks, oldest first."""
    counts = Counter((TODAY - day).days // 7 for day in items.values_list("received_on",
                                                                           flat=True))
    return [counts.get(week, 0) for week in range(weeks - 1, -1, -1)]


def by_month(items) -> Counter:
    return Counter(f"{day:%Y-%m}" for day in items.values_list("received_on", flat=True))


def test_items_and_streams_in_every_month(world, db):
    items = by_month(OpinionItem.objects.all())
    streams = Counter(OpinionStream.objects.values_list("report__period__code", flat=True))
    for code in [*WINDOW, "2026-01"]:
        assert items[code] >= 20, code
        assert streams[code] >= 50 or code == "2026-01", code
    assert streams["2026-01"] > 0  # the current month's drafts and early reports


def test_weekly_volumes_are_those_of_a_ward(world, db):
    weeks = weekly(OpinionItem.objects.all(), 78)
    ordinary = sorted(weeks[:-3])
    assert ordinary[0] >= 3 and ordinary[-1] <= 60
    assert 10 <= ordinary[len(ordinary) // 2] <= 40


def test_seasons_flooding_school_fees_dengue_and_tet_prices(world, db):
    def months_of(words: str) -> Counter:
        return by_month(OpinionItem.objects.filter(text_folded__contains=words,
                                                   meeting__isnull=True))

    flooding = months_of("ngap ung")
    rainy = sum(n for code, n in flooding.items() if 5 <= int(code[5:]) <= 10)
    assert rainy > 4 * (sum(flooding.values()) - rainy)
    fees = months_of("hoc phi")
    assert fees.most_common(1)[0][0][5:] in ("08", "09")
    assert fees["2025-08"] > 3 * max(fees[f"2025-{m:02d}"] for m in (1, 2, 3, 4, 11, 12))
    dengue = months_of("sot xuat huyet")
    season = sum(n for code, n in dengue.items() if 7 <= int(code[5:]) <= 10)
    assert season > 0.8 * sum(dengue.values())
    prices = months_of("gia thuc pham")
    assert prices.most_common(1)[0][0] in ("2025-01", "2025-02")  # Tết: 29 January 2025


def test_one_topic_rises_in_the_last_three_weeks_mostly_aggrieved(world, db):
    story = world.story
    topic = Topic.objects.get(name=story.rising_topic)
    items = OpinionItem.objects.filter(topics=topic)
    weeks = weekly(items, 78)
    earlier, last = weeks[:-3], weeks[-3:]
    assert min(last) > max(earlier)
    ordinary = sorted(earlier)[len(earlier) // 2]
    assert last[-1] >= 3 * max(ordinary, 1)
    recent = items.filter(received_on__gt=TODAY - dt.timedelta(weeks=3))
    aggrieved = recent.filter(attitude__in=("buc_xuc", "phan_doi")).count()
    assert aggrieved > 0.6 * recent.count()
    assert story.rising_weeks == last and story.rising_week == last[-1]


def test_two_areas_are_silent_for_eight_weeks_after_a_normal_history(world, db):
    names_ = world.story.silent_areas
    areas = list(Area.objects.filter(name__in=names_))
    assert len(areas) == 2 and world.story.silent_weeks >= 8
    since = TODAY - dt.timedelta(weeks=8)
    for area in areas:
        assert not OpinionItem.objects.filter(area=area, received_on__gte=since).exists()
        assert not OpinionStream.objects.filter(area=area, report__period__end__gte=since).exists()
        before = OpinionItem.objects.filter(area=area, received_on__lt=since)
        assert before.count() >= 10, area.name
        assert len(by_month(before)) >= 6  # heard across the months, not once
    # Around them the ward is heard as usual.
    others = OpinionItem.objects.filter(received_on__gte=since).exclude(area__in=areas)
    assert others.values("area").distinct().count() >= 40


def test_a_latent_worry_grows_with_no_issue_followed(world, db):
    story = world.story
    topic = Topic.objects.get(name=story.latent_topic)
    worried = OpinionItem.objects.filter(topics=topic, attitude__in=WORRIED)
    weeks = weekly(worried, 78)
    assert sum(weeks[:-4]) == 0  # not heard before
    last = weeks[-4:]
    assert all(a < b for a, b in zip(last, last[1:], strict=False)) and last == story.latent_weeks
    issues = Issue.objects.filter(items__in=worried).distinct()
    assert issues.exists()
    assert all(i.status == Issue.Status.DETECTED and i.owner_unit_id is None
               for i in issues)  # grouped by the engine, but nobody has taken it up
    assert worried.filter(latent=True).exists()
    streams = OpinionStream.objects.filter(topic=topic, latent=True,
                                           report__period__code__in=["2025-12", "2026-01"])
    assert streams.count() == story.latent_streams >= 1


def test_the_leader_is_told_where_to_look_first(world, db):
    line = world.leader_line()
    assert line.startswith("Lãnh đạo: đăng nhập lanhdao / longdan-demo, mở /buc-tranh/")
    story = world.story
    assert f"chủ đề đang nóng lên: {story.rising_topic}" in line
    assert f"2 tổ dân phố im lặng: {', '.join(story.silent_areas)}" in line
    assert f"dư luận tiềm ẩn: {story.latent_topic}" in line
    # Read back from the database, not written in: the CLI's second run tells the same story.
    assert demo.current_story().leader_line() == line


def test_old_quiet_issues_were_closed_by_the_office(world, db):
    old = Issue.objects.filter(merged_into__isnull=True,
                               last_seen_on__lt=TODAY - dt.timedelta(days=60))
    assert old.exists()
    assert not old.filter(status=Issue.Status.DETECTED).exists()


# --- the monitoring desk (issue 9) ----------------------------------------------------------------


def test_the_desk_shows_the_wards_press_to_the_office_and_the_picture_panel(world, office):
    from django.db.models.functions import Coalesce
    from django.test import Client
    from django.urls import reverse

    from monitoring.models import Mention

    ward = Mention.objects.filter(relevance=Mention.Relevance.WARD)
    assert 150 <= Mention.objects.count() <= 600 and ward.count() >= 60
    client = Client()
    client.force_login(office)
    page = client.get(reverse("monitoring_list")).content.decode()
    # The newest as the page sorts (published, else fetched; PostgreSQL puts a missing date first
    # in a plain descending order, SQLite last).
    newest = ward.order_by(Coalesce("published_at", "fetched_at").desc(), "-pk").first()
    assert "Chưa có tin nào" not in page and newest.title in page
    # The picture's press panel of the demo's current month is not empty; the spreading story
    # (three sites in its last day) is the widest.
    picture = client.get(reverse("picture:picture"), {"period": "2026-01"}).content.decode()
    assert 'id="h-press"' in picture and "Không có tin, bài nào về phường" not in picture
    assert "Cây xà cừ cổ thụ bật gốc" in picture


def test_the_desks_sources_have_their_health(world, db):
    from monitoring.models import Source

    sources = {s.name: s for s in Source.objects.all()}
    kinds = {s.kind for s in sources.values()}
    assert {"rss", "atom", "page", "export", "sitemap"} <= kinds
    moved = sources["Đời sống Đô thị (mẫu)"]
    assert moved.failures >= 3 and "lỗi 404" in moved.last_error and moved.retry_at
    assert moved.last_success_at < moved.last_error_at
    healthy = sources["Báo Hải Phòng điện tử (mẫu)"]
    assert healthy.failures == 0 and not healthy.last_error and healthy.mentions.count() >= 20
    portal = sources["Cổng thông tin phường Hòa Bình (mẫu)"]
    assert portal.etag and portal.mentions.count() == 1  # later fetches were 304s
    assert not sources["Kinh tế Cảng biển (mẫu, sơ đồ trang)"].active
    group = sources["Nhóm Facebook “Cư dân phường Hòa Bình” (tệp xuất)"]
    assert group.column_map and group.mentions.exclude(author_hash="").count() >= 50
    # Every stamp lies in the demo's past, none at the real time of loading.
    now = timezone.now()
    assert all(s.last_success_at < now - dt.timedelta(minutes=1)
               for s in sources.values() if s.last_success_at)


def test_a_story_spread_on_three_sites_in_a_day_raised_an_alert(world, db):
    from monitoring.models import Story

    story = Story.objects.filter(first_mention__title__startswith="Cây xà cừ").get()
    assert story.site_count >= 3 and story.issue is not None
    assert set(story.mentions.values_list("issue", flat=True)) == {story.issue_id}
    alert = BurstAlert.objects.get(issue=story.issue, detected_on=TODAY)
    assert "lan trên" in alert.reason and "trong 24 giờ" in alert.reason


def test_mentions_are_tied_to_issues_and_other_hoa_binhs_are_not_the_ward(world, db):
    from monitoring.models import Mention

    assert Mention.objects.filter(issue__isnull=False).count() >= 10
    assert Mention.objects.filter(relevance=Mention.Relevance.CITY).exists()
    elsewhere = Mention.objects.filter(
        Q(title__startswith="Thủy điện Hòa Bình") | Q(title__startswith="Tỉnh Hòa Bình")
        | Q(title__startswith="Xã Hòa Bình") | Q(title__contains="thế giới hòa bình")
        | Q(title__startswith="Nhà máy thủy điện Hòa Bình")
    )
    assert elsewhere.count() >= 5
    assert set(elsewhere.values_list("relevance", flat=True)) == {Mention.Relevance.NONE}


def test_a_rumour_marked_false_with_its_correction_and_the_watch_list_hit(world, db):
    from monitoring.models import Misinformation, WatchHit
    from monitoring.page_selectors import misinformation_volume

    finding = Misinformation.objects.get()
    assert finding.verdict == "false" and finding.correction_url and finding.corrected_on
    volume = misinformation_volume(finding)
    assert volume.before.mentions >= 3 and volume.after.mentions >= 1
    assert WatchHit.objects.filter(term__phrase="ngập úng").exists()
    assert WatchHit.objects.filter(term__phrase="cây xanh").exists()


def test_no_author_name_of_the_group_export_is_stored(world, db):
    from monitoring.models import Mention

    hashes = set(Mention.objects.exclude(author_hash="").values_list("author_hash", flat=True))
    assert len(hashes) >= 10 and all(len(h) == 64 for h in hashes)
    texts = " ".join(Mention.objects.values_list("text", flat=True))
    assert "0912 345 678" not in texts and "0912345678" not in texts  # masked on import


def test_a_round_of_voter_contact_before_the_year_end_session(world, office):
    """Issue 12: the round before the 2025 year-end session, its five meetings and thirty points
    in every state, and the leader's receptions and dialogues for the calendar."""
    from petitions import selectors as petitions
    from petitions.models import MeetingLink, Point, Round

    round_ = Round.objects.get()
    assert round_.session_on == dt.date(2025, 12, 18) and round_.timing == "truoc"
    stats = petitions.round_stats(office, round_, TODAY)
    total = stats.total
    points = Point.objects.filter(item__meeting__petition_link__round=round_)
    at_meeting = points.filter(disposition="tai_hoi_nghi").count()
    replied = points.filter(replied_on__isnull=False).count()
    late = points.filter(disposition="chuyen_co_quan", replied_on__isnull=True,
                         due_on__lt=TODAY).count()
    issues = points.filter(disposition="van_de")
    # the issues the engine grouped the points into, each in the state it is in today
    issues_done = issues.filter(issue__status__in=["da_giai_quyet", "da_tra_loi_dan", "dong"])
    issues_late = issues.exclude(issue__status__in=["da_giai_quyet", "da_tra_loi_dan", "dong"]
                                 ).filter(issue__due_on__lt=TODAY)
    assert (at_meeting, replied, late, issues.count()) == (8, 5, 4, 3)
    assert (total.total, total.unmarked) == (30, 5)
    assert total.answered == at_meeting + replied + issues_done.count()
    assert total.overdue == late + issues_late.count()
    assert len(stats.meetings) == 5 and len(stats.groups) == 3
    assert all(row.tally.total for row in stats.meetings)
    assert not OpinionItem.objects.filter(meeting__petition_link__isnull=False,
                                          issue__isnull=True).exists()
    receptions = MeetingLink.objects.filter(leader__username="lanhdao")
    assert receptions.count() == 6  # December's four, and January's two before the 10th
    january = petitions.calendar_meetings(office, year=2026, month=1)
    assert [m.held_on.day for m in january] == [1, 3]
    assert sum(len(m.points_shown) for m in january) == 5
