"""Reads of the petitions app, scoped to the reader: a unit sees the points of its own meetings
(``intake.selectors.meetings_visible_to``), the office and the leaders all of them. A round and a
delegate group are the council's, shared by every account; their figures count only the meetings
the reader may see."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from core.text import fold
from intake.models import Meeting, OpinionItem
from intake.selectors import meetings_visible_to
from orgs.models import OrgUnit, User
from orgs.selectors import visible_unit_ids
from petitions import rules
from petitions.models import DelegateGroup, Round
from petitions.services import RESIDENT_MEETINGS

CALENDAR_KINDS = (Meeting.Kind.DIALOGUE, Meeting.Kind.RECEPTION)


# --- rounds -----------------------------------------------------------------------------------

ROUND_SORTS = {"moi": ("-starts_on", "-id"), "cu": ("starts_on", "id"),
               "ky-hop": ("-session_on", "-id"), "ten": ("title_folded", "id")}


def rounds_for(user: User, *, q: str = "", sort: str = "") -> QuerySet[Round]:
    rounds = Round.objects.all()
    for word in fold(q).split():
        rounds = rounds.filter(title_folded__contains=word)
    return rounds.order_by(*ROUND_SORTS.get(sort, ROUND_SORTS["moi"]))


def round_for(user: User, pk: int) -> Round:
    return get_object_or_404(Round, pk=pk)


AGENCY_KINDS = (OrgUnit.Kind.PEOPLES_COMMITTEE, OrgUnit.Kind.COUNCIL, OrgUnit.Kind.FRONT,
                OrgUnit.Kind.MASS_ORG, OrgUnit.Kind.OFFICE)


def agencies_for(user: User) -> QuerySet[OrgUnit]:
    """The agencies a point may be passed to, as the reader may name them: the office chooses
    among the ward's agencies; a unit among the people's committee and its own agencies (another
    agency it writes by name), so the list shows a unit no name outside its scope."""
    open_units = OrgUnit.objects.filter(closed_on__isnull=True).order_by("name")
    if user.sees_everything:
        return open_units.filter(kind__in=AGENCY_KINDS)
    ids = visible_unit_ids(user) or set()
    return open_units.filter(Q(kind=OrgUnit.Kind.PEOPLES_COMMITTEE)
                             | Q(pk__in=ids, kind__in=AGENCY_KINDS))


def delegate_groups() -> QuerySet[DelegateGroup]:
    return DelegateGroup.objects.all()


def meeting_for(user: User, pk: int) -> Meeting:
    return get_object_or_404(
        meetings_visible_to(user).filter(kind__in=RESIDENT_MEETINGS)
        .select_related("petition_link__round", "petition_link__delegate_group",
                        "petition_link__leader"), pk=pk)


def round_meetings(user: User, round_: Round) -> QuerySet[Meeting]:
    return (meetings_visible_to(user).filter(petition_link__round=round_)
            .select_related("petition_link__delegate_group").order_by("held_on", "pk"))


def attachable_meetings(user: User, round_: Round) -> QuerySet[Meeting]:
    """Voter meetings the reader's scope holds, held within the round, in no round yet."""
    return (meetings_visible_to(user)
            .filter(kind=Meeting.Kind.VOTER_MEETING, held_on__gte=round_.starts_on,
                    held_on__lte=round_.ends_on)
            .filter(Q(petition_link__isnull=True) | Q(petition_link__round__isnull=True))
            .order_by("held_on", "pk"))


# --- points ------------------------------------------------------------------------------------


def points_visible_to(user: User) -> QuerySet[OpinionItem]:
    """The points raised at the resident meetings the reader may see (items with a meeting)."""
    meeting_ids = meetings_visible_to(user).filter(kind__in=RESIDENT_MEETINGS).values("pk")
    return (OpinionItem.objects.filter(meeting_id__in=meeting_ids)
            .select_related("meeting", "meeting__unit", "meeting__petition_link__round",
                            "meeting__petition_link__delegate_group", "petition",
                            "petition__agency", "petition__issue"))


def _answered_q() -> Q:
    return (Q(petition__disposition=rules.ANSWERED_AT_MEETING)
            | Q(petition__disposition=rules.REFERRED, petition__replied_on__isnull=False)
            | Q(petition__disposition=rules.ISSUE, petition__issue__status__in=rules.ISSUE_DONE))


def _overdue_q(today: dt.date) -> Q:
    return (Q(petition__disposition=rules.REFERRED, petition__replied_on__isnull=True,
              petition__due_on__lt=today)
            | (Q(petition__disposition=rules.ISSUE, petition__issue__due_on__lt=today)
               & ~Q(petition__issue__status__in=rules.ISSUE_DONE)))


def state_q(state: str, today: dt.date) -> Q:
    """The points in one state (``rules.point_state``), as a database filter."""
    if state == rules.ANSWERED:
        return _answered_q()
    if state == rules.OVERDUE:
        return _overdue_q(today)
    if state == rules.UNMARKED:
        return Q(petition__isnull=True)
    if state == rules.WAITING:  # everything not answered: overdue and unmarked included
        return ~_answered_q()
    raise ValueError(state)


def state_of(item: OpinionItem, today: dt.date) -> str:
    point = getattr(item, "petition", None)
    if point is None:
        return rules.UNMARKED
    issue = point.issue
    return rules.point_state(
        disposition=point.disposition, today=today, due_on=point.due_on,
        replied_on=point.replied_on, issue_status=issue.status if issue else None,
        issue_due_on=issue.due_on if issue else None)


POINT_SORTS = {
    "ngay": ("meeting__held_on", "pk"), "-ngay": ("-meeting__held_on", "-pk"),
    "han": ("petition__due_on", "pk"), "-han": ("-petition__due_on", "-pk"),
    "linh-vuc": ("petition__field", "pk"), "-linh-vuc": ("-petition__field", "-pk"),
    "buoi": ("meeting__title", "pk"), "-buoi": ("-meeting__title", "-pk"),
}


@dataclass(frozen=True)
class PointFilter:
    q: str = ""
    round_id: int | None = None
    meeting_id: int | None = None
    state: str = ""
    field: str = ""
    disposition: str = ""
    sort: str = ""


def filter_points(user: User, filters: PointFilter, today: dt.date) -> QuerySet[OpinionItem]:
    points = points_visible_to(user)
    for word in fold(filters.q).split():
        points = points.filter(text_folded__contains=word)
    if filters.round_id:
        points = points.filter(meeting__petition_link__round_id=filters.round_id)
    if filters.meeting_id:
        points = points.filter(meeting_id=filters.meeting_id)
    if filters.state in rules.STATE_LABELS:
        points = points.filter(state_q(filters.state, today))
    if filters.field:
        points = points.filter(petition__field=filters.field)
    if filters.disposition:
        points = points.filter(petition__disposition=filters.disposition)
    order = POINT_SORTS.get(filters.sort, POINT_SORTS["-ngay"])
    # PostgreSQL puts NULLs first on DESC: points with no due date go last either way.
    if "han" in filters.sort:
        from django.db.models import F
        key = F("petition__due_on")
        first = key.desc(nulls_last=True) if filters.sort.startswith("-") else key.asc(
            nulls_last=True)
        return points.order_by(first, order[1])
    return points.order_by(*order)


# --- answer rates ------------------------------------------------------------------------------


@dataclass
class Row:
    """A meeting or a delegate group with its tally."""

    label: str
    tally: rules.Tally
    meeting: Meeting | None = None
    group: DelegateGroup | None = None


@dataclass
class RoundStats:
    total: rules.Tally
    meetings: list[Row] = field(default_factory=list)
    groups: list[Row] = field(default_factory=list)


def round_stats(user: User, round_: Round, today: dt.date) -> RoundStats:
    """The round's answer rate, per meeting and per delegate group, over the reader's meetings."""
    meetings = list(round_meetings(user, round_))
    states: dict[int, list[str]] = defaultdict(list)
    for item in points_visible_to(user).filter(meeting__in=meetings):
        states[item.meeting_id].append(state_of(item, today))
    rows = [Row(label=m.title, tally=rules.tally(states[m.pk]), meeting=m) for m in meetings]
    by_group: dict[int | None, list[str]] = defaultdict(list)
    groups: dict[int | None, DelegateGroup | None] = {}
    for meeting in meetings:
        group = meeting.petition_link.delegate_group
        key = group.pk if group else None
        groups[key] = group
        by_group[key] += states[meeting.pk]
    group_rows = sorted(
        (Row(label=g.name if g else "Chưa gắn tổ đại biểu", tally=rules.tally(by_group[k]),
             group=g) for k, g in groups.items()),
        key=lambda r: (r.group is None, r.label))
    every = [s for m in meetings for s in states[m.pk]]
    return RoundStats(total=rules.tally(every), meetings=rows, groups=group_rows)


def tallies_of_rounds(user: User, rounds: list[Round], today: dt.date) -> dict[int, rules.Tally]:
    states: dict[int, list[str]] = defaultdict(list)
    items = points_visible_to(user).filter(meeting__petition_link__round__in=rounds)
    for item in items:
        states[item.meeting.petition_link.round_id].append(state_of(item, today))
    return {r.pk: rules.tally(states[r.pk]) for r in rounds}


def report_points(user: User, round_: Round) -> list[OpinionItem]:
    """Every point of the round the reader may see, for the two reports."""
    return list(points_visible_to(user).filter(meeting__petition_link__round=round_)
                .select_related("issue").order_by("meeting__held_on", "pk"))


# --- the leaders' calendar ---------------------------------------------------------------------


@dataclass
class Day:
    day: dt.date | None
    meetings: list[Meeting] = field(default_factory=list)


def leaders() -> QuerySet[User]:
    return User.objects.filter(role=User.Role.LEADER, is_active=True).order_by("full_name", "pk")


def calendar_meetings(user: User, *, year: int, month: int,
                      leader_id: int | None = None) -> list[Meeting]:
    """Meetings with residents in the month: dialogues, receptions, and any meeting a leader
    chaired; each with its points (``points_shown``)."""
    start = dt.date(year, month, 1)
    end = dt.date(year, month, calendar.monthrange(year, month)[1])
    meetings = (meetings_visible_to(user)
                .filter(held_on__gte=start, held_on__lte=end)
                .filter(Q(kind__in=CALENDAR_KINDS) | Q(petition_link__leader__isnull=False))
                .select_related("petition_link__leader")
                .order_by("held_on", "pk"))
    if leader_id:
        meetings = meetings.filter(petition_link__leader_id=leader_id)
    meetings = list(meetings)
    points: dict[int, list[OpinionItem]] = defaultdict(list)
    for item in points_visible_to(user).filter(meeting__in=meetings).order_by("pk"):
        points[item.meeting_id].append(item)
    for meeting in meetings:
        meeting.points_shown = points[meeting.pk]
    return meetings


def month_grid(year: int, month: int, meetings: list[Meeting]) -> list[list[Day]]:
    """Weeks from Monday; days outside the month are empty cells."""
    by_day: dict[dt.date, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        by_day[meeting.held_on].append(meeting)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([Day(d, by_day.get(d, [])) if d.month == month else Day(None)
                      for d in week])
    return weeks
