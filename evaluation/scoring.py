"""Scoring a unit against a criteria set, as pure functions (no Django).

A criterion turns a *measurement* into points:

    points = weight × clamp((value − floor) / (target − floor), 0, 1)

so a unit that reaches the target earns the whole weight, one that stays at the floor none, and
the points grow linearly between. "Reaches" is "at or above" when the target is above the floor
(rates, counts) and "at or below" when it is below (incidents: 0 incidents is the target, the
floor the number that loses every point). A target equal to its floor is no scale: the criteria
set refuses it (``evaluation.services``), so the span is never 0. Rates are percentages (0–100);
an entered criterion's value is on the office's own scale (0 to its target).

**Missing data is explicit.** A measurement without a value (nothing was owed in the period: no
monthly report due, no issue or direction due, no stream written; an entered criterion the office
has not scored yet) is *missing*. Each criterion says what missing means:

- ``exclude``: the criterion does not count for this unit; the total is taken over the weights
  that do count and rescaled to 100, so a unit is not punished for what it did not owe;
- ``zero``: the criterion counts with 0 points.

The total is ``100 × Σ points / Σ counted weights`` (rounded to 0.1). A card whose counted
weights are less than half of the set's weights (``MIN_COVERAGE``: an agency that owes no monthly
report and owns no issue, say) has no total and no classification ("chưa đủ số liệu") rather
than a score made of one or two small criteria.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

EXCLUDE, ZERO = "exclude", "zero"

EXCELLENT, GOOD, PASSED, FAILED = "xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh"
CLASS_LABELS = {
    EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    GOOD: "Hoàn thành tốt nhiệm vụ",
    PASSED: "Hoàn thành nhiệm vụ",
    FAILED: "Không hoàn thành nhiệm vụ",
}
NO_CLASS_LABEL = "Chưa đủ số liệu"
MIN_COVERAGE = 0.5  # the share of the set's weights a card must count to be totalled


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    name: str
    weight: float
    measure: str
    target: float
    floor: float = 0.0
    missing: str = EXCLUDE


@dataclass(frozen=True)
class Thresholds:
    excellent: float = 90.0
    good: float = 75.0
    passed: float = 50.0

    def classify(self, total: float | None) -> str | None:
        if total is None:
            return None
        if total >= self.excellent:
            return EXCELLENT
        if total >= self.good:
            return GOOD
        if total >= self.passed:
            return PASSED
        return FAILED


@dataclass(slots=True)
class Measurement:
    """What the data say for one unit and criterion: a rate (numerator of denominator, as a
    percentage), a per-month figure, or an entered value. ``value`` None means missing."""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    note: str = ""


def rate(numerator: int, denominator: int, note: str = "") -> Measurement:
    if not denominator:
        return Measurement(None, numerator, denominator, note)
    return Measurement(100.0 * numerator / denominator, numerator, denominator, note)


def per_month(count: int, months: int, note: str = "") -> Measurement:
    if not months:
        return Measurement(None, count, months, note)
    return Measurement(count / months, count, months, note)


@dataclass(slots=True)
class Line:
    criterion: CriterionSpec
    measurement: Measurement
    points: float | None  # None: excluded (missing with the "exclude" rule)

    @property
    def counted(self) -> bool:
        return self.points is not None

    @property
    def missing(self) -> bool:
        return self.measurement.value is None


@dataclass
class Card:
    unit_id: int
    lines: list[Line]
    total: float | None
    classification: str | None
    months: int = 0  # the months of the period the unit was open (and that have begun)
    rank: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def classification_label(self) -> str:
        return CLASS_LABELS.get(self.classification or "", NO_CLASS_LABEL)

    @property
    def missing_codes(self) -> list[str]:
        return [line.criterion.code for line in self.lines if line.missing]


def points_for(spec: CriterionSpec, value: float) -> float:
    """A target below the floor means lower is better (incidents: target 0 incidents, floor
    the number that loses every point); the share is linear between them either way. The
    target never equals the floor (the criteria set refuses it)."""
    share = min(1.0, max(0.0, (value - spec.floor) / (spec.target - spec.floor)))
    return round(spec.weight * share, 2)


def score_line(spec: CriterionSpec, measurement: Measurement) -> Line:
    if measurement.value is None:
        return Line(spec, measurement, None if spec.missing == EXCLUDE else 0.0)
    return Line(spec, measurement, points_for(spec, measurement.value))


_MISSING = Measurement(None)  # shared, never changed


def score_card(
    unit_id: int,
    specs: Sequence[CriterionSpec],
    measurements: Mapping[str, Measurement],
    thresholds: Thresholds,
    *,
    months: int = 0,
) -> Card:
    """One unit's card: a line per criterion (a criterion without a measurement is missing)."""
    lines = []
    counted = points = every = 0.0
    for spec in specs:
        line = score_line(spec, measurements.get(spec.code, _MISSING))
        lines.append(line)
        every += spec.weight
        if line.points is not None:
            counted += spec.weight
            points += line.points
    total = None
    if counted > 0 and counted >= MIN_COVERAGE * every:
        total = round(100.0 * points / counted, 1)
    return Card(unit_id, lines, total, thresholds.classify(total), months=months)


def rank_cards(cards: Iterable[Card]) -> list[Card]:
    """Highest total first; equal totals share a rank (1, 2, 2, 4); cards without a total last,
    unranked. The order among equals is the order given (the caller's unit order)."""
    ordered = sorted(cards, key=lambda c: (c.total is None, -(c.total or 0.0)))
    previous, rank = None, 0
    for position, card in enumerate(ordered, start=1):
        if card.total is None:
            card.rank = None
            continue
        if card.total != previous:
            rank, previous = position, card.total
        card.rank = rank
    return ordered


# --- months a unit is scored for ---------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    code: str
    start: dt.date
    end: dt.date


def open_months(
    months: Sequence[Month], opened_on: dt.date, closed_on: dt.date | None, today: dt.date
) -> list[Month]:
    """The months of the period the unit is scored for: begun by ``today`` and open during
    them (a unit opened on 15 March is scored from March; one closed in May, until May)."""
    return [
        m for m in months
        if m.start <= today and opened_on <= m.end and (closed_on is None or closed_on >= m.start)
    ]


# --- a card as plain data (the JSON of ``longdan scorecard`` and a finalised card's snapshot) ---


def line_as_dict(line: Line) -> dict:
    spec, m = line.criterion, line.measurement
    return {
        "code": spec.code, "name": spec.name, "weight": spec.weight, "measure": spec.measure,
        "target": spec.target, "floor": spec.floor, "missing_rule": spec.missing,
        "value": None if m.value is None else round(m.value, 2),
        "numerator": m.numerator, "denominator": m.denominator, "note": m.note,
        "points": line.points, "missing": line.missing,
    }


def card_as_dict(card: Card) -> dict:
    return {
        "unit_id": card.unit_id, "months": card.months, "total": card.total,
        "classification": card.classification, "classification_label": card.classification_label,
        "rank": card.rank, "lines": [line_as_dict(line) for line in card.lines],
    }


def card_from_dict(data: dict) -> Card:
    lines = []
    for row in data.get("lines", []):
        spec = CriterionSpec(row["code"], row["name"], row["weight"], row["measure"],
                             row["target"], row["floor"], row["missing_rule"])
        measurement = Measurement(row["value"], row["numerator"], row["denominator"], row["note"])
        lines.append(Line(spec, measurement, row["points"]))
    return Card(data["unit_id"], lines, data["total"], data["classification"],
                months=data.get("months", 0))
