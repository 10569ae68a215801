"""The demo ward: phường Hòa Bình, thành phố Hải Phòng, with six months of monthly reports.

``load_demo`` builds the ward into an empty database so that every screen shows something true on
first start: 55 grassroots Party organisations (one merged mid-window, one opened later), the
agencies and mass organisations, ~65 residential groups holding 47,168 residents, responsible
persons (three units deliberately without one), collaborators, and the monthly reports of the six
months before ``today`` plus the current month so far: mostly on time, some late, some missing, a
few returned for revision.

Reports go through ``reporting.services`` (so versions and audit entries exist exactly as in real
use); the timestamps those services stamp with "now" are then moved back to when the event is
supposed to have happened. Everything is drawn from one seeded ``random.Random``: the same ``today``
gives the same ward, the same people and the same reports.

Only the grassroots organisations are assigned the monthly template (expected = 55, as in the
plan); the agencies and mass organisations exist in the tree, without reports of their own.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Max, Min, ProtectedError, RestrictedError
from django.utils import timezone

from core.errors import ServiceError
from core.models import AuditEntry, SocialGroup, Topic
from core.services import audit
from core.text import fold
from intake import services as intake_services
from intake.models import ImportBatch, Meeting, OpinionItem, ResidentContact, Sensitivity
from issues import services as issue_services
from issues.models import Answer, BurstAlert, Issue, IssueEvent
from longdan import demo_names as names
from longdan import demo_opinions as opinions
from longdan.demo_surveys import DemoSurveys
from orgs.models import Area, Collaborator, OrgUnit, User
from reporting import cache as compliance_cache
from reporting import services
from reporting.models import (
    ConsolidatedReport,
    Notification,
    OpinionStream,
    Reminder,
    ReportTemplate,
    ReportVersion,
    UnitReport,
)
from reporting.periods import PeriodKey, last_months, month_of
from surveys.models import PopulationMargin, Response, Survey
from textops.models import EngineState

PASSWORD = "longdan-demo"
SEED = 20250701  # the day the ward was formed
WARD_FORMED = dt.date(2025, 7, 1)
GRASSROOTS_KINDS = (OrgUnit.Kind.PARTY_CELL, OrgUnit.Kind.PARTY_COMMITTEE)
OPINION_WINDOW_DAYS = 90  # the demo's opinion items span this many days up to today
OFFICE_USERNAME, LEADER_USERNAME = "vanphong", "lanhdao"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    role: str
    unit: str


@dataclass
class DemoSummary:
    """What was loaded, for the CLI to print and tests to check."""

    units: int = 0
    grassroots_open: int = 0
    areas: int = 0
    population: int = 0
    households: int = 0
    users: int = 0
    collaborators: int = 0
    reports: int = 0
    streams: int = 0
    months: list[str] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)  # over the six closed months
    items: int = 0  # opinion items of the last ~90 days
    channels: dict[str, int] = field(default_factory=dict)
    meetings: int = 0
    issues: int = 0
    alerts: int = 0
    answers: int = 0
    surveys: int = 0
    survey_responses: int = 0
    logins: list[DemoLogin] = field(default_factory=list)
    password: str = PASSWORD
    seconds: float = 0.0

    def opinion_line(self) -> str:
        """The opinion side of the summary, in the words ``longdan demo`` prints it."""
        return (
            f"Ý kiến {OPINION_WINDOW_DAYS} ngày qua: {_number(self.items)} ý kiến từ"
            f" {len(self.channels)} kênh (có {_number(self.meetings)} buổi tiếp xúc cử tri,"
            f" đối thoại), {_number(self.issues)} vấn đề dư luận, {_number(self.answers)} trả lời,"
            f" giải thích đã công bố, {_number(self.alerts)} cảnh báo dư luận mới nổi."
        )

    def survey_line(self) -> str:
        return (
            f"Khảo sát: {self.surveys} cuộc khảo sát (hai đợt về đề án chỉnh trang đô thị, một"
            f" bản nháp của chi bộ), {_number(self.survey_responses)} phiếu trả lời."
        )


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


@dataclass
class _Unit:
    """A grassroots unit while building: its row plus what steers its reports."""

    row: OrgUnit
    group: str  # "residential", "school", ... (see demo_names.ALL)
    place: str
    former_ward: str
    members: int = 0
    areas: list[Area] = field(default_factory=list)
    reporter: User | None = None
    discipline: str = "good"
    pet_streams: tuple[str, ...] = ()


@dataclass
class _Plan:
    """When one unit's report for one month is drafted, submitted, returned and resubmitted."""

    outcome: str  # "on_time" | "late" | "draft" | "none"
    created: dt.datetime | None = None
    submitted: dt.datetime | None = None
    returned: dt.datetime | None = None
    resubmitted: dt.datetime | None = None


# --- Entry points ------------------------------------------------------------------------------


def is_loaded() -> bool:
    return OrgUnit.objects.filter(code=names.WARD_CODE).exists()


def load_demo(
    *,
    today: dt.date | None = None,
    stdout: TextIO | None = None,
    reset: bool = False,
    months: int = 6,
) -> DemoSummary:
    """Build the demo ward; refuse (ServiceError) if the database already holds units.

    ``reset=True`` first drops the demo ward and everything hanging off it (reports, users,
    collaborators, the audit log), but only when the database holds the demo ward, never a real
    one. All of it happens in one transaction: a failure leaves the database as it was.
    """
    started = time.perf_counter()
    today = today or timezone.localdate()
    if not 1 <= months <= 24:
        raise ServiceError("Số tháng dữ liệu mẫu phải từ 1 đến 24.", field="months")
    with transaction.atomic():
        if OrgUnit.objects.exists():
            if not reset:
                raise ServiceError(
                    "Cơ sở dữ liệu đã có đơn vị; không nạp đè dữ liệu mẫu."
                    " Dùng --reset để xóa dữ liệu mẫu cũ và nạp lại.",
                    field="reset",
                )
            drop_demo()
        builder = _Builder(today=today, months=months, stdout=stdout)
        summary = builder.build()
    summary.seconds = time.perf_counter() - started
    return summary


def drop_demo() -> None:
    """Delete the demo ward and what hangs off it. Refuses a database that holds another ward."""
    if not is_loaded():
        raise ServiceError(
            "Cơ sở dữ liệu có đơn vị không thuộc dữ liệu mẫu; không xóa.", field="reset"
        )
    try:
        with transaction.atomic():
            # Surveys, then opinion intake and issues: they hold protected links to units.
            Response.objects.all().delete()
            Survey.objects.all().delete()
            PopulationMargin.objects.all().delete()
            Answer.objects.all().delete()
            BurstAlert.objects.all().delete()
            Issue.objects.update(merged_into=None)
            OpinionItem.objects.all().delete()
            Issue.objects.all().delete()
            Meeting.objects.all().delete()
            ImportBatch.objects.all().delete()
            EngineState.objects.all().delete()  # the grouper's state names the old items
            Notification.objects.all().delete()
            Reminder.objects.all().delete()
            ConsolidatedReport.objects.all().delete()
            UnitReport.objects.all().delete()
            Collaborator.objects.all().delete()
            Area.objects.all().delete()
            for template in ReportTemplate.objects.all():
                template.units.clear()
            OrgUnit.objects.update(responsible_person=None)
            User.objects.filter(unit__isnull=False).delete()
            User.objects.filter(username__in=[OFFICE_USERNAME, LEADER_USERNAME]).delete()
            OrgUnit.objects.update(parent=None)
            OrgUnit.objects.all().delete()
            # The demo's own history goes with it; a fresh demo starts a fresh log.
            AuditEntry.objects.all().delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ServiceError(
            "Không xóa được dữ liệu mẫu vì còn dữ liệu khác gắn với các đơn vị.", field="reset"
        ) from exc


def current_logins() -> list[DemoLogin]:
    """The demo logins as stored now (the CLI prints them again on a second ``longdan demo``)."""
    users = User.objects.select_related("unit").filter(is_active=True)
    fixed = [u for name in (OFFICE_USERNAME, LEADER_USERNAME) for u in users.filter(username=name)]
    reporters = sorted(users.filter(role=User.Role.REPORTER),
                       key=lambda u: (not u.username.startswith("cb"), u.username))
    collaborators = list(users.filter(role=User.Role.COLLABORATOR).order_by("username"))
    return [_login(user) for user in [*fixed, *reporters, *collaborators]]


def _login(user: User) -> DemoLogin:
    return DemoLogin(
        username=user.username,
        full_name=user.full_name,
        role=user.get_role_display(),
        unit=user.unit.name if user.unit else "",
    )


# --- Building ----------------------------------------------------------------------------------


class _Builder:
    def __init__(self, *, today: dt.date, months: int, stdout: TextIO | None):
        self.rng = random.Random(SEED)
        self.today = today
        self.tz = timezone.get_default_timezone()
        self.loading = timezone.now()
        self.now = self._reference_now(today)
        self.window = last_months(month_of(today).previous(), months)
        self.keys = [*self.window, month_of(today)]
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
        self.say("Tạo ý kiến 90 ngày qua, vấn đề dư luận, trả lời và cảnh báo…")
        _Opinions(self).build()
        self.say("Tạo hai đợt khảo sát dư luận và phiếu trả lời…")
        self.survey_counts = DemoSurveys(office=self.office_user, ward=self.ward,
                                         today=self.today).build()
        audit(actor=None, action=AuditEntry.Action.CREATE, object_type="demo",
              summary="Nạp dữ liệu mẫu phường Hòa Bình, thành phố Hải Phòng")
        return self._summary()

    # --- the tree ------------------------------------------------------------------------------

    def _unit(self, code: str, name: str, kind: str, parent: OrgUnit | None,
              opened_on: dt.date | None = None, closed_on: dt.date | None = None) -> OrgUnit:
        return OrgUnit.objects.create(
            code=code, name=name, kind=kind, parent=parent,
            opened_on=opened_on or self.base_open, closed_on=closed_on,
        )

    def _ward_and_agencies(self) -> tuple[OrgUnit, OrgUnit]:
        ward = self._unit(names.WARD_CODE, names.WARD_NAME, OrgUnit.Kind.WARD_COMMITTEE, None)
        office = self._unit(*names.OFFICE, OrgUnit.Kind.OFFICE, ward)
        front = None
        self.agencies = []  # (unit, username of its responsible person)
        for code, name, kind, username in names.AGENCIES:
            row = self._unit(code, name, kind, ward)
            front = row if kind == OrgUnit.Kind.FRONT else front
            self.agencies.append((row, username))
        for code, name, username in names.MASS_ORGS:
            self.agencies.append((self._unit(code, name, OrgUnit.Kind.MASS_ORG, front), username))
        return ward, office

    def _grassroots(self) -> list[_Unit]:
        units = []
        merge_day = self.window[min(2, len(self.window) - 1)].start + dt.timedelta(days=14)
        for former, place, prefix, _groups, cells in names.RESIDENTIAL:
            for number in range(1, cells + 1):
                closed = merge_day if (prefix, number) == ("th", cells) else None
                row = self._unit(f"kdc-{prefix}-{number:02d}",
                                 f"Chi bộ Khu dân cư {place} {number}", OrgUnit.Kind.PARTY_CELL,
                                 self.ward, closed_on=closed)
                units.append(_Unit(row, "residential", place, former))
        for code, name, kind, group in names.OTHER_UNITS:
            place = next((p for p in ("Hòa Bình", "An Lư", "Thủy Hà") if p in name), "Hòa Bình")
            former = "Hòa Bình cũ" if place == "Hòa Bình" else place
            units.append(_Unit(self._unit(code, name, kind, self.ward), group, place, former))
        town_name, town_code = names.NEW_TOWN
        opened = self.window[-2].start if len(self.window) > 1 else self.window[0].start
        row = self._unit(town_code, f"Chi bộ {town_name}", OrgUnit.Kind.PARTY_CELL, self.ward,
                         opened_on=opened)
        units.append(_Unit(row, "residential", town_name, "Thủy Hà"))
        for unit, members in zip(units, self._split(names.PARTY_MEMBERS, len(units), 0.5),
                                 strict=True):
            unit.members = members
            unit.discipline = self.rng.choices(["good", "average", "poor"], [70, 24, 6])[0]
            keys = [s["key"] for s in names.STREAMS if unit.group in s["groups_of_units"]]
            unit.pet_streams = tuple(self.rng.sample(keys, 2))
        return units

    def _split(self, total: int, parts: int, spread: float) -> list[int]:
        """``total`` split into ``parts`` random positive parts that add up exactly."""
        weights = [1 + self.rng.uniform(-spread, spread) for _ in range(parts)]
        scale = total / sum(weights)
        values = [max(1, int(w * scale)) for w in weights]
        values[values.index(max(values))] += total - sum(values)
        return values

    def _areas(self) -> None:
        """Residential groups: each residential cell covers one or two, in order."""
        residential = [u for u in self.units if u.group == "residential"]
        specs = []  # (name, former ward, cell)
        for former, place, prefix, groups, cells in names.RESIDENTIAL:
            mine = [u for u in residential if u.row.code.startswith(f"kdc-{prefix}-")]
            doubles = set(self.rng.sample(range(cells), groups - cells))
            number = 0
            for index, unit in enumerate(mine):
                for _ in range(2 if index in doubles else 1):
                    number += 1
                    specs.append((f"Tổ dân phố {place} {number}", former, unit))
        town = residential[-1]
        specs.append((f"Tổ dân phố {names.NEW_TOWN[0]}", town.former_ward, town))
        populations = self._split(names.POPULATION, len(specs), 0.4)
        populations[-1], populations[0] = populations[0] // 3, populations[0] + populations[-1] - (
            populations[0] // 3)  # the new town is still filling up
        for (name, former, unit), population in zip(specs, populations, strict=True):
            households = max(1, round(population / self.rng.uniform(3.3, 3.9)))
            area = Area.objects.create(name=name, former_ward=former, population=population,
                                       households=households, unit=unit.row)
            unit.areas.append(area)
        self._merge_closed_cell(residential)

    def _merge_closed_cell(self, residential: list[_Unit]) -> None:
        """The merged cell's groups now belong to the cell it merged into (sáp nhập)."""
        closed = next(u for u in residential if u.row.closed_on)
        survivor = residential[residential.index(closed) - 1]
        Area.objects.filter(unit=closed.row).update(unit=survivor.row)

    # --- people --------------------------------------------------------------------------------

    def _person(self) -> tuple[str, bool]:
        family = self.rng.choices([n for n, _ in names.FAMILY_NAMES],
                                  [w for _, w in names.FAMILY_NAMES])[0]
        female = self.rng.random() < 0.45
        middle = self.rng.choice(names.MIDDLE_NAMES_FEMALE if female else names.MIDDLE_NAMES_MALE)
        given = self.rng.choice(names.GIVEN_NAMES_FEMALE if female else names.GIVEN_NAMES_MALE)
        return f"{family} {middle} {given}", female

    def _user(self, username: str, role: str, unit: OrgUnit, full_name: str) -> User:
        return User.objects.create(
            username=username, password=self.password_hash, role=role, unit=unit,
            full_name=full_name, email=f"{username}@phuonghoabinh.local",
        )

    def _office_and_leader(self) -> tuple[User, User]:
        office = self._user(OFFICE_USERNAME, User.Role.OFFICE, self.office_unit,
                            "Vũ Thị Thanh Hương")
        leader = self._user(LEADER_USERNAME, User.Role.LEADER, self.ward, "Đào Quang Minh")
        return office, leader

    def _reporters(self) -> None:
        # Agencies and mass organisations report no monthly template but answer for DLXH (R1).
        for row, username in self.agencies:
            full_name, _ = self._person()
            row.responsible_person = self._user(username, User.Role.REPORTER, row, full_name)
            row.save(update_fields=["responsible_person"])
        for number, unit in enumerate(self.units, start=1):
            full_name, _ = self._person()
            if unit.row.code in names.NO_RESPONSIBLE:
                continue  # left without a responsible person: the R1 gap list shows them
            user = self._user(f"cb{number:02d}", User.Role.REPORTER, unit.row, full_name)
            unit.reporter = user
            unit.row.responsible_person = user
            unit.row.save(update_fields=["responsible_person"])

    def _collaborators(self) -> None:
        topics = list(Topic.objects.all())
        residential = [u for u in self.units if u.group == "residential" and u.areas]
        hosts = [*self.rng.sample(residential, 33),
                 *self.rng.sample([u for u in self.units if u.group != "residential"], 3)]
        mass_orgs = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.MASS_ORG).order_by("code"))
        all_areas = list(Area.objects.order_by("name"))
        start = WARD_FORMED + dt.timedelta(days=92)  # the plan sets the team up in Q4 2025
        for index in range(40):
            full_name, _ = self._person()
            if index < len(hosts):
                unit, areas = hosts[index].row, hosts[index].areas[:2]
            else:
                unit, areas = mass_orgs[index % len(mass_orgs)], self.rng.sample(all_areas, 3)
            started = min(start + dt.timedelta(days=self.rng.randrange(0, 90)), self.today)
            status, ended = Collaborator.Status.ACTIVE, None
            if index in (7, 23):
                status = Collaborator.Status.PAUSED
            elif index in (15, 31):
                status = Collaborator.Status.ENDED
                ended = max(started, self.window[len(self.window) // 2].start)
            collaborator = Collaborator.objects.create(
                full_name=full_name, unit=unit, phone=self._phone(), started_on=started,
                ended_on=ended, status=status,
            )
            collaborator.areas.set(areas)
            collaborator.topics.set(self.rng.sample(topics, self.rng.randint(1, 3)))

    def _phone(self) -> str:
        prefix = self.rng.choice(["0912", "0983", "0904", "0369", "0868", "0777"])
        digits = f"{self.rng.randrange(10**6):06d}"
        return f"{prefix} {digits[:3]} {digits[3:]}"

    # --- reports -------------------------------------------------------------------------------

    def _month(self, key: PeriodKey) -> None:
        period = services.ensure_period(key)
        for unit in self.units:
            if not unit.row.is_open_between(key.start, key.end):
                continue
            outcome = self._run(unit, key, period, self._plan(unit, key))
            if key in self.window:  # the current month is still open: not counted
                self.outcomes[outcome] += 1

    def _at(self, day: dt.date, start_hour: int = 7, end_hour: int = 21) -> dt.datetime:
        hour = self.rng.randint(start_hour, end_hour)
        return dt.datetime.combine(day, dt.time(hour, self.rng.randrange(60)), tzinfo=self.tz)

    def _plan(self, unit: _Unit, key: PeriodKey) -> _Plan:
        deadline = key.deadline(self.template.deadline_day)
        if unit.row.closed_on and unit.row.closed_on <= key.end:
            return _Plan("none")  # merged during the month: its last report never came
        if unit.reporter is None:
            weights = {"on_time": 5, "late": 40, "draft": 0, "none": 55}
        else:
            late, missing = {"good": (4, 3), "average": (13, 7), "poor": (26, 16)}[unit.discipline]
            weights = {"on_time": 100 - late - missing, "late": late,
                       "draft": missing / 2, "none": missing / 2}
        outcome = self.rng.choices(list(weights), list(weights.values()))[0]
        plan = _Plan(outcome, created=self._at(key.start + dt.timedelta(self.rng.randint(4, 13))))
        if outcome == "on_time":
            day = min(self.rng.choices(range(15, 26), [1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 6])[0],
                      deadline.day)
            plan.submitted = self._at(key.start.replace(day=day), 7, 22)
        elif outcome == "late":
            plan.submitted = self._at(deadline + dt.timedelta(self.rng.randint(1, 16)))
        if plan.submitted and self.rng.random() < 0.08:
            plan.returned = self._at(plan.submitted.date() + dt.timedelta(self.rng.randint(1, 3)),
                                     8, 16)
            if self.rng.random() < 0.75:
                plan.resubmitted = self._at(
                    plan.returned.date() + dt.timedelta(self.rng.randint(1, 4)), 8, 21
                )
        return plan

    def _run(self, unit: _Unit, key: PeriodKey, period, plan: _Plan) -> str:
        """Carry the plan out through the services, up to ``now``; return what came of it."""
        if plan.outcome == "none" or plan.created is None or plan.created >= self.now:
            return "none"
        writer = unit.reporter or self.office_user
        streams, sections = self._content(unit, key)
        unfinished = plan.submitted is None or plan.submitted >= self.now
        # A quarter of the reports start as a partial draft completed later; the rest (and the
        # office typing in a paper report) are entered at once, close to submitting.
        if unfinished or self.rng.random() < 0.25:
            report = self._call(plan.created, services.save_draft, user=writer,
                                template=self.template, period=period, unit=unit.row,
                                sections={"tu_tuong": sections["tu_tuong"]}, streams=streams,
                                expected_version=None)
            self._stamp(report, created_at=plan.created, updated_at=plan.created)
            if unfinished:
                return "draft"
            edited = max(plan.created,
                         plan.submitted - dt.timedelta(minutes=self.rng.randint(5, 90)))
            report = self._call(edited, services.save_draft, user=writer, template=self.template,
                                period=period, unit=unit.row, sections=sections, streams=None,
                                expected_version=report.version)
        else:
            edited = plan.submitted - dt.timedelta(minutes=self.rng.randint(5, 600))
            report = self._call(edited, services.save_draft, user=writer, template=self.template,
                                period=period, unit=unit.row, sections=sections, streams=streams,
                                expected_version=None)
            self._stamp(report, created_at=edited, updated_at=edited)
        report = self._call(plan.submitted, services.submit_report, user=writer, report=report,
                            expected_version=report.version)
        self._stamp(report, updated_at=plan.submitted, first_submitted_at=plan.submitted,
                    submitted_at=plan.submitted)
        outcome = "on_time" if plan.outcome == "on_time" else "late"
        if plan.returned is None or plan.returned >= self.now:
            return outcome
        report = self._call(plan.returned, services.return_report, user=self.office_user,
                            report=report, reason=self.rng.choice(names.RETURN_REASONS))
        self._stamp(report, updated_at=plan.returned, returned_at=plan.returned)
        if plan.resubmitted is None or plan.resubmitted >= self.now:
            return "returned"
        revised = dict(sections)
        revised["kien_nghi"] += "\n" + self.rng.choice(names.REVISIONS)
        report = self._call(plan.resubmitted, services.save_draft, user=writer,
                            template=self.template, period=period, unit=unit.row,
                            sections=revised, streams=None, expected_version=report.version)
        report = self._call(plan.resubmitted, services.submit_report, user=writer, report=report,
                            expected_version=report.version)
        self._stamp(report, updated_at=plan.resubmitted, submitted_at=plan.resubmitted)
        return outcome + "+resubmitted"

    def _call(self, at: dt.datetime, service, **kwargs):
        """Run a service; move the audit entries, versions and notifications it wrote to ``at``.

        Rows the services stamp with the real clock are the only ones at or after ``loading``:
        everything already moved lies in the past (``self.now`` never passes the real clock).
        """
        result = service(**kwargs)
        AuditEntry.objects.filter(at__gte=self.loading).update(at=at)
        ReportVersion.objects.filter(report_id=result.pk, at__gte=self.loading).update(at=at)
        if service is services.return_report:
            Notification.objects.filter(created_at__gte=self.loading).update(created_at=at)
        return result

    def _stamp(self, report: UnitReport, **times: dt.datetime) -> None:
        UnitReport.objects.filter(pk=report.pk).update(**times)
        compliance_cache.invalidate()  # a bulk update sends no signal the cache listens to

    # --- what reports say ----------------------------------------------------------------------

    def _pick_streams(self, unit: _Unit, key: PeriodKey) -> list[dict]:
        pool = [s for s in names.STREAMS if unit.group in s["groups_of_units"]]
        weights = []
        for stream in pool:
            weight = stream["weight"]
            weight *= 2.5 if key.number in stream.get("boost_months", ()) else 1
            weight *= 3 if stream["key"] in unit.pet_streams else 1
            weights.append(weight)
        count = min(len(pool), self.rng.choices([2, 3, 4, 5], [4, 4, 2, 1])[0])
        chosen = []
        while len(chosen) < count:
            stream = self.rng.choices(pool, weights)[0]
            if stream not in chosen:
                chosen.append(stream)
        return chosen

    def _fill(self, text: str, unit: _Unit, area: Area | None) -> str:
        schools = [n.removeprefix("Chi bộ ") for _, n, _, g in names.OTHER_UNITS if g == "school"]
        school = unit.row.name.removeprefix("Chi bộ ") if unit.group == "school" else (
            self.rng.choice(schools))
        return text.format(
            area=area.name if area else "địa bàn phường",
            former=unit.former_ward,
            place=unit.place, school=school,
        )

    def _content(self, unit: _Unit, key: PeriodKey):
        chosen = self._pick_streams(unit, key)
        rows = []
        for stream in chosen:
            area = self.rng.choice(unit.areas) if unit.areas else None
            summary = self._fill(self.rng.choice(stream["summaries"]), unit, area)
            group_names = self.rng.sample(stream["social_groups"], self.rng.randint(1, 2))
            rows.append((stream, services.StreamInput(
                topic_id=self._topic(stream["topic"]).pk,
                summary=summary,
                attitude=self._attitude(summary, stream["attitudes"]),
                reach=self._weighted(stream["reaches"]),
                channel=self._weighted(stream["channels"]),
                area_id=area.pk if area and "{area}" in " ".join(stream["summaries"]) else None,
                social_group_ids=tuple(self._group(name).pk for name in group_names),
                latent=self.rng.random() < stream["latent"],
            )))
        return [row for _, row in rows], self._sections(unit, key, rows)

    def _weighted(self, pairs: list[tuple[str, int]]) -> str:
        return self.rng.choices([code for code, _ in pairs], [w for _, w in pairs])[0]

    def _attitude(self, summary: str, pairs: list[tuple[str, int]]) -> str:
        """An attitude that agrees with what the sentence says, drawn from the stream's weights."""
        text = fold(summary)
        if "chua dong thuan" in text:
            return self.rng.choice(["buc_xuc", "phan_doi"])
        positive = any(w in text for w in ("phan khoi", "dong tinh", "tin tuong", "danh gia"))
        worried = any(w in text for w in ("tuy nhien", "ban khoan", "lo lang", "lo ngai", "mong"))
        if positive and not worried:
            return "dong_tinh"
        if "buc xuc" in text:
            return "buc_xuc"
        if positive:
            return "ban_khoan"
        negative = [(code, w) for code, w in pairs if code != "dong_tinh"] or [("ban_khoan", 1)]
        return self._weighted(negative)

    def _topic(self, name: str) -> Topic:
        if name not in self.topics:
            self.topics[name] = Topic.objects.create(name=name)
        return self.topics[name]

    def _group(self, name: str) -> SocialGroup:
        if name not in self.groups:
            self.groups[name] = SocialGroup.objects.create(name=name)
        return self.groups[name]

    def _sections(self, unit: _Unit, key: PeriodKey, rows) -> dict[str, str]:
        label = key.label  # "Tháng 10/2026"
        if unit.group == "residential":
            where = "trên địa bàn " + " và ".join(a.name for a in unit.areas)
        else:
            where = "trong đơn vị"
        opening = self.rng.choice(names.OPENINGS[unit.group]).format(
            m=label, m_lower=label[0].lower() + label[1:], where=where, members=unit.members
        )
        tu_tuong = " ".join([opening, names.MONTH_EVENTS[key.number]])
        worried = [s for s, r in rows if r.attitude != "dong_tinh"]
        if worried:
            topics = sorted({s["topic"].lower() for s in worried})
            tu_tuong += (" Tuy nhiên, một bộ phận nhân dân còn băn khoăn về các vấn đề "
                         + ", ".join(topics) + ".")
        visible = [r for _, r in rows if not r.latent] or [rows[0][1]]
        noi_bat = "Dư luận trong tháng tập trung vào các vấn đề sau:\n" + "\n".join(
            f"{n}. {r.summary}" for n, r in enumerate(visible, start=1)
        )
        latent = [r for _, r in rows if r.latent]
        if latent:
            tiem_an = ("Cần tiếp tục theo dõi: " + " ".join(r.summary for r in latent)
                       + " Nếu không được giải thích, giải quyết kịp thời, vấn đề có thể lan rộng,"
                       " phát sinh đơn thư hoặc tụ tập đông người.")
        else:
            tiem_an = self.rng.choice(names.NO_LATENT)
        tiem_an += " " + names.FORECASTS[self._forecast(key.number % 12 + 1)]
        proposals = list(dict.fromkeys(s["proposal"] for s, r in rows if r.attitude != "dong_tinh"))
        kien_nghi = "\n".join(f"{n}. {p}" for n, p in enumerate(proposals, start=1)) or (
            names.NO_PROPOSAL)
        return {"tu_tuong": tu_tuong, "du_luan_noi_bat": noi_bat, "du_luan_tiem_an": tiem_an,
                "kien_nghi": kien_nghi}

    @staticmethod
    def _forecast(next_month: int) -> str:
        if next_month in (8, 9):
            return "school"
        if next_month in (5, 6, 7, 10):
            return "rain"
        if next_month in (12, 1, 2):
            return "tet"
        return "default"

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
        return summary



# --- Opinion items, issues, answers and alerts of the last three months --------------------------


@dataclass
class _Entry:
    """One item to file: when, about what, through which door."""

    day: dt.date
    matter: dict
    channel: str
    meeting: int | None = None  # index in opinions.MEETINGS
    item: OpinionItem | None = None


class _Opinions:
    """Fill the intake and issues apps through their services (masking, normalisation,
    signatures and suggestions happen as in real use), then group once and follow the issues up.

    Its own seeded generator: the ward and its reports stay exactly what they were without it.
    """

    WINDOW_DAYS = OPINION_WINDOW_DAYS
    LABELLED = 0.85  # share of staff-filed items whose topic and attitude a person confirmed

    def __init__(self, builder: _Builder):
        self.b = builder
        self.rng = random.Random(SEED + 3)
        self.today = builder.today
        self.office = builder.office_user
        self.matters = {m["key"]: m for m in opinions.MATTERS}
        self.topic_of = {m["key"]: builder._topic(m["topic"]) for m in opinions.MATTERS}
        self.group_of = builder._group
        areas = list(Area.objects.select_related("unit").order_by("name"))
        self.areas = {
            "hb": [a for a in areas if a.former_ward == "Hòa Bình cũ"],
            "al": [a for a in areas if a.former_ward == "An Lư"],
            "th": [a for a in areas if a.former_ward == "Thủy Hà"],
            "any": areas,
        }
        self.units = {u.code: u for u in OrgUnit.objects.select_related("responsible_person")}
        self.entries: list[_Entry] = []
        self.ips = iter(opinions.PUBLIC_IPS * 8)
        self.seen: set[str] = set()
        self.link_number = 0

    def build(self) -> None:
        self.collaborators = self._collaborator_users()
        self._schedule()
        self._file_all()
        self._confirm_public_labels()
        run = issue_services.group_pending_items()
        self._restamp_grouping()
        self.main = self._main_issues()
        self._merge_splinters()
        self._follow_up()
        self._link_streams()
        self._stamp(self.b.now, issue_services.detect_bursts, today=self.today)
        self._issue_times()
        self.b.say(f"  {len(self.entries)} ý kiến, {run.new_issues} vấn đề được máy nhóm,"
                   f" {BurstAlert.objects.count()} cảnh báo dư luận mới nổi.")

    # --- who files ------------------------------------------------------------------------------

    def _collaborator_users(self) -> list[Collaborator]:
        """Ten active collaborators get a login (ctv01…) to file quick reports on their phones."""
        active = [c for c in Collaborator.objects.filter(status=Collaborator.Status.ACTIVE)
                  .prefetch_related("areas").order_by("pk") if c.areas.exists()][:10]
        for number, collaborator in enumerate(active, start=1):
            collaborator.user = self.b._user(f"ctv{number:02d}", User.Role.COLLABORATOR,
                                             collaborator.unit, collaborator.full_name)
            collaborator.save(update_fields=["user"])
        return active

    def _reporter_for(self, area: Area) -> User:
        person = area.unit.responsible_person if area.unit_id else None
        return person or self.office

    # --- when and through which door ----------------------------------------------------------

    def _day(self, ago: int) -> dt.date:
        return self.today - dt.timedelta(days=ago)

    def _schedule(self) -> None:
        for matter in opinions.MATTERS:
            oldest, newest = matter["days"]
            for _ in range(matter["count"]):
                ago = self.rng.randint(newest, oldest)
                self.entries.append(_Entry(self._day(ago), matter, self._channel(matter)))
            for _ in range(matter.get("burst", 0)):  # the surge: the last three days
                ago = self.rng.choices([0, 1, 2], [3, 4, 3])[0]
                self.entries.append(_Entry(self._day(ago), matter, self._channel(matter)))
        for index, meeting in enumerate(opinions.MEETINGS):
            for key in meeting["points"]:
                self.entries.append(_Entry(self._day(meeting["ago"]), self.matters[key],
                                           meeting["kind"], meeting=index))
        # Day order, meetings first within a day: the earliest item of a matter opens its issue.
        self.entries.sort(key=lambda e: (e.day, e.meeting is None, e.meeting or 0))

    def _channel(self, matter: dict) -> str:
        channels = matter["channels"]
        return self.rng.choices(list(channels), list(channels.values()))[0]

    def _at(self, day: dt.date) -> dt.datetime:
        at = self.b._at(day, 7, 21)
        return min(at, self.b.now - dt.timedelta(minutes=self.rng.randint(5, 120)))

    # --- what they say --------------------------------------------------------------------------

    def _text(self, entry: _Entry) -> str:
        matter = entry.matter
        if matter["key"] not in self.seen:  # the headline: the issue's title comes from it
            self.seen.add(matter["key"])
            return matter["texts"][0]
        text = self.rng.choice(matter["texts"])
        opener = self.rng.choice(opinions.OPENERS[entry.channel]) if entry.meeting is None else ""
        if opener:
            text = opener + text[0].lower() + text[1:]
        text += self.rng.choice(opinions.CLOSERS)
        if entry.channel in (opinions.PRESS,):
            return text
        if entry.channel != opinions.FRONT and self.rng.random() < 0.12:
            text += self.rng.choice(opinions.PERSONAL_SNIPPETS).format(
                a=f"{self.rng.randrange(1000):03d}", b=f"{self.rng.randrange(1000):03d}",
                c=f"{self.rng.randrange(10**8):08d}",
            )
        if entry.meeting is None and self.rng.random() < 0.3:
            text = _strip_marks(text)  # typed on a phone without a Vietnamese keyboard
            if self.rng.random() < 0.4:
                text = _teencode(text)
        return text

    def _labels(self, matter: dict) -> tuple[list[int], str]:
        if self.rng.random() >= self.LABELLED:
            return [], ""  # left to the engine's suggestion, to be confirmed later
        attitudes = matter["attitudes"]
        attitude = self.rng.choices(list(attitudes), list(attitudes.values()))[0]
        return [self.topic_of[matter["key"]].pk], attitude

    def _groups(self, matter: dict) -> list[int]:
        names_ = self.rng.sample(matter["groups"], self.rng.randint(0, 2))
        return [self.group_of(name).pk for name in names_]

    # --- filing ---------------------------------------------------------------------------------

    def _stamp(self, at: dt.datetime, service, *, filing: bool = False, **kwargs):
        """Run a service, then move what it stamped with the real clock back to ``at``.

        ``filing``: the service only filed items (and a meeting), so only those and the audit
        entries moved; other services may also write events, notifications and answers."""
        result = service(**kwargs)
        loading = self.b.loading
        AuditEntry.objects.filter(at__gte=loading).update(at=at)
        OpinionItem.objects.filter(created_at__gte=loading).update(created_at=at)
        if filing:
            if service is intake_services.file_meeting:
                Meeting.objects.filter(created_at__gte=loading).update(created_at=at)
            return result
        IssueEvent.objects.filter(at__gte=loading).update(at=at)
        Notification.objects.filter(created_at__gte=loading).update(created_at=at)
        Answer.objects.filter(created_at__gte=loading).update(created_at=at, published_at=at)
        ResidentContact.objects.filter(notified_at__gte=loading).update(notified_at=at)
        return result

    def _file_all(self) -> None:
        done: set[int] = set()
        for entry in self.entries:
            if entry.meeting is None:
                self._file_one(entry)
            elif entry.meeting not in done:
                done.add(entry.meeting)
                self._file_meeting(entry.meeting)

    def _file_one(self, entry: _Entry) -> None:
        matter, channel = entry.matter, entry.channel
        area = self.rng.choice(self.areas[matter["areas"]])
        text = self._text(entry)
        at = self._at(entry.day)
        if channel == opinions.PUBLIC:
            entry.item = self._public(entry, text, area, at)
            return
        topic_ids, attitude = self._labels(matter)
        user, unit, link, reach = self.office, None, "", ""
        if channel == opinions.COLLABORATOR:
            mine = [c for c in self.collaborators
                    if {a.pk for a in c.areas.all()} & {a.pk for a in self.areas[matter["areas"]]}]
            collaborator = self.rng.choice(mine or self.collaborators)
            user = collaborator.user
            area = self.rng.choice(list(collaborator.areas.all()))
        elif channel == opinions.RESIDENTIAL:
            user = self._reporter_for(area)
            unit = area.unit if user is self.office else None
            reach = self.rng.choice(["mot_so_y_kien", "nhieu_y_kien"])
        elif channel == opinions.FRONT:
            user = self.units[self.rng.choice(["mttq-phuong", "hoi-lhpn", "hoi-ccb"])] \
                .responsible_person or self.office
        else:  # press and social media: the office files what it reads, with the link
            link, reach = self._link(channel, matter), self.rng.choice(["nhieu_y_kien", "da_so"])
            area = None if channel == opinions.PRESS else area
        entry.item = self._stamp(
            at, intake_services.file_item, filing=True, user=user, text=text, channel=channel,
            received_on=entry.day, area=area, unit=unit, topic_ids=topic_ids, attitude=attitude,
            social_group_ids=self._groups(matter), reach=reach, source_link=link,
            latent=matter["key"] in ("gpmb", "lua_dao") and self.rng.random() < 0.3,
            sensitivity=Sensitivity.SENSITIVE if attitude == "phan_doi" else Sensitivity.NORMAL,
        )

    def _link(self, channel: str, matter: dict) -> str:
        self.link_number += 1
        if channel == opinions.PRESS:
            slug = matter["key"].replace("_", "-")
            return opinions.PRESS_LINK.format(slug=slug, n=71000 + self.link_number)
        return opinions.SOCIAL_LINK.format(n=1289000000 + self.link_number * 7919)

    def _public(self, entry: _Entry, text: str, area: Area, at: dt.datetime) -> OpinionItem:
        """A resident's feedback form: half of them ask for a reply and leave contact details."""
        wants_reply = self.rng.random() < 0.5 or entry.matter["key"] in ANSWERED_MATTERS
        contact = {}
        if wants_reply:
            full_name, _ = self.b._person()
            number = len(self.entries) + self.link_number
            self.link_number += 1
            contact = {"name": full_name, "phone": self.b._phone(),
                       "email": f"{fold(full_name).replace(' ', '.')}.{number}@example.com",
                       "address": f"{area.name}, phường Hòa Bình"}
        code = self._stamp(at, intake_services.submit_public_feedback, filing=True, text=text,
                           area_id=area.pk, wants_reply=wants_reply, client_ip=next(self.ips),
                           **contact)
        # The form stamps the real day; the demo's resident wrote on ``entry.day``.
        OpinionItem.objects.filter(tracking_code=code).update(received_on=entry.day)
        return OpinionItem.objects.get(tracking_code=code)

    def _file_meeting(self, index: int) -> None:
        spec = opinions.MEETINGS[index]
        day = self._day(spec["ago"])
        entries = [e for e in self.entries if e.meeting == index]
        area = self.areas[spec["area"]][0]
        points = []
        for entry in entries:
            topic_ids, attitude = self._labels(entry.matter)
            points.append(intake_services.PointInput(self._text(entry), topic_ids, attitude))
        at = self.b._at(day, 8, 10)
        meeting = self._stamp(
            at, intake_services.file_meeting, filing=True, user=self.office, kind=spec["kind"],
            title=spec["title"], held_on=day, place=spec["place"], delegates=spec["delegates"],
            unit=self.units["mttq-phuong"] if spec["kind"] == "tiep_xuc_cu_tri" else
            self.units["ubnd-phuong"], area=area, points=points,
        )
        for entry, item in zip(entries, meeting.points.order_by("pk"), strict=True):
            entry.item = item

    def _confirm_public_labels(self) -> None:
        """The office reads the residents' forms and confirms most of their labels."""
        for entry in self.entries:
            if entry.channel == opinions.PUBLIC and self.rng.random() < 0.7:
                topic_ids = [self.topic_of[entry.matter["key"]].pk]
                attitudes = entry.matter["attitudes"]
                attitude = self.rng.choices(list(attitudes), list(attitudes.values()))[0]
                at = self._at(min(entry.day + dt.timedelta(days=1), self.today))
                entry.item = self._stamp(
                    at, intake_services.confirm_labels, filing=True, user=self.office,
                    item=entry.item, topic_ids=topic_ids, attitude=attitude,
                    expected_version=None,
                )

    # --- issues -----------------------------------------------------------------------------------

    def _restamp_grouping(self) -> None:
        """Grouping ran now; its events belong to the moment each item arrived."""
        created = dict(OpinionItem.objects.values_list("pk", "created_at"))
        for event in IssueEvent.objects.filter(at__gte=self.b.loading):
            source = event.to_value if event.kind == IssueEvent.Kind.ITEM else event.note
            digits = "".join(ch for ch in source.split("#", 1)[-1] if ch.isdigit())
            if digits and int(digits) in created:
                IssueEvent.objects.filter(pk=event.pk).update(at=created[int(digits)])
        AuditEntry.objects.filter(at__gte=self.b.loading).update(at=self.b.now)

    def _main_issues(self) -> dict[str, Issue]:
        """Per matter, the issue holding most of its items (where the follow-up happens)."""
        counts: dict[str, Counter] = {}
        issue_of = dict(OpinionItem.objects.values_list("pk", "issue_id"))
        for entry in self.entries:
            issue_id = entry.item.issue_id = issue_of[entry.item.pk]
            counts.setdefault(entry.matter["key"], Counter())[issue_id] += 1
        issues = Issue.objects.in_bulk([c.most_common(1)[0][0] for c in counts.values()])
        return {key: issues[c.most_common(1)[0][0]] for key, c in counts.items()}

    def _merge_splinters(self) -> None:
        """The office merges a splinter issue of the same matter into the main one (a few times)."""
        merged = 0
        for key, main in self.main.items():
            others = Counter(e.item.issue_id for e in self.entries
                             if e.matter["key"] == key and e.item.issue_id != main.pk)
            candidates = [pk for pk, n in others.most_common() if n >= 2]
            if not candidates or merged >= 4:
                continue
            other = Issue.objects.get(pk=candidates[0])
            if Issue.objects.filter(pk=other.pk, items__isnull=False).count() != others[other.pk]:
                continue  # the splinter also holds another matter's items: leave it alone
            at = self._at(self._day(max(3, self._first_step_ago(key) + 2)))
            self.main[key] = self._stamp(at, issue_services.merge_issues, user=self.office,
                                         keep=main, other=other)
            merged += 1

    def _first_step_ago(self, key: str) -> int:
        steps = self.matters[key]["plan"]["steps"]
        return steps[0][1] if steps else 3

    def _follow_up(self) -> None:
        for key, matter in self.matters.items():
            plan = matter["plan"]
            for step in plan["steps"]:
                issue = Issue.objects.get(pk=self.main[key].pk)
                self._step(key, issue, plan["owner"], step)

    def _step(self, key: str, issue: Issue, owner_code: str, step: tuple) -> None:
        action, ago = step[0], step[1]
        at = self._at(self._day(ago))
        if action == "assign":
            self._assign(issue, self.units[owner_code], self.today + dt.timedelta(step[2]), at)
        elif action == "answer":
            self._answer(key, issue, at)
        else:
            target = {"watch": Issue.Status.WATCHING, "resolve": Issue.Status.RESOLVED,
                      "close": Issue.Status.CLOSED}[action]
            actor = self.office
            owner = issue.owner_unit.responsible_person if issue.owner_unit_id else None
            if action == "resolve" and owner is not None:
                actor = owner  # the owner unit reports its own work done
            self._stamp(at, issue_services.change_status, user=actor, issue=issue,
                        to_status=target, note=STEP_NOTES[action], expected_version=None)

    def _assign(self, issue: Issue, owner: OrgUnit, due: dt.date, at: dt.datetime) -> None:
        """Assign through the service; a due date already past (it was set weeks ago, as the
        demo tells it) is written back afterwards, since the service refuses a past date."""
        allowed = max(due, intake_services.local_today())
        self._stamp(at, issue_services.assign, user=self.office, issue=issue, owner_unit=owner,
                    due_on=allowed, expected_version=None)
        if allowed != due:
            Issue.objects.filter(pk=issue.pk).update(due_on=due)
            IssueEvent.objects.filter(issue=issue, kind=IssueEvent.Kind.DUE,
                                      to_value=f"{allowed:%d/%m/%Y}").update(
                to_value=f"{due:%d/%m/%Y}")
            for entry in AuditEntry.objects.filter(object_type="issues.issue",
                                                   object_id=str(issue.pk), at=at):
                entry.summary = entry.summary.replace(f"{allowed:%d/%m/%Y}", f"{due:%d/%m/%Y}")
                entry.data = {**entry.data, "due_on": due.isoformat()}
                entry.save(update_fields=["summary", "data"])

    def _answer(self, key: str, issue: Issue, at: dt.datetime) -> None:
        spec = opinions.ANSWERS[key]
        asked = [e.item.pk for e in self.entries
                 if e.matter["key"] == key and e.channel == opinions.PUBLIC and e.day <= at.date()]
        self._stamp(at, issue_services.publish_answer, user=self.office, title=spec["title"],
                    body=spec["body"], kind=spec["kind"], issue_ids=[issue.pk],
                    item_ids=asked[:5], answering_unit=self.units["ubnd-phuong"])

    def _link_streams(self) -> None:
        """The latest reports' opinion streams point to the issues they summarise."""
        months = [key.code for key in self.b.keys[-2:]]
        streams = (OpinionStream.objects.filter(report__period__code__in=months)
                   .select_related("report").order_by("report__period__code", "report_id",
                                                      "position"))
        linked = 0
        for stream in streams:
            text = fold(stream.summary)
            found = [self.main[key] for key, m in self.matters.items()
                     if key in self.main and any(w in text for w in m["stream_words"])]
            if not found or self.rng.random() < 0.5:
                continue
            live = [Issue.objects.get(pk=i.pk) for i in found[:2]]
            self._stamp(self.b.now, issue_services.link_stream_issues, user=self.office,
                        stream=stream, issues=live)
            linked += 1
            if linked >= 24:
                return

    def _issue_times(self) -> None:
        """An issue was created with its first item and last changed with its last event."""
        for issue_id, first, last in (IssueEvent.objects.values_list("issue_id")
                                      .annotate(first=Min("at"), last=Max("at"))
                                      .order_by("issue_id")):
            Issue.objects.filter(pk=issue_id).update(created_at=first, updated_at=last)


ANSWERED_MATTERS = {key for key, m in ((m["key"], m) for m in opinions.MATTERS)
                    if any(step[0] == "answer" for step in m["plan"]["steps"])}
STEP_NOTES = {
    "watch": "Giao cộng tác viên và các chi bộ khu dân cư tiếp tục nắm tình hình.",
    "resolve": "Đơn vị chịu trách nhiệm báo cáo đã xử lý xong, đề nghị trả lời nhân dân.",
    "close": "Không còn ý kiến mới sau khi xử lý, trả lời; đóng vấn đề.",
}


def _strip_marks(text: str) -> str:
    """The text as typed without a Vietnamese keyboard: no diacritics, case kept."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def _teencode(text: str) -> str:
    words = text.split(" ")
    return " ".join(opinions.TEENCODE.get(word, word) for word in words)
