"""Area boundaries: importing them from GeoJSON (the office), generating illustrations (the demo).

An import is all or nothing: the file is read and every feature matched to a tổ dân phố of the
registry (by folded name, so "Tổ dân phố Hoà Bình 1" matches "Tổ dân phố Hòa Bình 1") before
anything is written; any problem, in the file or in the matching, refuses the whole file with
every problem listed. Areas the file does not name keep the shape they had.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from core.errors import ServiceError
from core.models import AuditEntry
from core.services import audit, require_office
from core.text import fold
from orgs.models import Area, User
from picture import geo
from picture.geo import GeoProblem
from picture.models import AreaShape

MAX_GEOJSON_BYTES = 10 * 1024 * 1024  # the cap of every upload of the app
DEMO_SEED = 47


class ShapesRejected(ServiceError):
    """The file was refused; ``problems`` lists every problem, feature by feature."""

    def __init__(self, problems: list[GeoProblem], left_off: int = 0):
        self.problems = problems
        self.left_off = left_off
        count = len(problems) + left_off
        super().__init__(
            f"Tệp ranh giới có {count} lỗi; chưa ghi ranh giới nào. Sửa các lỗi dưới đây rồi"
            " nhập lại.",
            field="file",
        )

    def lines(self) -> list[str]:
        lines = [problem.line() for problem in self.problems]
        if self.left_off:
            lines.append(f"… và {self.left_off} lỗi khác.")
        return lines


@dataclass
class ImportResult:
    """What an import wrote: the areas that got their first shape, those whose shape it
    replaced, and the areas of the registry still without one."""

    created: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    without_shape: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.created) + len(self.replaced)

    def summary(self) -> str:
        text = (f"Đã nhập ranh giới của {self.count} tổ dân phố ({len(self.created)} mới,"
                f" {len(self.replaced)} thay ranh giới cũ).")
        if self.without_shape:
            text += f" Còn {len(self.without_shape)} tổ chưa có ranh giới."
        return text


def import_area_shapes(
    *, user: User | None, data: bytes, name_property: str | None = None
) -> ImportResult:
    """Store the boundaries of a GeoJSON file, all or nothing.

    ``user`` None is the command line (run by whoever holds the server); otherwise only the
    office may import. Raises :class:`ShapesRejected` with every problem when the file has any.
    """
    if user is not None:
        require_office(user, "nhập ranh giới tổ dân phố")
    if len(data) > MAX_GEOJSON_BYTES:
        raise ServiceError(
            f"Tệp quá lớn ({len(data) / 1048576:.1f} MB; tối đa"
            f" {MAX_GEOJSON_BYTES // 1048576} MB).".replace(".", ",", 1),
            field="file",
        )
    name_property = (name_property or "").strip() or None
    parsed = geo.read_shapes(data, name_property=name_property)
    matched, unknown = _match_areas(parsed.features)
    problems = sorted(parsed.problems + unknown, key=lambda p: p.index or 0)
    if problems:
        raise ShapesRejected(problems, parsed.problems_left_off)
    return _store(user, matched, name_property)


def _match_areas(
    features: list[geo.ShapeFeature],
) -> tuple[list[tuple[geo.ShapeFeature, Area]], list[GeoProblem]]:
    areas = {fold(area.name): area for area in Area.objects.all()}
    matched, unknown = [], []
    for feature in features:
        area = areas.get(fold(feature.name))
        if area is not None:
            matched.append((feature, area))
            continue
        close = difflib.get_close_matches(fold(feature.name), list(areas), n=1, cutoff=0.8)
        hint = f" (có phải “{areas[close[0]].name}”?)" if close else ""
        unknown.append(GeoProblem(
            f"không có tổ dân phố tên “{feature.name}” trong danh mục{hint}; thêm tổ dân phố"
            " trước, hoặc sửa tên trong tệp.",
            feature.index, feature.name,
        ))
    return matched, unknown


def _store(user: User | None, matched, name_property: str | None) -> ImportResult:
    result = ImportResult()
    with transaction.atomic():
        had_shape = set(
            AreaShape.objects.filter(area__in=[area for _, area in matched])
            .values_list("area_id", flat=True)
        )
        for feature, area in matched:
            AreaShape.objects.update_or_create(
                area=area,
                defaults={"geometry": feature.geometry, "origin": AreaShape.Origin.IMPORTED},
            )
            (result.replaced if area.pk in had_shape else result.created).append(area.name)
        result.without_shape = list(
            Area.objects.filter(shape__isnull=True).order_by("name_folded")
            .values_list("name", flat=True)
        )
        audit(
            actor=user,
            action=AuditEntry.Action.UPDATE,
            object_type=AreaShape._meta.label_lower,
            unit=getattr(user, "unit", None),
            summary=result.summary() + ("" if user is not None else " (dòng lệnh)"),
            data={"created": result.created, "replaced": result.replaced,
                  "name_property": name_property or ""},
        )
    return result


def generate_demo_shapes(*, areas: Iterable[Area], seed: int = DEMO_SEED) -> int:
    """Give the areas invented boundaries (origin "generated"); an imported boundary, which is
    real, is never replaced. Returns how many shapes were written."""
    areas = list(areas)
    if not areas:
        return 0
    shapes = geo.generate_shapes([area.name for area in areas], seed)
    imported = set(
        AreaShape.objects.filter(area__in=areas, origin=AreaShape.Origin.IMPORTED)
        .values_list("area_id", flat=True)
    )
    written = 0
    with transaction.atomic():
        for area in areas:
            if area.pk in imported:
                continue
            AreaShape.objects.update_or_create(
                area=area,
                defaults={"geometry": shapes[area.name], "origin": AreaShape.Origin.GENERATED},
            )
            written += 1
        audit(
            actor=None,
            action=AuditEntry.Action.GENERATE,
            object_type=AreaShape._meta.label_lower,
            summary=f"Sinh ranh giới minh họa (dữ liệu mẫu) cho {written} tổ dân phố",
            data={"seed": seed, "areas": written},
        )
    return written
