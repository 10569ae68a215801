"""Forms of the intake pages. Validation of meaning lives in the services; forms shape input."""

from __future__ import annotations

import time

from django import forms
from django.core import signing

from core.choices import IssueStatus
from core.models import HAND_FILED_CHANNELS, Attitude, Channel, Reach, SocialGroup, Topic
from core.text import fold
from intake.models import Meeting, Sensitivity
from intake.services import IMPORT_FIELDS
from orgs.models import Area

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PUBLIC_FORM_SALT = "intake.public-feedback"
MIN_FILL_SECONDS = 3
MAX_FILL_SECONDS = 6 * 3600


def _blank(label: str, choices) -> list[tuple[str, str]]:
    return [("", label), *choices]


def _topics():
    return Topic.objects.filter(active=True)


class QuickItemForm(forms.Form):
    text = forms.CharField(
        label="Nội dung ý kiến",
        widget=forms.Textarea(
            attrs={"rows": 4, "autofocus": True, "placeholder": "Ghi lại ý kiến của nhân dân…"}
        ),
        help_text="Số điện thoại, số CCCD, tài khoản ngân hàng… sẽ được che trước khi lưu.",
    )
    area = forms.ModelChoiceField(
        Area.objects.all(), label="Tổ dân phố", required=False, empty_label="— Không rõ —"
    )
    channel = forms.ChoiceField(label="Kênh tiếp nhận", choices=HAND_FILED_CHANNELS)
    topic = forms.ModelChoiceField(
        _topics(), label="Chủ đề", required=False, empty_label="— Để hệ thống gợi ý —"
    )
    attitude = forms.ChoiceField(
        label="Thái độ", required=False, choices=_blank("— Để hệ thống gợi ý —", Attitude.choices)
    )
    received_on = forms.DateField(label="Ngày tiếp nhận", widget=DATE_WIDGET)
    reach = forms.ChoiceField(
        label="Mức độ", required=False, choices=_blank("— Không rõ —", Reach.choices)
    )
    social_groups = forms.ModelMultipleChoiceField(
        SocialGroup.objects.filter(active=True),
        label="Nhóm xã hội",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    latent = forms.BooleanField(label="Dư luận tiềm ẩn", required=False)
    sensitivity = forms.ChoiceField(
        label="Độ nhạy cảm", choices=Sensitivity.choices, initial=Sensitivity.NORMAL
    )
    source_link = forms.CharField(label="Đường dẫn nguồn (nếu có)", required=False, max_length=500)


class ItemFilterForm(forms.Form):
    q = forms.CharField(
        label="Từ khóa",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "có dấu hoặc không dấu"}),
    )
    topic = forms.ModelChoiceField(
        Topic.objects.all(), label="Chủ đề", required=False, empty_label="Tất cả"
    )
    attitude = forms.ChoiceField(
        label="Thái độ", required=False, choices=_blank("Tất cả", Attitude.choices)
    )
    area = forms.ModelChoiceField(
        Area.objects.all(), label="Tổ dân phố", required=False, empty_label="Tất cả"
    )
    channel = forms.ChoiceField(
        label="Kênh", required=False, choices=_blank("Tất cả", Channel.choices)
    )
    date_from = forms.DateField(label="Từ ngày", required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label="Đến ngày", required=False, widget=DATE_WIDGET)
    status = forms.ChoiceField(
        label="Trạng thái vấn đề",
        required=False,
        choices=[("", "Tất cả"), ("none", "Chưa gom vào vấn đề"), *IssueStatus.choices],
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "“Đến ngày” phải sau “Từ ngày”.")
        return data


class LabelsForm(forms.Form):
    topics = forms.ModelMultipleChoiceField(
        Topic.objects.all(), label="Chủ đề", required=False, widget=forms.CheckboxSelectMultiple
    )
    attitude = forms.ChoiceField(
        label="Thái độ", required=False, choices=_blank("— Chưa chọn —", Attitude.choices)
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=Meeting.Kind.choices)
    title = forms.CharField(label="Tiêu đề", max_length=300)
    held_on = forms.DateField(label="Ngày tổ chức", widget=DATE_WIDGET)
    place = forms.CharField(label="Địa điểm", max_length=300)
    delegates = forms.CharField(
        label="Đại biểu, người chủ trì", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    area = forms.ModelChoiceField(
        Area.objects.all(), label="Địa bàn", required=False, empty_label="— Cả phường —"
    )
    notes = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    points = forms.CharField(
        label="Các ý kiến, kiến nghị của cử tri (mỗi ý một dòng)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Mỗi dòng thành một ý kiến được theo dõi đến khi có trả lời.",
    )

    def point_texts(self) -> list[str]:
        return [
            line.strip(" -•\t")
            for line in self.cleaned_data["points"].splitlines()
            if line.strip(" -•\t")
        ]


class PointForm(forms.Form):
    text = forms.CharField(label="Ý kiến, kiến nghị", widget=forms.Textarea(attrs={"rows": 3}))
    topic = forms.ModelChoiceField(
        _topics(), label="Chủ đề", required=False, empty_label="— Để hệ thống gợi ý —"
    )
    attitude = forms.ChoiceField(
        label="Thái độ", required=False, choices=_blank("— Để hệ thống gợi ý —", Attitude.choices)
    )


class PublicFeedbackForm(forms.Form):
    """The residents' form: a honeypot field and a signed start time keep simple bots out."""

    text = forms.CharField(
        label="Ý kiến, kiến nghị của bạn",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Hãy viết ý kiến của bạn.",
            "max_length": "Ý kiến dài quá 5.000 ký tự.",
        },
    )
    area = forms.ModelChoiceField(
        Area.objects.all(),
        label="Bạn ở tổ dân phố nào? (không bắt buộc)",
        required=False,
        empty_label="— Không muốn nói —",
    )
    wants_reply = forms.BooleanField(
        label="Tôi muốn được trả lời (để lại cách liên hệ bên dưới)", required=False
    )
    # Phone keyboards: a dial pad for the number, the browser's saved details where it has them.
    name = forms.CharField(
        label="Họ tên",
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label="Số điện thoại",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label="Thư điện tử",
        required=False,
        error_messages={"invalid": "Địa chỉ thư điện tử không hợp lệ."},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label="Địa chỉ",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    # Law 91/2025: contact details are kept only with the resident's consent (asked only when
    # they ask for a reply; intake.services.public refuses contact details without it).
    consent = forms.BooleanField(
        label="Tôi đồng ý cho lưu thông tin liên hệ trên để được trả lời",
        required=False,
    )
    # Hidden from people by CSS; bots fill every field.
    website = forms.CharField(label="Trang web của bạn", required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    @staticmethod
    def stamp(started: float | None = None) -> str:
        """A signed start time: now, or ``started`` (signed afresh, so it does not expire)."""
        return signing.dumps(time.time() if started is None else started, salt=PUBLIC_FORM_SALT)

    @staticmethod
    def started_at(value) -> float | None:
        """The start time in a stamp this site signed less than MAX_FILL_SECONDS ago, or None."""
        try:
            return float(
                signing.loads(value or "", salt=PUBLIC_FORM_SALT, max_age=MAX_FILL_SECONDS)
            )
        except (signing.BadSignature, TypeError, ValueError):
            return None

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError("Không gửi được góp ý. Xin vui lòng thử lại.", code="bot")
        started = self.started_at(data.get("started"))
        if started is None:
            raise forms.ValidationError(
                "Biểu mẫu đã hết hạn; xin vui lòng tải lại trang rồi gửi lại.", code="expired"
            )
        if time.time() - started < MIN_FILL_SECONDS:
            raise forms.ValidationError(
                "Bạn gửi nhanh quá; xin vui lòng kiểm tra lại nội dung rồi bấm gửi.", code="fast"
            )
        return data


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp Excel (.xlsx) hoặc CSV",
        error_messages={"required": "Hãy chọn tệp để tải lên.", "empty": "Tệp rỗng."},
    )


# Header words that suggest a column for each field, matched on the folded header.
_HINTS = {
    "text": ("noi dung", "y kien", "kien nghi", "phan anh"),
    "received_on": ("ngay",),
    "channel": ("kenh", "nguon"),
    "area": ("to dan pho", "dia ban", "khu dan cu", "tdp"),
    "topic": ("chu de", "linh vuc"),
    "attitude": ("thai do", "tam trang"),
    "reach": ("muc do", "pham vi"),
    "social_group": ("nhom xa hoi", "doi tuong"),
    "latent": ("tiem an",),
    "sensitivity": ("nhay cam",),
    "source_link": ("duong dan", "link", "url"),
}


def guess_mapping(headers: list[str]) -> dict[str, str]:
    guessed: dict[str, str] = {}
    taken: set[str] = set()
    for field_name, hints in _HINTS.items():
        for header in headers:
            if header not in taken and any(h in fold(header) for h in hints):
                guessed[field_name] = header
                taken.add(header)
                break
    return guessed


class ImportMapForm(forms.Form):
    default_channel = forms.ChoiceField(
        label="Kênh (khi tệp không có cột kênh)",
        choices=HAND_FILED_CHANNELS,
        initial=Channel.OTHER,
    )

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— Không dùng —"), *((h, h) for h in headers)]
        guessed = guess_mapping(headers)
        for name, label in IMPORT_FIELDS.items():
            self.fields[f"col_{name}"] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=name == "text",
                initial=guessed.get(name, ""),
                error_messages={"required": "Hãy chọn cột chứa nội dung ý kiến."},
            )

    def mapping(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[f"col_{name}"]
            for name in IMPORT_FIELDS
            if self.cleaned_data.get(f"col_{name}")
        }
