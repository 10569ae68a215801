"""Reads of the org registry, scoped to the reader.

A reader outside the office and the leadership sees only their own unit and its descendants; any
other unit is "not found" rather than "forbidden", so its existence is not revealed.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from core.text import fold
from orgs.models import Collaborator, OrgUnit, User


def descendant_ids(unit_id: int) -> set[int]:
    """The unit and every unit below it (one query; the tree is small)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in OrgUnit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(), [unit_id]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(children.get(current, []))
    return found


def visible_unit_ids(user: User) -> set[int] | None:
    """``None`` means every unit; otherwise the ids this reader may see."""
    if user.sees_everything:
        return None
    if user.unit_id is None:
        return set()
    return descendant_ids(user.unit_id)


def units_visible_to(user: User) -> QuerySet[OrgUnit]:
    ids = visible_unit_ids(user)
    units = OrgUnit.objects.select_related("parent", "responsible_person")
    return units if ids is None else units.filter(pk__in=ids)


def get_unit_for(user: User, pk: int) -> OrgUnit:
    try:
        return units_visible_to(user).get(pk=pk)
    except (OrgUnit.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy đơn vị.") from exc


def search_units(user: User, query: str = "") -> QuerySet[OrgUnit]:
    units = units_visible_to(user)
    if query:
        units = units.filter(name_folded__contains=fold(query))
    return units


def units_without_responsible(user: User) -> QuerySet[OrgUnit]:
    """Open reporting units that have no named responsible person (R1)."""
    return (
        units_visible_to(user)
        .filter(responsible_person__isnull=True, closed_on__isnull=True)
        .exclude(kind__in=[OrgUnit.Kind.WARD_COMMITTEE, OrgUnit.Kind.OFFICE])
    )


def collaborators_visible_to(user: User, query: str = "") -> QuerySet[Collaborator]:
    ids = visible_unit_ids(user)
    collaborators = Collaborator.objects.select_related("unit").prefetch_related("areas", "topics")
    if ids is not None:
        collaborators = collaborators.filter(unit_id__in=ids)
    if query:
        collaborators = collaborators.filter(name_folded__contains=fold(query))
    return collaborators


def can_see_contact_details(user: User) -> bool:
    """Collaborators' and residents' contact details are for the office only."""
    return user.is_office
