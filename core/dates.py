"""The ward's calendar: "today" is the local (Asia/Ho_Chi_Minh) date, never the UTC one."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def local_today() -> dt.date:
    return timezone.localdate()
