"""``longdan backup``, ``longdan restore`` and ``longdan backup-key``: backups that restore
(issue 10; core.backup, core.backup_crypto, core.backup_runs).

``longdan backup --out DIR`` writes ``DIR/longdan-YYYYMMDD-HHMMSS.tar.gz`` while the app runs
(signed and encrypted, ``.tar.gz.enc``, when a backup key is set); ``longdan restore FILE``
restores it into an empty database, checked against its signed manifest, or refuses with nothing
written; ``longdan backup-key --out FILE`` makes a key.
"""

from __future__ import annotations

import argparse
import json
import os
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
    crypt = backup.add_mutually_exclusive_group()
    crypt.add_argument("--encrypt", dest="encrypt", action="store_true", default=None,
                       help="mã hóa tệp (mặc định khi đã đặt khóa LONGDAN_BACKUP_KEY_FILE hoặc"
                       " LONGDAN_BACKUP_KEY; báo lỗi nếu chưa có khóa)")
    crypt.add_argument("--no-encrypt", dest="encrypt", action="store_false",
                       help="không mã hóa dù có khóa (tệp vẫn được ký)")
    backup.set_defaults(handler=cmd_backup, needs_django=True)

    key = commands.add_parser(
        "backup-key", help="tạo khóa ngẫu nhiên để ký và mã hóa tệp sao lưu",
        description="Ghi một khóa ngẫu nhiên (256 bit) vào TỆP với quyền 0600, rồi đặt"
        " LONGDAN_BACKUP_KEY_FILE=TỆP cho ứng dụng và lệnh sao lưu. Giữ một bản khóa ở nơi khác"
        " máy chủ và khác nơi để tệp sao lưu: mất khóa là không phục hồi được bản sao lưu đã mã"
        " hóa; lộ khóa cùng tệp sao lưu là lộ dữ liệu.",
    )
    key.add_argument("--out", metavar="TỆP", required=True, help="tệp khóa mới (chưa tồn tại)")
    key.set_defaults(handler=cmd_backup_key, needs_django=False)

    restore = commands.add_parser(
        "restore", help="phục hồi một tệp sao lưu vào cơ sở dữ liệu trống",
        description="Phục hồi tệp sao lưu của `longdan backup` vào một cơ sở dữ liệu trống"
        " (SQLite: chưa có tệp hoặc tệp không có dữ liệu; PostgreSQL: cơ sở dữ liệu mới tạo bằng"
        " createdb). Kiểm tra tệp kê khai, mã kiểm tra và số dòng từng bảng trước khi đặt vào chỗ;"
        " tệp hỏng, bị sửa, sai khóa hoặc không phải của Lòng Dân thì từ chối, không ghi gì. Từ"
        " chối khi ứng dụng đang chạy trên cùng thư mục dữ liệu: hãy dừng ứng dụng trước.",
    )
    restore.add_argument("file", metavar="TỆP", help="tệp sao lưu (.tar.gz hoặc .tar.gz.enc)")
    restore.add_argument("--allow-unsigned", action="store_true",
                         help="nhận tệp không có chữ ký dù máy này đã đặt khóa sao lưu (tệp tạo"
                         " trước khi có khóa)")
    # The same destination as `longdan --database-url`; SUPPRESS keeps that one when not given.
    restore.add_argument("--database-url", dest="database_url", metavar="URL",
                         default=argparse.SUPPRESS,
                         help="cơ sở dữ liệu đích (mặc định như mọi lệnh: DATABASE_URL hoặc"
                         " tệp SQLite trong var/)")
    restore.set_defaults(handler=cmd_restore, needs_django=True)


@refusing("core.errors.ServiceError")
def cmd_backup(args) -> int:
    from core import backup_runs
    from core.models import BackupRun

    out_dir = Path(args.out).expanduser()
    if not out_dir.is_dir():
        raise CliError(f"không tìm thấy thư mục '{args.out}'.")
    run = backup_runs.record(
        BackupRun.Kind.MANUAL, lambda: backup_runs.make_backup(out_dir, encrypt=args.encrypt))
    summary = run.result.summary()
    summary["seconds"] = round(run.seconds or 0, 1)
    if args.json:
        out(json.dumps(summary, ensure_ascii=False, indent=2))
        return EXIT_OK
    out(f"Đã sao lưu vào {summary['path']}")
    protection = ("đã ký và mã hóa" if summary["encrypted"] else
                  "đã ký, không mã hóa" if summary["signed"] else "không ký, không mã hóa")
    out(f"{summary['tables']} bảng, {summary['rows']} dòng, {summary['files']} tệp,"
        f" {summary['bytes'] / 1048576:.1f} MB ({summary['vendor']}; {protection}).")
    return EXIT_OK


@refusing("core.errors.ServiceError")
def cmd_restore(args) -> int:
    from core import backup, backup_crypto

    manifest = backup.restore_backup(Path(args.file).expanduser(),
                                     secret=backup_crypto.configured_secret(),
                                     allow_unsigned=args.allow_unsigned)
    rows = sum(t["rows"] for t in manifest["tables"].values())
    out(f"Đã phục hồi bản sao lưu lúc {manifest['created_at']}: {len(manifest['tables'])} bảng,"
        f" {rows} dòng, khớp tệp kê khai.")
    return EXIT_OK


@refusing("core.errors.ServiceError")
def cmd_backup_key(args) -> int:
    from core import backup_crypto

    path = Path(args.out).expanduser()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise CliError(f"tệp '{path}' đã có; không ghi đè một khóa (mất khóa cũ là mất các bản"
                       " sao lưu đã mã hóa bằng nó).") from exc
    except OSError as exc:
        raise CliError(f"không ghi được tệp '{path}': {exc.strerror}.") from exc
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(backup_crypto.new_secret() + "\n")
    out(f"Đã ghi khóa sao lưu mới vào {path} (quyền 0600).")
    out(f"Đặt LONGDAN_BACKUP_KEY_FILE={path.resolve()} cho ứng dụng và lệnh sao lưu; giữ thêm"
        " một bản khóa ở nơi an toàn khác máy chủ.")
    return EXIT_OK
