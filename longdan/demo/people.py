"""The demo ward's people: the office and the leader, responsible persons (three units
deliberately without one), collaborators."""

from __future__ import annotations

import datetime as dt

from core.models import Topic
from longdan.demo import names
from longdan.demo.constants import LEADER_USERNAME, OFFICE_USERNAME, WARD_FORMED
from orgs.models import Area, Collaborator, OrgUnit, User


class _People:
    """Users and collaborators of ``_Builder`` (mixed into it)."""

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
        all_areas = list(Area.objects.order_by("sort_key", "name"))
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
