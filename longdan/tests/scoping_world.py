"""The world the scoping net reads: the demo ward, one month of it, and what each capability adds
so that every route has an object of a unit inside each reader's scope and one outside it."""

from __future__ import annotations

import datetime as dt

from consultations.models import (
    Draft,
)
from evaluation.models import Incident
from intake.models import Meeting, OpinionItem
from issues.models import Issue
from longdan import demo
from monitoring.models import Mention, Source, Story
from orgs.models import OrgUnit, User
from surveys.models import Survey

TODAY = dt.date(2026, 1, 10)


def readers() -> list[User]:
    """A chi bộ, a đảng bộ with units below it, an agency's reporter, a collaborator."""
    reporters = User.objects.filter(role=User.Role.REPORTER, is_active=True).select_related("unit")
    with_children = [u for u in reporters if u.unit.children.exists()]
    cells = [u for u in reporters if u.unit.kind == OrgUnit.Kind.PARTY_CELL]
    others = [u for u in reporters if u.unit.kind not in (OrgUnit.Kind.PARTY_CELL,)
              and not u.unit.children.exists()]
    collaborators = list(User.objects.filter(role=User.Role.COLLABORATOR, is_active=True))
    chosen = [*cells[:1], *with_children[:1], *others[:1], *collaborators[:1]]
    assert len(chosen) >= 3, "the demo ward should have readers of several shapes"
    return chosen


def build_world() -> None:
    """Load the demo ward (with directions, shapes and briefs) and add what the demo lacks."""
    demo.load_demo(today=TODAY, months=1)
    _direction_for_every_reader()
    _consolidated_reports()
    _monitoring_desk()
    _draft_commented_by_every_unit()
    _policy_heard_by_every_unit()
    _incident_for_every_reader()
    _flash_request_for_every_reader()
    _petitions_of_every_reader()
    _plan_records_for_every_reader()


def _flash_request_for_every_reader() -> None:
    """A flash request to every reader's unit and to two units outside all their scopes, each
    answered (so a report's words are on the page), and one to outside units only."""
    from flash import services as flash

    units = {user.unit_id for user in readers()}
    others = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.PARTY_CELL, closed_on__isnull=True,
                                         children__isnull=True).exclude(pk__in=units)
                  .order_by("-pk").values_list("pk", flat=True)[:2])
    office = User.objects.filter(role=User.Role.OFFICE).order_by("pk").first()
    both = flash.create_request(user=office, title="Tụ tập đông người ở chợ", event="Tụ tập.",
                                deadline=dt.datetime.now(dt.UTC) + dt.timedelta(hours=6),
                                unit_ids=[*units, *others])
    flash.create_request(user=office, title="Sự cố ngoài phạm vi", event="Sự cố.",
                         deadline=dt.datetime.now(dt.UTC) + dt.timedelta(hours=6),
                         unit_ids=others)
    for unit in OrgUnit.objects.filter(pk__in=[*units, *others]):
        flash.save_flash_report(user=office, request=both, unit=unit,
                                sections={"dien_bien": f"Diễn biến ghi tại {unit.name}.",
                                          "du_luan": f"Dư luận riêng của {unit.name}.",
                                          "kien_nghi": "Đề nghị đối thoại."},
                                expected_version=None, submit=True)


def _plan_records_for_every_reader() -> None:
    """A session (with words of its own), an inspection and a task's evidence file of every
    reader's unit and of two units outside all their scopes (the demo's plan gives the rest)."""
    from plans import services as plans
    from plans.models import Plan, PlanTask
    from plans.tests.conftest import PDF

    office = User.objects.get(username=demo.OFFICE_USERNAME)
    plan = Plan.objects.get(number="18-KH/ĐU")
    units = {user.unit_id for user in readers()}
    others = OrgUnit.objects.filter(kind=OrgUnit.Kind.PARTY_CELL, closed_on__isnull=True,
                                    children__isnull=True).exclude(pk__in=units)
    chosen = OrgUnit.objects.filter(
        pk__in=[*units, *others.order_by("-pk").values_list("pk", flat=True)[:2]])
    inspector = OrgUnit.objects.get(kind=OrgUnit.Kind.OFFICE)
    for unit in chosen:
        tag = "".join("abcdeghikl"[int(digit)] for digit in str(unit.pk))
        plans.record_session(actor=office, plan=plan, unit=unit, held_on=TODAY, attendance=9,
                             content=f"Buổi {tag} quán triệt riêng về dư luận ở địa bàn.")
        plans.record_inspection(actor=office, kind="giam_sat", inspecting_unit=inspector,
                                inspected_unit=unit, held_on=TODAY, plan=plan,
                                findings=f"Giám sát {tag} thấy báo cáo tháng còn chậm.",
                                recommendations=f"Khắc phục {tag} trong tháng sau.")
        task = PlanTask.objects.filter(plan=plan, owner_kind=unit.kind).first() \
            or PlanTask.objects.filter(plan=plan, owner_unit=unit).first()
        if task is not None:
            plans.report_progress(actor=office, task=task, unit=unit, status="dang",
                                  evidence_note=f"Minh chứng {tag} của đơn vị.",
                                  upload=plans.Upload("minh-chung.pdf", PDF),
                                  expected_version=_version(task, unit))


def _version(task, unit) -> int:
    from plans.models import TaskProgress

    row = TaskProgress.objects.filter(task=task, unit=unit).first()
    return row.version if row else 0


def _incident_for_every_reader() -> None:
    """An incident of every reader's unit and of two units outside all their scopes, each
    naming its unit, so an incident shown outside its unit is caught by the unit's name."""
    units = {user.unit_id for user in readers()}
    others = OrgUnit.objects.filter(kind=OrgUnit.Kind.PARTY_CELL, closed_on__isnull=True,
                                    children__isnull=True).exclude(pk__in=units)
    for unit in OrgUnit.objects.filter(
            pk__in=[*units, *others.order_by("-pk").values_list("pk", flat=True)[:2]]):
        Incident.objects.create(unit=unit, kind=Incident.Kind.PASSIVITY,
                                occurred_on=TODAY - dt.timedelta(days=5),
                                description=f"Bị động trước dư luận ở {unit.name}.",
                                outcome=Incident.Outcome.CRITICISM, review="Phê bình.",
                                decided_on=TODAY)


def _direction_for_every_reader() -> None:
    """One direction addressed to every reader's unit and to units outside all their scopes."""
    from core.dates import local_today
    from picture.services import create_direction

    units = {user.unit_id for user in readers()}
    others = OrgUnit.objects.filter(kind=OrgUnit.Kind.PARTY_CELL, closed_on__isnull=True,
                                    children__isnull=True).exclude(pk__in=units)
    leader = User.objects.get(username=demo.LEADER_USERNAME)
    create_direction(author=leader, text="Nắm tình hình dư luận, báo cáo kết quả.",
                     due_on=local_today() + dt.timedelta(days=30),
                     unit_ids=[*units, *others.order_by("-pk").values_list("pk", flat=True)[:2]])


def _consolidated_reports() -> None:
    """The ward's consolidated report of last month, and each unit's that has units below it."""
    from reporting.periods import parse_period
    from reporting.services import generate_consolidated

    month = parse_period(f"{TODAY.year - 1}-12")
    generate_consolidated(user=None, period=month)
    for unit in OrgUnit.objects.filter(children__isnull=False).exclude(parent=None).distinct():
        generate_consolidated(user=None, period=month, unit=unit)


def _monitoring_desk() -> None:
    """A source, a story of two mentions (one tied to an issue) and the office's finding: the
    desk is the whole ward's and the office's, so a unit's reader must find none of it."""
    from monitoring import misinformation

    source = Source.objects.create(name="Báo Hòa Bình", url="https://baohoabinh.example/rss",
                                   kind=Source.Kind.RSS)
    story = Story.objects.create(first_seen_at=dt.datetime(2026, 1, 8, tzinfo=dt.UTC))
    for n in (1, 2):
        Mention.objects.create(
            url=f"https://baohoabinh.example/cho-{n}", site="baohoabinh.example", source=source,
            title=f"Tin đồn di dời chợ Hòa Bình ({n})", text="Tin đồn di dời chợ Hòa Bình.",
            story=story, issue=Issue.objects.order_by("pk").first() if n == 1 else None)
    office = User.objects.get(username=demo.OFFICE_USERNAME)
    misinformation.mark(actor=office, story_id=story.pk, verdict="false",
                        note="Phường không có kế hoạch di dời chợ.")


COMMENT_MATTERS = (
    "bổ sung giờ thu gom rác thải sinh hoạt", "giảm mức phí sử dụng vỉa hè", "làm rõ trách"
    " nhiệm của tổ trưởng tổ dân phố", "quy định lại thời gian trông giữ xe", "bỏ quy định"
    " xử phạt người bán hàng rong", "thêm chỗ đỗ xe cho người khuyết tật",
)


def _draft_commented_by_every_unit() -> None:
    """A draft open for comment, commented on one clause by every reporter's unit, each in
    words of its own (the net looks for them on other units' pages)."""
    from consultations import services
    from consultations.tests.drafts import docx_bytes, with_chapters
    from core.dates import local_today

    office = User.objects.get(username=demo.OFFICE_USERNAME)
    today = local_today()
    draft = services.upload_draft(
        user=office, title="Quy chế quản lý trật tự đô thị", issuing_body="UBND phường",
        opens_on=today - dt.timedelta(days=5), closes_on=today + dt.timedelta(days=25),
        file_name="quy-che.docx", data=docx_bytes(with_chapters()))
    clause = draft.provisions.get(article="3", clause="2")
    reporters = User.objects.filter(role=User.Role.REPORTER, is_active=True).order_by("pk")
    for number, user in enumerate(reporters):
        matter = COMMENT_MATTERS[number % len(COMMENT_MATTERS)]
        # Its first words are the unit's alone (a tag of letters: masking keeps it), and not a
        # unit's name, which other pages may rightly show.
        tag = "".join("abcdeghikl"[int(digit)] for digit in str(user.pk))
        services.add_comment(
            user=user, provision=clause, source="unit", today=today,
            text=f"Góp ý {tag} xin đề nghị {matter} trong khoản này cho phù hợp thực tế.")


def _policy_heard_by_every_unit() -> None:
    """A policy whose "before" file ties the meetings, items, issues and surveys of many units
    (the net looks for their words on each reader's policy page), owned by the UBND."""
    from consultations import policy_services as policies
    from consultations.models import Moment

    office = User.objects.get(username=demo.OFFICE_USERNAME)
    owner = OrgUnit.objects.filter(kind=OrgUnit.Kind.PEOPLES_COMMITTEE).first()
    policy = policies.create_policy(user=office, data=policies.PolicyInput(
        title="Dự án chỉnh trang vỉa hè", kind="du_an", level="phuong",
        owner_unit_id=owner.pk if owner else None, owner_name="" if owner else "UBND phường",
        affects_land=True))
    before = Moment.BEFORE
    sources = {
        "meeting": Meeting.objects.filter(unit__isnull=False).order_by("pk"),
        # one item of each unit (the words of many units)
        "item": OpinionItem.objects.filter(pk__in=[
            OpinionItem.objects.filter(unit_id=unit_id).order_by("pk").values_list(
                "pk", flat=True).first()
            for unit_id in OpinionItem.objects.exclude(unit__isnull=True).values_list(
                "unit_id", flat=True).distinct()]),
        "issue": Issue.objects.order_by("pk"),
        "survey": Survey.objects.order_by("pk"),
        "draft": Draft.objects.order_by("pk"),
    }
    for source, rows in sources.items():
        ids = list(rows.values_list("pk", flat=True)[:40])
        if ids:
            policies.link_sources(user=office, policy=policy, moment=before, source=source,
                                  ids=ids)
    policies.add_difficulty(user=office, policy=policy, moment=before,
                            text="Hộ kinh doanh lo mất chỗ bán hàng khi thi công.")


def _petitions_of_every_reader() -> None:
    """A voter meeting of the demo's round, with points (one passed to an agency), and a
    dialogue the leader chaired this month, in every reader's unit and in two units outside all
    their scopes, each in words of its own (the net looks for them on the petition pages)."""
    from core.models import Channel
    from petitions import services as petitions
    from petitions.models import Round

    office = User.objects.get(username=demo.OFFICE_USERNAME)
    leader = User.objects.get(username=demo.LEADER_USERNAME)
    round_ = Round.objects.order_by("pk").first()
    units = {user.unit_id for user in readers()}
    others = OrgUnit.objects.filter(kind=OrgUnit.Kind.PARTY_CELL, closed_on__isnull=True,
                                    children__isnull=True).exclude(pk__in=units)
    chosen = OrgUnit.objects.filter(
        pk__in=[*units, *others.order_by("-pk").values_list("pk", flat=True)[:2]])
    for unit in chosen.order_by("pk"):
        tag = "".join("abcdeghikl"[int(digit)] for digit in str(unit.pk))
        for kind, day, round_of in ((Meeting.Kind.VOTER_MEETING, round_.starts_on, round_),
                                    (Meeting.Kind.DIALOGUE, dt.date(2026, 1, 6), None)):
            meeting = Meeting.objects.create(
                kind=kind, title=f"Buổi {tag} gặp gỡ cử tri {kind}", held_on=day,
                place=f"Nhà văn hóa {tag}", unit=unit)
            items = [OpinionItem.objects.create(
                text=f"Cử tri {tag} kiến nghị {matter} ({kind}).", channel=Channel.VOTER_MEETING,
                received_on=day, unit=unit, meeting=meeting)
                for matter in ("sửa đường ngõ xóm", "lắp đèn chiếu sáng")]
            petitions.link_meeting(user=office, meeting=meeting, round_=round_of,
                                   leader=leader if round_of is None else None)
            petitions.mark_point(user=office, item=items[0], expected_version=0,
                                 data=petitions.MarkInput(
                                     disposition="chuyen_co_quan", agency_name="Điện lực",
                                     due_on=TODAY - dt.timedelta(days=3)))
