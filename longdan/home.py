"""The home page (``/``) by role: a leader of the Standing Committee lands on the picture of
opinion (what residents think); the office and the units keep the reporting cycle's home.

It lives at the top floor because it chooses between two apps (reporting below, picture above)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from picture.views.picture import render_picture
from reporting.views import home as reporting_home


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_leader:
        return render_picture(request)
    return reporting_home(request)
