"""Admin of the monitoring desk: the office keeps its sources and the places of its gazetteer
here (audited); mentions are read-only (they are stored by the fetcher, masked)."""

from __future__ import annotations

from django.contrib import admin

from core.admin import AuditedAdmin
from monitoring.models import Mention, Place, Source


@admin.register(Source)
class SourceAdmin(AuditedAdmin):
    list_display = [
        "name",
        "kind",
        "url",
        "active",
        "fetch_interval_minutes",
        "last_success_at",
        "last_error",
    ]
    list_filter = ["kind", "active"]
    search_fields = ["name", "url"]
    readonly_fields = [
        "last_fetch_at",
        "last_success_at",
        "last_error",
        "last_error_at",
        "etag",
        "last_modified",
    ]


@admin.register(Place)
class PlaceAdmin(AuditedAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Mention)
class MentionAdmin(AuditedAdmin):
    list_display = ["title", "site", "published_at", "relevance", "relevance_score", "story"]
    list_filter = ["relevance", "source"]
    search_fields = ["title", "url"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
