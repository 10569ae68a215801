"""Template context shared by every page: the navigation the reader's role allows."""

from __future__ import annotations

from django.http import HttpRequest

from core.selectors import unread_notifications


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_count": unread_notifications(user).count(),
        "is_office": user.is_office,
        "sees_everything": user.sees_everything,
        "is_leader": user.is_leader,  # reads everything, writes nothing: no write links
    }
