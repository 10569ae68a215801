"""Scorecards of 6,300 units for a year on SQLite (issue 11: under 5 s).

The world: 6,300 chi bộ under 63 đảng bộ, one in ten opened mid-year (15 April) and one in a
hundred closed in September; twelve monthly reports each (about 93% submitted, most on time) with
two opinion streams each (social groups on about 70%), "Kiến nghị" written in about 60% and a
latent stream in about 20%; 19,000 issues due in the year (about 70% answered, most in time);
300 directions to 40 units each; a collaborator account in every other unit with 50,000 items.
The default criteria set (the data migration's) scores them.

Ours: ``evaluation.selectors.compute_board`` (one aggregate query per measure for every unit).
Baseline measured in the same run: the obvious per-unit loop (the same measures asked unit by
unit, a handful of queries each). Both must agree on every unit's total before their speed is
compared. Run: `.venv/bin/python bench/bench_scorecards.py [--runs 5]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time

from _setup import django_on_fresh_sqlite, git_revision, machine, timed

UNITS = 6300
PARENTS = 63
YEAR = 2025
TODAY = dt.date(YEAR + 1, 1, 10)


def build_world(rng: random.Random) -> dict:
    from django.utils import timezone

    from core.models import Attitude, Channel, Reach, SocialGroup, Topic
    from intake.models import OpinionItem
    from issues.models import Issue, IssueEvent
    from orgs.models import Collaborator, OrgUnit, User
    from picture.models import Direction, DirectionAssignment
    from reporting.models import OpinionStream, ReportTemplate, UnitReport
    from reporting.periods import parse_period
    from reporting.services import ensure_period

    tz = timezone.get_current_timezone()
    root = OrgUnit.objects.create(code="tp", name="Thành phố", kind=OrgUnit.Kind.WARD_COMMITTEE)
    parents = OrgUnit.objects.bulk_create([
        OrgUnit(code=f"db-{i}", name=f"Đảng bộ {i}", name_folded=f"dang bo {i}",
                sort_key=f"dang bo {i:04d}", kind="dang_bo", parent=root,
                opened_on=dt.date(2024, 1, 1))
        for i in range(PARENTS)
    ])
    units = OrgUnit.objects.bulk_create([
        OrgUnit(code=f"cb-{i}", name=f"Chi bộ {i}", name_folded=f"chi bo {i}",
                sort_key=f"chi bo {i:06d}", kind="chi_bo", parent=parents[i % PARENTS],
                opened_on=dt.date(YEAR, 4, 15) if i % 10 == 3 else dt.date(2024, 1, 1),
                closed_on=dt.date(YEAR, 9, 20) if i % 100 == 7 else None)
        for i in range(UNITS)
    ])
    template = ReportTemplate.objects.get(period_kind="month")
    template.units.set(units)
    months = [ensure_period(parse_period(f"{YEAR}-{m:02d}")) for m in range(1, 13)]
    topic = Topic.objects.first()
    groups = list(SocialGroup.objects.all()[:3])
    reports = []
    for period in months:
        deadline = period.key.deadline(template.last_day)
        for unit in units:
            if not unit.is_open_between(period.start, period.end):
                continue
            if rng.random() < 0.07:
                continue
            day = deadline - dt.timedelta(days=rng.randint(-4, 8))
            at = dt.datetime.combine(day, dt.time(9, 30), tzinfo=tz)
            sections = {"tu_tuong": "Ổn định."}
            if rng.random() < 0.6:
                sections["kien_nghi"] = "Đề nghị sửa đường."
            reports.append(UnitReport(template=template, period=period, unit=unit,
                                      state="submitted", sections=sections,
                                      first_submitted_at=at, submitted_at=at))
    reports = UnitReport.objects.bulk_create(reports, batch_size=5000)
    streams = OpinionStream.objects.bulk_create([
        OpinionStream(report=report, position=n, topic=topic, summary="Ý kiến về đường.",
                      attitude=Attitude.WORRIED, reach=Reach.SOME, channel=Channel.RESIDENTIAL,
                      latent=n == 1 and rng.random() < 0.2)
        for report in reports for n in range(2)
    ], batch_size=5000)
    through = OpinionStream.social_groups.through
    through.objects.bulk_create([
        through(opinionstream_id=s.pk, socialgroup_id=rng.choice(groups).pk)
        for s in streams if rng.random() < 0.7
    ], batch_size=5000)
    open_units = [u for u in units if u.closed_on is None]
    issues = Issue.objects.bulk_create([
        Issue(code=f"VD-{i}", title=f"Vấn đề {i}", title_folded=f"van de {i}",
              owner_unit=rng.choice(open_units), status="da_giao_xu_ly",
              due_on=dt.date(YEAR, rng.randint(5, 12), rng.randint(1, 28)))
        for i in range(19000)
    ], batch_size=5000)
    events = []
    for issue in issues:
        if rng.random() < 0.7:
            day = issue.due_on + dt.timedelta(days=rng.randint(-10, 4))
            events.append(IssueEvent(issue=issue, kind="answer", to_value="Trả lời",
                                     at=dt.datetime.combine(day, dt.time(10), tzinfo=tz)))
    answered_at = [e.at for e in events]
    IssueEvent.objects.bulk_create(events, batch_size=5000)
    for event, at in zip(events, answered_at, strict=True):  # auto_now_add stamped them now
        event.at = at
    IssueEvent.objects.bulk_update(events, ["at"], batch_size=1000)
    directions = Direction.objects.bulk_create([
        Direction(code=f"CD-{i}", text="Nắm tình hình.", due_on=dt.date(YEAR, rng.randint(3, 12),
                                                                        15))
        for i in range(300)
    ])
    parts = []
    for direction in directions:
        for unit in rng.sample(open_units, 40):
            done = None
            if rng.random() < 0.75:
                day = direction.due_on + dt.timedelta(days=rng.randint(-12, 5))
                done = dt.datetime.combine(day, dt.time(15), tzinfo=tz)
            parts.append(DirectionAssignment(direction=direction, unit=unit, done_at=done))
    DirectionAssignment.objects.bulk_create(parts, batch_size=5000)
    users = User.objects.bulk_create([
        User(username=f"ctv-{u.pk}", role=User.Role.COLLABORATOR, unit=u)
        for u in units[::2]
    ], batch_size=5000)
    Collaborator.objects.bulk_create([
        Collaborator(full_name=f"Cộng tác viên {n}", name_folded=f"cong tac vien {n}",
                     user=user, unit_id=user.unit_id, started_on=dt.date(2024, 1, 1))
        for n, user in enumerate(users)
    ], batch_size=5000)
    OpinionItem.objects.bulk_create([
        OpinionItem(text="Ý kiến.", text_folded="y kien.", channel=Channel.COLLABORATOR,
                    received_on=dt.date(YEAR, rng.randint(1, 12), rng.randint(1, 28)),
                    unit_id=(user := rng.choice(users)).unit_id, created_by=user)
        for _ in range(50000)
    ], batch_size=5000)
    return {"reports": len(reports), "streams": len(streams), "issues": len(issues),
            "assignments": len(parts), "items": 50000, "units": len(units)}


def per_unit_loop(key, today):
    """What a first draft does: every measure asked unit by unit (a handful of queries each)."""
    from django.db.models import BooleanField, Case, Exists, Min, OuterRef, Q, Value, When
    from django.utils import timezone

    from evaluation import measures, scoring
    from evaluation.models import Criterion
    from evaluation.selectors import criteria_set_for
    from intake.models import OpinionItem
    from issues.models import Issue, IssueEvent
    from picture.accountability import CLOSED_LABELS
    from reporting.models import OpinionStream, UnitReport
    from reporting.selectors import default_template

    M = Criterion.Measure
    criteria_set = criteria_set_for(key)
    specs = criteria_set.specs()
    template = default_template("month")
    tz = timezone.get_current_timezone()
    ctx = measures.context_for(key, today)
    due = {m.code: m for m in key.months()
           if template.covers(m) and today > template.deadline_of(m)}
    cards = {}
    for unit in ctx.units:
        months = ctx.open_months[unit.id]
        values = {}
        if template.units.filter(pk=unit.id).exists():
            owed = [m.code for m in months if m.code in due]
            on_time = UnitReport.objects.filter(
                template=template, unit_id=unit.id, state="submitted", period__code__in=owed
            ).annotate(ok=Case(*[When(period__code=c, first_submitted_at__lt=template
                                      .deadline_ends_at(due[c], tz), then=Value(True))
                                 for c in owed], default=Value(False),
                               output_field=BooleanField())).filter(ok=True).count()
            values[M.REPORTS_ON_TIME] = scoring.rate(on_time, len(owed))
        begun = [m.code for m in months]
        reports = UnitReport.objects.filter(unit_id=unit.id, state="submitted",
                                            period__code__in=begun, period__kind="month")
        streams = OpinionStream.objects.filter(report__in=reports)
        total = streams.count()
        complete = streams.filter(social_groups__isnull=False).distinct().count()
        values[M.STREAMS_COMPLETE] = scoring.rate(complete, total)
        rows = list(reports.annotate(
            latent=Exists(OpinionStream.objects.filter(report_id=OuterRef("pk"), latent=True))
        ).values_list("sections", "latent"))
        values[M.LATENT_NAMED] = scoring.rate(
            sum(1 for s, lat in rows if lat or (s.get("du_luan_tiem_an") or "").strip()),
            len(rows))
        values[M.PROPOSALS_MADE] = scoring.rate(
            sum(1 for s, _ in rows if (s.get("kien_nghi") or "").strip()), len(rows))
        done = Q(events__kind=IssueEvent.Kind.ANSWER) | Q(
            events__kind=IssueEvent.Kind.STATUS, events__to_value__in=list(CLOSED_LABELS))
        issues = Issue.objects.filter(owner_unit_id=unit.id, merged_into__isnull=True,
                                      due_on__gte=key.start, due_on__lte=ctx.last_due_day
                                      ).annotate(done_at=Min("events__at", filter=done))
        flags = [measures._issue_on_time(d, a) for d, a in issues.values_list("due_on", "done_at")]
        values[M.ISSUES_ON_TIME] = scoring.rate(sum(flags), len(flags))
        parts = measures._assignments(ctx, [unit.id]).values_list(
            "direction__due_on", "done_at", "direction__done_at")
        flags = [measures._direction_on_time(d, a, b) for d, a, b in parts]
        values[M.DIRECTIONS_ON_TIME] = scoring.rate(sum(flags), len(flags))
        items = OpinionItem.objects.filter(
            received_on__gte=key.start, received_on__lte=min(key.end, today),
            created_by__collaborator__unit_id=unit.id).count()
        values[M.COLLABORATOR_ITEMS] = scoring.per_month(items, len(months))
        by_code = {s.code: values[s.measure] for s in specs if s.measure in values}
        cards[unit.id] = scoring.score_card(unit.id, specs, by_code, criteria_set.thresholds,
                                            months=len(months))
    return cards


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline-runs", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    django_on_fresh_sqlite("scorecards")
    from evaluation.selectors import compute_board
    from reporting.periods import parse_period

    started = time.perf_counter()
    sizes = build_world(random.Random(11))
    built = time.perf_counter() - started
    key = parse_period(str(YEAR))

    def ours():
        return compute_board(key, today=TODAY)

    board = ours()
    assert len(board.cards) == UNITS + PARENTS  # the đảng bộ are scored too (no data: unranked)
    loop = per_unit_loop(key, TODAY)
    for card in board.cards:  # both must agree before their speed is compared
        assert card.total == loop[card.unit_id].total, card.unit_id
    ours_median, ours_all = timed(ours, args.runs)
    base_median, base_all = timed(lambda: per_unit_loop(key, TODAY), args.baseline_runs)
    classes = {}
    for card in board.cards:
        classes[card.classification_label] = classes.get(card.classification_label, 0) + 1
    result = {
        "benchmark": f"scorecards {UNITS:,} units x 1 year (SQLite)",
        "machine": machine(),
        "revision": git_revision(),
        "date": dt.date.today().isoformat(),
        "world": sizes,
        "build_s": round(built, 1),
        "ours_median_s": round(ours_median, 3),
        "ours_runs_s": [round(t, 3) for t in ours_all],
        "per_unit_loop_median_s": round(base_median, 2),
        "per_unit_loop_runs_s": [round(t, 2) for t in base_all],
        "speedup": round(base_median / ours_median, 1),
        "classes": classes,
        "target_s": 5.0,
    }
    print(json.dumps(result, ensure_ascii=False, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
