"""Comments on a draft, clause by clause (issue 12, first slice).

The office uploads a draft (DOCX); ``consultations.splitting`` finds its articles and clauses,
each stored as a :class:`Provision` a comment can be about (an article as a whole, or one of its
numbered clauses). A :class:`Comment` comes from a unit, a named organisation, or residents a
unit or collaborator heard (never a resident's name: residents are counted). Comments on one
provision are grouped by the text engine (:class:`CommentGroup`, near-identical comments
together); the drafting body's answer (tiếp thu, giải trình, không tiếp thu) is given per group.
"""

from __future__ import annotations

import functools
import operator

from django.conf import settings
from django.db import models

from consultations.policy_rules import CRITERIA, CRITERIA_KEYS
from core.text import fold

_MARK = dict(CRITERIA)


class Draft(models.Model):
    """A draft put out for comment: its text split into provisions, and the comment window."""

    title = models.CharField("tên dự thảo", max_length=300)
    issuing_body = models.CharField("cơ quan chủ trì soạn thảo", max_length=200)
    opens_on = models.DateField("ngày bắt đầu lấy ý kiến")
    closes_on = models.DateField("ngày kết thúc lấy ý kiến")
    file_name = models.CharField("tên tệp", max_length=255)
    # consultations.splitting.Draft.as_dict(): the structure as it was found.
    structure = models.JSONField("cấu trúc", default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = "dự thảo lấy ý kiến"
        verbose_name_plural = "dự thảo lấy ý kiến"
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")),
                                   name="consult_draft_window_in_order"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class Provision(models.Model):
    """What one comments on: an article as a whole (``clause`` blank) or one of its clauses."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="provisions")
    position = models.PositiveIntegerField("thứ tự")
    chapter = models.CharField("chương", max_length=20, blank=True)
    article = models.CharField("điều", max_length=10)
    clause = models.CharField("khoản", max_length=10, blank=True)
    title = models.CharField("tên điều", max_length=500, blank=True)
    # The clause's text with its points ("a) …" lines), or the article's own text.
    text = models.TextField("nội dung", blank=True)

    class Meta:
        ordering = ["draft", "position"]
        verbose_name = "điều, khoản"
        verbose_name_plural = "điều, khoản"
        constraints = [
            models.UniqueConstraint(fields=["draft", "article", "clause"],
                                    name="consult_provision_once"),
            models.UniqueConstraint(fields=["draft", "position"],
                                    name="consult_provision_position_once"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """"Điều 3" or "Khoản 2 Điều 3", as the bản tổng hợp names it."""
        if self.clause:
            return f"Khoản {self.clause} Điều {self.article}"
        return f"Điều {self.article}"


class CommentGroup(models.Model):
    """Near-identical comments on one provision, answered once by the drafting body."""

    class Response(models.TextChoices):
        ACCEPTED = "tiep_thu", "Tiếp thu"
        EXPLAINED = "giai_trinh", "Giải trình"
        REJECTED = "khong_tiep_thu", "Không tiếp thu"

    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="groups")
    # The grouper's id for it within the provision: comments are grouped in the order they came,
    # and an earlier comment never moves, so a group keeps its key (and its answer) as comments
    # are added.
    key = models.PositiveIntegerField()
    text = models.TextField("nội dung tiêu biểu")
    size = models.PositiveIntegerField("số ý kiến", default=0)
    response = models.CharField("ý kiến tiếp thu, giải trình", max_length=20,
                                choices=Response.choices, blank=True)
    reason = models.TextField("nội dung tiếp thu, giải trình", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["provision__position", "key"]
        verbose_name = "nhóm ý kiến góp ý"
        verbose_name_plural = "nhóm ý kiến góp ý"
        constraints = [
            models.UniqueConstraint(fields=["provision", "key"], name="consult_group_key_once"),
        ]

    def __str__(self) -> str:
        return f"{self.provision.label}: {self.size} ý kiến"


class Comment(models.Model):
    """One comment on a provision. Residents are never named: a resident's comment carries the
    unit (or collaborator's unit) that heard it and is counted; an organisation is named."""

    class Source(models.TextChoices):
        UNIT = "unit", "Đơn vị"
        ORGANISATION = "organisation", "Cơ quan, tổ chức"
        RESIDENT = "resident", "Người dân"

    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="comments")
    source = models.CharField("người góp ý", max_length=20, choices=Source.choices)
    # The unit that commented, or that heard the residents or recorded the organisation's
    # comment: what scopes the comment to its readers.
    unit = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    organisation = models.CharField("tên cơ quan, tổ chức", max_length=200, blank=True)
    text = models.TextField("nội dung góp ý")  # masked (textops), never the raw words
    masked_kinds = models.JSONField(default=list, blank=True)
    group = models.ForeignKey(CommentGroup, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="comments")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "ý kiến góp ý"
        verbose_name_plural = "ý kiến góp ý"
        indexes = [models.Index(fields=["provision", "id"], name="consult_comment_provision")]

    def __str__(self) -> str:
        return f"Góp ý {self.provision.label}"


# --- policies and their consultation (R3, R7) -----------------------------------------------------


class Moment(models.TextChoices):
    """The three moments of a policy's consultation (the survey's ``PolicyStage`` codes, so a
    survey's own "giai đoạn" reads as one)."""

    BEFORE = "truoc", "Trước khi ban hành, triển khai"
    DURING = "trong", "Trong khi triển khai"
    AFTER = "sau", "Sau khi triển khai"


class Policy(models.Model):
    """A policy, project, campaign or movement of the city or the ward, and its stage."""

    class Kind(models.TextChoices):
        POLICY = "chinh_sach", "Chính sách"
        SCHEME = "de_an", "Đề án"
        PROJECT = "du_an", "Dự án"
        CAMPAIGN = "cuoc_van_dong", "Cuộc vận động"
        MOVEMENT = "phong_trao", "Phong trào"

    class Level(models.TextChoices):
        CITY = "thanh_pho", "Thành phố"
        WARD = "phuong", "Phường"

    class Stage(models.TextChoices):
        # the codes are consultations.policy_rules' (DRAFTING, GATED_STAGES)
        DRAFTING = "du_thao", "Đang xây dựng"
        ISSUED = "ban_hanh", "Đã ban hành"
        IN_FORCE = "hieu_luc", "Đang thực hiện"
        EVALUATED = "danh_gia", "Đã sơ kết, đánh giá"

    title = models.CharField("tên chính sách, đề án, dự án", max_length=300)
    title_folded = models.CharField(max_length=300, editable=False, db_index=True, default="")
    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    level = models.CharField("cấp ban hành", max_length=12, choices=Level.choices)
    owner_unit = models.ForeignKey("orgs.OrgUnit", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name="cơ quan chủ trì")
    owner_name = models.CharField("cơ quan chủ trì (ngoài danh sách đơn vị)", max_length=200,
                                  blank=True)
    summary = models.TextField("nội dung chính", blank=True)
    affects_many = models.BooleanField(_MARK["affects_many"], default=False)
    costs_money = models.BooleanField(_MARK["costs_money"], default=False)
    affects_land = models.BooleanField(_MARK["affects_land"], default=False)
    affects_way_of_life = models.BooleanField(_MARK["affects_way_of_life"], default=False)
    # policy_rules.requirement() of the four marks (any one ticked), computed by the database
    # for the list's filter and sort. Not refreshed on an instance by save(): code that has just
    # changed the marks asks policy_rules.requirement(**marks_of(policy)).
    requires_consultation = models.GeneratedField(
        expression=models.ExpressionWrapper(
            functools.reduce(operator.or_, (models.Q(**{key: True}) for key in CRITERIA_KEYS)),
            output_field=models.BooleanField()),
        output_field=models.BooleanField(), db_persist=True, verbose_name="bắt buộc lấy ý kiến")
    stage = models.CharField("giai đoạn", max_length=12, choices=Stage.choices,
                             default=Stage.DRAFTING)
    stage_changed_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency: an edit or a stage change carries the version it read.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "chính sách, đề án, dự án"
        verbose_name_plural = "chính sách, đề án, dự án"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_unit__isnull=False) | ~models.Q(owner_name=""),
                name="consult_policy_has_owner"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title_folded = fold(self.title)
        super().save(*args, **kwargs)

    @property
    def owner(self) -> str:
        return self.owner_unit.name if self.owner_unit_id else self.owner_name


class ConsultationLink(models.Model):
    """One source of a policy's consultation at one moment: a survey, a voter meeting or
    dialogue, an opinion item, an issue, a published answer or explanation, a draft."""

    class Source(models.TextChoices):
        SURVEY = "survey", "Khảo sát"
        MEETING = "meeting", "Tiếp xúc cử tri, đối thoại"
        ITEM = "item", "Ý kiến"
        ISSUE = "issue", "Vấn đề"
        ANSWER = "answer", "Trả lời, giải thích"
        DRAFT = "draft", "Dự thảo lấy ý kiến"

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="links")
    moment = models.CharField("thời điểm", max_length=8, choices=Moment.choices)
    source = models.CharField("nguồn", max_length=10, choices=Source.choices)
    survey = models.ForeignKey("surveys.Survey", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    meeting = models.ForeignKey("intake.Meeting", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("intake.OpinionItem", null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    issue = models.ForeignKey("issues.Issue", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")
    answer = models.ForeignKey("issues.Answer", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    draft = models.ForeignKey(Draft, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)

    TARGETS = ("survey", "meeting", "item", "issue", "answer", "draft")

    class Meta:
        ordering = ["policy", "moment", "source", "pk"]
        verbose_name = "nguồn lấy ý kiến"
        verbose_name_plural = "nguồn lấy ý kiến"
        constraints = [
            # exactly the target its source names is set
            models.CheckConstraint(
                condition=models.Q(
                    *[models.Q(source=name, **{f"{name}__isnull": False},
                               **{f"{other}__isnull": True for other in
                                  ("survey", "meeting", "item", "issue", "answer", "draft")
                                  if other != name})
                      for name in ("survey", "meeting", "item", "issue", "answer", "draft")],
                    _connector=models.Q.OR),
                name="consult_link_one_target"),
            *[models.UniqueConstraint(fields=["policy", "moment", name],
                                      condition=models.Q(**{f"{name}__isnull": False}),
                                      name=f"consult_link_{name}_once")
              for name in ("survey", "meeting", "item", "issue", "answer", "draft")],
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} ({self.get_moment_display()})"

    @property
    def target(self):
        return getattr(self, self.source)


class Waiver(models.Model):
    """A leader's decision that a policy may be issued without the "before" consultation, with
    the reason; shown in the policy's file (and readable by the reports, ``waivers_between``)."""

    policy = models.OneToOneField(Policy, on_delete=models.CASCADE, related_name="waiver")
    reason = models.TextField("lý do miễn lấy ý kiến trước khi ban hành")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "miễn lấy ý kiến trước khi ban hành"
        verbose_name_plural = "miễn lấy ý kiến trước khi ban hành"

    def __str__(self) -> str:
        return f"Miễn lấy ý kiến: {self.policy}"


class Difficulty(models.Model):
    """A difficulty or obstacle named at one moment of a policy's consultation, as the office
    records it from the sources (masked like every stored text)."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="difficulties")
    moment = models.CharField("thời điểm", max_length=8, choices=Moment.choices)
    text = models.TextField("khó khăn, vướng mắc")
    masked_kinds = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["policy", "moment", "pk"]
        verbose_name = "khó khăn, vướng mắc được nêu"
        verbose_name_plural = "khó khăn, vướng mắc được nêu"

    def __str__(self) -> str:
        return self.text[:80]
