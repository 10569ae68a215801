"""Vocabularies that several floors name but one app owns (issue 14).

``IssueStatus`` belongs to ``issues.models.Issue`` (``Issue.Status`` is this class); it lives here
so that ``intake``, one floor below ``issues``, can filter items by their issue's status without
importing ``issues``.
"""

from __future__ import annotations

from django.db import models


class IssueStatus(models.TextChoices):
    DETECTED = "moi_phat_hien", "Mới phát hiện"
    WATCHING = "dang_theo_doi", "Đang theo dõi"
    ASSIGNED = "da_giao_xu_ly", "Đã giao xử lý"
    RESOLVED = "da_giai_quyet", "Đã giải quyết"
    ANSWERED = "da_tra_loi_dan", "Đã trả lời dân"
    CLOSED = "dong", "Đóng"
