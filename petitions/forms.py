"""Forms of the petitions pages (labels in Vietnamese; dates as the browser's date picker)."""

from __future__ import annotations

from django import forms

from orgs.models import OrgUnit
from petitions import rules
from petitions.models import DelegateGroup, Field, Point, Round
from petitions.selectors import POINT_SORTS, ROUND_SORTS, agencies_for, leaders

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(forms.Form):
    title = forms.CharField(label="Tên đợt", max_length=300)
    timing = forms.ChoiceField(label="Thời điểm", choices=Round.Timing.choices)
    session_name = forms.CharField(label="Kỳ họp HĐND", max_length=300,
                                   help_text="Ví dụ: kỳ họp thứ 5 HĐND phường khóa I")
    session_on = forms.DateField(label="Ngày khai mạc kỳ họp", widget=DATE)
    starts_on = forms.DateField(label="Tiếp xúc từ ngày", widget=DATE)
    ends_on = forms.DateField(label="đến ngày", widget=DATE)
    council = forms.CharField(label="Cơ quan tổng hợp", max_length=200,
                              initial="Thường trực HĐND phường")


class DelegateGroupForm(forms.Form):
    name = forms.CharField(label="Tên tổ đại biểu", max_length=200)
    members = forms.CharField(label="Đại biểu trong tổ", required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class LinkForm(forms.Form):
    """A meeting's round, delegate group and chairing leader."""

    round = forms.ModelChoiceField(label="Đợt tiếp xúc cử tri", required=False,
                                   queryset=Round.objects.all(), empty_label="— không thuộc đợt —")
    delegate_group = forms.ModelChoiceField(label="Tổ đại biểu", required=False,
                                            queryset=DelegateGroup.objects.all(),
                                            empty_label="— chưa gắn —")
    leader = forms.ModelChoiceField(label="Lãnh đạo chủ trì", required=False,
                                    queryset=leaders(), empty_label="— không —")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].label_from_instance = str


class AttachForm(forms.Form):
    meeting = forms.IntegerField(widget=forms.HiddenInput)
    delegate_group = forms.ModelChoiceField(label="Tổ đại biểu", required=False,
                                            queryset=DelegateGroup.objects.all(),
                                            empty_label="— chưa gắn —")


class MarkForm(forms.Form):
    disposition = forms.ChoiceField(label="Xử lý", choices=Point.Disposition.choices,
                                    widget=forms.RadioSelect)
    field = forms.ChoiceField(label="Lĩnh vực", choices=Field.choices, initial=Field.OTHER)
    agency = forms.ModelChoiceField(label="Cơ quan trả lời", required=False,
                                    queryset=OrgUnit.objects.none(),
                                    empty_label="— cơ quan ngoài phường —")
    agency_name = forms.CharField(label="hoặc cơ quan ngoài phường", required=False,
                                  max_length=200)
    answered_by = forms.CharField(label="Người trả lời tại hội nghị", required=False,
                                  max_length=200)
    answer = forms.CharField(label="Nội dung đã trả lời", required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label="Hạn trả lời", required=False, widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, user, prefix_id: int | None = None, **kwargs):
        if prefix_id is not None:
            kwargs.setdefault("auto_id", f"id_p{prefix_id}_%s")
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_for(user)

    @classmethod
    def for_point(cls, item, user) -> MarkForm:
        point = getattr(item, "petition", None)
        initial = {"version": point.version if point else 0}
        if point:
            initial.update(disposition=point.disposition, field=point.field,
                           agency=point.agency_id, agency_name=point.agency_name,
                           answered_by=point.answered_by, answer=point.answer,
                           due_on=point.due_on)
        return cls(initial=initial, prefix_id=item.pk, user=user)


class ReplyForm(forms.Form):
    reply = forms.CharField(label="Nội dung trả lời của cơ quan",
                            widget=forms.Textarea(attrs={"rows": 2}))
    replied_on = forms.DateField(label="Ngày trả lời", widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


STATE_CHOICES = [("", "Tất cả")] + list(rules.STATE_LABELS.items())
SORT_LABELS = {"-ngay": "Ngày tiếp xúc (mới trước)", "ngay": "Ngày tiếp xúc (cũ trước)",
               "han": "Hạn trả lời (sớm trước)", "-han": "Hạn trả lời (muộn trước)",
               "linh-vuc": "Lĩnh vực", "buoi": "Buổi tiếp xúc"}


class PointFilterForm(forms.Form):
    q = forms.CharField(label="Tìm (gõ không dấu cũng được)", required=False, max_length=200)
    dot = forms.ModelChoiceField(label="Đợt", required=False, queryset=Round.objects.all(),
                                 empty_label="Tất cả")
    tinh_trang = forms.ChoiceField(label="Tình trạng", required=False, choices=STATE_CHOICES)
    linh_vuc = forms.ChoiceField(label="Lĩnh vực", required=False,
                                 choices=[("", "Tất cả"), *Field.choices])
    xu_ly = forms.ChoiceField(label="Xử lý", required=False,
                              choices=[("", "Tất cả"), *Point.Disposition.choices])
    sort = forms.ChoiceField(label="Sắp xếp", required=False,
                             choices=[(k, v) for k, v in SORT_LABELS.items() if k in POINT_SORTS])


class RoundFilterForm(forms.Form):
    q = forms.CharField(label="Tìm đợt (gõ không dấu cũng được)", required=False, max_length=200)
    sort = forms.ChoiceField(label="Sắp xếp", required=False, choices=[
        ("moi", "Mới nhất"), ("cu", "Cũ nhất"), ("ky-hop", "Theo kỳ họp"), ("ten", "Theo tên")])

    def clean_sort(self):
        value = self.cleaned_data.get("sort") or "moi"
        return value if value in ROUND_SORTS else "moi"
