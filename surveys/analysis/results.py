"""Results of a survey: one analysis per request (load, weigh, filter) and its frequencies.

Reads only; the statistics come from ``surveystats``. :func:`analyse` is the one call of the
pages: it takes the request's :class:`~surveys.analysis.questions.QuestionFrame` (built once per
request), loads the response frame, weighs the whole sample and then applies the filters.

Scoping: analysis is for the office, the leadership and readers of the survey's own unit (and
the units above it); anyone else gets 404 (see
:func:`surveys.analysis.selectors.get_analysable_survey`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from surveys.analysis.filters import AnalysisFilter, describe_filter, filter_mask
from surveys.analysis.frame import (
    Column,
    ResponseTable,
    categories_of,
    load_responses,
    number_or_none,
    rank_first_codes,
)
from surveys.analysis.questions import QuestionFrame, QuestionInfo, question_frame
from surveys.analysis.vocabulary import (
    ALPHA,
    CATEGORICAL,
    DATE,
    MULTIPLE,
    NUMERIC,
    SMALL_CELL,
    TEXT,
)
from surveys.analysis.weights import Weighting, compute_weights
from surveys.models import Survey
from surveystats import estimate_mean, estimate_select_multiple, estimates_from_codes


@dataclass
class CategoryRow:
    value: str
    label: str
    n: int
    percent: float  # unweighted, 0..100
    weighted_percent: float | None = None
    ci_low: float | None = None  # 0..100, weighted when weights are used
    ci_high: float | None = None
    moe: float | None = None  # percentage points
    deff: float | None = None
    se: float | None = None
    suppressed: str = ""  # public page: "small" (count below SMALL_CELL) or "complement"


@dataclass
class MeanRow:
    n: int
    mean: float
    weighted_mean: float | None
    ci_low: float
    ci_high: float
    moe: float
    deff: float


@dataclass
class QuestionResult:
    question: QuestionInfo
    respondents: int  # answered, in the filtered rows
    asked: int  # rows whose form version has the question
    rows: list[CategoryRow] = field(default_factory=list)
    mean: MeanRow | None = None
    weighted: bool = False
    note: str = ""
    hidden: bool = False  # public page: too few respondents

    @property
    def kind(self) -> str | None:
        return self.question.kind

    def chart(self, weighted: bool) -> dict:
        use = weighted and self.weighted
        return {
            "name": self.question.name,
            "labels": [r.label for r in self.rows],
            "values": [
                None if r.suppressed else round(
                    (r.weighted_percent if use and r.weighted_percent is not None
                     else r.percent), 1)
                for r in self.rows
            ],
            "low": [None if r.suppressed or r.ci_low is None else round(r.ci_low, 1)
                    for r in self.rows],
            "high": [None if r.suppressed or r.ci_high is None else round(r.ci_high, 1)
                     for r in self.rows],
        }


def _estimates(codes: np.ndarray, categories: list[str], w: np.ndarray | None):
    """Unweighted and (with ``w``) weighted estimates of respondents' category codes."""
    keep = codes >= 0
    if w is not None:
        keep &= w > 0
    respondents = codes[keep]
    ones = np.ones(len(respondents))
    plain = estimates_from_codes(respondents, categories, ones, ones, alpha=ALPHA)
    if w is None:
        return plain, None
    wk = w[keep]
    return plain, estimates_from_codes(respondents, categories, wk, wk * wk, alpha=ALPHA)


def _category_rows(question: QuestionInfo, plain, weighted) -> list[CategoryRow]:
    weighted_by = {e.category: e for e in weighted or []}
    rows = []
    for estimate in plain:
        wt = weighted_by.get(estimate.category)
        shown = wt or estimate
        rows.append(CategoryRow(
            value=estimate.category,
            label=question.label_of(estimate.category),
            n=estimate.n,
            percent=100.0 * estimate.proportion,
            weighted_percent=100.0 * wt.proportion if wt else None,
            ci_low=100.0 * shown.ci_low, ci_high=100.0 * shown.ci_high,
            moe=100.0 * shown.moe, deff=shown.deff, se=100.0 * shown.se,
        ))
    return rows


def frequencies(table: ResponseTable, questions: Sequence[QuestionInfo],
                weights: np.ndarray | None = None, mask: np.ndarray | None = None
                ) -> list[QuestionResult]:
    """Frequencies of every categorical question and means of every numeric one.

    Unweighted counts and percentages always; with ``weights`` (one per row of the table) also
    weighted percentages with their 95% CI, margin of error and design effect. Single-choice
    questions go straight from the factorised codes to ``np.bincount`` (surveystats'
    ``estimates_from_codes``, the same numbers as ``estimate_proportions``).
    """
    mask = np.ones(table.n, dtype=bool) if mask is None else mask
    w = None if weights is None else np.asarray(weights, dtype=float)[mask]
    per_version = Counter(table.version[mask].tolist())
    results = []
    for question in questions:
        column = table.codes(question.name)
        codes, labels = column.codes[mask], column.labels
        if question.type == "rank":
            codes, labels = rank_first_codes(codes, labels)
        result = QuestionResult(
            question, int(np.count_nonzero(codes >= 0)),
            sum(per_version.get(v, 0) for v in set(question.versions)), weighted=w is not None,
        )
        results.append(result)
        if question.kind == CATEGORICAL:
            categories = categories_of(question, labels)
            position = {c: i for i, c in enumerate(categories)}
            remap = np.array([position[label] for label in labels] + [-1], dtype=np.int32)
            result.rows = _category_rows(question, *_estimates(remap[codes], categories, w))
            if question.type == "rank":
                result.note = "Tính theo phương án được xếp hạng thứ nhất."
        elif question.kind == MULTIPLE:
            values = Column(codes, labels).values()
            options = categories_of(question, labels)
            plain = estimate_select_multiple(values, None, options=options)
            weighted = estimate_select_multiple(values, w, options=options) if w is not None \
                else None
            result.rows = _category_rows(question, plain, weighted)
        elif question.kind == NUMERIC:
            parsed = [number_or_none(label) for label in labels]
            lookup = np.array([np.nan if p is None else p for p in parsed] + [np.nan])
            numbers = lookup[codes]
            result.respondents = int(np.count_nonzero(~np.isnan(numbers)))
            unreadable = np.array([p is None for p in parsed] + [False], dtype=bool)
            bad = int(np.count_nonzero(unreadable[codes]))
            if bad:
                result.note = f"{bad} câu trả lời không phải là số, không được tính."
            if result.respondents:
                plain = estimate_mean(numbers)
                weighted = estimate_mean(numbers, w) if w is not None else None
                shown = weighted or plain
                result.mean = MeanRow(
                    n=plain.n, mean=plain.mean,
                    weighted_mean=weighted.mean if weighted else None,
                    ci_low=shown.ci_low, ci_high=shown.ci_high, moe=shown.moe, deff=shown.deff,
                )
        elif question.kind == TEXT:
            result.note = "Câu hỏi mở: xem trang “Ý kiến mở”."
        elif question.kind == DATE:
            present = sorted(labels[c] for c in set(codes.tolist()) if c >= 0)
            if present:
                result.note = f"Từ {present[0]} đến {present[-1]}."
    return results


def suppress_small_cells(results: Iterable[QuestionResult], threshold: int = SMALL_CELL
                         ) -> list[QuestionResult]:
    """Hide counts below ``threshold`` (and what would give them away) for the public page.

    A question answered by fewer than ``threshold`` people is hidden whole. In a single-choice
    question a lone hidden cell could be recovered as "total minus the others", so the next
    smallest cell is hidden with it. Options of a multiple-choice question are separate yes/no
    counts and need no such second cell.
    """
    out = []
    for result in results:
        if result.respondents < threshold:
            result.hidden = True
            result.rows = []
            result.mean = None
            out.append(result)
            continue
        small = [r for r in result.rows if 0 < r.n < threshold]
        for row in small:
            row.suppressed = "small"
        if result.kind == CATEGORICAL and len(small) == 1:
            others = sorted((r for r in result.rows if not r.suppressed and r.n > 0),
                            key=lambda r: r.n)
            if others:
                others[0].suppressed = "complement"
        for row in result.rows:
            if row.suppressed:
                row.n = 0
                row.percent = 0.0
                row.weighted_percent = row.ci_low = row.ci_high = row.moe = row.se = None
        out.append(result)
    return out


@dataclass
class SurveyAnalysis:
    """One request's analysis: its question frame, the response frame, weights and filter."""

    frame: QuestionFrame
    table: ResponseTable
    weighting: Weighting
    mask: np.ndarray
    filters: AnalysisFilter
    use_weights: bool

    @property
    def survey(self) -> Survey:
        return self.frame.survey

    @property
    def questions(self) -> list[QuestionInfo]:
        return self.frame.questions

    @property
    def n_total(self) -> int:
        return self.table.n

    @property
    def n(self) -> int:
        return int(self.mask.sum())

    @property
    def weights(self) -> np.ndarray | None:
        return self.weighting.weights if self.use_weights and self.weighting.ok else None

    @property
    def choice_labels(self) -> dict[str, dict[str, str]]:
        return self.frame.choice_labels

    def filter_words(self) -> list[str]:
        return describe_filter(self.filters, self.questions, self.choice_labels)

    def question(self, name: str) -> QuestionInfo | None:
        return self.frame.question(name)

    def frequencies(self) -> list[QuestionResult]:
        return frequencies(self.table, self.questions, self.weights, self.mask)


def analyse(survey: Survey, filters: AnalysisFilter | None = None, *, weighted: bool = True,
            frame: QuestionFrame | None = None) -> SurveyAnalysis:
    """Load, weigh and filter a survey (weights from the whole sample, then the filter).

    ``frame``: the request's question frame when the caller has built it (for its filter form).
    """
    filters = filters or AnalysisFilter()
    frame = question_frame(survey) if frame is None else frame
    table = load_responses(survey, frame.questions)
    weighting = compute_weights(survey, table, frame=frame)
    mask = filter_mask(table, filters, frame.questions)
    return SurveyAnalysis(frame, table, weighting, mask, filters, weighted)
