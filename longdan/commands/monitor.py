"""``longdan monitor``: the press and social-network monitoring desk (issue 9).

``longdan monitor source add --name NAME --url URL [--kind rss|atom|sitemap|page]`` registers a
source (its kind detected from what the address returns when left out); ``longdan monitor fetch
[--json]`` fetches every active source once (a failing source gets its error and the others go
on); ``longdan monitor export --out FILE.jsonl`` writes one JSON object a line per stored mention.
"""

from __future__ import annotations

import json
from pathlib import Path

from longdan.commands.database import require_migrated
from longdan.commands.parser import CliError, VietnameseParser, out, refusing

KINDS = ("rss", "atom", "sitemap", "page")


def register(commands) -> None:
    monitor = commands.add_parser(
        "monitor",
        help="theo dõi báo chí, mạng xã hội: source add, fetch, export",
        description="Theo dõi báo chí, mạng xã hội: nguồn tin, lấy tin, xuất tin đã lưu.",
    )
    sub = monitor.add_subparsers(
        dest="monitor_command",
        metavar="LỆNH",
        title="các lệnh",
        parser_class=VietnameseParser,
        required=True,
    )

    source = sub.add_parser(
        "source", help="quản lý nguồn tin: add", description="Quản lý nguồn tin được theo dõi."
    )
    source_sub = source.add_subparsers(
        dest="source_command",
        metavar="LỆNH",
        title="các lệnh",
        parser_class=VietnameseParser,
        required=True,
    )
    add = source_sub.add_parser(
        "add",
        help="thêm một nguồn tin",
        description="Thêm một nguồn tin (RSS, Atom, sơ đồ trang hoặc trang đơn). Bỏ trống --kind"
        " thì loại nguồn được nhận ra từ nội dung địa chỉ trả về.",
    )
    add.add_argument("--name", required=True, metavar="TÊN", help="tên nguồn tin")
    add.add_argument("--url", required=True, metavar="ĐỊA_CHỈ", help="địa chỉ http(s) của nguồn")
    add.add_argument("--kind", choices=KINDS, help="loại nguồn (mặc định: tự nhận ra)")
    add.set_defaults(handler=cmd_source_add, needs_django=True)

    fetch = sub.add_parser(
        "fetch",
        help="lấy tin từ mọi nguồn đang theo dõi (một lần)",
        description="Lấy tin từ mọi nguồn đang theo dõi, một lần. Nguồn lỗi được ghi lỗi, các"
        " nguồn khác vẫn được lấy.",
    )
    fetch.add_argument(
        "--json",
        action="store_true",
        help="in kết quả dạng JSON (new, duplicates, errors và theo từng nguồn)",
    )
    fetch.set_defaults(handler=cmd_fetch, needs_django=True)

    export = sub.add_parser(
        "export",
        help="xuất mọi tin đã lưu ra tệp JSON Lines",
        description="Xuất mọi tin đã lưu ra tệp JSON Lines, mỗi dòng một tin.",
    )
    export.add_argument("--out", required=True, metavar="TỆP.jsonl", help="tệp cần ghi")
    export.set_defaults(handler=cmd_export, needs_django=True)


@refusing("core.errors.ServiceError")
def cmd_source_add(args) -> int:
    require_migrated()
    from monitoring import services

    source = services.add_source(actor=None, name=args.name, url=args.url, kind=args.kind)
    out(f"Đã thêm nguồn tin '{source.name}' ({source.get_kind_display()}): {source.url}")
    return 0


def cmd_fetch(args) -> int:
    require_migrated()
    from monitoring import services

    result = services.fetch_all()
    if args.json:
        out(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    for name, tally in result["sources"].items():
        line = f"{name}: {tally['new']} tin mới, {tally['duplicates']} tin trùng"
        if tally["errors"]:
            line += f", {tally['errors']} lỗi ({tally['error']})"
        out(line)
    out(
        f"Tổng cộng: {result['new']} tin mới, {result['duplicates']} tin trùng,"
        f" {result['errors']} lỗi."
    )
    return 0


def cmd_export(args) -> int:
    path = Path(args.out).expanduser()
    if path.suffix.lower() != ".jsonl":
        raise CliError(f"tệp xuất phải có đuôi .jsonl: '{args.out}'.")
    if not path.parent.is_dir():
        raise CliError(f"không có thư mục '{path.parent}'.")
    require_migrated()
    from monitoring.selectors import export_rows

    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for row in export_rows():
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    out(f"Đã xuất {count} tin vào {path}.")
    return 0
