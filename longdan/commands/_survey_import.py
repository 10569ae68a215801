"""Transitional: ``longdan survey import`` through ``surveys/cli.py`` until that file moves here
as ``longdan/commands/surveys.py`` (then delete this module and name "surveys" in COMMANDS)."""

from __future__ import annotations

import argparse

from longdan.commands.parser import group


def register(commands) -> None:
    imp = group(commands, "survey").add_parser(
        "import", help="kiểm tra một tệp XLSForm (.xlsx/.xls), in lỗi và cảnh báo",
        description="Kiểm tra tệp XLSForm bằng pyxform: mỗi lỗi, cảnh báo ghi rõ trang, dòng,"
        " cột. Mã thoát 1 nếu biểu mẫu có lỗi. Với --survey: lưu thành phiên bản mới của cuộc"
        " khảo sát đó.",
    )
    imp.add_argument("file", metavar="TỆP", help="tệp XLSForm .xlsx hoặc .xls")
    imp.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    imp.add_argument("--survey", metavar="MÃ", help="mã (slug) cuộc khảo sát để lưu phiên bản")
    imp.add_argument("--user", metavar="TÊN", help="tài khoản Ban Xây dựng Đảng thực hiện "
                     "(bắt buộc khi có --survey)")
    # SUPPRESS: when not given here, ``longdan --database-url URL survey import …`` keeps URL.
    imp.add_argument("--database-url", default=argparse.SUPPRESS,
                     help="cơ sở dữ liệu (mặc định: DATABASE_URL)")
    imp.set_defaults(handler=cmd_import, needs_django=False)


def cmd_import(args) -> int:
    from surveys.cli import cmd_import

    return cmd_import(args)
