"""pyxform in a limited child process (issue 16): same result, and a refusal when it costs too
much, never a crash of the caller."""

from __future__ import annotations

import datetime as dt

from odk import isolated
from odk.tests import builder
from odk.xlsform import convert_xlsform

NOW = dt.datetime(2026, 12, 4, 9, 30)


def test_the_child_returns_what_the_conversion_returns():
    content = builder.standard_xlsx()
    direct = convert_xlsform(content, "chuan.xlsx", now=NOW)
    child = isolated.convert_isolated(content, "chuan.xlsx", now=NOW)
    assert child.ok and direct.ok
    assert child.as_dict(include_xform=True) == direct.as_dict(include_xform=True)
    assert child.definition == direct.definition and child.concepts == direct.concepts


def test_errors_come_back_with_their_place():
    content = builder.xlsx_bytes(
        survey=[["type", "name", "label", "relevant"],
                ["text", "a", "A", "foo(${a})"]],
        settings=[["form_id", "version"], ["f", "1"]],
    )
    result = isolated.convert_isolated(content, "f.xlsx", now=NOW)
    assert not result.ok
    [error] = result.errors
    assert (error.sheet, error.row, error.column) == ("survey", 2, "relevant")


def test_a_conversion_out_of_memory_is_a_refusal():
    result = isolated.convert_isolated(builder.standard_xlsx(), "chuan.xlsx", now=NOW,
                                       memory_bytes=40 * 1024 * 1024)
    assert not result.ok
    assert "quá nhiều thời gian hoặc bộ nhớ" in result.errors[0].message
    assert "vượt bộ nhớ" in result.errors[0].message


def test_a_conversion_out_of_time_is_a_refusal(monkeypatch):
    monkeypatch.setattr(isolated, "WALL_SECONDS", 0.01)
    result = isolated.convert_isolated(builder.standard_xlsx(), "chuan.xlsx", now=NOW)
    assert not result.ok and "quá thời gian" in result.errors[0].message
