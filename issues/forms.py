"""Forms of the issue pages; services decide, forms only read and check the shape of input."""

from __future__ import annotations

import re

from django import forms
from django.db.models import QuerySet

from core.models import Topic
from issues.models import Answer, Issue
from issues.selectors import DEFAULT_ISSUE_SORT, ISSUE_SORTS
from orgs.models import Area, OrgUnit

STATUS_FILTER_CHOICES = [("", "Mọi trạng thái"), ("open", "Đang mở (chưa trả lời dân)")] + list(
    Issue.Status.choices
)
SORT_CHOICES = [(k, k) for k in ISSUE_SORTS] + [(f"-{k}", f"-{k}") for k in ISSUE_SORTS]


def open_units() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(closed_on__isnull=True).order_by("sort_key", "name")


class IssueFilterForm(forms.Form):
    q = forms.CharField(label="Tìm (có hoặc không dấu)", required=False, max_length=200)
    status = forms.ChoiceField(label="Trạng thái", choices=STATUS_FILTER_CHOICES, required=False)
    topic = forms.ModelChoiceField(
        label="Chủ đề", queryset=Topic.objects.filter(active=True), required=False,
        empty_label="Mọi chủ đề",
    )
    owner = forms.ModelChoiceField(
        label="Đơn vị chịu trách nhiệm", queryset=OrgUnit.objects.none(),
        required=False, empty_label="Mọi đơn vị",
    )
    overdue = forms.BooleanField(label="Chỉ vấn đề quá hạn", required=False)
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False, widget=forms.HiddenInput,
                             initial=DEFAULT_ISSUE_SORT)
    # Set by the picture's links (a unit with its sub-units, an area); shown as chips, not selects:
    # a city has thousands of units.
    unit = forms.ModelChoiceField(
        label="Đơn vị (kể cả đơn vị trực thuộc)", queryset=OrgUnit.objects.none(),
        required=False, widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Đơn vị: không có hoặc ngoài phạm vi bạn được xem."},
    )
    area = forms.ModelChoiceField(
        label="Tổ dân phố", queryset=Area.objects.all(), required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Tổ dân phố: không có tổ dân phố này."},
    )

    def __init__(self, *args, owners: QuerySet[OrgUnit], units: QuerySet[OrgUnit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["unit"].queryset = units


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Chuyển sang", choices=Issue.Status.choices)
    note = forms.CharField(label="Ghi chú", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, allowed: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            labels = dict(Issue.Status.choices)
            self.fields["status"].choices = [(s, labels[s]) for s in allowed]


class AssignForm(forms.Form):
    owner_unit = forms.ModelChoiceField(label="Đơn vị chịu trách nhiệm", queryset=OrgUnit.objects
                                        .none(), empty_label="— chọn đơn vị —")
    due_on = forms.DateField(label="Hạn xử lý", required=False,
                             widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = open_units()


class RenameForm(forms.Form):
    title = forms.CharField(
        label="Tên vấn đề", max_length=300,
        help_text="Nói vấn đề gì, ở đâu; không ghi tên, địa chỉ của người dân.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MergeForm(forms.Form):
    other = forms.CharField(
        label="Mã vấn đề gộp vào vấn đề này", max_length=20,
        help_text="Ví dụ VD-2026-0012. Các ý kiến của vấn đề đó chuyển sang vấn đề này.",
    )

    def clean_other(self) -> str:
        return self.cleaned_data["other"].strip().upper()


class SplitForm(forms.Form):
    title = forms.CharField(label="Tên vấn đề mới", max_length=300)
    items = forms.MultipleChoiceField(label="Ý kiến tách ra", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, item_choices: list[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(str(pk), label) for pk, label in item_choices]

    def item_ids(self) -> list[int]:
        return [int(v) for v in self.cleaned_data["items"]]


_IDS = re.compile(r"\d+")


class AnswerForm(forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=Answer.Kind.choices)
    title = forms.CharField(label="Tiêu đề", max_length=300)
    body = forms.CharField(label="Nội dung trả lời, giải thích", max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 10}))
    issues = forms.ModelMultipleChoiceField(
        label="Vấn đề được trả lời", queryset=Issue.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    item_ids = forms.CharField(
        label="Mã các ý kiến được trả lời (không bắt buộc)", required=False, max_length=2000,
        help_text="Số hiệu ý kiến, cách nhau bởi dấu phẩy. Người dân đã xin trả lời ở mọi ý kiến"
        " của các vấn đề đã chọn đều được báo.",
    )
    answering_unit = forms.ModelChoiceField(
        label="Cơ quan trả lời", queryset=OrgUnit.objects.none(), required=False,
        empty_label="— không ghi —",
    )

    def __init__(self, *args, issues: QuerySet[Issue], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issues"].queryset = issues
        self.fields["answering_unit"].queryset = open_units()

    def clean_item_ids(self) -> list[int]:
        text = self.cleaned_data["item_ids"]
        if _IDS.sub("", text).replace(",", "").strip():
            raise forms.ValidationError("Chỉ ghi các số hiệu ý kiến, cách nhau bởi dấu phẩy.")
        return [int(v) for v in _IDS.findall(text)]


class TrackForm(forms.Form):
    ma = forms.CharField(label="Mã tra cứu", max_length=32,
                         widget=forms.TextInput(attrs={"autocomplete": "off",
                                                       "autocapitalize": "characters"}))
