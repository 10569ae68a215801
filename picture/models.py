"""The picture's own rows: rollups of what was heard, area shapes, directions and the tasks that
fill coverage gaps, latent-opinion candidates, alert subscriptions and deliveries, weekly briefs.

Rows may point up or down by string (``"issues.Issue"``); code imports only the floors below.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

# The whole ward: the rollups' scope for the office and the leaders (items with no unit count
# here only). Any other scope is an OrgUnit id and counts that unit's whole subtree.
WARD = 0


class Rollup(models.Model):
    """How many opinions one scope heard on one day, along one dimension (a cuboid of the cube).

    ``scope`` is ``WARD`` or the id of a unit whose subtree is counted (each item is counted at
    every ancestor of its unit, so a reader's picture reads the rows of one scope only).
    ``dimension`` names what ``key`` holds: ``all`` (key ""), ``topic`` (topic id), ``area``
    (area id), ``group`` (social group id), ``channel`` (channel value), ``group_topic``
    ("group id:topic id"), ``area_topic`` ("area id:topic id"), ``issue`` (issue id).
    ``source`` is ``item`` (an opinion item) or ``stream`` (an opinion stream of a submitted
    unit report, dated by the report period's last day).
    """

    class Source(models.TextChoices):
        ITEM = "item", "Ý kiến tiếp nhận"
        STREAM = "stream", "Luồng ý kiến trong báo cáo"

    scope = models.PositiveIntegerField()
    day = models.DateField()
    dimension = models.CharField(max_length=12)
    key = models.CharField(max_length=24, blank=True)
    attitude = models.CharField(max_length=12, blank=True)
    source = models.CharField(max_length=6, choices=Source.choices)
    latent = models.PositiveIntegerField(default=0)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "dimension", "day", "key", "attitude", "source"],
                name="rollup_cell",
            )
        ]
        indexes = [
            # On PostgreSQL migration 0002 adds a covering copy of this index (rollup_cover): a
            # reader's range is an index-only scan and never reads the table at random.
            models.Index(fields=["scope", "dimension", "day"], name="rollup_scope_dim_day"),
            # A refresh replaces one day in every scope; the last day a key was heard (silent
            # areas) is one seek per key.
            models.Index(fields=["day"], name="rollup_day"),
            models.Index(
                fields=["scope", "dimension", "key", "day"], name="rollup_scope_dim_key_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope}/{self.dimension}/{self.day}/{self.key}: {self.count}"


class PeriodRollup(models.Model):
    """The fields a week's or a month's rollup row shares with a day's (its date aside)."""

    scope = models.PositiveIntegerField()
    dimension = models.CharField(max_length=12)
    key = models.CharField(max_length=24, blank=True)
    attitude = models.CharField(max_length=12, blank=True)
    source = models.CharField(max_length=6, choices=Rollup.Source.choices)
    latent = models.PositiveIntegerField(default=0)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class MonthRollup(PeriodRollup):
    """The rollups of one calendar month: the day rows of ``Rollup`` summed over the month
    (``month`` is its first day), the same scopes, dimensions and keys.

    A read of a long window takes its whole months from here and only its ragged ends from the
    day rows (``picture.counting.RollupCounter``). A month row is re-derived from the day rows
    whenever one of its days is recomputed, in the same transaction, so a month with no stale
    day is exact. Panels that need days (by week, the last day heard) read ``Rollup``.
    """

    month = models.DateField()

    class Meta:
        constraints = [
            # Also the readers' index (scope, dimension, month, ...); on PostgreSQL migration
            # 0003 adds a covering copy (month_rollup_cover) for index-only scans.
            models.UniqueConstraint(
                fields=["scope", "dimension", "month", "key", "attitude", "source"],
                name="month_rollup_cell",
            )
        ]
        indexes = [
            # A refresh replaces the months of its stale days in every scope.
            models.Index(fields=["month"], name="month_rollup_month"),
        ]

    def __str__(self) -> str:
        return f"{self.scope}/{self.dimension}/{self.month:%Y-%m}/{self.key}: {self.count}"


class WeekRollup(PeriodRollup):
    """The rollups of one calendar week (Monday to Sunday; ``week`` is its Monday): the item and
    stream day rows of ``Rollup`` summed over the week, the same scopes, dimensions and keys.

    The rising topics' baseline is twelve calendar weeks (``picture.trending``): read here, it is
    twelve rows a key instead of up to eighty-four day rows. Kept like the month rows: a refresh
    moves the week rows of its days by what they changed, in the same transaction.
    """

    week = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "dimension", "week", "key", "attitude", "source"],
                name="week_rollup_cell",
            )
        ]
        indexes = [
            # The baseline reads the weeks of a few keys: one seek per key.
            models.Index(fields=["scope", "dimension", "key", "week"],
                         name="week_rollup_key_week"),
        ]

    def __str__(self) -> str:
        return f"{self.scope}/{self.dimension}/{self.week:%G-W%V}/{self.key}: {self.count}"


class DirtyDay(models.Model):
    """A day whose rollups are stale: marked in the writing transaction, cleared by a refresh."""

    day = models.DateField(primary_key=True)
    marked_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.day.isoformat()


class AreaShape(models.Model):
    """An area's boundary as a GeoJSON geometry (Polygon or MultiPolygon, WGS 84)."""

    class Origin(models.TextChoices):
        IMPORTED = "imported", "Nhập từ GeoJSON"
        GENERATED = "generated", "Hình minh họa do dữ liệu mẫu sinh ra"

    area = models.OneToOneField("orgs.Area", on_delete=models.CASCADE, related_name="shape")
    geometry = models.JSONField("ranh giới (GeoJSON)")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.IMPORTED)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "ranh giới tổ dân phố"
        verbose_name_plural = "ranh giới tổ dân phố"

    def __str__(self) -> str:
        return f"Ranh giới {self.area}"


class Direction(models.Model):
    """A leader's direction (ý kiến chỉ đạo), or a task that fills a coverage gap, addressed to
    units with a due date and followed like an issue."""

    class Kind(models.TextChoices):
        DIRECTION = "direction", "Ý kiến chỉ đạo"
        TASK = "task", "Nhiệm vụ lấp khoảng trống"

    class Status(models.TextChoices):
        OPEN = "open", "Mới giao"
        IN_PROGRESS = "in_progress", "Đang thực hiện"
        DONE = "done", "Đã hoàn thành"
        CANCELLED = "cancelled", "Đã hủy"

    class Target(models.TextChoices):
        NONE = "", "Chung"
        ISSUE = "issue", "Vấn đề"
        REPORT = "report", "Báo cáo"
        AREA = "area", "Tổ dân phố"
        TOPIC = "topic", "Chủ đề"

    class Action(models.TextChoices):
        NONE = "", "—"
        ASSIGN_COLLABORATOR = "assign_collaborator", "Phân công cộng tác viên"
        PLAN_SURVEY = "plan_survey", "Lên kế hoạch khảo sát"
        HOLD_DIALOGUE = "hold_dialogue", "Tổ chức đối thoại"
        REPORT_LATENT = "report_latent", "Nắm dư luận tiềm ẩn"

    code = models.CharField("số", max_length=20, unique=True)
    kind = models.CharField("loại", max_length=10, choices=Kind.choices, default=Kind.DIRECTION)
    action = models.CharField(
        "việc cần làm", max_length=24, choices=Action.choices, default=Action.NONE, blank=True
    )
    text = models.TextField("nội dung chỉ đạo")
    status = models.CharField(
        "trạng thái", max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    due_on = models.DateField("hạn hoàn thành", db_index=True)
    target = models.CharField(
        "chỉ đạo về", max_length=8, choices=Target.choices, default=Target.NONE, blank=True
    )
    issue = models.ForeignKey(
        "issues.Issue", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="directions", verbose_name="vấn đề",
    )
    report = models.ForeignKey(
        "reporting.UnitReport", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="directions", verbose_name="báo cáo",
    )
    area = models.ForeignKey(
        "orgs.Area", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="directions", verbose_name="tổ dân phố",
    )
    topic = models.ForeignKey(
        "core.Topic", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="directions", verbose_name="chủ đề",
    )
    social_group = models.ForeignKey(
        "core.SocialGroup", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name="nhóm xã hội",
    )
    units = models.ManyToManyField(
        "orgs.OrgUnit", through="DirectionAssignment", related_name="directions",
        verbose_name="đơn vị thực hiện",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="người chỉ đạo",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    done_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "-id"]
        verbose_name = "ý kiến chỉ đạo"
        verbose_name_plural = "ý kiến chỉ đạo"

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:60]}"


class DirectionAssignment(models.Model):
    """One unit's part of a direction: acknowledged, in progress, done."""

    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=12, choices=Direction.Status.choices, default=Direction.Status.OPEN
    )
    acknowledged_at = models.DateTimeField("đã nhận lúc", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["direction", "unit"], name="direction_unit_once")
        ]

    def __str__(self) -> str:
        return f"{self.direction.code} → {self.unit}"


class DirectionUpdate(models.Model):
    """A line of a direction's history: acknowledged, progress, status changed, reminded."""

    class Kind(models.TextChoices):
        CREATED = "created", "Giao"
        ACKNOWLEDGED = "ack", "Đã nhận"
        PROGRESS = "progress", "Báo cáo tiến độ"
        STATUS = "status", "Đổi trạng thái"
        REMINDED = "reminded", "Nhắc hạn"
        ESCALATED = "escalated", "Báo quá hạn"

    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, related_name="updates")
    unit = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    note = models.TextField("nội dung", blank=True)
    status = models.CharField(max_length=12, choices=Direction.Status.choices, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.direction.code}: {self.get_kind_display()}"


class LatentCandidate(models.Model):
    """Worry or opposition growing on a topic (in an area) with no issue yet, proposed by the
    engine; the office confirms (a latent issue is opened) or dismisses it."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "Đề xuất"
        CONFIRMED = "confirmed", "Đã xác nhận"
        DISMISSED = "dismissed", "Đã bỏ qua"

    topic = models.ForeignKey("core.Topic", on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(
        "orgs.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    detected_on = models.DateField("ngày phát hiện")
    count = models.PositiveIntegerField("số ý kiến lo lắng, bức xúc, phản đối")
    reason = models.CharField("lý do", max_length=300)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PROPOSED, db_index=True
    )
    issue = models.ForeignKey(
        "issues.Issue", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-detected_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "area", "detected_on"], name="latent_candidate_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return self.reason


class Subscription(models.Model):
    """What a leader or the office wants to be told about, and how often."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "Ngay khi có"
        DAILY = "daily", "Tóm tắt hằng ngày"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="picture_subscriptions"
    )
    topic = models.ForeignKey(
        "core.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    area = models.ForeignKey(
        "orgs.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    by_email = models.BooleanField("gửi thư điện tử", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic", "area"], name="subscription_once")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.topic or ''} {self.area or ''}".strip()


class Alert(models.Model):
    """One alert to one person about one subject, at most once a day (the unique constraint is the
    de-duplication: a second attempt on the same day finds the row and stops)."""

    class Kind(models.TextChoices):
        BURST = "burst", "Ý kiến tăng đột biến"
        RISING = "rising", "Chủ đề đang nóng lên"
        ISSUE_OVERDUE = "issue_overdue", "Vấn đề quá hạn"
        DIRECTION_DUE = "direction_due", "Chỉ đạo sắp đến hạn"
        DIRECTION_OVERDUE = "direction_overdue", "Chỉ đạo quá hạn"
        LATENT = "latent", "Dư luận tiềm ẩn"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="picture_alerts"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject = models.CharField(max_length=80)
    day = models.DateField()
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "subject", "day"], name="alert_once_a_day")
        ]

    def __str__(self) -> str:
        return self.text


class Brief(models.Model):
    """A weekly brief (Bản tin dư luận) for the Standing Committee, or one drafted on demand for
    any period; the figures are frozen in ``data`` so the archive reads as it was sent."""

    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    weekly = models.BooleanField("bản tin thứ Hai hằng tuần", default=False)
    number = models.CharField("số", max_length=20, blank=True)
    title = models.CharField("tiêu đề", max_length=300)
    data = models.JSONField("số liệu", default=dict)
    notes = models.TextField("nhận định của văn phòng", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-end", "-id"]
        verbose_name = "bản tin dư luận"
        verbose_name_plural = "bản tin dư luận"
        constraints = [
            models.UniqueConstraint(
                fields=["start", "end"], condition=models.Q(weekly=True), name="brief_weekly_once"
            )
        ]

    def __str__(self) -> str:
        return self.title
