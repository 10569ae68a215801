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
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from core.errors import ServiceError
from core.models import AuditEntry, SocialGroup, Topic
from core.services import audit
from core.text import fold
from longdan import demo_names as names
from orgs.models import Area, Collaborator, OrgUnit, User
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

PASSWORD = "longdan-demo"
SEED = 20250701  # the day the ward was formed
WARD_FORMED = dt.date(2025, 7, 1)
GRASSROOTS_KINDS = (OrgUnit.Kind.PARTY_CELL, OrgUnit.Kind.PARTY_COMMITTEE)
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
    logins: list[DemoLogin] = field(default_factory=list)
    password: str = PASSWORD
    seconds: float = 0.0


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
    return [_login(user) for user in [*fixed, *reporters]]


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
        return summary

