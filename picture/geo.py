"""Area boundaries as GeoJSON: reading an uploaded file, and inventing shapes for the demo ward.

Pure: no Django. :func:`read_shapes` checks a FeatureCollection (or a single Feature) of
tổ dân phố boundaries and returns every feature it could read together with every problem it
found, each a Vietnamese sentence naming the feature ("Đối tượng 3 (Tổ dân phố 7): vòng ngoài
không khép kín"). The service that stores them (``picture.services.geo``) writes nothing unless
the list of problems is empty.

What a boundary must be: a Polygon or MultiPolygon in WGS 84 longitude/latitude (the order
GeoJSON prescribes, RFC 7946), each ring closed with at least four positions; the feature names
its area in one of its properties. The file is capped in size where it is uploaded; here the
number of features and of positions is capped so that a legal but absurd file cannot hold the
server. NaN and Infinity, which Python's json would read, are refused.

:func:`generate_shapes` makes plausible, non-overlapping polygons for invented areas: a seeded
Voronoi tessellation (scipy) of points inside an invented ward outline near Hải Phòng, each cell
clipped to the outline. Shapes so made are illustrations and the map says so.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from core.text import fold

# Properties that name the area, tried in this order (compared folded: "Tên" is "ten").
NAME_PROPERTIES = (
    "ten", "name", "ten_to", "ten_tdp", "to_dan_pho", "ten_to_dan_pho", "tdp", "ten_khu_pho",
    "khu_pho", "ten_thon", "ten_to_dp",
)
MAX_FEATURES = 1_000  # a ward has tens of areas; a city a few hundred
MAX_POSITIONS = 500_000  # all rings together; a surveyed ward boundary file is far below
MAX_PROBLEMS = 200  # listed one by one; past that, the rest are counted
MAX_PROBLEMS_PER_FEATURE = 5
GEOMETRY_TYPES = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class GeoProblem:
    """One thing wrong with the file. ``index`` is the feature's number counted from 1 (None: the
    file as a whole); ``name`` the area it names, when it names one."""

    message: str
    index: int | None = None
    name: str = ""

    @property
    def where(self) -> str:
        if self.index is None:
            return "Tệp GeoJSON"
        return f"Đối tượng {self.index}" + (f" ({self.name})" if self.name else "")

    def line(self) -> str:
        return f"{self.where}: {self.message}"

    def as_dict(self) -> dict:
        return {"index": self.index, "name": self.name, "message": self.message,
                "line": self.line()}


@dataclass(frozen=True)
class ShapeFeature:
    """A feature that passed every check: its number, the area's name as written, and the
    geometry reduced to ``{"type", "coordinates"}`` with two-dimensional positions."""

    index: int
    name: str
    geometry: dict


@dataclass
class ParsedShapes:
    features: list[ShapeFeature] = field(default_factory=list)
    problems: list[GeoProblem] = field(default_factory=list)
    features_total: int = 0
    problems_left_off: int = 0  # problems found past MAX_PROBLEMS, counted but not listed

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: GeoProblem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.problems_left_off += 1

    def lines(self) -> list[str]:
        lines = [problem.line() for problem in self.problems]
        if self.problems_left_off:
            lines.append(f"… và {self.problems_left_off} lỗi khác.")
        return lines


class _Refused(Exception):
    """A value that cannot stand in a GeoJSON file (NaN, Infinity, a number too large)."""


# --- reading ------------------------------------------------------------------------------------


def read_shapes(data: bytes | str, *, name_property: str | None = None) -> ParsedShapes:
    """Read and check a GeoJSON file of area boundaries; never raises on bad input."""
    result = ParsedShapes()
    document = _load_json(data, result)
    if document is None:
        return result
    features = _features_of(document, result)
    if features is None:
        return result
    result.features_total = len(features)
    if len(features) > MAX_FEATURES:
        result.add(GeoProblem(f"có {len(features)} đối tượng, vượt mức tối đa {MAX_FEATURES}."))
        return result
    if not features:
        result.add(GeoProblem("không có đối tượng (feature) nào."))
        return result
    budget = _PositionBudget()
    first_seen: dict[str, int] = {}
    for number, feature in enumerate(features, start=1):
        shape = _read_feature(number, feature, name_property, budget, result)
        if budget.exceeded:
            result.add(GeoProblem(
                f"có hơn {MAX_POSITIONS:,} điểm tọa độ, vượt mức tối đa; hãy đơn giản hóa ranh"
                " giới (ví dụ bằng QGIS: Vector › Geometry Tools › Simplify) rồi nhập lại."
                .replace(",", ".")))
            return result
        if shape is None:
            continue
        key = fold(shape.name)
        if key in first_seen:
            result.add(GeoProblem(f"trùng tên với đối tượng {first_seen[key]}; mỗi tổ dân phố"
                                  " chỉ được có một ranh giới (gộp thành MultiPolygon nếu có"
                                  " nhiều phần).", number, shape.name))
            continue
        first_seen[key] = number
        result.features.append(shape)
    return result


def _refuse_constant(text: str):
    raise _Refused(f"giá trị {text} không hợp lệ trong JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"số {text[:20]} quá lớn")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > 15:  # past any coordinate or name; 10**400 cannot be a float
        raise _Refused(f"số {text[:20]}… quá lớn")
    return int(text)


def _load_json(data: bytes | str, result: ParsedShapes):
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            result.add(GeoProblem("không phải văn bản UTF-8; hãy lưu lại tệp GeoJSON với mã"
                                  " hóa UTF-8."))
            return None
    try:
        return json.loads(data, parse_constant=_refuse_constant, parse_float=_finite_float,
                          parse_int=_bounded_int)
    except _Refused as exc:
        result.add(GeoProblem(f"{exc}; tọa độ phải là số thực hữu hạn."))
    except json.JSONDecodeError as exc:
        result.add(GeoProblem(f"không đọc được JSON (dòng {exc.lineno}, cột {exc.colno})."))
    except RecursionError:
        result.add(GeoProblem("lồng nhau quá sâu, không phải GeoJSON hợp lệ."))
    return None


def _features_of(document, result: ParsedShapes) -> list | None:
    kind = document.get("type") if isinstance(document, dict) else None
    if kind == "Feature":
        return [document]
    if kind == "FeatureCollection":
        features = document.get("features")
        if isinstance(features, list):
            return features
        result.add(GeoProblem("FeatureCollection thiếu danh sách “features”."))
        return None
    if kind in GEOMETRY_TYPES:
        result.add(GeoProblem(f"chỉ có một hình {kind} mà không có tên tổ dân phố; cần"
                              " FeatureCollection gồm các Feature, mỗi Feature có thuộc tính"
                              " tên."))
        return None
    result.add(GeoProblem("không phải GeoJSON FeatureCollection hoặc Feature (thiếu “type”"
                          " đúng)."))
    return None


class _PositionBudget:
    def __init__(self) -> None:
        self.used = 0

    def spend(self, count: int) -> None:
        self.used += count

    @property
    def exceeded(self) -> bool:
        return self.used > MAX_POSITIONS


def _read_feature(number: int, feature, name_property: str | None, budget: _PositionBudget,
                  result: ParsedShapes) -> ShapeFeature | None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        result.add(GeoProblem("không phải một Feature của GeoJSON.", number))
        return None
    properties = feature.get("properties")
    name = area_name(properties if isinstance(properties, dict) else {}, name_property)
    problems = []
    if not name:
        problems.append(_missing_name(properties, name_property))
    geometry = feature.get("geometry")
    problems += _geometry_problems(geometry, budget)
    for message in problems[:MAX_PROBLEMS_PER_FEATURE]:
        result.add(GeoProblem(message, number, name))
    if len(problems) > MAX_PROBLEMS_PER_FEATURE:
        result.add(GeoProblem(f"và {len(problems) - MAX_PROBLEMS_PER_FEATURE} lỗi khác.",
                              number, name))
    if problems:
        return None
    return ShapeFeature(number, name, _flatten(geometry))


def area_name(properties: dict, name_property: str | None = None) -> str:
    """The area's name a feature carries: ``name_property`` when given (exactly, or folded),
    else the first of :data:`NAME_PROPERTIES` present and not empty."""
    by_key = {_key(k): v for k, v in properties.items()}
    wanted = [name_property] if name_property else list(NAME_PROPERTIES)
    for key in wanted:
        value = properties.get(key, by_key.get(_key(key)))
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = f"{value:g}"
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())[:120]
    return ""


def _key(name: str) -> str:
    return fold(str(name)).replace(" ", "_").replace("-", "_")


def _missing_name(properties, name_property: str | None) -> str:
    if name_property:
        return f"không có thuộc tính “{name_property}” ghi tên tổ dân phố."
    tried = ", ".join(f"“{p}”" for p in NAME_PROPERTIES[:5])
    present = ", ".join(f"“{k}”" for k in list(properties or {})[:6]) or "không có"
    return (f"không tìm thấy tên tổ dân phố (đã thử các thuộc tính {tried}…; thuộc tính có trong"
            f" tệp: {present}); chọn thuộc tính ghi tên bằng --name-property hoặc ô “Thuộc tính"
            " tên”.")


# --- geometry -----------------------------------------------------------------------------------


def _geometry_problems(geometry, budget: _PositionBudget) -> list[str]:
    if not isinstance(geometry, dict):
        return ["không có hình (geometry)."]
    kind = geometry.get("type")
    if kind not in GEOMETRY_TYPES:
        shown = kind if isinstance(kind, str) else "không rõ"
        return [f"kiểu hình “{shown}” không dùng được; ranh giới phải là Polygon hoặc"
                " MultiPolygon."]
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        return _polygon_problems(coordinates, "", budget)
    if not isinstance(coordinates, list) or not coordinates:
        return ["MultiPolygon không có đa giác nào."]
    problems = []
    for number, polygon in enumerate(coordinates, start=1):
        problems += _polygon_problems(polygon, f"đa giác thứ {number}, ", budget)
    return problems


def _polygon_problems(rings, where: str, budget: _PositionBudget) -> list[str]:
    if not isinstance(rings, list) or not rings:
        return [f"{where}không có vòng tọa độ nào."]
    problems = []
    for number, ring in enumerate(rings):
        label = "vòng ngoài" if number == 0 else f"vòng trong thứ {number}"
        problem = _ring_problem(ring, budget)
        if problem:
            problems.append(f"{where}{label} {problem}")
    return problems


def _ring_problem(ring, budget: _PositionBudget) -> str:
    if not isinstance(ring, list):
        return "không phải danh sách tọa độ."
    budget.spend(len(ring))
    if budget.exceeded:
        return ""
    for number, position in enumerate(ring, start=1):
        problem = _position_problem(position)
        if problem:
            return f"có điểm thứ {number} {problem}"
    if len(ring) < 4:
        return f"chỉ có {len(ring)} điểm; một vòng cần ít nhất 4 điểm (điểm cuối trùng điểm đầu)."
    if ring[0][:2] != ring[-1][:2]:
        return "không khép kín (điểm cuối phải trùng điểm đầu)."
    return ""


def _position_problem(position) -> str:
    if not isinstance(position, list) or len(position) < 2 or not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in position
    ):
        return "không phải cặp số [kinh độ, vĩ độ]."
    lon, lat = position[0], position[1]
    if abs(lon) > 180 or abs(lat) > 90:
        hint = ("; có thể kinh độ và vĩ độ bị đảo chỗ" if abs(lat) > 90 >= abs(lon) and
                abs(lat) <= 180 else "; tọa độ phải là kinh độ/vĩ độ WGS 84 (EPSG:4326), không"
                " phải hệ VN-2000 hay mét")
        return (f"ngoài khoảng cho phép (kinh độ {_num(lon)}, vĩ độ {_num(lat)}; kinh độ từ −180"
                f" đến 180, vĩ độ từ −90 đến 90){hint}.")
    return ""


def _num(value: float) -> str:
    """A coordinate as a person reads it: no exponent, a decimal comma."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _flatten(geometry: dict) -> dict:
    """Only the type and the two-dimensional positions (altitude and foreign members dropped)."""

    def ring(points):
        return [[float(p[0]), float(p[1])] for p in points]

    if geometry["type"] == "Polygon":
        coordinates = [ring(r) for r in geometry["coordinates"]]
    else:
        coordinates = [[ring(r) for r in polygon] for polygon in geometry["coordinates"]]
    return {"type": geometry["type"], "coordinates": coordinates}


def positions_of(geometry: dict) -> list[list[list[float]]]:
    """Every ring of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


# --- invented shapes for the demo ---------------------------------------------------------------

# Phường Hòa Bình lies in central Hải Phòng; an invented outline of about 4 × 3 km around here.
CENTRE_LAT, CENTRE_LON = 20.855, 106.683
KM_PER_DEGREE_LAT = 110.574
DECIMALS = 6  # about 0.1 m: finer than any boundary a ward draws


def generate_shapes(names: Sequence[str], seed: int = 47,
                    *, width_km: float = 4.2, height_km: float = 3.2) -> dict[str, dict]:
    """Plausible non-overlapping polygons, one per name: ``{name: Polygon geometry}``.

    Seeded points inside a convex ward outline, relaxed twice (Lloyd) so cells are even, become a
    Voronoi tessellation clipped to the outline. Names are laid out in a serpentine order across
    the ward, so that neighbours in the list (Tổ dân phố An Lư 1, 2, 3…) are neighbours on the map.
    """
    import numpy as np

    names = list(names)
    if not names:
        return {}
    rng = np.random.default_rng(seed)
    outline = _ward_outline(rng, width_km, height_km)
    points = _points_inside(rng, outline, len(names))
    for _ in range(2):
        cells = _clipped_cells(points, outline)
        points = np.array([_centroid(cell) for cell in cells])
    cells = _clipped_cells(_serpentine(points), outline)
    return {name: _as_geometry(cell) for name, cell in zip(names, cells, strict=True)}


def _ward_outline(rng, width_km: float, height_km: float) -> list[tuple[float, float]]:
    """A convex, irregular outline (km from the centre, counter-clockwise)."""
    import numpy as np

    angles = np.sort(rng.uniform(0, 2 * math.pi, 14))
    radii = rng.uniform(0.85, 1.0, angles.size)
    candidates = np.column_stack([np.cos(angles) * radii * width_km / 2,
                                  np.sin(angles) * radii * height_km / 2])
    from scipy.spatial import ConvexHull

    hull = ConvexHull(candidates)
    return [tuple(candidates[i]) for i in hull.vertices]  # counter-clockwise for 2-D hulls


def _points_inside(rng, outline, count: int):
    import numpy as np

    xs, ys = zip(*outline, strict=True)
    chosen: list[tuple[float, float]] = []
    while len(chosen) < count:
        x, y = rng.uniform(min(xs), max(xs)), rng.uniform(min(ys), max(ys))
        if _inside_convex((x, y), outline):
            chosen.append((x, y))
    return np.array(chosen)


def _serpentine(points):
    """The points reordered in rows north to south, alternating west→east and east→west."""
    import numpy as np

    rows = max(1, round(math.sqrt(len(points) * 0.75)))
    order = np.argsort(-points[:, 1])
    ordered = []
    for row, chunk in enumerate(np.array_split(order, rows)):
        chunk = chunk[np.argsort(points[chunk, 0])]
        ordered.extend(chunk if row % 2 == 0 else chunk[::-1])
    return points[np.array(ordered)]


def _clipped_cells(points, outline) -> list[list[tuple[float, float]]]:
    """Each point's Voronoi cell, clipped to the outline (the same order as ``points``)."""
    import numpy as np
    from scipy.spatial import Voronoi

    # Far-away guards close every real cell, so no region runs to infinity.
    reach = 100 * max(abs(c) for vertex in outline for c in vertex)
    guards = [(reach * math.cos(a), reach * math.sin(a)) for a in np.linspace(0, 2 * math.pi, 8,
                                                                             endpoint=False)]
    diagram = Voronoi(np.vstack([points, guards]))
    cells = []
    for index in range(len(points)):
        region = diagram.regions[diagram.point_region[index]]
        cell = [tuple(diagram.vertices[v]) for v in region]
        cell = _counter_clockwise(cell)
        cells.append(clip_convex(cell, outline))
    return cells


def _counter_clockwise(polygon):
    return polygon if signed_area(polygon) >= 0 else polygon[::-1]


def signed_area(polygon: Sequence[Sequence[float]]) -> float:
    """Shoelace area of an open or closed ring; positive when counter-clockwise."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(polygon, list(polygon[1:]) + [polygon[0]], strict=True):
        total += x1 * y2 - x2 * y1
    return total / 2


def clip_convex(subject, clip) -> list[tuple[float, float]]:
    """Sutherland–Hodgman: ``subject`` clipped to the convex, counter-clockwise ``clip`` (open
    rings, no repeated closing point). An empty list when they do not meet."""
    output = [tuple(p[:2]) for p in subject]
    for a, b in zip(clip, list(clip[1:]) + [clip[0]], strict=True):
        if not output:
            break
        current, output = output, []
        for p, q in zip([current[-1], *current[:-1]], current, strict=True):
            p_in, q_in = _left_of(a, b, p), _left_of(a, b, q)
            if q_in:
                if not p_in:
                    output.append(_crossing(a, b, p, q))
                output.append(q)
            elif p_in:
                output.append(_crossing(a, b, p, q))
    return output


def _left_of(a, b, p) -> bool:
    return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) >= 0


def _crossing(a, b, p, q) -> tuple[float, float]:
    dx, dy = q[0] - p[0], q[1] - p[1]
    ex, ey = b[0] - a[0], b[1] - a[1]
    denominator = ex * dy - ey * dx
    t = (ex * (a[1] - p[1]) - ey * (a[0] - p[0])) / denominator
    return (p[0] + t * dx, p[1] + t * dy)


def _inside_convex(point, outline) -> bool:
    return all(_left_of(a, b, point) for a, b in zip(outline, outline[1:] + outline[:1],
                                                      strict=True))


def _centroid(polygon) -> tuple[float, float]:
    area = signed_area(polygon)
    if abs(area) < 1e-12:
        xs, ys = zip(*polygon, strict=True)
        return (sum(xs) / len(xs), sum(ys) / len(ys))
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return (cx / (6 * area), cy / (6 * area))


def _as_geometry(cell_km) -> dict:
    """A cell in km from the centre as a closed WGS 84 Polygon."""
    km_per_degree_lon = KM_PER_DEGREE_LAT * math.cos(math.radians(CENTRE_LAT))
    ring = [[round(CENTRE_LON + x / km_per_degree_lon, DECIMALS),
             round(CENTRE_LAT + y / KM_PER_DEGREE_LAT, DECIMALS)] for x, y in cell_km]
    ring.append(list(ring[0]))
    return {"type": "Polygon", "coordinates": [ring]}
