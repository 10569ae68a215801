"""The demo ward's build, in order: the tree, the people, the monthly reports, the opinions, the
surveys, the picture's steps (shapes, directions, briefs); then the summary of what was loaded
and where the leader should look first. Everything is drawn from seeded generators."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import TextIO

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from core.models import AuditEntry, SocialGroup, Topic
from core.services import audit
from intake.models import Meeting, OpinionItem
from issues.models import Answer, BurstAlert, Issue
from longdan.demo import history
from longdan.demo.briefs import build_briefs
from longdan.demo.constants import (
    GRASSROOTS_KINDS,
    OPINION_WINDOW_DAYS,
    PASSWORD,
    SEED,
    WARD_FORMED,
)
from longdan.demo.directions import build_directions
from longdan.demo.opinions import _Opinions
from longdan.demo.people import _People
from longdan.demo.petitions import build_petitions
from longdan.demo.plans import build_plans
from longdan.demo.press import DemoPress
from longdan.demo.reports import _Reports
from longdan.demo.shapes import build_shapes
from longdan.demo.story import silent_areas, tell_story
from longdan.demo.summary import DemoSummary, current_logins
from longdan.demo.surveys import DemoSurveys
from longdan.demo.world import _World
from orgs.models import Area, Collaborator, OrgUnit, User
from picture.services import propose_latent_candidates
from reporting.models import OpinionStream, ReportTemplate, UnitReport
from reporting.periods import last_months, month_of


class _Builder(_World, _People, _Reports):
    """Builds the ward; the tree, the people and the reports are mixed in from ``world``,
    ``people`` and ``reports``."""

    def __init__(self, *, today: dt.date, months: int, stdout: TextIO | None):
        self.rng = random.Random(SEED)
        self.today = today
        self.tz = timezone.get_default_timezone()
        self.loading = timezone.now()
        self.now = self._reference_now(today)
        self.window = last_months(month_of(today).previous(), months)
        self.keys = [*self.window, month_of(today)]
        # Opinion items span the report months, and at least the last 90 days (the follow-up of
        # the current issues reaches that far back).
        self.opinion_start = min(self.window[0].start,
                                 today - dt.timedelta(days=OPINION_WINDOW_DAYS))
        self.silent_from = today - dt.timedelta(weeks=history.SILENT_WEEKS)
        self.stdout = stdout
        self.summary = DemoSummary(months=[key.code for key in self.window])
        self.outcomes: Counter[str] = Counter()

    def _reference_now(self, today: dt.date) -> dt.datetime:
        """Events after this instant have not happened yet, so they are not created."""
        if today == timezone.localdate(self.loading):
            return self.loading
        noon = dt.datetime.combine(today, dt.time(10, 0), tzinfo=self.tz)
        return min(noon, self.loading - dt.timedelta(seconds=1))

    def say(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(text + "\n")
            self.stdout.flush()

    def build(self) -> DemoSummary:
        self.base_open = min(WARD_FORMED, self.window[0].start)
        self.say("Tạo cây đơn vị, tổ dân phố và người dùng…")
        self.ward, self.office_unit = self._ward_and_agencies()
        self.units = self._grassroots()
        self._areas()
        self.silent_areas = silent_areas()
        self.password_hash = make_password(PASSWORD)  # hashed once: PBKDF2 is slow by design
        self.office_user, self.leader = self._office_and_leader()
        self._reporters()
        self._collaborators()
        self.template = ReportTemplate.objects.get(period_kind="month")
        self.template.units.set([unit.row for unit in self.units])
        # The ward began monthly reporting with the first demo month; earlier months owe nothing,
        # so the 12-month trend shows no invented gap before the system was in use.
        self.template.effective_from = self.window[0].start
        self.template.save(update_fields=["effective_from"])
        self.topics = {topic.name: topic for topic in Topic.objects.all()}
        self.groups = {group.name: group for group in SocialGroup.objects.all()}
        self.say(f"Tạo báo cáo tháng {self.keys[0].code} … {self.keys[-1].code}…")
        for key in self.keys:
            self._month(key)
        self.say(f"Tạo ý kiến từ {self.opinion_start:%d/%m/%Y}, vấn đề dư luận, trả lời và"
                 " cảnh báo…")
        opinions = _Opinions(self)
        opinions.build()
        self.main_issues = opinions.main  # matter key → the issue its items were followed in
        self.say("Tạo nguồn tin, tin báo chí, mạng xã hội, câu chuyện và danh sách theo dõi…")
        self.press_counts = DemoPress(self).build()
        self.say("Tạo hai đợt khảo sát dư luận và phiếu trả lời…")
        self.survey_counts = DemoSurveys(office=self.office_user, ward=self.ward,
                                         today=self.today).build()
        self.petition_counts = build_petitions(self)
        self._picture_steps()
        audit(actor=None, action=AuditEntry.Action.CREATE, object_type="demo",
              summary="Nạp dữ liệu mẫu phường Hòa Bình, thành phố Hải Phòng",
              data={"today": self.today.isoformat(), "months": len(self.window)})
        return self._summary()

    def _picture_steps(self) -> None:
        """What the leaders' picture needs beyond opinion: the areas' (generated) boundaries,
        directions in every state, the weekly briefs of the last eight weeks, and the latent
        opinion the engine proposes today."""
        self.summary.steps = {
            "shapes": {"areas": build_shapes(stdout=self.stdout)},
            "directions": build_directions(self.today, stdout=self.stdout),
            "briefs": {"briefs": len(build_briefs(self.today, stdout=self.stdout))},
            "latent": {"proposed": len(propose_latent_candidates(today=self.today).proposed)},
            "press": self.press_counts,
            "plans": build_plans(self.today, stdout=self.stdout),
        }

    # --- result --------------------------------------------------------------------------------

    def _summary(self) -> DemoSummary:
        summary = self.summary
        summary.units = OrgUnit.objects.count()
        summary.grassroots_open = OrgUnit.objects.filter(
            kind__in=GRASSROOTS_KINDS, closed_on__isnull=True, opened_on__lte=self.today
        ).count()
        areas = Area.objects.all()
        summary.areas = areas.count()
        summary.population = sum(a.population for a in areas)
        summary.households = sum(a.households for a in areas)
        summary.users = User.objects.count()
        summary.collaborators = Collaborator.objects.count()
        summary.reports = UnitReport.objects.count()
        summary.streams = OpinionStream.objects.count()
        summary.outcomes = dict(sorted(self.outcomes.items()))
        summary.logins = current_logins()
        items = OpinionItem.objects.all()
        summary.items = items.count()
        summary.channels = dict(sorted(Counter(items.values_list("channel", flat=True)).items()))
        summary.meetings = Meeting.objects.count()
        summary.issues = Issue.objects.filter(merged_into__isnull=True).count()
        summary.alerts = BurstAlert.objects.count()
        summary.answers = Answer.objects.count()
        summary.surveys = self.survey_counts["surveys"]
        summary.survey_responses = self.survey_counts["responses"]
        reaches_further = self.opinion_start < self.today - dt.timedelta(days=OPINION_WINDOW_DAYS)
        summary.opinion_start = self.opinion_start if reaches_further else None
        summary.story = tell_story(self.today)
        return summary
