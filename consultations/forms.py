"""Forms of the consultations pages (labels and messages in Vietnamese)."""

from __future__ import annotations

import time

from django import forms

from consultations.models import Comment, CommentGroup
from consultations.splitting import MAX_DRAFT_BYTES
from intake.forms import MIN_FILL_SECONDS, PublicFeedbackForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DraftUploadForm(forms.Form):
    title = forms.CharField(label="Tên dự thảo", max_length=300,
                            error_messages={"required": "Hãy nhập tên dự thảo."})
    issuing_body = forms.CharField(label="Cơ quan chủ trì soạn thảo", max_length=200,
                                   error_messages={"required": "Hãy nhập cơ quan chủ trì soạn"
                                                               " thảo."})
    opens_on = forms.DateField(label="Lấy ý kiến từ ngày", widget=DATE,
                               error_messages={"required": "Hãy nhập ngày bắt đầu lấy ý kiến.",
                                               "invalid": "Ngày bắt đầu không hợp lệ."})
    closes_on = forms.DateField(label="Đến ngày", widget=DATE,
                                error_messages={"required": "Hãy nhập ngày kết thúc lấy ý kiến.",
                                                "invalid": "Ngày kết thúc không hợp lệ."})
    file = forms.FileField(label="Tệp dự thảo (.docx)",
                           widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
                           error_messages={"required": "Hãy chọn tệp dự thảo (.docx)."})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DRAFT_BYTES:
            raise forms.ValidationError(
                f"Tệp lớn quá {MAX_DRAFT_BYTES // (1024 * 1024)} MB.")
        return upload


class CommentForm(forms.Form):
    source = forms.ChoiceField(label="Ai góp ý", choices=Comment.Source.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "Hãy chọn ai góp ý.",
                                               "invalid_choice": "Hãy chọn ai góp ý."})
    organisation = forms.CharField(label="Tên cơ quan, tổ chức (khi tổ chức góp ý)",
                                   max_length=200, required=False)
    text = forms.CharField(label="Nội dung góp ý", max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"required": "Hãy viết nội dung góp ý.",
                                           "max_length": "Nội dung góp ý dài quá 5.000 ký tự."})

    def __init__(self, *args, sources: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Comment.Source.choices)
        self.fields["source"].choices = [(s, labels[s]) for s in sources]
        if len(sources) == 1:
            self.fields["source"].initial = sources[0]
        # Residents are counted, never named: the form has no field for a resident's name.
        labels_help = "Ý kiến người dân được đếm, không ghi tên người góp ý."
        self.fields["source"].help_text = labels_help


class AnswerForm(forms.Form):
    response = forms.ChoiceField(label="Ý kiến", choices=CommentGroup.Response.choices,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "Hãy chọn tiếp thu, giải trình hoặc"
                                                             " không tiếp thu."})
    reason = forms.CharField(label="Nội dung tiếp thu, giải trình (lý do khi không tiếp thu)",
                             required=False, max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class PublicCommentForm(forms.Form):
    """A resident's comment on a draft's provision: no name asked, the public form's guards (a
    honeypot field and a signed start time, ``intake.forms.PublicFeedbackForm``)."""

    provision = forms.ModelChoiceField(
        queryset=None, label="Góp ý vào điều, khoản",
        error_messages={"required": "Hãy chọn điều, khoản bạn góp ý.",
                        "invalid_choice": "Hãy chọn điều, khoản bạn góp ý."})
    text = forms.CharField(label="Nội dung góp ý", max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"required": "Hãy viết nội dung góp ý.",
                                           "max_length": "Nội dung góp ý dài quá 5.000 ký tự."})
    website = forms.CharField(label="Trang web của bạn", required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, draft, **kwargs):
        super().__init__(*args, **kwargs)
        provisions = draft.provisions.order_by("position")
        self.fields["provision"].queryset = provisions
        self.fields["provision"].label_from_instance = lambda p: (
            f"{p.label}. {p.title}" if not p.clause else p.label)

    def clean(self):
        """The public form's checks, in its words: a filled honeypot, an expired or missing
        stamp, a form sent faster than a person types."""
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError("Không gửi được góp ý. Xin vui lòng thử lại.", code="bot")
        started = PublicFeedbackForm.started_at(data.get("started"))
        if started is None:
            raise forms.ValidationError(
                "Biểu mẫu đã hết hạn; xin vui lòng tải lại trang rồi gửi lại.", code="expired")
        if time.time() - started < MIN_FILL_SECONDS:
            raise forms.ValidationError(
                "Bạn gửi nhanh quá; xin vui lòng kiểm tra lại nội dung rồi bấm gửi.", code="fast")
        return data
