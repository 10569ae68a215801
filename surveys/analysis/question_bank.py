"""The survey database (R6): every question ever asked, and the same question across rounds.

* :func:`search_questions` finds questions by their words with or without diacritics (the
  folded label ``Question.label_folded`` and ``Survey.title_folded``), one row per question of a
  survey (its latest version), scoped to the surveys the reader may analyse.
* :func:`concept_series` follows the questions sharing a ``concept_key`` across surveys: per
  survey round, the weighted share of each answer with its 95% confidence interval (each survey
  weighted to its own margins; unweighted, and said so, when it cannot be).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
from django import forms
from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear

from core.text import fold
from orgs.models import User
from surveys.analysis.frame import load_responses, rank_first, to_float
from surveys.analysis.questions import QuestionInfo, question_frame
from surveys.analysis.selectors import analysable_surveys
from surveys.analysis.vocabulary import CATEGORICAL, MULTIPLE, NUMERIC, TYPE_LABELS
from surveys.analysis.weights import compute_weights
from surveys.models import Question, Survey
from surveystats import estimate_mean, estimate_proportions, estimate_select_multiple

NOT_QUESTIONS = ("note", "calculate", "start", "end", "today", "deviceid", "username",
                 "begin group", "end group", "begin repeat", "end repeat", "begin_group",
                 "end_group", "begin_repeat", "end_repeat", "audit", "hidden")
TYPE_FILTERS = {
    "select_one": ("select_one", "select one"),
    "select_multiple": ("select_multiple", "select all that apply", "select multiple"),
    "rank": ("rank",),
    "text": ("text",),
    "integer": ("integer", "int"),
    "decimal": ("decimal",),
    "date": ("date",),
}


@dataclass(frozen=True)
class BankCriteria:
    q: str = ""
    survey_id: int | None = None
    year: int | None = None
    type: str = ""


def _type_q(kind: str) -> Q:
    condition = Q(pk__in=[])
    for prefix in TYPE_FILTERS.get(kind, (kind,)):
        condition |= Q(type=prefix) | Q(type__startswith=f"{prefix} ")
    return condition


def search_questions(user: User, criteria: BankCriteria) -> QuerySet[Question]:
    surveys = analysable_surveys(user)
    if criteria.survey_id is not None:
        surveys = surveys.filter(pk=criteria.survey_id)
    if criteria.year is not None:
        surveys = surveys.filter(
            Q(starts_on__year=criteria.year)
            | Q(starts_on__isnull=True, created_at__year=criteria.year)
        )
    # One row per question name and survey: the one in the survey's latest version that has it.
    latest = (
        Question.objects.filter(form_version__survey__in=surveys)
        .values("form_version__survey", "name").annotate(last=Max("id")).values("last")
    )
    questions = (
        Question.objects.filter(pk__in=latest, in_repeat=False)
        .exclude(type__in=NOT_QUESTIONS)
        .select_related("form_version__survey")
    )
    words = fold(criteria.q).split()
    in_label = Q()
    for word in words:
        questions = questions.filter(
            Q(label_folded__contains=word)
            | Q(form_version__survey__title_folded__contains=word)
            | Q(name__icontains=word)
        )
        in_label &= Q(label_folded__contains=word)
    if criteria.type:
        questions = questions.filter(_type_q(criteria.type))
    # Questions whose own words match come before those found by their survey's title.
    questions = questions.annotate(
        title_only=Case(When(in_label, then=Value(0)), default=Value(1),
                        output_field=IntegerField()) if words else Value(0)
    )
    return questions.order_by("title_only", "-form_version__survey__starts_on",
                              "-form_version__survey__created_at", "form_version__survey_id",
                              "position", "id")


def round_counts(user: User, questions) -> dict[str, int]:
    """How many surveys (the reader may see) asked each question's concept."""
    keys = {q.concept_key for q in questions if q.concept_key}
    if not keys:
        return {}
    rows = (
        Question.objects.filter(concept_key__in=keys,
                                form_version__survey__in=analysable_surveys(user))
        .values("concept_key").annotate(n=Count("form_version__survey", distinct=True))
    )
    return {row["concept_key"]: row["n"] for row in rows}


class QuestionSearchForm(forms.Form):
    q = forms.CharField(
        label="Từ khóa", required=False, max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "có dấu hoặc không dấu, ví dụ: hoa binh"}),
    )
    survey = forms.ModelChoiceField(Survey.objects.none(), label="Cuộc khảo sát",
                                    required=False, empty_label="Tất cả")
    year = forms.TypedChoiceField(label="Năm", required=False, coerce=int, empty_value=None)
    type = forms.ChoiceField(label="Kiểu câu hỏi", required=False)

    def __init__(self, data=None, *, user: User):
        super().__init__(data)
        surveys = analysable_surveys(user)
        self.fields["survey"].queryset = surveys.order_by("-starts_on", "-created_at")
        years = sorted({
            *surveys.exclude(starts_on__isnull=True).annotate(y=ExtractYear("starts_on"))
            .values_list("y", flat=True),
            *surveys.filter(starts_on__isnull=True).annotate(y=ExtractYear("created_at"))
            .values_list("y", flat=True),
        }, reverse=True)
        self.fields["year"].choices = [("", "Tất cả"), *[(y, str(y)) for y in years]]
        self.fields["type"].choices = [
            ("", "Tất cả"), *[(k, TYPE_LABELS[k]) for k in TYPE_FILTERS]
        ]

    def criteria(self) -> BankCriteria:
        if not self.is_bound or not self.is_valid():
            return BankCriteria()
        data = self.cleaned_data
        return BankCriteria(
            q=data["q"], survey_id=data["survey"].pk if data["survey"] else None,
            year=data["year"], type=data["type"],
        )


# --- the same question across rounds ---------------------------------------------------------


@dataclass
class RoundPoint:
    value: float  # percent (or the mean for a number)
    low: float
    high: float
    n: int


@dataclass
class SeriesRound:
    survey: Survey
    question: QuestionInfo
    label: str
    n: int  # respondents who answered
    weighted: bool
    note: str
    points: dict[str, RoundPoint] = field(default_factory=dict)  # category (or "mean")


@dataclass
class ConceptSeries:
    key: str
    label: str
    kind: str | None
    categories: list[tuple[str, str]]
    rounds: list[SeriesRound]

    def chart(self) -> dict:
        """Chart.js-ready data: per category its values and CI bounds along the rounds."""
        def r1(x: float | None):
            return None if x is None or math.isnan(x) else round(x, 2)

        return {
            "labels": [r.label for r in self.rounds],
            "unit": "" if self.kind == NUMERIC else "%",
            "series": [
                {
                    "label": label,
                    "values": [r1(r.points[c].value) if c in r.points else None
                               for r in self.rounds],
                    "low": [r1(r.points[c].low) if c in r.points else None for r in self.rounds],
                    "high": [r1(r.points[c].high) if c in r.points else None
                             for r in self.rounds],
                }
                for c, label in self.categories
            ],
        }


def round_date(survey: Survey) -> dt.date:
    return survey.starts_on or survey.created_at.date()


def _round_label(survey: Survey) -> str:
    day = round_date(survey)
    return f"{survey.title} ({day:%m/%Y})"


def _one_round(survey: Survey, name: str) -> SeriesRound | None:
    frame = question_frame(survey)
    question = frame.question(name)
    if question is None or question.kind not in (CATEGORICAL, MULTIPLE, NUMERIC):
        return None
    table = load_responses(survey, [question])
    weighting = compute_weights(survey, table, frame=frame)
    weights = weighting.weights
    column = table.column(name)
    if question.type == "rank":
        column = rank_first(column)
    result = SeriesRound(
        survey=survey, question=question, label=_round_label(survey), n=0,
        weighted=weights is not None,
        note="" if weights is not None else (weighting.error or "Chưa gia quyền."),
    )
    if table.n == 0:
        return result
    if question.kind == NUMERIC:
        numbers, _ = to_float(column)
        if not (~np.isnan(numbers)).any():
            return result
        mean = estimate_mean(numbers, weights)
        result.n = mean.n
        result.points["mean"] = RoundPoint(mean.mean, mean.ci_low, mean.ci_high, mean.n)
        return result
    categories = [c for c, _ in question.choices]
    if question.kind == MULTIPLE:
        estimates = estimate_select_multiple(column, weights, options=categories)
    else:
        estimates = estimate_proportions(column, weights, categories=categories)
    result.n = int(sum(1 for v in column if v is not None))
    for estimate in estimates:
        result.points[estimate.category] = RoundPoint(
            100 * estimate.proportion, 100 * estimate.ci_low, 100 * estimate.ci_high, estimate.n
        )
    return result


def concept_series(user: User, key: str) -> ConceptSeries:
    """The question ``key`` in every survey the reader may analyse, oldest round first."""
    hits = (
        Question.objects.filter(concept_key=key,
                                form_version__survey__in=analysable_surveys(user))
        .select_related("form_version__survey").order_by("-id")
    )
    by_survey: dict[int, tuple[Survey, str]] = {}
    for question in hits:
        survey = question.form_version.survey
        by_survey.setdefault(survey.pk, (survey, question.name))
    rounds = []
    for survey, name in sorted(by_survey.values(), key=lambda sn: (round_date(sn[0]),
                                                                   sn[0].pk)):
        one = _one_round(survey, name)
        if one is not None:
            rounds.append(one)
    if not rounds:
        return ConceptSeries(key, "", None, [], [])
    latest = rounds[-1].question
    categories: list[tuple[str, str]] = []
    if latest.kind == NUMERIC:
        categories = [("mean", "Trung bình")]
    else:
        seen: set[str] = set()
        for one in reversed(rounds):
            for code, label in one.question.choices:
                if code not in seen:
                    seen.add(code)
                    categories.append((code, label))
            for code in one.points:
                if code not in seen:
                    seen.add(code)
                    categories.append((code, code))
    return ConceptSeries(key, latest.label, latest.kind, categories, rounds)
