"""The plan followed task by task (issue 11, R1, R6): the ward's plan (Kế hoạch 18-KH/ĐU) and its
tasks, each unit's completion of a task, each unit's own implementation plan, its dissemination
sessions (quán triệt, triển khai), the inspections and supervisions (kiểm tra, giám sát), and the
files uploaded as evidence.

Which units a task applies to is decided when it is read (``PlanTask.applies_to``): one owner
unit, or every open unit of a kind (all chi bộ, all đảng bộ trực thuộc…), so a unit opened later
owes it too. ``TaskProgress`` holds what a unit said about the task (status, evidence); a unit
without a row has not started.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from core.text import fold


class PlanFile(models.Model):
    """An uploaded file (a signed plan, minutes, a photo of a session), stored in the database
    like the other uploads so every worker reads it; checked before storing (plans.files)."""

    name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField("dung lượng (byte)")
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField(editable=False)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name="đơn vị")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tệp minh chứng"
        verbose_name_plural = "tệp minh chứng"

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    """A plan the units must carry out (e.g. Kế hoạch số 18-KH/ĐU of the ward's Standing
    Committee implementing Directive 47). ``unit_plan_due``: by when each unit issues its own
    implementation plan; ``dissemination_due``: by when each unit has held a session."""

    number = models.CharField("số, ký hiệu", max_length=40, unique=True)
    title = models.CharField("trích yếu", max_length=300)
    title_folded = models.CharField(max_length=400, editable=False, db_index=True, default="")
    issuing_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                     verbose_name="cơ quan ban hành")
    issued_on = models.DateField("ngày ban hành")
    year = models.PositiveIntegerField("năm", validators=[MinValueValidator(2000),
                                                          MaxValueValidator(2100)])
    based_on = models.CharField("căn cứ", max_length=300, blank=True)
    unit_plan_due = models.DateField("hạn đơn vị ban hành kế hoạch thực hiện", null=True,
                                     blank=True)
    dissemination_due = models.DateField("hạn đơn vị tổ chức quán triệt", null=True, blank=True)
    # The kinds of unit that must issue their own plan and disseminate it (OrgUnit.Kind values).
    unit_kinds = models.JSONField("loại đơn vị phải thực hiện", default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = "kế hoạch"
        verbose_name_plural = "kế hoạch"

    def __str__(self) -> str:
        return f"Kế hoạch số {self.number}"

    def save(self, *args, **kwargs):
        self.title_folded = fold(f"{self.number} {self.title}")
        super().save(*args, **kwargs)


class TaskStatus(models.TextChoices):
    NOT_STARTED = "chua", "Chưa thực hiện"
    IN_PROGRESS = "dang", "Đang thực hiện"
    DONE = "xong", "Đã hoàn thành"


class PlanTask(models.Model):
    """One task of a plan: its owner (one unit, or every open unit of a kind), its deadline."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveIntegerField("thứ tự", default=1)
    section = models.CharField("mục trong kế hoạch", max_length=40, blank=True)
    text = models.TextField("nội dung nhiệm vụ")
    text_folded = models.TextField(editable=False, default="")
    owner_unit = models.ForeignKey("orgs.OrgUnit", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="plan_tasks",
                                   verbose_name="đơn vị chủ trì")
    owner_kind = models.CharField("mọi đơn vị loại", max_length=20, blank=True)
    due_on = models.DateField("thời hạn", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = "nhiệm vụ của kế hoạch"
        verbose_name_plural = "nhiệm vụ của kế hoạch"
        constraints = [
            # exactly one of: one owner unit, every unit of a kind
            models.CheckConstraint(
                condition=(Q(owner_unit__isnull=False) & Q(owner_kind=""))
                | (Q(owner_unit__isnull=True) & ~Q(owner_kind="")),
                name="plantask_one_owner_rule",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.number} — nhiệm vụ {self.position}"

    def save(self, *args, **kwargs):
        self.text_folded = fold(self.text)
        super().save(*args, **kwargs)


class TaskProgress(models.Model):
    """What one unit reports on one task: its status, when done, and the evidence."""

    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="progress")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name="đơn vị")
    status = models.CharField("tình trạng", max_length=10, choices=TaskStatus.choices,
                              default=TaskStatus.NOT_STARTED)
    done_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    evidence_note = models.TextField("minh chứng", blank=True)
    evidence_file = models.ForeignKey(PlanFile, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name="tệp minh chứng")
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "tiến độ nhiệm vụ của đơn vị"
        verbose_name_plural = "tiến độ nhiệm vụ của đơn vị"
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="taskprogress_one_per_unit"),
            models.CheckConstraint(condition=~Q(status="xong") | Q(done_on__isnull=False),
                                   name="taskprogress_done_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.task}: {self.get_status_display()}"


class ImplementationPlan(models.Model):
    """A unit's own plan carrying out the ward's plan (one per unit and plan; replaced, not
    duplicated, when the unit issues a revised one)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="unit_plans")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name="đơn vị")
    number = models.CharField("số, ký hiệu", max_length=40, blank=True)
    issued_on = models.DateField("ngày ban hành")
    file = models.ForeignKey(PlanFile, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name="tệp kế hoạch")
    note = models.TextField("ghi chú", blank=True)
    version = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "unit__sort_key"]
        verbose_name = "kế hoạch thực hiện của đơn vị"
        verbose_name_plural = "kế hoạch thực hiện của đơn vị"
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit"], name="implementationplan_one"),
        ]

    def __str__(self) -> str:
        return f"Kế hoạch thực hiện của {self.unit} ({self.issued_on:%d/%m/%Y})"


class DisseminationSession(models.Model):
    """A session where a unit disseminated the directive and the plan to its members."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sessions")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name="đơn vị")
    held_on = models.DateField("ngày tổ chức")
    attendance = models.PositiveIntegerField("số người dự")
    expected = models.PositiveIntegerField("số người phải dự", null=True, blank=True)
    content = models.TextField("nội dung quán triệt")
    version = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "buổi quán triệt, triển khai"
        verbose_name_plural = "buổi quán triệt, triển khai"
        constraints = [
            models.CheckConstraint(
                condition=Q(expected__isnull=True) | Q(attendance__lte=models.F("expected")),
                name="session_attendance_not_above_expected"),
        ]

    def __str__(self) -> str:
        return f"Quán triệt của {self.unit} ngày {self.held_on:%d/%m/%Y}"


class Inspection(models.Model):
    """An inspection (kiểm tra) or supervision (giám sát) of a unit's carrying out of the plan."""

    class Kind(models.TextChoices):
        INSPECTION = "kiem_tra", "Kiểm tra"
        SUPERVISION = "giam_sat", "Giám sát"

    class FollowUp(models.TextChoices):
        OPEN = "chua", "Chưa khắc phục"
        IN_PROGRESS = "dang", "Đang khắc phục"
        DONE = "xong", "Đã khắc phục"
        NONE = "khong", "Không phải khắc phục"

    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="inspections", verbose_name="theo kế hoạch")
    kind = models.CharField("hình thức", max_length=10, choices=Kind.choices)
    inspecting_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT,
                                        related_name="+", verbose_name="đơn vị kiểm tra")
    inspected_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT,
                                       related_name="+", verbose_name="đơn vị được kiểm tra")
    held_on = models.DateField("ngày kiểm tra")
    findings = models.TextField("kết quả, hạn chế phát hiện")
    findings_folded = models.TextField(editable=False, default="")
    recommendations = models.TextField("kiến nghị, yêu cầu khắc phục", blank=True)
    follow_up = models.CharField("tình trạng khắc phục", max_length=10,
                                 choices=FollowUp.choices, default=FollowUp.OPEN)
    follow_up_note = models.TextField("kết quả khắc phục", blank=True)
    version = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "cuộc kiểm tra, giám sát"
        verbose_name_plural = "cuộc kiểm tra, giám sát"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.inspected_unit} ngày {self.held_on:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        self.findings_folded = fold(self.findings)
        super().save(*args, **kwargs)
