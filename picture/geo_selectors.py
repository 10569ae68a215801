"""Reads of area boundaries, scoped to the reader like every read.

The office and the leaders see every area; any other reader the areas whose chi bộ phụ trách is
in their unit's subtree (an area with no unit is the office's alone).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from orgs.models import Area, User
from orgs.selectors import visible_unit_ids
from picture.models import AreaShape


def areas_visible_to(user: User) -> QuerySet[Area]:
    ids = visible_unit_ids(user)
    areas = Area.objects.select_related("unit").order_by("name_folded", "pk")
    return areas if ids is None else areas.filter(unit_id__in=ids)


def shapes_visible_to(user: User) -> QuerySet[AreaShape]:
    return (
        AreaShape.objects.filter(area__in=areas_visible_to(user))
        .select_related("area")
        .order_by("area__name_folded", "area_id")
    )


def shapes_geojson(user: User) -> dict:
    """A FeatureCollection of the boundaries the reader may see; each feature's id is the area's
    and its properties ``{id, name, origin}``."""
    features = [
        {
            "type": "Feature",
            "id": shape.area_id,
            "properties": {"id": shape.area_id, "name": shape.area.name, "origin": shape.origin},
            "geometry": shape.geometry,
        }
        for shape in shapes_visible_to(user)
    ]
    return {"type": "FeatureCollection", "features": features}


@dataclass(frozen=True)
class BoundaryRow:
    area: Area
    shape: AreaShape | None


def boundary_rows(user: User) -> list[BoundaryRow]:
    """Every area the reader sees with its boundary, if it has one (the office's page)."""
    shapes = {shape.area_id: shape for shape in shapes_visible_to(user).defer("geometry")}
    return [BoundaryRow(area, shapes.get(area.pk)) for area in areas_visible_to(user)]
