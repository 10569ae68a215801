"""Criteria sets (versioned per year), the office's entered scores and the units' scorecards (R6).

A card is computed from the data whenever it is read (``evaluation.measures``); the ``Scorecard``
row holds what is *said* about it: the unit's comment and, once the office finalises it, the
frozen snapshot that every later read shows instead of a recomputation.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from evaluation import scoring


class CriteriaSet(models.Model):
    """The criteria the office scores units by from ``year`` on, in its ``version``.

    The set in force for a period is the newest version of the latest year not after the
    period's year; a past year keeps its own set when a later year gets a new one."""

    year = models.PositiveIntegerField(
        "áp dụng từ năm", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    version = models.PositiveIntegerField("phiên bản", default=1)
    name = models.CharField("tên bộ tiêu chí", max_length=200)
    excellent_min = models.FloatField("ngưỡng hoàn thành xuất sắc (điểm)", default=90)
    good_min = models.FloatField("ngưỡng hoàn thành tốt (điểm)", default=75)
    pass_min = models.FloatField("ngưỡng hoàn thành (điểm)", default=50)
    note = models.TextField("căn cứ, ghi chú", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = "bộ tiêu chí đánh giá"
        verbose_name_plural = "bộ tiêu chí đánh giá"
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="criteriaset_year_version"),
            models.CheckConstraint(
                condition=models.Q(excellent_min__gte=models.F("good_min"))
                & models.Q(good_min__gte=models.F("pass_min")),
                name="criteriaset_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (năm {self.year}, phiên bản {self.version})"

    @property
    def thresholds(self) -> scoring.Thresholds:
        return scoring.Thresholds(self.excellent_min, self.good_min, self.pass_min)

    def specs(self) -> list[scoring.CriterionSpec]:
        return [c.spec for c in self.criteria.all()]


class Criterion(models.Model):
    class Measure(models.TextChoices):
        REPORTS_ON_TIME = "reports_on_time", "Tỷ lệ báo cáo tháng nộp đúng hạn"
        STREAMS_COMPLETE = "streams_complete", (
            "Tỷ lệ luồng ý kiến ghi đủ thái độ, mức độ, nhóm xã hội"
        )
        LATENT_NAMED = "latent_named", "Tỷ lệ báo cáo nêu dư luận tiềm ẩn"
        PROPOSALS_MADE = "proposals_made", "Tỷ lệ báo cáo có kiến nghị, đề xuất"
        ISSUES_ON_TIME = "issues_on_time", "Tỷ lệ vấn đề trả lời, giải quyết đúng hạn"
        DIRECTIONS_ON_TIME = "directions_on_time", "Tỷ lệ chỉ đạo hoàn thành đúng hạn"
        COLLABORATOR_ITEMS = "collaborator_items", (
            "Số ý kiến cộng tác viên của đơn vị ghi nhận bình quân mỗi tháng"
        )
        INCIDENTS = "incidents", (
            "Vụ việc lệch lạc, sơ hở, bị động bị kết luận có khuyết điểm (trừ điểm mỗi vụ)"
        )
        SESSIONS_HELD = "sessions_held", (
            "Số buổi quán triệt, triển khai kế hoạch đơn vị tổ chức trong kỳ"
        )
        ENTERED = "entered", "Ban Xây dựng Đảng chấm (có minh chứng)"

    class Missing(models.TextChoices):
        EXCLUDE = scoring.EXCLUDE, "Không tính tiêu chí, quy đổi tổng điểm về thang 100"
        ZERO = scoring.ZERO, "Tính 0 điểm"

    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="criteria"
    )
    position = models.PositiveSmallIntegerField("thứ tự", default=0)
    code = models.SlugField("mã tiêu chí", max_length=40)
    name = models.CharField("tên tiêu chí", max_length=300)
    weight = models.FloatField("trọng số (điểm tối đa)", validators=[MinValueValidator(0)])
    measure = models.CharField("cách đo", max_length=24, choices=Measure.choices)
    target = models.FloatField("mức đạt điểm tối đa")
    floor = models.FloatField("mức 0 điểm", default=0)
    missing = models.CharField(
        "khi không có số liệu", max_length=8, choices=Missing.choices, default=Missing.EXCLUDE
    )

    class Meta:
        ordering = ["criteria_set", "position", "id"]
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_code_once"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_entered(self) -> bool:
        return self.measure == self.Measure.ENTERED

    @property
    def spec(self) -> scoring.CriterionSpec:
        return scoring.CriterionSpec(
            code=self.code, name=self.name, weight=self.weight, measure=self.measure,
            target=self.target, floor=self.floor, missing=self.missing,
        )


class EnteredScore(models.Model):
    """The office's value for an entered criterion, a unit and a period, with its evidence."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+")
    period = models.CharField("kỳ đánh giá", max_length=8)
    value = models.FloatField("điểm chấm")
    evidence = models.TextField("minh chứng")
    evidence_ref = models.CharField(
        "số văn bản, biên bản làm minh chứng", max_length=200, blank=True
    )
    # The scanned minutes or document, checked and stored as the plans' evidence files are.
    evidence_file = models.ForeignKey(
        "plans.PlanFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="tệp minh chứng",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "điểm Ban Xây dựng Đảng chấm"
        verbose_name_plural = "điểm Ban Xây dựng Đảng chấm"
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "unit", "period"], name="entered_score_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}/{self.unit_id}/{self.period}: {self.value:g}"


class Scorecard(models.Model):
    """What is said about one unit's card for one period: its comment, and once finalised the
    snapshot every later read shows (locked: no recomputation changes it)."""

    class State(models.TextChoices):
        OPEN = "open", "Chưa chốt"
        FINAL = "final", "Đã chốt"

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    period = models.CharField("kỳ đánh giá", max_length=8)
    state = models.CharField(
        "trạng thái", max_length=6, choices=State.choices, default=State.OPEN
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField("ý kiến của đơn vị", blank=True)
    commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    commented_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.JSONField("kết quả đã chốt", default=dict, blank=True)
    total = models.FloatField("tổng điểm", null=True, blank=True)
    classification = models.CharField("xếp loại", max_length=20, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "phiếu đánh giá"
        verbose_name_plural = "phiếu đánh giá"
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="scorecard_unit_period"),
        ]
        indexes = [models.Index(fields=["period", "state"], name="scorecard_period_state")]

    def __str__(self) -> str:
        return f"Phiếu đánh giá {self.period} của đơn vị {self.unit_id}"

    @property
    def is_final(self) -> bool:
        return self.state == self.State.FINAL


class Incident(models.Model):
    """A deviation, omission or passivity of a unit in public-opinion work (R8), as the office
    records it, and the review's outcome. Counted on the unit's scorecard (measure
    ``incidents``) once the review finds the unit at fault."""

    class Kind(models.TextChoices):
        DEVIATION = "lech_lac", "Lệch lạc"
        OMISSION = "so_ho", "Sơ hở, bỏ sót"
        PASSIVITY = "bi_dong", "Bị động"

    class Source(models.TextChoices):
        ALERT = "alert", "Cảnh báo dư luận mới nổi"
        LATENT = "latent", "Dư luận tiềm ẩn được phát hiện"
        ISSUE = "issue", "Vấn đề quá hạn chưa trả lời"
        OTHER = "other", "Khác (phản ánh, kiểm tra, giám sát)"

    class Outcome(models.TextChoices):
        PENDING = "", "Đang xem xét"
        NO_FAULT = "khong_vi_pham", "Không có khuyết điểm"
        COMMENDATION = "khen_thuong", "Khen thưởng"
        CRITICISM = "phe_binh", "Phê bình, nhắc nhở"
        DISCIPLINE = "ky_luat", "Kỷ luật"

    AT_FAULT = (Outcome.CRITICISM, Outcome.DISCIPLINE)

    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị"
    )
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    occurred_on = models.DateField("thời điểm xảy ra")
    description = models.TextField("nội dung")
    source = models.CharField("phát hiện từ", max_length=8, choices=Source.choices)
    source_pk = models.PositiveIntegerField("mã bản ghi phát hiện", null=True, blank=True)
    source_label = models.CharField("căn cứ phát hiện", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(
        "kết quả xem xét", max_length=14, choices=Outcome.choices, default="", blank=True
    )
    review = models.TextField("nội dung xem xét, kết luận", blank=True)
    decided_on = models.DateField("ngày kết luận", null=True, blank=True)
    decision_ref = models.CharField("số quyết định, kết luận", max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = "vụ việc lệch lạc, sơ hở, bị động"
        verbose_name_plural = "vụ việc lệch lạc, sơ hở, bị động"
        indexes = [models.Index(fields=["unit", "occurred_on"], name="incident_unit_day")]
        constraints = [
            # A record found by the data is made an incident once (per unit).
            models.UniqueConstraint(
                fields=["unit", "source", "source_pk"],
                condition=models.Q(source_pk__isnull=False), name="incident_source_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.occurred_on:%d/%m/%Y}"

    @property
    def at_fault(self) -> bool:
        return self.outcome in self.AT_FAULT

    @property
    def reviewed(self) -> bool:
        return bool(self.outcome)


class DismissedCandidate(models.Model):
    """A candidate the data suggested (``evaluation.incidents.candidates``) that the office
    looked at and found no incident in, with its reason: it is not offered again."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+",
                             verbose_name="đơn vị")
    source = models.CharField("phát hiện từ", max_length=8, choices=Incident.Source.choices)
    source_pk = models.PositiveIntegerField("bản ghi phát hiện")
    reason = models.TextField("lý do bỏ qua")
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "dấu hiệu đã bỏ qua"
        verbose_name_plural = "dấu hiệu đã bỏ qua"
        constraints = [
            models.UniqueConstraint(fields=["unit", "source", "source_pk"],
                                    name="dismissed_candidate_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} #{self.source_pk} của {self.unit}"
