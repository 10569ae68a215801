"""Latent opinion the engine proposes (issue 8): worry, grievance or opposition growing on a topic,
across the ward or in one area, that no open issue follows yet. Each proposal is a
``LatentCandidate`` the office confirms or dismisses; it is proposed once and not again for four
weeks after the office decided."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q

from core.models import Topic
from issues.models import Issue
from issues.selectors import OPEN_STATUSES
from orgs.models import Area, User
from picture.counting import window_start
from picture.models import Alert, LatentCandidate
from picture.query import CONCERNED, read_query
from picture.selectors import counter_for
from picture.services.alerts import raise_alert
from trends.latent import LatentSeries, latent_candidates

WEEKS = 12
QUIET_AFTER_DECISION = dt.timedelta(weeks=4)


@dataclass
class ProposalRun:
    day: dt.date
    proposed: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"day": self.day.isoformat(), "proposed": self.proposed}


def propose_latent_candidates(*, today: dt.date) -> ProposalRun:
    """Propose today's candidates (safe to run every tick: one row per subject and day)."""
    run = ProposalRun(day=today)
    office = User(username="longdan-latent", role=User.Role.OFFICE)
    counter = counter_for(read_query(office, {"period": "7d"}, today=today))
    for proposal in _proposals(counter, today):
        candidate = _record(proposal, today)
        if candidate is not None:
            run.proposed.append(candidate.pk)
    return run


def _proposals(counter, today: dt.date) -> list:
    """The engine's proposals, kept few enough for the office to read: a topic proposed
    ward-wide is not proposed again area by area, and of a topic's areas only the strongest is."""
    topics = latent_candidates(_series(counter, "topic", today))
    taken = {int(p.topic) for p in topics}
    areas = []
    for proposal in latent_candidates(_series(counter, "area_topic", today)):  # strongest first
        if int(proposal.topic) not in taken:
            areas.append(proposal)
            taken.add(int(proposal.topic))
    return [*topics, *areas]


def _weekly_concerned(counter, dimension: str, today: dt.date) -> dict[str, list[int]]:
    start = window_start(today, WEEKS)
    weekly: dict[str, list[int]] = {}
    for cell in counter.weekly(dimension, today, WEEKS):
        if cell.attitude not in CONCERNED or "" in cell.key.split(":"):
            continue
        counts = weekly.setdefault(cell.key, [0] * WEEKS)
        counts[(cell.day - start).days // 7] += cell.count
    return weekly


def _series(counter, dimension: str, today: dt.date) -> list[LatentSeries]:
    """One series a topic (``topic``) or a topic in an area (``area_topic``), its key in the name
    so the proposal finds its way back; covered when an open issue follows it."""
    covered_topics, covered_pairs = _covered()
    out = []
    for key, weekly in _weekly_concerned(counter, dimension, today).items():
        area_id, topic_id = key.split(":") if dimension == "area_topic" else (None, key)
        if area_id is None:
            covered = int(topic_id) in covered_topics
        else:
            covered = bool({(int(area_id), int(topic_id)), (None, int(topic_id))} & covered_pairs)
        out.append(LatentSeries(topic=topic_id, area=area_id, weekly=weekly, covered=covered))
    return out


def _covered() -> tuple[set[int], set[tuple[int | None, int]]]:
    """Topics an issue the office has taken up follows, and (area, topic) pairs — area None: the
    whole ward, which covers the topic in every area. An issue the engine formed on its own
    (just detected, nobody owning it) follows nothing yet: every item lands in one."""
    open_issues = Issue.objects.filter(
        status__in=OPEN_STATUSES, merged_into__isnull=True, topic__isnull=False
    ).exclude(status=Issue.Status.DETECTED, owner_unit__isnull=True)
    pairs = set(open_issues.values_list("area_id", "topic_id"))
    return {topic for _, topic in pairs}, pairs


def _recently_decided(topic_id: int, area_id: int | None, today: dt.date) -> bool:
    same = LatentCandidate.objects.filter(topic_id=topic_id, area_id=area_id)
    return same.filter(
        Q(state=LatentCandidate.State.PROPOSED)
        | Q(decided_at__date__gte=today - QUIET_AFTER_DECISION)
    ).exists()


def _record(proposal, today: dt.date) -> LatentCandidate | None:
    topic = Topic.objects.filter(pk=int(proposal.topic)).first()
    area = Area.objects.filter(pk=int(proposal.area)).first() if proposal.area else None
    if topic is None or _recently_decided(topic.pk, area and area.pk, today):
        return None
    reason = _named_reason(proposal.reason, proposal, topic, area)
    try:
        with transaction.atomic():
            candidate = LatentCandidate.objects.create(
                topic=topic, area=area, detected_on=today, count=proposal.count,
                reason=reason[:300],
            )
            raise_alert(
                kind=Alert.Kind.LATENT, subject=f"latent:{topic.pk}:{area.pk if area else ''}",
                text=f"Dư luận tiềm ẩn: {reason}", url="/buc-tranh/#tiem-an",
                topic=topic, area=area, day=today,
            )
    except IntegrityError:
        return None  # proposed today already, by another worker
    return candidate


def _named_reason(reason: str, proposal, topic: Topic, area: Area | None) -> str:
    """The pure engine names series by their keys; the office reads names."""
    named = reason.replace(f"«{proposal.topic}»", f"«{topic.name}»")
    if area is not None:
        named = named.replace(f"ở {proposal.area}", f"ở {area.name}")
    return named
