"""Consensus on the statement questions across groups of respondents (Pol.is style).

Statement questions are the single-choice questions whose choices include an "agree" and a
"disagree" answer (``dong_y`` and ``khong_dong_y``, see :data:`AGREE`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from surveys.analysis.frame import ResponseTable, objects
from surveys.analysis.questions import QuestionInfo
from surveys.analysis.vocabulary import AGE_GROUP, AGREE, AREA, DISAGREE, GENDER, MISSING_GROUP
from surveys.analysis.weights import weighting_column
from surveystats import group_consensus, votes_from_answers

# Age group first: the default. Pol.is-style consensus multiplies over groups, so a few large
# groups (4 ages) read well while 65 small areas drive every product towards zero.
GROUPINGS = {AGE_GROUP: "Nhóm tuổi", GENDER: "Giới tính", AREA: "Địa bàn"}


@dataclass
class ConsensusRow:
    question: QuestionInfo
    votes: float
    agree_share: float  # 0..100
    disagree_share: float
    consensus: float
    disagree_consensus: float
    groups: list[tuple[str, float, float]]  # (group, votes, agree share 0..100 or nan)


def statement_questions(questions: Sequence[QuestionInfo]) -> list[QuestionInfo]:
    return [q for q in questions if q.is_statement]


def group_labels_for(table: ResponseTable, grouping: str, labels: dict[str, dict[str, str]]
                     ) -> np.ndarray:
    column = weighting_column(table, grouping)
    names = labels.get(grouping, {})
    return objects([names.get(v, v) if v is not None else MISSING_GROUP for v in column])


def consensus_result(table: ResponseTable, questions: Sequence[QuestionInfo], groups: np.ndarray,
                     weights: np.ndarray | None = None, mask: np.ndarray | None = None
                     ) -> list[ConsensusRow]:
    """Statements ranked by Pol.is group-informed consensus across ``groups`` (one per row)."""
    mask = np.ones(table.n, dtype=bool) if mask is None else mask
    statements = statement_questions(questions)
    if not statements or not mask.any():
        return []
    votes = {}
    for question in statements:
        # Each distinct answer is turned into a vote once; the rows then just look it up.
        column = table.codes(question.name)
        label_votes = votes_from_answers(column.labels, agree=AGREE, disagree=DISAGREE)
        votes[question.name] = np.append(label_votes, np.nan)[column.codes[mask]]
    w = None if weights is None else np.asarray(weights, dtype=float)[mask]
    ranked = group_consensus(votes, groups[mask], weights=w)
    by_name = {q.name: q for q in statements}
    out = []
    for item in ranked:
        total = item.votes or float("nan")
        out.append(ConsensusRow(
            question=by_name[item.statement],
            votes=item.votes,
            agree_share=100.0 * item.agrees / total if item.votes else float("nan"),
            disagree_share=100.0 * item.disagrees / total if item.votes else float("nan"),
            consensus=item.consensus,
            disagree_consensus=item.disagree_consensus,
            groups=[(g.group, g.votes, 100.0 * g.agree_share) for g in item.groups],
        ))
    return out
