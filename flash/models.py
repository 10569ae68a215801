"""Flash reports (báo cáo nhanh, đột xuất; issue 15): the office or a leader asks chosen units for
a short report on an event, due within hours."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.text import fold
from orgs.models import OrgUnit

DEFAULT_SECTIONS = [
    {"key": "dien_bien", "title": "Diễn biến, tình hình nắm được"},
    {"key": "du_luan", "title": "Tâm trạng, dư luận của nhân dân"},
    {"key": "kien_nghi", "title": "Việc đã làm, kiến nghị"},
]


def default_sections() -> list[dict]:
    return [dict(section) for section in DEFAULT_SECTIONS]


class FlashRequest(models.Model):
    """An ask for a flash report: the event, who asked, which units, by when (a datetime)."""

    title = models.CharField("tiêu đề", max_length=200)
    title_folded = models.CharField(max_length=200, editable=False, db_index=True, default="")
    event = models.TextField("sự việc cần báo cáo")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name="người yêu cầu",
    )
    asked_at = models.DateTimeField("yêu cầu lúc")
    deadline = models.DateTimeField("hạn nộp")
    sections = models.JSONField("các phần của báo cáo", default=default_sections)
    units = models.ManyToManyField(OrgUnit, related_name="flash_requests",
                                   verbose_name="đơn vị phải báo cáo")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-deadline", "-pk"]
        verbose_name = "yêu cầu báo cáo nhanh"
        verbose_name_plural = "yêu cầu báo cáo nhanh"

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title_folded = fold(self.title)
        super().save(*args, **kwargs)

    def section_keys(self) -> list[str]:
        return [section["key"] for section in self.sections]


class FlashReport(models.Model):
    """One unit's answer to a flash request. ``version`` guards against silent overwrites."""

    class State(models.TextChoices):
        DRAFT = "draft", "Bản nháp"
        SUBMITTED = "submitted", "Đã nộp"

    request = models.ForeignKey(FlashRequest, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="flash_reports")
    state = models.CharField("trạng thái", max_length=10, choices=State.choices,
                             default=State.DRAFT)
    sections = models.JSONField("nội dung", default=dict, blank=True)
    version = models.PositiveIntegerField("phiên bản", default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField("nộp lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["request", "unit__sort_key"]
        verbose_name = "báo cáo nhanh"
        verbose_name_plural = "báo cáo nhanh"
        constraints = [
            models.UniqueConstraint(fields=["request", "unit"], name="flashreport_one_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.request}"


class FlashReminder(models.Model):
    """A reminder sent for a flash request; the unique key makes sending idempotent."""

    class Kind(models.TextChoices):
        HALF = "half", "Đã qua nửa thời hạn"
        HOUR = "hour", "Còn một giờ"

    request = models.ForeignKey(FlashRequest, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.JSONField(default=list)

    class Meta:
        verbose_name = "lời nhắc báo cáo nhanh"
        verbose_name_plural = "lời nhắc báo cáo nhanh"
        constraints = [
            models.UniqueConstraint(fields=["request", "unit", "kind"],
                                    name="flashreminder_sent_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.unit} — {self.request}"
