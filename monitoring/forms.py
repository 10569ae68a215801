"""The office's forms: an export file (its source, the file, and, once the file's columns are
known, one select per field of a mention, pre-filled with the saved or guessed mapping), and a
term of the watch-list."""

from __future__ import annotations

from django import forms

from core.models import Topic
from monitoring.exportfile import FIELDS
from monitoring.models import WatchTerm
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
