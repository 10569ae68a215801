"""Forms of the reporting pages. They only shape input; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from core.models import Attitude, Channel, Reach, SocialGroup, Topic
from core.text import fold
from issues.models import Issue
from orgs.models import Area, OrgUnit
from reporting.models import ReportTemplate, UnitReport
from reporting.periods import PeriodKey
from reporting.services import StreamInput

EMPTY_CHOICE = [("", "— chọn —")]
SECTION_PREFIX = "sec_"


class PageForm(forms.Form):
    """Labels sit above their fields, so they need no trailing colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ReportFilterForm(PageForm):
    period = forms.ChoiceField(label="Kỳ", required=False)
    q = forms.CharField(label="Đơn vị", required=False, max_length=100)
    state = forms.ChoiceField(
        label="Trạng thái", required=False,
        choices=[("", "Tất cả")] + list(UnitReport.State.choices),
    )
    mau = forms.ModelChoiceField(label="Mẫu báo cáo", required=False, empty_label="Tất cả",
                                 queryset=ReportTemplate.objects.none())
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", "Tất cả")] + [(p.code, str(p)) for p in periods]
        self.fields["mau"].queryset = ReportTemplate.objects.order_by("pk")
        self.fields["q"].widget.attrs["placeholder"] = "gõ có dấu hoặc không dấu"


class StartReportForm(PageForm):
    period = forms.ChoiceField(label="Kỳ báo cáo")
    unit = forms.ModelChoiceField(label="Đơn vị", queryset=OrgUnit.objects.none())

    def __init__(self, *args, months: list[PeriodKey], units, **kwargs):
        super().__init__(*args, **kwargs)
        self.months = {key.code: key for key in months}
        self.fields["period"].choices = [(key.code, key.label) for key in months]
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first().pk
            self.fields["unit"].widget = forms.HiddenInput()

    def period_key(self) -> PeriodKey:
        return self.months[self.cleaned_data["period"]]


class SectionsForm(PageForm):
    """One textarea per narrative section of the template, plus the version being edited."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, template: ReportTemplate, **kwargs):
        super().__init__(*args, **kwargs)
        for section in template.sections:
            self.fields[SECTION_PREFIX + section["key"]] = forms.CharField(
                label=section["title"], required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
            )

    def section_fields(self):
        return [self[name] for name in self.fields if name.startswith(SECTION_PREFIX)]

    def sections(self) -> dict[str, str]:
        return {
            name[len(SECTION_PREFIX):]: value
            for name, value in self.cleaned_data.items()
            if name.startswith(SECTION_PREFIX)
        }

    @staticmethod
    def initial_for(report: UnitReport) -> dict:
        initial = {SECTION_PREFIX + key: value for key, value in report.sections.items()}
        initial["version"] = report.version
        return initial


class StreamForm(PageForm):
    """One opinion stream. Fields are optional here: the service names the row that is wrong."""

    topic = forms.ModelChoiceField(
        label="Chủ đề", required=False, queryset=Topic.objects.filter(active=True),
        empty_label="— chọn —",
    )
    summary = forms.CharField(
        label="Nội dung ý kiến", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attitude = forms.ChoiceField(label="Thái độ", required=False,
                                 choices=EMPTY_CHOICE + list(Attitude.choices))
    reach = forms.ChoiceField(label="Mức độ", required=False,
                              choices=EMPTY_CHOICE + list(Reach.choices))
    social_groups = forms.ModelMultipleChoiceField(
        label="Nhóm xã hội", required=False, queryset=SocialGroup.objects.filter(active=True),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    area = forms.ModelChoiceField(
        label="Địa bàn", required=False, queryset=Area.objects.all(), empty_label="— không rõ —"
    )
    channel = forms.ChoiceField(label="Nguồn", required=False,
                                choices=EMPTY_CHOICE + list(Channel.choices))
    latent = forms.BooleanField(label="Tiềm ẩn", required=False)

    def to_input(self) -> StreamInput:
        data = self.cleaned_data
        return StreamInput(
            topic_id=data["topic"].pk if data.get("topic") else None,
            summary=data.get("summary") or "",
            attitude=data.get("attitude") or "",
            reach=data.get("reach") or "",
            channel=data.get("channel") or "",
            area_id=data["area"].pk if data.get("area") else None,
            social_group_ids=tuple(g.pk for g in data.get("social_groups") or ()),
            latent=bool(data.get("latent")),
        )

    @staticmethod
    def initial_for(stream: StreamInput) -> dict:
        return {
            "topic": stream.topic_id,
            "summary": stream.summary,
            "attitude": stream.attitude,
            "reach": stream.reach,
            "social_groups": list(stream.social_group_ids),
            "area": stream.area_id,
            "channel": stream.channel,
            "latent": stream.latent,
        }


StreamFormSet = forms.formset_factory(StreamForm, extra=0, can_delete=True, max_num=200)


def stream_inputs(formset) -> list[tuple[int, StreamInput]]:
    """The rows to save, with their form index: rows marked deleted or left empty are dropped."""
    rows = []
    for index, form in enumerate(formset.forms):
        if not form.has_changed() and index >= formset.initial_form_count():
            continue
        if form.cleaned_data.get("DELETE"):
            continue
        rows.append((index, form.to_input()))
    return rows


class ReturnForm(PageForm):
    reason = forms.CharField(
        label="Lý do trả lại", max_length=2000,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "Nêu rõ phần nào cần bổ sung, sửa."}
        ),
    )


def _section_key(title: str) -> str:
    """A key for a line typed without one: the title folded, words joined by underscores."""
    words = "".join(ch if ch.isalnum() else " " for ch in fold(title)).split()
    key = "_".join(words)[:40]
    return key if key[:1].isalpha() else f"phan_{key}"[:40]


def sections_to_text(sections: list[dict]) -> str:
    return "\n".join(f"{s['key']} | {s['title']}" for s in sections)


def text_to_sections(text: str) -> list[dict]:
    sections = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        if "|" in line:
            key, title = (part.strip() for part in line.split("|", 1))
        else:
            title = line.strip()
            key = _section_key(title)
        sections.append({"key": key, "title": title})
    return sections


class TemplateForm(PageForm):
    name = forms.CharField(label="Tên mẫu", max_length=200)
    deadline_day = forms.IntegerField(label="Hạn nộp (ngày trong tháng)", min_value=1, max_value=31)
    deadline_rule = forms.TypedChoiceField(
        label="Cách tính hạn",
        choices=[
            ("before", "Nộp trước ngày hạn (hạn cuối: hết ngày liền trước, như “trước ngày 25”)"),
            ("through", "Nộp đến hết ngày hạn (“đến hết ngày 25”)"),
        ],
        coerce=lambda value: value == "through",
        help_text="Quyết định một báo cáo nộp đúng vào ngày hạn là đúng hạn hay muộn.",
    )
    remind_days_before = forms.IntegerField(
        label="Nhắc trước hạn (số ngày)", min_value=0, max_value=31
    )
    effective_from = forms.DateField(
        label="Áp dụng từ ngày",
        required=False,
        help_text="Các kỳ kết thúc trước ngày này không tính là phải nộp. Bỏ trống: mọi kỳ.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sections_text = forms.CharField(
        label="Các phần tường thuật",
        help_text="Mỗi dòng một phần, dạng “mã | tên phần”, theo thứ tự hiển thị. Mã chỉ gồm chữ"
        " thường không dấu, số và dấu gạch dưới; bỏ trống mã thì hệ thống tự đặt từ tên phần."
        " Đổi thứ tự các dòng để sắp xếp lại.",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )
    units = forms.ModelMultipleChoiceField(
        label="Đơn vị phải báo cáo", required=False,
        queryset=OrgUnit.objects.order_by("sort_key", "name"),
        widget=forms.SelectMultiple(attrs={"size": 14}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    @staticmethod
    def initial_for(template: ReportTemplate) -> dict:
        return {
            "name": template.name,
            "deadline_day": template.deadline_day,
            "deadline_rule": "through" if template.deadline_inclusive else "before",
            "remind_days_before": template.remind_days_before,
            "effective_from": template.effective_from,
            "sections_text": sections_to_text(template.sections),
            "units": list(template.units.values_list("pk", flat=True)),
            "version": template.version,
        }


class StreamIssuesForm(forms.Form):
    issues = forms.ModelMultipleChoiceField(
        label="Vấn đề mà luồng ý kiến này nói tới", queryset=Issue.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, issues: QuerySet[Issue], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issues"].queryset = issues
