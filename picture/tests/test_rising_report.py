"""The picture's rising topics in the consolidated report (``picture.rising_report``)."""

import datetime as dt

import pytest

from picture import rising_report
from reporting import extensions

pytestmark = pytest.mark.django_db


def test_registered_for_the_latent_section():
    registered = extensions._PARAGRAPHS[rising_report.PARAGRAPHS_KEY]
    assert registered.section_key == "du_luan_tiem_an"
    assert registered.provider is rising_report.rising_lines


def test_nothing_rising_adds_nothing_and_a_future_period_is_skipped(monkeypatch):
    monkeypatch.setattr(rising_report, "rising_now", lambda day: [])
    assert rising_report.rising_lines(dt.date(2026, 11, 1), dt.date(2026, 11, 30)) == []
    far = dt.date(2999, 1, 1)
    assert rising_report.rising_lines(far, far) == []


def test_each_rising_row_with_its_reason(monkeypatch):
    rows = [
        {
            "kind_label": "tổ dân phố",
            "name": "Tổ dân phố An Lư 1",
            "reason": "10 ý kiến trong 7 ngày; bình thường 0–2",
        },
        {
            "kind_label": "chủ đề",
            "name": "Đời sống",
            "reason": "19 ý kiến trong 7 ngày; bình thường 0–6",
        },
    ]
    monkeypatch.setattr(rising_report, "rising_now", lambda day: rows)
    [line] = rising_report.rising_lines(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert line == (
        "Theo ý kiến nhân dân ghi nhận từ 24/11 đến 30/11/2026, đang tăng vượt mức"
        " bình thường: Tổ dân phố An Lư 1 (10 ý kiến trong 7 ngày; bình thường 0–2);"
        " chủ đề Đời sống (19 ý kiến trong 7 ngày; bình thường 0–6)."
    )
