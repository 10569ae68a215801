"""Reads for survey collection: who may collect, tokens, quota progress, form structures.

Who may collect for a survey (web form or ODK Collect): the office always; a unit's responsible
person or a collaborator when the survey lets collaborators interview and they can see it (their
unit's surveys and the ward-wide open ones, per
:func:`surveys.design.selectors.surveys_visible_to`). The leadership reads but does not collect.
A survey someone may not collect for is "not found".
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404

from odk import openrosa
from orgs.models import Area, User
from orgs.selectors import visible_unit_ids
from surveys.design.selectors import current_version, surveys_visible_to
from surveys.models import FormVersion, Quota, Response, Survey, SurveyToken


def may_collect(user: User, survey: Survey) -> bool:
    """Whether ``user`` may send responses to ``survey`` (whatever its status)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_office:
        return True
    if user.role == User.Role.LEADER or not survey.allow_interviewers:
        return False
    if survey.unit_id is None:
        # Ward-wide: everyone sees it while it is open; once closed, an interviewer still
        # deserves "closed" rather than "not found" for the forms on their phone.
        return True
    ids = visible_unit_ids(user)
    return ids is None or survey.unit_id in ids


def collectable_surveys(user: User) -> QuerySet[Survey]:
    """The open surveys ``user`` may collect for (what ODK Collect's form list shows)."""
    surveys = surveys_visible_to(user).filter(status=Survey.Status.OPEN)
    if user.is_office:
        return surveys
    if user.role == User.Role.LEADER:
        return surveys.none()
    return surveys.filter(allow_interviewers=True)


def get_collectable_survey(user: User, slug: str) -> Survey:
    survey = Survey.objects.select_related("unit").filter(slug=slug).first()
    if survey is None or not may_collect(user, survey):
        raise Http404("Không tìm thấy cuộc khảo sát.")
    return survey


def versions_for_form_list(user: User) -> list[FormVersion]:
    """The current version of each open survey ``user`` may collect for."""
    versions = []
    for survey in collectable_surveys(user).order_by("title"):
        version = current_version(survey)
        if version is not None:
            versions.append(version)
    return versions


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode("utf-8")).hexdigest()


def find_token(token: str) -> SurveyToken | None:
    """The anonymous-link token ``token`` stands for (looked up by its hash), or None."""
    if not token or len(token) > 100:
        return None
    return SurveyToken.objects.select_related("survey").filter(token_hash=token_hash(token)).first()


# --- form structures, read once per version per process ----------------------------------------

_STRUCTURES: OrderedDict[tuple[int, str], openrosa.FormStructure] = OrderedDict()
_STRUCTURES_LOCK = threading.Lock()
_STRUCTURES_MAX = 64


def structure_of(version: FormVersion) -> openrosa.FormStructure:
    """The fields of a form version, parsed from its XForm (cached; versions never change)."""
    key = (version.pk, version.xform_md5)
    with _STRUCTURES_LOCK:
        found = _STRUCTURES.get(key)
        if found is not None:
            _STRUCTURES.move_to_end(key)
            return found
    structure = openrosa.form_structure(version.xform_xml)
    with _STRUCTURES_LOCK:
        _STRUCTURES[key] = structure
        while len(_STRUCTURES) > _STRUCTURES_MAX:
            _STRUCTURES.popitem(last=False)
    return structure


_VERSIONS: dict[tuple[str, str], int] = {}


def version_by_form(form_id: str, version: str) -> FormVersion | None:
    """The form version a submission names, without its large fields (the XForm is loaded only
    when its structure is first needed). Versions never change, so the id is remembered."""
    fields = FormVersion.objects.defer("xlsform", "definition", "warnings", "xform_xml")
    pk = _VERSIONS.get((form_id, version))
    if pk is not None:
        # Checked against the names too: a pk can be reused (tests) and a form id edited.
        found = fields.filter(pk=pk, version=version, survey__form_id=form_id).first()
        if found is not None:
            return found
        _VERSIONS.pop((form_id, version), None)
    found = (
        fields.filter(survey__form_id=form_id, version=version).order_by().first()
    )
    if found is not None:
        with _STRUCTURES_LOCK:
            if len(_VERSIONS) > 1000:
                _VERSIONS.clear()
            _VERSIONS[(form_id, version)] = found.pk
    return found


# --- quotas -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuotaRow:
    category: str
    label: str
    target: int
    achieved: int

    @property
    def percent(self) -> int:
        """Share of the target reached, capped at 100 for the bar (the count says more)."""
        if self.target <= 0:
            return 100 if self.achieved else 0
        return min(100, round(100 * self.achieved / self.target))

    @property
    def done(self) -> bool:
        return self.target > 0 and self.achieved >= self.target


@dataclass(frozen=True)
class QuotaDimension:
    dimension: str
    label: str
    field: str  # the question that carries it
    rows: tuple[QuotaRow, ...]

    @property
    def target(self) -> int:
        return sum(r.target for r in self.rows)

    @property
    def achieved(self) -> int:
        return sum(r.achieved for r in self.rows)


DIMENSION_COLUMN = {
    Quota.Dimension.AREA: "area_id",
    Quota.Dimension.GENDER: "gender",
    Quota.Dimension.AGE_GROUP: "age_group",
}


def survey_areas(survey: Survey) -> list[Area]:
    """The survey's target areas, or every area of the ward when none are named."""
    areas = list(survey.target_areas.order_by("sort_key", "name"))
    return areas or list(Area.objects.order_by("sort_key", "name"))


def dimension_categories(survey: Survey, dimension: str) -> list[tuple[str, str]]:
    """``(category, label)`` of one quota dimension: areas, or the choices of the question."""
    if dimension == Quota.Dimension.AREA:
        return [(str(a.pk), a.name) for a in survey_areas(survey)]
    field_name = survey.gender_field if dimension == Quota.Dimension.GENDER else (
        survey.age_group_field
    )
    version = current_version(survey)
    if version is None:
        return []
    spec = structure_of(version).by_name.get(field_name)
    if spec is None:
        return []
    return [
        (name, (spec.choice_labels.get(name) or (name,))[0]) for name in spec.choices
    ]


def quota_progress(survey: Survey) -> list[QuotaDimension]:
    """Target and responses received per category of each dimension that has targets."""
    quotas: dict[str, dict[str, int]] = {}
    for quota in survey.quotas.all():
        quotas.setdefault(quota.dimension, {})[quota.category] = quota.target
    fields = {
        Quota.Dimension.AREA: survey.area_field,
        Quota.Dimension.GENDER: survey.gender_field,
        Quota.Dimension.AGE_GROUP: survey.age_group_field,
    }
    result = []
    for dimension, label in Quota.Dimension.choices:
        targets = quotas.get(dimension)
        if not targets:
            continue
        column = DIMENSION_COLUMN[dimension]
        counts = {
            str(row[column]): row["n"]
            for row in Response.objects.filter(survey=survey)
            .exclude(**{f"{column}__isnull": True})
            .values(column)
            .annotate(n=Count("id"))
        }
        labels = dict(dimension_categories(survey, dimension))
        rows = [
            QuotaRow(category, labels.get(category, category), target, counts.get(category, 0))
            for category, target in targets.items()
        ]
        order = list(labels)
        rows.sort(key=lambda r: (order.index(r.category) if r.category in order else len(order),
                                 r.label))
        result.append(QuotaDimension(dimension, label, fields[dimension], tuple(rows)))
    return result
