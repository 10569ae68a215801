"""The registry of sections the apps above reporting add to the consolidated report."""

import datetime as dt

import pytest

from reporting import extensions
from reporting.periods import parse_period
from reporting.services import consolidation as cs


@pytest.fixture
def section():
    calls = []

    def provider(start, end, unit_ids):
        calls.append((start, end, unit_ids))
        return ["- Dòng thứ nhất.", "", "- Dòng thứ hai."]

    extensions.register_section("thu_nghiem", "Phần thử nghiệm", provider)
    yield calls
    extensions.unregister_section("thu_nghiem")


def test_a_registered_section_is_drafted_into_the_report(section, vanphong, monthly):
    report = cs.generate_consolidated(user=vanphong, period=parse_period("2025-11"))
    assert section == [(dt.date(2025, 11, 1), dt.date(2025, 11, 30), None)]
    assert report.sections["thu_nghiem"] == "- Dòng thứ nhất.\n- Dòng thứ hai."
    titles = cs.section_titles(report)
    assert titles[-1] == {"key": "thu_nghiem", "title": "Phần thử nghiệm"}
    headings = [s.heading for s in cs.party_document(report).sections]
    assert any(h.endswith("PHẦN THỬ NGHIỆM") for h in headings)


def test_registering_twice_keeps_one_section_and_an_empty_one_says_so(vanphong, monthly):
    extensions.register_section("rong", "Phần rỗng", lambda s, e, u: [])
    extensions.register_section("rong", "Phần rỗng", lambda s, e, u: [])
    try:
        assert [s.key for s in extensions.registered_sections()].count("rong") == 1
        report = cs.generate_consolidated(user=vanphong, period=parse_period("2025-11"))
        assert report.sections["rong"] == extensions.EMPTY_TEXT
    finally:
        extensions.unregister_section("rong")


def test_registered_paragraphs_are_appended_to_their_drafted_section(vanphong, monthly):
    extensions.register_paragraphs("thu", "du_luan_tiem_an", lambda s, e, u: [f"Đến {e:%d/%m}."])
    extensions.register_paragraphs("khong_co", "khong_co_phan_nay", lambda s, e, u: ["X."])
    try:
        report = cs.generate_consolidated(user=vanphong, period=parse_period("2025-11"))
    finally:
        extensions.unregister_paragraphs("thu")
        extensions.unregister_paragraphs("khong_co")
    assert report.sections["du_luan_tiem_an"].endswith("\nĐến 30/11.")
    assert "khong_co_phan_nay" not in report.sections
    assert "X." not in "\n".join(report.sections.values())


def test_a_section_registered_omit_empty_appears_only_with_a_line(vanphong, monthly):
    def provider(start, end, unit_ids):
        return ["- Có việc."] if start.month == 11 else []

    extensions.register_section("hiem", "Phần hiếm", provider, omit_empty=True)
    try:
        november = cs.generate_consolidated(user=vanphong, period=parse_period("2025-11"))
        october = cs.generate_consolidated(user=vanphong, period=parse_period("2025-10"))
    finally:
        extensions.unregister_section("hiem")
    assert november.sections["hiem"] == "- Có việc."
    assert "hiem" not in october.sections
    assert "hiem" not in [t["key"] for t in cs.section_titles(october)]
