"""Filling a coverage gap (R12): each gap of the picture carries the action that fills it, and
the button creates that task as a direction of kind TASK, addressed to the unit that owns the
area (or the unit in question), due in two weeks."""

from __future__ import annotations

import datetime as dt

from core.errors import ServiceError
from core.models import SocialGroup, Topic
from orgs.models import Area, OrgUnit, User
from picture.models import Direction
from picture.query import PictureQuery
from picture.services.directions import create_direction

TASK_DAYS = 14
GAPS = ("area", "group", "topic", "unit")
OPEN = (Direction.Status.OPEN, Direction.Status.IN_PROGRESS)

TEXTS = {
    Direction.Action.ASSIGN_COLLABORATOR:
        "Phân công cộng tác viên nắm dư luận ở {name}: chưa ghi nhận ý kiến nào gần đây "
        "hoặc chưa có cộng tác viên phụ trách.",
    Direction.Action.PLAN_SURVEY:
        "Lên kế hoạch khảo sát, lấy ý kiến về {name}: trong kỳ chưa đơn vị nào phản ánh.",
    Direction.Action.HOLD_DIALOGUE:
        "Tổ chức đối thoại với nhân dân ở {name} để nắm tâm tư, nguyện vọng.",
    Direction.Action.REPORT_LATENT:
        "{name}: rà soát và phản ánh dư luận tiềm ẩn trong báo cáo tháng "
        "(6 tháng qua các báo cáo chưa nêu dư luận tiềm ẩn nào).",
}


def may_fill_gaps(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_office or user.is_leader))


def _ward_root() -> OrgUnit | None:
    return OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()


def _in_scope(query: PictureQuery, unit_id: int | None) -> bool:
    return query.unit_ids is None or unit_id in query.unit_ids


def resolve_gap(query: PictureQuery, gap: str, target: str) -> dict:
    """What the gap is about and the unit it goes to; a target outside the reader's scope is not
    found (the view turns that into a 404)."""
    if gap not in GAPS or not str(target).isdigit():
        raise ServiceError("Khoảng trống không đọc được.", field="gap")
    pk = int(target)
    default_unit = query.unit or _ward_root()
    if gap == "area":
        area = Area.objects.select_related("unit").filter(pk=pk).first()
        if area is None or not _in_scope(query, area.unit_id):
            raise LookupError(gap)
        return {"name": area.name, "area": area, "unit": area.unit or default_unit}
    if gap == "unit":
        unit = OrgUnit.objects.filter(pk=pk).first()
        if unit is None or not _in_scope(query, unit.pk):
            raise LookupError(gap)
        return {"name": unit.name, "unit": unit}
    if gap == "group":
        group = SocialGroup.objects.filter(pk=pk).first()
        if group is None:
            raise LookupError(gap)
        return {"name": f"nhóm {group.name}", "social_group": group, "unit": default_unit}
    topic = Topic.objects.filter(pk=pk).first()
    if topic is None:
        raise LookupError(gap)
    return {"name": f"chủ đề {topic.name}", "topic": topic, "unit": default_unit}


def open_task_for(action: str, subject: dict) -> Direction | None:
    """A task of the same action on the same subject still open: the button is not pressed twice."""
    tasks = Direction.objects.filter(kind=Direction.Kind.TASK, action=action, status__in=OPEN)
    for name in ("area", "topic", "social_group"):
        if name in subject:
            return tasks.filter(**{name: subject[name]}).first()
    return tasks.filter(units=subject["unit"], area__isnull=True, topic__isnull=True,
                        social_group__isnull=True).first()


def create_gap_task(
    *, user: User, query: PictureQuery, gap: str, target: str, action: str,
    today: dt.date | None = None,
) -> Direction:
    """Create the task that fills one gap, through the directions service (which audits it)."""
    if not may_fill_gaps(user):
        raise ServiceError("Chỉ Ban Xây dựng Đảng và lãnh đạo được giao nhiệm vụ.", field="user")
    if action not in TEXTS:
        raise ServiceError("Việc cần làm không đọc được.", field="action")
    subject = resolve_gap(query, gap, target)
    if subject["unit"] is None:
        raise ServiceError("Chưa có đơn vị nào để giao nhiệm vụ.", field="unit")
    existing = open_task_for(action, subject)
    if existing is not None:
        raise ServiceError(
            f"Đã có nhiệm vụ {existing.code} cho việc này, đang thực hiện.", field="action"
        )
    today = today or query.today
    return create_direction(
        author=user,
        text=TEXTS[action].format(name=subject["name"]),
        due_on=today + dt.timedelta(days=TASK_DAYS),
        unit_ids=[subject["unit"].pk],
        kind=Direction.Kind.TASK,
        action=action,
        area=subject.get("area"),
        topic=subject.get("topic"),
        social_group=subject.get("social_group"),
    )
