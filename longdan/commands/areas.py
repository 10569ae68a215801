"""``longdan areas``: the tổ dân phố's boundaries on the map.

``longdan areas import FILE.geojson [--name-property P]`` stores the boundaries of a GeoJSON
file, all or nothing: when the file has any problem it prints every one, feature by feature, writes
nothing and exits 1. ``longdan areas shapes --demo`` gives every area without an imported boundary
an invented one (for the demo ward: the map says they are illustrations).
"""

from __future__ import annotations

from longdan.commands.database import require_migrated
from longdan.commands.parser import CliError, VietnameseParser, out, read_file, refusing

EXIT_OK, EXIT_INVALID = 0, 1


def register(commands) -> None:
    areas = commands.add_parser(
        "areas", help="ranh giới tổ dân phố: import (GeoJSON), shapes --demo",
        description="Ranh giới các tổ dân phố dùng cho bản đồ dư luận.",
    )
    sub = areas.add_subparsers(dest="areas_command", metavar="LỆNH", title="các lệnh",
                               parser_class=VietnameseParser, required=True)

    imp = sub.add_parser(
        "import", help="nhập ranh giới từ tệp GeoJSON",
        description="Nhập ranh giới tổ dân phố từ một tệp GeoJSON (FeatureCollection gồm các"
        " Polygon/MultiPolygon, tọa độ kinh độ/vĩ độ WGS 84). Mỗi đối tượng ghi tên tổ dân phố"
        " trong một thuộc tính (tự tìm: ten, name, ten_to, ...). Tệp có lỗi thì không ghi gì, in"
        " mọi lỗi theo từng đối tượng và thoát với mã 1.",
    )
    imp.add_argument("file", metavar="TỆP.geojson", help="tệp GeoJSON cần nhập")
    imp.add_argument("--name-property", metavar="TÊN",
                     help="thuộc tính ghi tên tổ dân phố (mặc định: tự tìm)")
    imp.set_defaults(handler=cmd_import, needs_django=True)

    shapes = sub.add_parser(
        "shapes", help="sinh ranh giới minh họa cho dữ liệu mẫu (--demo)",
        description="Sinh ranh giới minh họa (không phải ranh giới thật) cho các tổ dân phố chưa"
        " có ranh giới nhập từ tệp; bản đồ ghi rõ đây là hình minh họa.",
    )
    shapes.add_argument("--demo", action="store_true", required=True,
                        help="xác nhận sinh ranh giới minh họa (chỉ dùng cho dữ liệu mẫu)")
    shapes.set_defaults(handler=cmd_shapes, needs_django=True)


def _read(path: str) -> bytes:
    from picture.services import MAX_GEOJSON_BYTES

    return read_file(path, limit=MAX_GEOJSON_BYTES)


@refusing("core.errors.ServiceError")
def cmd_import(args) -> int:
    require_migrated()
    from picture import services

    data = _read(args.file)
    try:
        result = services.import_area_shapes(user=None, data=data,
                                             name_property=args.name_property)
    except services.ShapesRejected as exc:
        for line in exc.lines():
            out(line)
        out(f"Kết quả: {exc.message}")
        return EXIT_INVALID
    out(result.summary())
    if result.without_shape:
        out("Chưa có ranh giới: " + ", ".join(result.without_shape) + ".")
    return EXIT_OK


@refusing("core.errors.ServiceError")
def cmd_shapes(args) -> int:
    require_migrated()
    from orgs.models import Area
    from picture import services

    areas = list(Area.objects.order_by("pk"))
    if not areas:
        raise CliError("chưa có tổ dân phố nào; hãy chạy `longdan demo` hoặc thêm tổ dân phố.")
    written = services.generate_demo_shapes(areas=areas)
    kept = len(areas) - written
    out(f"Đã sinh ranh giới minh họa cho {written} tổ dân phố"
        + (f"; giữ nguyên {kept} ranh giới nhập từ tệp." if kept else "."))
    return EXIT_OK
