import datetime as dt

from reporting import compliance as calc

NOV = calc.PeriodInfo(
    "2025-11", "Tháng 11/2025", dt.date(2025, 11, 1), dt.date(2025, 11, 30), dt.date(2025, 11, 25)
)


def unit(pk, opened=dt.date(2025, 7, 1), closed=None, parent=1):
    return calc.UnitInfo(pk, f"Chi bộ {pk}", parent, opened, closed)


def test_statuses_before_and_after_the_deadline():
    before, after = dt.date(2025, 11, 20), dt.date(2025, 11, 26)
    draft = calc.ReportInfo("draft", None)
    assert calc.unit_status(None, NOV.deadline, before) == calc.NOT_STARTED
    assert calc.unit_status(draft, NOV.deadline, before) == calc.DRAFT
    assert calc.unit_status(None, NOV.deadline, after) == calc.MISSING
    assert calc.unit_status(draft, NOV.deadline, after) == calc.MISSING
    assert calc.unit_status(calc.ReportInfo("returned", True), NOV.deadline, after) == calc.RETURNED


def test_submitted_status_follows_the_first_submission_timeliness():
    today = dt.date(2025, 12, 5)
    assert calc.unit_status(calc.ReportInfo("submitted", True), NOV.deadline, today) == calc.ON_TIME
    assert calc.unit_status(calc.ReportInfo("submitted", False), NOV.deadline, today) == calc.LATE


def test_rates_count_only_units_open_during_the_period():
    units = [
        unit(1),
        unit(2),
        unit(3, closed=dt.date(2025, 10, 31)),  # closed before November: not expected
        unit(4, opened=dt.date(2025, 11, 30)),  # opened on the last day: expected
        unit(5, opened=dt.date(2025, 12, 1)),  # not yet open: not expected
    ]
    reports = {
        (1, "2025-11"): calc.ReportInfo("submitted", True),
        (2, "2025-11"): calc.ReportInfo("submitted", False),
    }
    [result] = calc.compute(units=units, periods=[NOV], reports=reports, today=dt.date(2025, 12, 1))
    assert result.total.expected == 3
    assert (result.total.on_time, result.total.late, result.total.missing) == (1, 1, 1)
    assert result.total.reporting_rate == 2 / 3
    assert result.total.on_time_rate == 1 / 3
    assert result.units_with(calc.MISSING) == [4]


def test_no_expected_units_gives_no_rate_rather_than_zero_division():
    [result] = calc.compute(units=[], periods=[NOV], reports={}, today=dt.date(2025, 12, 1))
    assert result.total.reporting_rate is None


def test_a_period_before_the_template_applied_expects_nobody():
    before = calc.PeriodInfo(**{**NOV.__dict__, "in_force": False})
    [result] = calc.compute(
        units=[unit(1)], periods=[before], reports={}, today=dt.date(2026, 1, 1)
    )
    assert result.total.expected == 0 and result.statuses == {}
