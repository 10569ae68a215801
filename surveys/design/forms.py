"""Forms of the survey design pages. Meaning is checked in the services; forms shape input."""

from __future__ import annotations

from django import forms

from core.mime import XLS_TYPE, XLSX_TYPE
from core.models import SocialGroup
from orgs.models import Area, OrgUnit
from surveys.design.services import SurveyInput
from surveys.models import PolicyStage, Survey

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
XLSFORM_ACCEPT = f".xlsx,.xls,{XLSX_TYPE},{XLS_TYPE}"
SORTS = [
    ("-created_at", "Mới tạo trước"),
    ("created_at", "Cũ trước"),
    ("title", "Tên A→Z"),
    ("-starts_on", "Ngày bắt đầu (mới trước)"),
    ("status", "Trạng thái"),
]


class SurveyFilterForm(forms.Form):
    q = forms.CharField(
        label="Từ khóa",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "tên khảo sát, có dấu hoặc không dấu"}),
    )
    status = forms.ChoiceField(
        label="Trạng thái", required=False, choices=[("", "Tất cả"), *Survey.Status.choices]
    )
    kind = forms.ChoiceField(
        label="Loại", required=False, choices=[("", "Tất cả"), *Survey.Kind.choices]
    )
    sort = forms.ChoiceField(label="Sắp xếp", required=False, choices=SORTS)


class SurveyForm(forms.Form):
    title = forms.CharField(label="Tên cuộc khảo sát", max_length=300)
    kind = forms.ChoiceField(label="Loại", choices=Survey.Kind.choices)
    purpose = forms.CharField(
        label="Mục đích", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Cuộc khảo sát nhằm nắm điều gì, phục vụ quyết định nào.",
    )
    starts_on = forms.DateField(label="Từ ngày", required=False, widget=DATE_WIDGET)
    ends_on = forms.DateField(label="Đến ngày", required=False, widget=DATE_WIDGET)
    unit = forms.ModelChoiceField(
        OrgUnit.objects.filter(closed_on__isnull=True), label="Đơn vị chủ trì", required=False,
        empty_label="— Toàn phường —",
        help_text="Để trống: khảo sát toàn phường (mọi đơn vị thấy khi đang thu thập).",
    )
    target_areas = forms.ModelMultipleChoiceField(
        Area.objects.all(), label="Địa bàn khảo sát", required=False,
        widget=forms.CheckboxSelectMultiple, help_text="Để trống: cả phường.",
    )
    target_groups = forms.ModelMultipleChoiceField(
        SocialGroup.objects.filter(active=True), label="Nhóm đối tượng", required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_population = forms.CharField(
        label="Đối tượng khảo sát", required=False, max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "ví dụ: người dân từ 18 tuổi trở lên"}),
    )
    sample_size = forms.IntegerField(label="Cỡ mẫu dự kiến", min_value=0, initial=0)
    policy_title = forms.CharField(
        label="Chủ trương, chính sách, dự án được lấy ý kiến", required=False, max_length=300
    )
    policy_stage = forms.ChoiceField(
        label="Giai đoạn lấy ý kiến", required=False,
        choices=[("", "— Không gắn với chủ trương nào —"), *PolicyStage.choices],
    )
    allow_public_link = forms.BooleanField(
        label="Cho phép trả lời qua liên kết ẩn danh (mỗi mã dùng một lần)", required=False
    )
    allow_interviewers = forms.BooleanField(
        label="Cho phép cộng tác viên phỏng vấn (ODK Collect hoặc biểu mẫu web)", required=False,
        initial=True,
    )
    form_id = forms.CharField(
        label="Mã biểu mẫu (form_id)", required=False, max_length=100,
        help_text="Để trống: lấy theo form_id của tệp XLSForm tải lên đầu tiên.",
    )
    area_field = forms.CharField(
        label="Câu hỏi địa bàn", max_length=100, initial="khu_vuc",
        help_text="Tên (cột name) của câu hỏi địa bàn trong XLSForm, dùng cho chỉ tiêu và gia "
        "quyền.",
    )
    gender_field = forms.CharField(label="Câu hỏi giới tính", max_length=100, initial="gioi_tinh")
    age_group_field = forms.CharField(
        label="Câu hỏi nhóm tuổi", max_length=100, initial="nhom_tuoi"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "“Đến ngày” phải sau “Từ ngày”.")
        return data

    @classmethod
    def initial_for(cls, survey: Survey) -> dict:
        return {
            "title": survey.title,
            "kind": survey.kind,
            "purpose": survey.purpose,
            "starts_on": survey.starts_on,
            "ends_on": survey.ends_on,
            "unit": survey.unit_id,
            "target_areas": list(survey.target_areas.values_list("pk", flat=True)),
            "target_groups": list(survey.target_groups.values_list("pk", flat=True)),
            "target_population": survey.target_population,
            "sample_size": survey.sample_size,
            "policy_title": survey.policy_title,
            "policy_stage": survey.policy_stage,
            "allow_public_link": survey.allow_public_link,
            "allow_interviewers": survey.allow_interviewers,
            "form_id": survey.form_id,
            "area_field": survey.area_field,
            "gender_field": survey.gender_field,
            "age_group_field": survey.age_group_field,
            "version": survey.version,
        }

    def to_input(self) -> SurveyInput:
        data = self.cleaned_data
        return SurveyInput(
            title=data["title"],
            kind=data["kind"],
            purpose=data["purpose"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            unit_id=data["unit"].pk if data["unit"] else None,
            target_area_ids=tuple(a.pk for a in data["target_areas"]),
            target_group_ids=tuple(g.pk for g in data["target_groups"]),
            target_population=data["target_population"],
            sample_size=data["sample_size"] or 0,
            policy_title=data["policy_title"],
            policy_stage=data["policy_stage"],
            allow_public_link=data["allow_public_link"],
            allow_interviewers=data["allow_interviewers"],
            form_id=data["form_id"],
            area_field=data["area_field"],
            gender_field=data["gender_field"],
            age_group_field=data["age_group_field"],
        )


class XLSFormUploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp XLSForm (.xlsx hoặc .xls)",
        widget=forms.ClearableFileInput(attrs={"accept": XLSFORM_ACCEPT}),
        error_messages={
            "required": "Hãy chọn tệp XLSForm.",
            "empty": "Tệp rỗng.",
            "invalid": "Không nhận được tệp; hãy chọn lại.",
        },
        help_text="Trang survey (câu hỏi), choices (phương án), settings (form_id, version, "
        "form_title). Mỗi lần sửa bảng hỏi hãy tăng version.",
    )
