"""The monitoring desk's forms: an export file (its source, the file, and once the file's
columns are known one select per field of a mention, pre-filled with the saved or guessed
mapping); the page's filters; a source of the register; a finding of false information; a term
of the watch-list."""

from __future__ import annotations

from django import forms

from core.models import Attitude, Topic
from monitoring.exportfile import FIELDS
from monitoring.models import Mention, Misinformation, Source, WatchTerm
from monitoring.selectors import export_sources


class ExportUploadForm(forms.Form):
    source = forms.ChoiceField(label="Nguồn tin của tệp", required=False)
    new_source = forms.CharField(
        label="Hoặc tạo nguồn mới, tên nguồn",
        required=False,
        max_length=200,
        help_text="Ví dụ: Nhóm Facebook Cư dân phường Hòa Bình. Mỗi nguồn ghép cột một lần;"
        " các lần nhập sau dùng lại cách ghép đó.",
    )
    file = forms.FileField(
        label="Tệp xuất (CSV, JSON hoặc XLSX)",
        error_messages={"required": "Hãy chọn tệp để tải lên.", "empty": "Tệp rỗng."},
    )

    def __init__(self, *args, headers: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [
            ("", "— Chọn nguồn —"),
            *((str(s.pk), s.name) for s in export_sources()),
        ]
        self.headers = list(headers or [])
        if not self.headers:
            return
        choices = [("", "— Không dùng —"), *((h, h) for h in self.headers)]
        for name, label in FIELDS.items():
            self.fields[f"col_{name}"] = forms.ChoiceField(
                label=f"Cột {label}",
                choices=choices,
                required=name == "text",
                error_messages={
                    "required": "Hãy chọn cột chứa nội dung.",
                    "invalid_choice": "Tệp không có cột này.",
                },
            )

    def clean(self):
        data = super().clean()
        if not data.get("source") and not (data.get("new_source") or "").strip():
            self.add_error("source", "Hãy chọn nguồn tin của tệp, hoặc đặt tên cho nguồn mới.")
        return data

    def column_map(self) -> dict[str, str] | None:
        """The mapping chosen on the page; None when the selects were not shown (saved or
        guessed columns are used)."""
        if not self.headers:
            return None
        return {f: self.cleaned_data[f"col_{f}"] for f in FIELDS if self.cleaned_data[f"col_{f}"]}


# --- the monitoring page's filters -----------------------------------------------------------

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RANGES = {"1": 1, "7": 7, "30": 30, "90": 90}  # "Thời gian": the last N days


class MentionFilterForm(forms.Form):
    """The list's filters; a bad value is named on the page and ignored, never a 500."""

    q = forms.CharField(label="Tìm (có dấu hay không dấu)", required=False, max_length=200)
    relevance = forms.ChoiceField(label="Mức liên quan", required=False)
    source = forms.TypedChoiceField(label="Nguồn", required=False, coerce=int, empty_value=None)
    topic = forms.TypedChoiceField(label="Chủ đề", required=False, coerce=int, empty_value=None)
    attitude = forms.ChoiceField(label="Thái độ", required=False)
    range = forms.ChoiceField(
        label="Thời gian",
        required=False,
        choices=[
            ("", "Mọi lúc"),
            ("1", "24 giờ qua"),
            ("7", "7 ngày qua"),
            ("30", "30 ngày qua"),
            ("90", "90 ngày qua"),
        ],
    )
    since = forms.DateField(label="Từ ngày", required=False, widget=DATE)
    until = forms.DateField(label="Đến ngày", required=False, widget=DATE)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, sources, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relevance"].choices = [
            ("ward", "Về phường (mặc định)"),
            ("all", "Mọi mức"),
            *((v, label) for v, label in Mention.Relevance.choices if v != "ward"),
        ]
        self.fields["source"].choices = [("", "Mọi nguồn"), *((s.pk, s.name) for s in sources)]
        self.fields["topic"].choices = [("", "Mọi chủ đề"), *((t.pk, t.name) for t in topics)]
        self.fields["attitude"].choices = [("", "Mọi thái độ"), *Attitude.choices]
        for name in ("relevance", "source", "topic", "attitude"):
            self.fields[name].error_messages["invalid_choice"] = "Giá trị không có trong danh sách."

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "Đến ngày phải sau hoặc bằng từ ngày.")
        return data


class SourceForm(forms.Form):
    """A source of the register: kind detected from the address when left empty."""

    name = forms.CharField(label="Tên nguồn", max_length=200)
    kind = forms.ChoiceField(
        label="Loại",
        required=False,
        help_text="Để trống: máy tự nhận RSS, Atom, sơ đồ trang hay trang đơn từ địa chỉ.",
    )
    url = forms.CharField(
        label="Địa chỉ",
        required=False,
        max_length=2000,
        help_text="Địa chỉ của kênh tin (RSS/Atom), sơ đồ trang hay trang cần theo dõi.",
    )
    fetch_interval_minutes = forms.IntegerField(
        label="Chu kỳ lấy tin (phút)", initial=60, min_value=5, max_value=7 * 24 * 60
    )
    active = forms.BooleanField(label="Đang theo dõi", required=False, initial=True)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        empty = [("", "— Máy tự nhận —")] if not editing else []
        self.fields["kind"].choices = [*empty, *Source.Kind.choices]
        self.fields["kind"].required = editing
        if not editing:
            del self.fields["active"]
        self.fields["name"].error_messages["required"] = "Tên nguồn: không được để trống."
        self.fields["fetch_interval_minutes"].error_messages |= {
            "required": "Chu kỳ lấy tin: hãy ghi số phút.",
            "invalid": "Chu kỳ lấy tin: hãy ghi một số nguyên (phút).",
            "min_value": "Chu kỳ lấy tin: ít nhất %(limit_value)s phút.",
            "max_value": "Chu kỳ lấy tin: nhiều nhất %(limit_value)s phút (một tuần).",
        }


class MisinformationForm(forms.Form):
    verdict = forms.ChoiceField(label="Kết luận", widget=forms.RadioSelect)
    note = forms.CharField(
        label="Nhận định của Ban",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="Thông tin nào sai, vì sao; căn cứ Ban đã xác minh.",
    )
    correction_url = forms.CharField(
        label="Đường dẫn bài đính chính", required=False, max_length=2000
    )
    correction_text = forms.CharField(
        label="Nội dung đính chính",
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Dán nội dung Ban đã đăng, nếu không có đường dẫn.",
    )
    corrected_on = forms.DateField(label="Ngày đăng đính chính", required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verdict"].choices = Misinformation.Verdict.choices
        self.fields["verdict"].error_messages["required"] = "Kết luận: hãy chọn một."
        self.fields["note"].error_messages["required"] = (
            "Nhận định của Ban: hãy ghi vì sao thông tin này sai hoặc xuyên tạc."
        )
        self.fields["corrected_on"].error_messages["invalid"] = (
            "Ngày đăng đính chính: hãy ghi ngày theo dạng ngày/tháng/năm."
        )


class WatchTermForm(forms.Form):
    """A topic or a keyword for the watch-list (the service refuses what looks like a person)."""

    kind = forms.ChoiceField(
        label="Loại",
        choices=WatchTerm.Kind.choices,
        initial=WatchTerm.Kind.KEYWORD,
        error_messages={"invalid_choice": "Chọn “Chủ đề” hoặc “Từ khóa”."},
    )
    topic = forms.ModelChoiceField(
        label="Chủ đề",
        queryset=Topic.objects.filter(active=True),
        required=False,
        empty_label="— Chọn chủ đề —",
        error_messages={"invalid_choice": "Chủ đề này không có hoặc đã ngừng dùng."},
    )
    phrase = forms.CharField(
        label="Từ khóa, cụm từ",
        required=False,
        max_length=100,
        help_text="So khớp không phân biệt dấu, hoa thường, theo từ trọn vẹn; ví dụ “cắt nước”,"
        " “sạt lở”. Không nhập tên người: danh sách theo dõi sự việc, không theo dõi cá nhân.",
        error_messages={"max_length": "Từ khóa dài quá 100 ký tự."},
    )
