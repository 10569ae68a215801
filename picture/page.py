"""What the picture's page shows, arranged from ``picture_for``: every number with the link to the
records behind it (or none, when the number is "< 3" or nothing), the period picker's neighbours,
the filters' choices limited to the reader's scope, the heat table's shades.

Pure arrangement: the counting is in ``picture.selectors``, the listing in ``picture.drilldown``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.db.models import F, Q
from django.urls import reverse

from core.models import Attitude, Channel, SocialGroup, Topic
from core.text import natural_key
from orgs.models import Area, OrgUnit
from orgs.selectors import visible_unit_ids
from picture.drilldown import NO_TOPIC, refused
from picture.models import Direction, LatentCandidate
from picture.query import PictureQuery
from picture.selectors import SMALL_LABEL
from picture.window import DEFAULT as DEFAULT_WINDOW
from picture.window import MONTH, QUARTER, RANGE, WEEK, YEAR, Window, month_of, week_of

ATTITUDE_COLUMNS = [(value, label) for value, label in Attitude.choices]
ATTITUDE_COLOURS = {"dong_tinh": "#1f7a3d", "ban_khoan": "#d08a00", "buc_xuc": "#c0392b",
                    "phan_doi": "#7b1e1e"}
HEAT_SHADES = 5


@dataclass(frozen=True)
class Number:
    """A figure as shown, and where it leads (None: not a link)."""

    value: object
    url: str | None = None

    @property
    def small(self) -> bool:
        return self.value == SMALL_LABEL


class Linker:
    """Builds drill-down links for one query; a number the reader may not open gets none."""

    def __init__(self, query: PictureQuery):
        self.query = query
        self.base = reverse("picture:drill")

    def number(self, value, *, area=None, group=None, **params) -> Number:
        if isinstance(value, str) or not value:
            return Number(value)
        narrowed = self.query
        if area is not None or group is not None:
            narrowed = replace(self.query, area=area or self.query.area,
                               group=group or self.query.group)
        if refused(narrowed, int(value)):
            return Number(value)
        if area is not None:
            params["area"] = area.pk
        if group is not None:
            params["group"] = group.pk
        return Number(value, f"{self.base}?{urlencode(self.query.params(**params))}")


def percent(share) -> str:
    if share is None:
        return "—"
    return f"{share * 100:.0f}%".replace(".", ",")


def change_of(now, before, *, points: bool = False) -> dict | None:
    """The change against the previous period, as words and a direction for the arrow."""
    if now is None or before is None or isinstance(now, str) or isinstance(before, str):
        return None
    diff = (now - before) * (100 if points else 1)
    if points:
        diff = round(diff)
    direction = "up" if diff > 0 else "down" if diff < 0 else "same"
    magnitude = abs(diff)
    text = f"{magnitude} điểm %" if points else f"{magnitude}"
    return {"direction": direction, "text": "không đổi" if not diff else text}


# -- the period picker --------------------------------------------------------------------------


def window_code(window: Window) -> str:
    return window.code or f"{window.start.isoformat()}..{window.end.isoformat()}"


def next_window(window: Window) -> Window | None:
    day = window.end + dt.timedelta(days=1)
    if window.kind == WEEK:
        return week_of(day)
    if window.kind == MONTH:
        return month_of(day)
    if window.kind == QUARTER:
        from picture.window import parse_window

        return parse_window(f"{day.year}-Q{(day.month - 1) // 3 + 1}", day)
    if window.kind == YEAR:
        from picture.window import parse_window

        return parse_window(str(day.year), day)
    if window.kind == RANGE:
        end = day + dt.timedelta(days=window.days - 1)
        return Window(RANGE, day, end, f"{day.isoformat()}..{end.isoformat()}")
    from picture.window import parse_window

    return parse_window(f"{day.year}-H{1 if day.month <= 6 else 2}", day)


def _kinds(today: dt.date) -> list[tuple[str, str, str]]:
    quarter = (today.month - 1) // 3 + 1
    return [
        ("recent", "4 tuần qua", DEFAULT_WINDOW),
        ("week", "Tuần", week_of(today).code),
        ("month", "Tháng", month_of(today).code),
        ("quarter", "Quý", f"{today.year}-Q{quarter}"),
        ("half", "6 tháng", f"{today.year}-H{1 if today.month <= 6 else 2}"),
        ("year", "Năm", str(today.year)),
    ]


def kind_links(today: dt.date) -> dict:
    """The period picker when the query could not be read: each kind, this one, no filter."""
    return {"kinds": [{"kind": kind, "label": label, "url": "?" + urlencode({"period": code}),
                       "active": False} for kind, label, code in _kinds(today)]}


def period_choices(query: PictureQuery) -> dict:
    today, window = query.today, query.window
    kinds = _kinds(today)
    previous = window.previous()
    following = next_window(window)
    return {
        "kinds": [{"kind": kind, "label": label, "url": "?" + urlencode(query.params(period=code)),
                   "active": window.code == code if kind == "recent" else window.kind == kind}
                  for kind, label, code in kinds],
        "previous": {"label": previous.label,
                     "url": "?" + urlencode(query.params(period=window_code(previous)))},
        "next": (
            {"label": following.label,
             "url": "?" + urlencode(query.params(period=window_code(following)))}
            if following is not None and following.start <= today else None
        ),
        "is_range": window.kind == RANGE,
    }


# -- filters limited to the reader ----------------------------------------------------------------


# Above this many units in scope (a city's), the unit filter lists the units that have units below
# them and the one chosen; the rest are found by typing (static/js/unit_picker.js).
UNIT_SELECT_LIMIT = 300


def filter_choices(reader, selected_unit: str = "") -> dict:
    visible = visible_unit_ids(reader)
    units = OrgUnit.objects.order_by("sort_key", "name")
    areas = Area.objects.order_by("sort_key", "name")
    if visible is not None:
        units = units.filter(pk__in=visible)
        areas = areas.filter(unit_id__in=visible)
    unit_count = units.count()
    searchable = unit_count > UNIT_SELECT_LIMIT
    if searchable:
        with_units_below = OrgUnit.objects.filter(parent__isnull=False).values("parent_id")
        units = units.filter(Q(pk__in=with_units_below) | Q(code=selected_unit))
    return {
        "units": [(u.code, u.name) for u in units.only("code", "name")],
        "units_searchable": searchable,
        "unit_count": unit_count,
        "areas": [(str(a.pk), a.name) for a in areas.only("pk", "name")],
        "topics": [(str(t.pk), t.name) for t in Topic.objects.filter(active=True)
                   .order_by("position", "name")],
        "groups": [(str(g.pk), g.name) for g in SocialGroup.objects.filter(active=True)
                   .order_by("position", "name")],
        "channels": list(Channel.choices),
    }


# -- panels ------------------------------------------------------------------------------------


def _topic_param(code: str) -> str:
    return code or NO_TOPIC


def headline(query: PictureQuery, totals: dict, link: Linker) -> dict:
    before = totals["previous"]
    change = totals["change"]
    return {
        "heard": link.number(totals["heard"]),
        "items": link.number(totals["items"], source="item"),
        "streams": link.number(totals["stream_mentions"], source="stream"),
        "heard_change": change_of(change.get("heard"), 0) if change.get("heard") is not None
        else None,
        "items_change": change_of(change.get("items"), 0) if change.get("items") is not None
        else None,
        "streams_change": (change_of(change.get("stream_mentions"), 0)
                           if change.get("stream_mentions") is not None else None),
        "previous": before,
        "concerned": percent(totals["concerned_share"]),
        "concerned_url": link.number(totals["heard"], attitude="concerned").url,
        "concerned_change": change_of(totals["concerned_share"], before["concerned_share"],
                                      points=True),
        "aggrieved": percent(totals["aggrieved_share"]),
        "aggrieved_url": link.number(totals["heard"], attitude="aggrieved").url,
        "aggrieved_change": change_of(totals["aggrieved_share"], before["aggrieved_share"],
                                      points=True),
        "latent": totals["latent"],
    }


def topic_rows(query: PictureQuery, topics: list[dict], link: Linker) -> list[dict]:
    rows = []
    for row in topics:
        code = _topic_param(row["code"])
        rows.append({
            "name": row["name"], "code": row["code"],
            "count": link.number(row["count"], topic=code),
            "items": link.number(row["items"], topic=code, source="item"),
            "streams": link.number(row["stream_mentions"], topic=code, source="stream"),
            "attitudes": [link.number(row["by_attitude"][att], topic=code, attitude=att)
                          for att, _ in ATTITUDE_COLUMNS],
            "aggrieved": percent(row["aggrieved_share"]),
        })
    return rows


def chart_data(topics: list[dict]) -> dict:
    """The attitude mix per topic for Chart.js; a "< 3" cell is drawn as nothing (null)."""
    top = topics[:10]
    return {
        "labels": [row["name"] for row in top],
        "datasets": [
            {"label": label, "colour": ATTITUDE_COLOURS[att],
             "data": [row["by_attitude"][att] if isinstance(row["by_attitude"][att], int)
                      else None for row in top]}
            for att, label in ATTITUDE_COLUMNS
        ],
    }


def heat_rows(query: PictureQuery, heat: dict, link: Linker) -> dict:
    buckets = heat["buckets"]
    numbers = [n for row in heat["rows"] for n in row["counts"] if isinstance(n, int)]
    peak = max(numbers, default=0)
    rows = []
    for row in heat["rows"]:
        cells = []
        for bucket, value in zip(buckets, row["counts"], strict=True):
            period = f"{bucket['start']}..{bucket['end']}"
            shade = 0
            if isinstance(value, int) and value and peak:
                shade = max(1, round(HEAT_SHADES * value / peak))
            elif value == SMALL_LABEL:
                shade = 1
            number = link.number(value, topic=_topic_param(row["code"]), period=period)
            cells.append({"number": number, "shade": shade})
        rows.append({"name": row["name"], "cells": cells,
                     "total": sum(n for n in row["counts"] if isinstance(n, int))})
    return {"buckets": buckets, "rows": rows, "monthly": len(buckets) and
            buckets[0]["label"].count("/") == 1 and len(buckets[0]["label"]) == 7}


def group_rows(groups: list[dict], link: Linker) -> list[dict]:
    by_pk = {g.pk: g for g in SocialGroup.objects.filter(pk__in=[r["id"] for r in groups])}
    rows = []
    for row in groups:
        group = by_pk.get(row["id"])
        rows.append({
            "name": row["name"],
            "count": link.number(row["count"], group=group),
            "topics": [
                {"name": t["name"],
                 "count": link.number(t["count"], group=group, topic=_topic_param(t["code"]))}
                for t in row["topics"][:6]
            ],
        })
    return rows


def channel_rows(channels: list[dict], link: Linker) -> list[dict]:
    peak = max((r["count"] for r in channels if isinstance(r["count"], int)), default=0)
    return [{
        "name": row["name"],
        "count": link.number(row["count"], channel=row["code"]),
        "items": link.number(row["items"], channel=row["code"], source="item"),
        "streams": link.number(row["stream_mentions"], channel=row["code"], source="stream"),
        "width": (round(100 * row["count"] / peak) if peak and isinstance(row["count"], int)
                  else 0),
    } for row in channels]


def area_rows(areas: list[dict], link: Linker) -> list[dict]:
    by_pk = {a.pk: a for a in Area.objects.filter(pk__in=[r["id"] for r in areas])}
    rows = [{
        **row,
        "number": link.number(row["count"], area=by_pk.get(row["id"])),
        "aggrieved": percent(row["aggrieved_share"]),
    } for row in areas]
    rows.sort(key=lambda r: (-(r["per_1000"] or 0), natural_key(r["name"])))
    return rows


def gaps(coverage: dict, *, can_act: bool) -> list[dict]:
    """Each coverage gap as a section of rows, each row with its action's form values."""
    labels = dict(Direction.Action.choices)
    open_tasks = _open_tasks() if can_act else {}
    sections = [
        ("silent_areas", "area", "Tổ dân phố im lặng",
         "Không kênh nào ghi nhận ý kiến trong những tuần gần đây (xếp theo số dân)."),
        ("areas_without_collaborator", "area", "Tổ dân phố chưa có cộng tác viên",
         "Chưa có cộng tác viên đang hoạt động phụ trách."),
        ("unheard_groups", "group", "Nhóm xã hội chưa được nghe",
         "Trong kỳ không có ý kiến nào của nhóm này."),
        ("unheard_topics", "topic", "Chủ đề chưa ai phản ánh",
         "Chủ đề trong danh mục nhưng trong kỳ không có ý kiến nào."),
        ("units_never_latent", "unit", "Đơn vị chưa nêu dư luận tiềm ẩn",
         "Báo cáo 6 tháng qua không nêu dư luận tiềm ẩn nào."),
    ]
    out = []
    for key, gap, title, hint in sections:
        rows = []
        for row in coverage.get(key, []):
            target = row.get("id") if gap != "topic" else row.get("code")
            action = row.get("action", "")
            rows.append({**row, "gap": gap, "target": target, "action": action,
                         "action_label": labels.get(action, ""),
                         "task": open_tasks.get((action, gap, str(target)))})
        out.append({"key": key, "title": title, "hint": hint, "rows": rows})
    return out


def _open_tasks() -> dict[tuple[str, str, str], str]:
    """The open tasks by (action, gap, target): the page shows "đã giao" instead of a button."""
    found: dict[tuple[str, str, str], str] = {}
    tasks = Direction.objects.filter(
        kind=Direction.Kind.TASK,
        status__in=(Direction.Status.OPEN, Direction.Status.IN_PROGRESS),
    ).prefetch_related("units")
    for task in tasks:
        if task.area_id:
            found[(task.action, "area", str(task.area_id))] = task.code
        elif task.topic_id:
            found[(task.action, "topic", str(task.topic_id))] = task.code
        elif task.social_group_id:
            found[(task.action, "group", str(task.social_group_id))] = task.code
        else:
            for unit in task.units.all():
                found[(task.action, "unit", str(unit.pk))] = task.code
    return found


def latent_candidates(query: PictureQuery):
    candidates = LatentCandidate.objects.filter(
        state=LatentCandidate.State.PROPOSED
    ).select_related("topic", "area")
    if query.unit_ids is not None:
        candidates = candidates.filter(area__unit_id__in=query.unit_ids)
    # The newest first; of a day's, the ward-wide ones, then the most opinions.
    ordered = candidates.order_by("-detected_on", F("area_id").asc(nulls_first=True), "-count")
    return list(ordered[:20])


RISING_KINDS = {"topic": "Chủ đề", "area": "Tổ dân phố", "issue": "Vấn đề", "group": "Nhóm"}


def rising_rows(query: PictureQuery, rising: list[dict]) -> list[dict]:
    """The rising list with a link from each name: a topic or an area to its records in the
    period, an issue to its page (the count is over the detector's own window, so not a link)."""
    base = reverse("picture:drill")
    rows = []
    for row in rising:
        kind, key = row.get("kind", ""), str(row.get("key", "") or "")
        url = None
        if kind == "topic" and key:
            url = f"{base}?{urlencode(query.params(topic=key))}"
        elif kind == "area" and key.isdigit():
            count = row.get("count")
            narrowed = replace(query, area=Area(pk=int(key)))
            hidden = not isinstance(count, int) or refused(narrowed, count)
            url = None if hidden else f"{base}?{urlencode(query.params(area=key))}"
        elif kind == "issue" and key.isdigit():
            url = reverse("issue_detail", args=[int(key)])
        rows.append({**row, "kind_label": RISING_KINDS.get(kind, ""), "url": url,
                     "expected_low": row.get("expected_low"),
                     "expected_high": row.get("expected_high")})
    return rows


def issue_links(query) -> dict[str, str]:
    """The issue list narrowed as the headline's issue figures count: the topic, the area, a unit
    with its sub-units (``picture.selectors.issue_figures``)."""
    narrow = {}
    if query.topic:
        narrow["topic"] = query.topic.pk
    if query.area:
        narrow["area"] = query.area.pk
    if query.unit is not None:
        narrow["unit"] = query.unit.pk
    base = reverse("issue_list")
    return {
        "open": f"{base}?{urlencode({'status': 'open', **narrow})}",
        "overdue": f"{base}?{urlencode({'overdue': 'on', **narrow})}",
    }
