"""The collaborators' allowance per quarter, planned and paid (R5): the office's reads.

Planned: the collaborator's monthly rate times the months of the quarter their term
(started_on–ended_on) touches (``orgs.quarters``). Paid: the sum of the payments the office
recorded for that quarter. Two queries whatever the number of collaborators.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, Sum

from orgs.models import AllowancePayment, Collaborator
from orgs.quarters import Quarter, months_in_term


@dataclass
class FundingRow:
    collaborator: Collaborator
    months: int
    planned: int
    paid: int

    @property
    def remaining(self) -> int:
        return self.planned - self.paid


@dataclass
class Funding:
    quarter: Quarter
    rows: list[FundingRow]

    @property
    def planned(self) -> int:
        return sum(r.planned for r in self.rows)

    @property
    def paid(self) -> int:
        return sum(r.paid for r in self.rows)

    @property
    def remaining(self) -> int:
        return self.planned - self.paid

    def by_unit(self) -> list[tuple[str, int, int, int]]:
        """(unit name, collaborators, planned, paid) in the rows' order of units (their
        ``sort_key``: "Chi bộ 2" before "Chi bộ 10", "Đ" after "D"), never the names' code
        points."""
        names: dict[int, str] = {}
        totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        for row in self.rows:
            unit = row.collaborator.unit
            names.setdefault(unit.pk, unit.name)
            entry = totals[unit.pk]
            entry[0] += 1
            entry[1] += row.planned
            entry[2] += row.paid
        return [(names[pk], *totals[pk]) for pk in names]


def funding_for(quarter: Quarter) -> Funding:
    """Every collaborator whose term touches the quarter, or who was paid for it."""
    paid = dict(
        AllowancePayment.objects.filter(quarter=quarter.code)
        .values("collaborator_id").annotate(total=Sum("amount"))
        .values_list("collaborator_id", "total")
    )
    collaborators = (
        Collaborator.objects.select_related("unit")
        .filter(Q(started_on__lte=quarter.end)
                & (Q(ended_on__isnull=True) | Q(ended_on__gte=quarter.start))
                | Q(pk__in=list(paid)))
        .order_by("unit__sort_key", "name_folded", "pk")
    )
    rows = []
    for c in collaborators:
        months = months_in_term(quarter, c.started_on, c.ended_on)
        rows.append(FundingRow(c, months, c.allowance_rate * months, paid.get(c.pk, 0)))
    return Funding(quarter, rows)


def payments_of(quarter: Quarter) -> list[AllowancePayment]:
    return list(
        AllowancePayment.objects.filter(quarter=quarter.code)
        .select_related("collaborator", "collaborator__unit")
        .order_by("paid_on", "pk")
    )
