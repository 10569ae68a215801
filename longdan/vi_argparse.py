"""argparse in Vietnamese for every ``longdan`` command (pure: no Django, safe for file-only tools).

The parser raises :class:`CliError` instead of printing English and exiting, so each command can
print its own one-line ``Lỗi: …`` and choose its exit code.
"""

from __future__ import annotations

import argparse

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
