"""Open answers: topics, attitudes and groups of the answers to one open question."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from surveys.analysis.frame import ResponseTable
from surveys.analysis.questions import QuestionInfo
from surveys.analysis.vocabulary import OPEN_ANSWER_LIMIT


@dataclass
class AnswerGroup:
    size: int
    examples: list[str]
    topic: str
    attitude: str


@dataclass
class OpenAnswers:
    question: QuestionInfo
    answered: int
    analysed: int
    topics: list[tuple[str, int]]
    attitudes: list[tuple[str, str, int]]  # (code, label, count)
    groups: list[AnswerGroup]


def open_answers(table: ResponseTable, question: QuestionInfo, mask: np.ndarray | None = None,
                 *, limit: int = OPEN_ANSWER_LIMIT, examples: int = 3,
                 max_groups: int = 20) -> OpenAnswers:
    """Topics, attitudes and groups of the answers to one open question, via the text engine.

    Only masked text leaves here (phone numbers, ID numbers … replaced): the examples shown are
    the engine's masked, normalised form. The latest ``limit`` answers are read.
    """
    from core.models import Attitude
    from textengine.grouping import Grouper
    from textops import services as engine

    mask = np.ones(table.n, dtype=bool) if mask is None else mask
    column = table.column(question.name)
    rows = [i for i in np.flatnonzero(mask) if column[i] is not None]
    answered = len(rows)
    rows = rows[-limit:]
    grouper = Grouper()
    topics: Counter[str] = Counter()
    attitudes: Counter[str] = Counter()
    texts: dict[int, str] = {}
    topic_of: dict[int, str] = {}
    attitude_of: dict[int, str] = {}
    records = []
    for index in rows:
        analysis = engine.analyse(str(column[index]), sign=False)
        texts[index] = analysis.normalised
        topic_of[index] = analysis.suggested_topic_name or "Chưa xác định"
        attitude_of[index] = analysis.suggested_attitude
        topics[topic_of[index]] += 1
        attitudes[analysis.suggested_attitude] += 1
        when = table.when[index]
        records.append((int(index), analysis.normalised, when.date() if when else None))
    grouper.assign_many(records)
    attitude_labels = dict(Attitude.choices)
    groups = []
    for issue in grouper.issues():
        members = grouper.members(issue)
        top_topic = Counter(topic_of[m] for m in members).most_common(1)[0][0]
        top_attitude = Counter(attitude_of[m] for m in members).most_common(1)[0][0]
        distinct = list(dict.fromkeys(texts[m] for m in members))
        groups.append(AnswerGroup(
            size=len(members),
            examples=distinct[:examples],
            topic=top_topic,
            attitude=attitude_labels.get(top_attitude, "Chưa rõ thái độ"),
        ))
    groups.sort(key=lambda g: -g.size)
    return OpenAnswers(
        question=question,
        answered=answered,
        analysed=len(rows),
        topics=topics.most_common(),
        attitudes=[(code, attitude_labels.get(code, "Chưa rõ thái độ"), count)
                   for code, count in attitudes.most_common()],
        groups=groups[:max_groups],
    )
