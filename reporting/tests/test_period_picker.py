"""The consolidation form's period picker (issue 17): kind, then month / half / year selects; no
browser "Please match the requested format.", a Vietnamese message naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from reporting.models import ConsolidatedReport
from reporting.periods import PeriodError, code_from_picker, picker_initial

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("data", "code"), [
    ({"period_kind": "month", "period_year": "2026", "period_month": "11"}, "2026-11"),
    ({"period_kind": "month", "period_year": "2026", "period_month": "3"}, "2026-03"),
    ({"period_kind": "half", "period_year": "2026", "period_half": "H2",
      "period_month": "3"}, "2026-H2"),
    ({"period_kind": "year", "period_year": "2026", "period_month": "3"}, "2026"),
    ({"period": " 2025-H1 "}, "2025-H1"),  # a client without the picker posts the code
])
def test_the_picker_makes_the_codes_the_views_read(data, code):
    assert code_from_picker(data) == code


@pytest.mark.parametrize(("data", "message"), [
    ({"period_kind": "quarter", "period_year": "2026"}, "Kỳ báo cáo: chọn loại kỳ"),
    ({"period_kind": "month", "period_year": ""}, "Kỳ báo cáo: chọn năm."),
    ({"period_kind": "month", "period_year": "2026"}, "Kỳ báo cáo: chọn tháng."),
    ({"period_kind": "half", "period_year": "2026", "period_half": "H3"},
     "Kỳ báo cáo: chọn 6 tháng đầu năm hoặc 6 tháng cuối năm."),
])
def test_a_missing_choice_is_named(data, message):
    with pytest.raises(PeriodError, match=message):
        code_from_picker(data)


def test_the_picker_starts_on_last_month():
    january = picker_initial(dt.date(2027, 1, 10))
    assert (january["kind"], january["year"], january["month"]) == ("month", 2026, 12)
    assert 2026 in january["years"] and 2027 in january["years"]


@time_machine.travel(dt.datetime(2025, 12, 5, 9, 0, tzinfo=dt.UTC), tick=False)
def test_the_page_shows_the_picker_and_no_free_text_pattern(client, vanphong):
    client.force_login(vanphong)
    html = client.get(reverse("consolidated_list")).content.decode()
    assert "pattern=" not in html and 'name="period_kind"' in html
    assert '<option value="11" selected>Tháng 11</option>' in html
    assert '<option value="2025" selected>2025</option>' in html
    assert "6 tháng cuối năm" in html and "js/period_picker.js" in html


@pytest.mark.parametrize(("picked", "code"), [
    ({"period_kind": "month", "period_month": "11"}, "2025-11"),
    ({"period_kind": "half", "period_half": "H2"}, "2025-H2"),
    ({"period_kind": "year"}, "2025"),
])
def test_generating_from_the_picker(client, vanphong, monthly, picked, code):
    client.force_login(vanphong)
    response = client.post(reverse("consolidated_generate"), {"period_year": "2025", **picked})
    assert response.status_code == 302
    assert ConsolidatedReport.objects.get().period.code == code


def test_a_missing_month_is_told_in_vietnamese(client, vanphong, monthly):
    client.force_login(vanphong)
    response = client.post(reverse("consolidated_generate"),
                           {"period_kind": "month", "period_year": "2025"}, follow=True)
    assert "Kỳ báo cáo: chọn tháng." in response.content.decode()
    assert not ConsolidatedReport.objects.exists()
