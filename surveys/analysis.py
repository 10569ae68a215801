"""Analysis of a survey's responses: the response table, weights, frequencies, cross-tabs,
consensus and open answers (issue 4, R4/R6). Reads only; the statistics come from ``surveystats``.

How the pieces fit:

* :func:`survey_questions` lists the questions of every form version **by name**: a question
  asked in version 1 and version 2 is one column; a question added in version 2 is missing
  (not asked) for the responses given on version 1. Its label, type and choices are those of the
  latest version that has it; choices dropped later are kept so old answers keep their labels.
* :func:`load_responses` reads a survey's responses in **one query** (``values_list`` of the
  data JSON and a few columns) and turns them into columns, one per question.
* Weights are computed on the **whole** sample and only then are filters applied (a filter is a
  domain of the weighted sample), so looking at one area does not re-weight it to the ward.
* Margins: areas from :class:`orgs.models.Area.population` (the survey's target areas, else
  every area with a population); gender and age group from :class:`PopulationMargin` rows, the
  survey's own rows replacing the ward's default (``survey=None``) variable by variable. Each
  variable's totals are scaled to a common population total, so a registry count of men and
  women that differs a little from the sum of the areas does not stop the weighting.
* Statement questions (for consensus) are the single-choice questions whose choices include an
  "agree" and a "disagree" answer (``dong_y`` and ``khong_dong_y``, see :data:`AGREE`).

Scoping: analysis is for the office, the leadership and readers of the survey's own unit (and
the units above it); anyone else gets 404 — a ward-wide survey that a unit merely helps collect
is not theirs to analyse (see :func:`surveys.selectors.get_analysable_survey`).
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import count
from operator import getitem

import numpy as np
from django.db.models import Count, Max
from django.db.models.functions import Coalesce
from django.utils import timezone

from orgs.models import Area, Collaborator
from surveys.models import FormVersion, PopulationMargin, Question, Response, Survey
from surveystats import (
    SurveyStatsError,
    crosstab,
    estimate_mean,
    estimate_select_multiple,
    estimates_from_codes,
    group_consensus,
    poststratify,
    rake,
    votes_from_answers,
    weight_summary,
)

# --- vocabulary ------------------------------------------------------------------------------

AREA, GENDER, AGE_GROUP = "khu_vuc", "gioi_tinh", "nhom_tuoi"
VARIABLES = {AREA: "Địa bàn (tổ dân phố)", GENDER: "Giới tính", AGE_GROUP: "Nhóm tuổi"}
EDITABLE_VARIABLES = (GENDER, AGE_GROUP)  # areas come from the area registry
METHODS = {"raking": "Cân chỉnh lặp (raking)", "poststrat": "Hậu phân tầng"}
SOURCES = dict(Response.Source.choices)

AGREE = frozenset({"dong_y", "rat_dong_y", "hoan_toan_dong_y"})
DISAGREE = frozenset({"khong_dong_y", "rat_khong_dong_y", "hoan_toan_khong_dong_y"})

CATEGORICAL, MULTIPLE, NUMERIC, TEXT, DATE = "categorical", "multiple", "numeric", "text", "date"
KIND_LABELS = {
    CATEGORICAL: "Chọn một", MULTIPLE: "Chọn nhiều", NUMERIC: "Số", TEXT: "Trả lời mở",
    DATE: "Ngày",
}
TYPE_LABELS = {
    "select_one": "Chọn một", "select_multiple": "Chọn nhiều", "rank": "Xếp hạng",
    "integer": "Số nguyên", "decimal": "Số thập phân", "range": "Khoảng số", "text": "Trả lời mở",
    "date": "Ngày",
}
_KIND_OF_TYPE = {
    "select_one": CATEGORICAL, "rank": CATEGORICAL, "select_multiple": MULTIPLE,
    "integer": NUMERIC, "decimal": NUMERIC, "range": NUMERIC, "text": TEXT, "date": DATE,
}
OTHER_LABEL = "Khác"
MISSING_GROUP = "Chưa xác định"
SMALL_CELL = 5  # the public page hides a count below this
ALPHA = 0.05  # 95% confidence intervals
OPEN_ANSWER_LIMIT = 3_000  # open answers read by the text engine per question (the latest)


def vn_int(value: float) -> str:
    """``47168`` as "47.168" (Vietnamese thousands separator)."""
    return f"{value:,.0f}".replace(",", ".")


def base_type(raw: str) -> str:
    """``select_one`` / ``select_multiple`` / ``integer`` … from an XLSForm or pyxform type."""
    text = (raw or "").strip().lower()
    if text.startswith(("select_one", "select one")):
        return "select_one"
    if text.startswith(("select_multiple", "select all that apply", "select multiple")):
        return "select_multiple"
    head = text.split(" ", 1)[0] if text else ""
    return {"int": "integer", "string": "text"}.get(head, head)


def _label_text(value, fallback: str) -> str:
    if isinstance(value, dict):
        for key in ("Tiếng Việt", "Vietnamese", "vi", "default"):
            if value.get(key):
                return str(value[key])
        return next((str(v) for v in value.values() if v), fallback)
    return str(value) if value not in (None, "") else fallback


def choice_pairs(raw) -> list[tuple[str, str]]:
    """``[(name, label)]`` from a stored choice list (dicts, pairs or plain names)."""
    pairs: list[tuple[str, str]] = []
    for item in raw or []:
        if isinstance(item, dict):
            name = str(item.get("name", "")).strip()
            label = _label_text(item.get("label", item.get("labels")), name)
        elif isinstance(item, list | tuple) and item:
            name = str(item[0]).strip()
            label = _label_text(item[1] if len(item) > 1 else None, name)
        else:
            name = str(item).strip()
            label = name
        if name:
            if name == "other" and label.lower() in ("other", "other (specify)", "other:"):
                label = OTHER_LABEL
            pairs.append((name, label))
    return pairs


# --- questions across versions ---------------------------------------------------------------


@dataclass
class QuestionInfo:
    """One question of a survey, the same ``name`` across every form version."""

    name: str
    type: str  # base type (select_one, integer, …)
    label: str
    choices: list[tuple[str, str]]
    group_path: str = ""
    concept_key: str = ""
    versions: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str | None:
        return _KIND_OF_TYPE.get(self.type)

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.type, self.type)

    @property
    def choice_labels(self) -> dict[str, str]:
        return dict(self.choices)

    @property
    def is_statement(self) -> bool:
        names = {name for name, _ in self.choices}
        return self.type == "select_one" and bool(names & AGREE) and bool(names & DISAGREE)

    def label_of(self, value: str) -> str:
        return self.choice_labels.get(value, value)


def survey_questions(survey: Survey) -> list[QuestionInfo]:
    """The analysable questions of every version, matched by name, in questionnaire order.

    Order: the latest version's order, then questions that only older versions asked. Questions
    inside a repeat are left out (a response holds a list of them, not one answer).
    """
    versions = list(
        FormVersion.objects.filter(survey=survey).order_by("uploaded_at", "id")
        .values_list("id", "version")
    )
    order = {pk: index for index, (pk, _) in enumerate(versions)}
    code = dict(versions)
    rows = sorted(
        Question.objects.filter(form_version__survey=survey, in_repeat=False).values_list(
            "form_version_id", "name", "type", "label", "choices", "group_path", "concept_key",
            "position",
        ),
        key=lambda r: (order.get(r[0], 0), r[7]),
    )
    found: dict[str, QuestionInfo] = {}
    place: dict[str, tuple[int, int]] = {}
    for version_id, name, qtype, label, choices, group_path, concept_key, position in rows:
        kind = _KIND_OF_TYPE.get(base_type(qtype))
        if kind is None:
            continue
        pairs = choice_pairs(choices)
        old = found.get(name)
        if old is not None:
            # The later version's choices first, then those it dropped, so old answers keep
            # their labels.
            seen = {n for n, _ in pairs}
            pairs += [(n, lab) for n, lab in old.choices if n not in seen]
            versions_of = old.versions
        else:
            versions_of = []
        found[name] = QuestionInfo(
            name=name, type=base_type(qtype), label=label or name, choices=pairs,
            group_path=group_path, concept_key=concept_key,
            versions=[*versions_of, code.get(version_id, "")],
        )
        place[name] = (-order.get(version_id, 0), position)
    return sorted(found.values(), key=lambda q: place[q.name])


# --- scoping ---------------------------------------------------------------------------------


# --- the response table ----------------------------------------------------------------------


@dataclass
class Column:
    """One question's answers, factorised: ``codes[i]`` indexes ``labels`` (-1: no answer).

    Held this way from the moment the data is read, so the frequencies are ``np.bincount`` over
    the codes and a survey of 100,000 responses does not keep millions of Python strings.
    """

    codes: np.ndarray
    labels: list[str]

    def values(self) -> np.ndarray:
        lookup = np.empty(len(self.labels) + 1, dtype=object)
        lookup[: len(self.labels)] = self.labels
        lookup[-1] = None
        return lookup[self.codes]


def _column(raw_labels: Iterable, raw_codes: np.ndarray) -> Column:
    """A :class:`Column` from codes into raw answers, cleaning each distinct answer once."""
    labels: list[str] = []
    position: dict[str, int] = {}
    remap = []
    for value in raw_labels:
        label = _clean(value)
        if label is None:
            remap.append(-1)
            continue
        if label not in position:
            position[label] = len(labels)
            labels.append(label)
        remap.append(position[label])
    lookup = np.array([*remap, -1], dtype=np.int32)
    return Column(lookup[raw_codes], labels)


class _RowCoder:
    """Turns each response's answers into one integer code per question, row by row.

    Row by row because the answers of one response were just decoded together and sit close
    in memory; reading a question's answers down 100,000 scattered dicts afterwards was ten
    times slower. Each question has a ``defaultdict`` handing out the next code to a new
    answer, and ``map`` applies them all in C.
    """

    def __init__(self, names: Sequence[str]):
        self.names = list(names)
        self.tables = [defaultdict(count().__next__) for _ in self.names]
        self.rows: list[list[int]] = []

    def add(self, data: dict) -> None:
        answers = map(data.get, self.names)
        try:
            self.rows.append(list(map(getitem, self.tables, answers)))
        except TypeError:  # a list or dict where an answer should be: not an answer
            self.rows.append([
                table[v if v is None or isinstance(v, str | int | float) else None]
                for table, v in zip(self.tables, map(data.get, self.names), strict=True)
            ])

    def columns(self) -> dict[str, Column]:
        codes = np.array(self.rows, dtype=np.int32).reshape(len(self.rows), len(self.names))
        return {
            name: _column(table, codes[:, index])
            for index, (name, table) in enumerate(zip(self.names, self.tables, strict=True))
        }


@dataclass
class ResponseTable:
    """Every response of a survey as columns: meta data as arrays, answers as :class:`Column`."""

    ids: np.ndarray
    instance_ids: list[str]
    version: np.ndarray
    area_id: np.ndarray
    area: np.ndarray  # area name
    gender: np.ndarray
    age_group: np.ndarray
    source: np.ndarray
    interviewer_id: np.ndarray
    when: list[dt.datetime]
    answers: dict[str, Column]

    @property
    def n(self) -> int:
        return len(self.ids)

    def codes(self, name: str) -> Column:
        found = self.answers.get(name)
        return found if found is not None else Column(np.full(self.n, -1, dtype=np.int32), [])

    def column(self, name: str) -> np.ndarray:
        """The answers as an object array (``None``: no answer)."""
        return self.codes(name).values()


def _clean(value):
    if value is None or isinstance(value, list | dict):
        return None
    text = str(value).strip()
    return text or None


def _objects(values: Sequence) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


# Loaded tables of the last few surveys, so moving between the analysis pages of a large survey
# does not read every response again. A response is never edited once stored (a resubmission
# with the same instanceID is ignored), so the number of responses, the last id and the last
# receipt time tell whether the table is still current; a short lifetime bounds the rest.
_TABLE_CACHE: OrderedDict[tuple, tuple[float, ResponseTable]] = OrderedDict()
_TABLE_CACHE_SIZE = 3
_TABLE_CACHE_SECONDS = 600
_TABLE_CACHE_MIN_ROWS = 5_000  # small surveys load in milliseconds: not worth the memory
_cache_lock = threading.Lock()


def clear_table_cache() -> None:
    with _cache_lock:
        _TABLE_CACHE.clear()


def _fingerprint(survey: Survey, questions: Sequence[QuestionInfo]) -> tuple:
    state = Response.objects.filter(survey=survey).aggregate(
        n=Count("id"), last=Max("id"), received=Max("received_at"))
    shape = tuple((q.name, q.type, tuple(q.versions)) for q in questions)
    return (survey.pk, state["n"], state["last"], state["received"], shape)


def load_responses(survey: Survey, questions: Sequence[QuestionInfo] | None = None
                   ) -> ResponseTable:
    """The survey's responses in one query; answers to ``questions`` (default: all) as columns."""
    questions = survey_questions(survey) if questions is None else questions
    key = _fingerprint(survey, questions)
    now = time.monotonic()
    with _cache_lock:
        cached = _TABLE_CACHE.get(key)
        if cached is not None and now - cached[0] < _TABLE_CACHE_SECONDS:
            _TABLE_CACHE.move_to_end(key)
            return cached[1]
    table = _read_table(survey, questions)
    if table.n >= _TABLE_CACHE_MIN_ROWS:
        with _cache_lock:
            _TABLE_CACHE[key] = (now, table)
            while len(_TABLE_CACHE) > _TABLE_CACHE_SIZE:
                _TABLE_CACHE.popitem(last=False)
    return table


def _read_table(survey: Survey, questions: Sequence[QuestionInfo]) -> ResponseTable:
    rows = (
        Response.objects.filter(survey=survey).order_by("id")
        .annotate(answered_at=Coalesce("submitted_at", "received_at"))
        .values_list("id", "instance_id", "data", "form_version__version", "area_id", "gender",
                     "age_group", "source", "interviewer_id", "answered_at")
    )
    ids, instances, versions, area_ids = [], [], [], []
    genders, ages, sources, interviewers, whens = [], [], [], [], []
    coder = _RowCoder([q.name for q in questions])
    for pk, instance, data, version, area_id, gender, age, source, interviewer, when in (
        rows.iterator(chunk_size=2000)
    ):
        ids.append(pk)
        instances.append(instance)
        coder.add(data if isinstance(data, dict) else {})
        versions.append(version)
        area_ids.append(area_id)
        genders.append(gender or None)
        ages.append(age or None)
        sources.append(source)
        interviewers.append(interviewer)
        whens.append(when)
    names = dict(Area.objects.filter(pk__in=set(area_ids) - {None}).values_list("pk", "name"))
    answers = coder.columns()
    return ResponseTable(
        ids=np.array(ids, dtype=np.int64),
        instance_ids=instances,
        version=_objects(versions),
        area_id=_objects(area_ids),
        area=_objects([names.get(a) for a in area_ids]),
        gender=_objects(genders),
        age_group=_objects(ages),
        source=_objects(sources),
        interviewer_id=_objects(interviewers),
        when=whens,
        answers=answers,
    )


# --- filters ---------------------------------------------------------------------------------


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


# --- margins and weights ---------------------------------------------------------------------


@dataclass
class MarginVariable:
    variable: str  # AREA, GENDER, AGE_GROUP
    populations: dict[str, float]  # category code (area: name) -> population
    labels: dict[str, str]  # category code -> label shown
    source: str  # where the numbers come from, in words

    @property
    def label(self) -> str:
        return VARIABLES[self.variable]

    @property
    def total(self) -> float:
        return float(sum(self.populations.values()))

    def rows(self) -> list[tuple[str, str, float, float]]:
        """(code, label, population, share %) for the page."""
        total = self.total or 1.0
        return [
            (code, self.labels.get(code, code), pop, 100.0 * pop / total)
            for code, pop in self.populations.items()
        ]


def _question_for(questions: Sequence[QuestionInfo], name: str) -> QuestionInfo | None:
    return next((q for q in questions if q.name == name), None)


def weighting_choice_labels(survey: Survey, questions: Sequence[QuestionInfo]
                            ) -> dict[str, dict[str, str]]:
    """Labels of the gender and age-group answers (from the survey's own questions)."""
    out: dict[str, dict[str, str]] = {}
    for variable, field_name in ((GENDER, survey.gender_field),
                                 (AGE_GROUP, survey.age_group_field)):
        question = _question_for(questions, field_name)
        out[variable] = question.choice_labels if question else {}
    return out


def population_margins(survey: Survey, questions: Sequence[QuestionInfo] | None = None
                       ) -> dict[str, MarginVariable]:
    """Known population totals per variable (a variable without any is absent)."""
    questions = survey_questions(survey) if questions is None else questions
    labels = weighting_choice_labels(survey, questions)
    margins: dict[str, MarginVariable] = {}
    targets = list(survey.target_areas.all())
    if targets:
        areas, source = targets, "Số nhân khẩu các tổ dân phố thuộc địa bàn khảo sát"
    else:
        areas = list(Area.objects.filter(population__gt=0))
        source = "Số nhân khẩu các tổ dân phố của phường"
    areas = [area for area in areas if area.population > 0]
    if areas:
        margins[AREA] = MarginVariable(
            AREA, {a.name: float(a.population) for a in sorted(areas, key=lambda a: a.name)},
            {a.name: a.name for a in areas}, source,
        )
    rows = list(
        PopulationMargin.objects.filter(variable__in=EDITABLE_VARIABLES)
        .filter(survey__isnull=True).values_list("variable", "category", "population")
    )
    own = list(
        PopulationMargin.objects.filter(variable__in=EDITABLE_VARIABLES, survey=survey)
        .values_list("variable", "category", "population")
    )
    for variable in EDITABLE_VARIABLES:
        mine = [(c, p) for v, c, p in own if v == variable]
        ward = [(c, p) for v, c, p in rows if v == variable]
        chosen, source = (mine, "Riêng cuộc khảo sát này") if mine else (
            ward, "Cơ cấu dân số mặc định của phường")
        if not chosen:
            continue
        question = _question_for(questions, _field_of(survey, variable))
        order = [name for name, _ in question.choices] if question else []
        chosen.sort(key=lambda cp: (order.index(cp[0]) if cp[0] in order else len(order), cp[0]))
        margins[variable] = MarginVariable(
            variable, {c: float(p) for c, p in chosen},
            {c: labels[variable].get(c, c) for c, _ in chosen}, source,
        )
    return margins


def _field_of(survey: Survey, variable: str) -> str:
    return {AREA: survey.area_field, GENDER: survey.gender_field,
            AGE_GROUP: survey.age_group_field}[variable]


@dataclass
class Weighting:
    method: str
    variables: list[str]  # used
    margins: dict[str, MarginVariable]  # every known margin (used or not)
    weights: np.ndarray | None = None  # one per row of the table; None: not weighted
    error: str = ""
    notes: list[str] = field(default_factory=list)
    population_total: float = 0.0

    @property
    def ok(self) -> bool:
        return self.weights is not None

    @property
    def method_label(self) -> str:
        return METHODS.get(self.method, self.method)

    @property
    def summary(self):
        return weight_summary(self.weights) if self.weights is not None else None

    @property
    def variable_labels(self) -> list[str]:
        return [VARIABLES[v] for v in self.variables]


def _weighting_column(table: ResponseTable, variable: str) -> np.ndarray:
    return {AREA: table.area, GENDER: table.gender, AGE_GROUP: table.age_group}[variable]


def compute_weights(survey: Survey, table: ResponseTable, *,
                    questions: Sequence[QuestionInfo] | None = None,
                    method: str | None = None, variables: Sequence[str] | None = None
                    ) -> Weighting:
    """Weights for every row of ``table`` to the survey's population margins.

    Never raises on bad data: a problem is returned as ``error`` (a Vietnamese sentence) and the
    caller shows unweighted results with that sentence.
    """
    margins = population_margins(survey, questions)
    method = method or survey.weighting_method or "raking"
    chosen = [v for v in (variables if variables is not None else survey.weighting_variables)
              if v in VARIABLES]
    result = Weighting(method=method, variables=[], margins=margins)
    if method not in METHODS:
        result.error = f"Phương pháp gia quyền “{method}” không có; chọn raking hoặc poststrat."
        return result
    if table.n == 0:
        result.error = "Chưa có phiếu trả lời nào để tính trọng số."
        return result
    if chosen:
        missing = [VARIABLES[v] for v in chosen if v not in margins]
        if missing:
            result.error = (
                f"Chưa có cơ cấu dân số cho {', '.join(m.lower() for m in missing)}. "
                "Ban Xây dựng Đảng nhập ở trang “Trọng số” (giới tính, nhóm tuổi) hoặc nhập số"
                " nhân khẩu của các tổ dân phố (địa bàn)."
            )
            return result
    else:
        chosen = [v for v in VARIABLES if v in margins]
        for variable in VARIABLES:
            if variable not in margins:
                result.notes.append(
                    f"Chưa có cơ cấu dân số theo {VARIABLES[variable].lower()} nên không dùng"
                    " biến này để gia quyền."
                )
        if not chosen:
            result.error = (
                "Chưa có cơ cấu dân số nào (số nhân khẩu tổ dân phố, cơ cấu giới tính, nhóm"
                " tuổi) nên chỉ có kết quả chưa gia quyền."
            )
            return result
        if method == "poststrat" and len(chosen) > 1:
            chosen = chosen[:1]
            result.notes.append(
                f"Hậu phân tầng dùng một biến: {VARIABLES[chosen[0]].lower()}."
            )
    if method == "poststrat" and len(chosen) != 1:
        result.error = (
            "Hậu phân tầng cần đúng một biến gia quyền; chọn một biến hoặc dùng cân chỉnh lặp."
        )
        return result
    columns: dict[str, list] = {}
    targets: dict[str, dict[str, float]] = {}
    common_total = margins[chosen[0]].total
    for variable in chosen:
        margin = margins[variable]
        label = VARIABLES[variable]
        values = _weighting_column(table, variable)
        absent = int(sum(1 for v in values if v is None))
        if absent:
            example = table.instance_ids[next(i for i, v in enumerate(values) if v is None)]
            result.error = (
                f"Có {absent} phiếu chưa có thông tin {label.lower()} (ví dụ phiếu {example})"
                f" nên không tính được trọng số theo biến này. Bỏ biến {label.lower()} khỏi"
                " trọng số hoặc bổ sung câu trả lời."
            )
            return result
        # Categories are shown by their labels so surveystats' messages read naturally.
        columns[label] = [margin.labels.get(v, v) for v in values]
        scale = common_total / margin.total
        targets[label] = {margin.labels.get(c, c): p * scale for c, p in
                          margin.populations.items()}
        if abs(margin.total - common_total) > 1e-9 * common_total:
            result.notes.append(
                f"Tổng dân số theo {label.lower()} ({vn_int(margin.total)}) khác tổng theo"
                f" {VARIABLES[chosen[0]].lower()} ({vn_int(common_total)}); đã dùng tỷ lệ của"
                " từng nhóm."
            )
    try:
        if method == "poststrat":
            weights = poststratify(columns, targets)
        else:
            weights = rake(columns, targets)
    except SurveyStatsError as exc:
        result.error = f"Không tính được trọng số: {exc}"
        return result
    result.weights = np.asarray(weights, dtype=float)
    result.variables = chosen
    result.population_total = common_total
    return result


# --- frequencies -----------------------------------------------------------------------------


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


def _categories(question: QuestionInfo, labels: Iterable[str]) -> list[str]:
    """The question's choices in order, then any other answer seen (sorted)."""
    names = [name for name, _ in question.choices]
    known = set(names)
    if question.kind == MULTIPLE:
        observed = {option for label in labels for option in str(label).split()}
    else:
        observed = set(labels)
    return names + sorted(str(v) for v in observed if str(v) not in known)


def _rank_first(column: np.ndarray) -> np.ndarray:
    return _objects([str(v).split()[0] if v else None for v in column])


def _rank_first_codes(codes: np.ndarray, labels: list[str]) -> tuple[np.ndarray, list[str]]:
    firsts = [label.split()[0] for label in labels]
    merged = list(dict.fromkeys(firsts))
    position = {label: index for index, label in enumerate(merged)}
    remap = np.array([position[f] for f in firsts] + [-1], dtype=np.int32)
    return remap[codes], merged


def _to_float(column: np.ndarray) -> tuple[np.ndarray, int]:
    out = np.full(len(column), np.nan)
    bad = 0
    for index, value in enumerate(column):
        if value is None:
            continue
        number = _number_or_none(value)
        if number is None:
            bad += 1
        else:
            out[index] = number
    return out, bad


def _number_or_none(value) -> float | None:
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


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
            codes, labels = _rank_first_codes(codes, labels)
        result = QuestionResult(
            question, int(np.count_nonzero(codes >= 0)),
            sum(per_version.get(v, 0) for v in set(question.versions)), weighted=w is not None,
        )
        results.append(result)
        if question.kind == CATEGORICAL:
            categories = _categories(question, labels)
            position = {c: i for i, c in enumerate(categories)}
            remap = np.array([position[label] for label in labels] + [-1], dtype=np.int32)
            result.rows = _category_rows(question, *_estimates(remap[codes], categories, w))
            if question.type == "rank":
                result.note = "Tính theo phương án được xếp hạng thứ nhất."
        elif question.kind == MULTIPLE:
            values = Column(codes, labels).values()
            options = _categories(question, labels)
            plain = estimate_select_multiple(values, None, options=options)
            weighted = estimate_select_multiple(values, w, options=options) if w is not None \
                else None
            result.rows = _category_rows(question, plain, weighted)
        elif question.kind == NUMERIC:
            parsed = [_number_or_none(label) for label in labels]
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


# --- cross-tabulation ------------------------------------------------------------------------


@dataclass
class CrosstabResult:
    row_question: QuestionInfo
    col_question: QuestionInfo
    row_labels: list[str]
    col_labels: list[str]
    counts: list[list[int]]
    row_percent: list[list[float]]
    row_totals: list[int]
    col_totals: list[int]
    n: int
    weighted: bool
    method: str = ""
    statistic: float | None = None
    df: int | None = None
    p_value: float | None = None
    reading: str = ""
    caution: str = ""


def _p_text(p: float) -> str:
    if p < 0.001:
        return "p < 0,001"
    return f"p = {p:.3f}".replace(".", ",")


def significance_reading(p_value: float | None, row_label: str, col_label: str) -> str:
    """The test result in plain Vietnamese."""
    if p_value is None or math.isnan(p_value):
        return "Không đủ dữ liệu để kiểm định (cần ít nhất hai nhóm có người trả lời mỗi chiều)."
    if p_value < 0.05:
        return (
            f"Có sự khác biệt có ý nghĩa thống kê ({_p_text(p_value)}): cách trả lời câu “"
            f"{col_label}” khác nhau giữa các nhóm của câu “{row_label}”. Khả năng khác biệt"
            " này chỉ do ngẫu nhiên khi chọn mẫu là dưới 5%."
        )
    return (
        f"Chưa thấy khác biệt có ý nghĩa thống kê ({_p_text(p_value)}): chênh lệch giữa các"
        f" nhóm của câu “{row_label}” có thể chỉ do ngẫu nhiên khi chọn mẫu, chưa đủ căn cứ"
        " để kết luận các nhóm trả lời khác nhau."
    )


def crosstab_result(table: ResponseTable, row_question: QuestionInfo,
                    col_question: QuestionInfo, weights: np.ndarray | None = None,
                    mask: np.ndarray | None = None) -> CrosstabResult:
    mask = np.ones(table.n, dtype=bool) if mask is None else mask
    rows = table.column(row_question.name)[mask]
    cols = table.column(col_question.name)[mask]
    if row_question.type == "rank":
        rows = _rank_first(rows)
    if col_question.type == "rank":
        cols = _rank_first(cols)
    w = None if weights is None else np.asarray(weights, dtype=float)[mask]
    row_cats = _categories(row_question, set(rows.tolist()) - {None})
    col_cats = _categories(col_question, set(cols.tolist()) - {None})
    result = crosstab(rows, cols, w, row_categories=row_cats, col_categories=col_cats)
    counts = np.asarray(result.counts)
    out = CrosstabResult(
        row_question=row_question, col_question=col_question,
        row_labels=[row_question.label_of(c) for c in result.row_categories],
        col_labels=[col_question.label_of(c) for c in result.col_categories],
        counts=counts.astype(int).tolist(),
        row_percent=np.nan_to_num(np.asarray(result.row_percent)).tolist(),
        row_totals=counts.sum(axis=1).astype(int).tolist(),
        col_totals=counts.sum(axis=0).astype(int).tolist(),
        n=int(counts.sum()),
        weighted=w is not None,
    )
    test = result.test
    if test is not None:
        out.method = "Rao–Scott (có trọng số)" if test.method == "rao-scott" else "Pearson"
        out.statistic = float(test.statistic)
        out.df = int(test.df)
        out.p_value = float(test.p_value)
    out.reading = significance_reading(out.p_value, row_question.label, col_question.label)
    if out.n:
        rt = counts.sum(axis=1, keepdims=True)
        ct = counts.sum(axis=0, keepdims=True)
        used = (rt > 0) & (ct > 0)
        expected = rt * ct / out.n
        if np.any(expected[used] < 5):
            out.caution = (
                "Có ô có tần số kỳ vọng dưới 5: kết quả kiểm định khi bình phương cần đọc thận"
                " trọng; nên gộp bớt phương án hoặc thu thêm phiếu."
            )
    return out


# --- consensus -------------------------------------------------------------------------------

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
    column = _weighting_column(table, grouping)
    names = labels.get(grouping, {})
    return _objects([names.get(v, v) if v is not None else MISSING_GROUP for v in column])


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


# --- open answers ----------------------------------------------------------------------------


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


# --- one call for the pages ------------------------------------------------------------------


@dataclass
class SurveyAnalysis:
    survey: Survey
    questions: list[QuestionInfo]
    table: ResponseTable
    weighting: Weighting
    mask: np.ndarray
    filters: AnalysisFilter
    use_weights: bool

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
        return weighting_choice_labels(self.survey, self.questions)

    def filter_words(self) -> list[str]:
        return describe_filter(self.filters, self.questions, self.choice_labels)

    def question(self, name: str) -> QuestionInfo | None:
        return _question_for(self.questions, name)

    def frequencies(self) -> list[QuestionResult]:
        return frequencies(self.table, self.questions, self.weights, self.mask)


def analyse(survey: Survey, filters: AnalysisFilter | None = None, *, weighted: bool = True,
            questions: list[QuestionInfo] | None = None) -> SurveyAnalysis:
    """Load, weigh and filter a survey (weights from the whole sample, then the filter)."""
    filters = filters or AnalysisFilter()
    questions = survey_questions(survey) if questions is None else questions
    table = load_responses(survey, questions)
    weighting = compute_weights(survey, table, questions=questions)
    mask = filter_mask(table, filters, questions)
    return SurveyAnalysis(survey, questions, table, weighting, mask, filters, weighted)
