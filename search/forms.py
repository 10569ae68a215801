"""The search box and its filters; they only parse input (the search is ``search.selectors``)."""

from __future__ import annotations

from django import forms

from core.models import Attitude, Channel, Topic
from issues.models import Issue
from orgs.models import Area, User
from orgs.selectors import visible_unit_ids
from search.query import MAX_QUERY_CHARS
from search.selectors import NO_ISSUE

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
KINDS = [("items", "Ý kiến"), ("issues", "Vấn đề")]


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Từ cần tìm",
        required=False,
        max_length=MAX_QUERY_CHARS,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "Ví dụ: rác thải Hòa Bình, hoặc gõ không dấu: rac thai hoa binh",
                "autofocus": True,
            }
        ),
    )
    kind = forms.ChoiceField(label="Tìm trong", required=False, choices=KINDS)
    topic = forms.ModelChoiceField(
        label="Chủ đề",
        required=False,
        queryset=Topic.objects.order_by("name"),
        empty_label="Tất cả",
    )
    attitude = forms.ChoiceField(
        label="Thái độ", required=False, choices=[("", "Tất cả")] + list(Attitude.choices)
    )
    area = forms.ModelChoiceField(
        label="Địa bàn", required=False, queryset=Area.objects.none(), empty_label="Tất cả"
    )
    channel = forms.ChoiceField(
        label="Kênh", required=False, choices=[("", "Tất cả")] + list(Channel.choices)
    )
    date_from = forms.DateField(label="Từ ngày", required=False, widget=DATE)
    date_to = forms.DateField(label="Đến ngày", required=False, widget=DATE)
    status = forms.ChoiceField(
        label="Trạng thái vấn đề",
        required=False,
        choices=[("", "Tất cả"), (NO_ISSUE, "Chưa thuộc vấn đề nào"), *Issue.Status.choices],
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        areas = Area.objects.order_by("sort_key", "name")
        units = visible_unit_ids(user)
        if units is not None:
            areas = areas.filter(unit_id__in=units)
        self.fields["area"].queryset = areas

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "“Đến ngày” phải sau hoặc bằng “Từ ngày”.")
        return data

    def filters(self) -> dict:
        """Keyword arguments for the selectors (only valid, non-empty filters)."""
        data = self.cleaned_data
        keys = ("topic", "attitude", "area", "channel", "date_from", "date_to", "status")
        return {key: data[key] for key in keys if data.get(key)}
