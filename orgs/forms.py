"""Forms of the org pages. They only parse input; the rules live in ``orgs.services``."""

from __future__ import annotations

from django import forms

from core.errors import ServiceError
from core.models import SocialGroup, Topic
from orgs.models import Area, Collaborator, OrgUnit, User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def attach_error(form: forms.Form, error: ServiceError) -> None:
    """Show a refused write beside the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        unit = f" — {obj.unit.name}" if obj.unit_id else ""
        return f"{obj.full_name or obj.username} ({obj.username}){unit}"


# --- filters -------------------------------------------------------------------------------


class UnitFilterForm(forms.Form):
    STATE_CHOICES = [("", "Tất cả"), ("open", "Đang hoạt động"), ("closed", "Đã giải thể/sáp nhập")]

    q = forms.CharField(label="Tìm theo tên", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Loại", required=False, choices=[("", "Tất cả")] + list(OrgUnit.Kind.choices)
    )
    state = forms.ChoiceField(label="Tình trạng", required=False, choices=STATE_CHOICES)
    khong_phu_trach = forms.BooleanField(label="Chưa có người phụ trách", required=False)


class AreaFilterForm(forms.Form):
    q = forms.CharField(label="Tìm theo tên", required=False, max_length=100)
    unit = UnitChoiceField(
        label="Chi bộ phụ trách", required=False, queryset=OrgUnit.objects.none(),
        empty_label="Tất cả",
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class CollaboratorFilterForm(forms.Form):
    q = forms.CharField(label="Tìm theo tên", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Trạng thái", required=False,
        choices=[("", "Tất cả")] + list(Collaborator.Status.choices),
    )
    unit = UnitChoiceField(
        label="Đơn vị", required=False, queryset=OrgUnit.objects.none(), empty_label="Tất cả"
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


# --- edits ---------------------------------------------------------------------------------


class UnitForm(forms.Form):
    name = forms.CharField(label="Tên đơn vị", max_length=200)
    kind = forms.ChoiceField(label="Loại", choices=OrgUnit.Kind.choices)
    parent = UnitChoiceField(
        label="Đơn vị cấp trên", required=False,
        queryset=OrgUnit.objects.order_by("sort_key", "name"),
        empty_label="(không có — cấp cao nhất)",
    )
    opened_on = forms.DateField(label="Ngày thành lập", widget=DATE)
    closed_on = forms.DateField(label="Ngày giải thể/sáp nhập", required=False, widget=DATE)
    responsible_person = PersonChoiceField(
        label="Người phụ trách công tác DLXH", required=False,
        queryset=User.objects.filter(is_active=True).select_related("unit")
        .order_by("full_name", "username"),
        empty_label="(chưa phân công)",
    )
    accept_outside_unit = forms.BooleanField(
        label="Ban Xây dựng Đảng xác nhận giao cho người không thuộc đơn vị", required=False
    )

    @classmethod
    def initial_for(cls, unit: OrgUnit) -> dict:
        return {
            "name": unit.name,
            "kind": unit.kind,
            "parent": unit.parent_id,
            "opened_on": unit.opened_on,
            "closed_on": unit.closed_on,
            "responsible_person": unit.responsible_person_id,
        }


class UnitCreateForm(forms.Form):
    code = forms.SlugField(
        label="Mã đơn vị", max_length=40, help_text="Chữ thường không dấu, số, dấu gạch ngang."
    )
    name = forms.CharField(label="Tên đơn vị", max_length=200)
    kind = forms.ChoiceField(label="Loại", choices=OrgUnit.Kind.choices)
    parent = UnitChoiceField(
        label="Đơn vị cấp trên", required=False,
        queryset=OrgUnit.objects.order_by("sort_key", "name"),
        empty_label="(không có — cấp cao nhất)",
    )
    opened_on = forms.DateField(label="Ngày thành lập", widget=DATE)
    closed_on = forms.DateField(label="Ngày giải thể/sáp nhập", required=False, widget=DATE)


class AreaForm(forms.Form):
    name = forms.CharField(label="Tên tổ dân phố", max_length=120)
    former_ward = forms.CharField(label="Thuộc phường cũ", max_length=120, required=False)
    population = forms.IntegerField(label="Số nhân khẩu", min_value=0, initial=0)
    households = forms.IntegerField(label="Số hộ", min_value=0, initial=0)
    unit = UnitChoiceField(
        label="Chi bộ phụ trách", required=False,
        queryset=OrgUnit.objects.order_by("sort_key", "name"),
        empty_label="(chưa giao)",
    )

    @classmethod
    def initial_for(cls, area: Area) -> dict:
        return {
            "name": area.name,
            "former_ward": area.former_ward,
            "population": area.population,
            "households": area.households,
            "unit": area.unit_id,
        }


class CollaboratorForm(forms.Form):
    full_name = forms.CharField(label="Họ và tên", max_length=150)
    unit = UnitChoiceField(label="Đơn vị", queryset=OrgUnit.objects.order_by("sort_key", "name"))
    areas = forms.ModelMultipleChoiceField(
        label="Địa bàn phụ trách", required=False,
        queryset=Area.objects.order_by("sort_key", "name"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    topics = forms.ModelMultipleChoiceField(
        label="Lĩnh vực theo dõi", required=False,
        queryset=Topic.objects.filter(active=True), widget=forms.CheckboxSelectMultiple,
    )
    started_on = forms.DateField(label="Từ ngày", widget=DATE)
    ended_on = forms.DateField(label="Đến ngày", required=False, widget=DATE)
    status = forms.ChoiceField(label="Trạng thái", choices=Collaborator.Status.choices)
    phone = forms.CharField(label="Điện thoại", max_length=20, required=False)
    email = forms.EmailField(label="Thư điện tử", required=False)
    social_groups = forms.ModelMultipleChoiceField(
        label="Nhóm xã hội nắm bắt", required=False,
        queryset=SocialGroup.objects.filter(active=True), widget=forms.CheckboxSelectMultiple,
    )
    decision_number = forms.CharField(label="Số quyết định công nhận", max_length=60,
                                      required=False)
    decision_date = forms.DateField(label="Ngày quyết định", required=False, widget=DATE)
    decision_signer = forms.CharField(label="Người ký quyết định", max_length=150,
                                      required=False)
    allowance_rate = forms.IntegerField(label="Mức phụ cấp (đồng/tháng)", min_value=0,
                                        required=False)
    payment_period = forms.ChoiceField(label="Kỳ chi trả phụ cấp", required=False,
                                       choices=Collaborator.PaymentPeriod.choices,
                                       initial=Collaborator.PaymentPeriod.QUARTER)

    def clean_allowance_rate(self) -> int:
        return self.cleaned_data.get("allowance_rate") or 0

    def clean_payment_period(self) -> str:
        return self.cleaned_data.get("payment_period") or Collaborator.PaymentPeriod.QUARTER

    @classmethod
    def initial_for(cls, collaborator: Collaborator) -> dict:
        return {
            "full_name": collaborator.full_name,
            "unit": collaborator.unit_id,
            "areas": [area.pk for area in collaborator.areas.all()],
            "topics": [topic.pk for topic in collaborator.topics.all()],
            "started_on": collaborator.started_on,
            "ended_on": collaborator.ended_on,
            "status": collaborator.status,
            "phone": collaborator.phone,
            "email": collaborator.email,
            "social_groups": [group.pk for group in collaborator.social_groups.all()],
            "decision_number": collaborator.decision_number,
            "decision_date": collaborator.decision_date,
            "decision_signer": collaborator.decision_signer,
            "allowance_rate": collaborator.allowance_rate,
            "payment_period": collaborator.payment_period,
        }
