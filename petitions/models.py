"""Voters' petitions followed through (issue 12, R3, R10).

A round of voter contact (đợt tiếp xúc cử tri) before or after a council session holds meetings
(``intake.Meeting``, linked by :class:`MeetingLink`, which also names the delegate group and the
leader who met the residents). Each point raised at a meeting is an ``intake.OpinionItem``; its
:class:`Point` row says what was done with it: answered at the meeting, passed to an agency (with
a due date, later the agency's reply) or made an issue. A point without a row is not marked yet.
Residents are never named here: a point is counted, its text masked like every stored text.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.text import fold
from orgs.models import OrgUnit


class Field(models.TextChoices):
    """The fields (lĩnh vực) the council's petition reports group points by."""

    LAND = "dat_dai", "Đất đai, quy hoạch, xây dựng"
    TRANSPORT = "giao_thong", "Giao thông, hạ tầng đô thị"
    ENVIRONMENT = "moi_truong", "Tài nguyên, môi trường"
    ECONOMY = "kinh_te", "Kinh tế, tài chính, ngân sách"
    CULTURE = "van_hoa", "Văn hóa, thông tin, thể thao"
    EDUCATION = "giao_duc", "Giáo dục"
    HEALTH = "y_te", "Y tế"
    WELFARE = "chinh_sach", "Lao động, việc làm, chính sách xã hội"
    SECURITY = "an_ninh", "Quốc phòng, an ninh, trật tự"
    GOVERNMENT = "chinh_quyen", "Xây dựng chính quyền, cải cách hành chính"
    OTHER = "khac", "Lĩnh vực khác"


class Round(models.Model):
    """A round of voter contact, before or after one session of the People's Council."""

    class Timing(models.TextChoices):
        BEFORE = "truoc", "Trước kỳ họp"
        AFTER = "sau", "Sau kỳ họp"

    title = models.CharField("tên đợt", max_length=300)
    title_folded = models.CharField(max_length=300, editable=False, db_index=True)
    timing = models.CharField("thời điểm", max_length=8, choices=Timing.choices)
    session_name = models.CharField("kỳ họp HĐND", max_length=300)
    session_on = models.DateField("ngày khai mạc kỳ họp")
    starts_on = models.DateField("từ ngày")
    ends_on = models.DateField("đến ngày")
    council = models.CharField("cơ quan tổng hợp", max_length=200,
                               default="Thường trực HĐND phường")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = "đợt tiếp xúc cử tri"
        verbose_name_plural = "đợt tiếp xúc cử tri"
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                   name="petition_round_dates"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title_folded = fold(self.title)
        super().save(*args, **kwargs)


class DelegateGroup(models.Model):
    """A group of council delegates (tổ đại biểu HĐND) who meet voters together."""

    name = models.CharField("tên tổ", max_length=200, unique=True)
    members = models.TextField("đại biểu trong tổ", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "tổ đại biểu"
        verbose_name_plural = "tổ đại biểu"

    def __str__(self) -> str:
        return self.name


class MeetingLink(models.Model):
    """What a meeting is part of: its round and delegate group, and the leader who chaired it."""

    meeting = models.OneToOneField("intake.Meeting", on_delete=models.CASCADE,
                                   related_name="petition_link", verbose_name="buổi")
    round = models.ForeignKey(Round, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="links", verbose_name="đợt")
    delegate_group = models.ForeignKey(DelegateGroup, null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="links",
                                       verbose_name="tổ đại biểu")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+",
                               verbose_name="lãnh đạo chủ trì")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "gắn buổi tiếp xúc"
        verbose_name_plural = "gắn buổi tiếp xúc"

    def __str__(self) -> str:
        return f"Buổi #{self.meeting_id}"


class Point(models.Model):
    """What was done with one point a voter raised: exactly one disposition at a time."""

    class Disposition(models.TextChoices):
        ANSWERED = "tai_hoi_nghi", "Đã trả lời tại hội nghị"
        REFERRED = "chuyen_co_quan", "Chuyển cơ quan giải quyết"
        ISSUE = "van_de", "Theo dõi thành vấn đề"

    item = models.OneToOneField("intake.OpinionItem", on_delete=models.CASCADE,
                                related_name="petition", verbose_name="ý kiến")
    field = models.CharField("lĩnh vực", max_length=14, choices=Field.choices,
                             default=Field.OTHER)
    agency = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name="cơ quan trả lời")
    agency_name = models.CharField("cơ quan trả lời (ngoài phường)", max_length=200, blank=True)
    disposition = models.CharField("xử lý", max_length=16, choices=Disposition.choices)
    answered_by = models.CharField("người trả lời", max_length=200, blank=True)
    answer = models.TextField("nội dung trả lời", blank=True)
    due_on = models.DateField("hạn trả lời", null=True, blank=True)
    reply = models.TextField("trả lời của cơ quan", blank=True)
    replied_on = models.DateField("ngày cơ quan trả lời", null=True, blank=True)
    issue = models.ForeignKey("issues.Issue", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="petition_points", verbose_name="vấn đề")
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                  related_name="+")
    marked_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "kiến nghị cử tri"
        verbose_name_plural = "kiến nghị cử tri"
        constraints = [
            # Exactly one disposition, with what it needs and nothing of the others.
            models.CheckConstraint(
                name="petition_point_one_disposition",
                condition=(
                    Q(disposition="tai_hoi_nghi", due_on__isnull=True, issue__isnull=True,
                      reply="", replied_on__isnull=True)
                    & ~Q(answered_by="") & ~Q(answer="")
                ) | (
                    Q(disposition="chuyen_co_quan", due_on__isnull=False, issue__isnull=True,
                      answered_by="", answer="")
                    & (Q(agency__isnull=False) | ~Q(agency_name=""))
                ) | Q(
                    disposition="van_de", issue__isnull=False, due_on__isnull=True,
                    answered_by="", answer="", reply="", replied_on__isnull=True,
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Kiến nghị #{self.item_id}: {self.get_disposition_display()}"

    @property
    def agency_label(self) -> str:
        return self.agency.name if self.agency_id else self.agency_name
