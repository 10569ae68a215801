"""The approval chain (issue 15): a chi bộ under a đảng bộ submits, the đảng bộ approves or
returns, the office accepts (locked for everyone, the API too) or returns, and only the office
unlocks, with a reason in the audit log. Each level sees only what waits for it."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from conftest import _user
from core.errors import ConflictError, LockedError, ServiceError
from core.models import AuditEntry
from orgs.models import OrgUnit, User
from orgs.tests.test_api import as_user
from reporting import approval as chain
from reporting import services
from reporting.approval_selectors import waiting_for
from reporting.models import ConsolidatedReport, UnitReport
from reporting.periods import parse_period
from reporting.selectors import compliance_for

NOV = parse_period("2025-11")


@pytest.fixture
def party(ward) -> OrgUnit:
    return OrgUnit.objects.create(code="dang-bo-1", name="Đảng bộ Khu phố Một",
                                  kind=OrgUnit.Kind.PARTY_COMMITTEE, parent=ward)


@pytest.fixture
def party_b(ward) -> OrgUnit:
    return OrgUnit.objects.create(code="dang-bo-2", name="Đảng bộ Khu phố Hai",
                                  kind=OrgUnit.Kind.PARTY_COMMITTEE, parent=ward)


@pytest.fixture
def below(party) -> OrgUnit:
    return OrgUnit.objects.create(code="chi-bo-duoi", name="Chi bộ Dưới Đảng bộ",
                                  kind=OrgUnit.Kind.PARTY_CELL, parent=party)


@pytest.fixture
def below_b(party_b) -> OrgUnit:
    return OrgUnit.objects.create(code="chi-bo-duoi-2", name="Chi bộ Khu phố Hai A",
                                  kind=OrgUnit.Kind.PARTY_CELL, parent=party_b)


@pytest.fixture
def chief(party) -> User:
    return _user("dangbo", User.Role.REPORTER, party, "Hoàng Văn Bộ")


@pytest.fixture
def chief_b(party_b) -> User:
    return _user("dangbo2", User.Role.REPORTER, party_b, "Vũ Thị Hai")


@pytest.fixture
def cell_reporter(below) -> User:
    user = _user("chibo", User.Role.REPORTER, below, "Đinh Văn Chi")
    below.responsible_person = user
    below.save()
    return user


def _submitted(user, monthly, unit, full_sections):
    monthly.units.add(unit)
    period = services.ensure_period(NOV)
    report = services.save_draft(user=user, template=monthly, period=period, unit=unit,
                                 sections=full_sections, streams=None, expected_version=None)
    return services.submit_report(user=user, report=report, expected_version=report.version)


@pytest.fixture
def submitted(cell_reporter, monthly, below, full_sections):
    with time_machine.travel("2025-11-20 09:00 +07:00", tick=False):
        return _submitted(cell_reporter, monthly, below, full_sections)


def test_the_chain_through_a_party_committee_ends_locked(
    submitted, chief, chief_b, vanphong, cell_reporter, monthly
):
    # the office cannot accept before the đảng bộ approved; the chi bộ cannot approve itself
    with pytest.raises(ServiceError, match="chờ đảng bộ cấp trên duyệt"):
        services.accept_report(user=vanphong, report=submitted, expected_version=submitted.version)
    with pytest.raises(ServiceError, match="Chỉ đảng bộ cấp trên"):
        services.approve_report(user=cell_reporter, report=submitted,
                                expected_version=submitted.version)
    assert list(waiting_for(chief)) == [submitted]
    assert list(waiting_for(vanphong)) == []
    with pytest.raises(ServiceError, match="Chỉ đảng bộ cấp trên"):
        services.approve_report(user=chief_b, report=submitted,
                                expected_version=submitted.version)

    report = services.approve_report(user=chief, report=submitted,
                                     expected_version=submitted.version)
    assert (report.state, report.approval, report.approved_by) == ("submitted", "approved", chief)
    assert list(waiting_for(chief)) == []
    assert list(waiting_for(vanphong)) == [report]

    report = services.accept_report(user=vanphong, report=report, expected_version=report.version)
    assert report.is_accepted and report.accepted_by == vanphong
    assert list(waiting_for(vanphong)) == []
    assert list(report.versions.values_list("action", flat=True)) == [
        "create", "submit", "approve", "accept"]
    steps = AuditEntry.objects.filter(object_id=str(report.pk), data__step__isnull=False)
    assert sorted(steps.values_list("data__step", flat=True)) == ["accept", "approve"]

    # locked for everyone: the unit, the office, the đảng bộ; a return too
    for user in (cell_reporter, vanphong):
        with pytest.raises(LockedError):
            services.save_draft(user=user, template=monthly, period=report.period,
                                unit=report.unit, sections={"tu_tuong": "Sửa."}, streams=None,
                                expected_version=report.version)
    for user in (vanphong, chief):
        with pytest.raises(ServiceError, match="chấp nhận nên bị khóa"):
            services.return_report(user=user, report=report, reason="Sửa lại số liệu.")
    stream_report = UnitReport.objects.get(pk=report.pk)
    assert stream_report.state == "submitted" and stream_report.is_accepted


def test_a_submitted_report_stays_on_time_through_approval(submitted, chief, vanphong, monthly):
    report = services.approve_report(user=chief, report=submitted,
                                     expected_version=submitted.version)
    with time_machine.travel("2025-12-28 09:00 +07:00", tick=False):
        services.accept_report(user=vanphong, report=report, expected_version=report.version)
        view = compliance_for(vanphong, template=monthly, period=NOV, months=1)
    unit = view.period.units_with("on_time")
    assert submitted.unit_id in unit


def test_return_at_each_level(submitted, chief, vanphong, cell_reporter, monthly, full_sections):
    # the đảng bộ returns the chi bộ's report
    report = services.return_report(user=chief, report=submitted, reason="Bổ sung phần kiến nghị.")
    assert (report.state, report.approval) == ("returned", "")
    assert list(waiting_for(chief)) == []
    # resubmitted, approved, then the office returns it: the chain starts again at the đảng bộ
    report = services.submit_report(user=cell_reporter, report=report,
                                    expected_version=report.version)
    report = services.approve_report(user=chief, report=report, expected_version=report.version)
    with pytest.raises(ServiceError, match="nay chỉ Ban Xây dựng Đảng"):
        services.return_report(user=chief, report=report, reason="Xin rút lại.")
    report = services.return_report(user=vanphong, report=report, reason="Thiếu số liệu.")
    assert (report.state, report.approval, report.approved_at) == ("returned", "", None)
    report = services.submit_report(user=cell_reporter, report=report,
                                    expected_version=report.version)
    assert list(waiting_for(chief)) == [report]


def test_only_the_office_unlocks_with_a_reason(submitted, chief, vanphong, cell_reporter):
    report = services.approve_report(user=chief, report=submitted,
                                     expected_version=submitted.version)
    report = services.accept_report(user=vanphong, report=report, expected_version=report.version)
    for user in (chief, cell_reporter):
        with pytest.raises(ServiceError, match="Chỉ Ban Xây dựng Đảng mở khóa"):
            services.unlock_report(user=user, report=report, reason="Sửa.",
                                   expected_version=report.version)
    with pytest.raises(ServiceError, match="lý do"):
        services.unlock_report(user=vanphong, report=report, reason="  ",
                               expected_version=report.version)
    with pytest.raises(ConflictError):
        services.unlock_report(user=vanphong, report=report, reason="Nhầm số liệu.",
                               expected_version=report.version - 1)
    report = services.unlock_report(user=vanphong, report=report,
                                    reason="Đơn vị báo nhầm số liệu tháng.",
                                    expected_version=report.version)
    assert (report.state, report.approval, report.accepted_at) == ("submitted", "approved", None)
    entry = AuditEntry.objects.filter(object_id=str(report.pk), data__step="unlock").get()
    assert entry.actor == vanphong and entry.data["reason"] == "Đơn vị báo nhầm số liệu tháng."
    # unlocked, the office may return it for the unit to correct
    report = services.return_report(user=vanphong, report=report, reason="Sửa số liệu.")
    assert report.state == "returned"


def test_the_office_may_approve_for_a_stuck_party_committee(submitted, vanphong):
    report = services.approve_report(user=vanphong, report=submitted,
                                     expected_version=submitted.version)
    assert report.approval == "approved" and report.approved_by == vanphong
    entry = AuditEntry.objects.filter(object_id=str(report.pk), data__step="approve").get()
    assert "(thay Đảng bộ Khu phố Một)" in entry.summary


def test_a_unit_without_a_level_above_goes_straight_to_the_office(
    an, cell_a, monthly, full_sections, vanphong, chief
):
    report = _submitted(an, monthly, cell_a, full_sections)
    assert services.reviewing_unit(cell_a) is None
    with pytest.raises(ServiceError, match="nộp thẳng"):
        services.approve_report(user=chief, report=report, expected_version=report.version)
    assert list(waiting_for(vanphong)) == [report]
    assert list(waiting_for(chief)) == []
    report = services.accept_report(user=vanphong, report=report, expected_version=report.version)
    assert report.is_accepted


def test_a_party_committee_sees_only_its_own_subtree_waiting(
    submitted, chief, chief_b, below_b, monthly, full_sections, an, cell_a, vanphong, client
):
    other_reporter = _user("chibo2", User.Role.REPORTER, below_b, "Lý Thị Ba")
    other = _submitted(other_reporter, monthly, below_b, full_sections)
    direct = _submitted(an, monthly, cell_a, full_sections)
    assert list(waiting_for(chief)) == [submitted]
    assert list(waiting_for(chief_b)) == [other]
    assert set(waiting_for(vanphong)) == {direct}
    assert list(waiting_for(an)) == []
    # the page lists only the reader's and refuses another đảng bộ's report
    client.force_login(chief)
    page = client.get(reverse("approval_waiting")).content.decode()
    assert submitted.unit.name in page and below_b.name not in page and cell_a.name not in page
    assert client.post(reverse("report_approve", args=[other.pk]),
                       {"version": other.version}).status_code == 404
    client.force_login(chief_b)
    assert client.post(reverse("report_approve", args=[submitted.pk]),
                       {"version": submitted.version}).status_code == 404
    assert UnitReport.objects.get(pk=submitted.pk).approval == ""


def test_the_pages_walk_the_chain(submitted, chief, vanphong, client):
    client.force_login(chief)
    detail = client.get(reverse("report_detail", args=[submitted.pk])).content.decode()
    assert "Duyệt, chuyển Ban Xây dựng Đảng" in detail and "Trả lại" in detail
    home = client.get(reverse("home")).content.decode()
    assert 'id="approval-count">1<' in home
    client.post(reverse("report_approve", args=[submitted.pk]), {"version": submitted.version})
    report = UnitReport.objects.get(pk=submitted.pk)
    assert report.approval == "approved"
    client.force_login(vanphong)
    assert submitted.unit.name in client.get(reverse("approval_waiting")).content.decode()
    client.post(reverse("report_accept", args=[report.pk]), {"version": report.version})
    report.refresh_from_db()
    assert report.is_accepted
    detail = client.get(reverse("report_detail", args=[report.pk])).content.decode()
    assert 'id="accepted-lock"' in detail and 'id="unlock"' in detail
    client.post(reverse("report_unlock", args=[report.pk]),
                {"version": report.version, "reason": "Cần sửa lại phần dư luận."})
    report.refresh_from_db()
    assert report.approval == "approved"


def test_the_api_refuses_every_edit_of_an_accepted_report(submitted, chief, vanphong,
                                                          cell_reporter):
    report = services.approve_report(user=chief, report=submitted,
                                     expected_version=submitted.version)
    report = services.accept_report(user=vanphong, report=report, expected_version=report.version)
    url = f"/api/v1/reports/{report.pk}/"
    for user in (cell_reporter, vanphong):
        api = as_user(user)
        patched = api.patch(url, {"version": report.version,
                                  "sections": {"tu_tuong": "Sửa sau khi chấp nhận."}},
                            format="json")
        assert patched.status_code in (409, 423), patched.content
    returned = as_user(vanphong).post(f"{url}return/", {"reason": "Sửa."}, format="json")
    assert returned.status_code == 400
    after = UnitReport.objects.get(pk=report.pk)
    assert after.version == report.version and after.is_accepted
    assert after.sections == report.sections


def test_the_state_machine_table():
    at = chain.Position(chain.SUBMITTED, chain.NONE, True)
    assert chain.step(at, chain.APPROVE, chain.REVIEWER) == (chain.SUBMITTED, chain.APPROVED)
    assert chain.waits_for(at) == chain.REVIEWER
    approved = chain.Position(chain.SUBMITTED, chain.APPROVED, True)
    assert chain.waits_for(approved) == chain.OFFICE
    accepted = chain.Position(chain.SUBMITTED, chain.ACCEPTED, True)
    assert chain.waits_for(accepted) is None
    for action, actor in [(chain.RETURN, chain.OFFICE), (chain.APPROVE, chain.REVIEWER),
                          (chain.ACCEPT, chain.OFFICE), (chain.SUBMIT, chain.UNIT)]:
        with pytest.raises(chain.StepRefused):
            chain.step(accepted, action, actor)
    assert chain.step(accepted, chain.UNLOCK, chain.OFFICE) == (chain.SUBMITTED, chain.APPROVED)
    direct = chain.Position(chain.SUBMITTED, chain.ACCEPTED, False)
    assert chain.step(direct, chain.UNLOCK, chain.OFFICE) == (chain.SUBMITTED, chain.NONE)


def test_the_consolidated_report_reads_accepted_reports_only_when_the_office_chooses(
    submitted, chief, vanphong, an, cell_a, monthly, full_sections, client
):
    direct = _submitted(an, monthly, cell_a, full_sections)
    services.accept_report(user=vanphong, report=direct, expected_version=direct.version)
    with time_machine.travel("2025-12-05 09:00 +07:00", tick=False):
        every = services.generate_consolidated(user=vanphong, period=NOV)
        assert every.data["source"] == "submitted" and every.data["report_count"] == 2
        accepted = services.generate_consolidated(user=vanphong, period=NOV, source="accepted")
        assert accepted.data["report_count"] == 1
        # a refresh keeps the office's choice
        again = services.generate_consolidated(user=vanphong, period=NOV)
        assert again.data["source"] == "accepted" and again.data["report_count"] == 1
        with pytest.raises(ServiceError) as refused:
            services.generate_consolidated(user=vanphong, period=NOV, source="tat-ca")
        assert refused.value.field == "source"
        client.force_login(vanphong)
        client.post(reverse("consolidated_generate"), {"period": "2025-11", "source": "submitted"})
    assert ConsolidatedReport.objects.get(unit=None).data["report_count"] == 2
