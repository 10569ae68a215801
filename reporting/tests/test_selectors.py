import datetime as dt

import pytest
from django.http import Http404

from reporting import services
from reporting.periods import parse_period
from reporting.selectors import compliance_for, get_report_for, reports_visible_to


@pytest.fixture
def reports(an, binh, cell_a, cell_b, monthly, full_sections):
    period = services.ensure_period(parse_period("2025-11"))
    made = {}
    for user, unit in ((an, cell_a), (binh, cell_b)):
        made[unit.code] = services.save_draft(
            user=user,
            template=monthly,
            period=period,
            unit=unit,
            sections=full_sections,
            streams=None,
            expected_version=None,
        )
    return made


def test_reporter_sees_only_own_unit_and_gets_not_found_for_others(an, reports):
    assert list(reports_visible_to(an)) == [reports["chi-bo-1"]]
    with pytest.raises(Http404):
        get_report_for(an, reports["chi-bo-2"].pk)


def test_office_and_leader_see_every_report(vanphong, lanhdao, reports):
    assert reports_visible_to(vanphong).count() == 2
    assert reports_visible_to(lanhdao).count() == 2


def test_compliance_names_missing_units_and_skips_closed_ones(vanphong, an, monthly, reports):
    services.submit_report(user=an, report=reports["chi-bo-1"], expected_version=1)
    view = compliance_for(
        vanphong, template=monthly, period=parse_period("2025-11"), today=dt.date(2026, 1, 5)
    )
    data = view.as_dict()
    assert data["expected"] == 2  # the dissolved cell closed in September
    assert data["submitted"] == 1
    assert data["missing_units"] == ["Chi bộ Tổ dân phố 2"]
    assert len(data["trend"]) == 12
    september = next(p for p in data["trend"] if p["period"] == "2025-09")
    assert september["expected"] == 3


def test_months_before_the_template_took_effect_are_not_expected(vanphong, monthly, reports):
    monthly.effective_from = dt.date(2025, 10, 1)
    monthly.save()
    data = compliance_for(
        vanphong, template=monthly, period=parse_period("2025-11"), today=dt.date(2026, 1, 5)
    ).as_dict()
    by_code = {p["period"]: p for p in data["trend"]}
    assert by_code["2025-09"]["expected"] == 0
    assert by_code["2025-10"]["expected"] == 2
