"""``longdan backup`` and ``longdan restore``: backups that restore (issue 10; core.backup).

``longdan backup --out DIR`` writes ``DIR/longdan-YYYYMMDD-HHMMSS.tar.gz`` while the app runs;
``longdan restore FILE`` restores it into an empty database, checked against its manifest, or
refuses with nothing written.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from longdan.commands.parser import CliError, out, refusing

EXIT_OK = 0


def register(commands) -> None:
    backup = commands.add_parser(
        "backup", help="sao lưu cơ sở dữ liệu và mô hình văn bản vào một tệp (an toàn khi đang"
        " chạy)",
        description="Sao lưu nhất quán khi ứng dụng đang chạy (SQLite: sao lưu trực tuyến;"
        " PostgreSQL: pg_dump) cùng các mô hình văn bản đã huấn luyện (var/models), kèm tệp kê"
        " khai số dòng và mã kiểm tra từng bảng. Không sao lưu khóa bí mật (var/secret_key):"
        " ai có khóa là ký được phiên đăng nhập, mà tệp sao lưu thường đi xa hơn máy chủ; hãy"
        " giữ khóa riêng (hoặc đặt SECRET_KEY trên máy chủ mới, mọi người đăng nhập lại).",
    )
    backup.add_argument("--out", metavar="THƯ_MỤC", required=True,
                        help="thư mục ghi tệp longdan-YYYYMMDD-HHMMSS.tar.gz")
    backup.add_argument("--json", action="store_true", help="in tóm tắt dạng JSON")
    backup.set_defaults(handler=cmd_backup, needs_django=True)

    restore = commands.add_parser(
        "restore", help="phục hồi một tệp sao lưu vào cơ sở dữ liệu trống",
        description="Phục hồi tệp sao lưu của `longdan backup` vào một cơ sở dữ liệu trống"
        " (SQLite: chưa có tệp hoặc tệp không có dữ liệu; PostgreSQL: cơ sở dữ liệu mới tạo bằng"
        " createdb). Kiểm tra tệp kê khai, mã kiểm tra và số dòng từng bảng trước khi đặt vào chỗ;"
        " tệp hỏng hoặc không phải của Lòng Dân thì từ chối, không ghi gì. Nên dừng ứng dụng trước"
        " khi phục hồi.",
    )
    restore.add_argument("file", metavar="TỆP", help="tệp sao lưu (.tar.gz)")
    # The same destination as `longdan --database-url`; SUPPRESS keeps that one when not given.
    restore.add_argument("--database-url", dest="database_url", metavar="URL",
                         default=argparse.SUPPRESS,
                         help="cơ sở dữ liệu đích (mặc định như mọi lệnh: DATABASE_URL hoặc"
                         " tệp SQLite trong var/)")
    restore.set_defaults(handler=cmd_restore, needs_django=True)


@refusing("core.errors.ServiceError")
def cmd_backup(args) -> int:
    from core import backup

    out_dir = Path(args.out).expanduser()
    if not out_dir.is_dir():
        raise CliError(f"không tìm thấy thư mục '{args.out}'.")
    result = backup.create_backup(out_dir)
    summary = result.summary()
    if args.json:
        out(json.dumps(summary, ensure_ascii=False, indent=2))
        return EXIT_OK
    out(f"Đã sao lưu vào {summary['path']}")
    out(f"{summary['tables']} bảng, {summary['rows']} dòng, {summary['files']} tệp,"
        f" {summary['bytes'] / 1048576:.1f} MB ({summary['vendor']}).")
    return EXIT_OK


@refusing("core.errors.ServiceError")
def cmd_restore(args) -> int:
    from core import backup

    manifest = backup.restore_backup(Path(args.file).expanduser())
    rows = sum(t["rows"] for t in manifest["tables"].values())
    out(f"Đã phục hồi bản sao lưu lúc {manifest['created_at']}: {len(manifest['tables'])} bảng,"
        f" {rows} dòng, khớp tệp kê khai.")
    return EXIT_OK
