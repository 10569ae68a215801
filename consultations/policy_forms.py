"""Forms of the policy pages (labels and messages in Vietnamese)."""

from __future__ import annotations

from django import forms

from consultations.models import ConsultationLink, Moment, Policy
from consultations.policy_rules import CRITERIA_KEYS, mark_label
from consultations.policy_services import PolicyInput
from orgs.models import OrgUnit

STAGE_SORTS = [("moi", "Mới ghi trước"), ("ten", "Tên (A–Z)"), ("giai-doan", "Giai đoạn"),
               ("bat-buoc", "Bắt buộc lấy ý kiến trước")]


class PolicyFilterForm(forms.Form):
    q = forms.CharField(label="Tìm theo tên (gõ có dấu hay không dấu đều được)", required=False,
                        max_length=200)
    kind = forms.ChoiceField(label="Loại", required=False,
                             choices=[("", "Tất cả"), *Policy.Kind.choices])
    stage = forms.ChoiceField(label="Giai đoạn", required=False,
                              choices=[("", "Tất cả"), *Policy.Stage.choices])
    required = forms.ChoiceField(label="Lấy ý kiến", required=False, choices=[
        ("", "Tất cả"), ("co", "Bắt buộc lấy ý kiến"), ("khong", "Không bắt buộc")])
    sort = forms.ChoiceField(label="Sắp xếp", required=False, choices=STAGE_SORTS)


class PolicyForm(forms.Form):
    title = forms.CharField(label="Tên chính sách, đề án, dự án, cuộc vận động, phong trào",
                            max_length=300,
                            error_messages={"required": "Hãy nhập tên chính sách, đề án, dự án."})
    kind = forms.ChoiceField(label="Loại", choices=Policy.Kind.choices,
                             error_messages={"required": "Hãy chọn loại."})
    level = forms.ChoiceField(label="Cấp ban hành", choices=Policy.Level.choices,
                              widget=forms.RadioSelect,
                              error_messages={"required": "Hãy chọn cấp ban hành."})
    owner_unit = forms.ModelChoiceField(
        label="Cơ quan chủ trì (trong danh sách đơn vị)", required=False, queryset=None,
        empty_label="— Cơ quan ngoài danh sách (ghi tên bên dưới) —",
        error_messages={"invalid_choice": "Cơ quan chủ trì không có trong danh sách đơn vị."})
    owner_name = forms.CharField(label="hoặc tên cơ quan chủ trì", max_length=200,
                                 required=False,
                                 help_text="Ví dụ: Sở Xây dựng thành phố Hải Phòng.")
    summary = forms.CharField(label="Nội dung chính", required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 4}))
    affects_many = forms.BooleanField(label=mark_label("affects_many"), required=False)
    costs_money = forms.BooleanField(label=mark_label("costs_money"), required=False)
    affects_land = forms.BooleanField(label=mark_label("affects_land"), required=False)
    affects_way_of_life = forms.BooleanField(label=mark_label("affects_way_of_life"),
                                             required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    CRITERIA = CRITERIA_KEYS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = OrgUnit.objects.filter(
            closed_on__isnull=True).order_by("sort_key", "name")

    @classmethod
    def initial_for(cls, policy: Policy) -> dict:
        return {"title": policy.title, "kind": policy.kind, "level": policy.level,
                "owner_unit": policy.owner_unit_id, "owner_name": policy.owner_name,
                "summary": policy.summary, "version": policy.version,
                **{key: getattr(policy, key) for key in cls.CRITERIA}}

    def criteria_fields(self):
        return [self[key] for key in self.CRITERIA]

    def to_input(self) -> PolicyInput:
        data = self.cleaned_data
        unit = data.get("owner_unit")
        return PolicyInput(title=data["title"], kind=data["kind"], level=data["level"],
                           owner_unit_id=unit.pk if unit else None,
                           owner_name=data.get("owner_name", ""), summary=data.get("summary", ""),
                           **{key: bool(data.get(key)) for key in self.CRITERIA})


class StageForm(forms.Form):
    stage = forms.ChoiceField(label="Chuyển sang giai đoạn", choices=Policy.Stage.choices,
                              error_messages={"required": "Hãy chọn giai đoạn.",
                                              "invalid_choice": "Hãy chọn giai đoạn."})
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class WaiverForm(forms.Form):
    reason = forms.CharField(label="Lý do miễn lấy ý kiến trước khi ban hành", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Hãy ghi rõ lý do miễn lấy ý kiến."})


class LinkForm(forms.Form):
    moment = forms.ChoiceField(label="Thời điểm", choices=Moment.choices,
                               error_messages={"required": "Hãy chọn thời điểm."})
    source = forms.ChoiceField(label="Loại nguồn", choices=ConsultationLink.Source.choices,
                               error_messages={"required": "Hãy chọn loại nguồn."})


class DifficultyForm(forms.Form):
    moment = forms.ChoiceField(label="Thời điểm", choices=Moment.choices,
                               error_messages={"required": "Hãy chọn thời điểm."})
    text = forms.CharField(label="Khó khăn, vướng mắc được nêu", max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": "Hãy ghi khó khăn, vướng mắc được nêu."})
