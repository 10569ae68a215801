"""The records behind a number of the picture: the same query narrowed by the cell's topic,
attitude, source and the rest, counted and listed by the same raw counter, so the list holds
exactly what the number counted (masked item text; streams with their report's unit and period).

A narrowed cell that the picture shows a non-office reader as "< 3" is not listed either
(:func:`refused`, the rule of ``picture.selectors.shown``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from django.db.models import QuerySet

from core.models import Attitude, Channel
from intake.models import OpinionItem
from orgs.models import User
from picture.counting import ITEM, STREAM, RawCounter
from picture.query import AGGRIEVED, CONCERNED, PictureQuery, QueryError, read_query
from picture.selectors import SMALL
from reporting.models import OpinionStream

NO_TOPIC = "none"
NO_ATTITUDE = "none"
ATTITUDE_SETS = {
    "concerned": ("lo lắng, bức xúc, phản đối", CONCERNED),
    "aggrieved": ("bức xúc, phản đối", AGGRIEVED),
}
ITEM_SORTS = {
    "day": ("received_on", "id"), "-day": ("-received_on", "-id"),
    "area": ("area__sort_key", "area__name", "-received_on"),
    "-area": ("-area__sort_key", "-area__name", "-received_on"),
    "channel": ("channel", "-received_on"), "-channel": ("-channel", "-received_on"),
    "attitude": ("attitude", "-received_on"), "-attitude": ("-attitude", "-received_on"),
}
STREAM_SORTS = {
    "day": ("report__period__end", "id"), "-day": ("-report__period__end", "-id"),
    "unit": ("report__unit__sort_key", "-id"), "-unit": ("-report__unit__sort_key", "-id"),
    "area": ("area__sort_key", "area__name", "-id"),
    "-area": ("-area__sort_key", "-area__name", "-id"),
    "attitude": ("attitude", "-id"), "-attitude": ("-attitude", "-id"),
}
DEFAULT_SORT = "-day"


@dataclass(frozen=True)
class Drill:
    query: PictureQuery
    source: str  # "item", "stream" or "" for both
    attitude: str  # an Attitude value, NO_ATTITUDE, a key of ATTITUDE_SETS, or ""
    untagged: bool  # items with no topic (the "Chưa phân loại" row)
    latent: bool
    sort: str

    def params(self, **changes) -> dict[str, str]:
        """The query string of this drill-down (for sort links, pages and the export)."""
        own = {
            "attitude": self.attitude, "source": self.source, "latent": "1" if self.latent else "",
            "sort": "" if self.sort == DEFAULT_SORT else self.sort,
            **({"topic": NO_TOPIC} if self.untagged else {}),
        }
        return self.query.params(**{**own, **changes})

    @property
    def attitude_label(self) -> str:
        if self.attitude in ATTITUDE_SETS:
            return ATTITUDE_SETS[self.attitude][0]
        if self.attitude == NO_ATTITUDE:
            return "chưa rõ thái độ"
        return Attitude(self.attitude).label.lower() if self.attitude else ""


def read_drill(reader: User, params: Mapping[str, str], **kwargs) -> Drill:
    """The picture's parameters plus the cell's own; each refusal names its field."""
    rest = {key: params.get(key, "") for key in params}
    untagged = (rest.get("topic") or "").strip().lower() == NO_TOPIC
    if untagged:
        rest["topic"] = ""
    query = read_query(reader, rest, **kwargs)
    source = (params.get("source") or "").strip()
    if source not in ("", ITEM, STREAM):
        raise QueryError(f"Nguồn '{source}': chọn item (ý kiến) hoặc stream (báo cáo).",
                         field="source")
    attitude = (params.get("attitude") or "").strip()
    if attitude and attitude not in Attitude.values and attitude != NO_ATTITUDE \
            and attitude not in ATTITUDE_SETS:
        raise QueryError(f"Thái độ '{attitude}': không có.", field="attitude")
    sort = (params.get("sort") or DEFAULT_SORT).strip()
    if sort not in ITEM_SORTS and sort not in STREAM_SORTS:
        sort = DEFAULT_SORT
    latent = (params.get("latent") or "") in ("1", "on", "true")
    return Drill(query, source, attitude, untagged, latent, sort)


def _by_attitude(rows: QuerySet, attitude: str) -> QuerySet:
    if attitude in ATTITUDE_SETS:
        return rows.filter(attitude__in=ATTITUDE_SETS[attitude][1])
    if attitude == NO_ATTITUDE:
        return rows.filter(attitude="")
    return rows.filter(attitude=attitude) if attitude else rows


def drill_items(drill: Drill) -> QuerySet[OpinionItem]:
    if drill.source == STREAM:
        return OpinionItem.objects.none()
    window = drill.query.window
    items = RawCounter(drill.query).items(window.start, window.end)
    if drill.untagged:
        items = items.filter(topics__isnull=True)
    if drill.latent:
        items = items.filter(latent=True)
    items = _by_attitude(items, drill.attitude)
    order = ITEM_SORTS.get(drill.sort, ITEM_SORTS[DEFAULT_SORT])
    return (items.select_related("area", "unit").prefetch_related("topics", "social_groups")
            .order_by(*order))


def drill_streams(drill: Drill) -> QuerySet[OpinionStream]:
    if drill.source == ITEM or drill.untagged:
        return OpinionStream.objects.none()  # a stream always names its topic
    window = drill.query.window
    streams = RawCounter(drill.query).streams(window.start, window.end)
    if drill.latent:
        streams = streams.filter(latent=True)
    streams = _by_attitude(streams, drill.attitude)
    order = STREAM_SORTS.get(drill.sort, STREAM_SORTS[DEFAULT_SORT])
    return (streams.select_related("report__unit", "report__period", "area", "topic")
            .prefetch_related("social_groups").order_by(*order))


def pinpointing(query: PictureQuery) -> bool:
    """Narrowed to one area or one social group: a 1 or 2 may be a person (see selectors)."""
    return bool(query.area or query.group)


def refused(query: PictureQuery, count: int) -> bool:
    """Whether a cell of ``count`` under ``query`` is shown as "< 3" and may not be listed."""
    return (not query.sees_small_cells and pinpointing(query) and 0 < count < SMALL)


@dataclass
class DrillResult:
    drill: Drill
    items: QuerySet[OpinionItem]
    streams: QuerySet[OpinionStream]
    item_count: int
    stream_count: int
    refused: bool

    @property
    def total(self) -> int:
        return self.item_count + self.stream_count


def drill_down(drill: Drill) -> DrillResult:
    items, streams = drill_items(drill), drill_streams(drill)
    n_items, n_streams = items.count(), streams.count()
    hidden = refused(drill.query, n_items + n_streams)
    if hidden:
        items, streams = items.none(), streams.none()
    return DrillResult(drill, items, streams, n_items, n_streams, hidden)


def describe(drill: Drill) -> list[str]:
    """The cell in words, for the page's heading and the export's first sheet."""
    query = drill.query
    parts = [query.window.label]
    if query.unit:
        parts.append(query.unit.name)
    if query.area:
        parts.append(query.area.name)
    if drill.untagged:
        parts.append("chưa phân loại chủ đề")
    elif query.topic:
        parts.append(f"chủ đề {query.topic.name}")
    if query.group:
        parts.append(f"nhóm {query.group.name}")
    if query.channel:
        parts.append(f"kênh {Channel(query.channel).label}")
    if drill.attitude:
        parts.append(f"thái độ {drill.attitude_label}")
    if drill.latent:
        parts.append("dư luận tiềm ẩn")
    if drill.source == ITEM:
        parts.append("chỉ ý kiến tiếp nhận")
    elif drill.source == STREAM:
        parts.append("chỉ luồng ý kiến trong báo cáo")
    return parts


def narrowed(query: PictureQuery, **changes) -> PictureQuery:
    """The picture's query narrowed to a cell (for deciding, on the page, whether it links)."""
    return replace(query, **changes)

