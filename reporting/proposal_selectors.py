"""Reads for the streams proposed from what a unit logged (issue 15), scoped to the reader.

The proposals are drawn (by the pure :mod:`reporting.proposing`) from the unit's **own** opinion
items received in the period — quick reports, meeting points (items on a meeting's channel),
imports — that the reader may see, leaving out items already behind a stream of any report and
those the unit dropped from this report's proposals. A unit outside the reader's scope is "not
found", like every record (``orgs.selectors.visible_unit_ids``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404

from core.models import Attitude, Channel, Reach, Topic
from intake.models import OpinionItem, Sensitivity
from orgs.models import OrgUnit, User
from orgs.selectors import visible_unit_ids
from reporting.models import OpinionStream, UnitReport
from reporting.periods import PeriodKey
from reporting.proposing import ItemData, Proposal, Proposals, propose


@dataclass
class ProposalRow:
    """A proposal with what the page shows: names, and the items behind it."""

    proposal: Proposal
    topic: str
    attitude: str
    reach: str
    channel: str
    items: list[OpinionItem] = field(default_factory=list)
    issues: list = field(default_factory=list)
    attitudes: list[tuple[str, int]] = field(default_factory=list)  # (label, n), most first


@dataclass
class ProposalView:
    unit: OrgUnit
    key: PeriodKey
    proposals: Proposals
    items: dict[int, ItemData]
    dropped: int = 0
    records: dict[int, OpinionItem] = field(default_factory=dict)  # the items read, by id
    rows: list[ProposalRow] = field(default_factory=list)

    def as_dict(self) -> dict:
        """What ``longdan report propose --json`` prints."""
        topics = dict(Topic.objects.values_list("pk", "name"))
        return {
            "unit": self.unit.code,
            "period": self.key.code,
            "items": self.proposals.total,
            "unplaced": list(self.proposals.unplaced),
            "proposals": [
                {
                    "key": p.key,
                    "topic": topics.get(p.topic_id, ""),
                    "topic_id": p.topic_id,
                    "attitude": p.attitude,
                    "reach": p.reach,
                    "channel": p.channel,
                    "summary": p.summary,
                    "items": list(p.item_ids),
                    "issues": list(p.issue_ids),
                    "latent": p.latent,
                }
                for p in self.proposals.proposals
            ],
        }


def _require_visible(reader: User, unit: OrgUnit) -> None:
    ids = visible_unit_ids(reader)
    if ids is not None and unit.pk not in ids:
        raise Http404("Không tìm thấy đơn vị.")


def _item_data(item: OpinionItem) -> ItemData:
    return ItemData(
        id=item.pk,
        text=item.text,
        topic_ids=tuple(t.pk for t in item.topics.all()),
        attitude=item.attitude,
        reach=item.reach,
        issue_id=item.issue_id,
        area_id=item.area_id,
        channel=item.channel,
        social_group_ids=tuple(g.pk for g in item.social_groups.all()),
        latent=item.latent,
        sensitive=item.sensitivity != Sensitivity.NORMAL,
        suggested_topic_id=item.suggested_topic_id,
        suggested_attitude=item.suggested_attitude,
    )


def _unit_items(unit: OrgUnit, key: PeriodKey, exclude: set[int]) -> list[OpinionItem]:
    """The unit's items of the period no stream summarises yet (one read: the page's rows use
    the same records). The caller has checked that the reader sees the unit: the unit's own
    items are then all visible to it."""
    in_streams = OpinionStream.items.through.objects.values("opinionitem_id")
    return list(
        OpinionItem.objects
        .filter(unit=unit, received_on__range=(key.start, key.end))
        .exclude(pk__in=in_streams)
        .exclude(pk__in=list(exclude))
        .select_related("area", "issue")
        .prefetch_related("topics", "social_groups")
        .order_by("pk")
    )


def _view(unit: OrgUnit, key: PeriodKey, report: UnitReport | None) -> ProposalView:
    dropped = set(report.dropped_items) if report is not None else set()
    records = _unit_items(unit, key, dropped)
    items = [_item_data(record) for record in records]
    return ProposalView(unit=unit, key=key, proposals=propose(items),
                        items={i.id: i for i in items}, dropped=len(dropped),
                        records={record.pk: record for record in records})


def proposals_for(reader: User, unit: OrgUnit, key: PeriodKey,
                  report: UnitReport | None = None) -> ProposalView:
    """The proposals for ``unit``'s report of ``key`` (``report``: what it dropped); a unit
    outside the reader's scope is not found."""
    _require_visible(reader, unit)
    return _view(unit, key, report)


def proposals_of_report(report: UnitReport) -> ProposalView:
    """The proposals for a report already read in the reader's scope (``get_report_for``, or a
    service that checked its writer), so the unit's scope is not checked again."""
    return _view(report.unit, report.period.key, report)


def with_rows(view: ProposalView) -> ProposalView:
    """Fill ``view.rows`` for the page: names, and the items (and issues) behind each."""
    proposals = view.proposals.proposals
    topics = dict(Topic.objects.filter(pk__in={p.topic_id for p in proposals})
                  .values_list("pk", "name"))
    attitudes, reaches = dict(Attitude.choices), dict(Reach.choices)
    channels = dict(Channel.choices)
    view.rows = []
    for p in proposals:
        members = [view.records[i] for i in p.item_ids if i in view.records]
        issues = {m.issue.pk: m.issue for m in members if m.issue is not None}
        mix = [(attitudes.get(code, code), n) for code, n in p.attitudes]
        view.rows.append(ProposalRow(
            proposal=p, topic=topics.get(p.topic_id, ""), attitude=attitudes.get(p.attitude, ""),
            reach=reaches.get(p.reach, ""), channel=channels.get(p.channel, ""),
            items=sorted(members, key=lambda m: (m.received_on, m.pk)),
            issues=[issues[i] for i in p.issue_ids if i in issues],
            attitudes=mix,
        ))
    return view
