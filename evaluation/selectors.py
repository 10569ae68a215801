"""Reads of the scorecards, scoped to the reader.

The office and the leaders read every card, the table and the ranking; a unit's people read only
their own unit's card (any other card, and the table, is "not found"), as the issue asks: a unit
sees its own card and comments on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.http import Http404

from core.dates import local_today
from evaluation import measures, scoring
from evaluation.models import CriteriaSet, Criterion, EnteredScore, Scorecard
from orgs.models import OrgUnit, User
from orgs.selectors import descendant_ids
from reporting.periods import PeriodKey

NOT_FOUND = "Không tìm thấy phiếu đánh giá."


def criteria_set_for(key: PeriodKey) -> CriteriaSet | None:
    """The newest version of the latest year's set not after the period's year."""
    return (
        CriteriaSet.objects.filter(year__lte=key.year)
        .order_by("-year", "-version")
        .prefetch_related("criteria")
        .first()
    )


def criteria_sets() -> list[CriteriaSet]:
    return list(CriteriaSet.objects.prefetch_related("criteria").order_by("-year", "-version"))


@dataclass
class Board:
    """Every scored unit's card for one period, ranked (within the subtree asked for)."""

    key: PeriodKey
    criteria_set: CriteriaSet | None
    cards: list[scoring.Card]
    units: dict[int, measures.UnitRow]
    records: dict[int, Scorecard] = field(default_factory=dict)

    def rows(self) -> list[tuple[scoring.Card, measures.UnitRow, Scorecard | None]]:
        return [(c, self.units[c.unit_id], self.records.get(c.unit_id)) for c in self.cards]

    def as_dict(self) -> dict:
        return {
            "period": self.key.code,
            "label": self.key.label,
            "criteria_set": None if self.criteria_set is None else {
                "id": self.criteria_set.pk, "name": self.criteria_set.name,
                "year": self.criteria_set.year, "version": self.criteria_set.version,
            },
            "units": [
                {
                    "code": unit.code, "name": unit.name,
                    "finalised": bool(record and record.is_final),
                    **scoring.card_as_dict(card),
                }
                for card, unit, record in self.rows()
            ],
        }


def _compute(ctx: measures.Context, criteria_set: CriteriaSet) -> list[scoring.Card]:
    specs = criteria_set.specs()
    needed = {s.measure for s in specs if s.measure != Criterion.Measure.ENTERED}
    found = measures.measure_all(ctx, needed)
    entered = measures.entered_values(criteria_set, ctx.key.code)
    thresholds = criteria_set.thresholds
    cards = []
    for unit in ctx.units:
        values = {}
        for spec in specs:
            if spec.measure == Criterion.Measure.ENTERED:
                row = entered.get((spec.code, unit.id))
                if row is not None:
                    values[spec.code] = scoring.Measurement(row.value, note=row.evidence[:200])
            else:
                measurement = found.get(spec.measure, {}).get(unit.id)
                if measurement is not None:
                    values[spec.code] = measurement
        cards.append(scoring.score_card(unit.id, specs, values, thresholds,
                                        months=len(ctx.open_months[unit.id])))
    return cards


def compute_board(
    key: PeriodKey, *, unit_ids: set[int] | None = None, today: dt.date | None = None
) -> Board:
    """The cards of every scored unit (or of ``unit_ids``), finalised ones from their snapshot,
    ranked among themselves. No reader check: the callers are the scoped selectors below, the
    services and the command line."""
    today = today or local_today()
    criteria_set = criteria_set_for(key)
    ctx = measures.context_for(key, today, unit_ids)
    units = {u.id: u for u in ctx.units}
    records = {r.unit_id: r for r in Scorecard.objects.filter(period=key.code)
               if r.unit_id in units}
    cards = [] if criteria_set is None else _compute(ctx, criteria_set)
    cards = [
        scoring.card_from_dict(records[c.unit_id].snapshot)
        if c.unit_id in records and records[c.unit_id].is_final else c
        for c in cards
    ]
    return Board(key, criteria_set, scoring.rank_cards(cards), units, records)


def _require_reader_of_all(user: User) -> None:
    if not user.sees_everything:
        raise Http404(NOT_FOUND)


def board_for(user: User, key: PeriodKey, *, subtree: OrgUnit | None = None,
              today: dt.date | None = None) -> Board:
    """The table of the office and the leaders; ``subtree`` ranks the units under one unit."""
    _require_reader_of_all(user)
    unit_ids = descendant_ids(subtree.pk) if subtree is not None else None
    return compute_board(key, unit_ids=unit_ids, today=today)


@dataclass
class CardView:
    unit: OrgUnit
    key: PeriodKey
    card: scoring.Card | None
    criteria_set: CriteriaSet | None
    record: Scorecard | None
    evidence: dict[str, list[dict]]
    entries: dict[str, EnteredScore]

    @property
    def is_final(self) -> bool:
        return bool(self.record and self.record.is_final)


def may_read_card(user: User, unit_id: int) -> bool:
    return user.sees_everything or (user.unit_id is not None and user.unit_id == unit_id)


def card_for(user: User, unit_pk: int, key: PeriodKey, *, today: dt.date | None = None) -> CardView:
    """One unit's card with its drill-down; "not found" outside the reader's reach."""
    try:
        unit_pk = int(unit_pk)
    except (TypeError, ValueError) as exc:
        raise Http404(NOT_FOUND) from exc
    if not may_read_card(user, unit_pk):
        raise Http404(NOT_FOUND)
    unit = OrgUnit.objects.filter(pk=unit_pk).first()
    if unit is None:
        raise Http404(NOT_FOUND)
    today = today or local_today()
    board = compute_board(key, unit_ids={unit_pk}, today=today)
    card = board.cards[0] if board.cards else None
    record = board.records.get(unit_pk) or Scorecard.objects.filter(
        unit_id=unit_pk, period=key.code).first()
    if record is not None and record.is_final:
        evidence = record.snapshot.get("evidence", {})
    else:
        ctx = measures.context_for(key, today, {unit_pk})
        evidence = {k: list(v) for k, v in measures.evidence_for(ctx, [unit_pk])[unit_pk].items()}
    entries = {}
    if board.criteria_set is not None:
        entries = {
            e.criterion.code: e for e in EnteredScore.objects.filter(
                criterion__criteria_set=board.criteria_set, unit_id=unit_pk, period=key.code
            ).select_related("criterion", "entered_by")
        }
    return CardView(unit, key, card, board.criteria_set, record, evidence, entries)
