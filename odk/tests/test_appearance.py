"""Long choice lists become a searchable dropdown at import (issue 17)."""

from __future__ import annotations

from odk.tests import builder
from odk.xlsform import convert_xlsform


def _form(extra_head=(), area_row=()) -> bytes:
    head = ["type", "name", "label", *extra_head]
    return builder.xlsx_bytes(
        survey=[
            head,
            ["select_one areas", "to_dan_pho", "Tổ dân phố", *area_row],
            ["select_one yn", "dong_y", "Đồng ý?", *([""] * len(extra_head))],
            ["begin_group", "g", "Nhóm", *([""] * len(extra_head))],
            ["select_multiple areas", "noi_khac", "Nơi khác", *([""] * len(extra_head))],
            ["end_group", "", "", *([""] * len(extra_head))],
        ],
        choices=[["list_name", "name", "label"],
                 *[["areas", f"to_{n}", f"Tổ dân phố An Lư {n}"] for n in range(1, 66)],
                 ["yn", "co", "Có"], ["yn", "khong", "Không"]],
        settings=[["form_id", "version"], ["f", "1"]],
    )


def _appearances(result) -> dict[str, str]:
    found = {}

    def walk(children):
        for child in children:
            found[child.get("name")] = (child.get("control") or {}).get("appearance", "")
            walk(child.get("children") or [])

    walk(result.definition["children"])
    return found


def test_a_long_list_searches_and_a_short_one_stays_buttons():
    result = convert_xlsform(_form(), "f.xlsx")
    assert result.ok, result.errors
    shown = _appearances(result)
    assert shown["to_dan_pho"] == "autocomplete" and shown["noi_khac"] == "autocomplete"
    assert shown["dong_y"] == ""
    assert 'appearance="autocomplete"' in result.xform


def test_the_authors_appearance_is_kept():
    result = convert_xlsform(_form(extra_head=["appearance"], area_row=["minimal"]), "f.xlsx")
    assert _appearances(result)["to_dan_pho"] == "minimal"
