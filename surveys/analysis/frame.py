"""The response frame: a survey's responses read in one query and held as factorised columns.

:func:`load_responses` reads a survey's responses in **one query** (``values_list`` of the data
JSON and a few columns) and turns them into columns, one per question. The helpers below read
those columns the way the results, cross-tabs and exports need them (first rank, numbers).
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import count
from operator import getitem

import numpy as np
from django.db.models import Count, Max
from django.db.models.functions import Coalesce

from orgs.models import Area
from surveys.analysis.questions import QuestionInfo, survey_questions
from surveys.analysis.vocabulary import MULTIPLE
from surveys.models import Response, Survey


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


def objects(values: Sequence) -> np.ndarray:
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
        version=objects(versions),
        area_id=objects(area_ids),
        area=objects([names.get(a) for a in area_ids]),
        gender=objects(genders),
        age_group=objects(ages),
        source=objects(sources),
        interviewer_id=objects(interviewers),
        when=whens,
        answers=answers,
    )


def categories_of(question: QuestionInfo, labels: Iterable[str]) -> list[str]:
    """The question's choices in order, then any other answer seen (sorted)."""
    names = [name for name, _ in question.choices]
    known = set(names)
    if question.kind == MULTIPLE:
        observed = {option for label in labels for option in str(label).split()}
    else:
        observed = set(labels)
    return names + sorted(str(v) for v in observed if str(v) not in known)


def rank_first(column: np.ndarray) -> np.ndarray:
    return objects([str(v).split()[0] if v else None for v in column])


def rank_first_codes(codes: np.ndarray, labels: list[str]) -> tuple[np.ndarray, list[str]]:
    firsts = [label.split()[0] for label in labels]
    merged = list(dict.fromkeys(firsts))
    position = {label: index for index, label in enumerate(merged)}
    remap = np.array([position[f] for f in firsts] + [-1], dtype=np.int32)
    return remap[codes], merged


def to_float(column: np.ndarray) -> tuple[np.ndarray, int]:
    out = np.full(len(column), np.nan)
    bad = 0
    for index, value in enumerate(column):
        if value is None:
            continue
        number = number_or_none(value)
        if number is None:
            bad += 1
        else:
            out[index] = number
    return out, bad


def number_or_none(value) -> float | None:
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None
