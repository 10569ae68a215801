"""Reads of the plans, scoped to the reader (``orgs.selectors.visible_unit_ids``).

The plans themselves are the ward's documents and every account reads them; what units owe
and did is scoped: a unit reads its own (a đảng bộ its subtree), the office and the leaders
everything. A task is shown to a unit reader only when it applies to a unit in their scope (its
owner's name would otherwise tell them of units they do not see). A record outside the scope is
"not found".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet
from django.http import Http404

from core.text import fold
from orgs.models import OrgUnit, User
from orgs.selectors import visible_unit_ids
from plans.models import (
    DisseminationSession,
    ImplementationPlan,
    Inspection,
    Plan,
    PlanFile,
    PlanTask,
    TaskProgress,
    TaskStatus,
)

TASK_SORTS = {
    "stt": ("position", "pk"),
    "han": ("due_on", "position"),
    "noi_dung": ("text_folded", "pk"),
}
DEFAULT_TASK_SORT = "stt"


def _open_on(day: dt.date) -> Q:
    return Q(opened_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gte=day))


def plans_visible_to(user: User) -> QuerySet[Plan]:
    return Plan.objects.select_related("issuing_unit")


def get_plan(user: User, pk: int) -> Plan:
    try:
        return plans_visible_to(user).get(pk=pk)
    except (Plan.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy kế hoạch.") from exc


def search_plans(user: User, query: str = "") -> QuerySet[Plan]:
    plans = plans_visible_to(user)
    if query.strip():
        plans = plans.filter(title_folded__contains=fold(query))
    return plans


# --- which units a task or a plan applies to --------------------------------------------------


def required_units(plan: Plan, today: dt.date, ids: set[int] | None = None) -> list[OrgUnit]:
    """The open units of the plan's kinds (those that must issue a plan and disseminate it)."""
    units = OrgUnit.objects.filter(_open_on(today), kind__in=plan.unit_kinds or [])
    if ids is not None:
        units = units.filter(pk__in=ids)
    return list(units.order_by("sort_key", "pk"))


def task_units(task: PlanTask, today: dt.date, ids: set[int] | None = None) -> list[OrgUnit]:
    """The units ``task`` applies to, within ``ids`` (None: all)."""
    if task.owner_unit_id:
        units = OrgUnit.objects.filter(pk=task.owner_unit_id)
    else:
        units = OrgUnit.objects.filter(_open_on(today), kind=task.owner_kind)
    if ids is not None:
        units = units.filter(pk__in=ids)
    return list(units.order_by("sort_key", "pk"))


def _kinds_in(ids: set[int]) -> set[str]:
    return set(OrgUnit.objects.filter(pk__in=ids).values_list("kind", flat=True))


def tasks_visible_to(user: User) -> QuerySet[PlanTask]:
    tasks = PlanTask.objects.select_related("plan", "owner_unit")
    ids = visible_unit_ids(user)
    if ids is None:
        return tasks
    return tasks.filter(Q(owner_unit_id__in=ids) | Q(owner_kind__in=_kinds_in(ids)))


def get_task(user: User, pk: int) -> PlanTask:
    try:
        return tasks_visible_to(user).get(pk=pk)
    except (PlanTask.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy nhiệm vụ.") from exc


def filter_tasks(user: User, plan: Plan, *, query: str = "", status: str = "",
                 sort: str = DEFAULT_TASK_SORT, today: dt.date) -> list[TaskRow]:
    tasks = tasks_visible_to(user).filter(plan=plan)
    if query.strip():
        tasks = tasks.filter(text_folded__contains=fold(query))
    key = sort.lstrip("-")
    names = TASK_SORTS.get(key, TASK_SORTS[DEFAULT_TASK_SORT])
    # A task without a deadline sorts last both ways, on SQLite as on PostgreSQL.
    order = [F(name).desc(nulls_last=True) if sort.startswith("-")
             else F(name).asc(nulls_last=True) for name in names]
    rows = task_rows(user, list(tasks.order_by(*order)), today)
    if status:
        rows = [row for row in rows if row.status == status]
    return rows


# --- a task's progress, unit by unit ----------------------------------------------------------


OVERDUE = "qua_han"
STATUS_LABELS = {**dict(TaskStatus.choices), OVERDUE: "Quá hạn"}


@dataclass
class UnitProgress:
    unit: OrgUnit
    progress: TaskProgress | None
    status: str
    overdue: bool

    @property
    def label(self) -> str:
        return STATUS_LABELS[OVERDUE] if self.overdue else STATUS_LABELS[self.status]


@dataclass
class TaskRow:
    task: PlanTask
    units: list[UnitProgress] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for u in self.units if u.status == TaskStatus.DONE)

    @property
    def total(self) -> int:
        return len(self.units)

    @property
    def overdue(self) -> int:
        return sum(1 for u in self.units if u.overdue)

    @property
    def status(self) -> str:
        """Done when every unit in the reader's scope is; overdue when one is late."""
        if self.units and self.done == self.total:
            return TaskStatus.DONE
        if self.overdue:
            return OVERDUE
        if any(u.status != TaskStatus.NOT_STARTED for u in self.units):
            return TaskStatus.IN_PROGRESS
        return TaskStatus.NOT_STARTED

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def _owners(tasks: list[PlanTask], today: dt.date, ids: set[int] | None
            ) -> dict[int, list[OrgUnit]]:
    """Each task's units in scope, with one query for the units of every kind."""
    kinds = {t.owner_kind for t in tasks if t.owner_kind}
    by_kind: dict[str, list[OrgUnit]] = defaultdict(list)
    if kinds:
        units = OrgUnit.objects.filter(_open_on(today), kind__in=kinds)
        if ids is not None:
            units = units.filter(pk__in=ids)
        for unit in units.order_by("sort_key", "pk"):
            by_kind[unit.kind].append(unit)
    out = {}
    for task in tasks:
        if task.owner_unit_id:
            own = ids is None or task.owner_unit_id in ids
            out[task.pk] = [task.owner_unit] if own else []
        else:
            out[task.pk] = by_kind.get(task.owner_kind, [])
    return out


def task_rows(user: User, tasks: list[PlanTask], today: dt.date) -> list[TaskRow]:
    ids = visible_unit_ids(user)
    owners = _owners(tasks, today, ids)
    progress = TaskProgress.objects.filter(task__in=tasks).select_related("evidence_file")
    if ids is not None:
        progress = progress.filter(unit_id__in=ids)
    found = {(p.task_id, p.unit_id): p for p in progress}
    rows = []
    for task in tasks:
        row = TaskRow(task)
        for unit in owners[task.pk]:
            entry = found.get((task.pk, unit.pk))
            status = entry.status if entry else TaskStatus.NOT_STARTED
            late = (status != TaskStatus.DONE and task.due_on is not None
                    and task.due_on < today)
            row.units.append(UnitProgress(unit, entry, status, late))
        rows.append(row)
    return rows


# --- what a unit owes --------------------------------------------------------------------------


def unit_plans_visible_to(user: User) -> QuerySet[ImplementationPlan]:
    rows = ImplementationPlan.objects.select_related("plan", "unit", "file")
    ids = visible_unit_ids(user)
    return rows if ids is None else rows.filter(unit_id__in=ids)


def sessions_visible_to(user: User) -> QuerySet[DisseminationSession]:
    rows = DisseminationSession.objects.select_related("plan", "unit")
    ids = visible_unit_ids(user)
    return rows if ids is None else rows.filter(unit_id__in=ids)


def get_session(user: User, pk: int) -> DisseminationSession:
    try:
        return sessions_visible_to(user).get(pk=pk)
    except (DisseminationSession.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy buổi quán triệt.") from exc


def inspections_visible_to(user: User) -> QuerySet[Inspection]:
    """An inspection is the inspected unit's (and the units above it in the reader's scope)."""
    rows = Inspection.objects.select_related("plan", "inspecting_unit", "inspected_unit")
    ids = visible_unit_ids(user)
    return rows if ids is None else rows.filter(inspected_unit_id__in=ids)


def get_inspection(user: User, pk: int) -> Inspection:
    try:
        return inspections_visible_to(user).get(pk=pk)
    except (Inspection.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy cuộc kiểm tra, giám sát.") from exc


def search_inspections(user: User, *, query: str = "", kind: str = "", follow_up: str = ""
                       ) -> QuerySet[Inspection]:
    rows = inspections_visible_to(user)
    if query.strip():
        folded = fold(query)
        rows = rows.filter(Q(findings_folded__contains=folded)
                           | Q(inspected_unit__name_folded__contains=folded))
    if kind in Inspection.Kind.values:
        rows = rows.filter(kind=kind)
    if follow_up in Inspection.FollowUp.values:
        rows = rows.filter(follow_up=follow_up)
    return rows


def get_file(user: User, pk: int) -> PlanFile:
    """A file is read by those who see its unit."""
    files = PlanFile.objects.all()
    ids = visible_unit_ids(user)
    if ids is not None:
        files = files.filter(unit_id__in=ids)
    try:
        return files.get(pk=pk)
    except (PlanFile.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy tệp.") from exc


# --- the units that have not done what the plan asks ------------------------------------------


@dataclass
class Gap:
    unit: OrgUnit
    plan: Plan
    overdue_tasks: list[PlanTask] = field(default_factory=list)
    missing_unit_plan: bool = False
    missing_session: bool = False

    @property
    def any(self) -> bool:
        return bool(self.overdue_tasks or self.missing_unit_plan or self.missing_session)


def gaps(user: User, today: dt.date, *, plans: Iterable[Plan] | None = None,
         window: tuple[dt.date, dt.date] | None = None, query: str = "") -> list[Gap]:
    """For each plan and unit in the reader's scope: the tasks past their deadline that the
    unit has not done; its implementation plan missing after the plan's deadline for it; no
    dissemination session after the plan's deadline for it, counted in ``window`` (the plan's
    issue date to today when not given)."""
    ids = visible_unit_ids(user)
    plans = list(plans if plans is not None else plans_visible_to(user))
    out: list[Gap] = []
    for plan in plans:
        found: dict[int, Gap] = {}

        def gap_of(unit: OrgUnit, plan=plan, found=found) -> Gap:
            return found.setdefault(unit.pk, Gap(unit, plan))

        late = list(plan.tasks.filter(due_on__lt=today).select_related("owner_unit"))
        for row in task_rows(user, late, today):
            for entry in row.units:
                if entry.overdue:
                    gap_of(entry.unit).overdue_tasks.append(row.task)
        units = required_units(plan, today, ids)
        if plan.unit_plan_due and plan.unit_plan_due < today:
            have = set(plan.unit_plans.values_list("unit_id", flat=True))
            for unit in units:
                if unit.pk not in have:
                    gap_of(unit).missing_unit_plan = True
        start, end = window or (plan.issued_on, today)
        start = max(start, plan.issued_on)
        if plan.dissemination_due and plan.dissemination_due < min(end, today) \
                and start <= min(end, today):
            held = set(plan.sessions.filter(held_on__gte=start, held_on__lte=end)
                       .values_list("unit_id", flat=True))
            for unit in units:
                if unit.pk not in held:
                    gap_of(unit).missing_session = True
        out.extend(found.values())
    if query.strip():
        folded = fold(query)
        out = [g for g in out if folded in g.unit.name_folded]
    out.sort(key=lambda g: (g.unit.sort_key, g.unit.pk, -g.plan.issued_on.toordinal()))
    return out


def owed_by(user: User, unit: OrgUnit, today: dt.date) -> list[dict]:
    """A unit's page: for each plan, its tasks' rows, its implementation plan, its sessions."""
    out = []
    for plan in plans_visible_to(user):
        tasks = [t for t in plan.tasks.select_related("owner_unit").order_by("position", "pk")
                 if t.owner_unit_id == unit.pk or (not t.owner_unit_id
                                                   and t.owner_kind == unit.kind)]
        rows = []
        for row in task_rows(user, tasks, today):
            mine = [u for u in row.units if u.unit.pk == unit.pk]
            if mine:
                rows.append((row.task, mine[0]))
        required = unit.kind in (plan.unit_kinds or [])
        if not rows and not required:
            continue
        out.append({
            "plan": plan, "tasks": rows, "required": required,
            "unit_plan": plan.unit_plans.filter(unit=unit).select_related("file").first(),
            "sessions": list(plan.sessions.filter(unit=unit).order_by("-held_on", "-pk")),
            "gap": next((g for g in gaps(user, today, plans=[plan]) if g.unit.pk == unit.pk),
                        None),
        })
    return out


def plan_figures(start: dt.date, end: dt.date, unit_ids: set[int] | None) -> dict:
    """Counts of the period for reports and scores: sessions held, attendance, inspections."""
    sessions = DisseminationSession.objects.filter(held_on__gte=start, held_on__lte=end)
    inspections = Inspection.objects.filter(held_on__gte=start, held_on__lte=end)
    if unit_ids is not None:
        sessions = sessions.filter(unit_id__in=unit_ids)
        inspections = inspections.filter(inspected_unit_id__in=unit_ids)
    session_rows = list(sessions.values_list("unit_id", "attendance", "expected"))
    return {
        "sessions": len(session_rows),
        "session_units": len({unit for unit, _, _ in session_rows}),
        "attendance": sum(a for _, a, _ in session_rows),
        "expected": sum(e for _, _, e in session_rows if e is not None),
        "inspections": inspections.filter(kind=Inspection.Kind.INSPECTION).count(),
        "supervisions": inspections.filter(kind=Inspection.Kind.SUPERVISION).count(),
        "follow_up_open": inspections.filter(
            follow_up__in=[Inspection.FollowUp.OPEN, Inspection.FollowUp.IN_PROGRESS]).count(),
    }
