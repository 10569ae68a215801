"""The ward as it is: units, areas, people and roles, collaborators (R1, R5)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import models
from django.db.models import Q

from core.fields import EncryptedTextField
from core.models import SocialGroup, Topic
from core.text import fold, natural_key

SORT_KEY_LENGTH = 500


def sort_key_of(name: str) -> str:
    return natural_key(name)[:SORT_KEY_LENGTH]


class OrgUnit(models.Model):
    """A unit of the ward's organisation: the committee, a grassroots organisation, an agency."""

    class Kind(models.TextChoices):
        WARD_COMMITTEE = "dang_uy", "Đảng ủy phường"
        PARTY_COMMITTEE = "dang_bo", "Đảng bộ trực thuộc"
        PARTY_CELL = "chi_bo", "Chi bộ"
        COUNCIL = "hdnd", "HĐND"
        PEOPLES_COMMITTEE = "ubnd", "UBND"
        FRONT = "mttq", "MTTQ"
        MASS_ORG = "doan_the", "Tổ chức chính trị - xã hội"
        OFFICE = "ban_xdd", "Ban Xây dựng Đảng"

    code = models.SlugField("mã đơn vị", max_length=40, unique=True)
    name = models.CharField("tên đơn vị", max_length=200)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    # Natural order ("Chi bộ An Lư 2" before "… An Lư 10"): see core.text.natural_key.
    sort_key = models.CharField(max_length=SORT_KEY_LENGTH, editable=False, db_index=True,
                                default="")
    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="đơn vị cấp trên",
    )
    opened_on = models.DateField("ngày thành lập", default=dt.date(2025, 7, 1))
    closed_on = models.DateField("ngày giải thể/sáp nhập", null=True, blank=True)
    responsible_person = models.ForeignKey(
        "orgs.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_for",
        verbose_name="người phụ trách DLXH",
    )

    class Meta:
        ordering = ["sort_key", "name"]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="orgunit_closed_after_opened",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        self.sort_key = sort_key_of(self.name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.closed_on and self.closed_on < self.opened_on:
            raise ValidationError({"closed_on": "Ngày giải thể phải sau ngày thành lập."})

    def is_open_between(self, start: dt.date, end: dt.date) -> bool:
        return self.opened_on <= end and (self.closed_on is None or self.closed_on >= start)


class Area(models.Model):
    """A residential group (tổ dân phố): the smallest area of the ward."""

    name = models.CharField("tên tổ dân phố", max_length=120)
    name_folded = models.CharField(max_length=120, editable=False, db_index=True)
    sort_key = models.CharField(max_length=SORT_KEY_LENGTH, editable=False, db_index=True,
                                default="")
    former_ward = models.CharField(
        "thuộc phường cũ", max_length=120, blank=True, help_text="Địa danh cũ vẫn dùng trong dân."
    )
    population = models.PositiveIntegerField("số nhân khẩu", default=0)
    households = models.PositiveIntegerField("số hộ", default=0)
    unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="areas",
        verbose_name="chi bộ phụ trách",
    )

    class Meta:
        ordering = ["sort_key", "name"]
        verbose_name = "tổ dân phố"
        verbose_name_plural = "tổ dân phố"
        constraints = [models.UniqueConstraint(fields=["name"], name="area_unique_name")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        self.sort_key = sort_key_of(self.name)
        super().save(*args, **kwargs)


class User(AbstractUser):
    """A person who logs in. The role decides what they may see (see ``orgs.selectors``)."""

    class Role(models.TextChoices):
        OFFICE = "office", "Ban Xây dựng Đảng (văn phòng)"
        LEADER = "leader", "Lãnh đạo (Ban Thường vụ)"
        REPORTER = "reporter", "Người phụ trách đơn vị"
        COLLABORATOR = "collaborator", "Cộng tác viên"

    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    role = models.CharField("vai trò", max_length=20, choices=Role.choices, default=Role.REPORTER)
    unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name="đơn vị",
    )
    # Contact details encrypted at rest like residents' (core.fields, issue 10; docs/PRIVACY.md):
    # nothing looks a person up by them, so no keyed-hash column is needed. The e-mail is where
    # reminders and alerts go; sign-in is by user name, and there is no e-mail password reset.
    email = EncryptedTextField("thư điện tử", max_length=254, blank=True,
                               validators=[EmailValidator()])
    phone = EncryptedTextField("điện thoại", max_length=20, blank=True)
    # Set when the office gives a temporary password: every page leads to the password change
    # until the person picks their own (core.accounts.MustChangePasswordMiddleware).
    must_change_password = models.BooleanField("phải đổi mật khẩu", default=False)

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser or self.role in (self.Role.OFFICE, self.Role.LEADER)

    @property
    def is_office(self) -> bool:
        return self.is_superuser or self.role == self.Role.OFFICE

    @property
    def is_leader(self) -> bool:
        return self.role == self.Role.LEADER


class Collaborator(models.Model):
    """A public-opinion collaborator (cộng tác viên DLXH); contact details: office only."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Đang hoạt động"
        PAUSED = "paused", "Tạm dừng"
        ENDED = "ended", "Đã thôi"

    class PaymentPeriod(models.TextChoices):
        MONTH = "month", "Hằng tháng"
        QUARTER = "quarter", "Hằng quý"

    full_name = models.CharField("họ và tên", max_length=150)
    name_folded = models.CharField(max_length=150, editable=False, db_index=True)
    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="collaborator"
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="collaborators", verbose_name="đơn vị"
    )
    areas = models.ManyToManyField(Area, blank=True, verbose_name="địa bàn phụ trách")
    topics = models.ManyToManyField(Topic, blank=True, verbose_name="lĩnh vực theo dõi")
    # Encrypted at rest (core.fields; docs/PRIVACY.md); the office alone sees them.
    phone = EncryptedTextField("điện thoại", max_length=20, blank=True)
    email = EncryptedTextField("thư điện tử", max_length=254, blank=True,
                               validators=[EmailValidator()])
    started_on = models.DateField("từ ngày")
    ended_on = models.DateField("đến ngày", null=True, blank=True)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    # The regime (R5): the appointing decision, the allowance and how it is paid. The term of
    # the appointment is started_on–ended_on.
    social_groups = models.ManyToManyField(
        SocialGroup, blank=True, verbose_name="nhóm xã hội nắm bắt"
    )
    decision_number = models.CharField("số quyết định công nhận", max_length=60, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    decision_signer = models.CharField("người ký quyết định", max_length=150, blank=True)
    allowance_rate = models.PositiveIntegerField(
        "mức phụ cấp (đồng/tháng)", default=0
    )
    payment_period = models.CharField(
        "kỳ chi trả", max_length=10, choices=PaymentPeriod.choices, default=PaymentPeriod.QUARTER
    )

    class Meta:
        ordering = ["full_name"]
        verbose_name = "cộng tác viên"
        verbose_name_plural = "cộng tác viên"

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.full_name)
        super().save(*args, **kwargs)


class AllowancePayment(models.Model):
    """An allowance paid to a collaborator for a quarter (the finance desk's voucher)."""

    collaborator = models.ForeignKey(
        Collaborator, on_delete=models.PROTECT, related_name="payments",
        verbose_name="cộng tác viên",
    )
    quarter = models.CharField("quý", max_length=7, db_index=True)  # "2026-Q1"
    amount = models.PositiveIntegerField("số tiền đã chi (đồng)")
    paid_on = models.DateField("ngày chi")
    voucher = models.CharField("số chứng từ", max_length=60, blank=True)
    created_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["quarter", "paid_on", "pk"]
        verbose_name = "khoản chi phụ cấp"
        verbose_name_plural = "khoản chi phụ cấp"

    def __str__(self) -> str:
        return f"{self.collaborator} — {self.quarter}: {self.amount}"
