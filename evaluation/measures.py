"""The computed criteria, measured for every unit at once: one aggregate query per measure,
whatever the number of units (``bench/bench_scorecards.py``), and the evidence behind a value
(which reports, issues, directions, items) from the same filters.

What each measure counts, for a unit and the months of the period it is scored for
(``scoring.open_months``: begun, and the unit open during them):

- ``reports_on_time``: of the monthly reports it owed (assigned to the monthly template in force,
  deadline passed), the share first submitted by the deadline (``reporting.compliance``'s rule);
- ``streams_complete``: of the opinion streams of its submitted reports, the share with attitude,
  reach and at least one social group;
- ``latent_named``: of its submitted reports, the share that name latent opinion (a stream marked
  latent, or the "Dư luận tiềm ẩn" section written);
- ``proposals_made``: of its submitted reports, the share with "Kiến nghị, đề xuất" written;
- ``issues_on_time``: of the issues it owns due in the period (before today), the share answered,
  resolved or closed by the due date (``picture.accountability``'s rule);
- ``directions_on_time``: of the directions addressed to it due in the period (before today, not
  cancelled), the share its part or the whole was done by the due date;
- ``collaborator_items``: items filed by its collaborators' accounts, per scored month;
- ``sessions_held``: the dissemination sessions (quán triệt, triển khai) of the plans it held
  in the period (up to today), a count (``plans``);
- ``incidents``: its incidents (R8) of the period (up to today) the office's review found at
  fault (criticism or discipline), a count; lower is better (``scoring.points_for``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Count, Exists, F, Min, OuterRef, Q, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, Length, Trim
from django.utils import timezone

from evaluation import scoring
from evaluation.models import Criterion, EnteredScore, Incident
from intake.models import OpinionItem
from issues.models import Issue, IssueEvent
from orgs.models import Collaborator, OrgUnit
from picture.accountability import CLOSED_LABELS
from picture.models import Direction, DirectionAssignment
from plans.models import DisseminationSession
from reporting.models import OpinionStream, ReportTemplate, UnitReport
from reporting.periods import PeriodKey
from reporting.selectors import default_template

M = Criterion.Measure
SUBMITTED = UnitReport.State.SUBMITTED
NOT_SCORED_KINDS = (OrgUnit.Kind.WARD_COMMITTEE, OrgUnit.Kind.OFFICE)
LATENT_SECTION, PROPOSALS_SECTION = "du_luan_tiem_an", "kien_nghi"


@dataclass(frozen=True)
class UnitRow:
    id: int
    code: str
    name: str
    parent_id: int | None
    opened_on: dt.date
    closed_on: dt.date | None


@dataclass
class Context:
    """A period as the measures see it, with the units scored in it."""

    key: PeriodKey
    today: dt.date
    units: list[UnitRow]
    months: list[scoring.Month] = field(default_factory=list)
    open_months: dict[int, list[scoring.Month]] = field(default_factory=dict)

    @property
    def unit_ids(self) -> list[int]:
        return [u.id for u in self.units]

    @property
    def begun_codes(self) -> list[str]:
        return [m.code for m in self.months if m.start <= self.today]

    @property
    def last_due_day(self) -> dt.date:
        """Issues and directions count once their due date has passed (before today)."""
        return min(self.key.end, self.today - dt.timedelta(days=1))


def scored_units(key: PeriodKey, today: dt.date, unit_ids: Iterable[int] | None = None):
    """The units scored for ``key``: every unit but the ward committee and the office, open
    during the period and already opened by ``today``; in the tree's natural order."""
    units = (
        OrgUnit.objects.exclude(kind__in=NOT_SCORED_KINDS)
        .filter(opened_on__lte=min(key.end, today))
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=key.start))
    )
    if unit_ids is not None:
        units = units.filter(pk__in=list(unit_ids))
    rows = units.order_by("sort_key", "name").values_list(
        "pk", "code", "name", "parent_id", "opened_on", "closed_on"
    )
    return [UnitRow(*row) for row in rows]


def context_for(key: PeriodKey, today: dt.date, unit_ids: Iterable[int] | None = None) -> Context:
    months = [scoring.Month(m.code, m.start, m.end) for m in key.months()]
    units = scored_units(key, today, unit_ids)
    opened = {u.id: scoring.open_months(months, u.opened_on, u.closed_on, today) for u in units}
    return Context(key=key, today=today, units=units, months=months, open_months=opened)


# --- monthly reports -----------------------------------------------------------------------------


def _due_months(template: ReportTemplate, ctx: Context) -> dict[str, PeriodKey]:
    due = {}
    for month in ctx.key.months():
        if template.covers(month) and ctx.today > template.deadline_of(month):
            due[month.code] = month
    return due


def _on_time_case(template: ReportTemplate, keys: Iterable[PeriodKey]) -> Case:
    tz = timezone.get_current_timezone()
    return Case(
        *[When(period__code=k.code, first_submitted_at__lt=template.deadline_ends_at(k, tz),
               then=Value(True)) for k in keys],
        default=Value(False),
        output_field=BooleanField(),
    )


def _owed(ctx: Context, template, due: dict[str, PeriodKey], assigned: set[int]):
    return {
        u.id: [m.code for m in ctx.open_months[u.id] if m.code in due]
        for u in ctx.units if u.id in assigned
    }


def reports_on_time(ctx: Context) -> dict[int, scoring.Measurement]:
    template = default_template("month")
    if template is None:
        return {}
    due = _due_months(template, ctx)
    assigned = set(template.units.values_list("pk", flat=True))
    owed = _owed(ctx, template, due, assigned)
    on_time: dict[int, int] = {}
    if due:
        # Counted by the database, one row a unit; a report of a month the unit was not open
        # in (before its opening, after its closing) is not owed and not counted.
        on_time = dict(
            UnitReport.objects.filter(template=template, state=SUBMITTED,
                                      period__code__in=list(due),
                                      period__end__gte=F("unit__opened_on"))
            .filter(Q(unit__closed_on__isnull=True) | Q(unit__closed_on__gte=F("period__start")))
            .annotate(on_time=_on_time_case(template, due.values()))
            .filter(on_time=True)
            .values("unit_id")
            .annotate(n=Count("id"))
            .values_list("unit_id", "n")
        )
    return {
        unit_id: scoring.rate(min(on_time.get(unit_id, 0), len(codes)), len(codes),
                              note=f"{len(codes)} tháng phải nộp")
        for unit_id, codes in owed.items()
    }


def _submitted_reports(ctx: Context):
    return UnitReport.objects.filter(
        state=SUBMITTED, period__code__in=ctx.begun_codes, period__kind="month"
    )


def streams_complete(ctx: Context) -> dict[int, scoring.Measurement]:
    groups = OpinionStream.social_groups.through.objects.filter(opinionstream_id=OuterRef("pk"))
    rows = (
        OpinionStream.objects.filter(report__in=_submitted_reports(ctx))
        .annotate(has_groups=Exists(groups))
        .values("report__unit_id")
        .annotate(
            total=Count("id"),
            complete=Count("id", filter=Q(has_groups=True) & ~Q(attitude="") & ~Q(reach="")),
        )
        .values_list("report__unit_id", "total", "complete")
    )
    return {unit_id: scoring.rate(complete, total) for unit_id, total, complete in rows}


def _report_shares(ctx: Context) -> list[tuple[int, int, int, int]]:
    latent_streams = OpinionStream.objects.filter(report_id=OuterRef("pk"), latent=True)
    return list(
        _submitted_reports(ctx)
        .annotate(
            has_latent=Exists(latent_streams),
            latent_text=Coalesce(Length(Trim(KT(f"sections__{LATENT_SECTION}"))), 0),
            proposals_text=Coalesce(Length(Trim(KT(f"sections__{PROPOSALS_SECTION}"))), 0),
        )
        .values("unit_id")
        .annotate(
            total=Count("id"),
            latent=Count("id", filter=Q(has_latent=True) | Q(latent_text__gt=0)),
            proposals=Count("id", filter=Q(proposals_text__gt=0)),
        )
        .values_list("unit_id", "total", "latent", "proposals")
    )


def latent_and_proposals(ctx: Context):
    latent, proposals = {}, {}
    for unit_id, total, with_latent, with_proposals in _report_shares(ctx):
        latent[unit_id] = scoring.rate(with_latent, total)
        proposals[unit_id] = scoring.rate(with_proposals, total)
    return latent, proposals


# --- issues and directions ---------------------------------------------------------------------


def _issues(ctx: Context, unit_ids: Iterable[int] | None = None):
    done = Q(events__kind=IssueEvent.Kind.ANSWER) | Q(
        events__kind=IssueEvent.Kind.STATUS, events__to_value__in=list(CLOSED_LABELS)
    )
    issues = Issue.objects.filter(
        owner_unit__isnull=False, merged_into__isnull=True,
        due_on__gte=ctx.key.start, due_on__lte=ctx.last_due_day,
    )
    if unit_ids is not None:
        issues = issues.filter(owner_unit_id__in=list(unit_ids))
    return issues.annotate(done_at=Min("events__at", filter=done))


def _tally(rows) -> dict[int, scoring.Measurement]:
    totals: Counter[int] = Counter()
    good: Counter[int] = Counter()
    for unit_id, on_time in rows:
        totals[unit_id] += 1
        good[unit_id] += on_time
    return {unit_id: scoring.rate(good[unit_id], n) for unit_id, n in totals.items()}


@functools.lru_cache(maxsize=4096)
def _past_due(due_on: dt.date, tz: dt.tzinfo) -> dt.datetime:
    """The first instant after the due day, local time (a day's deadline is its end)."""
    return dt.datetime.combine(due_on + dt.timedelta(days=1), dt.time(), tzinfo=tz)


def _done_by(due_on: dt.date, moment: dt.datetime | None) -> bool:
    return moment is not None and moment < _past_due(due_on, timezone.get_current_timezone())


def _issue_on_time(due_on: dt.date, done_at) -> bool:
    return _done_by(due_on, done_at)


def issues_on_time(ctx: Context) -> dict[int, scoring.Measurement]:
    rows = _issues(ctx).values_list("owner_unit_id", "due_on", "done_at")
    return _tally((unit_id, _issue_on_time(due, done)) for unit_id, due, done in rows)


def _assignments(ctx: Context, unit_ids: Iterable[int] | None = None):
    parts = DirectionAssignment.objects.filter(
        direction__due_on__gte=ctx.key.start, direction__due_on__lte=ctx.last_due_day
    ).exclude(direction__status=Direction.Status.CANCELLED)
    if unit_ids is not None:
        parts = parts.filter(unit_id__in=list(unit_ids))
    return parts


def _direction_on_time(due_on: dt.date, part_done, direction_done) -> bool:
    return _done_by(due_on, part_done) or _done_by(due_on, direction_done)


def directions_on_time(ctx: Context) -> dict[int, scoring.Measurement]:
    rows = _assignments(ctx).values_list(
        "unit_id", "direction__due_on", "done_at", "direction__done_at"
    )
    return _tally((u, _direction_on_time(due, a, b)) for u, due, a, b in rows)


# --- collaborators -----------------------------------------------------------------------------


def _collaborator_items(ctx: Context):
    return OpinionItem.objects.filter(
        received_on__gte=ctx.key.start, received_on__lte=min(ctx.key.end, ctx.today),
        created_by__collaborator__isnull=False,
    )


def collaborator_items(ctx: Context) -> dict[int, scoring.Measurement]:
    # Grouped by the filing account without a join; each collaborator account names its unit.
    unit_of = dict(
        Collaborator.objects.filter(user__isnull=False).values_list("user_id", "unit_id")
    )
    counts: Counter[int] = Counter()
    for user_id, n in (
        OpinionItem.objects.filter(received_on__gte=ctx.key.start,
                                   received_on__lte=min(ctx.key.end, ctx.today),
                                   created_by__isnull=False)
        .values("created_by_id").annotate(n=Count("id")).values_list("created_by_id", "n")
    ):
        if user_id in unit_of:
            counts[unit_of[user_id]] += n
    return {
        u.id: scoring.per_month(counts.get(u.id, 0), len(ctx.open_months[u.id]),
                                note=f"{len(ctx.open_months[u.id])} tháng")
        for u in ctx.units
    }


# --- incidents (R8) ------------------------------------------------------------------------------


def _incidents(ctx: Context, unit_ids: Iterable[int] | None = None):
    rows = Incident.objects.filter(
        occurred_on__gte=ctx.key.start, occurred_on__lte=min(ctx.key.end, ctx.today))
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=list(unit_ids))
    return rows


def incidents(ctx: Context) -> dict[int, scoring.Measurement]:
    """Never missing: a unit without an incident found at fault has 0 (full points)."""
    counts = dict(
        _incidents(ctx).filter(outcome__in=Incident.AT_FAULT)
        .values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n")
    )
    return {
        u.id: scoring.Measurement(float(counts.get(u.id, 0)), counts.get(u.id, 0), None,
                                  note=f"{counts.get(u.id, 0)} vụ bị kết luận có khuyết điểm")
        for u in ctx.units
    }


# --- dissemination sessions (plans) -------------------------------------------------------------


def _sessions(ctx: Context, unit_ids: Iterable[int] | None = None):
    rows = DisseminationSession.objects.filter(
        held_on__gte=ctx.key.start, held_on__lte=min(ctx.key.end, ctx.today))
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=list(unit_ids))
    return rows


def sessions_held(ctx: Context) -> dict[int, scoring.Measurement]:
    """Never missing: a unit that held none has 0."""
    counts = dict(_sessions(ctx).values("unit_id").annotate(n=Count("id"))
                  .values_list("unit_id", "n"))
    return {
        u.id: scoring.Measurement(float(counts.get(u.id, 0)), counts.get(u.id, 0), None,
                                  note=f"{counts.get(u.id, 0)} buổi quán triệt, triển khai")
        for u in ctx.units
    }


# --- all at once ---------------------------------------------------------------------------------


def measure_all(ctx: Context, measures: set[str]) -> dict[str, dict[int, scoring.Measurement]]:
    """Every needed measure for every unit of ``ctx``: measure → unit id → measurement."""
    found: dict[str, dict[int, scoring.Measurement]] = {}
    simple = {
        M.REPORTS_ON_TIME: reports_on_time, M.STREAMS_COMPLETE: streams_complete,
        M.ISSUES_ON_TIME: issues_on_time, M.DIRECTIONS_ON_TIME: directions_on_time,
        M.COLLABORATOR_ITEMS: collaborator_items, M.INCIDENTS: incidents,
        M.SESSIONS_HELD: sessions_held,
    }
    for measure, function in simple.items():
        if measure in measures:
            found[measure] = function(ctx)
    if measures & {M.LATENT_NAMED, M.PROPOSALS_MADE}:
        found[M.LATENT_NAMED], found[M.PROPOSALS_MADE] = latent_and_proposals(ctx)
    return found


def entered_values(criteria_set, period_code: str) -> dict[tuple[str, int], EnteredScore]:
    rows = EnteredScore.objects.filter(
        criterion__criteria_set=criteria_set, period=period_code
    ).select_related("criterion", "evidence_file").defer("evidence_file__data")
    return {(row.criterion.code, row.unit_id): row for row in rows}


# --- evidence (the drill-down) -------------------------------------------------------------------


def evidence_for(ctx: Context, unit_ids: list[int]) -> dict[int, dict[str, list[dict]]]:
    """Per unit and measure, the records behind the value: ``{"label", "ok", "kind", "pk"}``.

    Each list holds the denominator's records; ``ok`` says whether it counts in the numerator."""
    found: dict[int, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    _report_evidence(ctx, unit_ids, found)
    _stream_evidence(ctx, unit_ids, found)
    for row in _incidents(ctx, unit_ids).order_by("occurred_on", "pk"):
        found[row.unit_id][M.INCIDENTS].append({
            "kind": "incident", "pk": row.pk, "ok": not row.at_fault,
            "label": f"{row.get_kind_display()} ngày {row.occurred_on:%d/%m/%Y}:"
                     f" {row.get_outcome_display().lower()}"
                     + (" (trừ điểm)" if row.at_fault else ""),
        })
    for row in _sessions(ctx, unit_ids).select_related("plan").order_by("held_on", "pk"):
        found[row.unit_id][M.SESSIONS_HELD].append({
            "kind": "session", "pk": row.unit_id, "ok": True,
            "label": f"Quán triệt Kế hoạch {row.plan.number} ngày {row.held_on:%d/%m/%Y},"
                     f" {row.attendance} người dự",
        })
    for pk, unit_id, code, due, done in _issues(ctx, unit_ids).order_by(
        "due_on", "pk"
    ).values_list("pk", "owner_unit_id", "code", "due_on", "done_at"):
        found[unit_id][M.ISSUES_ON_TIME].append({
            "kind": "issue", "pk": pk, "ok": _issue_on_time(due, done),
            "label": f"Vấn đề {code}, hạn {due:%d/%m/%Y}",
        })
    for unit_id, pk, code, due, a, b in _assignments(ctx, unit_ids).order_by(
        "direction__due_on", "direction_id"
    ).values_list(
        "unit_id", "direction_id", "direction__code", "direction__due_on", "done_at",
        "direction__done_at",
    ):
        found[unit_id][M.DIRECTIONS_ON_TIME].append({
            "kind": "direction", "pk": pk, "ok": _direction_on_time(due, a, b),
            "label": f"Chỉ đạo số {code}, hạn {due:%d/%m/%Y}",
        })
    for unit_id, day, n in (
        _collaborator_items(ctx).filter(created_by__collaborator__unit_id__in=unit_ids)
        .values("created_by__collaborator__unit_id", "received_on")
        .annotate(n=Count("id"))
        .values_list("created_by__collaborator__unit_id", "received_on", "n")
        .order_by("received_on")
    ):
        found[unit_id][M.COLLABORATOR_ITEMS].append({
            "kind": "items", "pk": None, "ok": True,
            "label": f"{n} ý kiến cộng tác viên ghi nhận ngày {day:%d/%m/%Y}",
        })
    return found


def _report_evidence(ctx: Context, unit_ids: list[int], found) -> None:
    template = default_template("month")
    if template is None:
        return
    due = _due_months(template, ctx)
    assigned = set(template.units.filter(pk__in=unit_ids).values_list("pk", flat=True))
    owed = _owed(ctx, template, due, assigned)
    reports = {
        (unit_id, code): (pk, state, on_time)
        for pk, unit_id, code, state, on_time in UnitReport.objects.filter(
            template=template, unit_id__in=unit_ids, period__code__in=list(due)
        ).annotate(on_time=_on_time_case(template, due.values()))
        .values_list("pk", "unit_id", "period__code", "state", "on_time")
    }
    for unit_id, codes in owed.items():
        for code in codes:
            label = due[code].label
            pk, state, on_time = reports.get((unit_id, code), (None, None, False))
            ok = state == SUBMITTED and bool(on_time)
            status = ("nộp đúng hạn" if ok else "nộp muộn" if state == SUBMITTED
                      else "chưa nộp" if pk is None else "chưa nộp xong")
            found[unit_id][M.REPORTS_ON_TIME].append(
                {"kind": "report", "pk": pk, "ok": ok, "label": f"Báo cáo {label}: {status}"}
            )


def _stream_evidence(ctx: Context, unit_ids: list[int], found) -> None:
    reports = _submitted_reports(ctx).filter(unit_id__in=unit_ids).select_related("period")
    latent_ids = set(
        OpinionStream.objects.filter(report__in=reports, latent=True)
        .values_list("report_id", flat=True)
    )
    grouped = set(
        OpinionStream.social_groups.through.objects.filter(opinionstream__report__in=reports)
        .values_list("opinionstream_id", flat=True)
    )
    streams = defaultdict(list)
    for pk, report_id, position, attitude, reach in OpinionStream.objects.filter(
        report__in=reports
    ).values_list("pk", "report_id", "position", "attitude", "reach").order_by("position", "pk"):
        streams[report_id].append((pk, position, bool(attitude and reach and pk in grouped)))
    for report in reports.order_by("period__start"):
        label = f"Báo cáo {report.period.key.label}"
        sections = report.sections or {}
        for number, (_pk, _position, ok) in enumerate(streams[report.pk], start=1):
            found[report.unit_id][M.STREAMS_COMPLETE].append({
                "kind": "report", "pk": report.pk, "ok": ok,
                "label": f"{label}, luồng ý kiến {number}"
                + ("" if ok else ": thiếu thái độ, mức độ hoặc nhóm xã hội"),
            })
        latent = report.pk in latent_ids or bool((sections.get(LATENT_SECTION) or "").strip())
        found[report.unit_id][M.LATENT_NAMED].append(
            {"kind": "report", "pk": report.pk, "ok": latent, "label": label}
        )
        proposals = bool((sections.get(PROPOSALS_SECTION) or "").strip())
        found[report.unit_id][M.PROPOSALS_MADE].append(
            {"kind": "report", "pk": report.pk, "ok": proposals, "label": label}
        )
