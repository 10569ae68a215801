"""Filters of the analysis pages: which rows of the response frame are looked at, and in words.

Weights are computed on the **whole** sample and only then are filters applied (a filter is a
domain of the weighted sample), so looking at one area does not re-weight it to the ward.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from orgs.models import Area, Collaborator
from surveys.analysis.frame import ResponseTable
from surveys.analysis.questions import QuestionInfo
from surveys.analysis.vocabulary import AGE_GROUP, GENDER, SOURCES


@dataclass(frozen=True)
class AnalysisFilter:
    area_id: int | None = None
    gender: str = ""
    age_group: str = ""
    source: str = ""
    interviewer_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    version: str = ""
    answers: tuple[tuple[str, str], ...] = ()  # (question name, choice): select questions

    @property
    def is_empty(self) -> bool:
        return self == AnalysisFilter()


def filter_mask(table: ResponseTable, filters: AnalysisFilter,
                questions: Sequence[QuestionInfo] = ()) -> np.ndarray:
    """Rows of ``table`` that pass ``filters``."""
    mask = np.ones(table.n, dtype=bool)
    if filters.area_id is not None:
        mask &= table.area_id == filters.area_id
    if filters.gender:
        mask &= table.gender == filters.gender
    if filters.age_group:
        mask &= table.age_group == filters.age_group
    if filters.source:
        mask &= table.source == filters.source
    if filters.interviewer_id is not None:
        mask &= table.interviewer_id == filters.interviewer_id
    if filters.version:
        mask &= table.version == filters.version
    if filters.date_from or filters.date_to:
        days = np.array([
            timezone.localtime(when).date() if when else dt.date.min for when in table.when
        ], dtype=object)
        if filters.date_from:
            mask &= days >= filters.date_from
        if filters.date_to:
            mask &= days <= filters.date_to
    types = {q.name: q.type for q in questions}
    for name, value in filters.answers:
        column = table.codes(name)
        if types.get(name) == "select_multiple":
            hits = [value in label.split() for label in column.labels]
        elif types.get(name) == "rank":
            hits = [label.split()[0] == value for label in column.labels]
        else:
            hits = [label == value for label in column.labels]
        mask &= np.array([*hits, False], dtype=bool)[column.codes]  # code -1: the last, False
    return mask


def describe_filter(filters: AnalysisFilter, questions: Sequence[QuestionInfo],
                    choices: dict[str, dict[str, str]]) -> list[str]:
    """The active filters in words, for the page, the exports and the report."""
    parts = []
    if filters.area_id is not None:
        name = Area.objects.filter(pk=filters.area_id).values_list("name", flat=True).first()
        parts.append(f"Địa bàn: {name or filters.area_id}")
    if filters.gender:
        parts.append(f"Giới tính: {choices.get(GENDER, {}).get(filters.gender, filters.gender)}")
    if filters.age_group:
        label = choices.get(AGE_GROUP, {}).get(filters.age_group, filters.age_group)
        parts.append(f"Nhóm tuổi: {label}")
    if filters.source:
        parts.append(f"Nguồn: {SOURCES.get(filters.source, filters.source)}")
    if filters.interviewer_id is not None:
        name = Collaborator.objects.filter(pk=filters.interviewer_id).values_list(
            "full_name", flat=True).first()
        parts.append(f"Cộng tác viên phỏng vấn: {name or filters.interviewer_id}")
    if filters.date_from:
        parts.append(f"Từ ngày {filters.date_from:%d/%m/%Y}")
    if filters.date_to:
        parts.append(f"Đến ngày {filters.date_to:%d/%m/%Y}")
    if filters.version:
        parts.append(f"Phiên bản biểu mẫu {filters.version}")
    by_name = {q.name: q for q in questions}
    for name, value in filters.answers:
        question = by_name.get(name)
        if question:
            parts.append(f"“{question.label}” = {question.label_of(value)}")
    return parts
