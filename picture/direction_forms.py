"""Forms of the direction pages; the services decide, forms only read and check the shape."""

from __future__ import annotations

from django import forms

from core.models import SocialGroup, Topic
from orgs.models import Area, OrgUnit
from picture.direction_selectors import DEFAULT_SORT, DIRECTION_SORTS
from picture.models import Direction

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
STATUS_FILTER_CHOICES = [("", "Mọi trạng thái"), ("active", "Đang theo dõi (chưa xong)")] + list(
    Direction.Status.choices
)
SORT_CHOICES = [(k, k) for k in DIRECTION_SORTS] + [(f"-{k}", f"-{k}") for k in DIRECTION_SORTS]


class DirectionFilterForm(forms.Form):
    q = forms.CharField(label="Tìm (có hoặc không dấu)", required=False, max_length=200)
    status = forms.ChoiceField(label="Trạng thái", choices=STATUS_FILTER_CHOICES, required=False)
    kind = forms.ChoiceField(label="Loại", required=False,
                             choices=[("", "Mọi loại"), *Direction.Kind.choices])
    unit = forms.ModelChoiceField(label="Đơn vị thực hiện", queryset=OrgUnit.objects.none(),
                                  required=False, empty_label="Mọi đơn vị")
    overdue = forms.BooleanField(label="Chỉ hiện chỉ đạo quá hạn", required=False)
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False, widget=forms.HiddenInput,
                             initial=DEFAULT_SORT)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class DirectionForm(forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=Direction.Kind.choices,
                             initial=Direction.Kind.DIRECTION)
    text = forms.CharField(
        label="Nội dung chỉ đạo", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Việc cần làm, yêu cầu báo cáo lại; không ghi tên, địa chỉ của người dân.",
    )
    unit_ids = forms.ModelMultipleChoiceField(
        label="Đơn vị thực hiện", queryset=OrgUnit.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "unit-check"}),
        help_text="Đánh dấu một hoặc nhiều đơn vị.",
    )
    due_on = forms.DateField(label="Hạn hoàn thành", widget=DATE_WIDGET)
    action = forms.ChoiceField(label="Việc cần làm", choices=Direction.Action.choices,
                               required=False)
    topic = forms.ModelChoiceField(label="Chủ đề", queryset=Topic.objects.filter(active=True),
                                   required=False, empty_label="— không gắn —")
    area = forms.ModelChoiceField(label="Tổ dân phố", queryset=Area.objects.all(),
                                  required=False, empty_label="— không gắn —")
    social_group = forms.ModelChoiceField(
        label="Nhóm xã hội", queryset=SocialGroup.objects.filter(active=True), required=False,
        empty_label="— không gắn —",
    )
    issue = forms.IntegerField(widget=forms.HiddenInput, required=False)
    report = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_ids"].queryset = units


class AcknowledgeForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)


class ProgressForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="Đơn vị đã làm gì", max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(
        label="Phần việc của đơn vị",
        choices=[(Direction.Status.IN_PROGRESS, "Đang thực hiện"),
                 (Direction.Status.DONE, "Đã hoàn thành")],
        initial=Direction.Status.IN_PROGRESS,
    )


class DirectionStatusForm(forms.Form):
    status = forms.ChoiceField(label="Chuyển sang")
    note = forms.CharField(label="Ghi chú", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, current: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        S = Direction.Status
        if current in (S.DONE, S.CANCELLED):
            choices = [(S.OPEN, "Mở lại")]
        elif current is None:
            choices = [(S.DONE, "Đã hoàn thành"), (S.CANCELLED, "Hủy"), (S.OPEN, "Mở lại")]
        else:
            choices = [(S.DONE, "Đã hoàn thành"), (S.CANCELLED, "Hủy")]
        self.fields["status"].choices = choices
