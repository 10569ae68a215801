"""What a reader asks of the picture: a period and filters, read from a page's query string, the
API's parameters or the command line, each refusal a Vietnamese sentence naming the field.

The page, ``/api/v1/picture/`` and ``longdan picture`` all build a :class:`PictureQuery` here and
hand it to ``picture.selectors.picture_for``: one reading of the parameters, one selector.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from core.dates import local_today
from core.errors import ServiceError
from core.models import Attitude, Channel, SocialGroup, Topic
from core.text import fold
from orgs.models import Area, OrgUnit, User
from orgs.selectors import descendant_ids, visible_unit_ids
from picture.window import Window, WindowError, parse_window

# Two monthly report cycles without a word from any channel.
DEFAULT_SILENT_WEEKS = 8
PARAMETERS = ("period", "unit", "area", "topic", "group", "channel", "silent_weeks")


class QueryError(ServiceError):
    """A period or filter that cannot be read."""


def topic_code(topic: Topic) -> str:
    """A topic's stable code in URLs and JSON: its id (names are edited, ids are not)."""
    return str(topic.pk)


@dataclass(frozen=True)
class PictureQuery:
    reader: User
    window: Window
    today: dt.date
    unit: OrgUnit | None = None
    area: Area | None = None
    topic: Topic | None = None
    group: SocialGroup | None = None
    channel: str = ""
    silent_weeks: int = DEFAULT_SILENT_WEEKS
    # The units counted: None = the whole ward (the office and leaders without a unit filter).
    unit_ids: frozenset[int] | None = field(default=None)

    @property
    def scope(self) -> int:
        """The rollups' scope: 0 for the whole ward, else the unit whose subtree is counted."""
        if self.unit is not None:
            return self.unit.pk
        if self.unit_ids is None:
            return 0
        return self.reader.unit_id or -1

    @property
    def sees_small_cells(self) -> bool:
        """The office sees every count; others see counts under 3 as "< 3" where they could
        point at a person (docs/ARCHITECTURE.md, "Small numbers")."""
        return self.reader.is_office

    @property
    def narrowed(self) -> bool:
        """A filter beyond the unit: the rollups keep no such cuboid, the raw rows answer."""
        return bool(self.area or self.topic or self.group or self.channel)

    def params(self, **changes) -> dict[str, str]:
        """The query-string parameters of this query, with ``changes`` (for links)."""
        values = {
            "period": self.window.code,
            "unit": self.unit.code if self.unit else "",
            "area": str(self.area.pk) if self.area else "",
            "topic": topic_code(self.topic) if self.topic else "",
            "group": str(self.group.pk) if self.group else "",
            "channel": self.channel,
        }
        values.update({key: str(value) for key, value in changes.items()})
        return {key: value for key, value in values.items() if value}

    def describe(self) -> dict:
        return {
            "unit": {"code": self.unit.code, "name": self.unit.name} if self.unit else None,
            "area": {"id": self.area.pk, "name": self.area.name} if self.area else None,
            "topic": (
                {"code": topic_code(self.topic), "name": self.topic.name} if self.topic else None
            ),
            "social_group": {"id": self.group.pk, "name": self.group.name} if self.group else None,
            "channel": (
                {"code": self.channel, "name": Channel(self.channel).label}
                if self.channel else None
            ),
        }


def read_query(
    reader: User, params: Mapping[str, str], *, today: dt.date | None = None
) -> PictureQuery:
    """Read the parameters; a value that cannot be read raises :class:`QueryError` naming it."""
    today = today or local_today()
    try:
        window = parse_window(params.get("period"), today)
    except WindowError as exc:
        raise QueryError(str(exc), field="period") from exc
    visible = visible_unit_ids(reader)
    unit = _unit(params.get("unit", ""), visible)
    if unit is not None:
        unit_ids = frozenset(descendant_ids(unit.pk))
    else:
        unit_ids = None if visible is None else frozenset(visible)
    return PictureQuery(
        reader=reader,
        window=window,
        today=today,
        unit=unit,
        area=_area(params.get("area", "")),
        topic=_topic(params.get("topic", "")),
        group=_group(params.get("group", "")),
        channel=_channel(params.get("channel", "")),
        silent_weeks=_silent_weeks(params.get("silent_weeks", "")),
        unit_ids=unit_ids,
    )


def _unit(raw: str, visible: set[int] | None) -> OrgUnit | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    units = OrgUnit.objects.all() if visible is None else OrgUnit.objects.filter(pk__in=visible)
    unit = units.filter(code=raw).first() or units.filter(name_folded=fold(raw)).first()
    if unit is None and raw.isdigit():
        unit = units.filter(pk=int(raw)).first()
    if unit is None:
        raise QueryError(f"Đơn vị '{raw}': không tìm thấy (theo mã hoặc tên).", field="unit")
    return unit


def _by_id_or_name(model, raw: str, field_name: str, label: str):
    raw = (raw or "").strip()
    if not raw:
        return None
    found = None
    if raw.isdigit():
        found = model.objects.filter(pk=int(raw)).first()
    if found is None:
        found = model.objects.filter(name_folded=fold(raw)).first()
    if found is None:
        raise QueryError(f"{label} '{raw}': không tìm thấy.", field=field_name)
    return found


def _area(raw: str) -> Area | None:
    return _by_id_or_name(Area, raw, "area", "Tổ dân phố")


def _topic(raw: str) -> Topic | None:
    return _by_id_or_name(Topic, raw, "topic", "Chủ đề")


def _group(raw: str) -> SocialGroup | None:
    return _by_id_or_name(SocialGroup, raw, "group", "Nhóm xã hội")


def _channel(raw: str) -> str:
    raw = (raw or "").strip()
    if not raw:
        return ""
    if raw in Channel.values:
        return raw
    for value, label in Channel.choices:
        if fold(label) == fold(raw):
            return value
    names = ", ".join(Channel.values)
    raise QueryError(f"Kênh '{raw}': không có. Chọn một trong: {names}.", field="channel")


def _silent_weeks(raw: str) -> int:
    raw = (raw or "").strip()
    if not raw:
        return DEFAULT_SILENT_WEEKS
    if not raw.isdigit() or not 1 <= int(raw) <= 52:
        raise QueryError(
            f"Số tuần im lặng '{raw}': phải là số nguyên từ 1 đến 52.", field="silent_weeks"
        )
    return int(raw)


ATTITUDES = [value for value, _ in Attitude.choices]
CONCERNED = (Attitude.WORRIED, Attitude.AGGRIEVED, Attitude.OPPOSE)
AGGRIEVED = (Attitude.AGGRIEVED, Attitude.OPPOSE)
