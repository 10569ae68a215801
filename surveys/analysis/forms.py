"""Forms of the analysis pages: the filter bar, the cross-tab picker, margins and weighting."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms

from orgs.models import Area, Collaborator
from surveys.analysis.consensus import GROUPINGS
from surveys.analysis.filters import AnalysisFilter
from surveys.analysis.questions import QuestionFrame, QuestionInfo
from surveys.analysis.vocabulary import (
    AGE_GROUP,
    CATEGORICAL,
    GENDER,
    METHODS,
    MULTIPLE,
    SOURCES,
    VARIABLES,
)
from surveys.models import Response, Survey

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ANSWER_SEPARATOR = "="


def _blank(label: str, choices) -> list[tuple[str, str]]:
    return [("", label), *choices]


def _areas_of(survey: Survey):
    targets = survey.target_areas.all()
    return targets if targets.exists() else Area.objects.all()


class AnalysisFilterForm(forms.Form):
    area = forms.ModelChoiceField(
        Area.objects.none(), label="Tổ dân phố", required=False, empty_label="Tất cả"
    )
    gender = forms.ChoiceField(label="Giới tính", required=False)
    age_group = forms.ChoiceField(label="Nhóm tuổi", required=False)
    source = forms.ChoiceField(
        label="Nguồn phiếu", required=False, choices=_blank("Tất cả", list(SOURCES.items()))
    )
    interviewer = forms.ModelChoiceField(
        Collaborator.objects.none(), label="Cộng tác viên phỏng vấn", required=False,
        empty_label="Tất cả",
    )
    version = forms.ChoiceField(label="Phiên bản biểu mẫu", required=False)
    date_from = forms.DateField(label="Từ ngày", required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label="Đến ngày", required=False, widget=DATE_WIDGET)
    answer = forms.ChoiceField(label="Người trả lời câu…", required=False)

    def __init__(self, data, *, frame: QuestionFrame):
        super().__init__(data)
        survey, questions, choice_labels = frame.survey, frame.questions, frame.choice_labels
        versions = frame.versions
        self.fields["area"].queryset = _areas_of(survey)
        interviewers = Collaborator.objects.filter(
            pk__in=Response.objects.filter(survey=survey, interviewer__isnull=False)
            .values("interviewer_id")
        )
        if interviewers.exists():
            self.fields["interviewer"].queryset = interviewers
        else:
            del self.fields["interviewer"]
        self.fields["gender"].choices = _blank("Tất cả", list(choice_labels.get(GENDER,
                                                                                {}).items()))
        self.fields["age_group"].choices = _blank(
            "Tất cả", list(choice_labels.get(AGE_GROUP, {}).items())
        )
        self.fields["version"].choices = _blank("Tất cả", [(v, v) for v in versions])
        answers = []
        for question in questions:
            if question.kind not in (CATEGORICAL, MULTIPLE) or not question.choices:
                continue
            short = question.label if len(question.label) <= 60 else question.label[:57] + "…"
            answers.append((short, [
                (f"{question.name}{ANSWER_SEPARATOR}{name}", label)
                for name, label in question.choices
            ]))
        self.fields["answer"].choices = [("", "Tất cả"), *answers]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "“Đến ngày” phải sau hoặc bằng “Từ ngày”.")
        return data

    def to_filter(self) -> AnalysisFilter:
        if not self.is_bound or not self.is_valid():
            return AnalysisFilter()
        data = self.cleaned_data
        answers = ()
        if data["answer"]:
            name, _, value = data["answer"].partition(ANSWER_SEPARATOR)
            answers = ((name, value),)
        return AnalysisFilter(
            area_id=data["area"].pk if data["area"] else None,
            gender=data["gender"],
            age_group=data["age_group"],
            source=data["source"],
            interviewer_id=data["interviewer"].pk if data.get("interviewer") else None,
            version=data["version"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            answers=answers,
        )


class CrosstabForm(forms.Form):
    row = forms.ChoiceField(label="Hàng (nhóm người trả lời)")
    col = forms.ChoiceField(label="Cột (câu hỏi cần so sánh)")

    def __init__(self, data, *, questions: Sequence[QuestionInfo]):
        super().__init__(data)
        choices = [(q.name, q.label if len(q.label) <= 80 else q.label[:77] + "…")
                   for q in questions if q.kind == CATEGORICAL]
        self.fields["row"].choices = choices
        self.fields["col"].choices = choices


class GroupingForm(forms.Form):
    group = forms.ChoiceField(label="So sánh giữa các nhóm", choices=list(GROUPINGS.items()),
                              required=False)


class MarginsForm(forms.Form):
    """One survey's own population numbers for one variable; a box per category."""

    def __init__(self, data=None, *, variable: str, categories: Sequence[tuple[str, str]],
                 initial_values: dict[str, float]):
        super().__init__(data, prefix=variable)
        self.variable = variable
        self.title = VARIABLES[variable]
        for code, label in categories:
            self.fields[f"c_{code}"] = forms.IntegerField(
                label=label, required=False, min_value=1,
                initial=int(initial_values[code]) if code in initial_values else None,
            )
        self.codes = [code for code, _ in categories]

    def margins(self) -> dict[str, object]:
        return {code: self.cleaned_data.get(f"c_{code}") for code in self.codes}


class WeightingForm(forms.Form):
    method = forms.ChoiceField(label="Phương pháp", choices=list(METHODS.items()),
                               widget=forms.RadioSelect)
    variables = forms.MultipleChoiceField(
        label="Biến gia quyền", choices=list(VARIABLES.items()), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Để trống: dùng mọi biến đã có cơ cấu dân số.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
