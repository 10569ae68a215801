"""A survey's questions across form versions, and the frame of questions and labels a request uses.

:func:`survey_questions` lists the questions of every form version **by name**: a question asked
in version 1 and version 2 is one column; a question added in version 2 is missing (not asked)
for the responses given on version 1. Its label, type and choices are those of the latest version
that has it; choices dropped later are kept so old answers keep their labels.

:func:`question_frame` reads them once per request, with the form versions and the labels of the
gender and age-group answers, into a :class:`QuestionFrame` that the filter form, the weights and
the analysis all share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from surveys.analysis.vocabulary import (
    _KIND_OF_TYPE,
    AGE_GROUP,
    AGREE,
    DISAGREE,
    GENDER,
    OTHER_LABEL,
    TYPE_LABELS,
    base_type,
)
from surveys.models import FormVersion, Question, Survey


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


def _form_versions(survey: Survey) -> list[tuple[int, str]]:
    """``(id, version)`` of the survey's form versions, oldest first."""
    return list(
        FormVersion.objects.filter(survey=survey).order_by("uploaded_at", "id")
        .values_list("id", "version")
    )


def survey_questions(survey: Survey, *, versions: Sequence[tuple[int, str]] | None = None
                     ) -> list[QuestionInfo]:
    """The analysable questions of every version, matched by name, in questionnaire order.

    Order: the latest version's order, then questions that only older versions asked. Questions
    inside a repeat are left out (a response holds a list of them, not one answer). ``versions``:
    the survey's ``(id, version)`` pairs oldest first, when the caller has already read them.
    """
    versions = _form_versions(survey) if versions is None else versions
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


def question_for(questions: Sequence[QuestionInfo], name: str) -> QuestionInfo | None:
    return next((q for q in questions if q.name == name), None)


def weighting_choice_labels(survey: Survey, questions: Sequence[QuestionInfo]
                            ) -> dict[str, dict[str, str]]:
    """Labels of the gender and age-group answers (from the survey's own questions)."""
    out: dict[str, dict[str, str]] = {}
    for variable, field_name in ((GENDER, survey.gender_field),
                                 (AGE_GROUP, survey.age_group_field)):
        question = question_for(questions, field_name)
        out[variable] = question.choice_labels if question else {}
    return out


@dataclass(frozen=True)
class QuestionFrame:
    """A survey's questions, form versions and weighting labels: read once per request.

    The filter form, the population margins, the weights and the analysis all take the same frame,
    so a page reads the questions once instead of once per step.
    """

    survey: Survey
    questions: list[QuestionInfo]
    versions: list[str]  # form version codes, oldest first
    choice_labels: dict[str, dict[str, str]]  # gender / age-group answer labels

    def question(self, name: str) -> QuestionInfo | None:
        return question_for(self.questions, name)


def question_frame(survey: Survey) -> QuestionFrame:
    """The :class:`QuestionFrame` of ``survey``: two queries (versions, questions)."""
    versions = _form_versions(survey)
    questions = survey_questions(survey, versions=versions)
    return QuestionFrame(
        survey=survey, questions=questions, versions=[code for _, code in versions],
        choice_labels=weighting_choice_labels(survey, questions),
    )
