"""Reads of directions, scoped to the reader (``orgs.selectors.visible_unit_ids``).

The office and the leaders see every direction. A unit reader sees the directions addressed to a
unit of their subtree, and of each only the parts of those units: another unit's name, its
acknowledgement or its progress note never reaches them (the scoping net holds this). A direction
outside the reader's scope is "not found".

"Overdue" is read from the due date, not stored: due before today and neither done nor cancelled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from core.dates import local_today
from core.text import fold
from orgs.models import OrgUnit, User
from orgs.selectors import descendant_ids, visible_unit_ids
from picture.models import Direction, DirectionAssignment, DirectionUpdate

S = Direction.Status
CLOSED = (S.DONE, S.CANCELLED)
ACTIVE = (S.OPEN, S.IN_PROGRESS)
DUE_SOON_DAYS = 7
DIRECTION_SORTS = {
    "code": "code",
    "due": "due_on",
    "status": "status",
    "created": "created_at",
    "kind": "kind",
}
DEFAULT_SORT = "due"
STATE_LABELS = {
    "open": "Mới giao",
    "acknowledged": "Đơn vị đã nhận",
    "in_progress": "Đang thực hiện",
    "done": "Đã hoàn thành",
    "cancelled": "Đã hủy",
}


def directions_visible_to(user: User) -> QuerySet[Direction]:
    ids = visible_unit_ids(user)
    directions = Direction.objects.select_related(
        "author", "issue", "report", "report__period", "area", "topic", "social_group"
    )
    if ids is None:
        return directions
    addressed = DirectionAssignment.objects.filter(unit_id__in=ids).values("direction_id")
    return directions.filter(pk__in=addressed)


def get_direction_for(user: User, pk) -> Direction:
    try:
        return directions_visible_to(user).get(pk=pk)
    except (Direction.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy ý kiến chỉ đạo.") from exc


def overdue_q(today: dt.date) -> Q:
    return Q(status__in=ACTIVE, due_on__lt=today)


def is_overdue(direction: Direction, today: dt.date | None = None) -> bool:
    return direction.status in ACTIVE and direction.due_on < (today or local_today())


# --- what a reader sees of one direction --------------------------------------------------------


def assignments_for(user: User, direction: Direction) -> list[DirectionAssignment]:
    """The parts of the direction the reader may see: all, or those of their subtree."""
    ids = visible_unit_ids(user)
    parts = direction.assignments.select_related("unit", "acknowledged_by").order_by(
        "unit__sort_key", "unit__name")
    return list(parts if ids is None else parts.filter(unit_id__in=ids))


def updates_for(user: User, direction: Direction) -> list[DirectionUpdate]:
    """The history the reader may see: the author's lines and their own units' lines."""
    ids = visible_unit_ids(user)
    updates = direction.updates.select_related("unit", "by").order_by("-at", "-id")
    if ids is not None:
        updates = updates.filter(Q(unit__isnull=True) | Q(unit_id__in=ids))
    return list(updates)


def state_of(direction: Direction, parts: list[DirectionAssignment] | None = None) -> str:
    """The state a person reads: the status, and "acknowledged" for an open direction every
    unit (of those given) has received."""
    if direction.status != S.OPEN:
        return direction.status
    parts = list(direction.assignments.all()) if parts is None else parts
    if parts and all(p.acknowledged_at for p in parts):
        return "acknowledged"
    return "open"


def decorate(user: User, directions, today: dt.date | None = None) -> list[Direction]:
    """Attach what the lists show: the units the reader may see, the state, overdue."""
    today = today or local_today()
    directions = list(directions)
    ids = visible_unit_ids(user)
    parts = DirectionAssignment.objects.filter(direction__in=directions).select_related("unit")
    by_direction: dict[int, list[DirectionAssignment]] = {}
    for part in parts.order_by("unit__sort_key", "unit__name"):
        by_direction.setdefault(part.direction_id, []).append(part)
    for direction in directions:
        every = by_direction.get(direction.pk, [])
        shown = every if ids is None else [p for p in every if p.unit_id in ids]
        direction.shown_parts = shown
        direction.hidden_units = len(every) - len(shown)
        direction.state = state_of(direction, every)
        direction.state_label = STATE_LABELS[direction.state]
        direction.overdue = is_overdue(direction, today)
        direction.days_overdue = (today - direction.due_on).days if direction.overdue else 0
    return directions


# --- lists --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectionFilter:
    status: str = ""  # "", "active" (open or in progress), or a status
    overdue: bool = False
    unit_id: int | None = None  # directions addressed to this unit or a unit below it
    kind: str = ""
    query: str = ""
    sort: str = DEFAULT_SORT


def filtered_directions(
    user: User, filters: DirectionFilter, *, today: dt.date | None = None
) -> QuerySet[Direction]:
    today = today or local_today()
    directions = directions_visible_to(user)
    if filters.status == "active":
        directions = directions.filter(status__in=ACTIVE)
    elif filters.status:
        directions = directions.filter(status=filters.status)
    if filters.overdue:
        directions = directions.filter(overdue_q(today))
    if filters.kind:
        directions = directions.filter(kind=filters.kind)
    if filters.unit_id:
        subtree = descendant_ids(filters.unit_id)
        ids = visible_unit_ids(user)
        if ids is not None:
            subtree &= ids
        addressed = DirectionAssignment.objects.filter(unit_id__in=subtree)
        directions = directions.filter(pk__in=addressed.values("direction_id"))
    if filters.query:
        directions = _matching(directions, filters.query)
    key = filters.sort.lstrip("-")
    order = DIRECTION_SORTS.get(key, DIRECTION_SORTS[DEFAULT_SORT])
    descending = filters.sort.startswith("-") and key in DIRECTION_SORTS
    return directions.order_by(f"-{order}" if descending else order, "-id")


def _matching(directions: QuerySet[Direction], query: str) -> QuerySet[Direction]:
    """Text search with or without diacritics. A ward gives directions by the dozen, not by the
    million: the reader's directions are folded here rather than in a stored column."""
    folded = fold(query)
    code = query.strip().upper()
    ids = [
        pk for pk, text, row_code in directions.values_list("pk", "text", "code")
        if folded in fold(text) or code == row_code.upper() or code in row_code.upper()
    ]
    return directions.filter(pk__in=ids)


def units_for_filter(user: User) -> QuerySet[OrgUnit]:
    """Units the reader may filter by: those of their scope that were given a direction."""
    ids = visible_unit_ids(user)
    addressed = DirectionAssignment.objects.values("unit_id")
    units = OrgUnit.objects.filter(pk__in=addressed)
    return (units if ids is None else units.filter(pk__in=ids)).order_by("sort_key", "name")


def unit_directions(user: User, unit: OrgUnit, *, limit: int = 20) -> list[Direction]:
    """Directions addressed to the unit or a unit below it, the live ones first."""
    subtree = descendant_ids(unit.pk)
    addressed = DirectionAssignment.objects.filter(unit_id__in=subtree).values("direction_id")
    directions = directions_visible_to(user).filter(pk__in=addressed)
    live = list(directions.filter(status__in=ACTIVE).order_by("due_on", "-id")[:limit])
    rest = list(directions.exclude(status__in=ACTIVE).order_by("-due_on", "-id")[
        : max(0, limit - len(live))])
    return decorate(user, live + rest)


# --- figures ------------------------------------------------------------------------------------


def direction_counts(user: User, *, today: dt.date | None = None) -> dict[str, int]:
    """For the picture: directions open (not done or cancelled), overdue, due within 7 days."""
    today = today or local_today()
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    counts = directions_visible_to(user).aggregate(
        open=Count("pk", filter=Q(status__in=ACTIVE)),
        overdue=Count("pk", filter=overdue_q(today)),
        due_soon=Count("pk", filter=Q(status__in=ACTIVE, due_on__gte=today, due_on__lte=soon)),
    )
    return {key: value or 0 for key, value in counts.items()}


def directions_for_period(
    start: dt.date, end: dt.date, unit_ids: set[int] | None = None
) -> list[Direction]:
    """Directions of a reporting period, for the consolidated report: those given during it and
    those due during it (not cancelled before it began), addressed to ``unit_ids`` (None: all).

    The office's report, so not scoped to a reader; each comes with its parts' units."""
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    directions = Direction.objects.filter(
        Q(created_at__gte=since, created_at__lt=until) | Q(due_on__gte=start, due_on__lte=end)
    ).filter(created_at__lt=until)
    if unit_ids is not None:
        addressed = DirectionAssignment.objects.filter(unit_id__in=unit_ids)
        directions = directions.filter(pk__in=addressed.values("direction_id"))
    parts = Prefetch(
        "assignments", queryset=DirectionAssignment.objects.select_related("unit")
        .order_by("unit__sort_key", "unit__name"),
    )
    return list(
        directions.select_related("author", "issue", "area", "topic")
        .prefetch_related(parts).order_by("created_at", "id")
    )
