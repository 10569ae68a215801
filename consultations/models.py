"""Comments on a draft, clause by clause (issue 12, first slice).

The office uploads a draft (DOCX); ``consultations.splitting`` finds its articles and clauses,
each stored as a :class:`Provision` a comment can be about (an article as a whole, or one of its
numbered clauses). A :class:`Comment` comes from a unit, a named organisation, or residents a
unit or collaborator heard (never a resident's name: residents are counted). Comments on one
provision are grouped by the text engine (:class:`CommentGroup`, near-identical comments
together); the drafting body's answer (tiếp thu, giải trình, không tiếp thu) is given per group.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


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
