"""Consensus on agree/disagree statements across groups of respondents (areas, age groups, ...).

Pol.is's group-informed consensus: for each group g, ``P_g = (agrees_g + 1) / (votes_g + 2)``
(a Laplace-smoothed agree rate, so a small group with 2 of 2 agreeing is not taken as
certainty), and the statement's consensus is the product of ``P_g`` over groups. A statement
only scores high when *every* group agrees, which is what "points residents of every area and
age agree on" means; the overall agree share alone can be carried by the largest group.
``votes`` counts everyone who answered the statement, neutral included (Pol.is counts passes
as seen); a group that did not answer a statement contributes 1/2, as in Pol.is.
``disagree_consensus`` is the same product with disagrees.

With weights, counts become sums of weights after scaling the weights to average 1 over the
statement's respondents, so the +1/+2 smoothing keeps its meaning of "one respondent".
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from surveystats._core import SurveyStatsError, as_weights, factorize, label_of, order_codes


@dataclass(frozen=True)
class GroupAgreement:
    group: str
    votes: float
    agrees: float
    disagrees: float
    agree_share: float  # agrees / votes (NaN when the group did not answer)
    p_agree: float  # (agrees + 1) / (votes + 2)


@dataclass(frozen=True)
class StatementConsensus:
    statement: str
    votes: float
    agrees: float
    disagrees: float
    agree_share: float
    consensus: float
    disagree_consensus: float
    groups: list[GroupAgreement]


def votes_from_answers(
    values: Sequence, *, agree: Collection[str], disagree: Collection[str]
) -> np.ndarray:
    """+1 for an agreeing answer, −1 disagreeing, 0 any other answer, NaN when missing."""
    agree_labels = {str(label).strip() for label in agree}
    disagree_labels = {str(label).strip() for label in disagree}
    overlap = agree_labels & disagree_labels
    if overlap:
        raise SurveyStatsError(
            f"Câu trả lời “{sorted(overlap)[0]}” vừa được coi là đồng ý vừa là không đồng ý."
        )
    votes = np.empty(len(values))
    for row, value in enumerate(values):
        label = label_of(value)
        if label is None:
            votes[row] = np.nan
        else:
            votes[row] = 1.0 if label in agree_labels else -1.0 if label in disagree_labels else 0
    return votes


def group_consensus(
    statements: Mapping[str, Sequence[float]],
    groups: Sequence,
    *,
    weights: Sequence[float] | None = None,
) -> list[StatementConsensus]:
    """Every statement's consensus across ``groups`` (one label per respondent), best first."""
    group_codes, group_labels = order_codes(*factorize(groups), None)
    if not group_labels:
        raise SurveyStatsError("Không có nhóm người trả lời nào để so sánh.")
    w = as_weights(weights, len(group_codes))
    results = [
        _statement(str(name), _as_votes(name, votes, len(group_codes)), group_codes,
                   group_labels, w, weighted=weights is not None)
        for name, votes in statements.items()
    ]
    return sorted(results, key=lambda result: result.consensus, reverse=True)


def _as_votes(name: object, votes: Sequence[float], n_rows: int) -> np.ndarray:
    array = np.asarray(votes, dtype=float)
    if array.shape != (n_rows,):
        raise SurveyStatsError(
            f"Ý kiến “{name}” có {array.size} phiếu, khác số người trả lời ({n_rows})."
        )
    odd = np.flatnonzero(~np.isnan(array) & ~np.isin(array, (-1.0, 0.0, 1.0)))
    if odd.size:
        raise SurveyStatsError(
            f"Ý kiến “{name}”, hàng dữ liệu số {odd[0] + 1}: phiếu phải là 1 (đồng ý),"
            f" -1 (không đồng ý) hoặc 0 (trung lập), đang là {array[odd[0]]}."
        )
    return array


def _statement(
    name: str,
    votes: np.ndarray,
    group_codes: np.ndarray,
    group_labels: list[str],
    w: np.ndarray,
    *,
    weighted: bool,
) -> StatementConsensus:
    voted = ~np.isnan(votes) & (group_codes >= 0) & (w > 0)
    codes, votes, w = group_codes[voted], votes[voted], w[voted]
    if weighted and len(w):
        w = w * (len(w) / w.sum())
    size = len(group_labels)
    seen = np.bincount(codes, weights=w, minlength=size)
    agrees = np.bincount(codes, weights=w * (votes == 1), minlength=size)
    disagrees = np.bincount(codes, weights=w * (votes == -1), minlength=size)
    p_agree = (agrees + 1) / (seen + 2)
    p_disagree = (disagrees + 1) / (seen + 2)
    total = float(seen.sum())
    return StatementConsensus(
        statement=name,
        votes=total,
        agrees=float(agrees.sum()),
        disagrees=float(disagrees.sum()),
        agree_share=float(agrees.sum()) / total if total else math.nan,
        consensus=float(np.prod(p_agree)),
        disagree_consensus=float(np.prod(p_disagree)),
        groups=[
            GroupAgreement(
                group=label,
                votes=float(seen[g]),
                agrees=float(agrees[g]),
                disagrees=float(disagrees[g]),
                agree_share=float(agrees[g] / seen[g]) if seen[g] else math.nan,
                p_agree=float(p_agree[g]),
            )
            for g, label in enumerate(group_labels)
        ],
    )
