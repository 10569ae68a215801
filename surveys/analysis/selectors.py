"""Reads of survey results, scoped to the reader.

Analysis is for the office, the leadership and readers of the survey's own unit (and the units
above it); anyone else gets 404 — a ward-wide survey that a unit merely helps collect is not
theirs to analyse.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from orgs.models import User
from orgs.selectors import visible_unit_ids
from surveys.models import Survey


def analysable_surveys(user: User) -> QuerySet[Survey]:
    """Surveys whose results ``user`` may read: all for the office and leaders, else own units'.

    Collecting for a ward-wide survey does not open its results to a unit's readers.
    """
    ids = visible_unit_ids(user)
    surveys = Survey.objects.select_related("unit")
    return surveys if ids is None else surveys.filter(unit_id__in=ids)


def may_analyse(user: User, survey: Survey) -> bool:
    ids = visible_unit_ids(user)
    return ids is None or survey.unit_id in ids


def get_analysable_survey(user: User, slug: str) -> Survey:
    """The survey ``slug`` if ``user`` may read its results, else 404 (one scope lookup)."""
    try:
        return analysable_surveys(user).get(slug=slug)
    except Survey.DoesNotExist as exc:
        raise Http404("Không tìm thấy cuộc khảo sát.") from exc
