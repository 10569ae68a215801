"""The leaders' picture of opinion, scoped to the reader: one selector behind the page
(``/buc-tranh/``), the API (``/api/v1/picture/``) and the command (``longdan picture``).

Every figure is built from cells (``picture.counting``); the panels here only arrange them.
Counts that could point at a person are shown as "< 3" to everyone but the office (see
docs/ARCHITECTURE.md, "Small numbers").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace

from django.db.models import Exists, Max, OuterRef, Q

from core.models import Channel, SocialGroup, Topic
from core.text import natural_key
from issues.models import Answer
from issues.selectors import OPEN_STATUSES, issues_visible_to, owned_or_heard_by
from orgs.models import Area, Collaborator, OrgUnit
from picture import trending
from picture.counting import ITEM, STREAM, Cell, RawCounter, RollupCounter, rollups_answer
from picture.query import (
    AGGRIEVED,
    ATTITUDES,
    CONCERNED,
    PictureQuery,
    read_query,
    topic_code,
)
from reporting.models import OpinionStream, UnitReport
from reporting.periods import month_of as report_month_of
from reporting.selectors import compliance_for, default_template

SMALL = 3
SMALL_LABEL = f"< {SMALL}"
UNCLASSIFIED = "Chưa phân loại"
LATENT_LOOKBACK_MONTHS = 6


def counter_for(query: PictureQuery):
    """The fastest counter that answers ``query`` exactly.

    The rollups (``RollupCounter``) when they hold the reader's scope — the whole ward, or one
    unit's subtree (every reader's scope is one of these) — and the query has at most one filter
    (area, topic, social group or channel; a dimension no cuboid crosses with that filter is
    counted from the raw rows); the raw rows (``RawCounter``) otherwise."""
    return RollupCounter(query) if rollups_answer(query) else RawCounter(query)


def picture_for(query: PictureQuery) -> dict:
    """Every panel of the picture for ``query``, as plain JSON-ready values."""
    counter = counter_for(query)
    window, previous = query.window, query.window.previous()
    current_cells = {dim: counter.cells(dim, window.start, window.end)
                     for dim in ("all", "topic", "area", "group", "channel", "group_topic")}
    previous_all = counter.cells("all", previous.start, previous.end)
    topics, areas = topic_names(), _areas_in_scope(query)
    silent = silent_areas(query, areas)
    silent_ids = {row["id"] for row in silent}
    return {
        "period": {**window.as_dict(), "previous": previous.as_dict()},
        "filters": query.describe(),
        "totals": _totals(query, current_cells["all"], previous_all),
        "topics": _topics(query, current_cells["topic"], topics),
        "heat": heat_table(query, counter, topics),
        "areas": _areas(query, current_cells["area"], areas, silent_ids),
        "social_groups": _social_groups(query, current_cells["group"],
                                        current_cells["group_topic"], topics),
        "channels": _channels(query, current_cells["channel"]),
        "rising": trending.rising(query, counter, _names_for_rising(query, topics)),
        "forecast": trending.forecast(query, counter, topics),
        "silent_areas": silent,
        "coverage": coverage(query, current_cells, areas, silent),
        "latent": _latent(current_cells["all"]),
    }


def _names_for_rising(query: PictureQuery, topics: dict[str, str]) -> dict[str, dict[str, str]]:
    issues = issues_visible_to(query.reader).values_list("pk", "code", "title")
    return {
        "topic": topics,
        "area": {str(pk): name for pk, name in Area.objects.values_list("pk", "name")},
        "issue": {str(pk): f"{code} — {title}" for pk, code, title in issues},
    }


def rising_now(today: dt.date) -> list[dict]:
    """What is rising in the whole ward in the seven days ending ``today`` (the alerts' source)."""
    from orgs.models import User

    office = User(username="longdan-alerts", role=User.Role.OFFICE)
    query = read_query(office, {"period": "7d"}, today=today)
    counter = counter_for(query)
    rows = trending.rising(query, counter, _names_for_rising(query, topic_names()))
    for row in rows:
        row["topic_id"] = int(row["key"]) if row["kind"] == "topic" else None
        row["area_id"] = int(row["key"]) if row["kind"] == "area" else None
    return rows


# -- small numbers ------------------------------------------------------------------------------


def shown(query: PictureQuery, count: int, *, sensitive: bool):
    """The count as a reader may see it: "< 3" for a sensitive 1 or 2 outside the office."""
    if sensitive and 0 < count < SMALL and not query.sees_small_cells:
        return SMALL_LABEL
    return count


def _pinpointing(query: PictureQuery) -> bool:
    """A filter to one area or one social group makes every small count a possible person."""
    return bool(query.area or query.group)


# -- totals -------------------------------------------------------------------------------------


def _sum(cells: list[Cell], *, source: str | None = None, attitudes=None) -> int:
    return sum(
        cell.count for cell in cells
        if (source is None or cell.source == source)
        and (attitudes is None or cell.attitude in attitudes)
    )


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _headline(cells: list[Cell]) -> dict:
    items, streams = _sum(cells, source=ITEM), _sum(cells, source=STREAM)
    with_attitude = _sum(cells, attitudes=ATTITUDES)
    return {
        "items": items,
        "stream_mentions": streams,
        "heard": items + streams,
        "by_attitude": {att: _sum(cells, attitudes=(att,)) for att in ATTITUDES},
        "concerned_share": _share(_sum(cells, attitudes=CONCERNED), with_attitude),
        "aggrieved_share": _share(_sum(cells, attitudes=AGGRIEVED), with_attitude),
        "latent": sum(cell.latent for cell in cells),
    }


def _totals(query: PictureQuery, current: list[Cell], previous: list[Cell]) -> dict:
    now, before = _headline(current), _headline(previous)
    change = {key: now[key] - before[key] for key in ("items", "stream_mentions", "heard")}
    if _pinpointing(query) and not query.sees_small_cells:
        for headline in (now, before):
            _hide_small(query, headline)
        change = {key: None if SMALL_LABEL in (now[key], before[key]) else value
                  for key, value in change.items()}
    return {
        **now, **issue_figures(query), "on_time_rate": on_time_rate(query),
        "previous": before, "change": change,
    }


def _hide_small(query: PictureQuery, headline: dict) -> None:
    """Within one area or social group, a 1 or 2 (and the shares made of it) may be a person."""
    for key in ("items", "stream_mentions", "heard"):
        headline[key] = shown(query, headline[key], sensitive=True)
    headline["by_attitude"] = {
        att: shown(query, n, sensitive=True) for att, n in headline["by_attitude"].items()
    }
    if headline["heard"] == SMALL_LABEL:
        headline["concerned_share"] = headline["aggrieved_share"] = None


def issue_figures(query: PictureQuery) -> dict:
    """Open and overdue issues now, and issues answered in the period, in the reader's scope."""
    issues = issues_visible_to(query.reader).filter(merged_into__isnull=True)
    if query.unit is not None:
        issues = owned_or_heard_by(issues, query.unit_ids)
    if query.topic:
        issues = issues.filter(topic=query.topic)
    if query.area:
        issues = issues.filter(area=query.area)
    open_issues = issues.filter(status__in=OPEN_STATUSES)
    answered = Answer.objects.filter(
        issues__in=issues, published_at__date__range=(query.window.start, query.window.end)
    ).values("issues").distinct()
    return {
        "issues_open": open_issues.count(),
        "issues_overdue": open_issues.filter(due_on__lt=query.today).count(),
        "issues_answered": answered.count(),
    }


def on_time_rate(query: PictureQuery) -> dict | None:
    """The reports' on-time rate of the last month whose deadline the period has reached."""
    template = default_template("month")
    if template is None:
        return None
    key = report_month_of(query.window.end)
    if template.deadline_of(key) >= query.today:
        key = key.previous()
    reader = query.reader
    if query.unit is not None:
        from orgs.models import User

        reader = User(username=reader.username, role=User.Role.REPORTER, unit=query.unit)
    view = compliance_for(reader, template=template, period=key, months=1, today=query.today)
    total = view.period.total
    return {
        "period": key.code,
        "label": key.label,
        "expected": total.expected,
        "on_time": total.on_time,
        "rate": _share(total.on_time, total.expected),
    }


# -- topics, groups, channels -------------------------------------------------------------------


def topic_names() -> dict[str, str]:
    return {topic_code(topic): topic.name for topic in Topic.objects.all()}


def _by_key(cells: list[Cell]) -> dict[str, list[Cell]]:
    grouped: dict[str, list[Cell]] = defaultdict(list)
    for cell in cells:
        grouped[cell.key].append(cell)
    return grouped


def _topics(query: PictureQuery, cells: list[Cell], names: dict[str, str]) -> list[dict]:
    sensitive = _pinpointing(query)
    rows = []
    for key, group in _by_key(cells).items():
        count = _sum(group)
        rows.append({
            "code": key,
            "name": names.get(key, UNCLASSIFIED),
            "count": count,
            "items": _sum(group, source=ITEM),
            "stream_mentions": _sum(group, source=STREAM),
            "by_attitude": {att: _sum(group, attitudes=(att,)) for att in ATTITUDES},
            "aggrieved_share": _share(_sum(group, attitudes=AGGRIEVED),
                                      _sum(group, attitudes=ATTITUDES)),
        })
    rows.sort(key=lambda row: (-row["count"], row["name"]))
    for row in rows:
        row["count"] = shown(query, row["count"], sensitive=sensitive)
        row["items"] = shown(query, row["items"], sensitive=sensitive)
        row["stream_mentions"] = shown(query, row["stream_mentions"], sensitive=sensitive)
        row["by_attitude"] = {
            att: shown(query, n, sensitive=sensitive) for att, n in row["by_attitude"].items()
        }
        if row["count"] == SMALL_LABEL:
            row["aggrieved_share"] = None
    return rows


def _social_groups(query, cells: list[Cell], crossed: list[Cell], topics: dict) -> list[dict]:
    names = {str(pk): name for pk, name in SocialGroup.objects.values_list("pk", "name")}
    by_topic: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for cell in crossed:
        group, _, topic = cell.key.partition(":")
        by_topic[group][topic] += cell.count
    rows = []
    for key, group in _by_key(cells).items():
        if not key:
            continue  # no social group named: not a group
        rows.append({
            "id": int(key),
            "name": names.get(key, key),
            "count": _sum(group),
            "topics": [
                {"code": topic, "name": topics.get(topic, UNCLASSIFIED), "count": n}
                for topic, n in sorted(by_topic[key].items(), key=lambda kv: -kv[1])
            ],
        })
    rows.sort(key=lambda row: (-row["count"], row["name"]))
    for row in rows:  # a social group is always a way to point at a person
        row["count"] = shown(query, row["count"], sensitive=True)
        for topic in row["topics"]:
            topic["count"] = shown(query, topic["count"], sensitive=True)
    return rows


def _channels(query: PictureQuery, cells: list[Cell]) -> list[dict]:
    sensitive = _pinpointing(query)
    labels = dict(Channel.choices)
    rows = [
        {"code": key, "name": labels.get(key, key), "count": _sum(group),
         "items": _sum(group, source=ITEM), "stream_mentions": _sum(group, source=STREAM)}
        for key, group in _by_key(cells).items()
    ]
    rows.sort(key=lambda row: -row["count"])
    for row in rows:
        for name in ("count", "items", "stream_mentions"):
            row[name] = shown(query, row[name], sensitive=sensitive)
    return rows


def _latent(cells: list[Cell]) -> dict:
    return {
        "items": sum(cell.latent for cell in cells if cell.source == ITEM),
        "stream_mentions": sum(cell.latent for cell in cells if cell.source == STREAM),
    }


# -- the heat table: topic x week or month ------------------------------------------------------


WEEKLY_BUCKETS_DAYS = 16 * 7


def buckets(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date, str]]:
    """Weeks for periods up to 16 weeks, months beyond; each (first day, last day, label)."""
    if (end - start).days <= WEEKLY_BUCKETS_DAYS:
        first = start - dt.timedelta(days=start.weekday())
        out = []
        while first <= end:
            last = first + dt.timedelta(days=6)
            out.append((max(first, start), min(last, end), f"{first:%d/%m}"))
            first = last + dt.timedelta(days=1)
        return out
    out, first = [], start.replace(day=1)
    while first <= end:
        following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        out.append((max(first, start), min(following - dt.timedelta(days=1), end),
                    f"{first:%m/%Y}"))
        first = following
    return out


def heat_table(query: PictureQuery, counter, names: dict[str, str]) -> dict:
    window = query.window
    until = min(window.end, query.today)  # the weeks still to come are not zeros
    spans = buckets(window.start, until)
    by_month = (until - window.start).days > WEEKLY_BUCKETS_DAYS  # whole months come whole
    cells = counter.day_totals("topic", window.start, until, by_month=by_month)
    grid: dict[str, list[int]] = defaultdict(lambda: [0] * len(spans))
    for cell in cells:
        for index, (first, last, _) in enumerate(spans):
            if first <= cell.day <= last:
                grid[cell.key][index] += cell.count
                break
    sensitive = _pinpointing(query)
    # Equal totals by name: month cells come dated the month's first day, so the order cells
    # arrive in may differ between counters.
    rows = sorted(grid.items(), key=lambda kv: (-sum(kv[1]), names.get(kv[0], UNCLASSIFIED), kv[0]))
    return {
        "buckets": [{"start": f.isoformat(), "end": lst.isoformat(), "label": label}
                    for f, lst, label in spans],
        "rows": [
            {"code": key, "name": names.get(key, UNCLASSIFIED),
             "counts": [shown(query, n, sensitive=sensitive) for n in counts]}
            for key, counts in rows
        ],
    }


# -- areas, silence, coverage -------------------------------------------------------------------


def _areas_in_scope(query: PictureQuery) -> list[Area]:
    areas = Area.objects.all()
    if query.unit_ids is not None:
        areas = areas.filter(unit_id__in=query.unit_ids)
    if query.area:
        areas = areas.filter(pk=query.area.pk)
    return list(areas.order_by("sort_key", "name"))


def _areas(query, cells: list[Cell], areas: list[Area], silent_ids: set[int]) -> list[dict]:
    grouped = _by_key(cells)
    rows = []
    for area in areas:
        group = grouped.get(str(area.pk), [])
        count = _sum(group)
        rows.append({
            "id": area.pk,
            "name": area.name,
            "population": area.population,
            # An area is a place where people know each other: a 1 or 2 may be a person.
            "count": shown(query, count, sensitive=True),
            "per_1000": round(count * 1000 / area.population, 2) if area.population else None,
            "aggrieved_share": _share(_sum(group, attitudes=AGGRIEVED),
                                      _sum(group, attitudes=ATTITUDES)),
            "silent": area.pk in silent_ids,
        })
    for row in rows:
        if row["count"] == SMALL_LABEL:
            row["per_1000"] = row["aggrieved_share"] = None
    return rows


def silent_areas(query: PictureQuery, areas: list[Area]) -> list[dict]:
    """Areas in scope from which no channel heard anything in the last N weeks.

    Silence is about the area, whatever the topic, group or channel filter: only the unit and
    area filters narrow it."""
    counter = counter_for(replace(query, topic=None, group=None, channel=""))
    anchor = min(query.window.end, query.today)
    since = anchor - dt.timedelta(weeks=query.silent_weeks) + dt.timedelta(days=1)
    lookback = anchor - dt.timedelta(days=365)
    last_heard = counter.last_heard("area", lookback, anchor)
    rows = []
    for area in areas:
        last = last_heard.get(str(area.pk))
        if last is None or last < since:
            rows.append({
                "id": area.pk, "name": area.name, "population": area.population,
                "last_heard": last.isoformat() if last else None,
                "weeks_silent": ((anchor - last).days // 7) if last else None,
                "action": "assign_collaborator",
            })
    # Never heard first, then the longest silence, then the most residents unheard.
    rows.sort(key=lambda row: (row["last_heard"] is not None, -(row["weeks_silent"] or 0),
                               -row["population"], natural_key(row["name"])))
    return rows


def coverage(query: PictureQuery, cells: dict, areas: list[Area], silent: list[dict]) -> dict:
    """R12: where the ward is not listening — each gap with the action that fills it."""
    heard_groups = {cell.key for cell in cells["group"] if cell.count}
    heard_topics = {cell.key for cell in cells["topic"] if cell.count}
    groups = SocialGroup.objects.filter(active=True).order_by("position", "name")
    topics = Topic.objects.filter(active=True, parent__isnull=True).order_by("position", "name")
    return {
        "silent_areas": silent,
        "unheard_groups": [
            {"id": g.pk, "name": g.name, "action": "plan_survey"}
            for g in groups if str(g.pk) not in heard_groups
        ],
        "unheard_topics": [
            {"code": topic_code(t), "name": t.name, "action": "plan_survey"}
            for t in topics if topic_code(t) not in heard_topics
        ],
        "areas_without_collaborator": _areas_without_collaborator(query, areas),
        "units_never_latent": _units_never_latent(query),
    }


def _areas_without_collaborator(query: PictureQuery, areas: list[Area]) -> list[dict]:
    covered = set(
        Collaborator.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=query.today),
            status=Collaborator.Status.ACTIVE,
        ).values_list("areas__id", flat=True)
    )
    return [
        {"id": area.pk, "name": area.name, "population": area.population,
         "action": "assign_collaborator"}
        for area in areas if area.pk not in covered
    ]


def _units_never_latent(query: PictureQuery) -> list[dict]:
    """Units that reported in the last months without ever naming a latent opinion.

    One query with two correlated subqueries: a city's 6,000 units are never sent back to the
    database as a list of ids."""
    since = query.today - dt.timedelta(days=31 * LATENT_LOOKBACK_MONTHS)
    reports = UnitReport.objects.filter(
        unit=OuterRef("pk"), state=UnitReport.State.SUBMITTED, period__end__gte=since
    )
    latent = OpinionStream.objects.filter(
        report__unit=OuterRef("pk"), report__state=UnitReport.State.SUBMITTED,
        report__period__end__gte=since, latent=True,
    )
    units = OrgUnit.objects.filter(Exists(reports)).exclude(Exists(latent))
    if query.unit_ids is not None:
        units = units.filter(pk__in=query.unit_ids)
    return [{"id": u.pk, "code": u.code, "name": u.name, "action": "report_latent"}
            for u in units.order_by("sort_key", "name").only("pk", "code", "name")]


def last_heard_on(query: PictureQuery) -> dt.date | None:
    """The most recent day anything was heard in scope (an empty period says where to look)."""
    counter = RawCounter(query)
    latest = counter.items(dt.date(2000, 1, 1), query.today).aggregate(day=Max("received_on"))
    return latest["day"]

