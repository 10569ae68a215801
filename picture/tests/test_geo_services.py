"""Area boundaries with the database: the office's import (all or nothing, every error listed),
the demo's shapes, the boundaries endpoint scoped to the reader, the office's page, the CLI."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from core.errors import ServiceError
from core.models import AuditEntry
from longdan.commands import main
from longdan.demo.shapes import build_shapes
from orgs.models import Area
from picture import geo, services
from picture.models import AreaShape

SQUARE = [[106.68, 20.85], [106.69, 20.85], [106.69, 20.86], [106.68, 20.86], [106.68, 20.85]]


def feature(name, ring=None, kind="Polygon"):
    ring = ring or SQUARE
    coordinates = [ring] if kind == "Polygon" else [[ring]]
    return {"type": "Feature", "properties": {"ten": name},
            "geometry": {"type": kind, "coordinates": coordinates}}


def collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)},
                      ensure_ascii=False).encode()


@pytest.fixture
def areas(cell_a, cell_b, area_1):
    area_2 = Area.objects.create(name="Tổ dân phố 2", population=640, unit=cell_b)
    area_3 = Area.objects.create(name="Tổ dân phố Hòa Bình 3", population=900, unit=cell_b)
    return area_1, area_2, area_3


# --- import --------------------------------------------------------------------------------------


def test_the_office_imports_boundaries_matched_by_folded_name(vanphong, areas):
    area_1, area_2, area_3 = areas
    result = services.import_area_shapes(
        user=vanphong, data=collection(feature("TỔ DÂN PHỐ 1"), feature("to dan pho hoa binh 3",
                                                                         kind="MultiPolygon")))
    assert sorted(result.created) == ["Tổ dân phố 1", "Tổ dân phố Hòa Bình 3"]
    assert result.without_shape == ["Tổ dân phố 2"]
    assert AreaShape.objects.get(area=area_3).geometry["type"] == "MultiPolygon"
    assert AreaShape.objects.get(area=area_1).origin == AreaShape.Origin.IMPORTED
    entry = AuditEntry.objects.get(object_type="picture.areashape")
    assert entry.actor == vanphong and "2 tổ dân phố" in entry.summary

    again = services.import_area_shapes(user=vanphong, data=collection(feature("Tổ dân phố 1")))
    assert again.replaced == ["Tổ dân phố 1"] and again.created == []
    assert AreaShape.objects.count() == 2  # the area the file did not name kept its shape


def test_any_error_writes_nothing_and_lists_every_error(vanphong, areas):
    area_1 = areas[0]
    AreaShape.objects.create(area=area_1, geometry={"type": "Polygon", "coordinates": [SQUARE]},
                             origin=AreaShape.Origin.GENERATED)
    unclosed = SQUARE[:-1] + [[106.7, 20.9]]
    data = collection(feature("Tổ dân phố 1", [[1.0, 1.0], [2.0, 1.0], [2.0, 2.0], [1.0, 1.0]]),
                      feature("Tổ dân phố 2", unclosed), feature("Tổ dân phố 99"),
                      feature("Tổ dân phố 1"))
    with pytest.raises(services.ShapesRejected) as caught:
        services.import_area_shapes(user=vanphong, data=data)
    lines = caught.value.lines()
    assert [line.split(":")[0] for line in lines] == [
        "Đối tượng 2 (Tổ dân phố 2)", "Đối tượng 3 (Tổ dân phố 99)",
        "Đối tượng 4 (Tổ dân phố 1)"]
    assert "không có tổ dân phố tên “Tổ dân phố 99” trong danh mục" in lines[1]
    assert "trùng tên với đối tượng 1" in lines[2]
    assert "3 lỗi; chưa ghi ranh giới nào" in caught.value.message
    shape = AreaShape.objects.get()
    assert shape.origin == AreaShape.Origin.GENERATED  # untouched
    assert not AuditEntry.objects.filter(object_type="picture.areashape").exists()


def test_an_unknown_name_close_to_a_known_one_gets_a_suggestion(vanphong, areas):
    with pytest.raises(services.ShapesRejected) as caught:
        services.import_area_shapes(user=vanphong, data=collection(feature("Tổ dân phố 22")))
    assert "(có phải “Tổ dân phố 2”?)" in caught.value.lines()[0]


@pytest.mark.parametrize("who", ["lanhdao", "an"])
def test_only_the_office_imports(request, who, areas):
    user = request.getfixturevalue(who)
    with pytest.raises(ServiceError, match="Chỉ Ban Xây dựng Đảng được nhập ranh giới"):
        services.import_area_shapes(user=user, data=collection(feature("Tổ dân phố 1")))
    assert not AreaShape.objects.exists()


def test_a_file_over_the_cap_is_refused(vanphong, areas, monkeypatch):
    monkeypatch.setattr("picture.services.geo.MAX_GEOJSON_BYTES", 100)
    with pytest.raises(ServiceError, match="Tệp quá lớn"):
        services.import_area_shapes(user=vanphong, data=collection(feature("Tổ dân phố 1")))


# --- the demo's shapes --------------------------------------------------------------------------


def test_demo_shapes_cover_every_area_but_never_replace_an_imported_one(vanphong, areas):
    services.import_area_shapes(user=vanphong, data=collection(feature("Tổ dân phố 2")))
    assert build_shapes() == 2
    shapes = {s.area.name: s for s in AreaShape.objects.select_related("area")}
    assert shapes["Tổ dân phố 2"].origin == AreaShape.Origin.IMPORTED
    assert shapes["Tổ dân phố 2"].geometry["coordinates"][0] == SQUARE
    assert shapes["Tổ dân phố 1"].origin == AreaShape.Origin.GENERATED
    generated = collection(*[{"type": "Feature", "properties": {"ten": name},
                              "geometry": s.geometry} for name, s in shapes.items()])
    assert geo.read_shapes(generated).ok


# --- the boundaries endpoint --------------------------------------------------------------------


@pytest.fixture
def shaped(areas):
    services.generate_demo_shapes(areas=areas)
    return areas


def _shapes(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("picture:area_shapes"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    return json.loads(response.content)


def test_the_office_and_leaders_get_every_boundary(client, vanphong, lanhdao, shaped):
    for user in (vanphong, lanhdao):
        data = _shapes(client, user)
        assert data["type"] == "FeatureCollection"
        assert sorted(f["properties"]["name"] for f in data["features"]) == sorted(
            a.name for a in shaped)
        first = data["features"][0]
        assert set(first["properties"]) == {"id", "name", "origin"}
        assert first["properties"]["origin"] == "generated"


def test_a_unit_reader_gets_the_boundaries_of_its_subtree_only(client, an, binh, shaped):
    assert [f["properties"]["name"] for f in _shapes(client, an)["features"]] == ["Tổ dân phố 1"]
    assert sorted(f["properties"]["name"] for f in _shapes(client, binh)["features"]) == [
        "Tổ dân phố 2", "Tổ dân phố Hòa Bình 3"]


def test_an_area_without_a_unit_is_the_office_s_alone(client, an, vanphong, shaped):
    Area.objects.filter(name="Tổ dân phố 1").update(unit=None)
    assert _shapes(client, an)["features"] == []
    assert len(_shapes(client, vanphong)["features"]) == 3


def test_the_endpoint_needs_a_login(client, shaped):
    response = client.get(reverse("picture:area_shapes"))
    assert response.status_code == 302


# --- the office's page --------------------------------------------------------------------------


def _upload(client, data: bytes, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("picture:area_boundaries"),
                       {"file": SimpleUploadedFile("ranh-gioi.geojson", data), **extra})


def test_the_office_page_imports_and_lists_errors_per_feature(client, vanphong, areas):
    client.force_login(vanphong)
    page = client.get(reverse("picture:area_boundaries"))
    assert page.status_code == 200
    assert "0/3 tổ dân phố đã có ranh giới" in page.content.decode()

    bad = _upload(client, collection(feature("Tổ dân phố 1", SQUARE[:-1] + [[1.0, 1.0]]),
                                     feature("Tổ dân phố 404")))
    body = bad.content.decode()
    assert bad.status_code == 400
    assert "Đối tượng 1 (Tổ dân phố 1): vòng ngoài không khép kín" in body
    assert "Đối tượng 2 (Tổ dân phố 404): không có tổ dân phố tên" in body
    assert not AreaShape.objects.exists()

    good = _upload(client, collection({**feature("x"), "properties": {"ma": "Tổ dân phố 1"}}),
                   name_property="ma")
    assert good.status_code == 302
    follow = client.get(good["Location"]).content.decode()
    assert "Đã nhập ranh giới của 1 tổ dân phố" in follow
    assert "1/3 tổ dân phố đã có ranh giới" in follow


def test_the_page_refuses_a_file_over_the_cap(client, vanphong, areas, monkeypatch):
    monkeypatch.setattr("picture.services.geo.MAX_GEOJSON_BYTES", 100)
    client.force_login(vanphong)
    response = _upload(client, collection(feature("Tổ dân phố 1")))
    assert "Tệp quá lớn" in response.content.decode()
    assert not AreaShape.objects.exists()


def test_the_page_is_the_office_s(client, lanhdao, an, areas):
    client.force_login(an)
    assert client.get(reverse("picture:area_boundaries")).status_code == 404
    client.force_login(lanhdao)
    assert client.get(reverse("picture:area_boundaries")).status_code == 403
    assert _upload(client, collection(feature("Tổ dân phố 1"))).status_code == 403
    assert not AreaShape.objects.exists()


def test_the_area_list_links_the_office_to_the_page(client, vanphong, an, areas):
    link = reverse("picture:area_boundaries")
    client.force_login(vanphong)
    assert link in client.get(reverse("area_list")).content.decode()
    client.force_login(an)
    assert link not in client.get(reverse("area_list")).content.decode()


# --- the command line ---------------------------------------------------------------------------


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_imports_a_file(capsys, tmp_path, areas):
    path = tmp_path / "ranh-gioi.geojson"
    path.write_bytes(collection({**feature("x"), "properties": {"TEN_TO": "Tổ dân phố 2"}}))
    code, out, err = run(capsys, "areas", "import", str(path), "--name-property", "TEN_TO")
    assert (code, err) == (0, "")
    assert "Đã nhập ranh giới của 1 tổ dân phố (1 mới, 0 thay ranh giới cũ)" in out
    assert "Chưa có ranh giới: Tổ dân phố 1, Tổ dân phố Hòa Bình 3." in out
    assert AreaShape.objects.get().area.name == "Tổ dân phố 2"
    assert AuditEntry.objects.get(object_type="picture.areashape").actor is None


def test_cli_lists_every_error_and_writes_nothing(capsys, tmp_path, areas):
    path = tmp_path / "ranh-gioi.geojson"
    path.write_bytes(collection(feature("Tổ dân phố 1", kind="MultiPolygon"),
                                {**feature("Tổ dân phố 2"), "geometry": {"type": "Point",
                                                                         "coordinates": [1, 2]}},
                                feature("Tổ dân phố 5")))
    code, out, err = run(capsys, "areas", "import", str(path))
    assert code == 1 and err == ""
    lines = out.strip().splitlines()
    assert lines[0].startswith("Đối tượng 2 (Tổ dân phố 2): kiểu hình “Point”")
    assert lines[1].startswith("Đối tượng 3 (Tổ dân phố 5): không có tổ dân phố tên")
    assert lines[2].startswith("Kết quả: Tệp ranh giới có 2 lỗi; chưa ghi ranh giới nào.")
    assert not AreaShape.objects.exists()


def test_cli_refuses_a_missing_file_on_one_line(capsys, tmp_path, db):
    code, out, err = run(capsys, "areas", "import", str(tmp_path / "khong-co.geojson"))
    assert code == 2 and err.startswith("Lỗi: không tìm thấy tệp") and len(err.splitlines()) == 1


def test_cli_generates_demo_shapes(capsys, areas):
    code, out, err = run(capsys, "areas", "shapes", "--demo")
    assert code == 0 and "Đã sinh ranh giới minh họa cho 3 tổ dân phố." in out
    assert AreaShape.objects.filter(origin=AreaShape.Origin.GENERATED).count() == 3
    code, _, err = run(capsys, "areas", "shapes")
    assert code == 2 and "--demo" in err
