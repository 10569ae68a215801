"""The alerts page (/theo-doi/): what the office or a leader follows, and what they were told.

Thin: reads through ``picture.alert_selectors`` (one's own rows only), writes through
``picture.services`` and shows a refused write's Vietnamese message next to its field.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.dates import local_today
from core.errors import ServiceError
from picture import alert_selectors as selectors
from picture import services
from picture.models import Subscription
from picture.services.alerts import WHO_MAY_SUBSCRIBE

ALERTS_PER_PAGE = 20


class SubscriptionForm(forms.Form):
    topic = forms.ModelChoiceField(label="Chủ đề", queryset=selectors.topic_choices(),
                                   required=False, empty_label="Mọi chủ đề")
    area = forms.ModelChoiceField(label="Tổ dân phố", queryset=selectors.area_choices(),
                                  required=False, empty_label="Mọi tổ dân phố")
    frequency = forms.ChoiceField(label="Nhận", choices=Subscription.Frequency.choices,
                                  initial=Subscription.Frequency.IMMEDIATE,
                                  widget=forms.RadioSelect)
    by_email = forms.BooleanField(label="Gửi cả qua thư điện tử", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Querysets are evaluated per form, so a topic or area added since start-up is offered.
        self.fields["topic"].queryset = selectors.topic_choices()
        self.fields["area"].queryset = selectors.area_choices()


def _refuse(request: HttpRequest) -> HttpResponse | None:
    """The office and the leaders subscribe; anyone else is told so, in a sentence."""
    if services.may_subscribe(request.user):
        return None
    return render(request, "picture/follow_refused.html", {"reason": WHO_MAY_SUBSCRIBE},
                  status=403)


@login_required
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    refused = _refuse(request)
    if refused is not None:
        return refused
    user = request.user
    form = SubscriptionForm(request.POST or None, initial={"by_email": bool(user.email)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.subscribe(user=user, topic=data["topic"], area=data["area"],
                               frequency=data["frequency"], by_email=data["by_email"])
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Đã lưu đăng ký nhận cảnh báo.")
            return redirect("picture:follow")
    alerts = Paginator(selectors.alerts_of(user, today=local_today()), ALERTS_PER_PAGE)
    return render(request, "picture/follow.html", {
        "form": form, "subscriptions": selectors.subscriptions_of(user),
        "page": alerts.get_page(request.GET.get("page")), "days": selectors.ALERT_DAYS,
        "has_email": bool(user.email),
    })


@login_required
@require_POST
def unfollow(request: HttpRequest) -> HttpResponse:
    refused = _refuse(request)
    if refused is not None:
        return refused
    raw = request.POST.get("id", "")
    sub = selectors.subscription_of(request.user, int(raw)) if raw.isdigit() else None
    if sub is None:
        raise Http404("Không tìm thấy đăng ký này.")
    services.unsubscribe(user=request.user, subscription=sub)
    messages.success(request, "Đã hủy đăng ký.")
    return redirect("picture:follow")
