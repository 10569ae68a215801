"""Periods, templates, unit reports, opinion streams, versions, consolidation (R2, R6)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.dates import local_today
from core.models import Attitude, Channel, Reach, SocialGroup, Topic
from orgs.models import Area, OrgUnit
from reporting.periods import HALF, MONTH, YEAR, PeriodKey

DEFAULT_SECTIONS = [
    {"key": "tu_tuong", "title": "Tình hình tư tưởng"},
    {"key": "du_luan_noi_bat", "title": "Dư luận nổi bật"},
    {"key": "du_luan_tiem_an", "title": "Dư luận tiềm ẩn và dự báo"},
    {"key": "kien_nghi", "title": "Kiến nghị, đề xuất"},
]


def default_sections() -> list[dict]:
    return [dict(section) for section in DEFAULT_SECTIONS]


class Period(models.Model):
    class Kind(models.TextChoices):
        MONTH = MONTH, "Tháng"
        HALF = HALF, "6 tháng"
        YEAR = YEAR, "Năm"

    kind = models.CharField("loại kỳ", max_length=5, choices=Kind.choices)
    year = models.PositiveIntegerField("năm")
    number = models.PositiveSmallIntegerField("số thứ tự trong năm")
    code = models.CharField("mã kỳ", max_length=8, unique=True)
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")

    class Meta:
        ordering = ["start", "kind"]
        verbose_name = "kỳ báo cáo"
        verbose_name_plural = "kỳ báo cáo"
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "number"], name="period_unique_key")
        ]

    def __str__(self) -> str:
        return self.key.label

    @property
    def key(self) -> PeriodKey:
        return PeriodKey(self.year, self.kind, self.number)


class ReportTemplate(models.Model):
    """What a unit must report each period, by when, and who must report it."""

    name = models.CharField("tên mẫu", max_length=200)
    period_kind = models.CharField(
        "loại kỳ", max_length=5, choices=Period.Kind.choices, default=Period.Kind.MONTH
    )
    deadline_day = models.PositiveSmallIntegerField(
        "hạn nộp (ngày trong tháng)",
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    # "Trước ngày 25" (the plan) ends with the 24th; "đến hết ngày 25" includes the 25th. The
    # template says which, so nobody has to guess what a report sent on the 25th is.
    deadline_inclusive = models.BooleanField(
        "tính cả ngày hạn nộp",
        default=False,
        help_text="Bỏ chọn: nộp trước ngày hạn (hạn cuối là hết ngày liền trước). Chọn: nộp đến"
        " hết ngày hạn.",
    )
    remind_days_before = models.PositiveSmallIntegerField(
        "nhắc trước hạn (ngày)", default=3, validators=[MaxValueValidator(31)]
    )
    sections = models.JSONField("các phần tường thuật", default=default_sections)
    units = models.ManyToManyField(
        OrgUnit, blank=True, related_name="report_templates", verbose_name="đơn vị phải báo cáo"
    )
    effective_from = models.DateField(
        "áp dụng từ ngày",
        null=True,
        blank=True,
        help_text="Kỳ kết thúc trước ngày này không tính là phải nộp (trước khi áp dụng mẫu).",
    )
    active = models.BooleanField("đang dùng", default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name = "mẫu báo cáo"
        verbose_name_plural = "mẫu báo cáo"

    def __str__(self) -> str:
        return self.name

    @property
    def last_day(self) -> int:
        """The day of the month whose end is the deadline: 24 for "trước ngày 25"."""
        return self.deadline_day if self.deadline_inclusive else max(1, self.deadline_day - 1)

    @property
    def deadline_rule(self) -> str:
        """The rule in words, for the template pages: "trước ngày 25 (hết ngày 24)"."""
        if self.deadline_inclusive:
            return f"đến hết ngày {self.deadline_day}"
        return f"trước ngày {self.deadline_day} (hạn cuối: hết ngày {self.last_day})"

    def deadline_of(self, key: PeriodKey) -> dt.date:
        """The last local day a report of ``key`` counts as on time (clamped to the month)."""
        return key.deadline(self.last_day)

    def deadline_ends_at(self, key: PeriodKey, tz: dt.tzinfo) -> dt.datetime:
        """The first instant past the deadline: midnight after its last day, local time."""
        return key.deadline_ends_at(self.last_day, tz)

    def deadline_for(self, period: Period) -> dt.date:
        return self.deadline_of(period.key)

    def covers(self, key: PeriodKey) -> bool:
        """Whether the template was in force during the period (units owe it a report)."""
        return self.effective_from is None or key.end >= self.effective_from

    def expects(self, unit: OrgUnit, key: PeriodKey) -> bool:
        """An assigned unit owes a report when it was open during a period the template covers."""
        return self.covers(key) and unit.is_open_between(key.start, key.end)

    def section_keys(self) -> list[str]:
        return [section["key"] for section in self.sections]


class UnitReport(models.Model):
    """One unit's report for one period. ``version`` guards against silent overwrites."""

    class State(models.TextChoices):
        DRAFT = "draft", "Bản nháp"
        SUBMITTED = "submitted", "Đã nộp"
        RETURNED = "returned", "Bị trả lại"

    template = models.ForeignKey(ReportTemplate, on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="reports")
    state = models.CharField("trạng thái", max_length=10, choices=State.choices, default="draft")
    sections = models.JSONField("nội dung", default=dict, blank=True)
    version = models.PositiveIntegerField("phiên bản", default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_submitted_at = models.DateTimeField("nộp lần đầu", null=True, blank=True)
    submitted_at = models.DateTimeField("nộp lần cuối", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField("trả lại lúc", null=True, blank=True)
    return_reason = models.TextField("lý do trả lại", blank=True)
    # When the office last opened the report (its inbox lists what it has not looked at since the
    # last submission: submitted_at > office_seen_at is a resubmission to read again).
    office_seen_at = models.DateTimeField("Ban Xây dựng Đảng đã xem lúc", null=True, blank=True)
    # The unit's opinion items whose proposed stream it dropped (issue 15): they are not proposed
    # again for this report. Ids, not a link: dropping changes nothing the report says.
    dropped_items = models.JSONField("ý kiến đã bỏ khỏi đề xuất", default=list, blank=True)
    # The approval chain (issue 15, reporting.approval): who has reviewed a submitted report. A
    # second field, not more states, so an approved or accepted report is still "submitted".
    approval = models.CharField(
        "duyệt", max_length=10, blank=True, default="",
        choices=[("approved", "Cấp trên đã duyệt"), ("accepted", "Đã chấp nhận")],
    )
    approved_at = models.DateTimeField("cấp trên duyệt lúc", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField("chấp nhận lúc", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-period__start", "unit__sort_key", "unit__name"]
        verbose_name = "báo cáo đơn vị"
        verbose_name_plural = "báo cáo đơn vị"
        constraints = [
            models.UniqueConstraint(
                fields=["template", "period", "unit"], name="unitreport_one_per_period"
            )
        ]
        indexes = [models.Index(fields=["period", "template"], name="unitreport_period_tpl")]

    def __str__(self) -> str:
        return f"{self.unit} — {self.period}"

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.SUBMITTED

    @property
    def is_accepted(self) -> bool:
        return self.approval == "accepted"


class OpinionStream(models.Model):
    """A stream of opinion (luồng ý kiến): the unit of a report's analysis."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="streams")
    position = models.PositiveSmallIntegerField(default=0)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, verbose_name="chủ đề")
    summary = models.TextField("nội dung ý kiến")
    attitude = models.CharField("thái độ", max_length=12, choices=Attitude.choices)
    reach = models.CharField("mức độ", max_length=16, choices=Reach.choices)
    social_groups = models.ManyToManyField(SocialGroup, blank=True, verbose_name="nhóm xã hội")
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="địa bàn"
    )
    channel = models.CharField("nguồn", max_length=20, choices=Channel.choices)
    latent = models.BooleanField("dư luận tiềm ẩn", default=False)
    # What the stream summarises (issue 3): the items and issues behind it.
    items = models.ManyToManyField(
        "intake.OpinionItem", blank=True, related_name="streams", verbose_name="ý kiến"
    )
    issues = models.ManyToManyField(
        "issues.Issue", blank=True, related_name="streams", verbose_name="vấn đề"
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "luồng ý kiến"
        verbose_name_plural = "luồng ý kiến"

    def __str__(self) -> str:
        return f"{self.topic}: {self.summary[:60]}"


# What each kept version of a report records, as the reader says it (the stored codes stay).
VERSION_ACTIONS = {
    "create": "tạo", "save": "lưu", "submit": "nộp", "return": "trả lại",
    "approve": "cấp trên duyệt", "accept": "chấp nhận", "unlock": "mở khóa",
}


class ReportVersion(models.Model):
    """A frozen copy of a report at each save, submit and return: every version is kept."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("phiên bản")
    action = models.CharField("thao tác", max_length=10)
    snapshot = models.JSONField()
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reportversion_unique")
        ]

    def __str__(self) -> str:
        action = VERSION_ACTIONS.get(self.action, self.action)
        return f"{self.report} — phiên bản {self.number} ({action})"


class Reminder(models.Model):
    """A reminder that was sent. The unique keys are what make sending idempotent: an automatic
    reminder once per (template, period, unit, kind); the office's own ("manual", from its inbox)
    once a day per (template, period, unit)."""

    class Kind(models.TextChoices):
        BEFORE = "before", "Sắp đến hạn"
        OVERDUE = "overdue", "Quá hạn"
        MANUAL = "manual", "Ban Xây dựng Đảng nhắc"

    template = models.ForeignKey(ReportTemplate, on_delete=models.CASCADE)
    period = models.ForeignKey(Period, on_delete=models.CASCADE)
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)
    # The local date of sending: the day a manual reminder is unique on.
    sent_on = models.DateField("ngày gửi", default=local_today)
    recipients = models.JSONField(default=list)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["template", "period", "unit", "kind"],
                condition=models.Q(kind__in=["before", "overdue"]),
                name="reminder_sent_once",
            ),
            models.UniqueConstraint(
                fields=["template", "period", "unit", "sent_on"],
                condition=models.Q(kind="manual"),
                name="reminder_manual_once_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.unit} — {self.period}"


class ConsolidatedReport(models.Model):
    """A report for a period drafted from unit reports, then edited: the ward's (``unit``
    empty; the office's, from every unit) or a unit's, from the units below it (a đảng bộ's of
    its chi bộ)."""

    template = models.ForeignKey(ReportTemplate, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="consolidations")
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="đơn vị lập (trống: Đảng ủy phường)",
    )
    number = models.CharField("số văn bản", max_length=20, blank=True)
    title = models.CharField("trích yếu", max_length=300)
    sections = models.JSONField("nội dung", default=dict)
    data = models.JSONField("số liệu tổng hợp", default=dict)
    recipients = models.TextField("nơi nhận", blank=True)
    signer_title = models.CharField("chức vụ người ký", max_length=100, default="BÍ THƯ")
    signer_name = models.CharField("người ký", max_length=150, blank=True)
    version = models.PositiveIntegerField(default=1)
    generated_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period__start"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "period"], condition=models.Q(unit__isnull=True),
                name="consolidated_one_per_period",
            ),
            models.UniqueConstraint(
                fields=["template", "period", "unit"], condition=models.Q(unit__isnull=False),
                name="consolidated_one_per_unit_period",
            ),
        ]

    def __str__(self) -> str:
        return self.title
