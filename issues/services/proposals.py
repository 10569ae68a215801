"""Proposals to merge near-duplicate issues (issue 17): the engine's second pass over whole
issues (:mod:`textengine.grouping.proposals`) proposes, the office accepts in one click or
dismisses. A pair once proposed is never proposed again, whatever became of it."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.dates import local_today
from core.errors import ServiceError
from core.models import AuditEntry
from core.services import audit, require_office
from core.text import fold
from intake.models import OpinionItem
from issues.models import Issue, MergeProposal
from issues.services.corrections import merge_issues
from orgs.models import User
from textengine.diacritics import restore
from textengine.grouping.proposals import WINDOW_DAYS, MergeCandidate, merge_candidates
from textops import services as textops

P = MergeProposal.Status
REASON_ITEMS = 60  # items whose words give the reason's written forms
_WORD = re.compile(r"[^\W\d_]+")
_PLACE_KINDS = {
    "tdp": "tổ dân phố",
    "kp": "khu phố",
    "kdc": "khu dân cư",
    "ngo": "ngõ",
    "hem": "hẻm",
    "thon": "thôn",
    "xom": "xóm",
}


def _place_name(key: str) -> str:
    kind, _, rest = key.partition(" ")
    if kind in _PLACE_KINDS and rest:
        return f"{_PLACE_KINDS[kind]} {rest}"
    return " ".join(w.capitalize() for w in restore(key).split())


def _written_forms(issues: tuple[Issue, Issue]) -> dict[str, str]:
    """Folded word → its most frequent form written with diacritics in the issues' first items:
    the engine's shared words are folded, and the office reads Vietnamese."""
    forms: dict[str, Counter] = {}
    texts = OpinionItem.objects.filter(issue__in=issues).order_by("received_on", "id")
    for text in texts.values_list("text", flat=True)[:REASON_ITEMS]:
        for word in _WORD.findall(text or ""):
            lower = word.lower()
            if not lower.isascii():
                forms.setdefault(fold(lower), Counter())[lower] += 1
    return {k: c.most_common(1)[0][0] for k, c in forms.items()}


def _reason(candidate: MergeCandidate, keep: Issue, other: Issue) -> str:
    """Why, in Vietnamese with diacritics (a word no item wrote with them is restored)."""
    parts = []
    if keep.topic_id:
        parts.append(f"cùng chủ đề {keep.topic.name}")
    if candidate.places:
        parts.append("cùng nơi: " + ", ".join(_place_name(p) for p in candidate.places))
    if candidate.words:
        written = _written_forms((keep, other))
        words = [written.get(w) or restore(w) for w in candidate.words]
        parts.append("cùng nói về: " + ", ".join(dict.fromkeys(words)))
    return ("; ".join(parts) or "nội dung gần giống")[:300]


def _ordered(a: Issue, b: Issue) -> tuple[Issue, Issue]:
    """(keep, other): the issue already in someone's hands survives, else the one with more items,
    else the older (the engine's order)."""
    if bool(a.owner_unit_id) != bool(b.owner_unit_id):
        return (a, b) if a.owner_unit_id else (b, a)
    return a, b


def _engine_ids(issues) -> dict[int, Issue]:
    return {int(i.engine_key): i for i in issues if i.engine_key and i.engine_key.isdigit()}


def propose_merges(
    *,
    today: dt.date | None = None,
    window_days: int = WINDOW_DAYS,
    issue_ids: Iterable[int] | None = None,
) -> int:
    """Propose merging the pairs of live issues that look like one matter, among the issues heard
    in the last ``window_days`` days (and the issues they resemble, heard within that many days
    of them); with ``issue_ids`` (the issues a grouping run touched: only a pair with a changed
    issue can newly qualify), among those only. Pairs proposed before (open, accepted,
    dismissed) are skipped. Returns how many proposals were made; one audit entry for the run."""
    today = today or local_today()
    grouper, _version = textops.load_grouper()
    live = set(grouper.issues())
    issues = Issue.objects.filter(merged_into__isnull=True, engine_key__isnull=False)
    by_engine = {k: i for k, i in _engine_ids(issues.select_related("topic")).items() if k in live}
    touched = set(issue_ids) if issue_ids is not None else None
    recent = [
        k
        for k, i in by_engine.items()
        if i.last_seen_on
        and i.last_seen_on >= today - dt.timedelta(days=window_days)
        and (touched is None or i.pk in touched)
    ]
    if not recent:
        return 0
    labels = {k: i.topic_id for k, i in by_engine.items()}
    candidates = merge_candidates(grouper, recent, labels=labels, window_days=window_days)
    made = 0
    with transaction.atomic():
        for candidate in candidates:
            a, b = by_engine.get(candidate.keep), by_engine.get(candidate.other)
            if a is None or b is None:
                continue
            if MergeProposal.objects.filter(Q(keep=a, other=b) | Q(keep=b, other=a)).exists():
                continue
            keep, other = _ordered(a, b)
            MergeProposal.objects.create(
                keep=keep,
                other=other,
                score=candidate.score,
                reason=_reason(candidate, keep, other),
            )
            made += 1
        if made:
            audit(
                actor=None,
                action=AuditEntry.Action.CREATE,
                object_type="issues.mergeproposal",
                summary=f"Đề xuất gộp {made} cặp vấn đề gần trùng nhau",
                data={"proposals": made, "window_days": window_days},
            )
    return made


def _locked_open(proposal: MergeProposal) -> MergeProposal:
    current = (
        MergeProposal.objects.select_for_update()
        .select_related("keep", "other")
        .get(pk=proposal.pk)
    )
    if current.status != P.OPEN:
        raise ServiceError(
            f"Đề xuất gộp {current.other.code} vào {current.keep.code} đã được xử lý "
            f"({current.get_status_display().lower()}).",
            field="proposal",
        )
    return current


def _decide(proposal: MergeProposal, user: User, status: str) -> None:
    proposal.status = status
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])


def accept_proposal(*, user: User, proposal: MergeProposal) -> Issue:
    """Merge the proposal's two issues (office only), through ``merge_issues``; the open
    proposals naming the merged-away issue lapse. Audited."""
    require_office(user, "gộp vấn đề")
    with transaction.atomic():
        current = _locked_open(proposal)
        stale = bool(current.keep.merged_into_id or current.other.merged_into_id)
        if stale:
            _decide(current, user, P.OBSOLETE)
    if stale:
        raise ServiceError(
            "Một trong hai vấn đề đã được gộp vào vấn đề khác; đề xuất này không còn hiệu lực.",
            field="proposal",
        )
    with transaction.atomic():
        current = _locked_open(proposal)
        kept = merge_issues(user=user, keep=current.keep, other=current.other)
        _decide(current, user, P.ACCEPTED)
        lapsed = (
            MergeProposal.objects.filter(status=P.OPEN)
            .filter(Q(keep=current.other) | Q(other=current.other))
            .update(status=P.OBSOLETE)
        )
        audit(
            actor=user,
            action=AuditEntry.Action.UPDATE,
            obj=current,
            unit=user.unit,
            summary=f"Chấp nhận đề xuất gộp {current.other.code} vào {current.keep.code}",
            data={"keep": current.keep_id, "other": current.other_id, "lapsed": lapsed},
        )
    return kept


def dismiss_proposal(*, user: User, proposal: MergeProposal) -> MergeProposal:
    """The two issues are different matters (office only): the pair is never proposed again."""
    require_office(user, "bỏ qua đề xuất gộp")
    with transaction.atomic():
        current = _locked_open(proposal)
        _decide(current, user, P.DISMISSED)
        audit(
            actor=user,
            action=AuditEntry.Action.UPDATE,
            obj=current,
            unit=user.unit,
            summary=f"Không gộp {current.other.code} vào {current.keep.code}",
            data={"keep": current.keep_id, "other": current.other_id},
        )
    return current
