import datetime as dt

import pytest
import time_machine

from core.errors import ConflictError, LockedError, ServiceError
from core.models import AuditEntry, Notification
from reporting import services
from reporting.models import ReportVersion, UnitReport
from reporting.periods import parse_period
from reporting.selectors import status_of

NOV = parse_period("2025-11")


@pytest.fixture
def period(db):
    return services.ensure_period(NOV)


def draft(user, monthly, period, unit, sections, streams=None, version=None):
    return services.save_draft(
        user=user,
        template=monthly,
        period=period,
        unit=unit,
        sections=sections,
        streams=streams,
        expected_version=version,
    )


def test_draft_then_submit_keeps_every_version_and_audits(
    an, cell_a, monthly, period, full_sections, stream
):
    report = draft(an, monthly, period, cell_a, {"tu_tuong": "Ổn định."}, [stream])
    report = draft(an, monthly, period, cell_a, full_sections, [stream], report.version)
    report = services.submit_report(user=an, report=report, expected_version=report.version)
    assert report.state == UnitReport.State.SUBMITTED
    assert list(report.versions.values_list("action", flat=True)) == ["create", "save", "submit"]
    assert report.streams.get().summary.startswith("Nhân dân bức xúc")
    actions = set(
        AuditEntry.objects.filter(object_id=str(report.pk)).values_list("action", flat=True)
    )
    assert {"create", "update", "submit"} <= actions


def test_saving_unchanged_content_keeps_no_new_version(an, cell_a, monthly, period, full_sections):
    report = draft(an, monthly, period, cell_a, full_sections)
    again = draft(an, monthly, period, cell_a, full_sections, None, report.version)
    assert again.version == report.version
    assert ReportVersion.objects.filter(report=report).count() == 1


def test_stale_version_is_a_conflict_and_changes_nothing(
    an, cell_a, monthly, period, full_sections
):
    report = draft(an, monthly, period, cell_a, full_sections)
    draft(an, monthly, period, cell_a, {"tu_tuong": "Bản của người thứ nhất."}, None, 1)
    with pytest.raises(ConflictError, match="phiên bản 2"):
        draft(an, monthly, period, cell_a, {"tu_tuong": "Bản của người thứ hai."}, None, 1)
    report.refresh_from_db()
    assert report.sections["tu_tuong"] == "Bản của người thứ nhất."


def test_double_submit_is_idempotent(an, cell_a, monthly, period, full_sections):
    report = draft(an, monthly, period, cell_a, full_sections)
    first = services.submit_report(user=an, report=report, expected_version=report.version)
    second = services.submit_report(user=an, report=report, expected_version=report.version)
    assert first.submitted_at == second.submitted_at
    assert ReportVersion.objects.filter(report=report, action="submit").count() == 1


def test_submitted_report_is_locked_until_returned(
    an, vanphong, cell_a, monthly, period, full_sections
):
    report = draft(an, monthly, period, cell_a, full_sections)
    report = services.submit_report(user=an, report=report, expected_version=report.version)
    with pytest.raises(LockedError, match="bị khóa"):
        draft(an, monthly, period, cell_a, {"tu_tuong": "Sửa sau khi nộp"}, None, report.version)
    report = services.return_report(user=vanphong, report=report, reason="Thiếu phân tích.")
    assert Notification.objects.get(user=an).text.startswith("Báo cáo Tháng 11/2025 bị trả lại")
    report = draft(an, monthly, period, cell_a, {"tu_tuong": "Đã bổ sung."}, None, report.version)
    assert report.state == UnitReport.State.RETURNED


def test_submit_refuses_empty_sections_naming_them(an, cell_a, monthly, period):
    report = draft(an, monthly, period, cell_a, {"tu_tuong": "Ổn định."})
    with pytest.raises(ServiceError, match="Dư luận nổi bật"):
        services.submit_report(user=an, report=report, expected_version=report.version)


def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    an, cell_a, monthly, period, stream
):
    bad_stream = services.StreamInput(**{**stream.__dict__, "attitude": "vui"})
    with pytest.raises(ServiceError, match="dòng 1: thái độ") as info:
        draft(an, monthly, period, cell_a, {"tu_tuong": "x"}, [bad_stream])
    assert info.value.field == "streams.1.attitude"
    with pytest.raises(ServiceError, match="vượt giới hạn"):
        draft(an, monthly, period, cell_a, {"tu_tuong": "x" * 20_001})
    with pytest.raises(ServiceError, match="không có trong mẫu"):
        draft(an, monthly, period, cell_a, {"bi_mat": "x"})
    assert not UnitReport.objects.exists()


def test_closed_unit_and_foreign_unit_cannot_report(
    an, vanphong, cell_b, cell_closed, monthly, period, full_sections
):
    with pytest.raises(ServiceError, match="không hoạt động"):
        draft(vanphong, monthly, period, cell_closed, full_sections)
    with pytest.raises(ServiceError, match="không có quyền"):
        draft(an, monthly, period, cell_b, full_sections)


def test_only_office_returns_with_a_reason(
    an, vanphong, lanhdao, cell_a, monthly, period, full_sections
):
    report = draft(an, monthly, period, cell_a, full_sections)
    report = services.submit_report(user=an, report=report, expected_version=report.version)
    with pytest.raises(ServiceError, match="Chỉ Ban Xây dựng Đảng"):
        services.return_report(user=lanhdao, report=report, reason="x")
    with pytest.raises(ServiceError, match="lý do"):
        services.return_report(user=vanphong, report=report, reason="  ")


@pytest.mark.parametrize(
    ("inclusive", "utc_moment", "expected"),
    [
        # "Trước ngày 25" (the plan, the default): 23:59 on the 24th in Hà Nội (16:59 UTC) is on
        # time; 00:01 on the 25th (17:01 UTC on the 24th) is already late.
        (False, dt.datetime(2025, 11, 24, 16, 59, tzinfo=dt.UTC), "on_time"),
        (False, dt.datetime(2025, 11, 24, 17, 1, tzinfo=dt.UTC), "late"),
        (False, dt.datetime(2025, 11, 25, 3, 0, tzinfo=dt.UTC), "late"),
        # "Đến hết ngày 25": 23:59 on the 25th is on time, 00:01 on the 26th late.
        (True, dt.datetime(2025, 11, 25, 16, 59, tzinfo=dt.UTC), "on_time"),
        (True, dt.datetime(2025, 11, 25, 17, 1, tzinfo=dt.UTC), "late"),
    ],
)
def test_deadline_is_midnight_local_time_after_the_last_day(
    an, cell_a, monthly, period, full_sections, inclusive, utc_moment, expected
):
    monthly.deadline_inclusive = inclusive
    monthly.save()
    with time_machine.travel(utc_moment, tick=False):
        report = draft(an, monthly, period, cell_a, full_sections)
        report = services.submit_report(user=an, report=report, expected_version=report.version)
        assert status_of(report, monthly, period) == expected


def test_a_period_before_the_template_applies_is_refused(an, cell_a, monthly, period,
                                                          full_sections):
    monthly.effective_from = dt.date(2025, 12, 1)
    monthly.save()
    with pytest.raises(ServiceError, match="áp dụng từ 01/12/2025"):
        draft(an, monthly, period, cell_a, full_sections)


def test_saving_a_draft_keeps_the_issues_a_stream_is_linked_to(an, cell_a, monthly, period,
                                                               full_sections, stream):
    from issues.models import Issue

    other = services.StreamInput(**{**stream.__dict__, "summary": "Băn khoăn về học phí."})
    report = draft(an, monthly, period, cell_a, full_sections, [stream, other])
    issue = Issue.objects.create(code="VD-2025-0001", title="Rác thải ở chợ Hòa Bình")
    report.streams.get(summary=stream.summary).issues.add(issue)
    edited = services.StreamInput(**{**other.__dict__, "summary": "Băn khoăn về học phí mới."})
    # The linked stream moves to the second row and the other one is edited: the link follows.
    report = draft(an, monthly, period, cell_a, full_sections, [edited, stream], report.version)
    assert list(report.streams.get(summary=stream.summary).issues.all()) == [issue]
    assert not report.streams.get(summary=edited.summary).issues.exists()
