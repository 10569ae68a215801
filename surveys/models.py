"""Opinion surveys: XLSForm questionnaires, versions, responses, tokens, quotas (R4, R6, R7).

A survey is designed as an XLSForm; each upload is a new :class:`FormVersion` whose XForm is what
the web form and ODK Collect render. A :class:`Response` keeps the version it was answered on and
its answers flattened by question name, so analysis can span versions question by question.

Privacy: a response records *how* it arrived (web, ODK Collect, anonymous link, import) and, in
interviewer mode, which collaborator interviewed — never who answered. Single-use tokens for
anonymous links are stored hashed and carry no link to the response they allowed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.models import SocialGroup
from core.text import fold
from orgs.models import Area, Collaborator, OrgUnit


class PolicyStage(models.TextChoices):
    """When a survey consults on a policy or project (R7)."""

    BEFORE = "truoc", "Trước khi ban hành, triển khai"
    DURING = "trong", "Trong khi triển khai"
    AFTER = "sau", "Sau khi triển khai"


class Survey(models.Model):
    class Kind(models.TextChoices):
        PERIODIC = "dinh_ky", "Định kỳ"
        AD_HOC = "dot_xuat", "Đột xuất"

    class Status(models.TextChoices):
        DRAFT = "nhap", "Đang soạn"
        OPEN = "dang_thu", "Đang thu thập"
        CLOSED = "da_dong", "Đã đóng"

    title = models.CharField("tên cuộc khảo sát", max_length=300)
    title_folded = models.CharField(max_length=300, editable=False, db_index=True, default="")
    slug = models.SlugField("mã khảo sát", max_length=80, unique=True)
    form_id = models.CharField(
        "mã biểu mẫu (form_id)", max_length=100, unique=True,
        help_text="Định danh XForm mà ODK Collect và các bản nộp dùng; lấy từ trang settings.",
    )
    kind = models.CharField("loại", max_length=20, choices=Kind.choices, default=Kind.PERIODIC)
    purpose = models.TextField("mục đích", blank=True)
    starts_on = models.DateField("từ ngày", null=True, blank=True)
    ends_on = models.DateField("đến ngày", null=True, blank=True)
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="surveys",
        verbose_name="đơn vị chủ trì",
    )
    target_areas = models.ManyToManyField(Area, blank=True, verbose_name="địa bàn khảo sát")
    target_groups = models.ManyToManyField(
        SocialGroup, blank=True, verbose_name="nhóm đối tượng"
    )
    target_population = models.CharField("đối tượng khảo sát", max_length=300, blank=True)
    sample_size = models.PositiveIntegerField("cỡ mẫu dự kiến", default=0)
    policy_title = models.CharField(
        "chủ trương, chính sách, dự án được lấy ý kiến", max_length=300, blank=True
    )
    policy_stage = models.CharField(
        "giai đoạn", max_length=10, choices=PolicyStage.choices, blank=True
    )
    allow_public_link = models.BooleanField("cho phép liên kết ẩn danh", default=False)
    allow_interviewers = models.BooleanField("cho phép cộng tác viên phỏng vấn", default=True)
    results_published = models.BooleanField("công bố kết quả", default=False)
    # Names of the questions that carry the weighting and quota variables; any XLSForm may use
    # its own names, these are the defaults the demo and the templates use.
    area_field = models.CharField("câu hỏi địa bàn", max_length=100, default="khu_vuc")
    gender_field = models.CharField("câu hỏi giới tính", max_length=100, default="gioi_tinh")
    age_group_field = models.CharField("câu hỏi nhóm tuổi", max_length=100, default="nhom_tuoi")
    # How the analysis weights the sample to the population (surveys.analysis): the method, and
    # which of the variables "khu_vuc", "gioi_tinh", "nhom_tuoi" it uses (empty = all three).
    weighting_method = models.CharField(
        "phương pháp gia quyền", max_length=20,
        choices=[("raking", "Cân chỉnh lặp (raking)"), ("poststrat", "Hậu phân tầng")],
        default="raking",
    )
    weighting_variables = models.JSONField("biến gia quyền", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: an edit carries the version it read and fails if it changed.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "cuộc khảo sát"
        verbose_name_plural = "cuộc khảo sát"

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title_folded = fold(self.title)
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class FormVersion(models.Model):
    """One uploaded XLSForm and the XForm pyxform made of it. Never edited, only superseded."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField("phiên bản", max_length=100)
    title = models.CharField("tiêu đề biểu mẫu", max_length=300)
    default_language = models.CharField(max_length=60, blank=True)
    languages = models.JSONField(default=list, blank=True)
    xlsform = models.BinaryField("tệp XLSForm gốc")
    xlsform_name = models.CharField("tên tệp", max_length=255)
    xform_xml = models.TextField("XForm")
    xform_md5 = models.CharField(max_length=32, help_text="md5 của XForm, cho formList OpenRosa")
    definition = models.JSONField("cấu trúc biểu mẫu (pyxform)", default=dict)
    warnings = models.JSONField("cảnh báo khi tải lên", default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        get_latest_by = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "version"], name="uniq_form_version"),
        ]
        verbose_name = "phiên bản biểu mẫu"
        verbose_name_plural = "phiên bản biểu mẫu"

    def __str__(self) -> str:
        return f"{self.survey} — phiên bản {self.version}"


class Question(models.Model):
    """A question of one form version, as a row of the survey database (R6)."""

    form_version = models.ForeignKey(
        FormVersion, on_delete=models.CASCADE, related_name="questions"
    )
    name = models.CharField("tên biến", max_length=200)
    path = models.CharField("đường dẫn XPath", max_length=1000)
    type = models.CharField("kiểu", max_length=60)
    list_name = models.CharField(max_length=200, blank=True)
    label = models.TextField("nội dung câu hỏi", blank=True)
    label_folded = models.TextField(editable=False, default="")
    labels = models.JSONField("nội dung theo ngôn ngữ", default=dict, blank=True)
    choices = models.JSONField("phương án trả lời", default=list, blank=True)
    group_path = models.CharField(max_length=1000, blank=True)
    in_repeat = models.BooleanField(default=False)
    required = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)
    # The same question asked again in later rounds shares this key (by default its folded
    # label), so it can be followed as a time series across surveys.
    concept_key = models.CharField("khóa câu hỏi lặp lại", max_length=300, db_index=True)

    class Meta:
        ordering = ["form_version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["form_version", "path"], name="uniq_question_path"),
        ]
        verbose_name = "câu hỏi"
        verbose_name_plural = "câu hỏi"

    def __str__(self) -> str:
        return f"{self.name}: {self.label[:60]}"

    def save(self, *args, **kwargs):
        self.label_folded = fold(self.label)
        super().save(*args, **kwargs)


class Response(models.Model):
    """One completed questionnaire, stored once per ``instance_id`` whatever the retries."""

    class Source(models.TextChoices):
        WEB = "web", "Biểu mẫu web"
        ODK_COLLECT = "odk", "ODK Collect"
        PUBLIC_LINK = "lien_ket", "Liên kết ẩn danh"
        IMPORT = "nhap_tep", "Nhập từ tệp"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    form_version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, related_name="responses"
    )
    instance_id = models.CharField("mã bản ghi (instanceID)", max_length=100, unique=True)
    data = models.JSONField("câu trả lời", default=dict)
    xml = models.TextField("bản nộp XML", blank=True)
    source = models.CharField("nguồn", max_length=20, choices=Source.choices)
    interviewer = models.ForeignKey(
        Collaborator, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="cộng tác viên phỏng vấn",
    )
    # Derived from the answers at intake for quotas and weighting (never from the respondent).
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL)
    gender = models.CharField(max_length=60, blank=True)
    age_group = models.CharField(max_length=60, blank=True)
    submitted_at = models.DateTimeField("thời điểm trả lời", null=True, blank=True)
    received_at = models.DateTimeField("thời điểm nhận", auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["survey", "received_at"], name="survey_resp_recv_idx")]
        verbose_name = "phiếu trả lời"
        verbose_name_plural = "phiếu trả lời"

    def __str__(self) -> str:
        return f"{self.survey} — {self.instance_id}"


class Attachment(models.Model):
    """A file sent with a submission (a photo, a signature)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    content = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "name"], name="uniq_attachment_name"),
        ]

    def __str__(self) -> str:
        return self.name


class SurveyToken(models.Model):
    """A single-use anonymous link. Only its hash is kept, and nothing ties it to the answers."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    batch = models.CharField("đợt phát hành", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "mã tham gia ẩn danh"
        verbose_name_plural = "mã tham gia ẩn danh"

    def __str__(self) -> str:
        return f"{self.survey} — mã ẩn danh #{self.pk}"


class Quota(models.Model):
    class Dimension(models.TextChoices):
        AREA = "khu_vuc", "Địa bàn"
        GENDER = "gioi_tinh", "Giới tính"
        AGE_GROUP = "nhom_tuoi", "Nhóm tuổi"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="quotas")
    dimension = models.CharField("chiều", max_length=20, choices=Dimension.choices)
    category = models.CharField("nhóm", max_length=100)
    target = models.PositiveIntegerField("chỉ tiêu")

    class Meta:
        ordering = ["dimension", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "dimension", "category"], name="uniq_quota_cell"
            ),
        ]
        verbose_name = "chỉ tiêu mẫu"
        verbose_name_plural = "chỉ tiêu mẫu"

    def __str__(self) -> str:
        return f"{self.get_dimension_display()} {self.category}: {self.target}"


class PopulationMargin(models.Model):
    """A known population total for one category of a weighting variable.

    ``survey`` empty means the ward's default (gender and age group from the civil registry);
    area totals come from :class:`orgs.models.Area` itself and need no row here.
    """

    survey = models.ForeignKey(
        Survey, null=True, blank=True, on_delete=models.CASCADE, related_name="margins"
    )
    variable = models.CharField("biến", max_length=100)
    category = models.CharField("nhóm", max_length=100)
    population = models.PositiveIntegerField("dân số")

    class Meta:
        ordering = ["variable", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "variable", "category"], name="uniq_margin_cell"
            ),
            models.UniqueConstraint(
                fields=["variable", "category"], condition=models.Q(survey__isnull=True),
                name="uniq_default_margin_cell",
            ),
        ]
        verbose_name = "cơ cấu dân số"
        verbose_name_plural = "cơ cấu dân số"

    def __str__(self) -> str:
        return f"{self.variable}={self.category}: {self.population}"


class CollectorCredential(models.Model):
    """A person's ODK Collect login ("mã đăng nhập ODK"), separate from their web password.

    ODK Collect sends credentials with HTTP Digest over plain HTTP (Basic only over HTTPS), and
    a Digest server must know ``HA1 = MD5(username:realm:password)``; Django keeps only a salted
    PBKDF2 hash of the web password, from which HA1 cannot be made. So the office issues a
    separate, random ODK password per person; only its HA1 is stored (it works for this realm
    alone, and losing it exposes no web login). Issuing a new one replaces the old.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="odk_credential"
    )
    username = models.CharField("tên đăng nhập ODK", max_length=150, unique=True)
    realm = models.CharField(max_length=100)
    ha1 = models.CharField(max_length=32)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mã đăng nhập ODK"
        verbose_name_plural = "mã đăng nhập ODK"

    def __str__(self) -> str:
        return self.username


class DigestNonce(models.Model):
    """The highest Digest nonce count ("nc") accepted so far for one server nonce (ODK logins).

    A Digest ``Authorization`` header is good for one request: the client counts its uses of a
    nonce, and a count not above the highest seen (a replayed header) is refused. The table is
    shared by every server process; rows are pruned once their nonce has expired (a header with
    an expired nonce is refused as stale before this table is read).
    """

    nonce = models.CharField(max_length=64, unique=True)
    highest_nc = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "nonce Digest đã dùng"
        verbose_name_plural = "nonce Digest đã dùng"

    def __str__(self) -> str:
        return f"{self.nonce} ({self.highest_nc})"
