"""Issues of public opinion (vấn đề dư luận) followed to an answer (R8, R9, R13).

An issue groups the items about one matter. Its ``code`` is the stable identity people quote; the
text engine's own cluster id is ``engine_key``. A merged issue keeps existing as an alias
(``merged_into``) so old links still lead somewhere.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.choices import IssueStatus
from core.models import Topic
from core.text import fold
from orgs.models import Area, OrgUnit


class Issue(models.Model):
    Status = IssueStatus  # the vocabulary lives in core so intake can filter by it

    class TitleSource(models.TextChoices):
        ITEM = "item", "Từ ý kiến có dấu"
        RESTORED = "restored", "Khôi phục dấu tự động"
        OFFICE = "office", "Văn phòng đặt"

    code = models.CharField("mã vấn đề", max_length=20, unique=True)
    title = models.CharField("tên vấn đề", max_length=300)
    title_folded = models.CharField(max_length=300, editable=False, db_index=True)
    # Where the title's key words come from: an item written with diacritics, an item whose
    # diacritics the engine restored (retitled once an item with diacritics joins), the office.
    title_source = models.CharField(
        "nguồn tên", max_length=10, choices=TitleSource.choices, default=TitleSource.ITEM
    )
    summary = models.TextField("tóm tắt", blank=True)
    status = models.CharField(
        "trạng thái", max_length=16, choices=Status.choices, default=Status.DETECTED
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="chủ đề"
    )
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="địa bàn chính"
    )
    owner_unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_issues",
        verbose_name="đơn vị chịu trách nhiệm",
    )
    due_on = models.DateField("hạn xử lý", null=True, blank=True)
    latent = models.BooleanField("dư luận tiềm ẩn", default=False)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="aliases",
        verbose_name="đã gộp vào",
    )
    engine_key = models.CharField(max_length=40, unique=True, null=True, blank=True)
    first_seen_on = models.DateField("lần đầu ghi nhận", null=True, blank=True)
    last_seen_on = models.DateField("lần gần nhất", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-last_seen_on", "-id"]
        verbose_name = "vấn đề dư luận"
        verbose_name_plural = "vấn đề dư luận"
        indexes = [models.Index(fields=["status", "due_on"], name="issue_status_due")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        self.title_folded = fold(self.title)
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.ANSWERED, self.Status.CLOSED)


class IssueEvent(models.Model):
    """The history of an issue: every change of status, owner, due date, grouping or answer."""

    class Kind(models.TextChoices):
        CREATED = "created", "Phát hiện"
        STATUS = "status", "Đổi trạng thái"
        ASSIGNED = "assigned", "Giao xử lý"
        DUE = "due", "Đổi hạn"
        MERGED = "merged", "Gộp vấn đề"
        SPLIT = "split", "Tách vấn đề"
        ITEM = "item", "Thêm ý kiến"
        ANSWER = "answer", "Trả lời, giải thích"
        NOTE = "note", "Ghi chú"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_value = models.CharField(max_length=300, blank=True)
    to_value = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.issue.code}: {self.get_kind_display()}"


class Answer(models.Model):
    """A published answer or clarification (R9), linked to the issues and items it answers."""

    class Kind(models.TextChoices):
        ANSWER = "tra_loi", "Trả lời kiến nghị"
        CLARIFICATION = "giai_thich", "Thông tin, giải thích chính sách"
        CORRECTION = "dinh_chinh", "Đính chính thông tin sai lệch"

    kind = models.CharField("loại", max_length=12, choices=Kind.choices, default=Kind.ANSWER)
    title = models.CharField("tiêu đề", max_length=300)
    title_folded = models.CharField(max_length=300, editable=False, default="")
    body = models.TextField("nội dung")
    issues = models.ManyToManyField(Issue, related_name="answers", verbose_name="vấn đề")
    items = models.ManyToManyField(
        "intake.OpinionItem", blank=True, related_name="answers", verbose_name="ý kiến"
    )
    answering_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, verbose_name="cơ quan trả lời"
    )
    published_at = models.DateTimeField("công bố lúc", null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = "trả lời, giải thích"
        verbose_name_plural = "trả lời, giải thích"

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title_folded = fold(self.title)
        super().save(*args, **kwargs)


class BurstAlert(models.Model):
    """An emerging issue: more items than the issue's or topic's own baseline explains."""

    issue = models.ForeignKey(
        Issue, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    detected_on = models.DateField("ngày phát hiện")
    window_days = models.PositiveSmallIntegerField(default=3)
    count = models.PositiveIntegerField("số ý kiến trong cửa sổ")
    baseline = models.FloatField("mức thường (trung bình cùng cửa sổ)")
    score = models.FloatField("độ bất thường", default=0)
    reason = models.CharField("lý do", max_length=300)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-detected_on", "-score"]
        verbose_name = "cảnh báo dư luận mới nổi"
        verbose_name_plural = "cảnh báo dư luận mới nổi"
        # NULLs are distinct in a unique index, so an alert is either about an issue or about a
        # topic, and each kind has its own constraint.
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "detected_on"],
                condition=models.Q(topic__isnull=True),
                name="burst_issue_once_per_day",
            ),
            models.UniqueConstraint(
                fields=["topic", "detected_on"],
                condition=models.Q(issue__isnull=True),
                name="burst_topic_once_per_day",
            ),
        ]

    def __str__(self) -> str:
        return self.reason


class MergeProposal(models.Model):
    """The engine's proposal to merge two issues that look like one matter (issue 17): the
    office accepts it in one click (``merge_issues``) or dismisses it, and a dismissed pair is
    never proposed again."""

    class Status(models.TextChoices):
        OPEN = "open", "Chờ Văn phòng xem"
        ACCEPTED = "accepted", "Đã gộp"
        DISMISSED = "dismissed", "Không gộp"
        OBSOLETE = "obsolete", "Không còn hiệu lực"

    keep = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="merge_proposals_kept",
        verbose_name="vấn đề giữ lại",
    )
    other = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="merge_proposals_merged",
        verbose_name="vấn đề gộp vào",
    )
    score = models.FloatField("mức giống")
    reason = models.CharField("lý do", max_length=300)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = "đề xuất gộp vấn đề"
        verbose_name_plural = "đề xuất gộp vấn đề"
        constraints = [
            models.UniqueConstraint(fields=["keep", "other"], name="merge_proposal_once"),
            models.CheckConstraint(condition=~models.Q(keep=models.F("other")),
                                   name="merge_proposal_two_issues"),
        ]

    def __str__(self) -> str:
        return f"{self.other.code} → {self.keep.code}"
