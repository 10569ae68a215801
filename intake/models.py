"""Opinion items from every channel, meeting minutes, residents' contact details, imports (R3, R10).

An item's ``text`` is stored only after personal data in it has been masked (``textengine.mask``)
and normalised; the resident's own contact details, when they ask for a reply, live apart in
:class:`ResidentContact`, which only the office may read.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import validate_email
from django.db import models

from core.fields import EncryptedTextField
from core.models import Attitude, Channel, Reach, SocialGroup, Topic
from orgs.models import Area, OrgUnit


class Sensitivity(models.TextChoices):
    NORMAL = "thuong", "Bình thường"
    SENSITIVE = "nhay_cam", "Nhạy cảm"
    HIGHLY_SENSITIVE = "rat_nhay_cam", "Rất nhạy cảm"


class Meeting(models.Model):
    """Minutes of a voter meeting (tiếp xúc cử tri), dialogue (đối thoại) or a leader's reception of
    residents (tiếp công dân): points raised."""

    class Kind(models.TextChoices):
        VOTER_MEETING = "tiep_xuc_cu_tri", "Tiếp xúc cử tri"
        DIALOGUE = "doi_thoai", "Đối thoại"
        # A leader's regular reception of residents (tiếp công dân): the leaders' calendar.
        RECEPTION = "tiep_dan", "Tiếp công dân"

    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    title = models.CharField("tiêu đề", max_length=300)
    held_on = models.DateField("ngày tổ chức")
    place = models.CharField("địa điểm", max_length=300)
    delegates = models.TextField("đại biểu, người chủ trì", blank=True)
    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, verbose_name="đơn vị tổ chức"
    )
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="địa bàn"
    )
    notes = models.TextField("ghi chú", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "biên bản tiếp xúc, đối thoại"
        verbose_name_plural = "biên bản tiếp xúc, đối thoại"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d/%m/%Y}: {self.title}"


class OpinionItem(models.Model):
    """One opinion as received: masked, normalised text plus how, where and about what."""

    text = models.TextField("nội dung (đã che thông tin cá nhân)")
    text_folded = models.TextField(editable=False, default="")
    masked_kinds = models.JSONField("loại thông tin đã che", default=list, blank=True)
    channel = models.CharField("kênh", max_length=20, choices=Channel.choices)
    received_on = models.DateField("ngày tiếp nhận", db_index=True)
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="địa bàn"
    )
    unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinion_items",
        verbose_name="đơn vị tiếp nhận",
    )
    social_groups = models.ManyToManyField(SocialGroup, blank=True, verbose_name="nhóm xã hội")
    topics = models.ManyToManyField(Topic, blank=True, verbose_name="chủ đề")
    attitude = models.CharField("thái độ", max_length=12, choices=Attitude.choices, blank=True)
    reach = models.CharField("mức độ", max_length=16, choices=Reach.choices, blank=True)
    latent = models.BooleanField("dư luận tiềm ẩn", default=False)
    sensitivity = models.CharField(
        "độ nhạy cảm", max_length=14, choices=Sensitivity.choices, default=Sensitivity.NORMAL
    )
    source_link = models.URLField("đường dẫn nguồn", max_length=500, blank=True)
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="points",
        verbose_name="biên bản",
    )
    issue = models.ForeignKey(
        "issues.Issue",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
        verbose_name="vấn đề",
    )
    # What the text engine suggested, and whether a person confirmed the labels (training data).
    suggested_topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suggested_attitude = models.CharField(max_length=12, blank=True)
    suggestion_model = models.CharField(max_length=40, blank=True)
    labels_confirmed = models.BooleanField("nhãn đã xác nhận", default=False)
    wants_reply = models.BooleanField("người dân muốn được trả lời", default=False)
    tracking_code = models.CharField(
        "mã tra cứu", max_length=16, unique=True, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "ý kiến"
        verbose_name_plural = "ý kiến"
        indexes = [
            models.Index(fields=["channel", "received_on"], name="item_channel_day"),
            models.Index(fields=["issue", "received_on"], name="item_issue_day"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ResidentContact(models.Model):
    """A resident's contact details, kept apart from the opinion, readable by the office only.

    The four details are encrypted at rest (:class:`core.fields.EncryptedTextField`, key outside
    the database: :mod:`core.datakey`); every read that shows them is in the audit log
    (``intake.selectors.contact_for``). They are erased, the row kept with ``erased_at``, a set
    number of days after the resident was answered or at the resident's request
    (``intake.services.privacy``)."""

    class Erasure(models.TextChoices):
        RETENTION = "retention", "Hết thời hạn lưu"
        REQUEST = "request", "Theo yêu cầu của người dân"

    item = models.OneToOneField(OpinionItem, on_delete=models.CASCADE, related_name="contact")
    name = EncryptedTextField("họ tên", max_length=150, blank=True)
    phone = EncryptedTextField("điện thoại", max_length=20, blank=True)
    email = EncryptedTextField(
        "thư điện tử", max_length=254, blank=True, validators=[validate_email]
    )
    address = EncryptedTextField("địa chỉ", max_length=300, blank=True)
    notified_at = models.DateTimeField("đã báo trả lời lúc", null=True, blank=True)
    consented_at = models.DateTimeField("đồng ý lưu thông tin lúc", null=True, blank=True)
    erased_at = models.DateTimeField("đã xóa thông tin liên hệ lúc", null=True, blank=True)
    erasure = models.CharField("lý do xóa", max_length=10, choices=Erasure.choices, blank=True)

    class Meta:
        verbose_name = "liên hệ của người dân"
        verbose_name_plural = "liên hệ của người dân"

    def __str__(self) -> str:
        return f"Liên hệ cho ý kiến #{self.item_id}"

    @property
    def is_empty(self) -> bool:
        return not (self.name or self.phone or self.email or self.address)


class ErasureRequest(models.Model):
    """A resident's request, made with their tracking code, to erase what is kept about them."""

    class State(models.TextChoices):
        OPEN = "open", "Chờ xử lý"
        DONE = "done", "Đã xóa"

    item = models.ForeignKey(
        OpinionItem, on_delete=models.CASCADE, related_name="erasure_requests",
        verbose_name="ý kiến",
    )
    state = models.CharField("tình trạng", max_length=8, choices=State.choices,
                             default=State.OPEN)
    requested_at = models.DateTimeField("gửi yêu cầu lúc", auto_now_add=True)
    completed_at = models.DateTimeField("xử lý lúc", null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name="người xử lý",
    )

    class Meta:
        # Open requests first (not completed yet), then the newest.
        ordering = [models.F("completed_at").asc(nulls_first=True), "-requested_at", "-id"]
        verbose_name = "yêu cầu xóa thông tin cá nhân"
        verbose_name_plural = "yêu cầu xóa thông tin cá nhân"
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=models.Q(state="open"), name="one_open_erasure_request"
            ),
        ]

    def __str__(self) -> str:
        return f"Yêu cầu xóa thông tin của ý kiến #{self.item_id}"


class ImportBatch(models.Model):
    """One Excel/CSV import: the mapping used and each refused row with its reason."""

    class State(models.TextChoices):
        PENDING = "pending", "Chờ ghép cột"
        DONE = "done", "Đã nhập"
        FAILED = "failed", "Lỗi"

    file_name = models.CharField("tệp", max_length=255)
    file_data = models.BinaryField(editable=False, null=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    headers = models.JSONField(default=list)
    mapping = models.JSONField("ghép cột", default=dict, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    errors = models.JSONField("lỗi theo dòng", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "lượt nhập tệp"
        verbose_name_plural = "lượt nhập tệp"

    def __str__(self) -> str:
        return self.file_name
