"""The one Vietnamese argparse of every ``longdan`` command (pure: no Django, safe for file-only
commands).

The parser raises :class:`CliError` instead of printing English and exiting; ``longdan.commands``
prints it as one line ``Lỗi: …`` and exits 2. A handler raises :class:`CliError` for any mistake
the user can fix. :func:`group` gives a command family (``longdan text …``, ``longdan survey …``)
whose sub-commands several modules may add to.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import sys
from pathlib import Path

_PHRASES = [
    ("the following arguments are required", "thiếu tham số bắt buộc"),
    ("unrecognized arguments", "tham số không nhận ra"),
    ("invalid choice", "lựa chọn không hợp lệ"),
    ("choose from", "chọn một trong"),
    ("expected one argument", "cần một giá trị"),
    ("invalid int value", "không phải số nguyên"),
    ("invalid float value", "không phải số"),
    ("not allowed with argument", "không dùng cùng"),
    ("argument ", "tham số "),
]


class CliError(Exception):
    """A refusal to print on one line."""


def vietnamese(message: str) -> str:
    """argparse's English error phrases, in Vietnamese."""
    for english, translated in _PHRASES:
        message = message.replace(english, translated)
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        # argparse passes prefix="" when it builds a sub-command's prog; keep that one bare.
        return super().add_usage(usage, actions, groups,
                                 "Cách dùng: " if prefix is None else prefix)


class VietnameseParser(argparse.ArgumentParser):
    """An argparse parser that speaks Vietnamese and raises instead of exiting on bad input."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "đối số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này rồi thoát")

    def error(self, message: str):
        raise CliError(f"{vietnamese(message)} (xem: {self.prog} --help)")


# The command families: ``longdan NAME LỆNH …``, whose sub-commands come from several modules.
# ``required``: ``longdan NAME`` alone is an error (exit 2); otherwise it prints the family's help.
FAMILIES = {
    "text": dict(
        help="phân tích văn bản: train, eval, classify, group, remask (longdan text --help)",
        description="Bộ máy phân tích văn bản tiếng Việt.",
        required=True,
    ),
    "survey": dict(
        help="khảo sát: import (XLSForm), weigh, estimate (longdan survey --help)",
        description="Khảo sát dư luận: kiểm tra/nạp bảng hỏi XLSForm, tính trọng số, ước lượng.",
        required=False,
    ),
    "report": dict(
        help="báo cáo đơn vị: propose (đề xuất luồng ý kiến từ ý kiến đã ghi nhận;"
        " longdan report --help)",
        description="Báo cáo tháng của đơn vị.",
        required=True,
    ),
    "consult": dict(
        help="lấy ý kiến dự thảo: split (tách chương, điều, khoản, điểm; longdan consult --help)",
        description="Lấy ý kiến góp ý dự thảo văn bản theo từng điều, khoản.",
        required=True,
    ),
    "audit": dict(
        help="nhật ký hệ thống: verify (kiểm tra chuỗi mã băm; longdan audit --help)",
        description="Nhật ký hệ thống (core.auditchain): kiểm tra không dòng nào bị sửa, xóa"
        " hay chèn thêm.",
        required=True,
    ),
    "data-key": dict(
        help="khóa mã hóa thông tin liên hệ của người dân: new, status, rotate",
        description="Khóa mã hóa thông tin liên hệ của người dân (LONGDAN_DATA_KEY_FILE,"
        " LONGDAN_DATA_KEY, hoặc var/data_key); xem docs/PRIVACY.md.",
        required=True,
    ),
}


def group(commands, name: str):
    """The sub-commands of the family ``name`` (see :data:`FAMILIES`), created on first use.

    Every module that adds to a family calls ``group(commands, name).add_parser(...)`` with the
    top-level ``commands`` it was given; the first call creates ``longdan NAME``, later calls get
    the same sub-commands back.
    """
    parser = commands.choices.get(name)
    if parser is None:
        family = dict(FAMILIES[name])
        required = family.pop("required")
        parser = commands.add_parser(name, **family)
        sub = parser.add_subparsers(dest=f"{name}_command", metavar="LỆNH", title="các lệnh",
                                    parser_class=VietnameseParser, required=required)
        parser.set_defaults(handler=_help_of(parser), needs_django=False)
        parser._longdan_family = sub
    return parser._longdan_family


def _help_of(parser: argparse.ArgumentParser):
    def show_help(args) -> int:
        parser.print_help()
        return 0

    return show_help


EXIT_ERROR = 2


def read_file(path: str, *, limit: int | None = None) -> bytes:
    """The bytes of the file a command names, or a one-line Vietnamese refusal (missing, a
    folder, larger than ``limit``, unreadable)."""
    file = Path(path).expanduser()
    if not file.exists():
        raise CliError(f"không tìm thấy tệp '{path}'.")
    if file.is_dir():
        raise CliError(f"'{path}' là thư mục, không phải tệp.")
    if limit is not None and file.stat().st_size > limit:
        raise CliError(f"tệp '{path}' quá lớn (tối đa {limit // 1048576} MB).")
    try:
        return file.read_bytes()
    except OSError as exc:
        raise CliError(f"không đọc được tệp '{path}': {exc.strerror or exc}.") from exc


def fail(message: str) -> int:
    """Print ``Lỗi: message`` on one line of stderr; the exit code of a refusal."""
    message = " ".join(str(message).split())  # one line, whatever the message held
    print(f"Lỗi: {message}", file=sys.stderr)
    return EXIT_ERROR


def out(text: str = "") -> None:
    """One line of a command's output, flushed (long commands report as they go)."""
    print(text, flush=True)


def refusing(*errors: type[BaseException] | str):
    """Decorate a handler: the ``errors`` it raises are the user's to fix, so become CliError
    (the error's ``message``, else its text). An error given as "package.module.Name" is imported
    only when the handler runs, so that a heavy package is not loaded for ``--help``."""

    def decorate(handler):
        @functools.wraps(handler)
        def wrapper(args):
            types = tuple(_resolve(error) for error in errors)
            try:
                return handler(args)
            except types as exc:
                raise CliError(getattr(exc, "message", None) or str(exc)) from exc

        return wrapper

    return decorate


def _resolve(error: type[BaseException] | str) -> type[BaseException]:
    if isinstance(error, str):
        module, _, name = error.rpartition(".")
        return getattr(importlib.import_module(module), name)
    return error
