"""Properties of the area boundaries reader (issue 10): any file, any JSON value and any
malformed geometry either yields features whose geometry is a valid Polygon or MultiPolygon
(closed rings of at least four WGS 84 positions) or the problems found, each a Vietnamese
sentence naming the feature; :func:`read_shapes` never raises. At the service level a file with
any problem writes nothing."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from core.models import AuditEntry
from core.tests.fuzzing import assert_vietnamese, fuzz
from picture import geo, services
from picture.models import AreaShape

SQUARE = [[106.68, 20.85], [106.69, 20.85], [106.69, 20.86], [106.68, 20.86], [106.68, 20.85]]

_number = st.one_of(
    st.floats(-200, 200), st.integers(-400, 400),
    st.sampled_from([0, 1e308, -1e308, 10**400, 2_200_000, 106.68, 20.85]),
)
_position = st.one_of(st.lists(_number, min_size=0, max_size=4), _number, st.none(),
                      st.text(max_size=3), st.booleans())
_ring = st.one_of(
    st.lists(_position, max_size=6),
    st.just(SQUARE), st.just(SQUARE[:-1]), st.just([SQUARE[0]] * 4), st.none(), _number,
    st.lists(_position, min_size=3, max_size=5).map(lambda r: r + r[:1]),  # closed on itself
)
_polygon = st.one_of(st.lists(_ring, max_size=3), _ring, st.none())
_geometry = st.one_of(
    st.fixed_dictionaries({"type": st.just("Polygon"), "coordinates": _polygon}),
    st.fixed_dictionaries({"type": st.just("MultiPolygon"),
                           "coordinates": st.one_of(st.lists(_polygon, max_size=3), _polygon)}),
    st.fixed_dictionaries({"type": st.sampled_from(["Point", "LineString", "GeometryCollection",
                                                    "polygon", 7]),
                           "coordinates": _polygon}),
    st.none(), st.text(max_size=4), st.lists(st.integers(), max_size=2),
)
_name = st.one_of(st.sampled_from(["Tổ dân phố 1", "tổ dân phố 1", "TDP 2", "", " "]),
                  st.text(max_size=10), _number, st.booleans(), st.none(),
                  st.lists(st.integers(), max_size=2))
_properties = st.one_of(
    st.dictionaries(st.sampled_from(["ten", "Tên", "name", "NAME", "ten_to", "khac", "id"]),
                    _name, max_size=3),
    st.none(), st.lists(st.integers(), max_size=2), st.text(max_size=3),
)
_feature = st.one_of(
    st.fixed_dictionaries({"type": st.just("Feature"), "properties": _properties,
                           "geometry": _geometry}),
    st.fixed_dictionaries({"type": st.sampled_from(["feature", "Polygon", 1])}),
    st.none(), st.integers(), st.text(max_size=4),
)
_json = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False,
                                                                 allow_infinity=False),
              st.text(max_size=6)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(["type", "features", "geometry",
                                                            "coordinates", "properties"]),
                                            inner, max_size=4)),
    max_leaves=20,
)
_document = st.one_of(
    st.fixed_dictionaries({"type": st.just("FeatureCollection"),
                           "features": st.one_of(st.lists(_feature, max_size=4), _feature)}),
    _feature, _geometry, _json,
)


def _valid_ring(ring) -> bool:
    return (len(ring) >= 4 and ring[0] == ring[-1]
            and all(len(p) == 2 and all(math.isfinite(v) for v in p)
                    and abs(p[0]) <= 180 and abs(p[1]) <= 90 for p in ring))


def _check(parsed: geo.ParsedShapes) -> None:
    for problem in parsed.problems:
        assert problem.index is None or 1 <= problem.index <= parsed.features_total
        assert_vietnamese(problem.line())
    for line in parsed.lines():
        assert_vietnamese(line)
    for feature in parsed.features:
        assert feature.name and feature.name == feature.name.strip()
        assert feature.geometry["type"] in geo.GEOMETRY_TYPES
        polygons = (feature.geometry["coordinates"] if feature.geometry["type"] == "MultiPolygon"
                    else [feature.geometry["coordinates"]])
        assert polygons and all(polygon and all(_valid_ring(r) for r in polygon)
                                for polygon in polygons)


def _dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


@fuzz(300)
@given(_document)
@example({"type": "Feature", "properties": {"ten": 10**400},
          "geometry": {"type": "Polygon", "coordinates": [SQUARE]}})
@example({"type": "Feature", "properties": {"ten": "Tổ 1"},
          "geometry": {"type": "Polygon", "coordinates": [[[10**400, 0], [0, 0], [0, 1],
                                                           [10**400, 0]]]}})
def test_any_document_is_features_or_vietnamese_problems(document):
    _check(geo.read_shapes(_dumps(document)))


@fuzz(200)
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200)))
@example(b"[" * 100_000)
@example(b'{"type": "FeatureCollection", "features": [], "x": 1' + b"9" * 5000 + b"}")
@example(b'{"type": "Feature", "c": NaN}')
@example("\ufeff{}".encode())
def test_any_bytes_are_features_or_vietnamese_problems(data):
    _check(geo.read_shapes(data))


@pytest.mark.django_db
@fuzz(40, db=True)
@given(st.lists(_feature, min_size=1, max_size=3))
@example([{"type": "Feature", "properties": {"ten": "Tổ dân phố 1"},
           "geometry": {"type": "Polygon", "coordinates": [SQUARE]}}])
def test_a_file_with_any_problem_writes_nothing(vanphong, area_1, features):
    data = _dumps({"type": "FeatureCollection", "features": features})
    before = AreaShape.objects.count(), AuditEntry.objects.count()
    try:
        result = services.import_area_shapes(user=vanphong, data=data)
    except services.ShapesRejected as exc:
        assert (AreaShape.objects.count(), AuditEntry.objects.count()) == before
        assert_vietnamese(exc.message)
        for line in exc.lines():
            assert_vietnamese(line)
    else:
        assert result.count >= 1 and AreaShape.objects.filter(area=area_1).exists()
        assert AuditEntry.objects.count() > before[1]  # the import is in the audit log
