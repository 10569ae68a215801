"""Reads of surveys, scoped to the reader (results: :mod:`surveys.analysis.selectors`).

The office and the leadership see every survey. Anyone else sees the surveys of their own unit (and
the units below it) and the ward-wide surveys that are open for collection; any other survey is
"not found", never "forbidden". Only the office manages (creates, uploads, closes).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from orgs.models import User
from orgs.selectors import visible_unit_ids
from surveys.models import Survey


def surveys_visible_to(user: User) -> QuerySet[Survey]:
    surveys = Survey.objects.select_related("unit")
    ids = visible_unit_ids(user)
    if ids is None:
        return surveys
    ward_wide_open = Q(unit__isnull=True, status=Survey.Status.OPEN)
    return surveys.filter(Q(unit_id__in=ids) | ward_wide_open)


def get_survey_for(user: User, slug: str, *, manage: bool = False) -> Survey:
    """The survey ``slug`` if ``user`` may see it (and manage it when ``manage``), else 404."""
    if manage and not user.is_office:
        raise Http404("Không tìm thấy cuộc khảo sát.")
    try:
        return surveys_visible_to(user).get(slug=slug)
    except Survey.DoesNotExist as exc:
        raise Http404("Không tìm thấy cuộc khảo sát.") from exc


def current_version(survey: Survey):
    """The latest uploaded form version, or ``None`` before the first upload."""
    return survey.versions.order_by("-uploaded_at", "-id").first()
