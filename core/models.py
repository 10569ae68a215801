"""Shared vocabularies (topics, social groups, channels), the audit log, in-app notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from core.text import fold


class Attitude(models.TextChoices):
    AGREE = "dong_tinh", "Đồng tình, phấn khởi"
    WORRIED = "ban_khoan", "Băn khoăn, lo lắng"
    AGGRIEVED = "buc_xuc", "Bức xúc"
    OPPOSE = "phan_doi", "Phản đối"


class Reach(models.TextChoices):
    OVERWHELMING = "tuyet_dai_da_so", "Tuyệt đại đa số"
    MAJORITY = "da_so", "Đa số"
    MANY = "nhieu_y_kien", "Nhiều ý kiến"
    SOME = "mot_so_y_kien", "Một số ý kiến"


class Channel(models.TextChoices):
    RESIDENTIAL = "khu_dan_cu", "Khu dân cư"
    VOTER_MEETING = "tiep_xuc_cu_tri", "Tiếp xúc cử tri"
    DIALOGUE = "doi_thoai", "Đối thoại"
    FRONT = "mttq", "MTTQ và các đoàn thể"
    PRESS = "bao_chi", "Báo chí"
    SOCIAL_MEDIA = "mang_xa_hoi", "Mạng xã hội"
    COLLABORATOR = "cong_tac_vien", "Cộng tác viên"
    # What residents send through the public form (/gop-y/), kept apart from "Khác" so the office
    # can triage it and the picture counts it as its own channel.
    PUBLIC_FORM = "gop_y_truc_tuyen", "Góp ý trực tuyến"
    OTHER = "khac", "Khác"


# The channels a person may file an item under: "Góp ý trực tuyến" is only the public form's, so
# the office's triage of it stays the triage of what residents sent.
HAND_FILED_CHANNELS = [
    (code, label) for code, label in Channel.choices if code != Channel.PUBLIC_FORM
]


class NamedVocabulary(models.Model):
    """A short editable list with a folded name for search without diacritics."""

    name = models.CharField("tên", max_length=200, unique=True)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    position = models.PositiveIntegerField("thứ tự", default=0)
    active = models.BooleanField("đang dùng", default=True)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)


class Topic(NamedVocabulary):
    """A field of public opinion (lĩnh vực); the seed list comes from the plan (III.2)."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta(NamedVocabulary.Meta):
        verbose_name = "chủ đề"
        verbose_name_plural = "chủ đề"


class SocialGroup(NamedVocabulary):
    class Meta(NamedVocabulary.Meta):
        verbose_name = "nhóm xã hội"
        verbose_name_plural = "nhóm xã hội"


class AuditEntry(models.Model):
    """One line of the audit log: who did what to which record, and when. Never edited."""

    class Action(models.TextChoices):
        CREATE = "create", "Tạo mới"
        UPDATE = "update", "Cập nhật"
        DELETE = "delete", "Xóa"
        SUBMIT = "submit", "Nộp"
        RETURN = "return", "Trả lại"
        EXPORT = "export", "Xuất tệp"
        LOGIN = "login", "Đăng nhập"
        LOGIN_FAILED = "login_failed", "Đăng nhập thất bại"
        LOCKOUT = "lockout", "Khóa đăng nhập"
        UNLOCK = "unlock", "Mở khóa đăng nhập"
        REMIND = "remind", "Nhắc hạn"
        GENERATE = "generate", "Tổng hợp"
        PASSWORD_CHANGE = "password_change", "Đổi mật khẩu"
        PASSWORD_RESET = "password_reset", "Đặt lại mật khẩu"
        TOKEN_REVOKE = "token_revoke", "Thu hồi mã truy cập"
        OTP_ENROL = "otp_enrol", "Bật xác thực hai bước"
        OTP_DISABLE = "otp_disable", "Tắt xác thực hai bước"
        OTP_RECOVERY = "otp_recovery", "Dùng mã dự phòng"
        OTP_CODES = "otp_codes", "Tạo mã dự phòng mới"
        # Personal data (issue 10, docs/PRIVACY.md): a read that showed residents' contact
        # details, and their erasure (the entry names the record, never the data).
        READ_PERSONAL = "read_personal", "Xem thông tin cá nhân"
        ERASE_PERSONAL = "erase_personal", "Xóa thông tin cá nhân"

    # Set when the entry is made (not auto_now_add: the hash chain needs it before the insert).
    at = models.DateTimeField("thời điểm", default=timezone.now, editable=False, db_index=True)
    # PROTECT, like the unit: a deleted account or unit would blank its rows and break the hash
    # chain; accounts are deactivated, never deleted, while the log names them.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người thực hiện",
    )
    action = models.CharField("thao tác", max_length=20, choices=Action.choices)
    object_type = models.CharField("loại đối tượng", max_length=60)
    object_id = models.CharField("mã đối tượng", max_length=60, blank=True)
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="đơn vị",
    )
    summary = models.CharField("nội dung", max_length=500)
    data = models.JSONField("chi tiết", default=dict, blank=True)
    # The hash chain (core.auditchain): the previous row's hash, and this row's over its content.
    prev_hash = models.CharField("mã băm dòng trước", max_length=64, blank=True, editable=False)
    hash = models.CharField("mã băm", max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "nhật ký"
        verbose_name_plural = "nhật ký"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.summary}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Nhật ký không được sửa.")
        from core import auditchain

        if self.at is None:
            self.at = timezone.now()
        with transaction.atomic():
            auditchain.link(self)
            super().save(*args, **kwargs)


class AuditChainHead(models.Model):
    """The end of the audit log's hash chain (one row, pk 1): the last hash and the row count.
    Every append locks it to the end of its transaction (core.auditchain)."""

    last_hash = models.CharField(max_length=64)
    rows = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "đầu chuỗi nhật ký"

    def __str__(self) -> str:
        return f"{self.rows} dòng, {self.last_hash[:12]}…"


class Notification(models.Model):
    """An in-app message for one user; any app writes them through ``core.services.notify``.

    The table keeps its first name (``reporting_notification``): the model moved from
    ``reporting`` to ``core`` without touching the rows (issue 14)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "reporting_notification"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text


class DailySalt(models.Model):
    """A random salt for one day (UTC), used to hash residents' addresses for the public-form
    throttle. Deleted after 48 hours: once gone, the day's hashes cannot be linked to anything."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.day.isoformat()


class OutgoingEmail(models.Model):
    """One e-mail in the outbox: written in the transaction that decides to send it, sent by the
    background worker with retries (``core.outbox``)."""

    class State(models.TextChoices):
        PENDING = "pending", "Đang chờ gửi"
        SENT = "sent", "Đã gửi"
        FAILED = "failed", "Gửi không được"

    kind = models.CharField("loại", max_length=30, blank=True)
    ref = models.CharField("đối tượng", max_length=60, blank=True, db_index=True)
    subject = models.CharField("tiêu đề", max_length=300)
    body = models.TextField("nội dung")
    from_email = models.CharField(max_length=254)
    to = models.JSONField("người nhận", default=list)
    state = models.CharField(
        "trạng thái", max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField("số lần thử", default=0)
    last_error = models.CharField("lỗi gần nhất", max_length=500, blank=True)
    next_attempt_at = models.DateTimeField("lần thử tới", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    sent_at = models.DateTimeField("gửi lúc", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "thư đi"
        verbose_name_plural = "thư đi"

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"


class WorkerBeat(models.Model):
    """A background worker's heartbeat: a worker silent past the timeout is presumed dead and the
    task it held is put back on the queue (``core.worker``)."""

    worker_id = models.CharField(max_length=64, unique=True)
    # "worker" (longdan worker) or "scheduler" (longdan scheduler): the health endpoint reports
    # the newest beat of each kind.
    kind = models.CharField(max_length=20, default="worker", db_index=True)
    host = models.CharField(max_length=200, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"


class BackupRun(models.Model):
    """One backup, nightly (by the scheduler) or by hand (``longdan backup``): when, how it ended,
    how big (``core.backup_runs``). A nightly run is one attempt for its night; ``ok`` is empty
    while it runs."""

    class Kind(models.TextChoices):
        NIGHTLY = "nightly", "Hằng đêm"
        MANUAL = "manual", "Chạy bằng lệnh"

    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    night = models.DateField("đêm", null=True, blank=True)
    attempt = models.PositiveSmallIntegerField("lần thử", default=1)
    started_at = models.DateTimeField("bắt đầu", db_index=True)
    finished_at = models.DateTimeField("kết thúc", null=True, blank=True)
    ok = models.BooleanField("thành công", null=True)
    file_name = models.CharField("tệp", max_length=200, blank=True)
    size = models.BigIntegerField("dung lượng (byte)", default=0)
    encrypted = models.BooleanField("mã hóa", default=False)
    pruned = models.PositiveIntegerField("bản cũ đã xóa", default=0)
    error = models.CharField("lỗi", max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = "lần sao lưu"
        verbose_name_plural = "lần sao lưu"
        constraints = [
            # Two workers racing for the same night's attempt: one insert wins.
            models.UniqueConstraint(fields=["night", "attempt"], name="core_backuprun_one_attempt"),
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.ok}"

    @property
    def seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class ApiToken(models.Model):
    """An API access token (issue 18, finding 2): one per device, stored hashed, expiring.

    Only the SHA-256 of the secret is kept, with its first characters (``prefix``) so the owner
    can tell tokens apart; the secret itself is shown once, when it is issued (``core.tokens``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name="người dùng",
    )
    name = models.CharField("thiết bị", max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField("mã (đầu)", max_length=8, editable=False)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True)
    expires_at = models.DateTimeField("hết hạn")
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "mã truy cập API"
        verbose_name_plural = "mã truy cập API"

    def __str__(self) -> str:
        return f"{self.name or 'Không tên'} ({self.prefix}…)"
