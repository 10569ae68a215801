"""Reading GeoJSON boundaries (picture.geo, pure): every problem named by feature, in Vietnamese;
and the demo's invented shapes: valid, inside the ward, not overlapping."""

from __future__ import annotations

import copy
import json
import math

import pytest

from picture import geo

SQUARE = [[106.68, 20.85], [106.69, 20.85], [106.69, 20.86], [106.68, 20.86], [106.68, 20.85]]


def feature(name="Tổ dân phố 1", ring=None, *, key="ten", kind="Polygon", coordinates=None):
    ring = copy.deepcopy(SQUARE if ring is None else ring)
    if coordinates is None:
        coordinates = [ring] if kind == "Polygon" else [[ring]]
    return {"type": "Feature", "properties": {key: name} if name is not None else {},
            "geometry": {"type": kind, "coordinates": coordinates}}


def collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)},
                      ensure_ascii=False).encode("utf-8")


def lines_of(data: bytes, **kwargs) -> list[str]:
    return geo.read_shapes(data, **kwargs).lines()


# --- what is accepted -------------------------------------------------------------------------


def test_a_good_collection_is_read_with_two_dimensional_positions():
    with_altitude = [[*p, 12.5] for p in SQUARE]
    parsed = geo.read_shapes(collection(
        feature("Tổ dân phố 1"),
        feature("Tổ dân phố 2", with_altitude, kind="MultiPolygon"),
    ))
    assert parsed.ok, parsed.lines()
    assert [f.name for f in parsed.features] == ["Tổ dân phố 1", "Tổ dân phố 2"]
    multi = parsed.features[1].geometry
    assert multi["type"] == "MultiPolygon"
    assert all(len(p) == 2 for p in multi["coordinates"][0][0])


def test_a_single_feature_and_a_byte_order_mark_are_accepted():
    data = "\ufeff".encode() + json.dumps(feature("Tổ dân phố 7")).encode()
    parsed = geo.read_shapes(data)
    assert parsed.ok and parsed.features[0].name == "Tổ dân phố 7"


@pytest.mark.parametrize("key", ["ten", "TEN", "name", "Tên", "ten_to", "to_dan_pho", "TDP"])
def test_the_name_is_found_in_the_usual_properties(key):
    parsed = geo.read_shapes(collection(feature("Tổ dân phố 3", key=key)))
    assert parsed.ok, parsed.lines()
    assert parsed.features[0].name == "Tổ dân phố 3"


def test_a_chosen_name_property_is_used_and_only_it():
    data = collection({**feature("Tổ 9", key="ma"), "properties": {"ma": "Tổ 9", "ten": "X"}})
    assert geo.read_shapes(data, name_property="ma").features[0].name == "Tổ 9"
    assert lines_of(collection(feature("Tổ 9")), name_property="khu") == [
        "Đối tượng 1: không có thuộc tính “khu” ghi tên tổ dân phố."]


# --- what is refused, feature by feature --------------------------------------------------------


def test_an_unclosed_ring_is_named_by_feature_and_area():
    open_ring = SQUARE[:-1] + [[106.681, 20.851]]
    data = collection(feature("Tổ dân phố 1"), feature("Tổ dân phố 2"),
                      feature("Tổ dân phố 7", open_ring))
    assert lines_of(data) == [
        "Đối tượng 3 (Tổ dân phố 7): vòng ngoài không khép kín (điểm cuối phải trùng điểm đầu)."]


def test_a_ring_needs_four_positions_and_holes_are_named():
    hole = [[106.682, 20.852], [106.683, 20.852], [106.682, 20.852]]
    data = collection(feature(coordinates=[copy.deepcopy(SQUARE), hole]))
    [line] = lines_of(data)
    assert line.startswith("Đối tượng 1 (Tổ dân phố 1): vòng trong thứ 1 chỉ có 3 điểm")


def test_a_multipolygon_names_the_polygon():
    bad = copy.deepcopy(SQUARE[:-1])
    data = collection(feature(kind="MultiPolygon",
                              coordinates=[[copy.deepcopy(SQUARE)], [bad + [[1.0, 1.0]]]]))
    [line] = lines_of(data)
    assert "đa giác thứ 2, vòng ngoài không khép kín" in line


@pytest.mark.parametrize("kind", ["Point", "LineString", "GeometryCollection"])
def test_other_geometry_types_are_refused(kind):
    data = collection(feature(kind=kind, coordinates=[106.68, 20.85]))
    assert lines_of(data) == [
        f"Đối tượng 1 (Tổ dân phố 1): kiểu hình “{kind}” không dùng được; ranh giới phải là"
        " Polygon hoặc MultiPolygon."]


def test_positions_outside_wgs84_are_refused_with_a_hint():
    projected = [[590000, 2306000], [591000, 2306000], [591000, 2307000], [590000, 2306000]]
    swapped = [[lat, lon] for lon, lat in SQUARE]
    lines = lines_of(collection(feature("Tổ 1", projected), feature("Tổ 2", swapped)))
    assert len(lines) == 2
    assert lines[0].startswith("Đối tượng 1 (Tổ 1): vòng ngoài có điểm thứ 1 ngoài khoảng")
    assert "(kinh độ 590000, vĩ độ 2306000;" in lines[0] and "VN-2000" in lines[0]
    assert lines[1].startswith("Đối tượng 2 (Tổ 2):") and "bị đảo chỗ" in lines[1]


def test_a_position_must_be_a_pair_of_numbers():
    ring = copy.deepcopy(SQUARE)
    ring[2] = ["106.69", 20.86]
    [line] = lines_of(collection(feature(ring=ring)))
    assert "điểm thứ 3 không phải cặp số [kinh độ, vĩ độ]" in line


def test_a_feature_without_a_name_says_which_properties_it_has():
    data = collection({**feature(None), "properties": {"ma_so": 7, "dien_tich": 3}})
    [line] = lines_of(data)
    assert line.startswith("Đối tượng 1: không tìm thấy tên tổ dân phố")
    assert "“ma_so”" in line and "--name-property" in line


def test_duplicates_are_reported_on_the_later_feature_folded():
    data = collection(feature("Tổ dân phố Hòa Bình 1"), feature("Tổ dân phố 2"),
                      feature("to dan pho hoa binh 1"))
    parsed = geo.read_shapes(data)
    assert [p.line().split(";")[0] for p in parsed.problems] == [
        "Đối tượng 3 (to dan pho hoa binh 1): trùng tên với đối tượng 1"]
    assert len(parsed.features) == 2


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_nan_and_infinity_are_refused(constant):
    text = collection(feature()).decode().replace("106.69", constant, 1)
    [line] = lines_of(text.encode())
    assert line.startswith("Tệp GeoJSON: ") and "hữu hạn" in line


def test_the_number_of_features_is_capped(monkeypatch):
    monkeypatch.setattr(geo, "MAX_FEATURES", 3)
    lines = lines_of(collection(*[feature(f"Tổ {i}") for i in range(4)]))
    assert lines == ["Tệp GeoJSON: có 4 đối tượng, vượt mức tối đa 3."]


def test_the_number_of_positions_is_capped(monkeypatch):
    monkeypatch.setattr(geo, "MAX_POSITIONS", 12)
    lines = lines_of(collection(*[feature(f"Tổ {i}") for i in range(4)]))
    assert len(lines) == 1 and lines[0].startswith("Tệp GeoJSON: có hơn 12 điểm tọa độ")


def test_problems_are_capped_and_the_rest_counted(monkeypatch):
    monkeypatch.setattr(geo, "MAX_PROBLEMS", 2)
    parsed = geo.read_shapes(collection(*[feature(f"Tổ {i}", kind="Point") for i in range(5)]))
    assert len(parsed.problems) == 2 and parsed.problems_left_off == 3
    assert parsed.lines()[-1] == "… và 3 lỗi khác."


@pytest.mark.parametrize("data, fragment", [
    (b"\xff\xfe{", "UTF-8"),
    (b'{"type": "FeatureCollection", "features": [', "không đọc được JSON (dòng 1"),
    (b"[" * 100_000 + b"]" * 100_000, ""),
    (b'{"type": "Topology"}', "không phải GeoJSON FeatureCollection hoặc Feature"),
    (json.dumps({"type": "Polygon", "coordinates": [SQUARE]}).encode(), "chỉ có một hình"),
    (b'{"type": "FeatureCollection", "features": []}', "không có đối tượng"),
])
def test_a_file_that_is_not_a_collection_is_one_problem(data, fragment):
    [line] = lines_of(data)
    assert line.startswith("Tệp GeoJSON: ") and fragment in line


# --- invented shapes ---------------------------------------------------------------------------


def _intersection_area(a, b) -> float:
    """Overlap of two convex rings (Voronoi cells clipped to a convex outline are convex)."""
    first = geo._counter_clockwise([tuple(p) for p in a[:-1]])
    second = geo._counter_clockwise([tuple(p) for p in b[:-1]])
    overlap = geo.clip_convex(first, second)
    return abs(geo.signed_area(overlap)) if len(overlap) >= 3 else 0.0


def test_generated_shapes_are_valid_near_hai_phong_and_do_not_overlap():
    names = [f"Tổ dân phố {i}" for i in range(1, 41)]
    shapes = geo.generate_shapes(names, seed=3)
    assert list(shapes) == names
    data = collection(*[{"type": "Feature", "properties": {"ten": n}, "geometry": g}
                        for n, g in shapes.items()])
    assert geo.read_shapes(data).ok
    rings = [g["coordinates"][0] for g in shapes.values()]
    for ring in rings:
        assert abs(geo.signed_area(ring[:-1])) > 0
        for lon, lat in ring:
            assert 106.6 < lon < 106.8 and 20.8 < lat < 20.9
    total = sum(abs(geo.signed_area(r[:-1])) for r in rings)
    smallest = min(abs(geo.signed_area(r[:-1])) for r in rings)
    for i, a in enumerate(rings):
        for b in rings[i + 1:]:
            assert _intersection_area(a, b) < smallest * 1e-6
    # Cells tile the ward: about 4 × 3 km, no gaps (the outline's area in square degrees).
    km2 = total * 110.574 * 110.574 * math.cos(math.radians(geo.CENTRE_LAT))
    assert 5 < km2 < 14


def test_the_overlap_check_sees_an_overlap():
    shifted = [[lon + 0.005, lat] for lon, lat in SQUARE]
    assert _intersection_area(SQUARE, shifted) == pytest.approx(0.005 * 0.01)


def test_generated_shapes_are_the_same_for_the_same_seed():
    names = ["A", "B", "C", "D", "E"]
    assert geo.generate_shapes(names, seed=1) == geo.generate_shapes(names, seed=1)
    assert geo.generate_shapes(names, seed=1) != geo.generate_shapes(names, seed=2)
    assert geo.generate_shapes([]) == {}
    assert list(geo.generate_shapes(["Một"])) == ["Một"]
