"""Reads of the policy register and its consultation files, scoped to the reader.

A policy is the ward's matter: every signed-in reader sees the register and a policy's page. Its
consultation file is built from the sources the office tied to each moment, each read through
the reader's own scope (``items_visible_to``, ``meetings_visible_to``, ``issues_visible_to``,
``analysable_surveys``, ``comments_visible_to``), so a unit's reader counts what their units
heard and never sees another unit's words. Counts only, never persons: for everyone but the
office, a count of 1 or 2 by area or social group is "< 3" (docs/ARCHITECTURE.md, "Small
numbers"), and a share made of fewer than 3 attitudes is not shown.

``waivers_between`` gives the leaders' waivers of a period as lines, in the shape of a
``reporting.extensions`` section provider, for the picture and the 6-month report.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from consultations.models import ConsultationLink, Difficulty, Draft, Moment, Policy, Waiver
from consultations.policy_rules import Share, marks_of, requirement, wilson
from consultations.selectors import comments_visible_to
from core.models import Attitude, Channel
from core.text import fold
from intake.models import Meeting, OpinionItem
from intake.selectors import items_visible_to, meetings_visible_to
from issues.models import Answer, Issue
from issues.selectors import issues_visible_to
from picture.selectors import SMALL, SMALL_LABEL
from surveys.analysis.results import analyse
from surveys.analysis.selectors import analysable_surveys
from surveys.analysis.vocabulary import AGREE, ALPHA, DISAGREE, vn_int
from surveys.models import Response, Survey
from surveystats import estimates_from_codes, votes_from_answers

Source = ConsultationLink.Source
SORTS = {
    "moi": ["-created_at", "-pk"], "ten": ["title_folded", "pk"],
    "giai-doan": ["stage", "title_folded"], "bat-buoc": ["-requires_consultation", "-created_at"],
}


# --- the register ----------------------------------------------------------------------------


def policies_for(user) -> QuerySet[Policy]:
    return Policy.objects.select_related("owner_unit", "waiver")


def filter_policies(user, *, q: str = "", stage: str = "", kind: str = "", required: str = "",
                    sort: str = "") -> QuerySet[Policy]:
    """The register, searched without diacritics (every word of ``q`` in the folded title)."""
    policies = policies_for(user)
    for word in fold(q).split():
        policies = policies.filter(title_folded__contains=word)
    if stage:
        policies = policies.filter(stage=stage)
    if kind:
        policies = policies.filter(kind=kind)
    if required in ("co", "khong"):
        policies = policies.filter(requires_consultation=required == "co")
    return policies.order_by(*SORTS.get(sort, SORTS["moi"]))


def policy_for(user, pk: int) -> Policy:
    return get_object_or_404(policies_for(user), pk=pk)


def reasons_of(policy: Policy) -> list[str]:
    return list(requirement(**marks_of(policy)).reasons)


# --- the consultation file -------------------------------------------------------------------


@dataclass
class Shown:
    """A count as the reader may see it: the number, or "< 3"."""

    label: str
    count: int
    hidden: bool = False

    @property
    def value(self) -> str:
        return SMALL_LABEL if self.hidden else vn_int(self.count)


@dataclass
class Consensus:
    """The share agreeing among those with an attitude, from one channel or one survey."""

    label: str
    kind: str  # "items" (Wilson interval) or "survey" (the survey's weighted estimate)
    agree: float
    total: float
    share: Share | None = None
    hidden: bool = False  # fewer than 3 attitudes, for a reader other than the office
    weighted: bool = False

    @property
    def percent(self) -> str:
        return "" if self.share is None else f"{100 * self.share.share:.0f}%".replace(".", ",")

    @property
    def interval(self) -> str:
        if self.share is None:
            return ""
        return (f"{100 * self.share.low:.0f}–{100 * self.share.high:.0f}%")


@dataclass
class LinkRow:
    link: ConsultationLink
    text: str
    url: str = ""
    detail: str = ""


@dataclass
class MomentFile:
    moment: str
    label: str
    links: list[LinkRow] = field(default_factory=list)
    hidden_links: int = 0  # sources tied to the moment the reader may not open
    heard: int = 0
    items: int = 0
    responses: int = 0
    comments: int = 0
    meetings: int = 0
    issues: int = 0
    answers: int = 0
    drafts: int = 0
    surveys: int = 0
    areas: list[Shown] = field(default_factory=list)
    groups: list[Shown] = field(default_factory=list)
    consensus: list[Consensus] = field(default_factory=list)
    difficulties: list[Difficulty] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.links and not self.hidden_links and not self.difficulties


def _shown(label: str, count: int, small_hidden: bool) -> Shown:
    return Shown(label, count, hidden=small_hidden and 0 < count < SMALL)


def _item_consensus(items: QuerySet[OpinionItem], office: bool) -> list[Consensus]:
    """Per channel and across all channels: agreeing among the items with an attitude."""
    per_channel: dict[str, Counter] = defaultdict(Counter)
    for channel, attitude in items.exclude(attitude="").values_list("channel", "attitude"):
        per_channel[channel]["total"] += 1
        per_channel[channel]["agree"] += attitude == Attitude.AGREE
    labels = dict(Channel.choices)
    rows = [(labels.get(c, c), v["agree"], v["total"]) for c, v in sorted(per_channel.items())]
    if len(rows) > 1:
        rows.append(("Mọi kênh (ý kiến)", sum(r[1] for r in rows), sum(r[2] for r in rows)))
    out = []
    for label, agree, total in rows:
        hidden = not office and 0 < total < SMALL
        out.append(Consensus(label=label, kind="items", agree=agree, total=total,
                             share=None if hidden else wilson(agree, total), hidden=hidden))
    return out


def survey_consensus(survey) -> list[Consensus]:
    """Each statement question of the survey: the weighted share agreeing among those who agreed
    or disagreed, with the survey's own (Taylor, logit) interval."""
    analysis = analyse(survey)
    weights = analysis.weights
    out = []
    for question in analysis.questions:
        if not question.is_statement:
            continue
        column = analysis.table.codes(question.name)
        votes = votes_from_answers(column.labels, agree=AGREE, disagree=DISAGREE)
        vote = np.append(votes, np.nan)[column.codes]  # 1 agree, -1 disagree, 0/nan other
        keep = analysis.mask & ~np.isnan(vote) & (vote != 0)
        w = np.ones(analysis.table.n) if weights is None else np.asarray(weights, dtype=float)
        keep &= w > 0
        if not keep.any():
            continue
        codes = np.where(vote[keep] > 0, 0, 1).astype(int)
        agree = estimates_from_codes(codes, ["agree", "disagree"], w[keep], w[keep] ** 2,
                                     alpha=ALPHA)[0]
        share = Share(agree=int((codes == 0).sum()), total=int(len(codes)),
                      share=agree.proportion, low=agree.ci_low, high=agree.ci_high)
        out.append(Consensus(label=f"{survey.title}: {question.label}", kind="survey",
                             agree=share.agree, total=share.total, share=share,
                             weighted=weights is not None))
    return out


def _link_text(link: ConsultationLink) -> tuple[str, str, str]:
    target = link.target
    if link.source == Source.SURVEY:
        return target.title, reverse("survey_detail", args=[target.slug]), ""
    if link.source == Source.MEETING:
        return (target.title, reverse("meeting_detail", args=[target.pk]),
                f"{target.get_kind_display()}, {target.held_on:%d/%m/%Y}")
    if link.source == Source.ITEM:
        return (target.text[:140], reverse("item_detail", args=[target.pk]),
                f"{target.get_channel_display()}, {target.received_on:%d/%m/%Y}")
    if link.source == Source.ISSUE:
        return target.title, reverse("issue_detail", args=[target.pk]), ""
    if link.source == Source.ANSWER:
        url = reverse("public_answer", args=[target.pk]) if target.published_at else ""
        return target.title, url, target.get_kind_display()
    return target.title, reverse("consult_draft_detail", args=[target.pk]), ""


def consultation_file(user, policy: Policy) -> list[MomentFile]:
    """The file of each moment, read through the reader's scope."""
    office = bool(getattr(user, "is_office", False))
    links = list(policy.links.select_related(*Source.values).order_by("source", "pk"))
    visible = {
        Source.SURVEY: set(analysable_surveys(user).filter(
            pk__in=[lk.survey_id for lk in links if lk.survey_id]).values_list("pk", flat=True)),
        Source.MEETING: set(meetings_visible_to(user).filter(
            pk__in=[lk.meeting_id for lk in links if lk.meeting_id]).values_list("pk", flat=True)),
        Source.ITEM: set(items_visible_to(user).filter(
            pk__in=[lk.item_id for lk in links if lk.item_id]).values_list("pk", flat=True)),
        Source.ISSUE: set(issues_visible_to(user).filter(
            pk__in=[lk.issue_id for lk in links if lk.issue_id]).values_list("pk", flat=True)),
        Source.ANSWER: set(Answer.objects.filter(
            Q(published_at__isnull=False) if not user.sees_everything else Q(),
            pk__in=[lk.answer_id for lk in links if lk.answer_id]).values_list("pk", flat=True)),
        Source.DRAFT: {lk.draft_id for lk in links if lk.draft_id},
    }
    difficulties = defaultdict(list)
    for difficulty in policy.difficulties.order_by("pk"):
        difficulties[difficulty.moment].append(difficulty)
    files = []
    for moment, label in Moment.choices:
        mine = [lk for lk in links if lk.moment == moment]
        shown = [lk for lk in mine if getattr(lk, f"{lk.source}_id") in visible[lk.source]]
        file = MomentFile(moment=moment, label=label, hidden_links=len(mine) - len(shown),
                          difficulties=difficulties[moment])
        for link in shown:
            text, url, detail = _link_text(link)
            file.links.append(LinkRow(link=link, text=text, url=url, detail=detail))
        _fill_counts(user, file, shown, office)
        files.append(file)
    return files


def _ids(links: list[ConsultationLink], source: str) -> list[int]:
    return [getattr(lk, f"{source}_id") for lk in links if lk.source == source]


def _fill_counts(user, file: MomentFile, links: list[ConsultationLink], office: bool) -> None:
    surveys, meetings = _ids(links, Source.SURVEY), _ids(links, Source.MEETING)
    issues, drafts = _ids(links, Source.ISSUE), _ids(links, Source.DRAFT)
    file.surveys, file.meetings, file.issues = len(surveys), len(meetings), len(issues)
    file.answers, file.drafts = len(_ids(links, Source.ANSWER)), len(drafts)
    # The items heard: tied one by one, or through a meeting's minutes or an issue, each once.
    reach = Q(pk__in=_ids(links, Source.ITEM))
    if meetings:
        reach |= Q(meeting_id__in=meetings)
    if issues:
        reach |= Q(issue_id__in=issues)
    items = items_visible_to(user).filter(reach) if links else OpinionItem.objects.none()
    file.items = items.count()
    responses = Response.objects.filter(survey_id__in=surveys)
    file.responses = responses.count()
    file.comments = comments_visible_to(user).filter(provision__draft_id__in=drafts).count()
    file.heard = file.items + file.responses + file.comments
    # From which areas and groups: the items' areas and the respondents' areas; the items'
    # social groups. Counts only.
    areas: Counter[str] = Counter()
    for name in items.exclude(area__isnull=True).values_list("area__name", flat=True):
        areas[name] += 1
    for name in responses.exclude(area__isnull=True).values_list("area__name", flat=True):
        areas[name] += 1
    groups: Counter[str] = Counter(
        OpinionItem.social_groups.through.objects.filter(
            opinionitem_id__in=items.values("pk")).values_list("socialgroup__name", flat=True))
    file.areas = [_shown(n, c, not office) for n, c in
                  sorted(areas.items(), key=lambda kv: (-kv[1], kv[0]))]
    file.groups = [_shown(n, c, not office) for n, c in
                   sorted(groups.items(), key=lambda kv: (-kv[1], kv[0]))]
    file.consensus = _item_consensus(items, office)
    for survey in analysable_surveys(user).filter(pk__in=surveys).order_by("pk"):
        file.consensus += survey_consensus(survey)


def before_on_record(policy: Policy) -> bool:
    """Whether the "before" moment has at least one source on record (the stage gate's
    question, asked by policy_services too)."""
    return ConsultationLink.objects.filter(policy=policy, moment=Moment.BEFORE).exists()


# --- waivers, for the picture and the 6-month report ------------------------------------------


@dataclass(frozen=True)
class WaiverRow:
    policy_id: int
    title: str
    kind: str
    stage: str
    reason: str
    granted_by: str
    granted_on: dt.date


def waivers_granted(start: dt.date, end: dt.date) -> list[WaiverRow]:
    """The leaders' waivers of the "before" consultation granted from ``start`` to ``end``
    (inclusive, local dates), oldest first. A policy is the ward's matter: not scoped."""
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    rows = []
    waivers = (Waiver.objects.filter(granted_at__gte=since, granted_at__lt=until)
               .select_related("policy", "granted_by").order_by("granted_at", "pk"))
    for waiver in waivers:
        day = timezone.localtime(waiver.granted_at).date()
        rows.append(WaiverRow(
            policy_id=waiver.policy_id, title=waiver.policy.title,
            kind=waiver.policy.get_kind_display(), stage=waiver.policy.get_stage_display(),
            reason=waiver.reason, granted_by=str(waiver.granted_by or ""), granted_on=day))
    return rows


def waivers_between(start: dt.date, end: dt.date, unit_ids: set[int] | None = None) -> list[str]:
    """The waivers as report lines, the shape of a ``reporting.extensions`` section provider
    (``provider(start, end, unit_ids)``); ``unit_ids`` is accepted and not used: policies are
    the ward's."""
    return [f"{row.kind} “{row.title}” được miễn lấy ý kiến trước khi ban hành"
            f" ({row.granted_on:%d/%m/%Y}, {row.granted_by}): {row.reason}"
            for row in waivers_granted(start, end)]


# --- what the office may tie to a moment --------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    pk: int
    text: str
    detail: str = ""
    suggested: bool = False  # a survey that names this policy in its free text


CANDIDATES = 50


def _titled(rows: QuerySet, words: list[str]) -> list[int]:
    """The pks of the first ``CANDIDATES`` rows (in the queryset's order) whose folded title has
    every word. For models without a stored folded title (meetings, drafts): they are few in a
    ward (hundreds a year), so their (pk, title) pairs are folded here rather than adding a
    column to another app's table; the database's ``icontains`` cannot match "doi thoai" to
    "Đối thoại"."""
    if not words:
        return list(rows.values_list("pk", flat=True)[:CANDIDATES])
    found = []
    for pk, title in rows.values_list("pk", "title").iterator():
        folded = fold(title)
        if all(word in folded for word in words):
            found.append(pk)
            if len(found) == CANDIDATES:
                break
    return found


def candidates(policy: Policy, source: str, q: str = "") -> list[Candidate]:
    """The office's choice of sources of one kind, searched without diacritics (newest first;
    surveys that name the policy first). Items are listed only for a search: there are many."""
    words = fold(q).split()
    if source == Source.SURVEY:
        surveys = Survey.objects.all()
        for word in words:
            surveys = surveys.filter(title_folded__contains=word)
        title = fold(policy.title)
        found = [Candidate(s.pk, s.title, (f"Giai đoạn ghi trong khảo sát: "
                                          f"{s.get_policy_stage_display()}" if s.policy_stage
                                          else ""),
                           suggested=bool(s.policy_title) and (
                               fold(s.policy_title) in title or title in fold(s.policy_title)))
                 for s in surveys.order_by("-created_at", "-pk")[:CANDIDATES]]
        return sorted(found, key=lambda c: not c.suggested)
    if source == Source.MEETING:
        order = ["-held_on", "-pk"]
        pks = _titled(Meeting.objects.order_by(*order), words)
        return [Candidate(m.pk, m.title, f"{m.get_kind_display()}, {m.held_on:%d/%m/%Y}")
                for m in Meeting.objects.filter(pk__in=pks).order_by(*order)]
    if source == Source.ITEM:
        if not words:
            return []
        items = OpinionItem.objects.all()
        for word in words:
            items = items.filter(text_folded__contains=word)
        return [Candidate(i.pk, i.text[:160], f"{i.get_channel_display()},"
                                              f" {i.received_on:%d/%m/%Y}")
                for i in items.order_by("-received_on", "-pk")[:CANDIDATES]]
    if source == Source.ISSUE:
        issues = Issue.objects.filter(merged_into__isnull=True)
        for word in words:
            issues = issues.filter(title_folded__contains=word)
        return [Candidate(i.pk, i.title, i.get_status_display())
                for i in issues.order_by("-pk")[:CANDIDATES]]
    if source == Source.ANSWER:
        answers = Answer.objects.all()
        for word in words:
            answers = answers.filter(title_folded__contains=word)
        return [Candidate(a.pk, a.title, a.get_kind_display())
                for a in answers.order_by("-pk")[:CANDIDATES]]
    if source == Source.DRAFT:
        pks = _titled(Draft.objects.all(), words)
        return [Candidate(d.pk, d.title, f"{d.opens_on:%d/%m/%Y} – {d.closes_on:%d/%m/%Y}")
                for d in Draft.objects.filter(pk__in=pks)]
    return []
