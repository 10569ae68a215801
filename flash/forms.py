"""Forms of flash reports: the ask (office, leaders) and a unit's answer."""

from __future__ import annotations

from django import forms

from flash.models import FlashRequest
from flash.services import MAX_HOURS, MIN_HOURS
from orgs.models import OrgUnit


class RequestForm(forms.Form):
    title = forms.CharField(label="Tiêu đề", max_length=200)
    event = forms.CharField(label="Sự việc cần báo cáo", widget=forms.Textarea(attrs={"rows": 3}))
    hours = forms.IntegerField(label="Hạn nộp sau (giờ)", min_value=MIN_HOURS,
                               max_value=MAX_HOURS, initial=4,
                               help_text="Tính từ lúc gửi yêu cầu, ví dụ 4 giờ; tối đa 168 giờ.")
    units = forms.ModelMultipleChoiceField(
        label="Đơn vị phải báo cáo", queryset=OrgUnit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Hãy chọn ít nhất một đơn vị phải báo cáo."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = (
            OrgUnit.objects.filter(closed_on__isnull=True)
            .exclude(kind__in=[OrgUnit.Kind.OFFICE, OrgUnit.Kind.WARD_COMMITTEE])
            .order_by("sort_key", "name")
        )


class AnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, request: FlashRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.flash_request = request
        for section in request.sections:
            self.fields[f"s_{section['key']}"] = forms.CharField(
                label=section["title"], required=False,
                widget=forms.Textarea(attrs={"rows": 4}))

    def sections(self) -> dict[str, str]:
        return {s["key"]: self.cleaned_data.get(f"s_{s['key']}", "")
                for s in self.flash_request.sections}
