"""Admin for issues, answers, alerts and the engine state (IT staff).

Everything is read-only here: grouping, the lifecycle and publishing go through the app's
services, so that the engine state, the history and residents' notifications stay consistent.
"""

from __future__ import annotations

from django.contrib import admin

from issues.models import Answer, BurstAlert, Issue, IssueEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class IssueEventInline(admin.TabularInline):
    model = IssueEvent
    extra = 0
    fields = ["at", "kind", "from_value", "to_value", "actor", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "status", "topic", "owner_unit", "due_on", "last_seen_on"]
    list_filter = ["status", "topic", "owner_unit"]
    search_fields = ["code", "title", "title_folded"]
    inlines = [IssueEventInline]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "answering_unit", "published_at"]
    list_filter = ["kind"]
    search_fields = ["title", "title_folded"]


@admin.register(BurstAlert)
class BurstAlertAdmin(ReadOnlyAdmin):
    list_display = ["detected_on", "issue", "topic", "count", "baseline", "reason"]
    list_filter = ["detected_on"]
