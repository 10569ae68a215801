"""The ``longdan`` command: demo data, the server, the background worker, compliance,
consolidation, the text engine and survey statistics on files.

For IT staff and automation. It works on the same database as the app (by default the SQLite file
in ``var/``; ``--database-url`` or ``DATABASE_URL`` picks another). Every failure the user can
cause (a malformed period, an unknown unit or template, a missing file, a database not set up)
ends with one line on stderr, ``Lỗi: …``, and exit code 2, never a traceback; set
``LONGDAN_TRACEBACK=1`` to see one for an unexpected error.

Each command module names itself in :data:`COMMANDS` and has ``register(commands)``, which adds
its sub-commands to ``commands`` (the top-level sub-parsers; a family such as ``text`` or
``survey`` comes from :func:`longdan.commands.parser.group`) and gives each one
``set_defaults(handler=..., needs_django=...)``. ``handler(args)`` returns the exit code; with
``needs_django=True`` Django is set up (``--database-url``) before it runs. Modules import Django,
and anything heavy, inside their handlers, so that ``--help`` and the file-only commands stay
light.
"""

from __future__ import annotations

import importlib
import os
import sys

from longdan.commands.parser import CliError, VietnameseParser, fail

# The command modules of longdan.commands, in the order --help lists them.
COMMANDS = (
    "demo", "serve", "reporting", "picture", "evaluation", "areas", "monitor", "text", "surveys",
    "surveystats", "consult", "backup", "privacy",
)


def build_parser() -> VietnameseParser:
    parser = VietnameseParser(
        prog="longdan",
        description="Lòng Dân — công cụ dòng lệnh cho cán bộ kỹ thuật: dữ liệu mẫu, chạy máy"
        " chủ, tác vụ nền, tỷ lệ nộp báo cáo, báo cáo tổng hợp.",
    )
    parser.add_argument(
        "--database-url", metavar="URL",
        help="cơ sở dữ liệu cần dùng, ví dụ postgres://user@127.0.0.1:5432/longdan"
        " (mặc định: biến DATABASE_URL, hoặc tệp SQLite trong thư mục var/)",
    )
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", title="các lệnh",
                                     parser_class=VietnameseParser)
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except CliError as exc:
        return fail(str(exc))
    except SystemExit as exc:  # --help prints and exits 0
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        if args.needs_django:
            from longdan.commands.database import setup_django

            setup_django(args.database_url)
        return args.handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (say ``| head``) went away; that is not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except CliError as exc:
        return fail(str(exc))
    except Exception as exc:  # noqa: BLE001 - the promise is one line, never a traceback
        if os.environ.get("LONGDAN_TRACEBACK"):
            raise
        return fail(_describe(exc))


def _describe(exc: Exception) -> str:
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "django" in sys.modules:  # only the commands that set Django up can meet its errors
        from django.core.exceptions import ImproperlyConfigured
        from django.db import DatabaseError

        if isinstance(exc, DatabaseError):
            return f"cơ sở dữ liệu báo lỗi: {detail}"
        if isinstance(exc, ImproperlyConfigured):
            return f"cấu hình chưa đúng: {detail}"
    if isinstance(exc, OSError):
        return f"không đọc/ghi được tệp: {detail}"
    return f"lỗi không mong đợi ({type(exc).__name__}): {detail}. Chạy lại với LONGDAN_TRACEBACK=1"
