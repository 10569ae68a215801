"""Matching answers to areas, and the columns a response derives from its answers.

Areas are read from the answer to ``survey.area_field``: the value is matched against an
:class:`~orgs.models.Area` by id, by name (folded: with or without diacritics), by name written
as a code (``to_dan_pho_1``), or by the label of the chosen option; gender and age group keep the
option's name (``nam``, ``18_29``).
"""

from __future__ import annotations

import re

from django.db.models import Q

from core.text import fold
from odk import openrosa
from orgs.models import Area
from surveys.models import Survey


def _code(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


class AreaMatcher:
    """Finds the area an answer names (see the module docstring) among ``areas`` (default:
    all, loaded once: for imports of many rows)."""

    def __init__(self, areas=None):
        self.areas = list(areas if areas is not None else Area.objects.only("id", "name"))
        self.by_id = {str(a.pk): a for a in self.areas}
        self.by_name = {fold(a.name): a for a in self.areas}
        self.by_code = {_code(a.name): a for a in self.areas}

    def match(self, value: str, spec: openrosa.Field | None = None) -> Area | None:
        value = (value or "").strip()
        if not value:
            return None
        found = (
            self.by_id.get(value) or self.by_name.get(fold(value)) or self.by_code.get(_code(value))
        )
        if found is None and spec is not None:
            for label in spec.choice_labels.get(value, ()):
                found = self.by_name.get(fold(label)) or self.by_code.get(_code(label))
                if found is not None:
                    break
        return found


def match_area(value: str, spec: openrosa.Field | None = None) -> Area | None:
    """:meth:`AreaMatcher.match` for one answer: an indexed query first, a full scan only when
    the value is written in no form the index knows (an unusual code)."""
    value = (value or "").strip()
    if not value:
        return None
    names = {fold(value), fold(value.replace("_", " "))}
    if spec is not None:
        names.update(fold(label) for label in spec.choice_labels.get(value, ()))
    query = Q(name_folded__in=names)
    if value.isdigit():
        query |= Q(pk=int(value))
    candidates = list(Area.objects.filter(query).only("id", "name"))
    return AreaMatcher(candidates).match(value, spec) or (
        None if candidates else AreaMatcher().match(value, spec)
    )


def derived_fields(survey: Survey, structure: openrosa.FormStructure, data: dict, matcher=None
                   ) -> dict:
    """The response's area, gender and age group, from its answers."""
    fields = structure.by_name
    area_value = data.get(survey.area_field)
    area = None
    if isinstance(area_value, str) and area_value:
        spec = fields.get(survey.area_field)
        area = matcher.match(area_value, spec) if matcher else match_area(area_value, spec)

    def plain(name: str) -> str:
        value = data.get(name)
        return value[:60] if isinstance(value, str) else ""

    return {
        "area": area,
        "gender": plain(survey.gender_field),
        "age_group": plain(survey.age_group_field),
    }
