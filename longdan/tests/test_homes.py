"""Each role lands on what it does (issue 17): a collaborator on the quick report, the opinions
they wrote down and the surveys they collect for; a unit on what waits for it, then its report."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import _user
from core.dates import local_today
from intake.models import OpinionItem
from issues.models import Issue
from orgs.models import Collaborator, User
from picture.models import Direction, DirectionAssignment
from textengine.normalize import fold


def _item(text, *, by, unit, issue=None, area=None):
    return OpinionItem.objects.create(text=text, text_folded=fold(text), received_on=local_today(),
                                      unit=unit, area=area, created_by=by, issue=issue)


@pytest.fixture
def cuc(cell_a, area_1) -> User:
    user = _user("cuc", User.Role.COLLABORATOR, cell_a, "Vũ Thị Cúc")
    record = Collaborator.objects.create(user=user, unit=cell_a, started_on=local_today())
    record.areas.set([area_1])
    return user


@pytest.fixture
def dao(cell_a) -> User:
    return _user("dao", User.Role.COLLABORATOR, cell_a, "Lê Thị Đào")


def test_a_collaborator_lands_on_the_quick_report_and_their_own_opinions(
        client, cuc, dao, cell_a, area_1, monthly):
    issue = Issue.objects.create(code="VD-2026-0001", title="Môi trường — Tổ dân phố 1",
                                 title_folded="moi truong", status=Issue.Status.ANSWERED)
    _item("Rác ở chợ tồn đọng ba ngày chưa thu gom", by=cuc, unit=cell_a, issue=issue, area=area_1)
    _item("Đèn đường ngõ 3 hỏng đã lâu", by=cuc, unit=cell_a)
    _item("Ý kiến do cộng tác viên khác ghi", by=dao, unit=cell_a)
    client.force_login(cuc)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ghi ý kiến mới" in html and "/y-kien/nhanh/" in html
    assert "Rác ở chợ tồn đọng" in html and "Đèn đường ngõ 3" in html
    assert "cộng tác viên khác" not in html  # another collaborator's work is not theirs
    assert "VD-2026-0001" in html and "Đã trả lời dân" in html
    assert "Đang chờ Ban Xây dựng Đảng phân loại" in html
    assert response.context["month"].items == 2 and response.context["month"].answered == 1
    # Not the chi bộ's report, which a collaborator cannot write.
    assert "Bắt đầu soạn báo cáo" not in html


def test_a_new_collaborator_is_told_what_to_do_first(client, dao, monthly):
    client.force_login(dao)
    html = client.get("/").content.decode()
    assert "chưa ghi ý kiến nào" in html and "không có cuộc khảo sát nào" in html


def test_a_unit_sees_what_waits_for_it_before_its_report(client, an, binh, cell_a, cell_b,
                                                         lanhdao, monthly):
    today = local_today()
    waiting = Direction.objects.create(code="CĐ-2026-001", text="Rà soát điểm ngập ở An Lư",
                                       due_on=today + dt.timedelta(days=3), author=lanhdao)
    DirectionAssignment.objects.create(direction=waiting, unit=cell_a)
    done = Direction.objects.create(code="CĐ-2026-002", text="Việc đã xong",
                                    due_on=today, author=lanhdao)
    DirectionAssignment.objects.create(direction=done, unit=cell_a,
                                       status=Direction.Status.DONE)
    theirs = Direction.objects.create(code="CĐ-2026-003", text="Việc của đơn vị khác",
                                      due_on=today, author=lanhdao)
    DirectionAssignment.objects.create(direction=theirs, unit=cell_b)
    Issue.objects.create(code="VD-2026-0007", title="Trật tự — Tổ dân phố 1", title_folded="x",
                         status=Issue.Status.ASSIGNED, owner_unit=cell_a,
                         due_on=today - dt.timedelta(days=2))
    Issue.objects.create(code="VD-2026-0008", title="Đã trả lời", title_folded="y",
                         status=Issue.Status.ANSWERED, owner_unit=cell_a)
    client.force_login(an)
    html = client.get("/").content.decode()
    assert "Việc đang chờ Chi bộ Tổ dân phố 1" in html
    assert "CĐ-2026-001" in html and "chưa xác nhận đã nhận" in html
    assert "CĐ-2026-002" not in html and "CĐ-2026-003" not in html
    assert "VD-2026-0007" in html and "quá hạn từ" in html and "VD-2026-0008" not in html
    assert html.index("Việc đang chờ") < html.index("Báo cáo của Chi bộ Tổ dân phố 1")
    client.force_login(binh)
    other = client.get("/").content.decode()
    assert "CĐ-2026-003" in other and "CĐ-2026-001" not in other and "VD-2026-0007" not in other


def test_an_agency_that_owes_no_monthly_report_lands_on_its_work_not_a_report(client, ward,
                                                                                monthly):
    from orgs.models import OrgUnit

    ubnd = OrgUnit.objects.create(code="ubnd-phuong", name="Ủy ban nhân dân phường",
                                  kind=OrgUnit.Kind.PEOPLES_COMMITTEE, parent=ward)
    person = _user("ubnd", User.Role.REPORTER, ubnd, "Phạm Văn Bình")
    client.force_login(person)
    html = client.get("/").content.decode()
    assert "Báo cáo của Ủy ban nhân dân phường" not in html  # it owes no monthly report
    assert "Hiện không có ý kiến chỉ đạo hay vấn đề nào đang chờ đơn vị" in html
    assert "Ghi ý kiến nhận được" in html and f"/van-de/?unit={ubnd.pk}" in html
    Issue.objects.create(code="VD-2026-0042", title="Đời sống — Tổ dân phố 1", title_folded="z",
                         status=Issue.Status.ASSIGNED, owner_unit=ubnd)
    html = client.get("/").content.decode()
    assert "VD-2026-0042" in html and "chịu trách nhiệm xử lý, trả lời" in html
