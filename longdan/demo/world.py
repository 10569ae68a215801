"""The demo ward's tree: the ward committee, its agencies and mass organisations, the grassroots
Party organisations (one merged mid-window, one opened later) and the residential groups."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from longdan.demo import names
from orgs.models import Area, OrgUnit, User


@dataclass
class _Unit:
    """A grassroots unit while building: its row plus what steers its reports."""

    row: OrgUnit
    group: str  # "residential", "school", ... (see names.ALL)
    place: str
    former_ward: str
    members: int = 0
    areas: list[Area] = field(default_factory=list)
    reporter: User | None = None
    discipline: str = "good"
    pet_streams: tuple[str, ...] = ()



class _World:
    """Units and residential groups of ``_Builder`` (mixed into it)."""

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
