"""Directions through their services: give, acknowledge, report progress, close; who may; the
overdue reading with the clock moved; the audit log and the notifications."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import ConflictError, ServiceError
from core.models import AuditEntry, Notification
from picture import direction_selectors as selectors
from picture import services
from picture.models import Direction, DirectionAssignment, DirectionUpdate
from picture.tests.conftest import TODAY, TZ

S = Direction.Status


def audits(direction) -> list[str]:
    return list(AuditEntry.objects.filter(object_type="picture.direction",
                                          object_id=str(direction.pk))
                .order_by("id").values_list("summary", flat=True))


def test_giving_a_direction_numbers_it_addresses_units_and_tells_them(
    give, an, binh, cell_a, cell_b, lanhdao
):
    direction = give([cell_a, cell_b])
    assert direction.code == "CĐ-2026-001"
    assert direction.status == S.OPEN and direction.author == lanhdao
    parts = DirectionAssignment.objects.filter(direction=direction)
    assert {p.unit_id for p in parts} == {cell_a.pk, cell_b.pk}
    assert all(p.status == S.OPEN and p.acknowledged_at is None for p in parts)
    [created] = direction.updates.all()
    assert created.kind == DirectionUpdate.Kind.CREATED and created.by == lanhdao
    assert audits(direction) == ["Giao CĐ-2026-001 cho 2 đơn vị, hạn 17/01/2026"]
    told = set(Notification.objects.filter(url=f"/chi-dao/{direction.pk}/")
               .values_list("user__username", flat=True))
    assert told == {"an", "binh"}
    assert give([cell_a]).code == "CĐ-2026-002"


def test_tasks_have_their_own_numbers_and_the_office_may_give_them(give, vanphong, cell_a):
    task = give([cell_a], author=vanphong, kind=Direction.Kind.TASK,
                action=Direction.Action.PLAN_SURVEY)
    assert task.code == "NV-2026-001"
    assert give([cell_a]).code == "CĐ-2026-001"


def test_the_target_follows_what_the_direction_is_about(give, cell_a, area_1):
    assert give([cell_a], area=area_1).target == Direction.Target.AREA
    assert give([cell_a]).target == Direction.Target.NONE


@pytest.mark.parametrize("kwargs, field, words", [
    ({"text": "   "}, "text", "Nội dung chỉ đạo"),
    ({"due_on": TODAY - dt.timedelta(days=1)}, "due_on", "Hạn hoàn thành"),
    ({"units": []}, "unit_ids", "Đơn vị thực hiện"),
    ({"kind": "other"}, "kind", "Loại"),
])
def test_bad_input_is_refused_naming_the_field(give, cell_a, kwargs, field, words):
    units = kwargs.pop("units", [cell_a])
    with pytest.raises(ServiceError) as refused:
        give(units, **kwargs)
    assert refused.value.field == field and words in refused.value.message
    assert not Direction.objects.exists()


def test_a_dissolved_unit_or_the_committee_cannot_be_addressed(give, cell_a, cell_closed, ward):
    for unit in (cell_closed, ward):
        with pytest.raises(ServiceError) as refused:
            give([cell_a, unit])
        assert refused.value.field == "unit_ids" and unit.name in refused.value.message
    assert not Direction.objects.exists()


def test_a_reporter_or_a_collaborator_cannot_give_directions(give, an, ctv, cell_a):
    for user in (an, ctv):
        with pytest.raises(ServiceError) as refused:
            give([cell_a], author=user)
        assert "lãnh đạo" in refused.value.message
    assert not Direction.objects.exists()


def test_lifecycle_acknowledge_progress_done(give, an, binh, cell_a, cell_b, lanhdao):
    direction = give([cell_a, cell_b])
    services.acknowledge(user=an, direction=direction, unit=cell_a)
    direction.refresh_from_db()
    assert direction.status == S.OPEN and selectors.state_of(direction) == "open"
    services.acknowledge(user=an, direction=direction, unit=cell_a)  # twice: nothing more
    services.acknowledge(user=binh, direction=direction, unit=cell_b)
    direction.refresh_from_db()
    assert selectors.state_of(direction) == "acknowledged"
    assert direction.updates.filter(kind=DirectionUpdate.Kind.ACKNOWLEDGED).count() == 2

    services.report_progress(user=an, direction=direction, unit=cell_a,
                             note="Đã họp chi bộ, phân công nắm tình hình.")
    direction.refresh_from_db()
    assert direction.status == S.IN_PROGRESS
    assert Notification.objects.filter(user=lanhdao, text__contains="báo cáo tiến độ").exists()

    services.report_progress(user=an, direction=direction, unit=cell_a,
                             note="Đã báo cáo UBND phường.", status=S.DONE)
    direction.refresh_from_db()
    assert direction.status == S.IN_PROGRESS  # cell_b has not finished
    services.report_progress(user=binh, direction=direction, unit=cell_b,
                             note="Đã vận động hộ dân.", status=S.DONE)
    direction.refresh_from_db()
    assert direction.status == S.DONE and direction.done_at is not None
    assert direction.version == 6  # two acknowledgements and three reports after giving it
    kinds = list(direction.updates.values_list("kind", flat=True))
    assert kinds.count(DirectionUpdate.Kind.PROGRESS) == 3
    assert kinds.count(DirectionUpdate.Kind.STATUS) == 2  # open → in progress → done
    assert len(audits(direction)) == 1 + 2 + 3


def test_progress_acknowledges_and_needs_a_note(give, an, cell_a):
    direction = give([cell_a])
    with pytest.raises(ServiceError) as refused:
        services.report_progress(user=an, direction=direction, unit=cell_a, note=" ")
    assert refused.value.field == "note"
    services.report_progress(user=an, direction=direction, unit=cell_a, note="Đang làm.")
    part = DirectionAssignment.objects.get(direction=direction)
    assert part.acknowledged_by == an and part.status == S.IN_PROGRESS


def test_a_collaborator_cannot_acknowledge_for_another_unit(give, ctv, an, cell_a, cell_b):
    direction = give([cell_a, cell_b])
    with pytest.raises(ServiceError) as refused:
        services.acknowledge(user=ctv, direction=direction, unit=cell_b)
    assert refused.value.field == "unit"
    with pytest.raises(ServiceError):
        services.report_progress(user=an, direction=direction, unit=cell_b, note="Xong.")
    assert not DirectionAssignment.objects.filter(unit=cell_b,
                                                  acknowledged_at__isnull=False).exists()
    services.acknowledge(user=ctv, direction=direction, unit=cell_a)  # their own unit: yes


def test_the_reporter_of_a_unit_above_may_answer_for_the_unit_below(
    give, dung, cuong, cell_c, dang_bo, cell_a
):
    direction = give([cell_c, cell_a])
    services.report_progress(user=dung, direction=direction, unit=cell_c, note="Đã chỉ đạo.")
    with pytest.raises(ServiceError):  # but not the other way round
        services.acknowledge(user=cuong, direction=give([dang_bo]), unit=dang_bo)
    with pytest.raises(ServiceError):
        services.acknowledge(user=dung, direction=direction, unit=cell_a)


def test_leaders_do_not_answer_directions(give, lanhdao, cell_a):
    direction = give([cell_a])
    with pytest.raises(ServiceError):
        services.acknowledge(user=lanhdao, direction=direction, unit=cell_a)


def test_the_author_or_the_office_closes_cancels_and_reopens(
    give, lanhdao, vanphong, an, cell_a
):
    direction = give([cell_a])
    with pytest.raises(ServiceError) as refused:
        services.set_status(user=an, direction=direction, status=S.DONE,
                            expected_version=direction.version)
    assert refused.value.field == "status"
    closed = services.set_status(user=lanhdao, direction=direction, status=S.DONE,
                                 expected_version=direction.version, note="Đã đạt yêu cầu.")
    assert closed.status == S.DONE and closed.done_at is not None
    with pytest.raises(ServiceError) as late:
        services.report_progress(user=an, direction=direction, unit=cell_a, note="Thêm.")
    assert "đã hoàn thành" in late.value.message
    reopened = services.set_status(user=vanphong, direction=direction, status=S.OPEN,
                                   expected_version=closed.version)
    assert reopened.status == S.OPEN and reopened.done_at is None
    cancelled = services.set_status(user=vanphong, direction=direction, status=S.CANCELLED,
                                    expected_version=reopened.version)
    assert cancelled.status == S.CANCELLED
    assert [a.split(": ")[-1] for a in audits(direction)[1:]] == [
        "Mới giao → Đã hoàn thành", "Đã hoàn thành → Mới giao", "Mới giao → Đã hủy"]


def test_another_leader_cannot_close_what_they_did_not_give(give, lanhdao, cell_a, ward):
    from conftest import _user
    from orgs.models import User

    other = _user("lanhdao2", User.Role.LEADER, ward, "Bùi Văn Hải")
    direction = give([cell_a])
    with pytest.raises(ServiceError):
        services.set_status(user=other, direction=direction, status=S.DONE,
                            expected_version=direction.version)


def test_a_stale_version_is_a_conflict_with_a_message(give, lanhdao, an, cell_a):
    direction = give([cell_a])
    seen = direction.version
    services.acknowledge(user=an, direction=direction, unit=cell_a)
    with pytest.raises(ConflictError) as conflict:
        services.set_status(user=lanhdao, direction=direction, status=S.DONE,
                            expected_version=seen)
    assert conflict.value.field == "version"
    assert "vừa được cập nhật" in conflict.value.message and "tải lại" in conflict.value.message
    direction.refresh_from_db()
    assert direction.status == S.OPEN


def test_overdue_is_read_from_the_due_date_as_the_clock_moves(give, clock, an, lanhdao, cell_a):
    direction = give([cell_a], due_on=TODAY + dt.timedelta(days=2))
    finished = give([cell_a], due_on=TODAY + dt.timedelta(days=2))
    services.report_progress(user=an, direction=finished, unit=cell_a, note="Xong.",
                             status=S.DONE)
    assert selectors.direction_counts(lanhdao) == {"open": 1, "overdue": 0, "due_soon": 1}
    clock.move_to(dt.datetime(2026, 1, 13, 9, 0, tzinfo=TZ))
    direction.refresh_from_db()
    assert selectors.is_overdue(direction)
    assert direction.status == S.OPEN  # overdue is not a status
    assert selectors.direction_counts(lanhdao) == {"open": 1, "overdue": 1, "due_soon": 0}
    overdue = selectors.filtered_directions(lanhdao, selectors.DirectionFilter(overdue=True))
    assert list(overdue) == [direction]
    [decorated] = selectors.decorate(lanhdao, [direction])
    assert decorated.overdue and decorated.days_overdue == 1
