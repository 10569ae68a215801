"""``longdan monitor``: the press and social-network monitoring desk (issue 9).

``longdan monitor source add --name NAME --url URL [--kind rss|atom|sitemap|page]`` registers a
source (its kind detected from what the address returns when left out; ``--kind export`` is a
source whose posts arrive as files, ``--url`` optional); ``longdan monitor fetch [--json]``
fetches every active source once (a failing source gets its error and the others go on);
``longdan monitor import FILE --source NAME [--json]`` imports a social-network export (CSV, JSON,
XLSX) with the source's saved columns or guessed ones; ``longdan monitor export --out
FILE.jsonl`` writes one JSON object a line per stored mention.
"""

from __future__ import annotations

import json
from pathlib import Path

from longdan.commands.database import require_migrated
from longdan.commands.parser import CliError, VietnameseParser, out, refusing

KINDS = ("rss", "atom", "sitemap", "page", "export")
SHOWN_ERRORS = 50  # refused rows listed by ``monitor import`` (all of them with --json)


def register(commands) -> None:
    monitor = commands.add_parser(
        "monitor",
        help="theo dõi báo chí, mạng xã hội: source add, fetch, import, export",
        description="Theo dõi báo chí, mạng xã hội: nguồn tin, lấy tin, nhập tệp xuất mạng xã"
        " hội, xuất tin đã lưu.",
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
        description="Thêm một nguồn tin (RSS, Atom, sơ đồ trang, trang đơn, hoặc nguồn tệp xuất"
        " mạng xã hội: --kind export). Bỏ trống --kind thì loại nguồn được nhận ra từ nội dung"
        " địa chỉ trả về.",
    )
    add.add_argument("--name", required=True, metavar="TÊN", help="tên nguồn tin")
    add.add_argument(
        "--url",
        metavar="ĐỊA_CHỈ",
        help="địa chỉ http(s) của nguồn (bắt buộc, trừ nguồn tệp xuất --kind export)",
    )
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

    imported = sub.add_parser(
        "import",
        help="nhập tệp xuất mạng xã hội (CSV, JSON, XLSX) vào một nguồn",
        description="Nhập bài đăng, bình luận từ tệp xuất (Facebook, YouTube, TikTok, đơn vị theo"
        " dõi mạng xã hội) vào một nguồn tệp xuất. Các cột được ghép theo cách đã lưu cho nguồn,"
        " chưa có thì đoán theo tên cột. Nhập lại cùng một tệp không thêm tin nào.",
    )
    imported.add_argument("file", metavar="TỆP", help="tệp .csv, .json hoặc .xlsx")
    imported.add_argument(
        "--source", required=True, metavar="TÊN", help="tên nguồn tệp xuất (--kind export)"
    )
    imported.add_argument(
        "--json", action="store_true", help="in kết quả dạng JSON (new, duplicates, errors…)"
    )
    imported.set_defaults(handler=cmd_import, needs_django=True)

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

    if not args.url and args.kind != "export":
        raise CliError("cần --url (chỉ nguồn tệp xuất --kind export được bỏ trống địa chỉ).")
    source = services.add_source(actor=None, name=args.name, url=args.url or "", kind=args.kind)
    where = f": {source.url}" if source.url else "."
    out(f"Đã thêm nguồn tin '{source.name}' ({source.get_kind_display()}){where}")
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


@refusing("core.errors.ServiceError")
def cmd_import(args) -> int:
    path = Path(args.file).expanduser()
    if not path.is_file():
        raise CliError(f"không có tệp '{args.file}'.")
    from documents.archive import vn_int
    from documents.tabular import MAX_BYTES

    if path.stat().st_size > MAX_BYTES:
        raise CliError(
            f"tệp quá lớn ({vn_int(path.stat().st_size // 1024)} KB; tối đa"
            f" {MAX_BYTES // (1024 * 1024)} MB): hãy chia thành nhiều tệp nhỏ hơn."
        )
    require_migrated()
    from monitoring import imports

    result = imports.import_file(
        actor=None, source_name=args.source, file_name=path.name, data=path.read_bytes()
    )
    if args.json:
        out(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    for note in result["notes"]:
        out(f"Lưu ý: {note}")
    for message in result["messages"][:SHOWN_ERRORS]:
        out(message)
    if len(result["messages"]) > SHOWN_ERRORS:
        out(f"… và {len(result['messages']) - SHOWN_ERRORS} dòng lỗi khác (xem --json).")
    out(
        f"Nguồn {args.source}: {result['new']} tin mới, {result['duplicates']} tin trùng,"
        f" {result['errors']} dòng lỗi."
    )
    return 0


def cmd_export(args) -> int:
    path = Path(args.out).expanduser()
    if path.suffix.lower() != ".jsonl":
        raise CliError(f"tệp xuất phải có đuôi .jsonl: '{args.out}'.")
    if not path.parent.is_dir():
        raise CliError(f"không có thư mục '{path.parent}'.")
    require_migrated()
    from django.db import transaction

    from core.models import AuditEntry
    from core.services import audit
    from monitoring.selectors import export_rows

    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for row in export_rows():
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    with transaction.atomic():
        # Posts' text and links can lead to their authors: personal data (docs/PRIVACY.md).
        audit(actor=None, action=AuditEntry.Action.EXPORT, object_type="monitoring.mention",
              summary=f"Xuất {count} tin ra tệp JSON Lines bằng dòng lệnh ({path.name})",
              data={"rows": count, "personal": True, "via": "cli"})
    out(f"Đã xuất {count} tin vào {path}.")
    return 0
